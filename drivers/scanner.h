#ifndef DRIVERS_SCANNER_H
#define DRIVERS_SCANNER_H
/* Barcode scanner: the pieces every scanner transport shares (pure, no I/O).
 *
 *  - Symbols are raw bytes, at most SCANNER_MAX_SYMBOL; never keyboard-layout dependent.
 *  - scanner_strip removes an AIM symbology prefix (`]` letter modifier: `]Q1`, `]d2`,
 *    `]C0`, `]E0`…) and the configured suffix (scanner.suffix, hex such as 0d0a).  The
 *    payload parser (EPD) never sees either.
 *  - scanner_dedupe delivers a symbol once even when the scanner reports it twice within
 *    SCANNER_DEDUPE_MS (caller-supplied time, so tests need no clock).
 *  - Errors are codes the UI maps to text: SCANNER_ELAYOUT means the symbol needs
 *    characters a keyboard wedge cannot send layout-independently: the UI shows
 *    "настройте сканер" (string key scanner_error_key()). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SCANNER_MAX_SYMBOL 4096
#define SCANNER_MAX_SUFFIX 8
#define SCANNER_DEDUPE_MS 1000

enum {
	SCANNER_OK = 0,
	SCANNER_EMALFORMED = -1, /* a report that breaks the layout; the partial symbol is dropped */
	SCANNER_EOVERLONG = -2,  /* more than SCANNER_MAX_SYMBOL bytes; dropped whole */
	SCANNER_ELAYOUT = -3,    /* keyboard wedge: not plain ASCII -> "настройте сканер" */
};

enum scanner_state { SCANNER_STATE_OK, SCANNER_STATE_ABSENT, SCANNER_STATE_ERROR };

const char *scanner_state_name(enum scanner_state s);
/* The strings key the UI shows for an error code ("scanner.configure", …). */
const char *scanner_error_key(int err);

/* Parses a hex suffix ("0d0a", "" = none) into out; returns its length, or -1 when it is
 * not even-length hex or longer than cap. */
int scanner_parse_suffix(const char *hex, uint8_t *out, size_t cap);

/* Finds the payload inside data[0..n): after an AIM prefix, before the suffix (sn bytes,
 * 0 = none).  Writes the offset and length; ret_aim (4 bytes) gets the AIM id ("]Q1") or
 * "" when there was none.  Pure; always succeeds. */
void scanner_strip(const uint8_t *data, size_t n, const uint8_t *suffix, size_t sn,
		   size_t *ret_off, size_t *ret_len, char ret_aim[4]);

struct scanner_dedupe {
	uint8_t last[SCANNER_MAX_SYMBOL];
	size_t len;
	int64_t at_ms;
	bool have;
};
void scanner_dedupe_init(struct scanner_dedupe *d);
/* True when data should be delivered: it differs from the last delivered symbol or that
 * one was delivered SCANNER_DEDUPE_MS or more before now_ms. */
bool scanner_dedupe_accept(struct scanner_dedupe *d, const uint8_t *data, size_t n, int64_t now_ms);

#endif
