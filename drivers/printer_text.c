/* The text form of a receipt_doc (the file printer's .txt): the paper's columns, one line
 * per item. */
#include <stdlib.h>
#include <string.h>

#include "drivers/escpos.h"
#include "drivers/printer_file.h"
#include "kiosk/base/xalloc.h"

static size_t utf8_len(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static void pad(char **out, size_t *len, size_t *cap, const char *s, size_t n)
{
	if (*len + n + 1 > *cap) {
		while (*len + n + 1 > *cap)
			*cap = *cap ? *cap * 2 : 256;
		*out = xrealloc(*out, *cap);
	}
	memcpy(*out + *len, s, n);
	*len += n;
	(*out)[*len] = 0;
}

static void spaces(char **out, size_t *len, size_t *cap, size_t n)
{
	for (size_t i = 0; i < n; i++)
		pad(out, len, cap, " ", 1);
}

char *printer_file_text(const struct receipt_doc *doc, int width_mm)
{
	return printer_text_cols(doc, (size_t)escpos_columns(width_mm));
}

char *printer_text_cols(const struct receipt_doc *doc, size_t cols)
{
	size_t len = 0, cap = 0;
	char *out = NULL;
	pad(&out, &len, &cap, "", 0);
	for (size_t i = 0; i < doc->n; i++) {
		const struct rdoc_item *it = &doc->items[i];
		size_t w = (it->flags & RDOC_BIG) ? cols / 2 : cols;
		switch (it->kind) {
		case RDOC_TEXT: {
			size_t n = utf8_len(it->text);
			if (n < w && it->align != RDOC_LEFT)
				spaces(&out, &len, &cap, it->align == RDOC_CENTER ? (w - n) / 2 : w - n);
			pad(&out, &len, &cap, it->text, strlen(it->text));
			break;
		}
		case RDOC_PAIR: {
			size_t l = utf8_len(it->text), r = utf8_len(it->text2);
			pad(&out, &len, &cap, it->text, strlen(it->text));
			if (l + r + 1 > w) {
				pad(&out, &len, &cap, "\n", 1);
				l = 0;
			}
			spaces(&out, &len, &cap, w > l + r ? w - l - r : 0);
			pad(&out, &len, &cap, it->text2, strlen(it->text2));
			break;
		}
		case RDOC_QR:
			pad(&out, &len, &cap, "[QR] ", 5);
			pad(&out, &len, &cap, it->text, strlen(it->text));
			break;
		case RDOC_SEPARATOR:
			for (size_t k = 0; k < cols; k++)
				pad(&out, &len, &cap, "-", 1);
			break;
		case RDOC_FEED:
			for (int k = 1; k < it->n; k++)
				pad(&out, &len, &cap, "\n", 1);
			break;
		case RDOC_LOGO:
			pad(&out, &len, &cap, "[logo]", 6);
			break;
		case RDOC_CUT:
			pad(&out, &len, &cap, it->n ? "- - - partial cut - - -" : "- - - cut - - -", it->n ? 23 : 15);
			break;
		}
		pad(&out, &len, &cap, "\n", 1);
	}
	return out;
}

