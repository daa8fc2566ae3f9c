/* libFuzzer target for the keyboard-wedge decoder and the serial framer: the input is cut
 * into 8-byte boot keyboard reports for one, fed as a byte stream to the other. */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "drivers/scanner.h"
#include "drivers/scanner_line.h"
#include "drivers/scanner_wedge.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void emit(void *ud, int rc, const uint8_t *d, size_t n)
{
	(void)ud;
	assert(rc == SCANNER_OK || rc == SCANNER_EOVERLONG);
	assert(n <= SCANNER_MAX_SYMBOL);
	assert(rc != SCANNER_OK || (d && n > 0));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct wedge_dec w;
	static struct scanner_line l;
	wedge_init(&w);
	for (size_t off = 0; off + WEDGE_REPORT_LEN <= size; off += WEDGE_REPORT_LEN) {
		int r = wedge_feed(&w, data + off, WEDGE_REPORT_LEN);
		assert(r == WEDGE_MORE || r == WEDGE_DONE || r == SCANNER_ELAYOUT || r == SCANNER_EOVERLONG);
		assert(w.len <= SCANNER_MAX_SYMBOL);
		if (r == WEDGE_DONE)
			for (size_t i = 0; i < w.len; i++)
				assert(w.buf[i] >= 0x20 && w.buf[i] < 0x7F);
	}
	scanner_line_init(&l, (const uint8_t *)"\r\n", size % 3);
	scanner_line_feed(&l, data, size, emit, NULL);
	return 0;
}
