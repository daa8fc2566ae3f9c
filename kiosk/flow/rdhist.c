/* The readings history merge (rdhist.h). */
#include "kiosk/flow/rdhist.h"

#include <stdlib.h>
#include <string.h>

#include "kiosk/base/tz.h"

enum rdhist_status rdhist_status_parse(const char *status)
{
	static const struct { const char *word; enum rdhist_status st; } words[] = {
		{ "accepted", RDHIST_ACCEPTED },
		{ "suspect_decrease", RDHIST_SUSPECT_DECREASE },
		{ "suspect_jump", RDHIST_SUSPECT_JUMP },
		{ "superseded", RDHIST_SUPERSEDED },
	};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcmp(status, words[i].word) == 0)
			return words[i].st;
	return RDHIST_UNKNOWN;
}

static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int64_t rdhist_day_ms(const char *date)
{
	if (strlen(date) != 10 || date[4] != '-' || date[7] != '-')
		return -1;
	int y = digits(date, 4), m = digits(date + 5, 2), d = digits(date + 8, 2);
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	int64_t start = tz_date_start(y, m, d);
	return start == TZ_NONE ? -1 : start;
}

int rdhist_filter(const struct rdhist *h, const char *meter_id, int64_t since_ms, int *ret_idx, int cap)
{
	int n = 0;
	for (int i = 0; i < h->n && n < cap; i++)
		if (h->e[i].date_ms >= since_ms && strcmp(h->e[i].meter_id, meter_id) == 0)
			ret_idx[n++] = i;
	return n;
}
