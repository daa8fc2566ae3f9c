/* The rdhist merge (rdhist_merge.h). */
#include "kiosk/svc/rdhist_merge.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/base/tz.h"
#include "kiosk/svc/hist_keep.h"

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
	hist_keep_add(h->e, &h->n, RDHIST_MAX, sizeof h->e[0], offsetof(struct rdhist_entry, date_ms), e);
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
