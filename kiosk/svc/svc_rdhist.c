/* The readings history request (svc_rdhist.h). */
#include "kiosk/svc/svc_rdhist.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/base/log.h"
#include "kiosk/svc/rdhist_merge.h"
#include "kiosk/flow/payhist.h"
#include "kiosk/base/xalloc.h"
#include "offline/center_client.h"
#include "offline/outbox.h"
#include "offline/readings.h"

#define UNACKED_CAP 512 /* unacked records looked through for our readings' keys */

/* 0 with ret filled; -1 unreachable or failed; -2 the center refused the proof (403).
 * center_readings() proves access with a token only; a scanned bill proves it with its
 * Sum (docs/api.md §3.1), sent with the same headers as the payment history's. */
static int fetch_center(struct center_client *c, const char *pers_acc, const char *token, kopecks bill_sum,
			const char *from, struct cjson_readings *ret)
{
	struct center_reply rep = { 0 };
	int rc;
	if (token && token[0]) {
		rc = center_readings(c, pers_acc, token, from, NULL, ret, &rep);
	} else if (bill_sum >= 0) {
		char path[96], h2[64];
		snprintf(path, sizeof path, "/v1/accounts/%s/readings?from=%s", pers_acc, from);
		snprintf(h2, sizeof h2, "X-Kiosk-Bill-Sum: %" PRId64, bill_sum);
		const char *hl[] = { "X-Kiosk-Source: scan", h2, NULL };
		rc = center_request(c, "GET", path, NULL, 0, hl, NULL, &rep);
		if (rc == CENTER_OK) {
			char err[CJSON_ERR_MAX];
			if (cjson_readings_decode(rep.body, rep.len, ret, err) != 0) {
				log_warn("rdhist", "bad_reply", "why=\"%s\"", err);
				rc = CENTER_EREPLY;
			}
		}
	} else {
		return -1; /* no proof: never ask */
	}
	if (rc != CENTER_OK)
		log_info("rdhist", "center_failed", "class=%s status=%ld", center_class_name(rep.cls), rep.status);
	bool refused = rc == CENTER_EHTTP && rep.status == 403;
	center_reply_clear(&rep);
	return rc == CENTER_OK ? 0 : refused ? -2 : -1;
}

/* This kiosk's readings for PERS_ACC with their acknowledgement: a reading is acked once
 * its outbox record (same key) is no longer among the unacked ones.  Count or < 0. */
static int local_rows(struct store *st, const char *pers_acc, struct rdhist_local *ret, int cap)
{
	struct reading *rd = xcalloc((size_t)cap, sizeof *rd);
	struct outbox_record *un = xcalloc(UNACKED_CAP, sizeof *un);
	int n = readings_list(st, pers_acc, NULL, rd, cap);
	int nun = n >= 0 ? outbox_list_unacked(st, un, UNACKED_CAP) : 0;
	if (nun < 0)
		n = nun;
	for (int i = 0; i < n; i++) {
		snprintf(ret[i].meter_id, sizeof ret[i].meter_id, "%s", rd[i].meter_id);
		ret[i].value_milli = rd[i].value_milli;
		ret[i].submitted_ms = rd[i].submitted_ms;
		/* A full unacked list may have left ours out: then "in transit" is the safe word. */
		ret[i].acked = nun < UNACKED_CAP;
		for (int k = 0; k < nun; k++)
			if (strcmp(un[k].kind, "reading") == 0 && memcmp(un[k].idem_key, rd[i].key, READINGS_KEY_LEN) == 0)
				ret[i].acked = false;
		if (nun == UNACKED_CAP)
			for (int k = 0; k < nun; k++)
				if (memcmp(un[k].idem_key, rd[i].key, READINGS_KEY_LEN) == 0)
					ret[i].acked = false;
	}
	free(un);
	free(rd);
	return n;
}

void svc_rdhist_fetch(struct center_client *c, struct store *st, const char *pers_acc, const char *token,
		      kopecks bill_sum, int64_t now_ms, struct rdhist *ret)
{
	char from[8];
	payhist_from_month(now_ms, PAYHIST_MONTHS, from);
	struct cjson_readings *center = xcalloc(1, sizeof *center);
	int frc = c ? fetch_center(c, pers_acc, token, bill_sum, from, center) : -1;
	bool online = frc == 0;
	struct rdhist_local *local = xcalloc(RDHIST_MAX, sizeof *local);
	int n = st ? local_rows(st, pers_acc, local, RDHIST_MAX) : -1;
	if (n < 0) {
		if (st)
			log_error("rdhist", "store_failed", "rc=%d", n);
		n = 0;
	}
	rdhist_merge(online ? center : NULL, local, n, payhist_since_ms(now_ms, PAYHIST_MONTHS), ret);
	ret->status = online || st ? 0 : -1;
	ret->refused = frc == -2;
	ret->as_of_ms = now_ms;
	log_info("rdhist", "done", "online=%d center=%d local=%d shown=%d", online, online ? center->n : 0, n, ret->n);
	free(local);
	free(center);
}
