/* The sync engine (offline/sync.c) against build/billing-center over real mutual TLS, with an
 * in-memory outbox (tests/check/fake_outbox.c) standing in for the store until it merges.
 * Usage: center_sync [BUILD_DIR]   (prints "N passed, N failed" and the seed) */
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kiosk/log.h"
#include "offline/sync.h"
#include "tests/check/center_spawn.h"
#include "tests/check/fake_outbox.h"

static int passed, failed;
static char build[256] = "build", tmp[64], dbpath[128];
static char ca[400], cert[400], key[400], pins[512], keyfile[400];
static uint64_t seed = 7;

#define CHECK(cond, ...) do { \
	if (cond) { passed++; printf("ok   "); } else { failed++; printf("FAIL "); } \
	printf(__VA_ARGS__); printf("\n"); fflush(stdout); } while (0)

struct events {
	pthread_mutex_t mu;
	int online, offline, alerts, pages, accounts;
	char last_alert[64];
	bool now_online;
};

static void on_status(void *ud, bool online, const char *why)
{
	struct events *e = ud;
	(void)why;
	pthread_mutex_lock(&e->mu);
	if (online)
		e->online++;
	else
		e->offline++;
	e->now_online = online;
	pthread_mutex_unlock(&e->mu);
}

static void on_alert(void *ud, const char *what, const char *detail)
{
	struct events *e = ud;
	(void)detail;
	pthread_mutex_lock(&e->mu);
	e->alerts++;
	snprintf(e->last_alert, sizeof e->last_alert, "%s", what);
	pthread_mutex_unlock(&e->mu);
}

static int on_page(void *ud, const struct cjson_snapshot_page *p)
{
	struct events *e = ud;
	e->pages++;
	e->accounts += p->n;
	return 0;
}

static int64_t db_int(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int64_t v = -1;
	if (sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static struct sync *engine(struct store *st, int port, struct events *ev, long total_ms)
{
	static char url[64];
	struct sync_opts o;
	char err[200];
	memset(&o, 0, sizeof o);
	snprintf(url, sizeof url, "https://127.0.0.1:%d", port);
	o.store = st;
	o.center = (struct center_client_opts){ .url = url, .ca = ca, .pins = pins, .cert = cert,
						.key = key, .key_id = "k1", .device_id = "K0001",
						.connect_timeout_ms = 2000, .total_timeout_ms = total_ms };
	if (csign_load_key(keyfile, o.center.hmac_key) != 0)
		abort();
	o.heartbeat_s = 60;
	o.snapshot_s = -1;
	o.snapshot_page = 3;
	o.cb = (struct sync_callbacks){ .status = on_status, .alert = on_alert, .apply_page = on_page, .ud = ev };
	struct sync *s = sync_new(&o, err, sizeof err);
	if (!s) {
		fprintf(stderr, "%s\n", err);
		abort();
	}
	return s;
}

static const char PAY[] = "{\"txn_id\":\"f0000000000000000000000000000001\",\"lines\":[{\"pers_acc\":\"50012345\","
	"\"period\":\"2026-10\",\"amount\":452316,\"payee_inn\":\"5037008735\"}],\"total\":452316,\"currency\":\"RUB\","
	"\"card\":{},\"created_ms\":1795600000000,\"recorded_ms\":1795600001000,\"offline\":true}";

static void test_deliver_and_faults(void)
{
	struct events ev = { .mu = PTHREAD_MUTEX_INITIALIZER };
	struct store *st = fake_store_new();
	struct sync_report rep;
	fake_add(st, "payment", PAY, 1);
	fake_add(st, "reading", "{\"pers_acc\":\"50012345\",\"meter_id\":\"m1\",\"value_milli\":125000,\"prev_milli\":123456,"
		 "\"rollover\":false,\"supersedes\":null,\"submitted_ms\":1795600000000}", 2);
	fake_add(st, "reading", "{\"pers_acc\":\"50012345\",\"meter_id\":\"m7\",\"value_milli\":1,\"prev_milli\":0,"
		 "\"rollover\":false,\"supersedes\":null,\"submitted_ms\":1795600000000}", 3);

	/* commit_drop: the center commits, the reply is lost; nothing acked locally */
	const char *drop[] = { "--faults", "commit_drop=1", NULL };
	struct center_proc c = center_spawn(build, dbpath, drop);
	struct sync *s = engine(st, c.port, &ev, 3000);
	int rc = sync_run_once(s, &rep);
	CHECK(rc == -1 && fake_acked(st) == 0 && db_int("SELECT count(*) FROM ledger") == 3,
	      "commit_drop: center committed 3, kiosk acked 0 (%s)", rep.last_error);
	sync_free(s);
	center_kill(&c);

	/* healthy center: the same bytes come back as duplicates and everything is acked */
	c = center_spawn(build, dbpath, NULL);
	s = engine(st, c.port, &ev, 3000);
	rc = sync_run_once(s, &rep);
	CHECK(rc == 0 && fake_acked(st) == 3 && rep.duplicate == 3 && rep.created == 0 &&
	      db_int("SELECT count(*) FROM ledger") == 3, "resend: 3 duplicates, all acked, ledger still 3");
	const struct fake_row *r3 = fake_find(st, 3);
	CHECK(r3 && r3->disposition == OUTBOX_DUPLICATE && strncmp(r3->ref, "R-", 2) == 0,
	      "the rejected reading keeps its R- ref (%s)", r3 ? r3->ref : "?");

	/* conflict: a new record reusing key 1 with other bytes is quarantined and alerted */
	fake_add(st, "payment", "{\"txn_id\":\"f0000000000000000000000000000001\",\"tampered\":1}", 1);
	rc = sync_run_once(s, &rep);
	const struct fake_row *r1 = fake_find(st, 1);
	CHECK(rc == 0 && r1 && r1->acked && r1->disposition == OUTBOX_CONFLICT &&
	      strcmp(ev.last_alert, "conflict") == 0 && db_int("SELECT count(*) FROM conflicts") == 1,
	      "conflict: quarantined (acked, flagged) and alerted");

	/* snapshot pages of 3: 4 demo accounts in 2 pages */
	rc = sync_snapshot_now(s);
	CHECK(rc == 0 && ev.pages == 2 && ev.accounts == 4, "snapshot: %d pages, %d accounts", ev.pages, ev.accounts);
	sync_free(s);
	center_kill(&c);

	/* busy with Retry-After: not acked, the decision waits; dup_reply: acked as duplicates */
	const char *busy[] = { "--faults", "busy=1", NULL };
	c = center_spawn(build, dbpath, busy);
	s = engine(st, c.port, &ev, 3000);
	fake_add(st, "event", "{\"event\":\"door_open\"}", 4);
	rc = sync_run_once(s, &rep);
	CHECK(rc == -1 && !fake_find(st, 4)->acked && strcmp(rep.last_error, "busy") == 0,
	      "busy: nothing acked, last error busy (%s)", rep.last_error);
	sync_free(s);
	center_kill(&c);
	const char *dup[] = { "--faults", "dup_reply=1", NULL };
	c = center_spawn(build, dbpath, dup);
	s = engine(st, c.port, &ev, 3000);
	rc = sync_run_once(s, &rep);
	CHECK(rc == 0 && fake_find(st, 4)->acked && fake_find(st, 4)->disposition == OUTBOX_DUPLICATE &&
	      db_int("SELECT count(*) FROM ledger WHERE kind='event'") == 1, "dup_reply: acked once, one ledger row");
	sync_free(s);
	center_kill(&c);

	/* pin mismatch: alert, nothing sent, never unpinned */
	const char *alt[] = { "--server-key-alt", NULL };
	c = center_spawn(build, dbpath, alt);
	s = engine(st, c.port, &ev, 3000);
	fake_add(st, "event", "{\"event\":\"pin\"}", 5);
	int64_t before = db_int("SELECT count(*) FROM ledger");
	rc = sync_run_once(s, &rep);
	CHECK(rc == -1 && strcmp(ev.last_alert, "pin_mismatch") == 0 && !fake_find(st, 5)->acked &&
	      db_int("SELECT count(*) FROM ledger") == before, "pin mismatch: alert, nothing delivered");
	sync_free(s);
	center_kill(&c);
	free(st);
}

/* A kiosk restored from an older backup: hello says fork, the engine starts a new epoch and
 * the unacked rows (same keys and bodies) are delivered. */
static void test_fork(void)
{
	struct events ev = { .mu = PTHREAD_MUTEX_INITIALIZER };
	struct store *st = fake_store_new();
	struct sync_report rep;
	struct center_proc c = center_spawn(build, dbpath, NULL);
	struct sync *s = engine(st, c.port, &ev, 3000);
	for (int i = 0; i < 4; i++)
		fake_add(st, "event", "{\"event\":\"e\"}", 40 + i);
	sync_run_once(s, &rep);
	struct store *backup = fake_store_new();
	memcpy(backup->epoch, st->epoch, 16);
	backup->n = 2;  /* the backup predates records 3 and 4 */
	memcpy(backup->rows, st->rows, 2 * sizeof st->rows[0]);
	fake_add(backup, "event", "{\"event\":\"after_restore\"}", 50);
	sync_free(s);
	s = engine(backup, c.port, &ev, 3000);
	int rc = sync_run_once(s, &rep);
	const struct fake_row *r = fake_find(backup, 50);
	CHECK(rc == 0 && backup->new_epochs == 1 && r && r->acked && r->seq == 1 &&
	      r->disposition == OUTBOX_CREATED && strcmp(ev.last_alert, "fork") == 0,
	      "restored kiosk: fork, new epoch, the new record delivered as seq 1");
	sync_free(s);
	center_kill(&c);
	free(st);
	free(backup);
}

/* The thread: kicked when a record is added, reports online, delivers within a second. */
static void test_thread(void)
{
	struct events ev = { .mu = PTHREAD_MUTEX_INITIALIZER };
	struct store *st = fake_store_new();
	struct center_proc c = center_spawn(build, dbpath, NULL);
	struct sync *s = engine(st, c.port, &ev, 3000);
	/* the fake store is shared with the thread: add rows before starting and between kicks
	 * only while the engine is idle (it polls nothing else) */
	fake_add(st, "event", "{\"event\":\"boot\"}", 60);
	sync_start(s);
	bool ok = false;
	for (int i = 0; i < 50 && !ok; i++) {
		usleep(100000);
		ok = fake_find(st, 60)->acked;
	}
	pthread_mutex_lock(&ev.mu);
	bool online = ev.now_online && ev.online == 1;
	pthread_mutex_unlock(&ev.mu);
	CHECK(ok && online, "thread: delivered after start, status online");
	fake_add(st, "event", "{\"event\":\"kick\"}", 61);
	sync_kick(s);
	ok = false;
	for (int i = 0; i < 30 && !ok; i++) {
		usleep(100000);
		ok = fake_find(st, 61)->acked;
	}
	CHECK(ok, "thread: kick delivers a new record promptly");
	center_kill(&c);
	fake_add(st, "event", "{\"event\":\"offline\"}", 62);
	sync_kick(s);
	bool off = false;
	for (int i = 0; i < 50 && !off; i++) {
		usleep(100000);
		pthread_mutex_lock(&ev.mu);
		off = !ev.now_online;
		pthread_mutex_unlock(&ev.mu);
	}
	CHECK(off && !fake_find(st, 62)->acked, "thread: center gone -> status offline, record kept");
	sync_free(s);
	free(st);
}

static bool db_text(const char *sql, char *out, size_t cap)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	bool ok = false;
	if (sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return false;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
		snprintf(out, cap, "%s", (const char *)sqlite3_column_text(st, 0));
		ok = true;
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return ok;
}

/* Property under a random fault schedule: every record ends acknowledged exactly once in
 * the ledger, and the kiosk's ref for each key is the ledger's ref (never lost, never
 * counted twice). */
static void test_random_faults(void)
{
	struct events ev = { .mu = PTHREAD_MUTEX_INITIALIZER };
	struct store *st = fake_store_new();
	struct sync_report rep;
	char spec[200];
	snprintf(dbpath, sizeof dbpath, "%s/random.db", tmp);
	snprintf(spec, sizeof spec, "refuse=0.1,reset=0.1,commit_drop=0.15,commit_504=0.1,slow_commit=0.1,"
		 "busy=0.1,dup_reply=0.15,seed=%" PRIu64, seed);
	const char *extra[] = { "--faults", spec, "--slow-ms", "400", NULL };
	struct center_proc c = center_spawn(build, dbpath, extra);
	struct sync *s = engine(st, c.port, &ev, 300);
	int passes = 0, total = 0;
	for (int round = 0; round < 6; round++) {
		for (int i = 0; i < 5; i++) {
			char body[64];
			snprintf(body, sizeof body, "{\"event\":\"r%d\",\"i\":%d}", round, i);
			fake_add(st, "event", body, 100 + total++);
		}
		for (int k = 0; k < 60 && fake_acked(st) < total; k++, passes++)
			sync_run_once(s, &rep);
	}
	int ok_refs = 0;
	for (int i = 0; i < total; i++) {
		const struct fake_row *r = fake_find(st, 100 + i);
		char sql[200], ref[40] = "";
		snprintf(sql, sizeof sql, "SELECT server_ref FROM ledger WHERE idem_key='f0%030x'", 100 + i);
		if (r && r->acked && db_text(sql, ref, sizeof ref) && strcmp(ref, r->ref) == 0 &&
		    (r->disposition == OUTBOX_CREATED || r->disposition == OUTBOX_DUPLICATE))
			ok_refs++;
	}
	CHECK(fake_acked(st) == total && db_int("SELECT count(*) FROM ledger") == total &&
	      db_int("SELECT count(DISTINCT idem_key) FROM ledger") == total && ok_refs == total,
	      "random faults (seed %" PRIu64 "): %d records, %d passes, ledger %" PRId64 " rows, %d refs agree",
	      seed, total, passes, db_int("SELECT count(*) FROM ledger"), ok_refs);
	sync_free(s);
	center_kill(&c);
	free(st);
	snprintf(dbpath, sizeof dbpath, "%s/center.db", tmp);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		snprintf(build, sizeof build, "%s", argv[1]);
	snprintf(ca, sizeof ca, "%s/certs/center-ca.pem", build);
	snprintf(cert, sizeof cert, "%s/certs/client.pem", build);
	snprintf(key, sizeof key, "%s/certs/client.key", build);
	snprintf(keyfile, sizeof keyfile, "%s/certs/hmac-K0001.key", build);
	char pf[400];
	snprintf(pf, sizeof pf, "%s/certs/pins", build);
	FILE *f = fopen(pf, "r");
	if (!f || !fgets(pins, sizeof pins, f))
		return 2;
	fclose(f);
	pins[strcspn(pins, "\n")] = '\0';
	strcpy(tmp, "/tmp/center_sync.XXXXXX");
	if (!mkdtemp(tmp))
		return 2;
	snprintf(dbpath, sizeof dbpath, "%s/center.db", tmp);
	signal(SIGPIPE, SIG_IGN);
	log_set_level(LOG_LVL_ERROR);
	const char *env = getenv("CENTER_SEED");
	seed = env ? strtoull(env, NULL, 10) : (uint64_t)time(NULL);
	printf("seed %" PRIu64 " (CENTER_SEED=N replays)\n", seed);
	test_deliver_and_faults();
	test_fork();
	test_thread();
	test_random_faults();
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", tmp);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", tmp);
	printf("%d passed, %d failed (seed %" PRIu64 ")\n", passed, failed, seed);
	return failed ? 1 : 0;
}
