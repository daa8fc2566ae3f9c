/* The worker skeleton (kiosk/base/worker.h): jobs run in order, a full queue refuses and says
 * so, stop drains or drops what is queued while a job is running. */
#include <pthread.h>
#include <sched.h>
#include <time.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "kiosk/base/worker.h"

struct job { int n; int *owned; };

struct rec {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int ran[64], nran, dropped;
	bool hold, held;        /* the first job waits until released */
};

static void run_job(void *ctx, void *job)
{
	struct rec *r = ctx;
	struct job *j = job;
	pthread_mutex_lock(&r->mu);
	if (r->hold) {
		r->held = true;
		pthread_cond_broadcast(&r->cv);
		while (r->hold)
			pthread_cond_wait(&r->cv, &r->mu);
	}
	r->ran[r->nran++] = j->n;
	pthread_mutex_unlock(&r->mu);
	free(j->owned);
}

static void drop_job(void *ctx, void *job)
{
	struct rec *r = ctx;
	struct job *j = job;
	free(j->owned); /* what a dropped job owns is freed: LSan checks */
	pthread_mutex_lock(&r->mu);
	r->dropped++;
	pthread_mutex_unlock(&r->mu);
}

static struct worker *start(struct rec *r, int cap)
{
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->cv, NULL);
	struct worker_cfg c = { .name = "test_worker", .job_size = sizeof(struct job), .capacity = cap,
				.run = run_job, .drop = drop_job, .ctx = r };
	struct worker *w = worker_start(&c);
	assert_non_null(w);
	return w;
}

static void submit(struct worker *w, int n)
{
	struct job j = { .n = n, .owned = malloc(16) };
	int rc = worker_submit(w, &j);
	if (rc != 0)
		free(j.owned);
	assert_int_equal(rc, 0);
}

/* Parks the worker inside its first job, so what follows stays queued. */
static void hold_first(struct rec *r, struct worker *w)
{
	r->hold = true;
	submit(w, 0);
	pthread_mutex_lock(&r->mu);
	while (!r->held)
		pthread_cond_wait(&r->cv, &r->mu);
	pthread_mutex_unlock(&r->mu);
}

static void release(struct rec *r)
{
	pthread_mutex_lock(&r->mu);
	r->hold = false;
	pthread_cond_broadcast(&r->cv);
	pthread_mutex_unlock(&r->mu);
}

static void done(struct rec *r)
{
	pthread_mutex_destroy(&r->mu);
	pthread_cond_destroy(&r->cv);
}

static void test_order(void **state)
{
	(void)state;
	struct rec r = { 0 };
	struct worker *w = start(&r, 8);
	for (int i = 1; i <= 40; i++) { /* more than the capacity: the ring wraps */
		while (worker_pending(w) >= 8)
			sched_yield(); /* the worker keeps up; wait for a slot */
		submit(w, i);
	}
	worker_stop(w, WORKER_DRAIN);
	assert_int_equal(r.nran, 40);
	for (int i = 0; i < 40; i++)
		assert_int_equal(r.ran[i], i + 1);
	assert_int_equal(r.dropped, 0);
	done(&r);
}

static void test_full_queue_refuses(void **state)
{
	(void)state;
	struct rec r = { 0 };
	struct worker *w = start(&r, 3);
	hold_first(&r, w);
	for (int i = 1; i <= 3; i++)
		submit(w, i);
	assert_int_equal(worker_pending(w), 3);
	struct job extra = { .n = 99 };
	assert_int_equal(worker_submit(w, &extra), -1); /* refused, and logged */
	release(&r);
	worker_stop(w, WORKER_DRAIN);
	assert_int_equal(r.nran, 4);
	for (int i = 0; i < 4; i++)
		assert_int_equal(r.ran[i], i); /* the refused one never ran */
	done(&r);
}

/* Idle means done: not while a job runs with nothing queued (the scripts' db checks wait
 * for exactly this), only once it has returned. */
static void test_idle(void **state)
{
	(void)state;
	struct rec r = { 0 };
	struct worker *w = start(&r, 4);
	assert_true(worker_idle(w));
	hold_first(&r, w);
	assert_int_equal(worker_pending(w), 0);
	assert_false(worker_idle(w)); /* running, nothing queued */
	submit(w, 1);
	assert_false(worker_idle(w));
	release(&r);
	while (!worker_idle(w))
		sched_yield();
	pthread_mutex_lock(&r.mu);
	assert_int_equal(r.nran, 2); /* idle only after both had run */
	pthread_mutex_unlock(&r.mu);
	worker_stop(w, WORKER_DRAIN);
	done(&r);
}

static void test_stop_drains_while_busy(void **state)
{
	(void)state;
	struct rec r = { 0 };
	struct worker *w = start(&r, 4);
	hold_first(&r, w);
	submit(w, 1);
	submit(w, 2);
	release(&r);
	worker_stop(w, WORKER_DRAIN);
	assert_int_equal(r.nran, 3);
	assert_int_equal(r.ran[2], 2);
	assert_int_equal(r.dropped, 0);
	done(&r);
}

struct stopper { struct worker *w; struct rec *r; };

static void *stop_drop(void *arg)
{
	struct stopper *s = arg;
	worker_stop(s->w, WORKER_DROP);
	return NULL;
}

static void test_stop_drops_while_busy(void **state)
{
	(void)state;
	struct rec r = { 0 };
	struct worker *w = start(&r, 4);
	hold_first(&r, w);
	submit(w, 1);
	submit(w, 2);
	/* stop from another thread while job 0 runs; then let it finish */
	struct stopper s = { w, &r };
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, stop_drop, &s), 0);
	struct timespec ts = { 0, 100 * 1000 * 1000 }; /* the stopper is waiting in worker_stop */
	nanosleep(&ts, NULL);
	release(&r);
	pthread_join(t, NULL);
	assert_int_equal(r.nran, 1); /* the running job finished */
	assert_int_equal(r.ran[0], 0);
	assert_int_equal(r.dropped, 2); /* the queued ones were handed to drop */
	done(&r);
}

static void test_bad_config(void **state)
{
	(void)state;
	struct worker_cfg c = { .name = "test_worker", .job_size = 0, .capacity = 1, .run = run_job };
	assert_null(worker_start(&c));
	worker_stop(NULL, WORKER_DRAIN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_full_queue_refuses),
		cmocka_unit_test(test_idle),
		cmocka_unit_test(test_stop_drains_while_busy),
		cmocka_unit_test(test_stop_drops_while_busy),
		cmocka_unit_test(test_bad_config),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
