/* The worker skeleton (worker.h): a ring of fixed-size jobs under one mutex, a condvar on
 * CLOCK_MONOTONIC for the thread to sleep on (for a job, idle's time, a nap), and a stop
 * flag.  The thread knows its worker through a thread-local pointer, so that worker_nap and
 * friends need no argument deep inside a device's code. */
#include "kiosk/base/worker.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kiosk/base/clock.h"
#include "kiosk/base/log.h"
#include "kiosk/base/xalloc.h"

struct worker {
	struct worker_cfg c;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;    /* on CLOCK_MONOTONIC */
	pthread_cond_t done;  /* broadcast when the queue runs empty, and when the thread ends */
	unsigned char *ring;  /* capacity * job_size bytes */
	int head, count;      /* under mu */
	bool stopping, drop;  /* under mu */
	bool running;         /* a job is being run (under mu) */
	bool ended;           /* the thread has left its loop (under mu) */
	unsigned char *cur;   /* the running job's copy: the thread's alone */
	int64_t idle_at;      /* machine-monotonic ms of the next idle step: the thread's alone */
};

/* The worker whose thread this is (NULL on any other thread). */
static _Thread_local struct worker *self;

/* The machine's monotonic clock, not clock_mono_ms: the waits are bounds on the machine's
 * condvar clock, which `advance` in a test does not move (clock_deadline says the same). */
static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits on cv (mu held) until signalled or the machine-monotonic instant AT. */
static void wait_until(struct worker *w, int64_t at)
{
	int64_t left = at - mono_ms();
	if (left <= 0)
		return;
	struct timespec ts = clock_deadline(CLOCK_MONOTONIC, left);
	pthread_cond_timedwait(&w->cv, &w->mu, &ts);
}

/* One idle step (mu held on entry and on return). */
static void idle_step(struct worker *w)
{
	pthread_mutex_unlock(&w->mu);
	int next = w->c.idle(w->c.ctx);
	w->idle_at = mono_ms() + (next > 0 ? next : 0);
	pthread_mutex_lock(&w->mu);
}

/* One job from the head of the ring (mu held on entry and on return). */
static void job_step(struct worker *w)
{
	unsigned char *slot = w->ring + (size_t)w->head * w->c.job_size;
	memcpy(w->cur, slot, w->c.job_size);
	explicit_bzero(slot, w->c.job_size); /* a job may carry a PIN: one copy at a time */
	w->head = (w->head + 1) % w->c.capacity;
	w->count--;
	w->running = true;
	pthread_mutex_unlock(&w->mu);
	w->c.run(w->c.ctx, w->cur);
	explicit_bzero(w->cur, w->c.job_size);
	pthread_mutex_lock(&w->mu);
	w->running = false;
	if (w->count == 0)
		pthread_cond_broadcast(&w->done);
}

static void *run(void *arg)
{
	struct worker *w = arg;
	self = w;
	pthread_mutex_lock(&w->mu);
	if (w->c.idle && !w->stopping)
		idle_step(w); /* before any job: a device connects before its first command */
	for (;;) {
		if (w->count == 0 && !w->stopping) {
			if (!w->c.idle)
				pthread_cond_wait(&w->cv, &w->mu);
			else if (mono_ms() >= w->idle_at)
				idle_step(w);
			else
				wait_until(w, w->idle_at);
			continue;
		}
		/* Stopping with DROP leaves the queue to worker_stop; with DRAIN it empties it. */
		if (w->count == 0 || (w->stopping && w->drop))
			break;
		job_step(w);
	}
	w->ended = true;
	pthread_cond_broadcast(&w->done);
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

static void worker_free(struct worker *w)
{
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
	pthread_cond_destroy(&w->done);
	free(w->cur);
	free(w->ring);
	free(w);
}

struct worker *worker_start(const struct worker_cfg *c)
{
	bool jobs = c->run && c->job_size > 0 && c->capacity > 0;
	bool none = !c->run && c->job_size == 0 && c->capacity == 0;
	if (!(jobs || (none && c->idle)))
		return NULL;
	struct worker *w = xcalloc(1, sizeof *w);
	w->c = *c;
	if (jobs) {
		w->ring = xcalloc((size_t)c->capacity, c->job_size);
		w->cur = xcalloc(1, c->job_size);
	}
	pthread_mutex_init(&w->mu, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&w->cv, &ca);
	pthread_condattr_destroy(&ca);
	pthread_cond_init(&w->done, NULL);
	int rc = pthread_create(&w->thread, NULL, run, w);
	if (rc != 0) {
		log_error(c->name, "no_thread", "capacity=%d err=%d", c->capacity, rc);
		worker_free(w);
		return NULL;
	}
	return w;
}

/* Makes room for one more job by dropping the oldest (mu held, queue full). */
static void drop_oldest(struct worker *w)
{
	unsigned char *slot = w->ring + (size_t)w->head * w->c.job_size;
	if (w->c.drop)
		w->c.drop(w->c.ctx, slot);
	explicit_bzero(slot, w->c.job_size);
	w->head = (w->head + 1) % w->c.capacity;
	w->count--;
}

int worker_submit(struct worker *w, const void *job)
{
	if (!w->c.run) {
		log_error(w->c.name, "no_jobs", "capacity=0");
		return -1;
	}
	pthread_mutex_lock(&w->mu);
	bool dropped = false;
	if (!w->stopping && w->count == w->c.capacity && w->c.full_drops_oldest) {
		drop_oldest(w);
		dropped = true;
	}
	if (w->stopping || w->count == w->c.capacity) {
		bool full = !w->stopping;
		pthread_mutex_unlock(&w->mu);
		log_error(w->c.name, full ? "queue_full" : "stopping", "capacity=%d", w->c.capacity);
		return -1;
	}
	int tail = (w->head + w->count) % w->c.capacity;
	memcpy(w->ring + (size_t)tail * w->c.job_size, job, w->c.job_size);
	w->count++;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	if (dropped)
		log_warn(w->c.name, "queue_full_dropped", "capacity=%d dropped=oldest", w->c.capacity);
	return 0;
}

bool worker_idle(struct worker *w)
{
	pthread_mutex_lock(&w->mu);
	bool idle = w->count == 0 && !w->running;
	pthread_mutex_unlock(&w->mu);
	return idle;
}

void worker_wait_idle(struct worker *w)
{
	pthread_mutex_lock(&w->mu);
	while ((w->count > 0 || w->running) && !w->ended)
		pthread_cond_wait(&w->done, &w->mu);
	pthread_mutex_unlock(&w->mu);
}

int worker_pending(struct worker *w)
{
	pthread_mutex_lock(&w->mu);
	int n = w->count;
	pthread_mutex_unlock(&w->mu);
	return n;
}

void worker_stop(struct worker *w, enum worker_stop how)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	w->stopping = true;
	w->drop = how == WORKER_DROP;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
	if (w->c.on_stop)
		w->c.on_stop(w->c.ctx);
	pthread_join(w->thread, NULL);
	/* The thread has ended: what is left in the ring is ours. */
	if (w->count > 0)
		log_info(w->c.name, "stop_dropped", "jobs=%d", w->count);
	while (w->count > 0)
		drop_oldest(w);
	worker_free(w);
}

bool worker_nap(int ms)
{
	struct worker *w = self;
	if (!w) {
		struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
		while (ms > 0 && nanosleep(&ts, &ts) != 0 && errno == EINTR)
			;
		return true;
	}
	int64_t until = mono_ms() + (ms > 0 ? ms : 0);
	pthread_mutex_lock(&w->mu);
	/* A submit signals cv too: only the stop or the end of the time ends the nap. */
	while (!w->stopping && mono_ms() < until)
		wait_until(w, until);
	bool go = !w->stopping;
	pthread_mutex_unlock(&w->mu);
	return go;
}

bool worker_stopping(void)
{
	struct worker *w = self;
	if (!w)
		return false;
	pthread_mutex_lock(&w->mu);
	bool s = w->stopping;
	pthread_mutex_unlock(&w->mu);
	return s;
}

void worker_idle_in(int ms)
{
	if (self)
		self->idle_at = mono_ms() + (ms > 0 ? ms : 0);
}
