/* Crash-suite harness (harness.h). */
#include "tests/crash/harness.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kiosk/base/log.h"
#include "offline/store.h"
#include "offline/store_internal.h"

double mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

uint64_t parse_seed(int argc, char **argv)
{
	for (int i = 1; i + 1 < argc; i++)
		if (strcmp(argv[i], "--seed") == 0)
			return strtoull(argv[i + 1], NULL, 10);
	const char *e = getenv("SEED");
	if (e && *e)
		return strtoull(e, NULL, 10);
	return (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 16);
}

const char *tmp_base(void)
{
	const char *t = getenv("TMPDIR");
	return t && *t ? t : "/tmp";
}

bool make_work_dir(const char *name, char *dir, size_t cap)
{
	snprintf(dir, cap, "%s/%s.XXXXXX", tmp_base(), name);
	return mkdtemp(dir) != NULL;
}

bool make_template(const char *dir, char *tmpl, size_t cap)
{
	snprintf(tmpl, cap, "%s/template.db", dir);
	struct store *s;
	if (store_open(tmpl, &s) != STORE_OK)
		return false;
	store_close(s);
	return true;
}

int finish_suite(const char *dir, int passed, int failed, uint64_t seed, double t0)
{
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		return 2;
	printf("%d passed, %d failed (seed %llu, %.1f s)\n", passed, failed,
	       (unsigned long long)seed, (mono_ms() - t0) / 1000);
	return failed ? 1 : 0;
}

void remove_db(const char *path)
{
	char side[600];
	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-journal", path);
	unlink(side);
}

void copy_db(const char *from, const char *to)
{
	remove_db(to);
	int in = open(from, O_RDONLY), out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (in < 0 || out < 0) {
		perror("copy_db");
		exit(2);
	}
	char buf[65536];
	ssize_t n;
	while ((n = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, (size_t)n) != n)
			exit(2);
	close(in);
	close(out);
}

static void child(const char *db, const struct child_opts *o, int fd)
{
	/* The store logs every failure it latches; thousands of runs would drown the
	 * suite's own output. */
	if (!getenv("CRASH_VERBOSE")) {
		int null = open("/dev/null", O_WRONLY);
		if (null >= 0)
			dup2(null, 2);
	}
	struct shim_config sc = o->shim;
	sc.note_fd = fd;
	if (o->use_shim)
		shim_register(&sc);
	struct store *s = NULL;
	int rc = store_open(db, &s);
	if (rc != STORE_OK) {
		char line[32];
		int n = snprintf(line, sizeof line, "F %d\n", rc);
		if (write(fd, line, (size_t)n) != n)
			_exit(97);
		_exit(3);
	}
	if (o->sync_normal)
		sqlite3_exec(store_db(s), "PRAGMA synchronous = NORMAL", NULL, NULL, NULL);
	struct wl_config w = o->wl;
	w.ack_fd = fd;
	rc = wl_run(s, &w);
	if (rc != STORE_OK && o->exit_on_fail)
		_exit(4);
	store_close(s);
	if (o->use_shim) {
		char line[96];
		int n = snprintf(line, sizeof line, "S %d\nQ %d %d %d %d\n", shim_count(SHIM_SYNC),
				 shim_count(SHIM_READ), shim_count(SHIM_WRITE), shim_count(SHIM_SYNC),
				 shim_count(SHIM_TRUNCATE));
		if (write(fd, line, (size_t)n) != n)
			_exit(97);
	}
	_exit(rc == STORE_OK ? 0 : 4);
}

int run_child(const char *db, const struct child_opts *o, struct model *m)
{
	int p[2];
	if (pipe(p) != 0)
		exit(2);
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		exit(2);
	if (pid == 0) {
		close(p[0]);
		child(db, o, p[1]);
	}
	close(p[1]);
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	/* Until the first line arrives (from_fork off) only a safety deadline applies. */
	bool armed = o->kill_after_ms > 0 && o->kill_from_fork;
	double deadline = o->kill_after_ms > 0 ? mono_ms() + (armed ? o->kill_after_ms : 30000) : 0;
	bool killed = false;
	for (;;) {
		if (deadline && !killed) {
			double left = deadline - mono_ms();
			if (left <= 0) {
				kill(pid, SIGKILL);
				killed = true;
				continue;
			}
			struct pollfd pf = { .fd = p[0], .events = POLLIN };
			if (poll(&pf, 1, (int)left + 1) == 0)
				continue;
		}
		if (len + 4096 > cap)
			buf = realloc(buf, cap *= 2);
		ssize_t n = read(p[0], buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		if (!armed && o->kill_after_ms > 0) {
			armed = true;
			deadline = mono_ms() + o->kill_after_ms;
		}
		size_t used = model_feed_buf(m, buf, len);
		memmove(buf, buf + used, len - used);
		len -= used;
	}
	close(p[0]);
	free(buf);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return status;
}

/* ASan's quarantine (256 MB by default, plus a per-thread one) makes every forked child
 * copy and fault in the parent's freed chunks; without it the thousands of runs take a
 * third of the time (ioerr_store 35 s -> 13 s).  These suites look for lost or doubled
 * records, not for use-after-free: the unit tests run the same store code with the full
 * quarantine. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "quarantine_size_mb=0:thread_local_quarantine_size_kb=0";
}
