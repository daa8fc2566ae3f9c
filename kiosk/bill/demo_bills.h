#ifndef KIOSK_DEMO_BILLS_H
#define KIOSK_DEMO_BILLS_H
/* The demo's bills without a scanner: `demo.bills` names a text file of bill QR payloads,
 * one per line (blank lines and `#` comments skipped).  The scan screen then shows one
 * button per bill (`demo_bill_<i>`, labelled with its account and sum), and a tap hands the
 * payload to the kiosk exactly as the scanner would.  Empty `demo.bills` (the default, and
 * every terminal): no panel, nothing read.
 *
 * Parsing is strict, as for the configuration: every payload must decode as a bill
 * (kiosk/bill/epd.h), at most DEMO_BILLS_MAX of them; otherwise the kiosk does not start and
 * says which line is wrong. */
#include <stddef.h>

#define DEMO_BILLS_MAX 4
#define DEMO_BILL_PAYLOAD 600
#define DEMO_BILL_LABEL 128

struct demo_bills {
	int n;
	struct {
		char payload[DEMO_BILL_PAYLOAD];
		char label[DEMO_BILL_LABEL]; /* "50012-345 · 4 523,16 ₽" */
	} bill[DEMO_BILLS_MAX];
};

/* Parses text (the file's contents).  0 and *ret filled, or -1 with err ("line N: why");
 * *ret is untouched on failure. */
int demo_bills_parse(const char *text, struct demo_bills *ret, char *err, size_t errcap);
/* Reads and parses the file at path. */
int demo_bills_load(const char *path, struct demo_bills *ret, char *err, size_t errcap);

#endif
