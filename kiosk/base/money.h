#ifndef KIOSK_MONEY_H
#define KIOSK_MONEY_H
/* Money is int64_t kopecks, never floating point.  Arithmetic is checked: it returns false
 * (and leaves *ret untouched) on overflow or a negative result where none is allowed. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int64_t kopecks;

/* Largest amount any one payment or line may carry: 999 999 999 999,99 ₽ fits easily. */
#define MONEY_MAX ((kopecks)INT64_MAX / 4)

/* A result nobody checks is an overflow nobody sees: the compiler refuses to ignore one. */
#define MONEY_CHECKED __attribute__((warn_unused_result))

MONEY_CHECKED bool money_add(kopecks a, kopecks b, kopecks *ret);
MONEY_CHECKED bool money_sub(kopecks a, kopecks b, kopecks *ret);
/* The sum of n amounts; false when any partial sum overflows. */
MONEY_CHECKED bool money_sum(const kopecks *v, int n, kopecks *ret);

/* "1 234,56 ₽" (narrow no-break space as thousands separator, comma decimals, the ruble
 * sign).  with_sign false omits " ₽".  Returns buf. */
char *money_format(kopecks v, bool with_sign, char *buf, size_t len);
#define MONEY_FMT_MAX 40

/* Parses "4523.16", "4523,16", "4 523,16" or "4523" (rubles) into kopecks; false on anything
 * else (more than 2 decimals, signs, letters, overflow). */
MONEY_CHECKED bool money_parse_rub(const char *s, kopecks *ret);

#endif
