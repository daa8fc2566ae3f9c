#ifndef KIOSK_FORMAT_H
#define KIOSK_FORMAT_H
/* How the kiosk writes an account number and a meter reading — one place for the screens,
 * the receipts and the bill copy (dates: kiosk/tz.h).  Pure; each returns buf. */
#include <stddef.h>
#include <stdint.h>

/* "50012345" -> "50012-345" (the printed form); other lengths unchanged. */
const char *fmt_pers_acc(const char *digits, char *buf, size_t cap);
/* A reading in thousandths with the meter's decimals (0..3): 123456, 3 -> "123,456". */
const char *fmt_reading(int64_t milli, int decimals, char *buf, size_t cap);

#endif
