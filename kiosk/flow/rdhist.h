#ifndef KIOSK_RDHIST_H
#define KIOSK_RDHIST_H
/* The meter readings history of one account as the readings history screen shows it: the
 * billing center's readings (GET /v1/accounts/{pers_acc}/readings) merged with this
 * kiosk's own submissions (offline/readings.h).  Pure: no I/O.
 *
 *  - A local reading not yet acknowledged by the center is shown as "передаётся в
 *    расчётный центр", unless the center already lists it.
 *  - A center entry of source `kiosk` with the same meter, value and day as a local
 *    reading is that reading: shown once, as submitted here, with the center's status.
 *  - An acknowledged local reading the center's list lacks (offline) is shown from the
 *    local data as accepted.
 *  - Newest first; entries older than the window's start are dropped; at most RDHIST_MAX
 *    (the oldest are dropped).
 * The months and the period filter are those of the payment history (kiosk/flow/payhist.h). */
#include <stdbool.h>
#include <stdint.h>


#define RDHIST_MAX 96

enum rdhist_source { RDHIST_HERE, RDHIST_KIOSK, RDHIST_CENTER };
enum rdhist_status { RDHIST_ACCEPTED, RDHIST_SUSPECT_DECREASE, RDHIST_SUSPECT_JUMP, RDHIST_SUPERSEDED,
		     RDHIST_IN_TRANSIT, RDHIST_UNKNOWN };

/* One of this kiosk's submissions, with its outbox state. */
struct rdhist_local {
	char meter_id[16];
	int64_t value_milli;
	int64_t submitted_ms;  /* UTC ms */
	bool acked;            /* the center acknowledged the outbox record */
};

struct rdhist_entry {
	char meter_id[16];
	int64_t date_ms;       /* UTC ms: the submission, or the start of the center's day */
	int64_t value_milli;
	enum rdhist_source source;
	enum rdhist_status status;
};

struct rdhist {
	int status;            /* 0 answered; -1 nothing to show (no store, no center) */
	bool online;           /* the center's list is in (else local rows only) */
	bool refused;          /* the center refused the proof (not unreachable) */
	int64_t as_of_ms;      /* when the data was read (UTC ms) */
	int n;
	struct rdhist_entry e[RDHIST_MAX];
};

/* Indices of METER_ID's entries dated at or after SINCE_MS, in order, up to cap; returns
 * the count. */
int rdhist_filter(const struct rdhist *h, const char *meter_id, int64_t since_ms, int *ret_idx, int cap);

/* "YYYY-MM-DD" (a day in the kiosk's time zone, kiosk/base/tz.h) -> the first moment of that
 * day in UTC ms (its 00:00 local); -1 when malformed. */
int64_t rdhist_day_ms(const char *date);

enum rdhist_status rdhist_status_parse(const char *status);

#endif
