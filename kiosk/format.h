#ifndef KIOSK_FORMAT_H
#define KIOSK_FORMAT_H
/* How the kiosk writes an account number, a date and a meter reading — one place for the
 * screens, the receipts and the bill copy.  Pure; each returns buf. */
#include <stddef.h>
#include <stdint.h>

/* "50012345" -> "50012-345" (the printed form); other lengths unchanged. */
const char *fmt_pers_acc(const char *digits, char *buf, size_t cap);
/* UTC ms -> "26.11.2026" in Moscow time (UTC+3 all year since 2014). */
const char *fmt_moscow_date(int64_t utc_ms, char *buf, size_t cap);
/* A reading in thousandths with the meter's decimals (0..3): 123456, 3 -> "123,456". */
const char *fmt_reading(int64_t milli, int decimals, char *buf, size_t cap);

#endif
