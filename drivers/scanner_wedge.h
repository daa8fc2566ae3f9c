#ifndef DRIVERS_SCANNER_WEDGE_H
#define DRIVERS_SCANNER_WEDGE_H
/* Keyboard-wedge decoder: USB HID boot keyboard reports (modifier byte, reserved byte,
 * six key usage codes) to bytes, independently of any OS keyboard layout: the usage codes
 * are read as the US layout the scanner was programmed for.  Only digits and printable
 * ASCII (plus Enter, which ends the symbol) are accepted; anything else (Alt+keypad
 * Cyrillic, Ctrl combinations, keys outside the US block) makes the symbol fail with
 * SCANNER_ELAYOUT at its Enter ("настройте сканер").  Pure. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drivers/scanner.h"

#define WEDGE_REPORT_LEN 8

enum { WEDGE_MORE = 0, WEDGE_DONE = 1 };

struct wedge_dec {
	uint8_t prev[6];
	uint8_t buf[SCANNER_MAX_SYMBOL];
	size_t len;
	int err;
	bool delivered; /* buf holds the symbol returned last time */
};

void wedge_init(struct wedge_dec *w);
/* Feeds one report (n must be WEDGE_REPORT_LEN, else SCANNER_EMALFORMED and nothing
 * changes).  Returns WEDGE_MORE, WEDGE_DONE (symbol in w->buf[0..w->len), valid until
 * the next key press) or, at the Enter of a bad symbol, SCANNER_ELAYOUT / SCANNER_EOVERLONG. */
int wedge_feed(struct wedge_dec *w, const uint8_t *rep, size_t n);

#endif
