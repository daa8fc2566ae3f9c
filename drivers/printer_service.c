/* Printer service thread: inbox, idle polling, whole-receipt reprint after paper out. */
#include "drivers/printer_service.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kiosk/base/clock.h"
#include "kiosk/base/log.h"
#include "kiosk/base/xalloc.h"

struct job {
	uint64_t id;
	struct receipt_doc doc;
	char tag[40];
};

struct printer_service {
	struct printer_service_cfg cfg;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stopping;
	struct job inbox[PRINTER_INBOX_MAX];
	size_t head, count;
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

/* Waits up to ms for a new job or stop (mu held).  The condvar runs on CLOCK_MONOTONIC. */
static void wait_locked(struct printer_service *s, int ms)
{
	struct timespec ts = clock_deadline(CLOCK_MONOTONIC, ms);
	pthread_cond_timedwait(&s->cv, &s->mu, &ts);
}

static bool stopping(struct printer_service *s)
{
	pthread_mutex_lock(&s->mu);
	bool r = s->stopping;
	pthread_mutex_unlock(&s->mu);
	return r;
}

/* Sleeps ms unless stop is asked; returns false when stopping. */
static bool nap(struct printer_service *s, int ms)
{
	pthread_mutex_lock(&s->mu);
	if (!s->stopping)
		wait_locked(s, ms);
	bool r = !s->stopping;
	pthread_mutex_unlock(&s->mu);
	return r;
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
		if (!nap(s, (int)(left < s->cfg.poll_ms ? left : s->cfg.poll_ms)))
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
		if (st == PRINTER_OFFLINE || attempts > s->cfg.max_reprints || stopping(s)) {
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

static void *service_main(void *arg)
{
	struct printer_service *s = arg;
	int64_t next_poll = 0;
	pthread_mutex_lock(&s->mu);
	while (!s->stopping) {
		if (s->count) {
			struct job j = s->inbox[s->head];
			s->head = (s->head + 1) % PRINTER_INBOX_MAX;
			s->count--;
			pthread_mutex_unlock(&s->mu);
			int attempts = 0;
			enum printer_outcome o = run_job(s, &j, &attempts);
			report(s, &j, o, attempts);
			next_poll = now_ms() + s->cfg.poll_ms;
			pthread_mutex_lock(&s->mu);
			continue;
		}
		int64_t left = next_poll - now_ms();
		if (left > 0) {
			wait_locked(s, (int)left);
			continue;
		}
		pthread_mutex_unlock(&s->mu);
		poll_state(s);
		next_poll = now_ms() + s->cfg.poll_ms;
		pthread_mutex_lock(&s->mu);
	}
	while (s->count) {
		struct job j = s->inbox[s->head];
		s->head = (s->head + 1) % PRINTER_INBOX_MAX;
		s->count--;
		pthread_mutex_unlock(&s->mu);
		report(s, &j, PRINTER_FAILED_OFFLINE, 0);
		pthread_mutex_lock(&s->mu);
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
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
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s->cv, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&s->thread, NULL, service_main, s) != 0) {
		log_error("printer", "thread_failed", "errno=%d", errno);
		pthread_cond_destroy(&s->cv);
		pthread_mutex_destroy(&s->mu);
		printer_dev_destroy(s->cfg.dev);
		free(s);
		return NULL;
	}
	return s;
}

uint64_t printer_service_submit(struct printer_service *s, struct receipt_doc *doc, const char *tag)
{
	pthread_mutex_lock(&s->mu);
	if (s->stopping || s->count == PRINTER_INBOX_MAX) {
		pthread_mutex_unlock(&s->mu);
		return 0;
	}
	struct job *j = &s->inbox[(s->head + s->count) % PRINTER_INBOX_MAX];
	memset(j, 0, sizeof *j);
	j->id = s->next_id++;
	j->doc = *doc;
	receipt_doc_init(doc);
	size_t i = 0;
	for (; tag && tag[i] && i < sizeof j->tag - 1; i++) {
		char c = tag[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			  c == '-' || c == '_';
		j->tag[i] = ok ? c : '_';
	}
	if (i == 0)
		strcpy(j->tag, "receipt");
	s->count++;
	uint64_t id = j->id;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
	return id;
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
	pthread_mutex_lock(&s->mu);
	s->stopping = true;
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
	pthread_join(s->thread, NULL);
	printer_dev_destroy(s->cfg.dev);
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->mu);
	free(s);
}
