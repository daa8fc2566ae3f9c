/* Power-loss suite: the workload runs in a child over the shim VFS, which loses power at
 * sync number k (pending writes applied, dropped, torn or garbled at random); the parent
 * reopens with the real VFS and checks every invariant (check.h), then resumes the workload
 * and checks again.  Every sync point of the workload, three times each with different
 * fates, spread over two worker processes.  Two controls must FAIL: synchronous=NORMAL
 * (acknowledged records lost) and a journal that writes the outbox row in a second
 * transaction; the suite fails unless both are caught.
 *
 *   crash_store [--seed N] [--nops N] [--reps N]   prints "N passed, N failed" and the seed
 * (--reps: runs per sync point, each with its own shim seed; 1..3, default 3) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kiosk/base/log.h"
#include "offline/store.h"
#include "tests/crash/harness.h"

#define REPS 3
#define WORKERS 2

static char dir[256], tmpl[300];
static uint64_t seed;

struct tally {
	int runs, bad;
	char why[320];
};

/* Reopens, checks, resumes a few ops with the real VFS, checks again. */
static int verify(const char *db, struct model *m, char *why, size_t cap)
{
	int bad = model_check(m, db, true, true, why, cap);
	if (bad)
		return bad;
	struct child_opts r = { .wl = { .seed = seed ^ 0xabcdef, .nops = 12, .t0 = 5000000 } };
	int st = run_child(db, &r, m);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		snprintf(why, cap, "resumed workload failed (status %d)", st);
		return 1;
	}
	return model_check(m, db, false, false, why, cap);
}

/* One crash run; returns the number of violations. */
static int crash_run(const char *db, const struct child_opts *o, char *why, size_t cap)
{
	struct model m;
	model_init(&m);
	copy_db(tmpl, db);
	int st = run_child(db, o, &m);
	int bad;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != SHIM_CRASH_EXIT) {
		snprintf(why, cap, "child did not crash (status %d)", st);
		bad = 1;
	} else {
		bad = verify(db, &m, why, cap);
	}
	model_free(&m);
	return bad;
}

/* The workload without a crash: its sync count (0 and a message when it misbehaves). */
static int baseline(struct child_opts o, const char *name)
{
	char db[320];
	snprintf(db, sizeof db, "%s/baseline.db", dir);
	o.shim.crash_at_sync = 0;
	o.wl.crash_after_ack = 0;
	struct model m;
	model_init(&m);
	copy_db(tmpl, db);
	int st = run_child(db, &o, &m);
	char why[256] = "";
	int bad = model_check(&m, db, true, false, why, sizeof why);
	int syncs = m.syncs;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 || m.nacks < o.wl.nops / 2 ||
	    (bad && !o.wl.split_record && !o.sync_normal)) {
		printf("FAIL baseline %s: status %d, acks %d, %s\n", name, st, m.nacks, why);
		syncs = 0;
	}
	model_free(&m);
	return syncs;
}

/* Crash points 1..syncs (x REPS) and, when ack_step > 0, right after every ack_step-th
 * acknowledgement; split over WORKERS processes.  A control sweep (control) only has to
 * show the fault can be seen: each worker stops at its first violation. */
static struct tally sweep(struct child_opts o, int syncs, int reps, int ack_step, uint64_t salt,
			  bool control)
{
	int fds[WORKERS];
	pid_t pids[WORKERS];
	for (int w = 0; w < WORKERS; w++) {
		int p[2];
		if (pipe(p) != 0)
			exit(2);
		fflush(NULL);
		pids[w] = fork();
		if (pids[w] == 0) {
			close(p[0]);
			struct tally t = { 0 };
			char db[320], why[256];
			snprintf(db, sizeof db, "%s/kiosk-%d.db", dir, w);
			int point = 0;
			for (int k = 1; k <= syncs && !(control && t.bad); k++) {
				for (int rep = 0; rep < reps; rep++, point++) {
					if (point % WORKERS != w)
						continue;
					o.shim.crash_at_sync = k;
					o.wl.crash_after_ack = 0;
					o.shim.seed = seed * salt + (uint64_t)(k * REPS + rep);
					int bad = crash_run(db, &o, why, sizeof why);
					t.runs++;
					if (bad && t.bad++ == 0)
						snprintf(t.why, sizeof t.why, "sync %d rep %d: %s", k, rep, why);
					if (bad && !control && t.bad <= 5)
						printf("FAIL sync %d rep %d (shim seed %llu): %s\n", k, rep,
						       (unsigned long long)o.shim.seed, why);
				}
			}
			for (int a = ack_step; ack_step > 0 && a <= o.wl.nops && !(control && t.bad);
			     a += ack_step, point++) {
				if (point % WORKERS != w)
					continue;
				o.shim.crash_at_sync = 0;
				o.wl.crash_after_ack = a;
				o.shim.seed = seed * salt * 3 + (uint64_t)a;
				int bad = crash_run(db, &o, why, sizeof why);
				t.runs++;
				if (bad && t.bad++ == 0)
					snprintf(t.why, sizeof t.why, "after ack %d: %s", a, why);
			}
			fflush(NULL);
			if (write(p[1], &t, sizeof t) != (ssize_t)sizeof t)
				_exit(2);
			_exit(0);
		}
		close(p[1]);
		fds[w] = p[0];
	}
	struct tally sum = { 0 };
	for (int w = 0; w < WORKERS; w++) {
		struct tally t;
		if (read(fds[w], &t, sizeof t) != (ssize_t)sizeof t) {
			t.runs = 0;
			t.bad = 1;
			snprintf(t.why, sizeof t.why, "worker %d died", w);
		}
		close(fds[w]);
		waitpid(pids[w], NULL, 0);
		sum.runs += t.runs;
		sum.bad += t.bad;
		if (t.bad && !sum.why[0])
			snprintf(sum.why, sizeof sum.why, "%s", t.why);
	}
	return sum;
}

int main(int argc, char **argv)
{
	seed = parse_seed(argc, argv);
	log_set_level(LOG_LVL_ERROR);
	int nops = 120, reps = REPS, passed = 0, failed = 0;
	for (int i = 1; i + 1 < argc; i++) {
		if (strcmp(argv[i], "--nops") == 0)
			nops = atoi(argv[i + 1]);
		if (strcmp(argv[i], "--reps") == 0)
			reps = atoi(argv[i + 1]);
	}
	if (reps < 1 || reps > REPS)
		reps = REPS;
	printf("crash_store seed %llu\n", (unsigned long long)seed);
	if (!make_work_dir("crash_store", dir, sizeof dir) || !make_template(dir, tmpl, sizeof tmpl))
		return 2;
	double t0 = mono_ms();

	struct child_opts o = {
		.use_shim = true,
		.shim = { .fail_op = -1 },
		.wl = { .seed = seed, .nops = nops, .t0 = 1000000, .with_epoch = true },
	};
	int syncs = baseline(o, "store");
	if (syncs == 0)
		failed++;
	struct tally t = sweep(o, syncs, reps, 0, 31, false);
	passed += t.runs - t.bad;
	failed += t.bad;
	printf("power loss at each of %d sync points x %d: %d runs, %d with violations (%.1f s)\n",
	       syncs, reps, t.runs, t.bad, (mono_ms() - t0) / 1000);

	static const char *const names[] = { "synchronous=NORMAL",
					     "outbox row in a second transaction" };
	for (int c = 0; c < 2; c++) {
		struct child_opts x = o;
		x.sync_normal = c == 0;
		x.wl.split_record = c == 1;
		int n = baseline(x, names[c]);
		/* A control only has to be caught: one pass over its sync points (and, for
		 * NORMAL, whose commits never sync, losses right after acknowledgements), up to
		 * the first violation each worker finds. */
		t = sweep(x, n, 1, c == 0 ? 3 : 0, 7919 + (uint64_t)c, true);
		if (t.bad > 0) {
			passed++;
			printf("PASS control %s: invariants broken in %d of %d runs, as they must be "
			       "(first: %s)\n", names[c], t.bad, t.runs, t.why);
		} else {
			failed++;
			printf("FAIL control %s: no violation in %d runs: the suite cannot see this "
			       "fault\n", names[c], t.runs);
		}
	}

	return finish_suite(dir, passed, failed, seed, t0);
}
