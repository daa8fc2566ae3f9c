#ifndef KIOSK_WORKER_H
#define KIOSK_WORKER_H
/* The one worker skeleton every worker thread is built on: a thread that runs
 * jobs one at a time, in the order they were submitted, from a bounded queue.
 *
 * Promises:
 *  - a job is a fixed-size value copied into the queue at submit (the submitter keeps
 *    nothing shared with the worker); its bytes are wiped once it has run or been dropped
 *    (a job may carry a PIN);
 *  - a full queue refuses the job and says so (worker_submit returns -1 and logs
 *    `<name> queue_full`); nothing is ever dropped silently;
 *  - worker_stop ends the thread in order: WORKER_DRAIN runs every queued job first,
 *    WORKER_DROP hands each queued job to the drop callback and logs how many it dropped;
 *    a job already running always finishes.
 * Thread-safe: worker_submit, worker_pending, worker_idle from any thread; worker_stop from one. */
#include <stdbool.h>
#include <stddef.h>

/* RUN: performs one job on the worker thread.  DROP: frees what a job owns when it is
 * dropped unrun (may be NULL when jobs own nothing). */
typedef void (*worker_fn)(void *ctx, void *job);

struct worker_cfg {
	const char *name;   /* for the log: a static string */
	size_t job_size;    /* bytes copied per job */
	int capacity;       /* queued jobs at most (the running one not counted) */
	worker_fn run, drop;
	void *ctx;
};

enum worker_stop { WORKER_DRAIN, WORKER_DROP };

struct worker;

/* NULL when the thread cannot be started (logged). */
struct worker *worker_start(const struct worker_cfg *c);
/* Copies JOB into the queue: 0, or -1 when the queue is full or the worker stopping. */
int worker_submit(struct worker *w, const void *job);
/* Jobs queued and not yet started. */
int worker_pending(struct worker *w);
/* Nothing queued and nothing running: every job submitted so far has been done. */
bool worker_idle(struct worker *w);
/* Stops and frees the worker (NULL is fine). */
void worker_stop(struct worker *w, enum worker_stop how);

#endif
