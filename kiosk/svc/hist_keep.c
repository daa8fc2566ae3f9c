#include "kiosk/svc/hist_keep.h"

#include <string.h>

static int64_t date_at(const void *list, int i, size_t size, size_t date_off)
{
	int64_t d;
	memcpy(&d, (const unsigned char *)list + (size_t)i * size + date_off, sizeof d);
	return d;
}

int hist_keep_slot(const void *list, int n, int cap, size_t size, size_t date_off, int64_t date)
{
	if (n < cap)
		return n;
	int oldest = 0;
	for (int i = 1; i < n; i++)
		if (date_at(list, i, size, date_off) < date_at(list, oldest, size, date_off))
			oldest = i;
	return n > 0 && date > date_at(list, oldest, size, date_off) ? oldest : -1;
}

bool hist_keep_add(void *list, int *n, int cap, size_t size, size_t date_off, const void *entry)
{
	int64_t date;
	memcpy(&date, (const unsigned char *)entry + date_off, sizeof date);
	int i = hist_keep_slot(list, *n, cap, size, date_off, date);
	if (i < 0)
		return false;
	memcpy((unsigned char *)list + (size_t)i * size, entry, size);
	if (i == *n)
		(*n)++;
	return true;
}
