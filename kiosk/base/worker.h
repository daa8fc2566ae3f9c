#ifndef KIOSK_WORKER_H
#define KIOSK_WORKER_H
/* The one worker skeleton every thread of the program is built on (the services' workers,
 * the device services, the sync engine, speech): a thread that runs jobs one at a time, in
 * the order they were submitted, from a bounded queue, and between jobs, when it is due, an
 * idle step of the owner's (a device's status poll, a reconnect, a read, a sync pass).
 *
 * Promises:
 *  - a job is a fixed-size value copied into the queue at submit (the submitter keeps
 *    nothing shared with the worker); its bytes are wiped once it has run or been dropped
 *    (a job may carry a PIN);
 *  - a full queue refuses the job and says so (worker_submit returns -1 and logs
 *    `<name> queue_full`); nothing is ever dropped silently.  With full_drops_oldest the
 *    oldest queued job is dropped instead (handed to drop, logged `queue_full_dropped`)
 *    and the new one taken: for work where only the latest matters (speech);
 *  - idle, when set, runs on the worker thread: first at once after start, before any job
 *    (a device connects before its first command), then only while the queue is empty and
 *    its time has come; it returns the ms until it wants to run again.  A job moves that
 *    time with worker_idle_in; otherwise jobs leave it where it was;
 *  - every wait (for a job, for idle's time, worker_nap) is on CLOCK_MONOTONIC: a change of
 *    the wall clock neither cuts it short nor stretches it;
 *  - worker_stop ends the thread in order: it flags the stop (worker_nap and
 *    worker_stopping see it at once, idle is not called again), calls on_stop on the
 *    stopping thread (the owner hurries a long job along: a PIN-pad's cancel), then joins.
 *    WORKER_DRAIN runs every queued job first, WORKER_DROP hands each queued job to the
 *    drop callback and logs how many it dropped; a job already running always finishes.
 * Thread-safe: worker_submit, worker_pending, worker_idle, worker_wait_idle from any thread
 * (but the worker's own, for the last); worker_stop from one; worker_nap and
 * worker_stopping from the worker's own jobs and idle, worker_idle_in from its jobs (idle
 * says when it comes next by what it returns, which wins). */
#include <stdbool.h>
#include <stddef.h>

/* RUN: performs one job on the worker thread.  DROP: frees what a job owns when it is
 * dropped unrun (may be NULL when jobs own nothing; with full_drops_oldest it may be called
 * from a submitting thread, under the worker's lock: it must not call the worker). */
typedef void (*worker_fn)(void *ctx, void *job);

struct worker_cfg {
	const char *name;   /* for the log: a static string */
	size_t job_size;    /* bytes copied per job; 0 with run NULL: a worker that takes no jobs */
	int capacity;       /* queued jobs at most (the running one not counted) */
	worker_fn run, drop;
	/* Optional: the idle step (above); returns ms until the next one (< 0 counts as 0). */
	int (*idle)(void *ctx);
	/* Optional: called by worker_stop between flagging the stop and the join. */
	void (*on_stop)(void *ctx);
	bool full_drops_oldest;
	void *ctx;
};

enum worker_stop { WORKER_DRAIN, WORKER_DROP };

struct worker;

/* NULL when the configuration is unusable (neither run nor idle, or run without a job size
 * and capacity) or the thread cannot be started (logged). */
struct worker *worker_start(const struct worker_cfg *c);
/* Copies JOB into the queue: 0, or -1 when the queue is full, the worker is stopping or
 * takes no jobs. */
int worker_submit(struct worker *w, const void *job);
/* Jobs queued and not yet started. */
int worker_pending(struct worker *w);
/* Nothing queued and nothing running: every job submitted so far has been done. */
bool worker_idle(struct worker *w);
/* Waits until worker_idle would say so (or the thread has ended), leaving the thread there
 * for more: what the jobs wrote is the caller's to read from then on.  Not from the
 * worker's own thread. */
void worker_wait_idle(struct worker *w);
/* Stops and frees the worker (NULL is fine). */
void worker_stop(struct worker *w, enum worker_stop how);

/* For code that runs on a worker thread (a job, idle, what they call).  Outside any worker
 * thread (a unit test calling a service's code directly) worker_nap just sleeps and returns
 * true, worker_stopping is false and worker_idle_in does nothing. */
/* Sleeps up to MS, waking early only when the worker is being stopped; false when stopping. */
bool worker_nap(int ms);
/* Whether worker_stop has been called on the calling thread's worker. */
bool worker_stopping(void);
/* From a job: the next idle step MS from now (0: as soon as the queue is empty). */
void worker_idle_in(int ms);

#endif
