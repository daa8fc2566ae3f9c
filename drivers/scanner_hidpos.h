#ifndef DRIVERS_SCANNER_HIDPOS_H
#define DRIVERS_SCANNER_HIDPOS_H
/* USB HID Point-of-Sale (usage page 0x8C) Scanned Data Report reassembler: pure.
 * Layout (docs/scanner.md): a report of R bytes (R >= 6, fixed by the device):
 *   [0]        report id 0x02
 *   [1]        L = number of symbol bytes in this report
 *   [2..2+L)   symbol data (the data area is R-6 bytes; the rest is padding)
 *   [R-4..R-2] symbology identifier (AIM: ']' letter modifier, or zeros)
 *   bit 0: more data follows in the next report
 * A symbol spread over several reports is joined; the AIM id of its first report is kept.
 * Reports with another id are ignored (HIDPOS_IGNORED).  A symbol longer than
 * SCANNER_MAX_SYMBOL is dropped whole: SCANNER_EOVERLONG is returned once, at its last
 * report.  A malformed report (short, L too large) drops the partial symbol:
 * SCANNER_EMALFORMED. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drivers/scanner.h"

#define HIDPOS_REPORT_ID 0x02

enum { HIDPOS_MORE = 0, HIDPOS_DONE = 1, HIDPOS_IGNORED = 2 };

struct hidpos_asm {
	uint8_t buf[SCANNER_MAX_SYMBOL];
	size_t len;
	bool started, discarding;
	char aim[4];
};

void hidpos_init(struct hidpos_asm *a);
/* Feeds one report.  On HIDPOS_DONE the symbol is a->buf[0..a->len) with a->aim, valid
 * until the next call. */
int hidpos_feed(struct hidpos_asm *a, const uint8_t *rep, size_t n);

#endif
