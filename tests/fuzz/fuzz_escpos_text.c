/* libFuzzer target for the UTF-8 -> CP866 conversion and the receipt renderer: arbitrary
 * bytes as text lines and pairs; CP866 -> UTF-8 -> CP866 must round-trip. */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/escpos.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = 0;
	char cp[8192 + 1], utf[3 * 8192 + 1], back[8192 + 1];
	size_t n = escpos_cp866_from_utf8(text, cp, sizeof cp);
	assert(n <= 2 * size);
	/* every CP866 byte maps to one code point and back (NUL ends the C string) */
	size_t u = escpos_cp866_to_utf8(cp, n, utf, sizeof utf);
	assert(u <= 3 * n);
	size_t m = escpos_cp866_from_utf8(utf, back, sizeof back);
	assert(m == n && memcmp(back, cp, n) == 0);

	struct receipt_doc d;
	receipt_doc_init(&d);
	receipt_doc_text(&d, (enum rdoc_align)(size % 3), (unsigned)size & 3, text);
	receipt_doc_pair(&d, 0, text, "1 234,56 ₽");
	struct escpos_opts o;
	escpos_opts_default(&o);
	o.width_mm = size % 2 ? 58 : 80;
	struct escpos_buf b;
	escpos_buf_init(&b, 0);
	int r = escpos_render(&b, &d, &o);
	assert(r == ESCPOS_OK);
	assert(b.len >= 5 && memcmp(b.data, "\x1b@\x1bt", 4) == 0);
	escpos_buf_free(&b);
	receipt_doc_free(&d);
	free(text);
	return 0;
}
