/* The sync engine: performs sync_core's decisions against the outbox and the center, on a
 * worker (kiosk/base/worker.h) whose idle step is one pass and whose jobs are kicks. */
#include "offline/sync.h"

#include <inttypes.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "kiosk/base/clock.h"
#include "kiosk/base/log.h"
#include "kiosk/base/worker.h"
#include "kiosk/base/xalloc.h"
#include "offline/outbox.h"
#include "offline/sync_core.h"

struct sync {
	struct sync_opts o;
	struct center_client *cc;
	struct worker *w;          /* the sync thread (sync_start): its idle step is one pass */
	atomic_bool kick_queued;   /* a kick is queued and has not run yet: one is enough */
	/* engine state, touched only by the engine */
	bool need_hello, online, have_batch, halted;
	bool resting;              /* the last pass found nothing to send: a kick wakes it */
	int hello_attempt, batch_attempt; /* consecutive failures, each endpoint its own backoff */
	int64_t next_hello_ms, next_snapshot_ms;
	int max_records;
	size_t max_bytes;
	struct outbox_batch batch;
	char *batch_json;          /* the exact bytes sent, resent unchanged on retry */
	struct sync_report rep;
	_Atomic int64_t last_hello_wall_ms; /* for sync_last_hello_ms (any thread) */
};

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint64_t rnd64(void)
{
	uint64_t v = 0;
	if (getrandom(&v, sizeof v, 0) != (ssize_t)sizeof v)
		v = (uint64_t)mono_ms() * 0x9e3779b97f4a7c15ULL;
	return v;
}

static void set_online(struct sync *s, bool online, const char *why)
{
	s->rep.online = online;
	if (online == s->online)
		return;
	s->online = online;
	log_info("sync", online ? "online" : "offline", "why=%s", why);
	if (s->o.cb.status)
		s->o.cb.status(s->o.cb.ud, online, why);
}

static void alert(struct sync *s, const char *what, const char *detail)
{
	log_warn("sync", "alert", "what=%s detail=\"%s\"", what, detail);
	if (s->o.cb.alert)
		s->o.cb.alert(s->o.cb.ud, what, detail);
}

static void drop_batch(struct sync *s)
{
	if (s->have_batch)
		outbox_batch_free(&s->batch);
	free(s->batch_json);
	s->batch_json = NULL;
	s->have_batch = false;
}

struct sync *sync_new(const struct sync_opts *o, char *err, size_t cap)
{
	if (!o->store) {
		snprintf(err, cap, "sync: no store");
		return NULL;
	}
	struct sync *s = xcalloc(1, sizeof *s);
	s->o = *o;
	s->cc = center_client_new(&o->center, err, cap);
	if (!s->cc) {
		free(s);
		return NULL;
	}
	atomic_init(&s->kick_queued, false);
	s->need_hello = true;
	s->max_records = 100;
	s->max_bytes = 65536;
	if (s->o.heartbeat_s <= 0)
		s->o.heartbeat_s = 60;
	if (s->o.snapshot_s == 0)
		s->o.snapshot_s = 3600;
	if (s->o.snapshot_page <= 0 || s->o.snapshot_page > CJSON_MAX_PAGE)
		s->o.snapshot_page = CJSON_MAX_PAGE;
	return s;
}

/* One hello.  0 when the center answered ok, 1 when it should be repeated at once (a new
 * epoch was started), -1 when the engine must wait *ret_delay. */
static int hello(struct sync *s, int64_t *ret_delay)
{
	struct cjson_hello_req rq;
	struct cjson_hello_resp rs;
	struct center_reply rep = { 0 };
	int64_t last = 0;
	memset(&rq, 0, sizeof rq);
	if (outbox_current_epoch(s->o.store, rq.epoch, &last, rq.chain_head) != 0) {
		*ret_delay = sync_backoff_ms(s->hello_attempt++, rnd64());
		snprintf(s->rep.last_error, sizeof s->rep.last_error, "store");
		return -1;
	}
	rq.last_seq = last;
	snprintf(rq.sw, sizeof rq.sw, "%s", s->o.sw[0] ? s->o.sw : "unknown");
	snprintf(rq.boot_id, sizeof rq.boot_id, "%s", s->o.boot_id);
	rq.device_time_ms = clock_wall_ms();
	if (s->o.cb.health)
		s->o.cb.health(s->o.cb.ud, &rq.health);
	int count = 0;
	int64_t age = 0;
	if (outbox_pending(s->o.store, clock_wall_ms(), &count, &age) == 0) {
		rq.health.queue = count;
		rq.health.oldest_unsent_s = age / 1000;
	}
	int rc = center_hello(s->cc, &rq, &rs, &rep);
	struct sync_outcome oc = { .cls = rc, .status = rep.status, .error = rep.err.error,
				   .retry_after_s = rep.retry_after_s, .watermark = rep.err.watermark };
	struct sync_decision d = sync_decide(&oc, s->hello_attempt, rnd64());
	if (d.step == SYNC_REWIND || d.step == SYNC_NEW_EPOCH) {
		/* gap/fork belong to batches; on a hello they mean a confused center: hold */
		d.alert = true;
		d.delay_ms = SYNC_BACKOFF_CAP_MS;
		d.attempt = s->hello_attempt + 1;
	}
	if (d.step != SYNC_APPLY) {
		/* d.why may point into rep: use it before clearing */
		set_online(s, d.online, d.why);
		snprintf(s->rep.last_error, sizeof s->rep.last_error, "%s", d.why);
		if (d.alert)
			alert(s, d.why, "hello");
		s->hello_attempt = d.attempt;
		*ret_delay = d.delay_ms;
		center_reply_clear(&rep);
		return -1;
	}
	center_reply_clear(&rep);
	s->last_hello_wall_ms = clock_wall_ms();
	/* The link status follows the batches: a hello that works while batches keep failing
	 * does not make the kiosk "online", nor does it reset the batches' backoff. */
	if (s->batch_attempt == 0)
		set_online(s, true, "hello");
	s->hello_attempt = 0;
	s->max_records = rs.batch_max_records;
	s->max_bytes = (size_t)rs.batch_max_bytes;
	s->need_hello = false;
	s->next_hello_ms = sync_next_hello(mono_ms(), s->o.heartbeat_s);
	switch (sync_after_hello(&rs)) {
	case SYNC_HELLO_NEW_EPOCH:
		alert(s, "fork", "center reports a fork: starting a new epoch");
		drop_batch(s);
		if (outbox_new_epoch(s->o.store) != 0) {
			*ret_delay = sync_backoff_ms(s->hello_attempt++, rnd64());
			return -1;
		}
		s->need_hello = true;  /* tell the center about the new epoch */
		return 1;
	case SYNC_HELLO_STOP:
		alert(s, "revoked", "the center revoked this device");
		s->halted = true;
		*ret_delay = SYNC_BACKOFF_CAP_MS;
		return -1;
	case SYNC_HELLO_SEND:
		break;
	}
	s->halted = false;
	return 0;
}

enum pass_rc { PASS_IDLE, PASS_AGAIN, PASS_WAIT };

/* The center took the batch: its results into the outbox, the counts, an alert per
 * conflict or rejection, and the next batch. */
static enum pass_rc apply_results(struct sync *s, const struct cjson_batch_resp *br, int64_t *ret_delay)
{
	struct sync_tally t;
	if (outbox_apply_results(s->o.store, br->results, br->n, clock_wall_ms()) != 0) {
		/* Not applied: the same bytes again come back as duplicates. */
		*ret_delay = sync_backoff_ms(s->batch_attempt++, rnd64());
		return PASS_WAIT;
	}
	sync_tally_results(br->results, br->n, &t);
	s->rep.batches++;
	s->rep.created += t.created;
	s->rep.duplicate += t.duplicate;
	s->rep.conflict += t.conflict;
	s->rep.rejected += t.rejected;
	for (int i = 0; i < br->n; i++)
		if (br->results[i].disposition == OUTBOX_CONFLICT ||
		    br->results[i].disposition == OUTBOX_REJECTED) {
			char detail[160];
			snprintf(detail, sizeof detail, "seq=%" PRId64 " ref=%s reason=%s",
				 br->results[i].seq, br->results[i].server_ref, br->results[i].reason);
			alert(s, br->results[i].disposition == OUTBOX_CONFLICT ? "conflict" : "rejected", detail);
		}
	s->batch_attempt = 0;
	drop_batch(s);
	return PASS_AGAIN;
}

/* One step: a hello or one batch exchange.  *ret_delay is how long to wait on PASS_WAIT. */
static enum pass_rc step(struct sync *s, int64_t *ret_delay)
{
	*ret_delay = 0;
	if (s->need_hello || mono_ms() >= s->next_hello_ms || s->halted)
		return hello(s, ret_delay) >= 0 ? PASS_AGAIN : PASS_WAIT;
	if (!s->have_batch) {
		memset(&s->batch, 0, sizeof s->batch);
		if (outbox_next_batch(s->o.store, s->max_records, s->max_bytes, &s->batch) != 0) {
			*ret_delay = sync_backoff_ms(s->batch_attempt++, rnd64());
			return PASS_WAIT;
		}
		if (s->batch.n == 0) {
			outbox_batch_free(&s->batch);
			return PASS_IDLE;
		}
		s->have_batch = true;
		s->batch_json = cjson_batch_req_encode(&s->batch);
	}
	outbox_note_attempt(s->o.store, &s->batch, clock_wall_ms());
	struct cjson_batch_resp br = { 0 };
	struct center_reply rep = { 0 };
	int rc = center_batch(s->cc, s->batch_json, strlen(s->batch_json), &br, &rep);
	if (rc == CENTER_OK && sync_check_results(&s->batch, &br) != 0) {
		log_warn("sync", "bad_results", "first_seq=%" PRId64, s->batch.first_seq);
		rc = CENTER_EREPLY;
	}
	struct sync_outcome oc = { .cls = rc, .status = rep.status, .error = rep.err.error,
				   .retry_after_s = rep.retry_after_s, .watermark = rep.err.watermark };
	struct sync_decision d = sync_decide(&oc, s->batch_attempt, rnd64());
	enum pass_rc out = PASS_AGAIN;
	set_online(s, d.online, d.why);
	if (d.step != SYNC_APPLY)
		snprintf(s->rep.last_error, sizeof s->rep.last_error, "%s", d.why);
	switch (d.step) {
	case SYNC_APPLY:
		out = apply_results(s, &br, ret_delay);
		break;
	case SYNC_RETRY_SAME:
		s->batch_attempt = d.attempt;
		*ret_delay = d.delay_ms;
		out = PASS_WAIT;
		break;
	case SYNC_REWIND:
		if (sync_on_gap(oc.watermark, s->batch.first_seq) == SYNC_GAP_NEW_EPOCH) {
			char detail[96];
			snprintf(detail, sizeof detail, "center watermark %" PRId64 ", kiosk first unacked %" PRId64,
				 oc.watermark, s->batch.first_seq);
			alert(s, "gap", detail);
			drop_batch(s);
			if (outbox_new_epoch(s->o.store) != 0) {
				*ret_delay = sync_backoff_ms(s->batch_attempt++, rnd64());
				out = PASS_WAIT;
			}
			s->need_hello = true;
		} else {
			drop_batch(s);
		}
		break;
	case SYNC_NEW_EPOCH:
		alert(s, "fork", "batch refused as a fork: starting a new epoch");
		drop_batch(s);
		if (outbox_new_epoch(s->o.store) != 0) {
			*ret_delay = sync_backoff_ms(s->batch_attempt++, rnd64());
			out = PASS_WAIT;
		}
		s->need_hello = true;
		break;
	case SYNC_PIN_ALERT:
	case SYNC_HOLD:
		alert(s, d.why, d.step == SYNC_PIN_ALERT ? "the center's key does not match the pins" : "batch refused");
		s->batch_attempt = d.attempt;
		*ret_delay = d.delay_ms;
		out = PASS_WAIT;
		break;
	}
	if (d.rehello)
		s->need_hello = true;
	cjson_batch_resp_clear(&br);
	center_reply_clear(&rep);
	return out;
}

int sync_snapshot_now(struct sync *s)
{
	if (!s->o.cb.apply_page)
		return 0;
	for (int pages = 0; pages < 10000; pages++) {
		struct cjson_snapshot_page pg;
		struct center_reply rep = { 0 };
		int rc = center_snapshot(s->cc, s->o.snapshot_cursor, s->o.snapshot_page, &pg, &rep);
		center_reply_clear(&rep);
		if (rc != CENTER_OK)
			return -1;
		int arc = s->o.cb.apply_page(s->o.cb.ud, &pg);
		if (arc == 0)
			snprintf(s->o.snapshot_cursor, sizeof s->o.snapshot_cursor, "%s", pg.next_cursor);
		bool more = pg.more;
		cjson_snapshot_clear(&pg);
		if (arc != 0)
			return -1;
		if (!more)
			return 0;
	}
	return -1;
}

int sync_run_once(struct sync *s, struct sync_report *ret)
{
	int64_t delay;
	memset(&s->rep, 0, sizeof s->rep);
	s->need_hello = true;
	for (int guard = 0; guard < 100000; guard++) {
		enum pass_rc r = step(s, &delay);
		if (r == PASS_IDLE) {
			*ret = s->rep;
			return 0;
		}
		if (r == PASS_WAIT)
			break;
	}
	*ret = s->rep;
	return -1;
}

bool sync_online(struct sync *s)
{
	return s->online;
}

/* One pass, as the worker's idle step: returns 0 to go on at once, else the wait until the
 * heartbeat (nothing to send) or the backoff's delay (the worker's wait ends at the stop). */
static int pass(void *ctx)
{
	struct sync *s = ctx;
	int64_t delay = 0;
	enum pass_rc r = step(s, &delay);
	/* The cache refresh waits until the outbox is drained: deliveries come first. */
	if (r == PASS_IDLE && s->online && s->o.snapshot_s > 0 && mono_ms() >= s->next_snapshot_ms) {
		bool ok = sync_snapshot_now(s) == 0;
		s->next_snapshot_ms = mono_ms() + (ok ? (int64_t)s->o.snapshot_s * 1000 : SYNC_BACKOFF_CAP_MS);
	}
	s->resting = r == PASS_IDLE;
	if (r == PASS_AGAIN)
		return 0;
	if (r == PASS_WAIT && s->o.max_wait_ms > 0 && delay > s->o.max_wait_ms)
		delay = s->o.max_wait_ms;
	int64_t wait = r == PASS_IDLE ? s->next_hello_ms - mono_ms() : delay;
	return wait <= 0 ? 0 : wait > INT_MAX ? INT_MAX : (int)wait;
}

/* A kick, on the sync thread: a resting engine passes again now (a kick that came during a
 * pass is seen here, after it); a backoff is not shortened. */
static void kick(void *ctx, void *job)
{
	(void)job;
	struct sync *s = ctx;
	atomic_store(&s->kick_queued, false);
	if (s->resting)
		worker_idle_in(0);
}

int sync_start(struct sync *s)
{
	struct worker_cfg wc = { .name = "sync", .job_size = 1, .capacity = 2, .run = kick,
				 .idle = pass, .ctx = s };
	s->w = worker_start(&wc);
	return s->w ? 0 : -1;
}

void sync_kick(struct sync *s)
{
	char job = 0;
	if (s->w && !atomic_exchange(&s->kick_queued, true) && worker_submit(s->w, &job) != 0)
		atomic_store(&s->kick_queued, false);
}

void sync_free(struct sync *s)
{
	if (!s)
		return;
	worker_stop(s->w, WORKER_DROP); /* a pass in progress ends first; kicks own nothing */
	drop_batch(s);
	center_client_free(s->cc);
	free(s);
}

int64_t sync_last_hello_ms(struct sync *s)
{
	return s ? s->last_hello_wall_ms : 0;
}
