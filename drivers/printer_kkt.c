/* The fiscal register as the receipt printer: see printer_kkt.h. */
#include "drivers/printer_kkt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/printer_file.h"
#include "kiosk/base/xalloc.h"

/* The document without what the register cannot print as text (logo, QR), with plain
 * widths (no double-size) and no cut of its own. */
static void text_only(const struct receipt_doc *doc, struct receipt_doc *ret)
{
	receipt_doc_init(ret);
	for (size_t i = 0; i < doc->n; i++) {
		const struct rdoc_item *it = &doc->items[i];
		switch (it->kind) {
		case RDOC_TEXT: receipt_doc_text(ret, it->align, 0, it->text); break;
		case RDOC_PAIR: receipt_doc_pair(ret, 0, it->text, it->text2); break;
		case RDOC_SEPARATOR: receipt_doc_separator(ret); break;
		case RDOC_FEED: receipt_doc_feed(ret, it->n); break;
		case RDOC_QR: case RDOC_LOGO: case RDOC_CUT: break;
		}
	}
}

/* Appends src's line (n bytes) to out, wrapped at cols characters. */
static size_t wrap(const char *src, size_t n, size_t cols, char *out)
{
	size_t o = 0, chars = 0;
	for (size_t i = 0; i < n; i++) {
		bool lead = ((unsigned char)src[i] & 0xC0) != 0x80;
		if (lead && chars == cols) {
			out[o++] = '\n';
			chars = 0;
		}
		out[o++] = src[i];
		chars += lead;
	}
	out[o++] = '\n';
	return o;
}

char *printer_kkt_text(const struct receipt_doc *doc, int cols)
{
	struct receipt_doc plain;
	text_only(doc, &plain);
	char *t = printer_text_cols(&plain, (size_t)cols);
	receipt_doc_free(&plain);
	size_t n = strlen(t);
	char *out = xmalloc(2 * n + 2), *o = out; /* at worst a '\n' after every byte */
	for (const char *p = t; *p;) {
		size_t len = strcspn(p, "\n");
		o += wrap(p, len, (size_t)cols, o);
		p += len + (p[len] == '\n');
	}
	if (o > out)
		o--; /* no empty line after the last */
	*o = '\0';
	free(t);
	return out;
}

static int kkt_status(struct printer_dev *d, enum printer_state *ret)
{
	const struct printer_kkt_cfg *c = d->impl;
	int paper = c->paper(c->ctx);
	if (paper < 0)
		return PRINTER_EOFFLINE;
	*ret = paper ? PRINTER_OK : PRINTER_PAPER_OUT;
	return PRINTER_EOK;
}

static int kkt_print(struct printer_dev *d, const struct receipt_doc *doc, const char *tag)
{
	const struct printer_kkt_cfg *c = d->impl;
	(void)tag;
	char *text = printer_kkt_text(doc, c->cols);
	int rc = c->print(c->ctx, text);
	free(text);
	/* Out of paper is what the state says next, as with any printer: the service then
	 * waits for paper and prints the whole text again. */
	return rc == PRINTER_EIO && c->paper(c->ctx) == 0 ? PRINTER_EOK : rc;
}

static void kkt_destroy(struct printer_dev *d)
{
	free(d->impl);
	free(d);
}

static const struct printer_dev_ops kkt_ops = {
	.status = kkt_status, .print = kkt_print, .destroy = kkt_destroy,
};

struct printer_dev *printer_kkt_new(const struct printer_kkt_cfg *c)
{
	struct printer_dev *d = xcalloc(1, sizeof *d);
	struct printer_kkt_cfg *impl = xmalloc(sizeof *impl);
	*impl = *c;
	d->ops = &kkt_ops;
	d->impl = impl;
	snprintf(d->desc, sizeof d->desc, "fiscal register, %d characters a line", c->cols);
	return d;
}
