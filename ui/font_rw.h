#ifndef UI_FONT_RW_H
#define UI_FONT_RW_H
/* A font file as an SDL stream that FreeType reads with one pread each.
 *
 * SDL_RWFromFile goes through stdio: every FreeType read is a seek (lseek) and a buffered
 * read of 4 KB, and opening the five faces of the first frame took 6 ms of it.  Mapping the
 * files instead would put all 1.4 MB of them in the kiosk's resident memory for good.
 *
 * Promises: font_rw_open returns a read-only stream over PATH (NULL with SDL's error set
 * when it cannot be opened); closing the stream (TTF_CloseFont with freesrc) closes the
 * file. */
#include <SDL.h>

SDL_RWops *font_rw_open(const char *path);

#endif
