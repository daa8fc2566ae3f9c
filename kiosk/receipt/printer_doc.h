#ifndef KIOSK_PRINTER_DOC_H
#define KIOSK_PRINTER_DOC_H
/* A receipt document: what to print, described once.  Receipts, bill copies and shift
 * reports build one of these; the ESC/POS encoder (escpos.h) and the file renderer
 * (printer_file.h) both draw it, so the paper and the demo PNG cannot disagree.
 *
 * Items are kept in order.  Text is UTF-8, one line per item (a '\n' in the text starts a
 * new item with the same attributes).  Every adder returns 0, RDOC_EFULL when the document
 * reached its caps (RDOC_MAX_ITEMS items, RDOC_MAX_TEXT bytes per text, RDOC_MAX_QR bytes
 * per QR payload) or RDOC_EINVAL; the document is unchanged on failure.
 * Not thread-safe: build it on one thread, then hand it over (printer_service_submit). */
#include <stdbool.h>
#include <stddef.h>

enum rdoc_kind {
	RDOC_TEXT,      /* text, align, flags */
	RDOC_PAIR,      /* text on the left, text2 flush right on the same line */
	RDOC_QR,        /* text = payload (bytes as given) */
	RDOC_SEPARATOR, /* a full-width rule */
	RDOC_FEED,      /* n empty lines */
	RDOC_LOGO,      /* the configured logo image, centred */
	RDOC_CUT,       /* n = 1 partial, 0 full */
};

enum rdoc_align { RDOC_LEFT, RDOC_CENTER, RDOC_RIGHT };

#define RDOC_BOLD 1u
#define RDOC_BIG  2u   /* double width and height */

#define RDOC_MAX_ITEMS 512
#define RDOC_MAX_TEXT 512
#define RDOC_MAX_QR 2048

enum { RDOC_OK = 0, RDOC_EFULL = -1, RDOC_EINVAL = -2 };

struct rdoc_item {
	enum rdoc_kind kind;
	enum rdoc_align align;
	unsigned flags;
	char *text;   /* owned; NULL when the kind has none */
	char *text2;  /* RDOC_PAIR right column */
	int n;
};

struct receipt_doc {
	struct rdoc_item *items;
	size_t n, cap;
};

void receipt_doc_init(struct receipt_doc *d);
/* Frees the items; d may then be reused after receipt_doc_init.  NULL is a no-op. */
void receipt_doc_free(struct receipt_doc *d);
int receipt_doc_text(struct receipt_doc *d, enum rdoc_align align, unsigned flags, const char *utf8);
int receipt_doc_textf(struct receipt_doc *d, enum rdoc_align align, unsigned flags,
		      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int receipt_doc_pair(struct receipt_doc *d, unsigned flags, const char *left, const char *right);
int receipt_doc_qr(struct receipt_doc *d, const char *payload);
int receipt_doc_separator(struct receipt_doc *d);
int receipt_doc_feed(struct receipt_doc *d, int lines);
int receipt_doc_logo(struct receipt_doc *d);
int receipt_doc_cut(struct receipt_doc *d, bool partial);
/* Deep copy into ret (initialised by the call). */
void receipt_doc_copy(struct receipt_doc *ret, const struct receipt_doc *src);

#endif
