#ifndef UI_FONT_RW_H
#define UI_FONT_RW_H
/* A font file as an SDL stream over a read-only mapping of it.
 *
 * SDL_RWFromFile goes through stdio: every FreeType read is a seek (lseek) and a buffered
 * read of 4 KB, and opening the five faces of the first frame took 6 ms of it.  One pread
 * per read (the previous version) still made a system call of each of FreeType's many small
 * reads: 5 ms of the first frame's 21.  A mapping advised MADV_RANDOM makes resident only
 * the pages FreeType reads (no read-around), and they are clean file pages the kernel can
 * take back.  A font file is replaced by a package upgrade, never rewritten in place, so
 * the mapping does not see it change.
 *
 * Promises: font_rw_open returns a read-only stream over PATH (NULL with SDL's error set
 * when it cannot be opened or mapped); an empty file is an empty stream; closing the stream
 * (TTF_CloseFont with freesrc) unmaps the file. */
#include <SDL.h>

SDL_RWops *font_rw_open(const char *path);

#endif
