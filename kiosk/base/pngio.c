/* PNG in and out through libpng's simplified API. */
#include "kiosk/base/pngio.h"

#include <errno.h>
#include <png.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/base/xalloc.h"

int pngio_save(SDL_Surface *s, const char *path)
{
	SDL_Surface *c = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_RGBA32, 0);
	if (!c)
		return -1;
	png_image img;
	memset(&img, 0, sizeof img);
	img.version = PNG_IMAGE_VERSION;
	img.width = (png_uint_32)c->w;
	img.height = (png_uint_32)c->h;
	img.format = PNG_FORMAT_RGBA;
	/* Screenshots are many (every screen in every look): libpng's fast setting writes one in
	 * about half the time for a few per cent more bytes. */
	img.flags = PNG_IMAGE_FLAG_FAST;
	int ok = png_image_write_to_file(&img, path, 0, c->pixels, c->pitch, NULL);
	if (!ok)
		SDL_SetError("png %s: %s", path, img.message);
	png_image_free(&img);
	SDL_FreeSurface(c);
	return ok ? 0 : -1;
}

SDL_Surface *pngio_decode(const void *buf, size_t len)
{
	png_image img;
	memset(&img, 0, sizeof img);
	img.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_memory(&img, buf, len)) {
		SDL_SetError("png: %s", img.message);
		png_image_free(&img);
		return NULL;
	}
	if (img.width == 0 || img.height == 0 || img.width > PNGIO_MAX_SIDE || img.height > PNGIO_MAX_SIDE) {
		SDL_SetError("png: %ux%u is not a size we read", (unsigned)img.width, (unsigned)img.height);
		png_image_free(&img);
		return NULL;
	}
	img.format = PNG_FORMAT_RGBA;
	SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, (int)img.width, (int)img.height, 32, SDL_PIXELFORMAT_RGBA32);
	if (!s) {
		png_image_free(&img);
		return NULL;
	}
	if (!png_image_finish_read(&img, NULL, s->pixels, s->pitch, NULL)) {
		SDL_SetError("png: %s", img.message);
		png_image_free(&img);
		SDL_FreeSurface(s);
		return NULL;
	}
	return s;
}

SDL_Surface *pngio_load(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		SDL_SetError("png %s: %s", path, strerror(errno));
		return NULL;
	}
	char *buf = xmalloc(PNGIO_MAX_FILE + 1);
	size_t n = fread(buf, 1, PNGIO_MAX_FILE + 1, f);
	bool err = ferror(f);
	fclose(f);
	SDL_Surface *s = NULL;
	if (err)
		SDL_SetError("png %s: read error", path);
	else if (n > PNGIO_MAX_FILE)
		SDL_SetError("png %s: over %u bytes", path, PNGIO_MAX_FILE);
	else
		s = pngio_decode(buf, n);
	free(buf);
	return s;
}
