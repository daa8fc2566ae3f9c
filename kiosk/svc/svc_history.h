#ifndef KIOSK_SVC_HISTORY_H
#define KIOSK_SVC_HISTORY_H
/* The history request of the lookup worker (kiosk/svc/svc_lookup.c): the center's payments of
 * the last PAYHIST_MONTHS months (proof: the verified token, else the scanned bill's Sum),
 * merged with this kiosk's own payments from the store (kiosk/flow/payhist.h).  Offline (or no
 * proof accepted): local rows only, ret->online false.  Runs on the worker's thread with
 * its own client and store connection (either may be NULL). */
#include <stdint.h>

#include "kiosk/base/money.h"
#include "kiosk/flow/payhist.h"

struct center_client;
struct store;

void svc_history_fetch(struct center_client *c, struct store *st, const char *pers_acc, const char *token,
		       kopecks bill_sum, int64_t now_ms, struct payhist *ret);

#endif
