/* Printer service: jobs, idle polling and whole-receipt reprint after paper out, on a
 * worker (kiosk/base/worker.h). */
#include "drivers/printer_service.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kiosk/base/log.h"
#include "kiosk/base/worker.h"
#include "kiosk/base/xalloc.h"

struct job {
	uint64_t id;
	struct receipt_doc doc;
	char tag[40];
};

struct printer_service {
	struct printer_service_cfg cfg;
	struct worker *w;            /* the service thread: jobs are struct job */
	pthread_mutex_t mu;          /* next_id, state */
	uint64_t next_id;
	enum printer_state state;
	bool state_known;
};

const char *printer_outcome_name(enum printer_outcome o)
{
	switch (o) {
	case PRINTER_PRINTED: return "printed";
	case PRINTER_FAILED_PAPER_OUT: return "failed_paper_out";
	case PRINTER_FAILED_OFFLINE: return "failed_offline";
	}
	return "?";
}

void printer_service_cfg_default(struct printer_service_cfg *c)
{
	memset(c, 0, sizeof *c);
	c->poll_ms = 2000;
	c->paper_wait_ms = 120000;
	c->max_reprints = 3;
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void set_state(struct printer_service *s, enum printer_state st)
{
	pthread_mutex_lock(&s->mu);
	bool changed = !s->state_known || s->state != st;
	s->state = st;
	s->state_known = true;
	pthread_mutex_unlock(&s->mu);
	if (changed) {
		log_info("printer", "state", "state=%s", printer_state_name(st));
		if (s->cfg.on_state)
			s->cfg.on_state(s->cfg.ud, st);
	}
}

static enum printer_state poll_state(struct printer_service *s)
{
	enum printer_state st;
	if (printer_dev_status(s->cfg.dev, &st) != 0)
		st = PRINTER_OFFLINE;
	set_state(s, st);
	return st;
}

static bool ready(enum printer_state st)
{
	return st == PRINTER_OK || st == PRINTER_NEAR_END;
}

/* Waits for the printer to be able to print: returns its state (ready, or the state that
 * did not clear within paper_wait_ms, or OFFLINE at once when it does not answer). */
static enum printer_state wait_ready(struct printer_service *s)
{
	int64_t deadline = now_ms() + s->cfg.paper_wait_ms;
	for (;;) {
		enum printer_state st = poll_state(s);
		if (ready(st) || st == PRINTER_OFFLINE)
			return st;
		int64_t left = deadline - now_ms();
		if (left <= 0)
			return st;
		if (!worker_nap((int)(left < s->cfg.poll_ms ? left : s->cfg.poll_ms)))
			return st;
	}
}

static enum printer_outcome failure_for(enum printer_state st)
{
	return st == PRINTER_PAPER_OUT ? PRINTER_FAILED_PAPER_OUT
	     : st == PRINTER_OFFLINE ? PRINTER_FAILED_OFFLINE
	     : PRINTER_FAILED_PAPER_OUT; /* cover open / error that never cleared */
}

/* Prints one job: wait until ready, send, check; after paper out mid-receipt, again from
 * the start.  *ret_attempts = how many times the receipt was sent. */
static enum printer_outcome run_job(struct printer_service *s, struct job *j, int *ret_attempts)
{
	enum printer_outcome outcome;
	int attempts = 0;
	for (;;) {
		enum printer_state st = wait_ready(s);
		if (!ready(st)) {
			outcome = failure_for(st);
			break;
		}
		attempts++;
		int r = printer_dev_print(s->cfg.dev, &j->doc, j->tag);
		if (r != 0) {
			/* A link failure, or a document the printer cannot take (which will not
			 * get better by retrying): either way nothing is known to be printed. */
			if (r != PRINTER_EINVAL)
				set_state(s, PRINTER_OFFLINE);
			outcome = PRINTER_FAILED_OFFLINE;
			break;
		}
		st = poll_state(s);
		if (ready(st)) {
			outcome = PRINTER_PRINTED;
			break;
		}
		log_warn("printer", "job_interrupted", "job=%llu tag=%s state=%s attempt=%d",
			 (unsigned long long)j->id, j->tag, printer_state_name(st), attempts);
		if (st == PRINTER_OFFLINE || attempts > s->cfg.max_reprints || worker_stopping()) {
			outcome = failure_for(st);
			break;
		}
	}
	*ret_attempts = attempts;
	return outcome;
}

static void report(struct printer_service *s, struct job *j, enum printer_outcome o, int attempts)
{
	log_info("printer", "job_done", "job=%llu tag=%s outcome=%s attempts=%d",
		 (unsigned long long)j->id, j->tag, printer_outcome_name(o), attempts);
	if (s->cfg.on_job)
		s->cfg.on_job(s->cfg.ud, j->id, o, attempts);
	receipt_doc_free(&j->doc);
}

/* A job, on the service thread.  Once the service is stopping the jobs still queued are
 * not printed: each is reported FAILED_OFFLINE here, so on_job stays on this thread. */
static void run(void *ctx, void *job)
{
	struct printer_service *s = ctx;
	struct job *j = job;
	int attempts = 0;
	enum printer_outcome o = worker_stopping() ? PRINTER_FAILED_OFFLINE : run_job(s, j, &attempts);
	report(s, j, o, attempts);
	worker_idle_in(s->cfg.poll_ms); /* the next status poll: poll_ms after the last job */
}

/* Idle: the status poll, every poll_ms (the first at once). */
static int idle(void *ctx)
{
	struct printer_service *s = ctx;
	poll_state(s);
	return s->cfg.poll_ms;
}

struct printer_service *printer_service_start(const struct printer_service_cfg *c)
{
	struct printer_service *s = xcalloc(1, sizeof *s);
	s->cfg = *c;
	if (s->cfg.poll_ms <= 0)
		s->cfg.poll_ms = 2000;
	if (s->cfg.paper_wait_ms < 0)
		s->cfg.paper_wait_ms = 0;
	if (s->cfg.max_reprints < 0)
		s->cfg.max_reprints = 0;
	s->next_id = 1;
	pthread_mutex_init(&s->mu, NULL);
	struct worker_cfg wc = { .name = "printer", .job_size = sizeof(struct job),
				 .capacity = PRINTER_INBOX_MAX, .run = run, .idle = idle, .ctx = s };
	s->w = worker_start(&wc);
	if (!s->w) {
		pthread_mutex_destroy(&s->mu);
		printer_dev_destroy(s->cfg.dev);
		free(s);
		return NULL;
	}
	return s;
}

uint64_t printer_service_submit(struct printer_service *s, struct receipt_doc *doc, const char *tag)
{
	struct job j;
	memset(&j, 0, sizeof j);
	j.doc = *doc;
	size_t i = 0;
	for (; tag && tag[i] && i < sizeof j.tag - 1; i++) {
		char c = tag[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			  c == '-' || c == '_';
		j.tag[i] = ok ? c : '_';
	}
	if (i == 0)
		strcpy(j.tag, "receipt");
	/* The id is taken with the submit under mu: ids follow the queue's order. */
	pthread_mutex_lock(&s->mu);
	j.id = s->next_id;
	bool queued = worker_submit(s->w, &j) == 0;
	if (queued)
		s->next_id++;
	pthread_mutex_unlock(&s->mu);
	if (!queued)
		return 0; /* the doc stays the caller's */
	receipt_doc_init(doc); /* the queued copy owns its contents now */
	return j.id;
}

enum printer_state printer_service_state(struct printer_service *s)
{
	pthread_mutex_lock(&s->mu);
	enum printer_state st = s->state_known ? s->state : PRINTER_OFFLINE;
	pthread_mutex_unlock(&s->mu);
	return st;
}

void printer_service_stop(struct printer_service *s)
{
	if (!s)
		return;
	/* DRAIN: the running job finishes or fails (its waits end at the stop), every queued
	 * one is reported FAILED_OFFLINE by run. */
	worker_stop(s->w, WORKER_DRAIN);
	printer_dev_destroy(s->cfg.dev);
	pthread_mutex_destroy(&s->mu);
	free(s);
}
