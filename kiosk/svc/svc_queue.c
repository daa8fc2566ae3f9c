/* Queue and sync (svc_priv.h): what goes to the billing center through the outbox (meter
 * readings, e-receipts, requests), written on the service worker, and the sync engine's
 * thread that sends it and keeps the account cache. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/base/hex.h"
#include "kiosk/base/log.h"
#include "kiosk/svc/svc_priv.h"
#include "offline/cache.h"
#include "offline/center_conf.h"
#include "offline/outbox.h"
#include "offline/readings.h"
#include "offline/store.h"
#include "offline/sync.h"

static void on_sync_status(void *ud, bool online, const char *why)
{
	struct svc *s = ud;
	if (atomic_exchange(&s->online, online) != online || why == NULL)
		svc_post_int(SVC_CENTER, online);
	log_info("sync", "status", "online=%d why=\"%s\"", online, why ? why : "");
}

static void on_sync_alert(void *ud, const char *what, const char *detail)
{
	(void)ud;
	log_error("sync", "alert", "what=%s detail=\"%s\"", what, detail);
}

static int on_snapshot_page(void *ud, const struct cjson_snapshot_page *page)
{
	struct svc *s = ud;
	return cache_put_many(s->sync_store, page->accounts, page->n) == 0 ? 0 : -1;
}

static void on_health(void *ud, struct cjson_health *h)
{
	struct svc *s = ud;
	static const char *const pst[] = { "ok", "paper_low", "paper_out", "cover_open", "error", "offline" };
	int p = atomic_load(&s->printer_state);
	snprintf(h->pinpad, sizeof h->pinpad, "%s", atomic_load(&s->pinpad_ready) ? "ok" : "unavailable");
	snprintf(h->printer, sizeof h->printer, "%s", s->printer ? (p >= 0 && p < 6 ? pst[p] : "error") : "none");
	snprintf(h->scanner, sizeof h->scanner, "%s", s->scanner ? (atomic_load(&s->scanner_state) == 0 ? "ok" : "absent") : "none");
}

void svc_queue_start(struct svc *s)
{
	const struct config *c = s->cfg;
	if (!c->center_url[0])
		return;
	struct sync_opts o = { .heartbeat_s = c->center_heartbeat_s, .max_wait_ms = c->center_retry_max_s * 1000 };
	char err[256];
	if (store_open(c->store_path, &s->sync_store) != 0 || center_conf_opts(c, &o.center, err, sizeof err) != 0) {
		log_error("sync", "unavailable", "err=\"%s\"", s->sync_store ? err : "store");
		return;
	}
	center_conf_link(c, &o.center);
	o.store = s->sync_store;
	snprintf(o.sw, sizeof o.sw, "%s", KIOSK_VERSION);
	o.cb = (struct sync_callbacks){ .status = on_sync_status, .alert = on_sync_alert,
					.apply_page = on_snapshot_page, .health = on_health, .ud = s };
	s->sync = sync_new(&o, err, sizeof err);
	if (!s->sync || sync_start(s->sync) != 0)
		log_error("sync", "unavailable", "err=\"%s\"", err);
}

/* JOB_READINGS: the readings the resident entered (FA_SUBMIT_READINGS's payload), each its
 * own outbox record, and their receipt. */
static void submit_readings(struct svc *s, const struct fa_readings *rd)
{
	int64_t now = clock_wall_ms();
	int rc = 0, n = 0;
	struct receipt_reading rr[ACCOUNT_MAX_METERS];
	for (int i = 0; i < rd->n && i < ACCOUNT_MAX_METERS && rc == 0; i++) {
		const struct fa_reading *r = &rd->r[i];
		uint8_t key[READINGS_KEY_LEN];
		rc = readings_submit(s->store, rd->pers_acc, r->meter.id, r->value_milli, r->meter.last_value_milli,
				     r->confirm_rollover, NULL, now, key);
		if (rc == 0) {
			rr[n].meter = &r->meter;
			rr[n].value_milli = r->value_milli;
			hex_encode(key, 16, rr[n].key_hex);
			n++;
		}
	}
	if (s->sync)
		sync_kick(s->sync);
	svc_post_int(SVC_READINGS_SAVED, rc);
	if (rc == 0) {
		struct receipt_doc doc;
		receipt_doc_init(&doc);
		if (receipt_readings(&doc, s->cfg, rd->pers_acc, rr, n, now) == 0)
			svc_print_doc(s, &doc, "readings");
		else
			receipt_doc_free(&doc);
	}
}

int svc_queue_job(struct svc_job *j, const char *kind, json_t *body)
{
	json_object_set_new(body, "created_ms", json_integer(clock_wall_ms()));
	char *text = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(body);
	if (!text)
		return -1;
	j->kind = JOB_QUEUE;
	j->u.queue.kind = kind;
	j->u.queue.text = text;
	return 0;
}

/* JOB_QUEUE: the record goes into the outbox; reported back as SVC_QUEUED. */
static void queue_record(struct svc *s, const char *kind, char *text)
{
	uint8_t key[OUTBOX_KEY_LEN];
	int rc = outbox_add(s->store, kind, (const uint8_t *)text, strlen(text), clock_wall_ms(), key);
	free(text);
	log_info("svc", "queued", "kind=%s rc=%d", kind, rc);
	if (rc == 0 && s->sync)
		sync_kick(s->sync);
	svc_post_int(SVC_QUEUED, rc);
}

void svc_queue_run(struct svc *s, const struct svc_job *j)
{
	if (j->kind == JOB_READINGS)
		submit_readings(s, &j->u.readings);
	else
		queue_record(s, j->u.queue.kind, j->u.queue.text);
}

/* Script support: main's own connection (the worker's is busy with its jobs). */

bool svc_idle(struct svc *s)
{
	return !s || !s->jobs || worker_idle(s->jobs);
}

int svc_unacked(struct svc *s)
{
	int n = 0;
	int64_t age = 0;
	if (!s->script_store && store_open(s->cfg->store_path, &s->script_store) != 0)
		return -1;
	if (outbox_pending(s->script_store, clock_wall_ms(), &n, &age) != 0)
		return -1;
	return n;
}
