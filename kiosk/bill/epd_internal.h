#ifndef KIOSK_EPD_INTERNAL_H
#define KIOSK_EPD_INTERNAL_H
/* Pieces of the bill QR decoder shared between its files (epd.c, epd_charset.c,
 * epd_check.c); not for other modules.  All pure. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Strict UTF-8 (no overlongs, surrogates or code points above U+10FFFF).  *ret_high is
 * set when any byte is >= 0x80. */
bool epd_utf8_valid(const uint8_t *s, size_t n, bool *ret_high);

enum epd_charset { EPD_CS_CP1251, EPD_CS_KOI8R };
/* Converts N bytes of CS to UTF-8 into OUT (room for 3 * n bytes).  Returns the bytes
 * written, or -1 when a byte is undefined in CS (0x98 in windows-1251). */
long epd_charset_to_utf8(enum epd_charset cs, const uint8_t *s, size_t n, char *out);

/* KPP: 4 digits, 2 of [0-9A-Z], 3 digits. */
bool epd_kpp_ok(const char *s);
/* PaymPeriod -> "YYYY-MM" in ret (8 bytes) from MMYYYY, MM.YYYY, YYYYMM, MMYY, MM.YY or
 * MYYYY; false (ret = "") otherwise. */
bool epd_period_normalise(const char *s, char ret[8]);
/* true when s is n > 0 ASCII digits and nothing else (s is NUL-terminated). */
bool epd_all_digits(const char *s, size_t n);

#endif
