/* libFuzzer target for the HID-POS report reassembler (and the AIM/suffix stripper it
 * feeds).  Input: byte 0 picks the report size (6..64), the rest is cut into reports of
 * that size; a short tail is fed as a (malformed) report too. */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/scanner.h"
#include "drivers/scanner_hidpos.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	static struct hidpos_asm a;
	hidpos_init(&a);
	size_t rsz = 6 + data[0] % 59;
	const uint8_t sfx[2] = { '\r', '\n' };
	for (size_t off = 1; off < size; off += rsz) {
		size_t n = size - off < rsz ? size - off : rsz;
		int r = hidpos_feed(&a, data + off, n);
		assert(r == HIDPOS_MORE || r == HIDPOS_DONE || r == HIDPOS_IGNORED ||
		       r == SCANNER_EMALFORMED || r == SCANNER_EOVERLONG);
		assert(a.len <= SCANNER_MAX_SYMBOL);
		if (r == HIDPOS_DONE) {
			size_t o, l;
			char aim[4];
			scanner_strip(a.buf, a.len, sfx, sizeof sfx, &o, &l, aim);
			assert(o + l <= a.len);
			assert(strlen(aim) == 0 || strlen(aim) == 3);
		}
	}
	return 0;
}
