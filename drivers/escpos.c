/* ESC/POS encoder: command bytes into a capped buffer, and the receipt_doc renderer. */
#include "drivers/escpos.h"

#include <stdlib.h>
#include <string.h>

#include "kiosk/base/xalloc.h"

#define ESC 0x1B
#define GS 0x1D

void escpos_buf_init(struct escpos_buf *b, size_t max)
{
	memset(b, 0, sizeof *b);
	b->max = max ? max : ESCPOS_MAX_JOB;
}

void escpos_buf_free(struct escpos_buf *b)
{
	if (!b)
		return;
	free(b->data);
	memset(b, 0, sizeof *b);
}

int escpos_raw(struct escpos_buf *b, const void *bytes, size_t n)
{
	if (b->overflow || n > b->max - b->len) {
		b->overflow = true;
		return ESCPOS_EFULL;
	}
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n)
			cap *= 2;
		if (cap > b->max)
			cap = b->max;
		b->data = xrealloc(b->data, cap);
		b->cap = cap;
	}
	if (n)
		memcpy(b->data + b->len, bytes, n);
	b->len += n;
	return ESCPOS_OK;
}

static int cmd3(struct escpos_buf *b, uint8_t a, uint8_t c, uint8_t n)
{
	uint8_t s[3] = { a, c, n };
	return escpos_raw(b, s, 3);
}

int escpos_init(struct escpos_buf *b) { return escpos_raw(b, (const uint8_t[]){ ESC, '@' }, 2); }

int escpos_codepage(struct escpos_buf *b, int n)
{
	if (n < 0 || n > 255)
		return ESCPOS_EINVAL;
	return cmd3(b, ESC, 't', (uint8_t)n);
}

int escpos_bold(struct escpos_buf *b, bool on) { return cmd3(b, ESC, 'E', on ? 1 : 0); }
int escpos_big(struct escpos_buf *b, bool on) { return cmd3(b, GS, '!', on ? 0x11 : 0x00); }

int escpos_align(struct escpos_buf *b, enum rdoc_align a)
{
	if (a > RDOC_RIGHT)
		return ESCPOS_EINVAL;
	return cmd3(b, ESC, 'a', (uint8_t)a);
}

int escpos_text(struct escpos_buf *b, const char *utf8)
{
	size_t cap = strlen(utf8) * 2 + 1; /* ₽ is the only expansion: 3 bytes -> 2 */
	char *tmp = xmalloc(cap);
	size_t n = escpos_cp866_from_utf8(utf8, tmp, cap);
	int r = escpos_raw(b, tmp, n);
	free(tmp);
	return r;
}

int escpos_feed(struct escpos_buf *b, int lines)
{
	if (lines < 0 || lines > 255)
		return ESCPOS_EINVAL;
	for (int i = 0; i < lines; i++)
		if (escpos_raw(b, "\n", 1))
			return ESCPOS_EFULL;
	return ESCPOS_OK;
}

int escpos_cut(struct escpos_buf *b, bool partial) { return cmd3(b, GS, 'V', partial ? 1 : 0); }

/* GS ( k pL pH cn fn [params]: cn 49 = QR. */
static int qr_fn(struct escpos_buf *b, uint8_t fn, const uint8_t *par, size_t npar)
{
	size_t plen = npar + 2;
	uint8_t h[7] = { GS, '(', 'k', (uint8_t)(plen & 0xFF), (uint8_t)(plen >> 8), 49, fn };
	if (escpos_raw(b, h, sizeof h))
		return ESCPOS_EFULL;
	return escpos_raw(b, par, npar);
}

int escpos_qr(struct escpos_buf *b, const uint8_t *payload, size_t n, int module, enum escpos_qr_ec ec)
{
	if (!n || n > 7089 || module < 1 || module > 16 || ec < ESCPOS_QR_L || ec > ESCPOS_QR_H)
		return ESCPOS_EINVAL;
	int r = 0;
	r |= qr_fn(b, 65, (const uint8_t[]){ 50, 0 }, 2);          /* model 2 */
	r |= qr_fn(b, 67, (const uint8_t[]){ (uint8_t)module }, 1); /* module size */
	r |= qr_fn(b, 69, (const uint8_t[]){ (uint8_t)ec }, 1);     /* error correction */
	size_t plen = n + 3;
	uint8_t h[8] = { GS, '(', 'k', (uint8_t)(plen & 0xFF), (uint8_t)(plen >> 8), 49, 80, 48 };
	r |= escpos_raw(b, h, sizeof h);                            /* store */
	r |= escpos_raw(b, payload, n);
	r |= qr_fn(b, 81, (const uint8_t[]){ 48 }, 1);              /* print */
	return r ? ESCPOS_EFULL : ESCPOS_OK;
}

int escpos_raster(struct escpos_buf *b, const struct printer_bitmap *bm)
{
	if (!bm || bm->w <= 0 || bm->h <= 0 || bm->stride != (bm->w + 7) / 8 || bm->h > 0xFFFF)
		return ESCPOS_EINVAL;
	uint8_t h[8] = { GS, 'v', '0', 0, (uint8_t)(bm->stride & 0xFF), (uint8_t)(bm->stride >> 8),
			 (uint8_t)(bm->h & 0xFF), (uint8_t)(bm->h >> 8) };
	if (escpos_raw(b, h, sizeof h))
		return ESCPOS_EFULL;
	return escpos_raw(b, bm->bits, (size_t)bm->stride * (size_t)bm->h);
}

void escpos_opts_default(struct escpos_opts *o)
{
	memset(o, 0, sizeof *o);
	o->codepage = ESCPOS_DEFAULT_CODEPAGE;
	o->width_mm = 80;
	o->qr_module = 6;
	o->qr_ec = ESCPOS_QR_M;
}

int escpos_columns(int width_mm)
{
	return width_mm <= 58 ? 32 : 48;
}

/* Left text, spaces, right text to exactly cols columns (CP866 is one byte a column);
 * when both do not fit, the right text goes on its own line, flush right. */
static int pair(struct escpos_buf *b, const char *left, const char *right, int cols)
{
	char l[RDOC_MAX_TEXT * 2 + 1], r[RDOC_MAX_TEXT * 2 + 1];
	size_t ln = escpos_cp866_from_utf8(left, l, sizeof l);
	size_t rn = escpos_cp866_from_utf8(right, r, sizeof r);
	int rc = escpos_raw(b, l, ln);
	if (ln + rn + 1 > (size_t)cols) {
		rc |= escpos_raw(b, "\n", 1);
		ln = 0;
	}
	for (size_t i = ln; i + rn < (size_t)cols; i++)
		rc |= escpos_raw(b, " ", 1);
	rc |= escpos_raw(b, r, rn);
	return rc;
}

static int render_item(struct escpos_buf *b, const struct rdoc_item *it, const struct escpos_opts *o)
{
	int cols = escpos_columns(o->width_mm);
	bool bold = it->flags & RDOC_BOLD, big = it->flags & RDOC_BIG;
	int r = 0;
	switch (it->kind) {
	case RDOC_TEXT:
	case RDOC_PAIR:
		r |= escpos_align(b, it->kind == RDOC_PAIR ? RDOC_LEFT : it->align);
		if (bold)
			r |= escpos_bold(b, true);
		if (big)
			r |= escpos_big(b, true);
		if (it->kind == RDOC_TEXT)
			r |= escpos_text(b, it->text);
		else
			r |= pair(b, it->text, it->text2, big ? cols / 2 : cols);
		r |= escpos_raw(b, "\n", 1);
		if (big)
			r |= escpos_big(b, false);
		if (bold)
			r |= escpos_bold(b, false);
		return r;
	case RDOC_SEPARATOR:
		r |= escpos_align(b, RDOC_LEFT);
		for (int i = 0; i < cols; i++)
			r |= escpos_raw(b, "-", 1);
		return r | escpos_raw(b, "\n", 1);
	case RDOC_FEED:
		return escpos_feed(b, it->n);
	case RDOC_QR: {
		r |= escpos_align(b, RDOC_CENTER);
		size_t n = strlen(it->text);
		if (!o->qr_raster) {
			r |= escpos_qr(b, (const uint8_t *)it->text, n, o->qr_module, o->qr_ec);
		} else {
			struct printer_bitmap bm;
			if (printer_bitmap_qr((const uint8_t *)it->text, n, o->qr_module, &bm))
				return ESCPOS_EINVAL;
			r |= escpos_raster(b, &bm);
			printer_bitmap_free(&bm);
		}
		return r | escpos_raw(b, "\n", 1);
	}
	case RDOC_LOGO:
		if (!o->logo)
			return 0;
		r |= escpos_align(b, RDOC_CENTER);
		return r | escpos_raster(b, o->logo);
	case RDOC_CUT:
		r |= escpos_feed(b, 4); /* the cutter sits above the print head */
		return r | escpos_cut(b, it->n != 0);
	}
	return ESCPOS_EINVAL;
}

int escpos_render(struct escpos_buf *b, const struct receipt_doc *d, const struct escpos_opts *o)
{
	struct escpos_opts def;
	if (!o) {
		escpos_opts_default(&def);
		o = &def;
	}
	int r = escpos_init(b);
	if (!r)
		r = escpos_codepage(b, o->codepage);
	for (size_t i = 0; !r && i < d->n; i++) {
		r = render_item(b, &d->items[i], o);
		if (r == ESCPOS_EINVAL)
			return r;
	}
	if (b->overflow)
		return ESCPOS_EFULL;
	return r ? ESCPOS_EFULL : ESCPOS_OK;
}
