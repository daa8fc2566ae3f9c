/* Issue 6's end-to-end fault requirements, with the kiosk's real store and the real domain
 * paths:
 *   1. 1,000 records (card payments through journal_begin/authorize/record, meter readings
 *      through readings_submit, mixed) while about a quarter of the requests the sync thread
 *      makes meet a seeded fault; then the center restarted on the same database without faults.
 *      The center's ledger must equal the kiosk's records as a set of idem keys, the payment
 *      sum must agree to the kopeck, everything must be acked within 30 s of the faults
 *      stopping, no watermark may go back, and the batch POSTs must stay within 2.5 x the
 *      batches that had to be sent.  The engine's exchanges run in a kiosk-link process, as
 *      in the kiosk, and that process is killed every 0.5-1.1 s while the records come.
 *   2. Restore from backup: 50 synced, backup, 30 synced, the backup restored, 20 new: the
 *      first request (hello) detects the fork, a new epoch carries the 20, and the center
 *      holds exactly the 100 records, each once.
 * Reading the databases and the simulator's log: sync_faults_read.c.
 * Usage: sync_faults [BUILD_DIR]; SYNC_SEED=N replays a run (the seed drives the records and
 * the center's fault schedule; thread timing still varies). */
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "kiosk/base/log.h"
#include "offline/journal.h"
#include "offline/outbox.h"
#include "offline/readings.h"
#include "offline/store.h"
#include "offline/sync.h"
#include "tests/check/center_spawn.h"
#include "tests/check/link_procs.h"
#include "tests/check/sync_faults.h"

#define RECORDS 1000
#define DRAIN_LIMIT_MS 30000
#define MAX_WAIT_MS 200      /* the engine's test knob: backoffs capped so the run is short */

static int passed, failed;
static char build[256] = "build", tmp[64];
static struct test_pki pki;
static uint64_t seed, rng;

#define CHECK(cond, ...) do { \
	if (cond) { passed++; printf("ok   "); } else { failed++; printf("FAIL "); } \
	printf(__VA_ARGS__); printf("\n"); fflush(stdout); } while (0)

static uint64_t rnd(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int64_t wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ================================================================ records */
/* What the kiosk produced: keys as 32 lowercase hex, and the money it took. */
struct produced {
	int n, payments, readings;
	kopecks pay_sum;
	char (*keys)[33];
};

struct meter {
	const char *pa, *id;
	int64_t value, unit;  /* unit: the smallest step the register shows, in milli */
};

/* The demo accounts' meters (docs/demo.md, The accounts), advancing as residents read them. */
static struct meter meters[] = {
	{ "50012345", "m1", 123456, 1 }, { "50012345", "m2", 45120, 1 },
	{ "50098765", "m3", 10234500, 100 }, { "50098765", "m4", 4321000, 100 },
	{ "50022222", "m5", 900000, 1 },
};
static const char *const accounts[] = { "50012345", "50098765", "50011111", "50022222" };
static const char *const schemes[] = { "MIR", "VISA", "MASTERCARD" };

static void digits(char *out, int n)
{
	for (int i = 0; i < n; i++)
		out[i] = (char)('0' + rnd() % 10);
	out[n] = '\0';
}

/* A card payment the way the flow makes one: INTENT with the basket, AUTHORIZED with what
 * the PIN-pad reported, RECORDED (the outbox record), CONFIRMED once the receipt printed. */
static void pay(struct store *st, struct produced *p)
{
	struct journal_line lines[3];
	int n = 1 + (int)(rnd() % 3);
	kopecks total = 0;
	memset(lines, 0, sizeof lines);
	for (int i = 0; i < n; i++) {
		snprintf(lines[i].pers_acc, sizeof lines[i].pers_acc, "%s", accounts[rnd() % 4]);
		snprintf(lines[i].period, sizeof lines[i].period, "2026-%02d", 9 + (int)(rnd() % 3));
		lines[i].amount = 100 + (kopecks)(rnd() % 1500000);
		snprintf(lines[i].payee_inn, sizeof lines[i].payee_inn, "5037008735");
		snprintf(lines[i].payee_name, sizeof lines[i].payee_name, "ООО «МосОблЕИРЦ»");
		total += lines[i].amount;
	}
	struct journal_card c;
	memset(&c, 0, sizeof c);
	char last4[5];
	digits(last4, 4);
	snprintf(c.masked_pan, sizeof c.masked_pan, "220070******%s", last4);
	snprintf(c.scheme, sizeof c.scheme, "%s", schemes[rnd() % 3]);
	digits(c.auth_code, 6);
	digits(c.rrn, 12);
	snprintf(c.tid, sizeof c.tid, "10000001");
	snprintf(c.mid, sizeof c.mid, "770000000001");
	digits(c.stan, 6);
	snprintf(c.batch_no, sizeof c.batch_no, "17");
	snprintf(c.aid, sizeof c.aid, "A0000006581010");
	snprintf(c.terminal_dt, sizeof c.terminal_dt, "20261125%06d", (int)(rnd() % 235959));
	snprintf(c.host_rc, sizeof c.host_rc, "00");
	c.entry_mode = rnd() % 2 ? 7 : 5;
	c.cvm = (int)(rnd() % 2);
	snprintf(c.slip, sizeof c.slip, "ОПЛАТА\nКарта %s\nКод авторизации %s\nОДОБРЕНО\n", c.masked_pan, c.auth_code);
	char txn[JOURNAL_TXN_ID_LEN + 1];
	int64_t t = wall_ms();
	if (journal_begin(st, lines, n, t, txn) != STORE_OK || journal_authorize(st, txn, &c, t + 1) != STORE_OK ||
	    journal_record(st, txn, rnd() % 4 == 0, t + 2) != STORE_OK ||
	    journal_move(st, txn, JOURNAL_CONFIRMED, NULL, t + 3) != STORE_OK) {
		fprintf(stderr, "payment %d refused by the store\n", p->n);
		abort();
	}
	snprintf(p->keys[p->n++], 33, "%s", txn);
	p->payments++;
	p->pay_sum += total;
}

static void reading(struct store *st, struct produced *p)
{
	struct meter *m = &meters[rnd() % (sizeof meters / sizeof meters[0])];
	int64_t prev = m->value;
	m->value += m->unit * (int64_t)(1 + rnd() % 3000);
	uint8_t k[READINGS_KEY_LEN];
	if (readings_submit(st, m->pa, m->id, m->value, prev, false, NULL, wall_ms(), k) != STORE_OK) {
		fprintf(stderr, "reading %d refused by the store\n", p->n);
		abort();
	}
	csign_hex(k, sizeof k, p->keys[p->n++]);
	p->readings++;
}

static void produce(struct store *st, struct produced *p)
{
	if (rnd() % 10 < 7)
		pay(st, p);
	else
		reading(st, p);
}

/* ================================================================ engine */
struct events {
	pthread_mutex_t mu;
	int alerts;
	char first_alert[32], first_detail[96];
};

static void on_alert(void *ud, const char *what, const char *detail)
{
	struct events *e = ud;
	pthread_mutex_lock(&e->mu);
	if (e->alerts++ == 0) {
		snprintf(e->first_alert, sizeof e->first_alert, "%s", what);
		snprintf(e->first_detail, sizeof e->first_detail, "%s", detail);
	}
	pthread_mutex_unlock(&e->mu);
}

static struct sync *engine(struct store *st, int port, struct events *ev)
{
	struct sync_opts o;
	char err[200];
	memset(&o, 0, sizeof o);
	o.store = st;
	if (test_pki_client(&pki, port, &o.center) != 0)
		abort();
	o.center.connect_timeout_ms = 1000;
	o.center.total_timeout_ms = 5000;
	/* As in the kiosk: the exchanges in a kiosk-link process (which test_faults kills). */
	o.center.link.on = true;
	snprintf(o.center.link.log_level, sizeof o.center.link.log_level, "error");
	if (snprintf(o.center.link.program, sizeof o.center.link.program, "%s/kiosk-link", build) >=
	    (int)sizeof o.center.link.program)
		abort();
	o.heartbeat_s = 60;
	o.snapshot_s = -1;
	o.max_wait_ms = MAX_WAIT_MS;
	snprintf(o.sw, sizeof o.sw, "sync_faults");
	o.cb = (struct sync_callbacks){ .alert = on_alert, .ud = ev };
	struct sync *s = sync_new(&o, err, sizeof err);
	if (!s) {
		fprintf(stderr, "%s\n", err);
		abort();
	}
	return s;
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

static int pending(struct store *st)
{
	int n = -1;
	int64_t age;
	return outbox_pending(st, wall_ms(), &n, &age) == 0 ? n : -1;
}


/* ================================================================ watermark sampler */
#define MAX_EPOCHS 8
struct sampler {
	pthread_t th;
	_Atomic bool stop;
	const char *kiosk, *center;
	int samples, center_back, kiosk_back, kiosk_epochs, center_epochs;
	char ep[MAX_EPOCHS][33];
	int64_t wm[MAX_EPOCHS];
	char kep[33];
	int64_t kwm;
};

/* Every 20 ms: the center's watermark of each of this device's epochs and the kiosk's acked
 * prefix of its current epoch; any step backwards is counted. */
static void *sample(void *arg)
{
	struct sampler *s = arg;
	while (!s->stop) {
		sqlite3 *db = sf_ro(s->center);
		sqlite3_stmt *st;
		if (db && sqlite3_prepare_v2(db, "SELECT epoch, watermark FROM epochs WHERE device_id='K0001'",
					     -1, &st, NULL) == SQLITE_OK) {
			while (sqlite3_step(st) == SQLITE_ROW) {
				const char *ep = (const char *)sqlite3_column_text(st, 0);
				int64_t wm = sqlite3_column_int64(st, 1);
				int k = 0;
				while (k < s->center_epochs && strcmp(s->ep[k], ep) != 0)
					k++;
				if (k == s->center_epochs && k < MAX_EPOCHS) {
					snprintf(s->ep[k], 33, "%s", ep);
					s->wm[k] = wm;
					s->center_epochs++;
				} else if (k < MAX_EPOCHS) {
					s->center_back += wm < s->wm[k];
					s->wm[k] = wm;
				}
			}
			sqlite3_finalize(st);
		}
		sqlite3_close(db);
		db = sf_ro(s->kiosk);
		if (db && sqlite3_prepare_v2(db, "SELECT lower(hex(s.epoch)), (SELECT coalesce(max(seq), 0) FROM outbox o "
					     "WHERE o.epoch = s.epoch AND o.acked_at IS NOT NULL) FROM outbox_state s",
					     -1, &st, NULL) == SQLITE_OK) {
			if (sqlite3_step(st) == SQLITE_ROW) {
				const char *ep = (const char *)sqlite3_column_text(st, 0);
				int64_t wm = sqlite3_column_int64(st, 1);
				if (strcmp(ep, s->kep) != 0) {
					s->kiosk_epochs++;
					snprintf(s->kep, sizeof s->kep, "%s", ep);
				} else {
					s->kiosk_back += wm < s->kwm;
				}
				s->kwm = wm;
			}
			sqlite3_finalize(st);
		}
		sqlite3_close(db);
		s->samples++;
		usleep(20000);
	}
	return NULL;
}

/* ================================================================ the link killed */
/* While the records are produced, the sync engine's kiosk-link process is killed every
 * 150-450 ms: a batch in flight is then an unknown outcome, and must still end as exactly
 * one ledger row per record. */
struct killer {
	pthread_t th;
	_Atomic bool stop;
	int kills;
	uint64_t rng;
};

static void *kill_links(void *arg)
{
	struct killer *k = arg;
	while (!k->stop) {
		k->rng = k->rng * 6364136223846793005ULL + 1442695040888963407ULL;
		usleep((useconds_t)(500000 + (k->rng >> 33) % 600000));
		pid_t pid = 0;
		link_children(getpid(), true, &pid);
		if (pid > 0 && !k->stop && kill(pid, SIGKILL) == 0)
			k->kills++;
	}
	return NULL;
}

/* ================================================================ 1: faults, then drain */
/* The records produced are exactly the kiosk's outbox and the center's ledger, as sets of
 * keys, and the payments add up to the same sum at the center and in the kiosk's journal. */
static void check_records(const char *kpath, const char *cpath, const struct produced *p)
{
	char (*kk)[33] = NULL, (*lk)[33] = NULL, (*pk)[33] = calloc(RECORDS, 33);
	memcpy(pk, p->keys, (size_t)p->n * 33);
	qsort(pk, (size_t)p->n, 33, sf_cmp_key);
	int nk = sf_q_keys(kpath, "SELECT lower(hex(idem_key)) FROM outbox", &kk);
	int nl = sf_q_keys(cpath, "SELECT idem_key FROM ledger WHERE device_id='K0001'", &lk);
	int miss = -1, extra = -1, dups = -1, m2 = -1, e2 = -1, d2 = -1;
	if (nk >= 0 && nl >= 0) {
		sf_diff_keys(kk, nk, lk, nl, &miss, &extra, &dups);
		sf_diff_keys(pk, p->n, kk, nk, &m2, &e2, &d2);
	}
	CHECK(p->n == RECORDS && nk == RECORDS && m2 == 0 && e2 == 0 && d2 == 0,
	      "the kiosk's outbox holds exactly the %d records produced (%d rows)", p->n, nk);
	CHECK(nl == RECORDS && miss == 0 && extra == 0 && dups == 0,
	      "ledger = kiosk records as a set of keys: %d rows, %d missing, %d extra, %d duplicates", nl, miss, extra, dups);
	int npay = 0, bad = 0;
	kopecks lsum = sf_ledger_pay_sum(cpath, &npay, &bad);
	int64_t jsum = sf_q_int(kpath, "SELECT sum(total) FROM journal WHERE state = 'CONFIRMED'");
	CHECK(npay == p->payments && bad == 0 && lsum == p->pay_sum && jsum == p->pay_sum,
	      "payments: %d booked (%d bad), sum %" PRId64 " kopecks at the center = %" PRId64 " in the kiosk's journal",
	      npay, bad, (int64_t)lsum, jsum);
	free(kk);
	free(lk);
	free(pk);
}

/* The minimum: one POST per distinct batch the kiosk got an answer for (what a fault-free
 * link would have cost for the same batches).  Refused connections count as POSTs.
 * An answer the center sent can die with a killed link process: that batch is sent and
 * answered again (a duplicate), at most once per kill. */
static void check_posts(const struct sf_center_counts *fc, const struct sf_center_counts *cc, int kills)
{
	unsigned posts = fc->posts + cc->posts + fc->refused, needed = fc->distinct + cc->distinct;
	unsigned answers = fc->ok + cc->ok;
	CHECK(needed > 0 && posts * 2 <= needed * 5 && answers >= needed && answers - needed <= (unsigned)kills,
	      "batch POSTs %u (incl. %u refused connections) <= 2.5 x %u distinct batches answered (%.2fx; "
	      "%u answers, floor %d at 100 per batch)", posts, fc->refused, needed,
	      needed ? (double)posts / needed : 0.0, answers, (RECORDS + 99) / 100);
}

static void test_faults(void)
{
	char kpath[128], cpath[128], log1[128], log2[128], spec[300];
	snprintf(kpath, sizeof kpath, "%s/kiosk.db", tmp);
	snprintf(cpath, sizeof cpath, "%s/center.db", tmp);
	snprintf(log1, sizeof log1, "%s/center-faults.log", tmp);
	snprintf(log2, sizeof log2, "%s/center-clean.log", tmp);
	/* Per batch: reset + busy + commit_drop + commit_504 + slow_commit + dup_reply = 0.32;
	 * per hello: reset + busy = 0.12; per new connection: refuse 0.10. */
	snprintf(spec, sizeof spec, "refuse=0.1,reset=0.06,busy=0.06,commit_drop=0.06,commit_504=0.05,"
		 "slow_commit=0.04,dup_reply=0.05,seed=%" PRIu64, seed);
	const char *faults[] = { "--faults", spec, "--slow-ms", "300", NULL };
	struct center_proc c = center_spawn_at(build, cpath, 0, log1, faults);
	if (c.port <= 0)
		abort();
	struct events ev = { .mu = PTHREAD_MUTEX_INITIALIZER };
	struct store *st = open_store(kpath), *sst = open_store(kpath);
	struct produced p = { .keys = calloc(RECORDS, 33) };
	struct sampler sm = { .kiosk = kpath, .center = cpath };
	pthread_create(&sm.th, NULL, sample, &sm);
	struct sync *s = engine(sst, c.port, &ev);
	sync_start(s);
	struct killer kl = { .rng = seed ^ 0x9e3779b97f4a7c15ULL };
	pthread_create(&kl.th, NULL, kill_links, &kl);
	int64_t t0 = mono_ms();
	for (int i = 0; i < RECORDS; i++) {
		produce(st, &p);
		sync_kick(s);
		usleep(3000);  /* customers a few ms apart: the engine sees a stream, not one lump */
	}
	int64_t t_prod = mono_ms() - t0;
	kl.stop = true;
	pthread_join(kl.th, NULL);
	int left = pending(st);
	center_kill(&c);
	struct center_proc c2 = { -1, 0 };
	for (int tries = 0; tries < 50 && c2.port <= 0; tries++) {
		c2 = center_spawn_at(build, cpath, c.port, log2, NULL);
		if (c2.port <= 0) {
			center_kill(&c2);
			usleep(100000);
		}
	}
	int64_t t1 = mono_ms(), drain = -1;
	while (mono_ms() - t1 < DRAIN_LIMIT_MS + 5000) {
		if (pending(st) == 0) {
			drain = mono_ms() - t1;
			break;
		}
		usleep(20000);
	}
	usleep(100000);  /* one more sample after the last ack */
	sm.stop = true;
	pthread_join(sm.th, NULL);
	sync_free(s);
	center_kill(&c2);
	printf("records %d (%d payments, %d readings) produced in %" PRId64 " ms, %d unacked when the faults stopped\n",
	       p.n, p.payments, p.readings, t_prod, left);
	CHECK(kl.kills >= 3, "the sync engine's kiosk-link process was killed %d times while the records were produced",
	      kl.kills);

	struct sf_center_counts fc = { 0 }, cc = { 0 };
	sf_read_log(log1, &fc);
	sf_read_log(log2, &cc);
	unsigned hits = 0;
	printf("faults hit:");
	for (int i = 0; i < 7; i++) {
		printf(" %s=%u", sf_fault_names[i], fc.hits[i]);
		hits += fc.hits[i];
	}
	unsigned reqs = fc.refused + fc.hellos + fc.posts;
	printf("\nfaulty center: %u requests (%u hellos, %u batch POSTs, %u refused connections), %u faulted (%.0f %%)\n",
	       reqs, fc.hellos, fc.posts, fc.refused, hits, reqs ? 100.0 * hits / reqs : 0.0);
	printf("clean center: %u hellos, %u batch POSTs; drain %" PRId64 " ms\n", cc.hellos, cc.posts, drain);
	/* The schedule above faults about a quarter of the 75-130 requests a run makes (22-32 %
	 * in six runs of random seeds), a standard deviation of ~4 hits.  The check only shows
	 * that the faults were there: with 15 % as its floor it failed about one run in fifty
	 * (10 of 80 with SYNC_SEED=1796538894), so 5 %, four standard deviations below. */
	CHECK(c2.port == c.port && reqs > 0 && hits * 100 >= reqs * 5 && hits * 100 <= reqs * 50,
	      "faults met %u of %u requests (~26 %% expected, 5-50 %% accepted) and the center came back on port %d",
	      hits, reqs, c.port);

	check_records(kpath, cpath, &p);
	int64_t agree = sf_q_int(kpath, "SELECT count(*) FROM outbox WHERE disposition IN ('created','duplicate')");
	CHECK(drain >= 0 && drain <= DRAIN_LIMIT_MS && pending(st) == 0 && agree == RECORDS,
	      "all %d outbox rows acked (created/duplicate) %" PRId64 " ms after the faults stopped", (int)agree, drain);
	CHECK(sm.samples > 50 && sm.center_back == 0 && sm.kiosk_back == 0 && sm.center_epochs == 1 && sm.kiosk_epochs == 1 &&
	      sm.wm[0] == RECORDS && sm.kwm == RECORDS,
	      "watermark never decreased over %d samples (center %" PRId64 ", kiosk %" PRId64 ", one epoch)",
	      sm.samples, sm.wm[0], sm.kwm);
	check_posts(&fc, &cc, kl.kills);
	pthread_mutex_lock(&ev.mu);
	CHECK(ev.alerts == 0, "no alert under transient faults (%d, first %s)", ev.alerts, ev.first_alert);
	pthread_mutex_unlock(&ev.mu);
	free(p.keys);
	store_close(sst);
	store_close(st);
}

/* ================================================================ 2: restore from backup */
static void produce_n(const char *kpath, int port, struct produced *p, int n, bool sync_them)
{
	struct events ev = { .mu = PTHREAD_MUTEX_INITIALIZER };
	struct sync_report rep;
	struct store *st = open_store(kpath);
	for (int i = 0; i < n; i++)
		produce(st, p);
	if (sync_them) {
		struct sync *s = engine(st, port, &ev);
		if (sync_run_once(s, &rep) != 0 || pending(st) != 0)
			fprintf(stderr, "produce_n: not all delivered (%s)\n", rep.last_error);
		sync_free(s);
	}
	store_close(st);
}

static void copy_file(const char *from, const char *to)
{
	char cmd[400];
	snprintf(cmd, sizeof cmd, "cp %s %s && rm -f %s-wal %s-shm", from, to, to, to);
	if (system(cmd) != 0)
		abort();
}

static void test_restore(void)
{
	char kpath[128], bpath[128], cpath[128];
	snprintf(kpath, sizeof kpath, "%s/restore.db", tmp);
	snprintf(bpath, sizeof bpath, "%s/restore-backup.db", tmp);
	snprintf(cpath, sizeof cpath, "%s/center-restore.db", tmp);
	struct center_proc c = center_spawn_at(build, cpath, 0, NULL, NULL);
	struct produced p = { .keys = calloc(100, 33) };
	produce_n(kpath, c.port, &p, 50, true);
	copy_file(kpath, bpath);                 /* the engine stopped, the store closed */
	produce_n(kpath, c.port, &p, 30, true);
	int64_t wm80 = sf_q_int(cpath, "SELECT max(watermark) FROM epochs WHERE device_id='K0001'");
	copy_file(bpath, kpath);                 /* restored: the 30 are gone from the kiosk */

	struct store *st = open_store(kpath);
	uint8_t ep0[16], ep1[16], head[32];
	int64_t last0 = -1, last1 = -1;
	outbox_current_epoch(st, ep0, &last0, head);
	for (int i = 0; i < 20; i++)
		produce(st, &p);
	struct events ev = { .mu = PTHREAD_MUTEX_INITIALIZER };
	struct sync_report rep;
	struct sync *s = engine(st, c.port, &ev);
	int rc = sync_run_once(s, &rep);
	outbox_current_epoch(st, ep1, &last1, head);
	CHECK(last0 == 50 && wm80 == 80 && rc == 0 && ev.alerts == 1 && strcmp(ev.first_alert, "fork") == 0 &&
	      strstr(ev.first_detail, "center reports a fork") != NULL,
	      "restored kiosk (last seq %" PRId64 ", center at %" PRId64 "): fork detected by the first request, hello (%s)",
	      last0, wm80, ev.first_detail);
	CHECK(memcmp(ep0, ep1, 16) != 0 && last1 == 20 && pending(st) == 0 && rep.created == 20,
	      "a new epoch carries the 20 new records as seqs 1..%" PRId64 ", %d created", last1, rep.created);
	char (*lk)[33] = NULL, (*pk)[33] = calloc(100, 33);
	memcpy(pk, p.keys, (size_t)p.n * 33);
	qsort(pk, (size_t)p.n, 33, sf_cmp_key);
	int nl = sf_q_keys(cpath, "SELECT idem_key FROM ledger WHERE device_id='K0001'", &lk);
	int miss = -1, extra = -1, dups = -1;
	if (nl >= 0)
		sf_diff_keys(pk, p.n, lk, nl, &miss, &extra, &dups);
	CHECK(p.n == 100 && nl == 100 && miss == 0 && extra == 0 && dups == 0,
	      "the center holds exactly the 100 records, each once (%d rows, %d missing, %d extra, %d dups)",
	      nl, miss, extra, dups);
	sync_free(s);
	store_close(st);
	center_kill(&c);
	free(lk);
	free(pk);
	free(p.keys);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		snprintf(build, sizeof build, "%s", argv[1]);
	if (test_pki_load(build, &pki) != 0)
		return 2;
	strcpy(tmp, "/tmp/sync_faults.XXXXXX");
	if (!mkdtemp(tmp))
		return 2;
	signal(SIGPIPE, SIG_IGN);
	log_set_level(LOG_LVL_ERROR);
	const char *env = getenv("SYNC_SEED");
	seed = env ? strtoull(env, NULL, 10) : (uint64_t)time(NULL);
	rng = seed;
	printf("seed %" PRIu64 " (SYNC_SEED=N replays)\n", seed);
	fflush(stdout);
	int64_t t0 = mono_ms();
	test_faults();
	test_restore();
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", tmp);
	if (failed == 0 && system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", tmp);
	else if (failed)
		printf("files kept in %s\n", tmp);
	printf("%d passed, %d failed (seed %" PRIu64 ", %.1f s)\n", passed, failed, seed, (mono_ms() - t0) / 1000.0);
	return failed ? 1 : 0;
}
