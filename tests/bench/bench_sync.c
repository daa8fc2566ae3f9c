/* make bench: outbox delivery throughput.  N payment records are queued with outbox_add in a
 * real store (a file on disk, WAL, synchronous=FULL), then the sync engine (sync_new +
 * sync_run_once: hello, then batches of the center's batch_max_records until the outbox is
 * empty) delivers them over mutual TLS on loopback to build/billing-center, which validates
 * and commits each batch to its ledger.  The figure is the wall time of sync_run_once; the
 * run fails unless every record is acknowledged and the ledger holds exactly N rows.
 *   sync_10k_s    N = 10,000 (target <= 5 s)
 *   sync_30k_s    N = 30,000 (default second point, for linearity within the 5-minute
 *                 budget); with BENCH_SYNC_100K=1 (or --100k) sync_100k_s instead
 *   sync_ratio    the larger run's time / (its N / 10,000 * sync_10k_s): 1.0 is linear
 * Floor: sync_floor_ms, an empty outbox through the same sync_run_once (hello only). */
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <time.h>
#include <unistd.h>

#include "kiosk/base/log.h"
#include "offline/outbox.h"
#include "offline/store.h"
#include "offline/sync.h"
#include "tests/check/center_spawn.h"

static char build[256] = "build";

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int64_t db_int(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int64_t v = -1;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* Copies a closed (checkpointed) store file; 0 or -1. */
static int copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	char buf[1 << 16];
	size_t k;
	int rc = in && out ? 0 : -1;
	while (rc == 0 && (k = fread(buf, 1, sizeof buf, in)) > 0)
		if (fwrite(buf, 1, k, out) != k)
			rc = -1;
	if (in)
		fclose(in);
	if (out && fclose(out) != 0)
		rc = -1;
	return rc;
}

/* Queues n payments, delivers them; returns the seconds sync_run_once took, -1 on failure.
 * The queue is built with outbox_add in a store on tmpfs (queueing is not what is measured,
 * and 10^5 fsynced transactions would eat the bench's budget), then the closed file is
 * copied to dir on disk and delivered from there. */
static double deliver(const char *dir, int n)
{
	char kdb[512], cdb[512];
	snprintf(kdb, sizeof kdb, "%s/kiosk-%d.db", dir, n);
	snprintf(cdb, sizeof cdb, "%s/center-%d.db", dir, n);
	static struct test_pki pki;
	if (test_pki_load(build, &pki) != 0)
		return -1;

	char shm[128];
	snprintf(shm, sizeof shm, "/dev/shm/bench-sync-%d-%d.db", (int)getpid(), n);
	struct store *st;
	if (store_open(shm, &st) != 0)
		return -1;
	int64_t t = 1795600000000;
	for (int i = 0; i < n; i++) {
		char body[400];
		int len = snprintf(body, sizeof body,
				   "{\"txn_id\":\"b%031d\",\"lines\":[{\"pers_acc\":\"50012345\",\"period\":\"2026-10\","
				   "\"amount\":%d,\"payee_inn\":\"5037008735\"}],\"total\":%d,\"currency\":\"RUB\","
				   "\"card\":{},\"created_ms\":%lld,\"recorded_ms\":%lld,\"offline\":false}",
				   i, 100 + i, 100 + i, (long long)(t + i), (long long)(t + i + 500));
		uint8_t k[OUTBOX_KEY_LEN];
		if (outbox_add(st, "payment", (const uint8_t *)body, (size_t)len, t + i, k) != 0) {
			fprintf(stderr, "bench_sync: outbox_add failed at %d\n", i);
			store_close(st);
			unlink(shm);
			return -1;
		}
	}
	store_close(st);
	int crc = copy_file(shm, kdb);
	unlink(shm);
	if (crc != 0 || store_open(kdb, &st) != 0) {
		fprintf(stderr, "bench_sync: cannot copy the queue to %s\n", kdb);
		return -1;
	}

	/* The simulator's own chatter (fault seed, shutdown) stays out of the figures. */
	fflush(stderr);
	int saved = dup(2), devnull = open("/dev/null", O_WRONLY);
	dup2(devnull, 2);
	struct center_proc c = center_spawn(build, cdb, NULL);
	dup2(saved, 2);
	close(saved);
	close(devnull);
	if (!c.port) {
		fprintf(stderr, "bench_sync: the billing-center simulator did not start\n");
		store_close(st);
		return -1;
	}
	struct sync_opts o;
	char err[200];
	memset(&o, 0, sizeof o);
	o.store = st;
	int keyrc = test_pki_client(&pki, c.port, &o.center);
	o.snapshot_s = -1;
	snprintf(o.sw, sizeof o.sw, "bench");
	double secs = -1;
	struct sync *s = NULL;
	if (keyrc != 0 || !(s = sync_new(&o, err, sizeof err))) {
		fprintf(stderr, "bench_sync: %s\n", s ? "" : err);
		goto out;
	}
	struct sync_report rep;
	double t0 = now_s();
	int rc = sync_run_once(s, &rep);
	double t1 = now_s();
	int pending = -1;
	int64_t oldest;
	outbox_pending(st, 0, &pending, &oldest);
	int64_t ledger = db_int(cdb, "SELECT count(*) FROM ledger");
	if (rc != 0 || pending != 0 || rep.created != n || ledger != n) {
		fprintf(stderr, "bench_sync: N=%d: rc %d, %d pending, %d created, ledger %lld (%s)\n", n, rc, pending,
			rep.created, (long long)ledger, rep.last_error);
		goto out;
	}
	secs = t1 - t0;
out:
	sync_free(s);
	center_kill(&c);
	store_close(st);
	return secs;
}

int main(int argc, char **argv)
{
	if (getenv("BUILD"))
		snprintf(build, sizeof build, "%s", getenv("BUILD"));
	bool big = (argc > 1 && strcmp(argv[1], "--100k") == 0) ||
		   (getenv("BENCH_SYNC_100K") && strcmp(getenv("BENCH_SYNC_100K"), "1") == 0);
	log_set_level(LOG_LVL_WARN);
	char dir[] = "/var/tmp/bench-sync-XXXXXX";
	if (!mkdtemp(dir)) {
		perror("bench_sync: mkdtemp");
		return 1;
	}
	int second = big ? 100000 : 30000;
	double fl = deliver(dir, 0);
	double a = fl >= 0 ? deliver(dir, 10000) : -1;
	double b = a >= 0 ? deliver(dir, second) : -1;
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "bench_sync: could not remove %s\n", dir);
	if (b < 0)
		return 1;
	printf("sync_floor_ms %.1f ms\n", fl * 1e3);
	printf("sync_10k_s %.2f s\n", a);
	printf("sync_%dk_s %.2f s\n", second / 1000, b);
	printf("sync_ratio %.2f x\n", b / (a * second / 10000.0));
	return 0;
}
