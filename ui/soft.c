/* Fills and text masks written into the software renderer's window surface. */
#include "ui/soft.h"

#include <string.h>

bool soft_usable(struct ui *ui)
{
	SDL_Surface *s = SDL_GetWindowSurface(ui->win);
	return s && s->format->BytesPerPixel == 4 && !SDL_MUSTLOCK(s);
}

/* The part of r to draw (renderer clip and window), with the renderer's queue flushed;
 * false when nothing of it shows. */
static bool target(struct ui *ui, SDL_Surface *s, SDL_Rect r, SDL_Rect *out)
{
	SDL_Rect clip, in;
	SDL_RenderGetClipRect(ui->ren, &clip);
	if (!SDL_RectEmpty(&clip)) {
		if (!SDL_IntersectRect(&r, &clip, &in))
			return false;
	} else {
		in = r;
	}
	if (!SDL_IntersectRect(&in, &(SDL_Rect){ 0, 0, s->w, s->h }, out))
		return false;
	SDL_RenderFlush(ui->ren);
	return true;
}

static Uint32 *row_at(SDL_Surface *s, int x, int y)
{
	return (Uint32 *)((Uint8 *)s->pixels + (size_t)y * (size_t)s->pitch) + x;
}

void soft_fill(struct ui *ui, struct ui_rect r, struct theme_color c)
{
	SDL_Surface *s = SDL_GetWindowSurface(ui->win);
	SDL_Rect out;
	if (!s || !target(ui, s, (SDL_Rect){ r.x, r.y, r.w, r.h }, &out))
		return;
	Uint32 px = SDL_MapRGB(s->format, c.r, c.g, c.b);
	/* The first row pixel by pixel, the others copied from it (libc's copy of a hot row
	 * uses ordinary stores at these sizes). */
	Uint32 *first = row_at(s, out.x, out.y);
	for (int x = 0; x < out.w; x++)
		first[x] = px;
	for (int y = 1; y < out.h; y++)
		memcpy((Uint8 *)first + (size_t)y * (size_t)s->pitch, first, (size_t)out.w * 4);
}

static unsigned mix(unsigned src, unsigned dst, unsigned a)
{
	return (src * a + dst * (255 - a) + 127) / 255;
}

void soft_mask(struct ui *ui, const uint8_t *mask, int w, int h, int pitch, struct theme_color c, int x, int y)
{
	SDL_Surface *s = SDL_GetWindowSurface(ui->win);
	SDL_Rect out;
	if (!s || !target(ui, s, (SDL_Rect){ x, y, w, h }, &out))
		return;
	const SDL_PixelFormat *f = s->format;
	Uint32 solid = SDL_MapRGB(f, c.r, c.g, c.b);
	Uint32 keep = ~(f->Rmask | f->Gmask | f->Bmask);
	for (int yy = out.y; yy < out.y + out.h; yy++) {
		const uint8_t *m = mask + (size_t)(yy - y) * (size_t)pitch + (out.x - x);
		Uint32 *d = row_at(s, out.x, yy);
		for (int i = 0; i < out.w; i++) {
			unsigned a = m[i];
			if (a == 0)
				continue;
			if (a == 255) {
				d[i] = (d[i] & keep) | solid;
				continue;
			}
			Uint32 p = d[i];
			unsigned r = mix(c.r, (p & f->Rmask) >> f->Rshift, a);
			unsigned g = mix(c.g, (p & f->Gmask) >> f->Gshift, a);
			unsigned b = mix(c.b, (p & f->Bmask) >> f->Bshift, a);
			d[i] = (p & keep) | (Uint32)r << f->Rshift | (Uint32)g << f->Gshift | (Uint32)b << f->Bshift;
		}
	}
}
