#ifndef DRIVERS_SCANNER_SERVICE_H
#define DRIVERS_SCANNER_SERVICE_H
/* The scanner service: one thread reading a transport and delivering symbols.
 *  - mode HIDPOS: each read is one HID-POS input report (scanner_usb.h), reassembled by
 *    scanner_hidpos; WEDGE: each read is one boot-keyboard report (scanner_wedge);
 *    TTY: a byte stream cut at the suffix (scanner_line).
 *  - Every symbol has its AIM prefix and the configured suffix stripped, is suppressed if
 *    it repeats the last one within SCANNER_DEDUPE_MS, and goes to on_symbol (from the
 *    service thread: the callback copies what it needs and must not block).
 *  - Bad reads go to on_error (SCANNER_ELAYOUT -> "настройте сканер").
 *  - State: OK while the transport is open, ABSENT while the device is missing or gone
 *    (reopened with backoff from backoff_min_ms doubling to backoff_max_ms), ERROR when
 *    it cannot be opened for another reason (permission).  Reported on change. */
#include <stddef.h>
#include <stdint.h>

#include "drivers/scanner.h"
#include "drivers/transport.h"

enum scanner_mode { SCANNER_MODE_HIDPOS, SCANNER_MODE_WEDGE, SCANNER_MODE_TTY };

struct scanner_service_cfg {
	struct transport *t;   /* owned by the service from start */
	enum scanner_mode mode;
	uint8_t suffix[SCANNER_MAX_SUFFIX];
	size_t suffix_len;
	int backoff_min_ms;    /* default 100 */
	int backoff_max_ms;    /* default 5000 */
	int64_t (*now_ms)(void *ud);  /* for the dedupe window; NULL = CLOCK_MONOTONIC */
	void (*on_symbol)(void *ud, const uint8_t *data, size_t len, const char *aim);
	void (*on_error)(void *ud, int err);
	void (*on_state)(void *ud, enum scanner_state st);
	void *ud;
};

struct scanner_service;

/* Parses "hidpos|wedge|tty"; -1 when unknown. */
int scanner_mode_parse(const char *s);
void scanner_service_cfg_default(struct scanner_service_cfg *c);
/* NULL when the thread cannot start (the transport is then destroyed). */
struct scanner_service *scanner_service_start(const struct scanner_service_cfg *c);
enum scanner_state scanner_service_state(struct scanner_service *s);
/* Stops and joins the thread, destroys the transport.  NULL is a no-op. */
void scanner_service_stop(struct scanner_service *s);

#endif
