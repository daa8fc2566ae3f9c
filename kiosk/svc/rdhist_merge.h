#ifndef KIOSK_RDHIST_MERGE_H
#define KIOSK_RDHIST_MERGE_H
/* The readings history merge: the center's list (offline/center_json.h) and this
 * kiosk's submissions into the struct rdhist the screen shows (rdhist.h).  Pure, but it
 * reads the center's types, so it lives with the services; the flow core sees rdhist.h. */
#include "kiosk/flow/rdhist.h"
#include "offline/center_json.h"

/* Merges CENTER (NULL when offline) and the NLOCAL local rows dated at or after SINCE_MS
 * into ret (ret->n, ret->e, ret->online; status, refused and as_of_ms are left to the
 * caller).  Center entries with a malformed date are skipped. */
void rdhist_merge(const struct cjson_readings *center, const struct rdhist_local *local, int nlocal,
		  int64_t since_ms, struct rdhist *ret);

#endif
