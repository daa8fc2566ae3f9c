/* The readings history merge (rdhist.h). */
#include "kiosk/rdhist.h"

#include <stdlib.h>
#include <string.h>

#include "kiosk/tz.h"

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

/* Is the center's entry (its day, as rdhist_day_ms() reads it: DAY) the local submission L?
 * The center dates a kiosk reading by its submission's day, in UTC (the simulator) or in
 * local time: the day matches when either calendar does. */
static bool same(const struct cjson_reading *c, int64_t day, const struct rdhist_local *l)
{
	if (strcmp(c->source, "kiosk") != 0 || strcmp(c->meter_id, l->meter_id) != 0 ||
	    c->value_milli != l->value_milli)
		return false;
	struct tz_civil u;
	tz_utc(l->submitted_ms, &u);
	return day == tz_day_start(l->submitted_ms) || day == tz_date_start(u.year, u.month, u.day);
}

static void add(struct rdhist *h, const struct rdhist_entry *e)
{
	if (h->n < RDHIST_MAX) {
		h->e[h->n++] = *e;
		return;
	}
	int oldest = 0;
	for (int i = 1; i < h->n; i++)
		if (h->e[i].date_ms < h->e[oldest].date_ms)
			oldest = i;
	if (e->date_ms > h->e[oldest].date_ms)
		h->e[oldest] = *e;
}

static int newest_first(const void *a, const void *b)
{
	const struct rdhist_entry *x = a, *y = b;
	if (x->date_ms != y->date_ms)
		return x->date_ms < y->date_ms ? 1 : -1;
	int c = strcmp(x->meter_id, y->meter_id);
	if (c)
		return c;
	return x->value_milli < y->value_milli ? 1 : x->value_milli > y->value_milli ? -1 : 0;
}

void rdhist_merge(const struct cjson_readings *center, const struct rdhist_local *local, int nlocal,
		  int64_t since_ms, struct rdhist *ret)
{
	ret->n = 0;
	ret->online = center != NULL;
	bool matched[RDHIST_MAX] = { false };
	if (nlocal > RDHIST_MAX)
		nlocal = RDHIST_MAX; /* the caller reads at most that many, newest first */
	for (int i = 0; center && i < center->n && i < CJSON_MAX_HISTORY; i++) {
		const struct cjson_reading *c = &center->r[i];
		int64_t day = rdhist_day_ms(c->date);
		if (day < 0 || day < since_ms)
			continue;
		struct rdhist_entry e = { .date_ms = day, .value_milli = c->value_milli,
					  .source = strcmp(c->source, "kiosk") == 0 ? RDHIST_KIOSK : RDHIST_CENTER,
					  .status = rdhist_status_parse(c->status) };
		memcpy(e.meter_id, c->meter_id, sizeof e.meter_id);
		e.meter_id[sizeof e.meter_id - 1] = '\0';
		for (int j = 0; j < nlocal; j++) {
			if (!matched[j] && same(c, day, &local[j])) {
				matched[j] = true;
				e.source = RDHIST_HERE;
				e.date_ms = local[j].submitted_ms; /* the exact moment is known here */
				break;
			}
		}
		add(ret, &e);
	}
	for (int j = 0; j < nlocal; j++) {
		const struct rdhist_local *l = &local[j];
		if (matched[j] || l->submitted_ms < since_ms)
			continue;
		struct rdhist_entry e = { .date_ms = l->submitted_ms, .value_milli = l->value_milli,
					  .source = RDHIST_HERE,
					  .status = l->acked ? RDHIST_ACCEPTED : RDHIST_IN_TRANSIT };
		memcpy(e.meter_id, l->meter_id, sizeof e.meter_id);
		e.meter_id[sizeof e.meter_id - 1] = '\0';
		add(ret, &e);
	}
	qsort(ret->e, (size_t)ret->n, sizeof ret->e[0], newest_first);
}

int rdhist_filter(const struct rdhist *h, const char *meter_id, int64_t since_ms, int *ret_idx, int cap)
{
	int n = 0;
	for (int i = 0; i < h->n && n < cap; i++)
		if (h->e[i].date_ms >= since_ms && strcmp(h->e[i].meter_id, meter_id) == 0)
			ret_idx[n++] = i;
	return n;
}
