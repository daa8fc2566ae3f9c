/* kill -9 soak: a store pre-filled with 10,000 payments; a child runs the write-heavy
 * workload (real VFS, real fsync) and is killed with SIGKILL at a random moment, 300 times
 * (one in five during its open and recovery, the rest 1-60 ms into the workload).  After
 * each kill the parent measures restart-to-ready (store_open with its quick_check, plus
 * reading the unfinished payments recovery must resolve) and checks every invariant
 * (check.h) against everything the children acknowledged so far; integrity_check every
 * 25 rounds and at the end.  The next child resumes from whatever the last one left.
 *
 *   kill_store [--seed N] [--rounds N] [--prefill N]
 *   prints restart_ready p50/p99 and "N passed, N failed" with the seed */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kiosk/base/log.h"
#include "offline/journal.h"
#include "offline/outbox.h"
#include "offline/store.h"
#include "offline/store_internal.h"
#include "tests/crash/harness.h"

static int prefill(const char *db, int n)
{
	struct store *s;
	if (store_open(db, &s) != STORE_OK)
		return -1;
	/* Bulk history, not the subject of the test: no fsync while filling. */
	sqlite3_exec(store_db(s), "PRAGMA synchronous = OFF", NULL, NULL, NULL);
	int rc = STORE_OK;
	for (int i = 0; rc == STORE_OK && i < n; i++) {
		struct journal_line l = { .amount = 1000 + i };
		snprintf(l.pers_acc, sizeof l.pers_acc, "%08d", 10000000 + i);
		snprintf(l.period, sizeof l.period, "2026-10");
		snprintf(l.payee_inn, sizeof l.payee_inn, "5036000000");
		struct journal_card c = { .entry_mode = 7 };
		snprintf(c.masked_pan, sizeof c.masked_pan, "220012******%04d", i % 10000);
		char id[33];
		int64_t t = 1000 + (int64_t)i * 4;
		rc = journal_begin(s, &l, 1, t, id);
		if (rc == STORE_OK)
			rc = journal_authorize(s, id, &c, t + 1);
		if (rc == STORE_OK)
			rc = journal_record(s, id, false, t + 2);
		if (rc == STORE_OK)
			rc = journal_move(s, id, JOURNAL_CONFIRMED, NULL, t + 3);
		/* The center keeps up: deliver every 100 payments. */
		while (rc == STORE_OK && (i % 100 == 99 || i == n - 1)) {
			struct outbox_batch b;
			rc = outbox_next_batch(s, 100, 1 << 20, &b);
			if (rc || b.n == 0) {
				outbox_batch_free(&b);
				break;
			}
			struct outbox_result *r = calloc((size_t)b.n, sizeof *r);
			for (int k = 0; k < b.n; k++) {
				r[k].seq = b.recs[k].seq;
				memcpy(r[k].idem_key, b.recs[k].idem_key, 16);
				snprintf(r[k].server_ref, sizeof r[k].server_ref, "P-%lld",
					 (long long)b.recs[k].seq);
			}
			rc = outbox_apply_results(s, r, b.n, t + 3);
			free(r);
			outbox_batch_free(&b);
		}
	}
	store_close(s);
	return rc;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

struct chain_result {
	int passed, failed, killed, acks;
	int64_t payments;
	double child_ms, check_ms;   /* totals: time in the child, time checking */
};

/* One chain of kills on its own copy of the store; ready[] gets restart-to-ready times. */
static struct chain_result chain(const char *db, uint64_t seed, int rounds, double *ready)
{
	struct chain_result res = { 0 };
	struct model m;
	model_init(&m);
	if (model_from_store(&m, db) != 0) {
		res.failed = 1;
		return res;
	}
	uint64_t rng = seed * 0x9E3779B97F4A7C15ull + 3;
	for (int r = 0; r < rounds; r++) {
		rng ^= rng << 13;
		rng ^= rng >> 7;
		rng ^= rng << 17;
		struct child_opts o = {
			.wl = { .seed = seed + (uint64_t)r, .nops = 0,
				.t0 = 1000000000 + (int64_t)r * 1000000 },
			.kill_after_ms = 1 + (int)(rng % 60),
			.kill_from_fork = rng % 5 == 0,
		};
		double c0 = mono_ms();
		int st = run_child(db, &o, &m);
		res.child_ms += mono_ms() - c0;
		if (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL)
			res.killed++;
		char why[320] = "";
		int bad = 0;
		if (m.failed) {
			snprintf(why, sizeof why, "a store operation failed in the child");
			bad = 1;
		}
		/* Restart to ready: open (quick_check, WAL recovery) and the unfinished list. */
		double a = mono_ms();
		struct store *s = NULL;
		int rc = store_open(db, &s);
		if (rc == STORE_OK) {
			struct journal_payment *p = calloc(64, sizeof *p);
			int n = journal_unfinished(s, p, 64);
			if (n < 0)
				rc = n;
			free(p);
		}
		ready[r] = mono_ms() - a;
		if (rc != STORE_OK && !bad) {
			snprintf(why, sizeof why, "restart failed: %s", store_strerror(rc));
			bad = 1;
		}
		bool integrity = r % 25 == 24 || r == rounds - 1;
		c0 = mono_ms();
		if (!bad)
			bad = model_check_store(&m, s, integrity, true, why, sizeof why);
		res.check_ms += mono_ms() - c0;
		store_close(s);
		if (bad) {
			res.failed++;
			if (res.failed <= 5)
				printf("FAIL round %d (kill after %d ms%s): %s\n", r, o.kill_after_ms,
				       o.kill_from_fork ? " from fork" : "", why);
			m.failed = false;
			m.acks_after_fail = m.acks_after_inject = 0;
		} else {
			res.passed++;
		}
	}
	res.acks = m.nacks;
	res.payments = m.payments;
	model_free(&m);
	return res;
}

#define CHAINS 2

int main(int argc, char **argv)
{
	uint64_t seed = parse_seed(argc, argv);
	log_set_level(LOG_LVL_ERROR);
	int rounds = 300, nprefill = 10000;
	for (int i = 1; i + 1 < argc; i++) {
		if (strcmp(argv[i], "--rounds") == 0)
			rounds = atoi(argv[i + 1]);
		if (strcmp(argv[i], "--prefill") == 0)
			nprefill = atoi(argv[i + 1]);
	}
	printf("kill_store seed %llu\n", (unsigned long long)seed);
	char dir[256], db[300];
	if (!make_work_dir("kill_store", dir, sizeof dir))
		return 2;
	snprintf(db, sizeof db, "%s/prefill.db", dir);
	double t0 = mono_ms();
	if (prefill(db, nprefill) != STORE_OK) {
		printf("FAIL prefill\n0 passed, 1 failed (seed %llu)\n", (unsigned long long)seed);
		return 1;
	}
	printf("prefilled %d payments in %.1f s\n", nprefill, (mono_ms() - t0) / 1000);

	/* Two independent chains (one per core), each on its own copy of the store. */
	int per = (rounds + CHAINS - 1) / CHAINS;
	double *ready = calloc((size_t)per * CHAINS, sizeof *ready);
	int fds[CHAINS];
	pid_t pids[CHAINS];
	for (int c = 0; c < CHAINS; c++) {
		char cdb[320];
		snprintf(cdb, sizeof cdb, "%s/kiosk-%d.db", dir, c);
		copy_db(db, cdb);
		int p[2];
		if (pipe(p) != 0)
			return 2;
		fflush(NULL);
		pids[c] = fork();
		if (pids[c] == 0) {
			close(p[0]);
			struct chain_result res = chain(cdb, seed * 1000 + (uint64_t)c, per, ready);
			fflush(NULL);
			if (write(p[1], &res, sizeof res) != (ssize_t)sizeof res ||
			    write(p[1], ready, sizeof *ready * (size_t)per) !=
			    (ssize_t)(sizeof *ready * (size_t)per))
				_exit(2);
			_exit(0);
		}
		close(p[1]);
		fds[c] = p[0];
	}
	struct chain_result sum = { 0 };
	for (int c = 0; c < CHAINS; c++) {
		struct chain_result res = { .failed = 1 };
		size_t want = sizeof *ready * (size_t)per, got = 0;
		if (read(fds[c], &res, sizeof res) != (ssize_t)sizeof res)
			printf("FAIL chain %d died\n", c);
		while (got < want) {
			ssize_t n = read(fds[c], (char *)(ready + (size_t)c * (size_t)per) + got, want - got);
			if (n <= 0)
				break;
			got += (size_t)n;
		}
		close(fds[c]);
		waitpid(pids[c], NULL, 0);
		sum.passed += res.passed;
		sum.failed += res.failed;
		sum.killed += res.killed;
		sum.acks += res.acks;
		sum.payments += res.payments;
		sum.child_ms += res.child_ms;
		sum.check_ms += res.check_ms;
	}
	int n = per * CHAINS;
	qsort(ready, (size_t)n, sizeof *ready, cmp_double);
	int i99 = (n * 99) / 100;
	printf("%d rounds, %d killed mid-flight, %d acknowledged operations, %lld payments in the "
	       "stores\n", n, sum.killed, sum.acks, (long long)sum.payments);
	printf("per round: %.0f ms in the child, %.0f ms checking\n", sum.child_ms / n,
	       sum.check_ms / n);
	printf("restart_ready_ms_p50 %.1f\nrestart_ready_ms_p99 %.1f (target <= 500)\n",
	       ready[n / 2], ready[i99 < n ? i99 : n - 1]);
	free(ready);
	return finish_suite(dir, sum.passed, sum.failed, seed, t0);
}
