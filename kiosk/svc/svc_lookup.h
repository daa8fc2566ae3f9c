#ifndef KIOSK_SVC_LOOKUP_H
#define KIOSK_SVC_LOOKUP_H
/* The account lookup worker (a thread of its own: the center may take seconds). */
#include <stdbool.h>

#include "kiosk/conf/config.h"
#include "kiosk/flow/flow.h"

struct lookup_req {
	bool verify;            /* the control question, else a lookup */
	bool typed;             /* typed number: no details without verification */
	char pers_acc[16];
	kopecks bill_sum;       /* scanned bill's Sum (proof of the bill), -1 when none */
	kopecks answer;         /* verify: the accrued sum typed */
	bool history;           /* the account's payment history (kiosk/svc/svc_history.h) */
	int64_t now_ms;         /* history: UTC now, for its months */
	bool readings_history;  /* the account's meter readings history (kiosk/svc/svc_rdhist.h) */
};

/* Called on the worker thread with a malloc'd result the receiver frees. */
typedef void (*lookup_done_fn)(void *ud, struct flow_account_result *r);

struct lookup;
struct lookup *lookup_start(const struct config *cfg, lookup_done_fn done, void *ud);
void lookup_submit(struct lookup *l, const struct lookup_req *q);
/* The resident left the account lookup (or verification) under way: its answer, when it
 * comes, is dropped, never handed to the done callback. */
void lookup_cancel(struct lookup *l);
void lookup_stop(struct lookup *l);

/* History answers (a malloc'd struct payhist the receiver frees); without a callback
 * history requests are ignored. */
struct payhist;
typedef void (*lookup_history_fn)(void *ud, struct payhist *h);
void lookup_set_history_cb(struct lookup *l, lookup_history_fn fn);
/* Readings history answers (a malloc'd struct rdhist the receiver frees); without a
 * callback those requests are ignored. */
struct rdhist;
typedef void (*lookup_rdhist_fn)(void *ud, struct rdhist *h);
void lookup_set_rdhist_cb(struct lookup *l, lookup_rdhist_fn fn);
/* Forgets the verification tokens kept for history requests (the session was wiped). */
void lookup_forget(struct lookup *l);

#endif
