#ifndef KIOSK_PNGIO_H
#define KIOSK_PNGIO_H
/* PNG files for screenshots, receipt images and the receipt logo, through libpng's
 * simplified API (libpng is loaded anyway: FreeType uses it).  SDL_image did this before
 * and brought TIFF, WebP, JPEG, JBIG, LERC and the C++ runtime into the kiosk for nothing:
 * 1.5 MB of resident memory and part of every start-up's dynamic linking. */
#include <SDL.h>

/* Writes s (any pixel format) as an RGBA PNG.  0, or -1 with SDL_GetError() set. */
int pngio_save(SDL_Surface *s, const char *path);
/* Reads a PNG file (up to PNGIO_MAX_FILE bytes) or buffer (any colour type, up to
 * PNGIO_MAX_SIDE pixels a side) into a new RGBA32 surface; NULL with SDL_GetError() set
 * when the file is missing, too large or not a whole, valid PNG. */
#define PNGIO_MAX_SIDE 4096
#define PNGIO_MAX_FILE (8u << 20)
SDL_Surface *pngio_load(const char *path);
SDL_Surface *pngio_decode(const void *buf, size_t len);

#endif
