#ifndef KIOSK_PAYHIST_MERGE_H
#define KIOSK_PAYHIST_MERGE_H
/* The payment history merge: the center's list (offline/center_json.h) and this kiosk's
 * rows (offline/history.h) into the struct payhist the screen shows (payhist.h).  Pure,
 * but it reads the store's and the center's types, so it lives with the services that
 * fetch them; the flow core sees only payhist.h. */
#include "kiosk/flow/payhist.h"
#include "offline/center_json.h"
#include "offline/history.h"

/* Merges CENTER (NULL when offline) and the NLOCAL local rows into ret (ret->n, ret->e,
 * ret->online; status and as_of_ms are left to the caller). */
void payhist_merge(const struct cjson_payments *center, const struct history_local_row *local, int nlocal,
		   struct payhist *ret);

#endif
