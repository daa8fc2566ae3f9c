/* The worker skeleton (kiosk/base/worker.h): jobs run in order, a full queue refuses and says
 * so (or drops the oldest when asked to), stop drains or drops what is queued while a job is
 * running, waiting for idle waits for every job submitted and leaves the thread running; the idle step runs first, at its interval, never during a job, and a job moves
 * it; naps end at their time or at once on stop; on_stop runs before the join; every wait
 * is on CLOCK_MONOTONIC. */
#include <dlfcn.h>
#include <pthread.h>
#include <sched.h>
#include <time.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
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

static void *release_later(void *arg)
{
	nanosleep(&(struct timespec){ 0, 50 * 1000 * 1000 }, NULL);
	release(arg);
	return NULL;
}

/* worker_wait_idle returns at once on an idle worker; otherwise only once every job queued
 * before it has run (the first one held 50 ms by another thread), and the thread stays to
 * run more. */
static void test_wait_idle(void **state)
{
	(void)state;
	struct rec r = { 0 };
	struct worker *w = start(&r, 4);
	worker_wait_idle(w);
	hold_first(&r, w);
	submit(w, 1);
	submit(w, 2);
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, release_later, &r), 0);
	worker_wait_idle(w); /* ordered after the jobs by the worker's own lock */
	assert_int_equal(r.nran, 3);
	assert_true(worker_idle(w));
	submit(w, 3);
	worker_wait_idle(w);
	assert_int_equal(r.nran, 4);
	assert_int_equal(r.ran[3], 3);
	pthread_join(t, NULL);
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

static int long_idle(void *ctx)
{
	(void)ctx;
	return 60000;
}

static void test_bad_config(void **state)
{
	(void)state;
	struct worker_cfg c = { .name = "test_worker", .job_size = 0, .capacity = 1, .run = run_job };
	assert_null(worker_start(&c));
	struct worker_cfg nothing = { .name = "test_worker" }; /* neither jobs nor idle */
	assert_null(worker_start(&nothing));
	worker_stop(NULL, WORKER_DRAIN);
	/* idle only: runs, takes no jobs */
	struct worker_cfg idle_only = { .name = "test_worker", .idle = long_idle };
	struct worker *w = worker_start(&idle_only);
	assert_non_null(w);
	struct job j = { .n = 1 };
	assert_int_equal(worker_submit(w, &j), -1);
	worker_stop(w, WORKER_DRAIN);
}

static void test_full_drops_oldest(void **state)
{
	(void)state;
	struct rec r = { 0 };
	pthread_mutex_init(&r.mu, NULL);
	pthread_cond_init(&r.cv, NULL);
	struct worker_cfg c = { .name = "test_worker", .job_size = sizeof(struct job), .capacity = 3,
				.run = run_job, .drop = drop_job, .ctx = &r, .full_drops_oldest = true };
	struct worker *w = worker_start(&c);
	assert_non_null(w);
	hold_first(&r, w);
	for (int i = 1; i <= 4; i++)
		submit(w, i); /* the fourth is taken: the first queued one goes */
	assert_int_equal(worker_pending(w), 3);
	pthread_mutex_lock(&r.mu);
	assert_int_equal(r.dropped, 1);
	pthread_mutex_unlock(&r.mu);
	release(&r);
	worker_stop(w, WORKER_DRAIN);
	assert_int_equal(r.nran, 4);
	int want[] = { 0, 2, 3, 4 };
	for (int i = 0; i < 4; i++)
		assert_int_equal(r.ran[i], want[i]);
	done(&r);
}

/* ---------------------------------------------------------------- idle, naps, stop */

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* What the idle and nap tests see, under mu. */
struct idler {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int interval;               /* what idle returns */
	int nidle, during_job;      /* idle calls; of them while a job ran */
	int64_t first_idle;         /* when idle first ran */
	char order[8];              /* 'i' idle, 'j' job: the first few, in order */
	int norder;
	bool in_job, job_started, hurried, saw_hurry, saw_stopping;
	bool nap_ok;
	int64_t nap_took;
};

static void note(struct idler *d, char what)
{
	if (d->norder < (int)sizeof d->order - 1)
		d->order[d->norder++] = what;
}

static int idle_count(void *ctx)
{
	struct idler *d = ctx;
	pthread_mutex_lock(&d->mu);
	if (d->nidle++ == 0)
		d->first_idle = now_ms();
	if (d->in_job)
		d->during_job++;
	note(d, 'i');
	int next = d->interval;
	pthread_mutex_unlock(&d->mu);
	return next;
}

/* Jobs for the idle tests: n > 0 naps n ms; n == 0 holds until released (hold/release
 * through `hurried`); n < 0 reschedules idle in -n - 1 ms. */
static void idle_job(void *ctx, void *job)
{
	struct idler *d = ctx;
	struct job *j = job;
	pthread_mutex_lock(&d->mu);
	d->in_job = true;
	d->job_started = true;
	note(d, 'j');
	pthread_cond_broadcast(&d->cv);
	pthread_mutex_unlock(&d->mu);
	if (j->n > 0) {
		int64_t t0 = now_ms();
		bool ok = worker_nap(j->n);
		pthread_mutex_lock(&d->mu);
		d->nap_ok = ok;
		d->nap_took = now_ms() - t0;
		d->saw_stopping = worker_stopping();
		pthread_mutex_unlock(&d->mu);
	} else if (j->n == 0) {
		struct timespec until = { 0 };
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 5;
		pthread_mutex_lock(&d->mu);
		while (!d->hurried && pthread_cond_timedwait(&d->cv, &d->mu, &until) == 0)
			;
		d->saw_hurry = d->hurried;
		pthread_mutex_unlock(&d->mu);
		d->saw_stopping = worker_stopping();
	} else {
		worker_idle_in(-j->n - 1);
	}
	pthread_mutex_lock(&d->mu);
	d->in_job = false;
	pthread_mutex_unlock(&d->mu);
}

static void hurry(void *ctx)
{
	struct idler *d = ctx;
	pthread_mutex_lock(&d->mu);
	d->hurried = true;
	pthread_cond_broadcast(&d->cv);
	pthread_mutex_unlock(&d->mu);
}

static struct worker *start_idler(struct idler *d, int interval)
{
	memset(d, 0, sizeof *d);
	pthread_mutex_init(&d->mu, NULL);
	pthread_cond_init(&d->cv, NULL);
	d->interval = interval;
	struct worker_cfg c = { .name = "test_worker", .job_size = sizeof(struct job), .capacity = 4,
				.run = idle_job, .idle = idle_count, .on_stop = hurry, .ctx = d };
	struct worker *w = worker_start(&c);
	assert_non_null(w);
	return w;
}

static void job_n(struct worker *w, int n)
{
	struct job j = { .n = n };
	assert_int_equal(worker_submit(w, &j), 0);
}

static int nidle(struct idler *d)
{
	pthread_mutex_lock(&d->mu);
	int n = d->nidle;
	pthread_mutex_unlock(&d->mu);
	return n;
}

static void wait_job_started(struct idler *d)
{
	pthread_mutex_lock(&d->mu);
	while (!d->job_started)
		pthread_cond_wait(&d->cv, &d->mu);
	pthread_mutex_unlock(&d->mu);
}

static void idler_done(struct idler *d)
{
	pthread_mutex_destroy(&d->mu);
	pthread_cond_destroy(&d->cv);
}

/* The first idle step runs at once, before a job submitted right after the start (a
 * device connects before its first command), whatever the interval. */
static void test_idle_first(void **state)
{
	(void)state;
	for (int round = 0; round < 5; round++) {
		struct idler d;
		int64_t t0 = now_ms();
		struct worker *w = start_idler(&d, 60000);
		job_n(w, -60001); /* a job that leaves idle where it is (60 s on) */
		while (!worker_idle(w))
			sched_yield();
		worker_stop(w, WORKER_DRAIN);
		assert_int_equal(d.nidle, 1);
		assert_true(d.first_idle - t0 < 1000);
		assert_string_equal(d.order, "ij");
		idler_done(&d);
	}
}

/* Idle runs at its interval, and not while a job runs however long the job takes. */
static void test_idle_interval_not_during_jobs(void **state)
{
	(void)state;
	struct idler d;
	struct worker *w = start_idler(&d, 50);
	sleep_ms(520);
	int n = nidle(&d); /* at 0, 50, 100, ... ms: about 11 */
	assert_in_range(n, 4, 12);
	job_n(w, 0); /* held until on_stop... or released below */
	wait_job_started(&d);
	int at_hold = nidle(&d);
	sleep_ms(300);
	assert_int_equal(nidle(&d), at_hold); /* a queue with a running job is not idle */
	hurry(&d);
	while (!worker_idle(w))
		sched_yield();
	sleep_ms(300);
	assert_true(nidle(&d) > at_hold); /* and it comes back after */
	worker_stop(w, WORKER_DRAIN);
	assert_int_equal(d.during_job, 0);
	idler_done(&d);
}

/* A job moves the next idle step: at once, or later than it would have come. */
static void test_idle_in(void **state)
{
	(void)state;
	struct idler d;
	struct worker *w = start_idler(&d, 60000);
	while (nidle(&d) < 1)
		sched_yield();
	job_n(w, -1); /* idle_in(0): at once */
	int64_t t0 = now_ms();
	while (nidle(&d) < 2 && now_ms() - t0 < 3000)
		sched_yield();
	assert_int_equal(nidle(&d), 2);
	worker_stop(w, WORKER_DRAIN);
	idler_done(&d);

	w = start_idler(&d, 30); /* would run every 30 ms ... */
	while (nidle(&d) < 1)
		sched_yield();
	job_n(w, -1001); /* ... but a job puts it 1000 ms off */
	while (!worker_idle(w))
		sched_yield();
	int after = nidle(&d);
	sleep_ms(400);
	assert_int_equal(nidle(&d), after);
	t0 = now_ms();
	while (nidle(&d) == after && now_ms() - t0 < 3000)
		sleep_ms(5);
	assert_true(nidle(&d) > after);
	worker_stop(w, WORKER_DRAIN);
	idler_done(&d);
}

/* A nap lasts its time (a job submitted meanwhile does not end it) and returns true; on
 * stop it ends at once and returns false.  Outside a worker it just sleeps. */
static void test_nap(void **state)
{
	(void)state;
	struct idler d;
	struct worker *w = start_idler(&d, 60000);
	job_n(w, 200);
	wait_job_started(&d);
	sleep_ms(20);
	job_n(w, -60001); /* while the nap is on */
	while (!worker_idle(w))
		sched_yield();
	assert_true(d.nap_ok);
	assert_in_range(d.nap_took, 200, 2000);
	assert_false(d.saw_stopping);

	d.job_started = false;
	job_n(w, 30000);
	wait_job_started(&d);
	int64_t t0 = now_ms();
	worker_stop(w, WORKER_DRAIN);
	assert_true(now_ms() - t0 < 2000); /* not the 30 s */
	assert_false(d.nap_ok);
	assert_true(d.saw_stopping);
	idler_done(&d);

	t0 = now_ms();
	assert_true(worker_nap(100));
	assert_true(now_ms() - t0 >= 100);
	assert_false(worker_stopping());
	worker_idle_in(0); /* no worker here: nothing to move, nothing to crash */
}

/* on_stop runs after the stop is flagged and before the join: a job waiting for it ends. */
static void test_on_stop_before_join(void **state)
{
	(void)state;
	struct idler d;
	struct worker *w = start_idler(&d, 60000);
	job_n(w, 0);
	wait_job_started(&d);
	int64_t t0 = now_ms();
	worker_stop(w, WORKER_DRAIN); /* would wait the job's 5 s if on_stop came after the join */
	assert_true(now_ms() - t0 < 4000);
	assert_true(d.saw_hurry);
	assert_true(d.saw_stopping); /* the flag was up when on_stop ran */
	idler_done(&d);
}

/* Every condvar the skeleton waits on is set to CLOCK_MONOTONIC: the wall clock moving
 * (NTP, a technician) neither cuts a wait short nor stretches it.  The setting is seen
 * through this wrapper; test_nap shows the deadlines are taken on the same clock. */
static int setclock_calls;
static clockid_t setclock_last = -1;

int pthread_condattr_setclock(pthread_condattr_t *a, clockid_t clk)
{
	static int (*real)(pthread_condattr_t *, clockid_t);
	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "pthread_condattr_setclock");
	setclock_calls++;
	setclock_last = clk;
	return real(a, clk);
}

static void test_monotonic(void **state)
{
	(void)state;
	setclock_calls = 0;
	setclock_last = -1;
	struct idler d;
	struct worker *w = start_idler(&d, 60000);
	worker_stop(w, WORKER_DROP);
	idler_done(&d);
	assert_int_equal(setclock_calls, 1);
	assert_int_equal(setclock_last, CLOCK_MONOTONIC);
}
int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_full_queue_refuses),
		cmocka_unit_test(test_idle),
		cmocka_unit_test(test_wait_idle),
		cmocka_unit_test(test_stop_drains_while_busy),
		cmocka_unit_test(test_stop_drops_while_busy),
		cmocka_unit_test(test_bad_config),
		cmocka_unit_test(test_full_drops_oldest),
		cmocka_unit_test(test_idle_first),
		cmocka_unit_test(test_idle_interval_not_during_jobs),
		cmocka_unit_test(test_idle_in),
		cmocka_unit_test(test_nap),
		cmocka_unit_test(test_on_stop_before_join),
		cmocka_unit_test(test_monotonic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
