#ifndef KIOSK_PAYHIST_H
#define KIOSK_PAYHIST_H
/* The payment history of one account as the history screen shows it: the billing
 * center's list merged with this kiosk's own payments (offline/history.h).  Pure: no I/O.
 *
 *  - A center entry that is one of this kiosk's payments (its ref is the acked outbox
 *    record's server_ref, or the txn id) is shown once, as paid here.
 *  - A local payment not yet acknowledged is shown as "передаётся в расчётный центр".
 *  - An acknowledged local payment the center's list lacks (offline, or outside the
 *    center's window) is shown from the local data: accepted, or "under review" when the
 *    center quarantined it (conflict, rejected).
 *  - A payment made here carries its fiscal receipt's attributes when the journal has them.
 *  - Newest first; at most PAYHIST_MAX entries (the oldest are dropped). */
#include <stdbool.h>
#include <stdint.h>

#include "kiosk/base/money.h"

#define PAYHIST_MAX 80
#define PAYHIST_MONTHS 12 /* what the screen fetches; the filter narrows it */

enum payhist_where { PAYHIST_HERE, PAYHIST_KIOSK, PAYHIST_BANK, PAYHIST_OFFICE, PAYHIST_OTHER };
enum payhist_status { PAYHIST_ACCEPTED, PAYHIST_CREDITED, PAYHIST_RETURNED, PAYHIST_IN_TRANSIT,
		      PAYHIST_REVIEW, PAYHIST_UNKNOWN };

struct payhist_entry {
	int64_t date_ms;          /* UTC ms */
	kopecks amount;
	char period[8];
	enum payhist_where where;
	enum payhist_status status;
	char ref[40];             /* the center's ref, or the local txn id */
	char fiscal[72];          /* a payment made here with a fiscal receipt:
				   * "ФН <serial> · ФД <n> · ФП <n>", else "" */
};

struct payhist {
	int status;               /* 0 answered; -1 nothing to show (no store, no center) */
	bool online;              /* the center's list is in (else local rows only) */
	bool refused;             /* not online because the center refused the proof (an
				   * expired token), not because it was unreachable */
	int64_t as_of_ms;         /* when the data was read (UTC ms) */
	int n;
	struct payhist_entry e[PAYHIST_MAX];
};

/* The first moment (UTC ms) of the period of the last MONTHS calendar months in the
 * kiosk's time zone (kiosk/base/tz.h), the current one included: for now in November 2026 and
 * 3 months, 1 September 00:00 local. */
int64_t payhist_since_ms(int64_t now_ms, int months);
/* "YYYY-MM" of the first of those months (the center's `from`). */
void payhist_from_month(int64_t now_ms, int months, char ret[8]);
/* Indices of the entries dated at or after SINCE_MS, in order, up to cap; returns the count. */
int payhist_filter(const struct payhist *h, int64_t since_ms, int *ret_idx, int cap);

/* The center's words, mapped (unknown ones are OTHER / UNKNOWN). */
enum payhist_where payhist_where_parse(const char *source);
enum payhist_status payhist_status_parse(const char *status);

#endif
