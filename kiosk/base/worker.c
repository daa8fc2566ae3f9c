/* The worker skeleton (worker.h): a ring of fixed-size jobs under one mutex, a condvar
 * for the thread to sleep on, and a stop flag. */
#include "kiosk/base/worker.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/base/log.h"
#include "kiosk/base/xalloc.h"

struct worker {
	struct worker_cfg c;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	unsigned char *ring;  /* capacity * job_size bytes */
	int head, count;      /* under mu */
	bool stopping, drop;  /* under mu */
	bool running;         /* a job is being run (under mu) */
	unsigned char *cur;   /* the running job's copy: the thread's alone */
};

static void *run(void *arg)
{
	struct worker *w = arg;
	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (w->count == 0 && !w->stopping)
			pthread_cond_wait(&w->cv, &w->mu);
		/* Stopping with DROP leaves the queue to worker_stop; with DRAIN it empties it. */
		if (w->count == 0 || (w->stopping && w->drop))
			break;
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
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

struct worker *worker_start(const struct worker_cfg *c)
{
	if (!c->run || c->job_size == 0 || c->capacity <= 0)
		return NULL;
	struct worker *w = xcalloc(1, sizeof *w);
	w->c = *c;
	w->ring = xcalloc((size_t)c->capacity, c->job_size);
	w->cur = xcalloc(1, c->job_size);
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	if (pthread_create(&w->thread, NULL, run, w) != 0) {
		log_error(c->name, "no_thread", "capacity=%d", c->capacity);
		pthread_mutex_destroy(&w->mu);
		pthread_cond_destroy(&w->cv);
		free(w->cur);
		free(w->ring);
		free(w);
		return NULL;
	}
	return w;
}

int worker_submit(struct worker *w, const void *job)
{
	pthread_mutex_lock(&w->mu);
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
	return 0;
}

bool worker_idle(struct worker *w)
{
	pthread_mutex_lock(&w->mu);
	bool idle = w->count == 0 && !w->running;
	pthread_mutex_unlock(&w->mu);
	return idle;
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
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	/* The thread has ended: what is left in the ring is ours. */
	if (w->count > 0)
		log_info(w->c.name, "stop_dropped", "jobs=%d", w->count);
	for (; w->count > 0; w->count--) {
		if (w->c.drop)
			w->c.drop(w->c.ctx, w->ring + (size_t)w->head * w->c.job_size);
		explicit_bzero(w->ring + (size_t)w->head * w->c.job_size, w->c.job_size);
		w->head = (w->head + 1) % w->c.capacity;
	}
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
	free(w->cur);
	free(w->ring);
	free(w);
}
