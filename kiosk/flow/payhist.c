/* The history merge (payhist.h). */
#include "kiosk/flow/payhist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/base/tz.h"

enum payhist_where payhist_where_parse(const char *source)
{
	if (strcmp(source, "kiosk") == 0)
		return PAYHIST_KIOSK;
	if (strcmp(source, "bank") == 0)
		return PAYHIST_BANK;
	if (strcmp(source, "office") == 0)
		return PAYHIST_OFFICE;
	return PAYHIST_OTHER;
}

enum payhist_status payhist_status_parse(const char *status)
{
	if (strcmp(status, "accepted") == 0)
		return PAYHIST_ACCEPTED;
	if (strcmp(status, "credited") == 0)
		return PAYHIST_CREDITED;
	if (strcmp(status, "returned") == 0)
		return PAYHIST_RETURNED;
	return PAYHIST_UNKNOWN;
}

int64_t payhist_since_ms(int64_t now_ms, int months)
{
	return tz_month_start(now_ms, months > 0 ? months - 1 : 0);
}

void payhist_from_month(int64_t now_ms, int months, char ret[8])
{
	struct tz_civil c;
	tz_local(payhist_since_ms(now_ms, months), &c);
	int y = c.year, m = c.month;
	ret[0] = (char)('0' + y / 1000 % 10);
	ret[1] = (char)('0' + y / 100 % 10);
	ret[2] = (char)('0' + y / 10 % 10);
	ret[3] = (char)('0' + y % 10);
	ret[4] = '-';
	ret[5] = (char)('0' + m / 10);
	ret[6] = (char)('0' + m % 10);
	ret[7] = '\0';
}

int payhist_filter(const struct payhist *h, int64_t since_ms, int *ret_idx, int cap)
{
	int n = 0;
	for (int i = 0; i < h->n && n < cap; i++)
		if (h->e[i].date_ms >= since_ms)
			ret_idx[n++] = i;
	return n;
}
