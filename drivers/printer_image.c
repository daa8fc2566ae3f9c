/* 1-bit printer images: QR codes (libqrencode) and a dithered logo (SDL2_image). */
#include "drivers/printer_image.h"

#include <SDL.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/base/pngio.h"
#include "kiosk/base/qr_lib.h"
#include "kiosk/base/xalloc.h"

#define QR_QUIET 4

void printer_bitmap_free(struct printer_bitmap *bm)
{
	if (!bm)
		return;
	free(bm->bits);
	memset(bm, 0, sizeof *bm);
}

static void bitmap_alloc(struct printer_bitmap *bm, int w, int h)
{
	bm->w = w;
	bm->h = h;
	bm->stride = (w + 7) / 8;
	bm->bits = xcalloc((size_t)bm->stride * (size_t)h, 1);
}

static void set_black(struct printer_bitmap *bm, int x, int y)
{
	bm->bits[y * bm->stride + x / 8] |= (uint8_t)(0x80 >> (x % 8));
}

static QRcode *encode(const uint8_t *payload, size_t n)
{
	if (!n || n > 2953)
		return NULL;
	return qr_encode_data((int)n, payload, 0, QR_ECLEVEL_M);
}

int printer_qr_modules(const uint8_t *payload, size_t n)
{
	QRcode *q = encode(payload, n);
	if (!q)
		return -1;
	int w = q->width;
	qr_free(q);
	return w;
}

int printer_bitmap_qr(const uint8_t *payload, size_t n, int module_dots, struct printer_bitmap *ret)
{
	if (module_dots < 1 || module_dots > 16)
		return PRINTER_IMAGE_EINVAL;
	QRcode *q = encode(payload, n);
	if (!q)
		return PRINTER_IMAGE_EINVAL;
	int side = (q->width + 2 * QR_QUIET) * module_dots;
	if (side > PRINTER_IMAGE_MAX_W) {
		qr_free(q);
		return PRINTER_IMAGE_EINVAL;
	}
	struct printer_bitmap bm;
	bitmap_alloc(&bm, side, side);
	for (int my = 0; my < q->width; my++)
		for (int mx = 0; mx < q->width; mx++) {
			if (!(q->data[my * q->width + mx] & 1))
				continue;
			for (int dy = 0; dy < module_dots; dy++)
				for (int dx = 0; dx < module_dots; dx++)
					set_black(&bm, (mx + QR_QUIET) * module_dots + dx,
						  (my + QR_QUIET) * module_dots + dy);
		}
	qr_free(q);
	*ret = bm;
	return PRINTER_IMAGE_OK;
}

int printer_bitmap_dither(const uint8_t *grey, int w, int h, struct printer_bitmap *ret)
{
	if (w <= 0 || h <= 0 || w > PRINTER_IMAGE_MAX_W || h > PRINTER_IMAGE_MAX_H)
		return PRINTER_IMAGE_EINVAL;
	/* Floyd-Steinberg on a working copy of ints (errors go below 0 and above 255). */
	int *e = xmalloc((size_t)w * (size_t)h * sizeof *e);
	for (int i = 0; i < w * h; i++)
		e[i] = grey[i];
	struct printer_bitmap bm;
	bitmap_alloc(&bm, w, h);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			int old = e[y * w + x];
			int nv = old < 128 ? 0 : 255;
			if (!nv)
				set_black(&bm, x, y);
			int err = old - nv;
			if (x + 1 < w)
				e[y * w + x + 1] += err * 7 / 16;
			if (y + 1 < h) {
				if (x > 0)
					e[(y + 1) * w + x - 1] += err * 3 / 16;
				e[(y + 1) * w + x] += err * 5 / 16;
				if (x + 1 < w)
					e[(y + 1) * w + x + 1] += err * 1 / 16;
			}
		}
	free(e);
	*ret = bm;
	return PRINTER_IMAGE_OK;
}

int printer_bitmap_load_png(const char *path, int max_w, struct printer_bitmap *ret)
{
	if (max_w <= 0 || max_w > PRINTER_IMAGE_MAX_W)
		return PRINTER_IMAGE_EINVAL;
	SDL_Surface *src = pngio_load(path);
	if (!src)
		return PRINTER_IMAGE_ELOAD;
	int rc = PRINTER_IMAGE_EINVAL;
	SDL_Surface *rgba = SDL_ConvertSurfaceFormat(src, SDL_PIXELFORMAT_RGBA32, 0);
	SDL_FreeSurface(src);
	if (!rgba)
		return PRINTER_IMAGE_ELOAD;
	int w = rgba->w, h = rgba->h;
	if (w <= 0 || h <= 0)
		goto out;
	if (w > max_w) {
		h = (int)((long)h * max_w / w);
		w = max_w;
	}
	if (h < 1 || h > PRINTER_IMAGE_MAX_H)
		goto out;
	uint8_t *grey = xmalloc((size_t)w * (size_t)h);
	SDL_LockSurface(rgba);
	/* Nearest-neighbour scale; transparent pixels are paper (white). */
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			int sx = (int)((long)x * rgba->w / w), sy = (int)((long)y * rgba->h / h);
			const uint8_t *p = (const uint8_t *)rgba->pixels + sy * rgba->pitch + sx * 4;
			int lum = (299 * p[0] + 587 * p[1] + 114 * p[2]) / 1000;
			grey[y * w + x] = (uint8_t)((lum * p[3] + 255 * (255 - p[3])) / 255);
		}
	SDL_UnlockSurface(rgba);
	rc = printer_bitmap_dither(grey, w, h, ret);
	free(grey);
out:
	SDL_FreeSurface(rgba);
	return rc;
}
