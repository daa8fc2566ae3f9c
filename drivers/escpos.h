#ifndef DRIVERS_ESCPOS_H
#define DRIVERS_ESCPOS_H
/* ESC/POS encoder: pure, builds a capped byte buffer; no I/O.
 *
 * Every appender returns 0 or ESCPOS_EFULL (the buffer would pass its cap: nothing is
 * appended and the buffer stays "overflowed", so a caller may append a whole receipt and
 * check once) or ESCPOS_EINVAL.  Text is UTF-8 and converted to CP866 by our own table
 * (escpos_cp866_*): every Cyrillic letter incl. Ё/ё, №, box drawing; a few typographic
 * characters are substituted (₽ -> "р.", NBSP/narrow NBSP -> space, dashes -> '-',
 * «» -> '"'); anything else prints as '?'. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kiosk/receipt/printer_doc.h"
#include "drivers/printer_image.h"

enum { ESCPOS_OK = 0, ESCPOS_EFULL = -1, ESCPOS_EINVAL = -2 };

#define ESCPOS_DEFAULT_CODEPAGE 17   /* ESC t 17 = PC866 on Epson-compatible printers */
#define ESCPOS_MAX_JOB (1024 * 1024) /* a receipt with a raster logo fits easily */

struct escpos_buf {
	uint8_t *data;
	size_t len, cap, max;
	bool overflow;
};

void escpos_buf_init(struct escpos_buf *b, size_t max);
void escpos_buf_free(struct escpos_buf *b);
int escpos_raw(struct escpos_buf *b, const void *bytes, size_t n);

int escpos_init(struct escpos_buf *b);                       /* ESC @ */
int escpos_codepage(struct escpos_buf *b, int n);             /* ESC t n */
int escpos_bold(struct escpos_buf *b, bool on);               /* ESC E n */
int escpos_big(struct escpos_buf *b, bool on);                /* GS ! 0x11 / 0x00 */
int escpos_align(struct escpos_buf *b, enum rdoc_align a);    /* ESC a n */
int escpos_text(struct escpos_buf *b, const char *utf8);      /* CP866, no line feed */
int escpos_feed(struct escpos_buf *b, int lines);             /* LF x lines */
int escpos_cut(struct escpos_buf *b, bool partial);           /* GS V 1 / GS V 0 */

enum escpos_qr_ec { ESCPOS_QR_L = 48, ESCPOS_QR_M = 49, ESCPOS_QR_Q = 50, ESCPOS_QR_H = 51 };
/* Native QR: GS ( k  model 2, module size (1..16 dots), error level, store, print. */
int escpos_qr(struct escpos_buf *b, const uint8_t *payload, size_t n, int module, enum escpos_qr_ec ec);
/* GS v 0 raster image, normal density; bm in printer_image format. */
int escpos_raster(struct escpos_buf *b, const struct printer_bitmap *bm);

/* CP866 conversion.  to_cp866 writes at most cap-1 bytes and a NUL, returns the length
 * written (the conversion stops at a whole character).  from_cp866 writes UTF-8 likewise. */
size_t escpos_cp866_from_utf8(const char *utf8, char *out, size_t cap);
size_t escpos_cp866_to_utf8(const char *cp866, size_t n, char *out, size_t cap);
/* One code point -> CP866 byte, or 0 when the table has none. */
uint8_t escpos_cp866_byte(uint32_t cp);

struct escpos_opts {
	int codepage;                      /* ESC t n */
	int width_mm;                      /* 58 (32 columns) or 80 (48 columns) */
	bool qr_raster;                    /* GS v 0 image instead of GS ( k (old printers) */
	int qr_module;                     /* dots per module, 1..16 */
	enum escpos_qr_ec qr_ec;
	const struct printer_bitmap *logo; /* drawn for RDOC_LOGO items; NULL skips them */
};
void escpos_opts_default(struct escpos_opts *o);
/* Columns of Font A for the paper width (big text has half as many). */
int escpos_columns(int width_mm);
/* Encodes the whole document: ESC @, ESC t, then the items.  Returns 0 or an error. */
int escpos_render(struct escpos_buf *b, const struct receipt_doc *d, const struct escpos_opts *o);

#endif
