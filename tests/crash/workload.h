#ifndef TESTS_CRASH_WORKLOAD_H
#define TESTS_CRASH_WORKLOAD_H
/* The store workload the crash, I/O-error and kill suites run in a child process: payments
 * through every journal state, readings (with corrections), standalone records, audit rows,
 * deliveries with the center's results applied, checkpoints and a fork-recovery epoch.
 * Each operation is announced on ack_fd before it starts ("T ...") and acknowledged after
 * it returned STORE_OK ("A ..."); a failure writes "F rc".  The op sequence depends only on
 * the seed and the store's starting content, so sync points are the same from run to run.
 *
 *   T B            A B <txn>                journal_begin
 *   T M <txn> <S>  A M <txn> <S>            authorize/record/move to S
 *   T R            A R <key>                readings_submit
 *   T E            A E <key>                outbox_add (event)
 *   T U            A U                      audit_append
 *   T K <n> <key>… A K                      next_batch + note_attempt + apply_results
 *   T P            A P                      outbox_new_epoch
 *   T C            A C                      store_checkpoint  */
#include <stdbool.h>
#include <stdint.h>

struct store;

struct wl_config {
	uint64_t seed;
	int nops;            /* operations to run; 0: until killed */
	int ack_fd;
	int64_t t0;          /* the workload's clock starts here (ms) and ticks 1 ms per op */
	bool split_record;   /* CONTROL: RECORDED and its outbox row in two transactions */
	int crash_after_ack; /* power loss (shim) right after this many acks; 0: never */
	int extra_after_fail;/* after the first failure, try this many more ops (must all fail) */
	bool with_epoch;     /* one outbox_new_epoch half-way */
};

/* Runs the workload; 0 when every op succeeded, else the first failure's store_rc. */
int wl_run(struct store *s, const struct wl_config *c);

#endif
