/* The sync engine (offline/sync.c) against build/billing-center over real mutual TLS, with the
 * kiosk's real SQLite store (temporary files): records come from the domain paths (journal,
 * readings) and outbox_add; acknowledgements are read back from the store's outbox table.
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

#include "kiosk/base/log.h"
#include "offline/journal.h"
#include "offline/outbox.h"
#include "offline/readings.h"
#include "offline/store.h"
#include "offline/sync.h"
#include "tests/check/center_spawn.h"

static int passed, failed;
static char build[256] = "build", tmp[64], dbpath[128];
static struct test_pki pki;
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

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* One integer (or one text) from a read-only connection to a database file: the center's,
 * or the kiosk's store, looked at from outside as a technician would. */
static bool file_query(const char *path, const char *sql, int64_t *ret_int, char *ret_text, size_t cap)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	bool ok = false;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return false;
	}
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
		if (ret_int)
			*ret_int = sqlite3_column_int64(st, 0);
		if (ret_text)
			snprintf(ret_text, cap, "%s", sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0) : "");
		ok = true;
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return ok;
}

static int64_t db_int(const char *sql)
{
	int64_t v = -1;
	file_query(dbpath, sql, &v, NULL, 0);
	return v;
}

static bool db_text(const char *sql, char *out, size_t cap)
{
	return file_query(dbpath, sql, NULL, out, cap);
}

/* A kiosk outbox row by key, read from the store file. */
struct krow {
	bool found, acked;
	int64_t seq;
	char disposition[16], ref[40], epoch[33];
};

static struct krow krow(const char *kpath, const uint8_t k[OUTBOX_KEY_LEN])
{
	struct krow r = { 0 };
	char hex[33], sql[256], txt[200] = "";
	csign_hex(k, OUTBOX_KEY_LEN, hex);
	snprintf(sql, sizeof sql, "SELECT seq || '|' || coalesce(disposition,'') || '|' || coalesce(server_ref,'') "
		 "|| '|' || lower(hex(epoch)) FROM outbox WHERE idem_key = x'%s'", hex);
	if (!file_query(kpath, sql, NULL, txt, sizeof txt))
		return r;
	r.found = true;
	r.seq = strtoll(txt, NULL, 10);
	char *a = strchr(txt, '|'), *b = a ? strchr(a + 1, '|') : NULL, *c = b ? strchr(b + 1, '|') : NULL;
	if (!a || !b || !c)
		return r;
	snprintf(r.disposition, sizeof r.disposition, "%.*s", (int)(b - a - 1), a + 1);
	snprintf(r.ref, sizeof r.ref, "%.*s", (int)(c - b - 1), b + 1);
	snprintf(r.epoch, sizeof r.epoch, "%s", c + 1);
	r.acked = r.disposition[0] != '\0';
	return r;
}

static int pending(struct store *st)
{
	int n = -1;
	int64_t age;
	if (outbox_pending(st, now_ms(), &n, &age) != 0)
		return -1;
	return n;
}

static struct store *open_store(const char *path)
{
	struct store *st = NULL;
	int rc = store_open(path, &st);
	if (rc != STORE_OK) {
		fprintf(stderr, "store_open %s: %s\n", path, store_strerror(rc));
		abort();
	}
	return st;
}

/* The backup a technician would take: the store closed (its WAL folded into the file),
 * then the file copied. */
static void copy_file(const char *from, const char *to)
{
	char cmd[400];
	snprintf(cmd, sizeof cmd, "cp %s %s", from, to);
	if (system(cmd) != 0)
		abort();
}

static struct sync *engine(struct store *st, int port, struct events *ev, long total_ms)
{
	struct sync_opts o;
	char err[200];
	memset(&o, 0, sizeof o);
	o.store = st;
	if (test_pki_client(&pki, port, &o.center) != 0)
		abort();
	o.center.connect_timeout_ms = 2000;
	o.center.total_timeout_ms = total_ms;
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

static uint8_t *add_event(struct store *st, const char *body, uint8_t k[OUTBOX_KEY_LEN])
{
	if (outbox_add(st, "event", (const uint8_t *)body, strlen(body), now_ms(), k) != STORE_OK)
		abort();
	return k;
}

/* A card payment up to AUTHORIZED, as the flow leaves it when the PIN-pad approved. */
static void pay_authorized(struct store *st, char txn[JOURNAL_TXN_ID_LEN + 1])
{
	struct journal_line l = { .pers_acc = "50012345", .period = "2026-10", .amount = 452316,
				  .payee_inn = "5037008735", .payee_name = "ООО «МосОблЕИРЦ»" };
	struct journal_card c = { .masked_pan = "220070******4417", .scheme = "MIR", .auth_code = "A1B2C3",
				  .rrn = "633012345678", .tid = "10000001", .mid = "770000000001",
				  .stan = "000123", .batch_no = "17", .aid = "A0000006581010",
				  .terminal_dt = "20261124153000", .host_rc = "00", .entry_mode = 7, .cvm = 1 };
	int64_t t = now_ms();
	if (journal_begin(st, &l, 1, t, txn) != STORE_OK || journal_authorize(st, txn, &c, t + 1) != STORE_OK)
		abort();
}

/* The kiosk at kpath with three records to deliver: a payment (txn, its key kpay) and
 * two readings (keys kr1, kr2).  bpath: a copy taken while the payment was authorized but
 * not yet recorded; restored later, it records the same payment (same key) at another
 * instant: other bytes. */
static struct store *kiosk_with_records(const char *kpath, const char *bpath, char *txn, uint8_t *kpay,
					uint8_t *kr1, uint8_t *kr2)
{
	struct store *st = open_store(kpath);
	pay_authorized(st, txn);
	store_close(st);
	copy_file(kpath, bpath);
	st = open_store(kpath);
	if (journal_record(st, txn, true, now_ms()) != STORE_OK)
		abort();
	if (csign_unhex(txn, kpay, 16) != 0)
		abort();
	if (readings_submit(st, "50012345", "m1", 125000, 123456, false, NULL, now_ms(), kr1) != STORE_OK ||
	    readings_submit(st, "50012345", "m7", 1, 0, false, NULL, now_ms(), kr2) != STORE_OK)
		abort();
	return st;
}

static void test_deliver_and_faults(void)
{
	struct events ev = { .mu = PTHREAD_MUTEX_INITIALIZER };
	struct sync_report rep;
	char kpath[128], bpath[128], txn[JOURNAL_TXN_ID_LEN + 1];
	uint8_t kpay[16], kr1[16], kr2[16], k4[16], k5[16];
	snprintf(kpath, sizeof kpath, "%s/kiosk.db", tmp);
	snprintf(bpath, sizeof bpath, "%s/kiosk-mid-payment.db", tmp);
	struct store *st = kiosk_with_records(kpath, bpath, txn, kpay, kr1, kr2);

	/* commit_drop: the center commits, the reply is lost; nothing acked locally */
	const char *drop[] = { "--faults", "commit_drop=1", NULL };
	struct center_proc c = center_spawn(build, dbpath, drop);
	struct sync *s = engine(st, c.port, &ev, 3000);
	int rc = sync_run_once(s, &rep);
	CHECK(rc == -1 && pending(st) == 3 && db_int("SELECT count(*) FROM ledger") == 3,
	      "commit_drop: center committed 3, kiosk acked 0 (%s)", rep.last_error);
	sync_free(s);
	center_kill(&c);

	/* healthy center: the same bytes come back as duplicates and everything is acked */
	c = center_spawn(build, dbpath, NULL);
	s = engine(st, c.port, &ev, 3000);
	rc = sync_run_once(s, &rep);
	CHECK(rc == 0 && pending(st) == 0 && rep.duplicate == 3 && rep.created == 0 &&
	      db_int("SELECT count(*) FROM ledger") == 3, "resend: 3 duplicates, all acked, ledger still 3");
	struct krow r3 = krow(kpath, kr2), rp = krow(kpath, kpay);
	CHECK(r3.acked && strcmp(r3.disposition, "duplicate") == 0 && strncmp(r3.ref, "R-", 2) == 0 &&
	      rp.acked && strncmp(rp.ref, "L-", 2) == 0 && krow(kpath, kr1).acked,
	      "the rejected reading keeps its R- ref (%s), the payment its L- ref (%s)", r3.ref, rp.ref);
	sync_free(s);
	store_close(st);

	/* conflict: the restored copy records the same payment again (same key, other
	 * recorded_ms): hello says fork, the new epoch carries it, the center keeps both and
	 * answers conflict; the kiosk quarantines (acked, flagged) and alerts */
	st = open_store(bpath);
	if (journal_record(st, txn, false, now_ms() + 5) != STORE_OK)
		abort();
	s = engine(st, c.port, &ev, 3000);
	rc = sync_run_once(s, &rep);
	struct krow r1 = krow(bpath, kpay);
	int64_t quarantined = -1;
	file_query(bpath, "SELECT count(*) FROM outbox WHERE quarantined = 1", &quarantined, NULL, 0);
	CHECK(rc == 0 && r1.acked && strcmp(r1.disposition, "conflict") == 0 && quarantined == 1 &&
	      strcmp(ev.last_alert, "conflict") == 0 && db_int("SELECT count(*) FROM conflicts") == 1 &&
	      db_int("SELECT count(*) FROM ledger") == 3,
	      "conflict: quarantined (acked, flagged) and alerted, ledger unchanged");

	/* snapshot pages of 3: 4 demo accounts in 2 pages */
	rc = sync_snapshot_now(s);
	CHECK(rc == 0 && ev.pages == 2 && ev.accounts == 4, "snapshot: %d pages, %d accounts", ev.pages, ev.accounts);
	sync_free(s);
	center_kill(&c);

	/* busy with Retry-After: not acked, the decision waits; dup_reply: acked as duplicates */
	const char *busy[] = { "--faults", "busy=1", NULL };
	c = center_spawn(build, dbpath, busy);
	s = engine(st, c.port, &ev, 3000);
	add_event(st, "{\"event\":\"door_open\"}", k4);
	rc = sync_run_once(s, &rep);
	CHECK(rc == -1 && !krow(bpath, k4).acked && strcmp(rep.last_error, "busy") == 0,
	      "busy: nothing acked, last error busy (%s)", rep.last_error);
	sync_free(s);
	center_kill(&c);
	const char *dup[] = { "--faults", "dup_reply=1", NULL };
	c = center_spawn(build, dbpath, dup);
	s = engine(st, c.port, &ev, 3000);
	rc = sync_run_once(s, &rep);
	struct krow r4 = krow(bpath, k4);
	CHECK(rc == 0 && r4.acked && strcmp(r4.disposition, "duplicate") == 0 &&
	      db_int("SELECT count(*) FROM ledger WHERE kind='event'") == 1, "dup_reply: acked once, one ledger row");
	sync_free(s);
	center_kill(&c);

	/* pin mismatch: alert, nothing sent, never unpinned */
	const char *alt[] = { "--server-key-alt", NULL };
	c = center_spawn(build, dbpath, alt);
	s = engine(st, c.port, &ev, 3000);
	add_event(st, "{\"event\":\"pin\"}", k5);
	int64_t before = db_int("SELECT count(*) FROM ledger");
	rc = sync_run_once(s, &rep);
	CHECK(rc == -1 && strcmp(ev.last_alert, "pin_mismatch") == 0 && !krow(bpath, k5).acked &&
	      db_int("SELECT count(*) FROM ledger") == before, "pin mismatch: alert, nothing delivered");
	sync_free(s);
	center_kill(&c);
	store_close(st);
}

/* A kiosk restored from an older backup: hello says fork, the engine starts a new epoch and
 * the unacked rows (same keys and bodies) are delivered. */
static void test_fork(void)
{
	struct events ev = { .mu = PTHREAD_MUTEX_INITIALIZER };
	struct sync_report rep;
	char kpath[128], bpath[128];
	uint8_t k[16];
	snprintf(kpath, sizeof kpath, "%s/fork.db", tmp);
	snprintf(bpath, sizeof bpath, "%s/fork-backup.db", tmp);
	struct center_proc c = center_spawn(build, dbpath, NULL);
	struct store *st = open_store(kpath);
	struct sync *s = engine(st, c.port, &ev, 3000);
	add_event(st, "{\"event\":\"e1\"}", k);
	add_event(st, "{\"event\":\"e2\"}", k);
	sync_run_once(s, &rep);
	sync_free(s);
	store_close(st);
	copy_file(kpath, bpath);  /* the backup predates records 3 and 4 */
	st = open_store(kpath);
	s = engine(st, c.port, &ev, 3000);
	add_event(st, "{\"event\":\"e3\"}", k);
	add_event(st, "{\"event\":\"e4\"}", k);
	int rc0 = sync_run_once(s, &rep);
	sync_free(s);
	store_close(st);

	st = open_store(bpath);
	uint8_t ep0[16], ep1[16], head[32];
	int64_t last0 = -1, last1 = -1;
	outbox_current_epoch(st, ep0, &last0, head);
	add_event(st, "{\"event\":\"after_restore\"}", k);
	s = engine(st, c.port, &ev, 3000);
	int rc = sync_run_once(s, &rep);
	outbox_current_epoch(st, ep1, &last1, head);
	struct krow r = krow(bpath, k);
	CHECK(rc0 == 0 && rc == 0 && last0 == 2 && memcmp(ep0, ep1, 16) != 0 && last1 == 1 && r.acked &&
	      r.seq == 1 && strcmp(r.disposition, "created") == 0 && strcmp(ev.last_alert, "fork") == 0,
	      "restored kiosk: fork, new epoch, the new record delivered as seq 1");
	sync_free(s);
	store_close(st);
	center_kill(&c);
}

/* The thread, on its own store connection: kicked when a record is added, reports online,
 * delivers within a second. */
static void test_thread(void)
{
	struct events ev = { .mu = PTHREAD_MUTEX_INITIALIZER };
	char kpath[128];
	uint8_t k[16];
	snprintf(kpath, sizeof kpath, "%s/thread.db", tmp);
	struct store *st = open_store(kpath), *sst = open_store(kpath);
	struct center_proc c = center_spawn(build, dbpath, NULL);
	struct sync *s = engine(sst, c.port, &ev, 3000);
	add_event(st, "{\"event\":\"boot\"}", k);
	sync_start(s);
	bool ok = false;
	for (int i = 0; i < 50 && !ok; i++) {
		usleep(100000);
		ok = krow(kpath, k).acked;
	}
	pthread_mutex_lock(&ev.mu);
	bool online = ev.now_online && ev.online == 1;
	pthread_mutex_unlock(&ev.mu);
	CHECK(ok && online, "thread: delivered after start, status online");
	add_event(st, "{\"event\":\"kick\"}", k);
	sync_kick(s);
	ok = false;
	for (int i = 0; i < 30 && !ok; i++) {
		usleep(100000);
		ok = krow(kpath, k).acked;
	}
	CHECK(ok, "thread: kick delivers a new record promptly");
	center_kill(&c);
	add_event(st, "{\"event\":\"offline\"}", k);
	sync_kick(s);
	bool off = false;
	for (int i = 0; i < 50 && !off; i++) {
		usleep(100000);
		pthread_mutex_lock(&ev.mu);
		off = !ev.now_online;
		pthread_mutex_unlock(&ev.mu);
	}
	CHECK(off && !krow(kpath, k).acked && pending(st) == 1, "thread: center gone -> status offline, record kept");
	sync_free(s);
	store_close(sst);
	store_close(st);
}

/* Batches fail (every commit's answer comes after the client's 1 s timeout) while hello
 * works: a working hello does not reset the batches' backoff, and the link status follows
 * the batches, so the kiosk neither storms the center (it was ~60 POSTs in 15 s) nor
 * flips online/offline with every hello. */
static void test_backoff_not_reset_by_hello(void)
{
	struct events ev = { .mu = PTHREAD_MUTEX_INITIALIZER };
	char kpath[128];
	uint8_t k[16];
	snprintf(kpath, sizeof kpath, "%s/storm.db", tmp);
	struct store *st = open_store(kpath), *sst = open_store(kpath);
	const char *slow[] = { "--faults", "slow_commit=1", "--slow-ms", "2000", NULL };
	struct center_proc c = center_spawn(build, dbpath, slow);
	struct sync *s = engine(sst, c.port, &ev, 1000);
	add_event(st, "{\"event\":\"storm\"}", k);
	sync_start(s);
	usleep(12 * 1000 * 1000);
	sync_free(s);
	int64_t attempts = -1;
	file_query(kpath, "SELECT attempts FROM outbox", &attempts, NULL, 0);
	pthread_mutex_lock(&ev.mu);
	int online = ev.online, offline = ev.offline;
	pthread_mutex_unlock(&ev.mu);
	/* 1 s per try plus full jitter from 1 s doubling: about 5 tries in 12 s; with the
	 * backoff reset by each hello, 8 or more. */
	CHECK(attempts >= 2 && attempts <= 7 && !krow(kpath, k).acked,
	      "failing batches back off despite working hellos: %lld tries in 12 s", (long long)attempts);
	CHECK(online <= 1 && offline <= 1, "the link status does not flap: %d online, %d offline reports", online, offline);
	center_kill(&c);
	store_close(sst);
	store_close(st);
}

/* Property under a random fault schedule: every record ends acknowledged exactly once in
 * the ledger, and the kiosk's ref for each key is the ledger's ref (never lost, never
 * counted twice). */
static void test_random_faults(void)
{
	struct events ev = { .mu = PTHREAD_MUTEX_INITIALIZER };
	struct sync_report rep;
	char spec[200], kpath[128];
	enum { TOTAL = 30 };
	uint8_t keys[TOTAL][16];
	snprintf(dbpath, sizeof dbpath, "%s/random.db", tmp);
	snprintf(kpath, sizeof kpath, "%s/random-kiosk.db", tmp);
	snprintf(spec, sizeof spec, "refuse=0.1,reset=0.1,commit_drop=0.15,commit_504=0.1,slow_commit=0.1,"
		 "busy=0.1,dup_reply=0.15,seed=%" PRIu64, seed);
	const char *extra[] = { "--faults", spec, "--slow-ms", "400", NULL };
	struct center_proc c = center_spawn(build, dbpath, extra);
	struct store *st = open_store(kpath);
	struct sync *s = engine(st, c.port, &ev, 300);
	int passes = 0, total = 0;
	for (int round = 0; round < 6; round++) {
		for (int i = 0; i < 5; i++) {
			char body[64];
			snprintf(body, sizeof body, "{\"event\":\"r%d\",\"i\":%d}", round, i);
			add_event(st, body, keys[total++]);
		}
		for (int k = 0; k < 60 && pending(st) > 0; k++, passes++)
			sync_run_once(s, &rep);
	}
	int ok_refs = 0;
	for (int i = 0; i < total; i++) {
		struct krow r = krow(kpath, keys[i]);
		char sql[200], hex[33], ref[40] = "";
		csign_hex(keys[i], 16, hex);
		snprintf(sql, sizeof sql, "SELECT server_ref FROM ledger WHERE idem_key='%s'", hex);
		if (r.acked && db_text(sql, ref, sizeof ref) && strcmp(ref, r.ref) == 0 &&
		    (strcmp(r.disposition, "created") == 0 || strcmp(r.disposition, "duplicate") == 0))
			ok_refs++;
	}
	CHECK(pending(st) == 0 && db_int("SELECT count(*) FROM ledger") == total &&
	      db_int("SELECT count(DISTINCT idem_key) FROM ledger") == total && ok_refs == total,
	      "random faults (seed %" PRIu64 "): %d records, %d passes, ledger %" PRId64 " rows, %d refs agree",
	      seed, total, passes, db_int("SELECT count(*) FROM ledger"), ok_refs);
	sync_free(s);
	store_close(st);
	center_kill(&c);
	snprintf(dbpath, sizeof dbpath, "%s/center.db", tmp);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		snprintf(build, sizeof build, "%s", argv[1]);
	if (test_pki_load(build, &pki) != 0)
		return 2;
	strcpy(tmp, "/tmp/center_sync.XXXXXX");
	if (!mkdtemp(tmp))
		return 2;
	snprintf(dbpath, sizeof dbpath, "%s/center.db", tmp);
	signal(SIGPIPE, SIG_IGN);
	log_set_level(getenv("CS_DEBUG") ? LOG_LVL_DEBUG : LOG_LVL_ERROR);
	const char *env = getenv("CENTER_SEED");
	seed = env ? strtoull(env, NULL, 10) : (uint64_t)time(NULL);
	printf("seed %" PRIu64 " (CENTER_SEED=N replays)\n", seed);
	test_deliver_and_faults();
	test_fork();
	test_thread();
	test_backoff_not_reset_by_hello();
	test_random_faults();
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", tmp);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", tmp);
	printf("%d passed, %d failed (seed %" PRIu64 ")\n", passed, failed, seed);
	return failed ? 1 : 0;
}
