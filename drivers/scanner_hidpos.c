/* HID-POS Scanned Data Report reassembly. */
#include "drivers/scanner_hidpos.h"

#include <string.h>

void hidpos_init(struct hidpos_asm *a)
{
	memset(a, 0, sizeof *a);
}

static void reset(struct hidpos_asm *a)
{
	a->len = 0;
	a->started = false;
	a->discarding = false;
	a->aim[0] = 0;
}

int hidpos_feed(struct hidpos_asm *a, const uint8_t *rep, size_t n)
{
	if (n >= 1 && rep[0] != HIDPOS_REPORT_ID)
		return HIDPOS_IGNORED;
	if (n < 6 || rep[1] > n - 6) {
		reset(a);
		return SCANNER_EMALFORMED;
	}
	if (!a->started) {
		/* a->len may hold the previous, already delivered symbol */
		a->len = 0;
		a->started = true;
		const uint8_t *sym = rep + n - 4;
		if (sym[0] == ']') {
			memcpy(a->aim, sym, 3);
			a->aim[3] = 0;
		} else {
			a->aim[0] = 0;
		}
	}
	size_t l = rep[1];
	bool more = rep[n - 1] & 1;
	if (!a->discarding) {
		if (l > SCANNER_MAX_SYMBOL - a->len)
			a->discarding = true;
		else {
			memcpy(a->buf + a->len, rep + 2, l);
			a->len += l;
		}
	}
	if (more)
		return HIDPOS_MORE;
	if (a->discarding) {
		reset(a);
		return SCANNER_EOVERLONG;
	}
	a->started = false;
	return HIDPOS_DONE;
}
