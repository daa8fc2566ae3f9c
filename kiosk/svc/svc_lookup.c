/* The account lookup worker: online through the billing center (writing through to the
 * cache), else from the cache marked with its date, on a worker of its own (kiosk/base/worker.h):
 * one request at a time, in order; the resident waits for its answer.  Offline, a typed account's control question is checked against
 * the cached accrued sum. */
#include "kiosk/svc/svc_lookup.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/base/log.h"
#include "kiosk/svc/svc_history.h"
#include "kiosk/svc/svc_rdhist.h"
#include "kiosk/base/worker.h"
#include "kiosk/base/xalloc.h"
#include "offline/cache.h"
#include "offline/center_client.h"
#include "offline/center_conf.h"
#include "offline/store.h"

/* Requests queued at most: the resident waits for one answer at a time. */
#define LOOKUP_QUEUE 4

struct lookup_job {
	struct lookup_req q;
	unsigned seq;                   /* an account lookup's number: lookup_cancel */
};

struct lookup {
	struct worker *w;               /* the lookup worker (kiosk/base/worker.h) */
	pthread_mutex_t mu;
	/* Account lookups submitted, and the last of them the resident left (its answer is
	 * dropped): lookup_cancel. */
	unsigned submitted, cancelled_upto;
	struct center_client *client;   /* NULL: offline only */
	struct store *store;            /* this thread's own connection */
	lookup_done_fn done;
	lookup_history_fn history_done;
	lookup_rdhist_fn rdhist_done;
	void *ud;
	/* Tokens of the accounts verified this session (under mu): proof for their history
	 * requests; the oldest is replaced when full. */
	struct { char acc[16]; char token[72]; } tokens[FLOW_MAX_BASKET];
	int token_next;
};

/* Called with mu held. */
static void token_keep(struct lookup *l, const char *acc, const char *token)
{
	int slot = -1;
	for (int i = 0; i < FLOW_MAX_BASKET; i++)
		if (strcmp(l->tokens[i].acc, acc) == 0)
			slot = i;
	if (slot < 0) {
		slot = l->token_next;
		l->token_next = (l->token_next + 1) % FLOW_MAX_BASKET;
	}
	snprintf(l->tokens[slot].acc, sizeof l->tokens[slot].acc, "%s", acc);
	snprintf(l->tokens[slot].token, sizeof l->tokens[slot].token, "%s", token);
}

static void hide_details(struct account *a)
{
	/* A typed number shows nothing personal before the control question. */
	a->details = false;
	a->owner_masked[0] = '\0';
	a->address_masked[0] = '\0';
	a->nservices = a->nsuppliers = a->nmeters = 0;
}

static void do_lookup(struct lookup *l, const struct lookup_req *q, struct flow_account_result *r)
{
	struct center_reply rep = { 0 };
	if (l->client) {
		int rc = center_account(l->client, q->pers_acc, NULL, q->typed ? -1 : q->bill_sum, &r->acct, &rep);
		if (rc == CENTER_OK) {
			r->status = LOOKUP_FOUND;
			if (r->acct.details && l->store)
				cache_put(l->store, &r->acct);
			center_reply_clear(&rep);
			return;
		}
		bool unknown = rep.status == 404;
		log_info("lookup", "center_failed", "class=%s status=%ld", center_class_name(rep.cls), rep.status);
		center_reply_clear(&rep);
		if (unknown) {
			r->status = LOOKUP_UNKNOWN;
			return;
		}
	}
	if (l->store && cache_get(l->store, q->pers_acc, &r->acct) == 0) {
		r->status = LOOKUP_FOUND;
		r->from_cache = true;
		if (q->typed)
			hide_details(&r->acct);
		return;
	}
	r->status = LOOKUP_UNAVAILABLE;
}

static void do_verify(struct lookup *l, const struct lookup_req *q, struct flow_account_result *r)
{
	struct center_reply rep = { 0 };
	if (l->client) {
		struct cjson_verify_resp v = { 0 };
		int rc = center_verify(l->client, q->pers_acc, q->answer, &v, &rep);
		if (rc == CENTER_OK) {
			center_reply_clear(&rep);
			pthread_mutex_lock(&l->mu);
			token_keep(l, q->pers_acc, v.token);
			pthread_mutex_unlock(&l->mu);
			rc = center_account(l->client, q->pers_acc, v.token, -1, &r->acct, &rep);
			if (rc == CENTER_OK) {
				r->status = LOOKUP_FOUND;
				if (l->store)
					cache_put(l->store, &r->acct);
				center_reply_clear(&rep);
				return;
			}
		} else if (rep.status == 403) {
			r->status = LOOKUP_WRONG_ANSWER;
			r->attempts_left = rep.err.attempts_left >= 0 ? (int)rep.err.attempts_left : 3;
			center_reply_clear(&rep);
			return;
		} else if (rep.status == 429) {
			r->status = LOOKUP_LOCKED;
			/* The center says how long: the screen then names the right time. */
			int64_t ra = rep.err.retry_after_s > 0 ? rep.err.retry_after_s : rep.retry_after_s;
			r->retry_after_s = ra > 0 && ra <= 24 * 3600 ? (int)ra : 0;
			center_reply_clear(&rep);
			return;
		}
		center_reply_clear(&rep);
	}
	/* Offline: the cached period's accrued sum is the answer. */
	if (l->store && cache_get(l->store, q->pers_acc, &r->acct) == 0) {
		r->from_cache = true;
		if (r->acct.accrued == q->answer) {
			r->status = LOOKUP_FOUND;
		} else {
			memset(&r->acct, 0, sizeof r->acct);
			r->status = LOOKUP_WRONG_ANSWER;
			r->attempts_left = 3;
		}
		return;
	}
	r->status = LOOKUP_UNAVAILABLE;
}

/* A history request (payments or readings), with the verification token kept for it. */
static void run_history(struct lookup *l, const struct lookup_req *q)
{
	char token[72] = "";
	pthread_mutex_lock(&l->mu);
	for (int i = 0; i < FLOW_MAX_BASKET; i++)
		if (strcmp(l->tokens[i].acc, q->pers_acc) == 0)
			snprintf(token, sizeof token, "%s", l->tokens[i].token);
	lookup_history_fn cb = l->history_done;
	lookup_rdhist_fn rcb = l->rdhist_done;
	pthread_mutex_unlock(&l->mu);
	if (q->readings_history) {
		if (rcb) {
			struct rdhist *h = xcalloc(1, sizeof *h);
			svc_rdhist_fetch(l->client, l->store, q->pers_acc, token, q->typed ? -1 : q->bill_sum, q->now_ms, h);
			rcb(l->ud, h);
		}
	} else if (cb) {
		struct payhist *h = xcalloc(1, sizeof *h);
		svc_history_fetch(l->client, l->store, q->pers_acc, token, q->typed ? -1 : q->bill_sum, q->now_ms, h);
		cb(l->ud, h);
	}
	explicit_bzero(token, sizeof token);
}

/* True when the resident has left account lookup SEQ (its answer goes nowhere). */
static bool left(struct lookup *l, unsigned seq)
{
	pthread_mutex_lock(&l->mu);
	bool gone = seq <= l->cancelled_upto;
	pthread_mutex_unlock(&l->mu);
	return gone;
}

static void run(void *ctx, void *job)
{
	struct lookup *l = ctx;
	const struct lookup_job *j = job;
	if (j->q.history || j->q.readings_history) {
		run_history(l, &j->q);
		return;
	}
	if (left(l, j->seq)) /* not started yet: nothing to answer */
		return;
	struct flow_account_result *r = xcalloc(1, sizeof *r);
	if (j->q.verify)
		do_verify(l, &j->q, r);
	else
		do_lookup(l, &j->q, r);
	log_info("lookup", "done", "verify=%d status=%d cache=%d", j->q.verify, r->status, r->from_cache);
	if (left(l, j->seq)) {
		log_info("lookup", "dropped", "why=left");
		free(r);
	} else {
		l->done(l->ud, r);
	}
}

struct lookup *lookup_start(const struct config *cfg, lookup_done_fn done, void *ud)
{
	struct lookup *l = xcalloc(1, sizeof *l);
	pthread_mutex_init(&l->mu, NULL);
	l->done = done;
	l->ud = ud;
	if (store_open(cfg->store_path, &l->store) != 0)
		l->store = NULL;
	if (cfg->center_url[0]) {
		struct center_client_opts o;
		char err[256];
		if (center_conf_opts(cfg, &o, err, sizeof err) == 0) {
			o.total_timeout_ms = 10000; /* a resident is waiting: the cache answers sooner */
			center_conf_link(cfg, &o);
			l->client = center_client_new(&o, err, sizeof err);
		}
		if (!l->client)
			log_error("lookup", "no_center_client", "err=\"%s\"", err);
	}
	struct worker_cfg wc = { .name = "lookup", .job_size = sizeof(struct lookup_job), .capacity = LOOKUP_QUEUE,
				 .run = run, .ctx = l };
	l->w = worker_start(&wc);
	if (!l->w) {
		center_client_free(l->client);
		store_close(l->store);
		pthread_mutex_destroy(&l->mu);
		free(l);
		return NULL;
	}
	return l;
}

void lookup_submit(struct lookup *l, const struct lookup_req *q)
{
	struct lookup_job j = { .q = *q };
	bool account = !q->history && !q->readings_history;
	pthread_mutex_lock(&l->mu);
	if (account)
		j.seq = ++l->submitted;
	pthread_mutex_unlock(&l->mu);
	if (worker_submit(l->w, &j) != 0 && account) {
		/* refused (logged): the screen waiting for the account hears it is unavailable */
		struct flow_account_result *r = xcalloc(1, sizeof *r);
		r->status = LOOKUP_UNAVAILABLE;
		l->done(l->ud, r);
	}
}

void lookup_cancel(struct lookup *l)
{
	pthread_mutex_lock(&l->mu);
	l->cancelled_upto = l->submitted;
	pthread_mutex_unlock(&l->mu);
}

void lookup_set_history_cb(struct lookup *l, lookup_history_fn fn)
{
	pthread_mutex_lock(&l->mu);
	l->history_done = fn;
	pthread_mutex_unlock(&l->mu);
}

void lookup_set_rdhist_cb(struct lookup *l, lookup_rdhist_fn fn)
{
	pthread_mutex_lock(&l->mu);
	l->rdhist_done = fn;
	pthread_mutex_unlock(&l->mu);
}

void lookup_forget(struct lookup *l)
{
	if (!l)
		return;
	pthread_mutex_lock(&l->mu);
	memset(l->tokens, 0, sizeof l->tokens);
	l->token_next = 0;
	pthread_mutex_unlock(&l->mu);
}

void lookup_stop(struct lookup *l)
{
	if (!l)
		return;
	worker_stop(l->w, WORKER_DROP); /* nobody waits for a lookup once we stop */
	center_client_free(l->client);
	store_close(l->store);
	pthread_mutex_destroy(&l->mu);
	free(l);
}
