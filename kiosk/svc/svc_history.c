/* The history request (svc_history.h). */
#include "kiosk/svc/svc_history.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/base/log.h"
#include "kiosk/svc/payhist_merge.h"
#include "kiosk/base/xalloc.h"
#include "offline/center_client.h"
#include "offline/history.h"

/* center_payments() proves access with a token only; a scanned bill proves it with its
 * Sum (docs/api.md §3.1), so the scan case is sent here with the same headers. */
/* 0 with ret filled; -1 unreachable or failed; -2 the center refused the proof (403). */
static int fetch_center(struct center_client *c, const char *pers_acc, const char *token, kopecks bill_sum,
			const char *from, struct cjson_payments *ret)
{
	struct center_reply rep = { 0 };
	int rc;
	if (token && token[0]) {
		rc = center_payments(c, pers_acc, token, from, NULL, ret, &rep);
	} else if (bill_sum >= 0) {
		char path[96], h2[64];
		snprintf(path, sizeof path, "/v1/accounts/%s/payments?from=%s", pers_acc, from);
		snprintf(h2, sizeof h2, "X-Kiosk-Bill-Sum: %" PRId64, bill_sum);
		const char *hl[] = { "X-Kiosk-Source: scan", h2, NULL };
		rc = center_request(c, "GET", path, NULL, 0, hl, NULL, &rep);
		if (rc == CENTER_OK) {
			char err[CJSON_ERR_MAX];
			if (cjson_payments_decode(rep.body, rep.len, ret, err) != 0) {
				log_warn("history", "bad_reply", "why=\"%s\"", err);
				rc = CENTER_EREPLY;
			}
		}
	} else {
		return -1; /* no proof: never ask */
	}
	if (rc != CENTER_OK)
		log_info("history", "center_failed", "class=%s status=%ld", center_class_name(rep.cls), rep.status);
	bool refused = rc == CENTER_EHTTP && rep.status == 403;
	center_reply_clear(&rep);
	return rc == CENTER_OK ? 0 : refused ? -2 : -1;
}

void svc_history_fetch(struct center_client *c, struct store *st, const char *pers_acc, const char *token,
		       kopecks bill_sum, int64_t now_ms, struct payhist *ret)
{
	char from[8];
	payhist_from_month(now_ms, PAYHIST_MONTHS, from);
	struct cjson_payments *center = xcalloc(1, sizeof *center);
	int frc = c ? fetch_center(c, pers_acc, token, bill_sum, from, center) : -1;
	bool online = frc == 0;
	struct history_local_row *local = xcalloc(PAYHIST_MAX, sizeof *local);
	int n = st ? history_local(st, pers_acc, payhist_since_ms(now_ms, PAYHIST_MONTHS), local, PAYHIST_MAX) : -1;
	if (n < 0) {
		log_error("history", "store_failed", "rc=%d", n);
		n = 0;
	}
	payhist_merge(online ? center : NULL, local, n, ret);
	ret->status = online || st ? 0 : -1;
	ret->refused = frc == -2;
	ret->as_of_ms = now_ms;
	log_info("history", "done", "online=%d center=%d local=%d shown=%d", online, online ? center->n : 0, n, ret->n);
	memset(local, 0, PAYHIST_MAX * sizeof *local);
	free(local);
	free(center);
}
