/* Decimal keypad entry (numentry.h). */
#include "kiosk/flow/numentry.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

int numentry_decimals(const char *s)
{
	const char *c = strchr(s, ',');
	return c ? (int)strlen(c + 1) : 0;
}

static enum numentry_result add_digit(char *buf, size_t cap, char d, int whole, int decimals)
{
	size_t n = strlen(buf);
	const char *comma = strchr(buf, ',');
	if (comma) {
		if (numentry_decimals(buf) >= decimals)
			return NUMENTRY_REFUSED;
	} else if (n == 1 && buf[0] == '0') {
		buf[0] = d; /* "0" then 5 is 5, as on paper */
		return NUMENTRY_CHANGED;
	} else if ((int)n >= whole) {
		return NUMENTRY_REFUSED;
	}
	if (n + 1 >= cap)
		return NUMENTRY_REFUSED;
	buf[n] = d;
	buf[n + 1] = '\0';
	return NUMENTRY_CHANGED;
}

enum numentry_result numentry_key(char *buf, size_t cap, const char *key, int whole, int decimals)
{
	size_t n = strlen(buf);
	if (strcmp(key, "del") == 0) {
		if (n == 0)
			return NUMENTRY_REFUSED;
		buf[n - 1] = '\0';
		return NUMENTRY_CHANGED;
	}
	if (strcmp(key, "comma") == 0) {
		if (decimals <= 0 || strchr(buf, ','))
			return NUMENTRY_REFUSED;
		const char *add = n ? "," : "0,";
		if (n + strlen(add) >= cap)
			return NUMENTRY_REFUSED;
		memcpy(buf + n, add, strlen(add) + 1);
		return NUMENTRY_CHANGED;
	}
	if (key[0] >= '0' && key[0] <= '9' && key[1] == '\0')
		return add_digit(buf, cap, key[0], whole, decimals);
	return NUMENTRY_NOT_KEY;
}

int numentry_milli(const char *s, int decimals, int64_t *ret_milli)
{
	int64_t whole = 0, frac = 0;
	int nfrac = 0, nwhole = 0;
	bool after = false;
	for (const char *p = s; *p; p++) {
		if (*p == ',' && !after) {
			after = true;
		} else if (*p < '0' || *p > '9') {
			return -1;
		} else if (after) {
			if (++nfrac > 3 || nfrac > decimals)
				return -1;
			frac = frac * 10 + (*p - '0');
		} else {
			nwhole++;
			if (__builtin_mul_overflow(whole, 10, &whole) || __builtin_add_overflow(whole, *p - '0', &whole))
				return -1;
		}
	}
	if (nwhole == 0 && nfrac == 0)
		return -1;
	for (int i = nfrac; i < 3; i++)
		frac *= 10;
	int64_t v;
	if (__builtin_mul_overflow(whole, 1000, &v) || __builtin_add_overflow(v, frac, &v))
		return -1;
	*ret_milli = v;
	return 0;
}

char *numentry_money(kopecks v, const char *tmpl, char *buf, size_t cap)
{
	char m[MONEY_FMT_MAX];
	money_format(v, false, m, sizeof m);
	char *comma = strrchr(m, ',');
	const char *kop = "00";
	if (comma) {
		*comma = '\0';
		kop = comma + 1;
	}
	const char *a = strstr(tmpl, "{}");
	const char *b = a ? strstr(a + 2, "{}") : NULL;
	if (!a || !b)
		snprintf(buf, cap, "%s", tmpl);
	else
		snprintf(buf, cap, "%.*s%s%.*s%s%s", (int)(a - tmpl), tmpl, m, (int)(b - a - 2), a + 2, kop, b + 2);
	return buf;
}
