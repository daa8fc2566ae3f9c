#include "kiosk/base/money.h"

#include <stdio.h>
#include <string.h>

bool money_add(kopecks a, kopecks b, kopecks *ret)
{
	kopecks r;
	if (__builtin_add_overflow(a, b, &r))
		return false;
	*ret = r;
	return true;
}

bool money_sub(kopecks a, kopecks b, kopecks *ret)
{
	kopecks r;
	if (__builtin_sub_overflow(a, b, &r))
		return false;
	*ret = r;
	return true;
}

bool money_sum(const kopecks *v, int n, kopecks *ret)
{
	kopecks r = 0;
	for (int i = 0; i < n; i++)
		if (!money_add(r, v[i], &r))
			return false;
	*ret = r;
	return true;
}

char *money_format(kopecks v, bool with_sign, char *buf, size_t len)
{
	char digits[24];
	bool neg = v < 0;
	/* INT64_MIN has no positive counterpart: format through unsigned. */
	uint64_t u = neg ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	snprintf(digits, sizeof digits, "%llu", (unsigned long long)(u / 100));
	char out[MONEY_FMT_MAX + 16];
	size_t o = 0, n = strlen(digits);
	if (neg)
		out[o++] = '-';
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0) {
			/* U+202F NARROW NO-BREAK SPACE keeps "1 234" on one line. */
			memcpy(out + o, "\xE2\x80\xAF", 3);
			o += 3;
		}
		out[o++] = digits[i];
	}
	o += (size_t)snprintf(out + o, sizeof out - o, ",%02u", (unsigned)(u % 100));
	if (with_sign)
		o += (size_t)snprintf(out + o, sizeof out - o, "\xC2\xA0\xE2\x82\xBD");
	out[o] = '\0';
	snprintf(buf, len, "%s", out);
	return buf;
}

bool money_parse_rub(const char *s, kopecks *ret)
{
	kopecks rub = 0;
	int frac = -1, fd = 0;
	bool any = false;
	for (const char *p = s; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			if (frac >= 0) {
				if (fd == 2)
					return false;
				frac = frac * 10 + (*p - '0');
				fd++;
			} else {
				if (__builtin_mul_overflow(rub, 10, &rub) ||
				    __builtin_add_overflow(rub, *p - '0', &rub))
					return false;
			}
			any = true;
		} else if ((*p == '.' || *p == ',') && frac < 0) {
			frac = 0;
		} else if (*p == ' ' && frac < 0) {
			continue;
		} else {
			return false;
		}
	}
	if (!any)
		return false;
	if (frac < 0)
		frac = 0;
	else if (fd == 1)
		frac *= 10;
	kopecks r;
	if (__builtin_mul_overflow(rub, 100, &r) || __builtin_add_overflow(r, frac, &r) ||
	    r > MONEY_MAX)
		return false;
	*ret = r;
	return true;
}
