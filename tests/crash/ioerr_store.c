/* I/O-error suite: the shim fails the k-th xRead, xWrite, xSync or xTruncate (READ, WRITE,
 * FSYNC, TRUNCATE) for every k the workload reaches.  The store must latch fail-stop: not
 * one acknowledgement after the error (the child keeps trying ops after its first failure),
 * and on restart (real VFS) every invariant holds, including when the failed call was the
 * COMMIT's own sync (the commit reported an error yet its frames are in the file: the
 * one in-flight extra; seen in the runs whose process exits without closing the store).
 * Runs are spread over two worker processes.
 *
 *   ioerr_store [--seed N] [--nops N]      prints "N passed, N failed" and the seed */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kiosk/base/log.h"
#include "offline/store.h"
#include "tests/crash/harness.h"

#define WORKERS 2

static char dir[256], tmpl[300];
static uint64_t seed;

struct tally {
	int runs, bad, surfaced, landed;
	char why[320];
};

static int one_run(const char *db, struct child_opts *o, bool *surfaced, bool *landed, char *why,
		   size_t cap)
{
	struct model m;
	model_init(&m);
	copy_db(tmpl, db);
	int st = run_child(db, o, &m);
	int bad = 0;
	*surfaced = m.failed;
	if (!WIFEXITED(st) || (WEXITSTATUS(st) != 0 && WEXITSTATUS(st) != 4 &&
			       WEXITSTATUS(st) != 3)) {
		snprintf(why, cap, "child died (status %d)", st);
		bad = 1;
	} else if (!m.injected) {
		snprintf(why, cap, "the error was never injected");
		bad = 1;
	} else {
		bool had_failed = m.failed;
		bad = model_check(&m, db, true, true, why, cap);
		/* The op that reported the error is nonetheless in the store (e.g. an fsync
		 * that failed after the frames were written): the in-flight extra. */
		*landed = had_failed && m.inflight_landed;
		if (!bad) {
			/* The kiosk restarts and goes on serving. */
			struct child_opts r = { .wl = { .seed = seed ^ 0x5555, .nops = 10,
							.t0 = 9000000 } };
			st = run_child(db, &r, &m);
			if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
				snprintf(why, cap, "workload did not resume (status %d)", st);
				bad = 1;
			} else {
				bad = model_check(&m, db, false, false, why, cap);
			}
		}
	}
	model_free(&m);
	return bad;
}

/* Worker w of WORKERS (a child process): every WORKERS-th injection point, each kind of
 * call failed at each of its counts[] calls in turn; the tally goes to fd, then exits. */
static void worker(int w, int fd, struct child_opts o, const int *counts)
{
	struct tally t = { 0 };
	char db[320], why[320];
	snprintf(db, sizeof db, "%s/kiosk-%d.db", dir, w);
	int point = 0;
	for (int op = 0; op < SHIM_NOPS; op++) {
		for (int k = 1; k <= counts[op]; k++, point++) {
			if (point % WORKERS != w)
				continue;
			o.shim.fail_op = op;
			o.shim.fail_at = k;
			/* Half the runs close the store after the failure (SQLite then
			 * checkpoints and drops the WAL); the others vanish like a
			 * kiosk restarted by systemd, leaving the WAL to recovery. */
			o.exit_on_fail = k % 2 == 1;
			bool surfaced = false, landed = false;
			int bad = one_run(db, &o, &surfaced, &landed, why, sizeof why);
			t.runs++;
			t.surfaced += surfaced;
			t.landed += landed;
			if (bad && t.bad++ < 5)
				printf("FAIL %s #%d: %s\n", shim_op_name((enum shim_op)op), k,
				       why);
			if (bad && t.bad == 1)
				snprintf(t.why, sizeof t.why, "%s", why);
		}
	}
	fflush(NULL);
	if (write(fd, &t, sizeof t) != (ssize_t)sizeof t)
		_exit(2);
	_exit(0);
}

int main(int argc, char **argv)
{
	seed = parse_seed(argc, argv);
	log_set_level(LOG_LVL_ERROR);
	int nops = 40;
	for (int i = 1; i + 1 < argc; i++)
		if (strcmp(argv[i], "--nops") == 0)
			nops = atoi(argv[i + 1]);
	printf("ioerr_store seed %llu\n", (unsigned long long)seed);
	if (!make_work_dir("ioerr_store", dir, sizeof dir) || !make_template(dir, tmpl, sizeof tmpl))
		return 2;
	double t0 = mono_ms();

	struct child_opts o = {
		.use_shim = true,
		.shim = { .fail_op = -1 },
		.wl = { .seed = seed, .nops = nops, .t0 = 1000000, .with_epoch = true,
			.extra_after_fail = 5 },
	};
	/* Baseline: how many calls of each kind the workload makes. */
	char db[320];
	snprintf(db, sizeof db, "%s/baseline.db", dir);
	struct model m;
	model_init(&m);
	copy_db(tmpl, db);
	int st = run_child(db, &o, &m);
	int counts[SHIM_NOPS];
	memcpy(counts, m.shim_counts, sizeof counts);
	char why[320];
	int passed = 0, failed = 0;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 || model_check(&m, db, true, false, why, sizeof why)) {
		printf("FAIL baseline (status %d)\n", st);
		failed++;
	}
	model_free(&m);
	printf("calls: read %d, write %d, sync %d, truncate %d\n", counts[0], counts[1], counts[2],
	       counts[3]);

	int fds[WORKERS];
	pid_t pids[WORKERS];
	for (int w = 0; w < WORKERS; w++) {
		int p[2];
		if (pipe(p) != 0)
			return 2;
		fflush(NULL);
		pids[w] = fork();
		if (pids[w] == 0) {
			close(p[0]);
			worker(w, p[1], o, counts);
		}
		close(p[1]);
		fds[w] = p[0];
	}
	int runs = 0, bad = 0, surfaced = 0, landed = 0;
	for (int w = 0; w < WORKERS; w++) {
		struct tally t = { .bad = 1 };
		if (read(fds[w], &t, sizeof t) != (ssize_t)sizeof t)
			printf("FAIL worker %d died\n", w);
		close(fds[w]);
		waitpid(pids[w], NULL, 0);
		runs += t.runs;
		bad += t.bad;
		surfaced += t.surfaced;
		landed += t.landed;
	}
	passed += runs - bad;
	failed += bad;
	printf("injected errors: %d runs, %d surfaced as a store failure (%d of them with the "
	       "failed operation durable anyway), %d with violations\n", runs, surfaced, landed, bad);
	if (landed == 0) {
		printf("FAIL no run exercised a commit that reported an error yet landed\n");
		failed++;
	}
	return finish_suite(dir, passed, failed, seed, t0);
}
