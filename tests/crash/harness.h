#ifndef TESTS_CRASH_HARNESS_H
#define TESTS_CRASH_HARNESS_H
/* Shared by the crash suites: run the workload in a forked child (with the shim) and feed
 * its acknowledgements into a model; files; clocks. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tests/crash/check.h"
#include "tests/crash/vfs_shim.h"
#include "tests/crash/workload.h"

struct child_opts {
	bool use_shim;
	struct shim_config shim;
	struct wl_config wl;     /* ack_fd is set by the harness */
	bool sync_normal;        /* CONTROL: PRAGMA synchronous = NORMAL after store_open */
	bool exit_on_fail;       /* after a failure, _exit without store_close (the kiosk goes
				  * out of service; systemd restarts it) */
	int kill_after_ms;       /* > 0: SIGKILL the child after this long */
	bool kill_from_fork;     /* count kill_after_ms from the fork, not from the first ack line */
};

/* Forks, runs, feeds every line into m; returns the child's wait status. */
int run_child(const char *db, const struct child_opts *o, struct model *m);
/* A fresh copy of a closed database (and no -wal/-shm beside it). */
void copy_db(const char *from, const char *to);
void remove_db(const char *path);
double mono_ms(void);
/* Seed from argv (--seed N) or the clock; printed by the caller. */
uint64_t parse_seed(int argc, char **argv);
const char *tmp_base(void);
/* Makes $TMPDIR/NAME.XXXXXX (or /tmp) into dir; false when it cannot. */
bool make_work_dir(const char *name, char *dir, size_t cap);
/* An empty store, created and closed at dir/template.db (its path into tmpl). */
bool make_template(const char *dir, char *tmpl, size_t cap);
/* Removes the work directory and prints the suite's closing line; the exit status: 2 when
 * the directory could not be removed, 1 when a check failed, else 0. */
int finish_suite(const char *dir, int passed, int failed, uint64_t seed, double t0);

#endif
