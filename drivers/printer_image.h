#ifndef DRIVERS_PRINTER_IMAGE_H
#define DRIVERS_PRINTER_IMAGE_H
/* 1-bit images for the printer: QR codes from libqrencode and a logo from a PNG (loaded
 * with SDL2_image, scaled to fit, Floyd-Steinberg dithered).  The bit layout is that of
 * ESC/POS GS v 0: rows top to bottom, stride = (w + 7) / 8 bytes, MSB = leftmost dot,
 * 1 = black. */
#include <stddef.h>
#include <stdint.h>

struct printer_bitmap {
	int w, h, stride;
	uint8_t *bits;
};

#define PRINTER_IMAGE_MAX_W 576
#define PRINTER_IMAGE_MAX_H 2048

enum { PRINTER_IMAGE_OK = 0, PRINTER_IMAGE_EINVAL = -1, PRINTER_IMAGE_ELOAD = -2 };

void printer_bitmap_free(struct printer_bitmap *bm);
static inline int printer_bitmap_get(const struct printer_bitmap *bm, int x, int y)
{ return (bm->bits[y * bm->stride + x / 8] >> (7 - x % 8)) & 1; }

/* QR of payload (8-bit mode, level M) with module_dots per module and a 4-module quiet
 * zone.  Returns 0 or PRINTER_IMAGE_EINVAL (too long for QR, or wider than the cap). */
int printer_bitmap_qr(const uint8_t *payload, size_t n, int module_dots, struct printer_bitmap *ret);
/* Number of modules of the QR symbol for payload (without quiet zone), or -1. */
int printer_qr_modules(const uint8_t *payload, size_t n);
/* Loads a PNG, scales it down to at most max_w dots wide (aspect kept), converts to grey
 * and dithers.  Returns 0, PRINTER_IMAGE_ELOAD or PRINTER_IMAGE_EINVAL. */
int printer_bitmap_load_png(const char *path, int max_w, struct printer_bitmap *ret);
/* Dithers an 8-bit grey image (0 black .. 255 white), w*h bytes; pure. */
int printer_bitmap_dither(const uint8_t *grey, int w, int h, struct printer_bitmap *ret);

#endif
