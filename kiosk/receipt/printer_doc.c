/* The receipt document model: an ordered, capped list of items. */
#include "kiosk/receipt/printer_doc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/base/xalloc.h"

void receipt_doc_init(struct receipt_doc *d)
{
	memset(d, 0, sizeof *d);
}

void receipt_doc_free(struct receipt_doc *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++) {
		free(d->items[i].text);
		free(d->items[i].text2);
	}
	free(d->items);
	memset(d, 0, sizeof *d);
}

static struct rdoc_item *push(struct receipt_doc *d, enum rdoc_kind kind)
{
	if (d->n >= RDOC_MAX_ITEMS)
		return NULL;
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->items = xrealloc(d->items, d->cap * sizeof *d->items);
	}
	struct rdoc_item *it = &d->items[d->n++];
	memset(it, 0, sizeof *it);
	it->kind = kind;
	return it;
}

int receipt_doc_text(struct receipt_doc *d, enum rdoc_align align, unsigned flags, const char *utf8)
{
	if (!utf8 || align > RDOC_RIGHT)
		return RDOC_EINVAL;
	/* Count the lines first so that a failure leaves the document unchanged. */
	size_t lines = 1;
	for (const char *p = utf8, *nl; (nl = strchr(p, '\n')); p = nl + 1) {
		if ((size_t)(nl - p) > RDOC_MAX_TEXT)
			return RDOC_EFULL;
		lines++;
	}
	const char *last = strrchr(utf8, '\n');
	if (strlen(last ? last + 1 : utf8) > RDOC_MAX_TEXT)
		return RDOC_EFULL;
	if (d->n + lines > RDOC_MAX_ITEMS)
		return RDOC_EFULL;
	const char *p = utf8;
	for (size_t i = 0; i < lines; i++) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		struct rdoc_item *it = push(d, RDOC_TEXT);
		it->align = align;
		it->flags = flags & (RDOC_BOLD | RDOC_BIG);
		it->text = xstrndup(p, len);
		p = nl ? nl + 1 : p + len;
	}
	return RDOC_OK;
}

int receipt_doc_textf(struct receipt_doc *d, enum rdoc_align align, unsigned flags, const char *fmt, ...)
{
	char buf[RDOC_MAX_TEXT + 2];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0)
		return RDOC_EINVAL;
	if ((size_t)n >= sizeof buf)
		return RDOC_EFULL;
	return receipt_doc_text(d, align, flags, buf);
}

int receipt_doc_pair(struct receipt_doc *d, unsigned flags, const char *left, const char *right)
{
	if (!left || !right || strchr(left, '\n') || strchr(right, '\n'))
		return RDOC_EINVAL;
	if (strlen(left) + strlen(right) > RDOC_MAX_TEXT)
		return RDOC_EFULL;
	struct rdoc_item *it = push(d, RDOC_PAIR);
	if (!it)
		return RDOC_EFULL;
	it->flags = flags & (RDOC_BOLD | RDOC_BIG);
	it->text = xstrdup(left);
	it->text2 = xstrdup(right);
	return RDOC_OK;
}

int receipt_doc_qr(struct receipt_doc *d, const char *payload)
{
	if (!payload || !*payload)
		return RDOC_EINVAL;
	if (strlen(payload) > RDOC_MAX_QR)
		return RDOC_EFULL;
	struct rdoc_item *it = push(d, RDOC_QR);
	if (!it)
		return RDOC_EFULL;
	it->align = RDOC_CENTER;
	it->text = xstrdup(payload);
	return RDOC_OK;
}

static int simple(struct receipt_doc *d, enum rdoc_kind kind, int n)
{
	struct rdoc_item *it = push(d, kind);
	if (!it)
		return RDOC_EFULL;
	it->n = n;
	it->align = RDOC_CENTER;
	return RDOC_OK;
}

int receipt_doc_separator(struct receipt_doc *d) { return simple(d, RDOC_SEPARATOR, 0); }
int receipt_doc_logo(struct receipt_doc *d) { return simple(d, RDOC_LOGO, 0); }
int receipt_doc_cut(struct receipt_doc *d, bool partial) { return simple(d, RDOC_CUT, partial ? 1 : 0); }

int receipt_doc_feed(struct receipt_doc *d, int lines)
{
	if (lines < 1 || lines > 255)
		return RDOC_EINVAL;
	return simple(d, RDOC_FEED, lines);
}

void receipt_doc_copy(struct receipt_doc *ret, const struct receipt_doc *src)
{
	receipt_doc_init(ret);
	if (!src->n)
		return;
	ret->items = xcalloc(src->n, sizeof *ret->items);
	ret->cap = ret->n = src->n;
	for (size_t i = 0; i < src->n; i++) {
		ret->items[i] = src->items[i];
		ret->items[i].text = src->items[i].text ? xstrdup(src->items[i].text) : NULL;
		ret->items[i].text2 = src->items[i].text2 ? xstrdup(src->items[i].text2) : NULL;
	}
}
