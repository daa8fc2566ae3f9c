/* The crash suites' model and invariant checks (check.h). */
#include "tests/crash/check.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "offline/audit.h"
#include "offline/journal.h"
#include "offline/store.h"
#include "offline/store_internal.h"
#include "offline/crypto_lib.h"

/* ---------------------------------------------------------------- key map */

static uint64_t khash(const uint8_t k[16])
{
	uint64_t h;
	memcpy(&h, k, 8);
	return h * 0x9E3779B97F4A7C15ull;
}

static void kmap_grow(struct kmap *m);

static size_t kmap_slot(const struct kmap *m, const uint8_t k[16])
{
	size_t i = (size_t)(khash(k) & (m->cap - 1));
	while (m->vals[i] != -1 && memcmp(m->keys[i], k, 16) != 0)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static void kmap_put(struct kmap *m, const uint8_t k[16], int8_t v)
{
	if ((m->n + 1) * 2 > m->cap)
		kmap_grow(m);
	size_t i = kmap_slot(m, k);
	if (m->vals[i] == -1) {
		memcpy(m->keys[i], k, 16);
		m->n++;
	}
	m->vals[i] = v;
}

static void kmap_grow(struct kmap *m)
{
	struct kmap old = *m;
	m->cap = old.cap ? old.cap * 2 : 256;
	m->keys = calloc(m->cap, 16);
	m->vals = malloc(m->cap);
	memset(m->vals, -1, m->cap);
	m->n = 0;
	for (size_t i = 0; i < old.cap; i++)
		if (old.vals[i] != -1)
			kmap_put(m, old.keys[i], old.vals[i]);
	free(old.keys);
	free(old.vals);
}

static int kmap_get(const struct kmap *m, const uint8_t k[16])
{
	if (!m->cap)
		return -1;
	return m->vals[kmap_slot(m, k)];
}

/* ---------------------------------------------------------------- feeding */

void model_init(struct model *m)
{
	memset(m, 0, sizeof *m);
	m->in_keys = calloc(64, 16);
}

void model_free(struct model *m)
{
	free(m->pay.keys);
	free(m->pay.vals);
	free(m->acked.keys);
	free(m->acked.vals);
	free(m->in_keys);
	memset(m, 0, sizeof *m);
}

static void acked(struct model *m)
{
	m->nacks++;
	if (m->failed)
		m->acks_after_fail++;
	if (m->injected)
		m->acks_after_inject++;
	m->in_op = 0;
}

void model_feed(struct model *m, const char *line)
{
	char op = line[0], code = line[1] ? line[2] : 0;
	uint8_t k[16];
	char a[40] = "", b[40] = "";
	if (op == 'S') {
		m->syncs = atoi(line + 2);
	} else if (op == 'Q') {
		sscanf(line + 2, "%d %d %d %d", &m->shim_counts[0], &m->shim_counts[1],
		       &m->shim_counts[2], &m->shim_counts[3]);
	} else if (op == 'I') {
		m->injected = true;
	} else if (op == 'F') {
		m->failed = true;
	} else if (op == 'T') {
		if (m->failed)
			return; /* the op that failed stays the in-flight one */
		m->in_op = code;
		m->in_nkeys = 0;
		if (code == 'M' && sscanf(line + 4, "%39s %39s", a, b) == 2) {
			store_unhex(a, m->in_txn, 16);
			m->in_state = journal_state_parse(b);
		} else if (code == 'K') {
			const char *p = strchr(line + 4, ' ');
			while (p && m->in_nkeys < 64 && sscanf(p, " %39s", a) == 1) {
				if (store_unhex(a, m->in_keys[m->in_nkeys], 16))
					m->in_nkeys++;
				p = strchr(p + 1, ' ');
			}
		}
	} else if (op == 'A') {
		switch (code) {
		case 'B':
			if (sscanf(line + 4, "%39s", a) == 1 && store_unhex(a, k, 16))
				kmap_put(&m->pay, k, JOURNAL_INTENT);
			m->payments++;
			break;
		case 'M':
			if (sscanf(line + 4, "%39s %39s", a, b) == 2 && store_unhex(a, k, 16))
				kmap_put(&m->pay, k, (int8_t)journal_state_parse(b));
			break;
		case 'R': m->readings++; break;
		case 'E': m->events++; break;
		case 'U': m->audits++; break;
		case 'K':
			for (int i = 0; i < m->in_nkeys; i++)
				kmap_put(&m->acked, m->in_keys[i], 1);
			break;
		default: break;
		}
		acked(m);
	}
}

size_t model_feed_buf(struct model *m, const char *buf, size_t len)
{
	size_t used = 0;
	for (;;) {
		const char *nl = memchr(buf + used, '\n', len - used);
		if (!nl)
			return used;
		char line[2048];
		size_t n = (size_t)(nl - (buf + used));
		if (n >= sizeof line)
			n = sizeof line - 1;
		memcpy(line, buf + used, n);
		line[n] = 0;
		model_feed(m, line);
		used = (size_t)(nl - buf) + 1;
	}
}

/* ---------------------------------------------------------------- checks */

struct ck {
	struct store *s;
	int bad;
	char *why;
	size_t cap;
};

static void violation(struct ck *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void violation(struct ck *c, const char *fmt, ...)
{
	if (c->bad++ == 0) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(c->why, c->cap, fmt, ap);
		va_end(ap);
	}
}

static int64_t q1(struct ck *c, const char *sql)
{
	sqlite3_stmt *q;
	int64_t v = -1;
	if (sqlite3_prepare_v2(store_db(c->s), sql, -1, &q, NULL) != SQLITE_OK) {
		violation(c, "query failed: %s: %s", sql, sqlite3_errmsg(store_db(c->s)));
		return -1;
	}
	if (sqlite3_step(q) == SQLITE_ROW)
		v = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return v;
}

int model_from_store(struct model *m, const char *path)
{
	struct store *s;
	if (store_open(path, &s) != STORE_OK)
		return -1;
	struct ck c = { .s = s };
	char why[8];
	c.why = why;
	c.cap = sizeof why;
	m->payments = q1(&c, "SELECT count(*) FROM journal");
	m->readings = q1(&c, "SELECT count(*) FROM readings");
	m->events = q1(&c, "SELECT count(*) FROM outbox WHERE kind = 'event'");
	m->audits = q1(&c, "SELECT count(*) FROM audit");
	m->base_acked = q1(&c, "SELECT count(*) FROM outbox WHERE acked_at IS NOT NULL");
	m->track_from_ms = q1(&c, "SELECT coalesce(max(updated_ms), 0) + 1 FROM journal");
	store_close(s);
	return c.bad ? -1 : 0;
}

static void check_journal(struct ck *c, struct model *m, bool adopt)
{
	sqlite3_stmt *q;
	sqlite3_prepare_v2(store_db(c->s), "SELECT txn_id, state FROM journal WHERE created_ms >= ?1",
			   -1, &q, NULL);
	sqlite3_bind_int64(q, 1, m->track_from_ms);
	size_t found = 0;
	int extra = 0;
	while (sqlite3_step(q) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(q, 0);
		int st = journal_state_parse((const char *)sqlite3_column_text(q, 1));
		uint8_t k[16];
		if (!store_unhex(id, k, 16)) {
			violation(c, "bad txn id %s", id);
			continue;
		}
		int want = kmap_get(&m->pay, k);
		if (want < 0) {
			if (m->in_op == 'B' && st == JOURNAL_INTENT && extra == 0) {
				extra++;
				m->inflight_landed = true;
				if (adopt)
					kmap_put(&m->pay, k, JOURNAL_INTENT);
			} else {
				violation(c, "unacknowledged journal row %s (%s)", id,
					  journal_state_name(st));
			}
			continue;
		}
		found++;
		if (st == want)
			continue;
		if (m->in_op == 'M' && memcmp(k, m->in_txn, 16) == 0 && st == m->in_state) {
			m->inflight_landed = true;
			if (adopt)
				kmap_put(&m->pay, k, (int8_t)st);
			continue;
		}
		violation(c, "payment %s is %s, acknowledged %s", id, journal_state_name(st),
			  journal_state_name(want));
	}
	sqlite3_finalize(q);
	size_t tracked = m->pay.n - (adopt ? (size_t)extra : 0);
	if (found != tracked)
		violation(c, "%zu acknowledged payments missing", tracked - found);
	int64_t total = q1(c, "SELECT count(*) FROM journal");
	if (total != m->payments + extra)
		violation(c, "journal has %lld rows, acknowledged %lld", (long long)total,
			  (long long)m->payments);
	if (adopt)
		m->payments += extra;
}

/* One payment record per payment that reached RECORDED, none for the others. */
static int64_t q1_from(struct ck *c, const char *sql, int64_t from)
{
	sqlite3_stmt *q;
	int64_t v = -1;
	if (sqlite3_prepare_v2(store_db(c->s), sql, -1, &q, NULL) != SQLITE_OK) {
		violation(c, "query failed: %s: %s", sql, sqlite3_errmsg(store_db(c->s)));
		return -1;
	}
	sqlite3_bind_int64(q, 1, from);
	if (sqlite3_step(q) == SQLITE_ROW)
		v = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return v;
}

static void check_payment_records(struct ck *c, int64_t from)
{
	int64_t a = q1_from(c, "SELECT count(*) FROM outbox WHERE kind = 'payment' "
			    "AND created_ms >= ?1", from);
	int64_t b = q1_from(c, "SELECT count(*) FROM outbox o JOIN journal j "
			    "ON j.txn_id = lower(hex(o.idem_key)) WHERE o.kind = 'payment' "
			    "AND o.created_ms >= ?1 AND j.created_ms >= ?1 "
			    "AND instr(o.body, j.txn_id) > 0 AND EXISTS (SELECT 1 FROM "
			    "journal_history h WHERE h.txn_id = j.txn_id AND h.state = 'RECORDED')",
			    from);
	int64_t r = q1_from(c, "SELECT count(*) FROM journal j WHERE j.created_ms >= ?1 AND "
			    "EXISTS (SELECT 1 FROM journal_history h WHERE h.txn_id = j.txn_id "
			    "AND h.state = 'RECORDED')", from);
	if (a != b || b != r)
		violation(c, "payment records %lld, matching %lld, recorded payments %lld",
			  (long long)a, (long long)b, (long long)r);
	int64_t st = q1(c, "SELECT count(*) FROM journal WHERE state IN ('RECORDED', 'CONFIRMED') "
			"AND recorded_ms IS NULL");
	if (st != 0)
		violation(c, "%lld recorded payments without recorded_ms", (long long)st);
}

static void check_counts(struct ck *c, struct model *m, bool adopt)
{
	struct { const char *what, *sql; int64_t *want; char op; } t[] = {
		{ "readings", "SELECT count(*) FROM readings", &m->readings, 'R' },
		{ "events", "SELECT count(*) FROM outbox WHERE kind = 'event'", &m->events, 'E' },
		{ "audit rows", "SELECT count(*) FROM audit", &m->audits, 'U' },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		int64_t n = q1(c, t[i].sql);
		int64_t extra = n - *t[i].want;
		if (extra != 0 && !(extra == 1 && m->in_op == t[i].op))
			violation(c, "%s: %lld, acknowledged %lld", t[i].what, (long long)n,
				  (long long)*t[i].want);
		else if (extra == 1)
			m->inflight_landed = true;
		if (extra >= 0 && extra <= 1 && adopt)
			*t[i].want = n;
	}
	int64_t rr = q1(c, "SELECT count(*) FROM readings r JOIN outbox o ON o.idem_key = r.key "
			"AND o.kind = 'reading' AND instr(o.body, r.meter_id) > 0");
	int64_t ro = q1(c, "SELECT count(*) FROM outbox WHERE kind = 'reading'");
	int64_t rn = q1(c, "SELECT count(*) FROM readings");
	if (rr != rn || ro != rn)
		violation(c, "readings %lld, with their record %lld, reading records %lld",
			  (long long)rn, (long long)rr, (long long)ro);
	int64_t bad;
	int rc = audit_verify(c->s, &bad);
	if (rc != STORE_OK)
		violation(c, "audit chain broken at %lld (rc %d)", (long long)bad, rc);
}

static void check_acks(struct ck *c, struct model *m, bool adopt, int64_t from)
{
	if (q1(c, "SELECT count(*) FROM outbox WHERE acked_at IS NOT NULL AND (disposition IS NULL "
	       "OR server_ref IS NULL OR server_ref = '')") != 0)
		violation(c, "a row acked without a server result");
	sqlite3_stmt *q;
	sqlite3_prepare_v2(store_db(c->s), "SELECT idem_key FROM outbox WHERE acked_at IS NOT NULL "
			   "AND created_ms >= ?1", -1, &q, NULL);
	sqlite3_bind_int64(q, 1, from);
	/* Older acked rows (a prefill) are counted, not listed. */
	int64_t found = 0, other = from > 0 ? q1_from(c, "SELECT count(*) FROM outbox WHERE "
					     "acked_at IS NOT NULL AND created_ms < ?1", from) : 0;
	int inflight = 0;
	while (sqlite3_step(q) == SQLITE_ROW) {
		const uint8_t *k = sqlite3_column_blob(q, 0);
		if (kmap_get(&m->acked, k) >= 0) {
			found++;
			continue;
		}
		bool in = false;
		for (int i = 0; m->in_op == 'K' && i < m->in_nkeys; i++)
			if (memcmp(m->in_keys[i], k, 16) == 0)
				in = true;
		if (in)
			inflight++;
		else
			other++;
	}
	sqlite3_finalize(q);
	if (found != (int64_t)m->acked.n)
		violation(c, "%lld acknowledged center results not applied",
			  (long long)((int64_t)m->acked.n - found));
	if (other != m->base_acked)
		violation(c, "%lld rows acked that no acknowledged result covers",
			  (long long)(other - m->base_acked));
	if (inflight != 0 && inflight != m->in_nkeys)
		violation(c, "in-flight results half applied (%d of %d)", inflight, m->in_nkeys);
	if (inflight != 0)
		m->inflight_landed = true;
	if (adopt && inflight)
		for (int i = 0; i < m->in_nkeys; i++)
			kmap_put(&m->acked, m->in_keys[i], 1);
}

/* Walks every epoch from seq 1 (full) or, when the remembered point of the last walk is
 * still there, the current epoch from that point on (light). */
static void check_chains(struct ck *c, struct model *m, bool full)
{
	if (full && q1(c, "SELECT count(*) - count(DISTINCT idem_key) FROM outbox") != 0)
		violation(c, "duplicate idem_key");
	if (q1(c, "SELECT count(*) FROM outbox o, outbox_state s WHERE o.acked_at IS NULL "
	       "AND o.epoch <> s.epoch") != 0)
		violation(c, "unacked row outside the current epoch");
	sqlite3_stmt *q;
	uint8_t epoch[16] = { 0 }, prev[32];
	int64_t want = 0;
	bool first = true;
	if (!full && m->chk_valid) {
		sqlite3_prepare_v2(store_db(c->s), "SELECT 1 FROM outbox o, outbox_state s WHERE "
				   "o.epoch = s.epoch AND o.epoch = ?1 AND o.seq = ?2 AND "
				   "o.chain_hash = ?3", -1, &q, NULL);
		sqlite3_bind_blob(q, 1, m->chk_epoch, 16, SQLITE_STATIC);
		sqlite3_bind_int64(q, 2, m->chk_seq);
		sqlite3_bind_blob(q, 3, m->chk_hash, 32, SQLITE_STATIC);
		bool resume = sqlite3_step(q) == SQLITE_ROW;
		sqlite3_finalize(q);
		if (resume) {
			memcpy(epoch, m->chk_epoch, 16);
			memcpy(prev, m->chk_hash, 32);
			want = m->chk_seq + 1;
			first = false;
		}
	}
	if (first)
		sqlite3_prepare_v2(store_db(c->s), "SELECT epoch, seq, body, chain_hash FROM outbox "
				   "ORDER BY epoch = (SELECT epoch FROM outbox_state), epoch, seq",
				   -1, &q, NULL);
	else
		sqlite3_prepare_v2(store_db(c->s), "SELECT epoch, seq, body, chain_hash FROM outbox "
				   "WHERE epoch = ?1 AND seq >= ?2 ORDER BY seq", -1, &q, NULL);
	if (!first) {
		sqlite3_bind_blob(q, 1, epoch, 16, SQLITE_TRANSIENT);
		sqlite3_bind_int64(q, 2, want);
	}
	m->chk_valid = false;
	while (sqlite3_step(q) == SQLITE_ROW) {
		const uint8_t *e = sqlite3_column_blob(q, 0);
		if (first || memcmp(e, epoch, 16) != 0) {
			memcpy(epoch, e, 16);
			memset(prev, 0, 32);
			want = 1;
			first = false;
		}
		int64_t seq = sqlite3_column_int64(q, 1);
		if (seq != want) {
			violation(c, "seq %lld where %lld expected", (long long)seq, (long long)want);
			break;
		}
		uint8_t h[32];
		crypto_sha256(prev, 32, sqlite3_column_blob(q, 2), (size_t)sqlite3_column_bytes(q, 2), h);
		if (sqlite3_column_bytes(q, 3) != 32 || memcmp(h, sqlite3_column_blob(q, 3), 32) != 0) {
			violation(c, "chain broken at seq %lld", (long long)seq);
			break;
		}
		memcpy(prev, h, 32);
		/* The current epoch comes last: remember where its walk ended. */
		memcpy(m->chk_epoch, epoch, 16);
		memcpy(m->chk_hash, h, 32);
		m->chk_seq = seq;
		m->chk_valid = true;
		want++;
	}
	sqlite3_finalize(q);
}

int model_check_store(struct model *m, struct store *s, bool integrity, bool adopt,
		      char *why, size_t cap)
{
	struct ck c = { .s = s, .why = why, .cap = cap };
	why[0] = 0;
	if (m->acks_after_fail)
		violation(&c, "%d acknowledgements after a failure", m->acks_after_fail);
	if (m->acks_after_inject)
		violation(&c, "%d acknowledgements after an injected error", m->acks_after_inject);
	if (integrity) {
		sqlite3_stmt *q;
		sqlite3_prepare_v2(store_db(c.s), "PRAGMA integrity_check", -1, &q, NULL);
		if (sqlite3_step(q) != SQLITE_ROW ||
		    strcmp((const char *)sqlite3_column_text(q, 0), "ok") != 0)
			violation(&c, "integrity_check: %s", sqlite3_column_text(q, 0));
		sqlite3_finalize(q);
	}
	if (integrity && q1(&c, "SELECT count(*) FROM pragma_foreign_key_check") != 0)
		violation(&c, "foreign key violations");
	check_journal(&c, m, adopt);
	int64_t from = integrity ? 0 : m->track_from_ms;
	check_payment_records(&c, from);
	check_counts(&c, m, adopt);
	check_acks(&c, m, adopt, from);
	check_chains(&c, m, integrity);
	if (adopt) {
		m->in_op = 0;
		m->failed = m->injected = false;
	}
	return c.bad;
}

int model_check(struct model *m, const char *path, bool integrity, bool adopt,
		char *why, size_t cap)
{
	struct store *s = NULL;
	int rc = store_open(path, &s);
	if (rc != STORE_OK) {
		snprintf(why, cap, "store_open: %s", store_strerror(rc));
		return 1 + m->acks_after_fail + m->acks_after_inject;
	}
	int bad = model_check_store(m, s, integrity, adopt, why, cap);
	store_close(s);
	return bad;
}
