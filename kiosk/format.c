#include "kiosk/format.h"

#include <stdio.h>
#include <string.h>

const char *fmt_pers_acc(const char *d, char *buf, size_t cap)
{
	if (strlen(d) == 8)
		snprintf(buf, cap, "%.5s-%.3s", d, d + 5);
	else
		snprintf(buf, cap, "%s", d);
	return buf;
}

const char *fmt_reading(int64_t milli, int decimals, char *buf, size_t cap)
{
	decimals = decimals < 0 ? 0 : decimals > 3 ? 3 : decimals;
	int64_t p = 1, q = 1;
	for (int i = decimals; i < 3; i++)
		p *= 10;
	for (int i = 0; i < decimals; i++)
		q *= 10;
	int64_t scaled = milli / p;
	if (decimals == 0)
		snprintf(buf, cap, "%lld", (long long)scaled);
	else
		snprintf(buf, cap, "%lld,%0*lld", (long long)(scaled / q), decimals, (long long)(scaled % q));
	return buf;
}
