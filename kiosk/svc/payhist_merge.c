/* The payhist merge (payhist_merge.h). */
#include "kiosk/svc/payhist_merge.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/base/tz.h"
#include "kiosk/svc/hist_keep.h"

/* Is the center's entry one of our local payments? */
static bool same(const struct cjson_payment *c, const struct history_local_row *l)
{
	if (!c->ref[0])
		return false;
	if (strcmp(c->ref, l->txn_id) == 0)
		return true;
	return l->acked && l->server_ref[0] && strcmp(c->ref, l->server_ref) == 0;
}

static void fiscal_of(const struct history_local_row *l, struct payhist_entry *e)
{
	if (l->fd && l->fn_serial[0])
		snprintf(e->fiscal, sizeof e->fiscal, "ФН %s · ФД %u · ФП %u", l->fn_serial, l->fd, l->fp);
}

static void add(struct payhist *h, const struct payhist_entry *e)
{
	hist_keep_add(h->e, &h->n, PAYHIST_MAX, sizeof h->e[0], offsetof(struct payhist_entry, date_ms), e);
}

static int newest_first(const void *a, const void *b)
{
	const struct payhist_entry *x = a, *y = b;
	if (x->date_ms != y->date_ms)
		return x->date_ms < y->date_ms ? 1 : -1;
	return strcmp(x->ref, y->ref);
}

void payhist_merge(const struct cjson_payments *center, const struct history_local_row *local, int nlocal,
		   struct payhist *ret)
{
	ret->n = 0;
	ret->online = center != NULL;
	bool matched[PAYHIST_MAX] = { false };
	if (nlocal > PAYHIST_MAX)
		nlocal = PAYHIST_MAX; /* the caller reads at most that many, newest first */
	for (int i = 0; center && i < center->n; i++) {
		const struct cjson_payment *c = &center->p[i];
		struct payhist_entry e = { .date_ms = c->date_ms, .amount = c->amount,
					   .where = payhist_where_parse(c->source),
					   .status = payhist_status_parse(c->status) };
		memcpy(e.period, c->period, sizeof e.period);
		e.period[sizeof e.period - 1] = '\0';
		memcpy(e.ref, c->ref, sizeof e.ref);
		e.ref[sizeof e.ref - 1] = '\0';
		for (int k = 0; k < nlocal; k++) {
			if (!matched[k] && same(c, &local[k])) {
				matched[k] = true;
				e.where = PAYHIST_HERE;
				fiscal_of(&local[k], &e);
				break;
			}
		}
		add(ret, &e);
	}
	for (int k = 0; k < nlocal; k++) {
		const struct history_local_row *l = &local[k];
		if (matched[k])
			continue;
		struct payhist_entry e = { .date_ms = l->created_ms, .amount = l->amount, .where = PAYHIST_HERE };
		if (!l->acked)
			e.status = PAYHIST_IN_TRANSIT;
		else if (strcmp(l->disposition, "conflict") == 0 || strcmp(l->disposition, "rejected") == 0)
			e.status = PAYHIST_REVIEW;
		else
			e.status = PAYHIST_ACCEPTED;
		memcpy(e.period, l->period, sizeof e.period);
		e.period[sizeof e.period - 1] = '\0';
		memcpy(e.ref, l->txn_id, sizeof l->txn_id);
		fiscal_of(l, &e);
		add(ret, &e);
	}
	qsort(ret->e, (size_t)ret->n, sizeof ret->e[0], newest_first);
}
