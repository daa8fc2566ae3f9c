/* The simulator's database: opening and seeding, shared helpers, hello, accounts, history
 * and snapshot.  The ledger rules are in center_db_ledger.c. */
#include "tests/sim/billing-center/center_db.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <sqlite3.h>

#include "kiosk/base/log.h"
#include "kiosk/base/xalloc.h"
#include "offline/center_json.h"
#include "offline/center_sign.h"
#include "tests/sim/billing-center/center_db_priv.h"
#include "tests/sim/billing-center/center_db_seed.h"

/* The simulator treats a failing SQLite call as fatal: it is a test fixture, and a silent
 * half-applied batch would make every test above it lie. */
void cdb_die(struct cdb *db, const char *what)
{
	fprintf(stderr, "billing-center: sqlite %s: %s\n", what, sqlite3_errmsg(db->db));
	abort();
}

sqlite3_stmt *cdb_prep(struct cdb *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db->db, sql, -1, &st, NULL) != SQLITE_OK)
		cdb_die(db, sql);
	return st;
}

int cdb_exec(struct cdb *db, const char *sql)
{
	return sqlite3_exec(db->db, sql, NULL, NULL, NULL);
}

struct cdb *cdb_open(const char *path, char *err, size_t errcap)
{
	struct cdb *db = xcalloc(1, sizeof *db);
	if (sqlite3_open(path, &db->db) != SQLITE_OK) {
		snprintf(err, errcap, "%s: %s", path, sqlite3_errmsg(db->db));
		goto fail;
	}
	sqlite3_busy_timeout(db->db, 5000);
	if (cdb_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;") != SQLITE_OK ||
	    cdb_exec(db, center_db_schema) != SQLITE_OK) {
		snprintf(err, errcap, "%s: schema: %s", path, sqlite3_errmsg(db->db));
		goto fail;
	}
	sqlite3_stmt *st = cdb_prep(db, "SELECT count(*) FROM accounts");
	sqlite3_step(st);
	int n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (n == 0 && (cdb_exec(db, "BEGIN") != SQLITE_OK || cdb_exec(db, center_db_seed) != SQLITE_OK ||
		       cdb_exec(db, "COMMIT") != SQLITE_OK)) {
		snprintf(err, errcap, "%s: seed: %s", path, sqlite3_errmsg(db->db));
		goto fail;
	}
	return db;
fail:
	sqlite3_close(db->db);
	free(db);
	return NULL;
}

void cdb_close(struct cdb *db)
{
	if (!db)
		return;
	sqlite3_close(db->db);
	free(db);
}

char *cdb_error_json(const char *error, int64_t now_ms)
{
	struct cjson_error e = { .watermark = -1, .attempts_left = -1, .retry_after_s = -1,
				 .server_time_ms = now_ms };
	snprintf(e.error, sizeof e.error, "%s", error);
	return cjson_error_encode(&e);
}

char *cdb_error_detail(const char *error, const char *detail, int64_t now_ms)
{
	struct cjson_error e = { .watermark = -1, .attempts_left = -1, .retry_after_s = -1,
				 .server_time_ms = now_ms };
	snprintf(e.error, sizeof e.error, "%s", error);
	snprintf(e.detail, sizeof e.detail, "%s", detail);
	return cjson_error_encode(&e);
}

void cdb_next_ref(struct cdb *db, const char *prefix, char *out, size_t cap)
{
	sqlite3_stmt *st = cdb_prep(db, "UPDATE counters SET value = value + 1 WHERE name = ?1 RETURNING value");
	sqlite3_bind_text(st, 1, prefix, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW)
		cdb_die(db, "counter");
	snprintf(out, cap, "%s-%" PRId64, prefix, (int64_t)sqlite3_column_int64(st, 0));
	sqlite3_finalize(st);
}

/* ================================================================ hello */
void cdb_load_epoch(struct cdb *db, const char *dev, const char *ep, struct epoch_row *r)
{
	sqlite3_stmt *st = cdb_prep(db, "SELECT watermark, chain_head FROM epochs WHERE device_id=?1 AND epoch=?2");
	sqlite3_bind_text(st, 1, dev, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, ep, -1, SQLITE_STATIC);
	memset(r, 0, sizeof *r);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_bytes(st, 1) == 32) {
		r->known = true;
		r->watermark = sqlite3_column_int64(st, 0);
		memcpy(r->head, sqlite3_column_blob(st, 1), 32);
	}
	sqlite3_finalize(st);
}

int cdb_hello(struct cdb *db, const char *device_id, const char *body, size_t len,
	      int64_t now_ms, char **ret_json)
{
	struct cjson_hello_req rq;
	struct cjson_hello_resp rs;
	char err[CJSON_ERR_MAX], ep[33];
	if (cjson_hello_req_decode(body, len, &rq, err) != 0) {
		*ret_json = cdb_error_detail("bad_request", err, now_ms);
		return 400;
	}
	csign_hex(rq.epoch, 16, ep);
	memset(&rs, 0, sizeof rs);
	rs.server_time_ms = now_ms;
	rs.batch_max_records = 100;
	rs.batch_max_bytes = 65536;
	strcpy(rs.status, "ok");
	struct epoch_row cur;
	cdb_load_epoch(db, device_id, ep, &cur);
	/* A kiosk behind the center on its own epoch, or level with it on another chain, was
	 * restored from a backup: its next records would reuse seqs the center holds. */
	if (cur.known && (rq.last_seq < cur.watermark ||
			  (rq.last_seq == cur.watermark && memcmp(rq.chain_head, cur.head, 32) != 0)))
		strcpy(rs.status, "fork");
	sqlite3_stmt *st = cdb_prep(db, "SELECT epoch, watermark, chain_head FROM epochs WHERE device_id=?1 "
				"ORDER BY updated_ms DESC LIMIT 8");
	sqlite3_bind_text(st, 1, device_id, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW && rs.nepochs < CJSON_MAX_EPOCHS) {
		struct cjson_epoch_state *e = &rs.epochs[rs.nepochs];
		if (csign_unhex((const char *)sqlite3_column_text(st, 0), e->epoch, 16) != 0 ||
		    sqlite3_column_bytes(st, 2) != 32)
			continue;
		e->watermark = sqlite3_column_int64(st, 1);
		memcpy(e->chain_head, sqlite3_column_blob(st, 2), 32);
		rs.nepochs++;
	}
	sqlite3_finalize(st);
	static const uint8_t probe[16];
	if (memcmp(rq.epoch, probe, 16) == 0) {
		/* The all-zero epoch is a status probe (kiosk-tool center-status): answer, record nothing. */
		*ret_json = cjson_hello_resp_encode(&rs);
		return 200;
	}
	char *health = xasprintf("{\"pinpad\":\"%s\",\"printer\":\"%s\",\"scanner\":\"%s\",\"queue\":%" PRId64
				 ",\"oldest_unsent_s\":%" PRId64 "}", rq.health.pinpad, rq.health.printer,
				 rq.health.scanner, rq.health.queue, rq.health.oldest_unsent_s);
	st = cdb_prep(db, "INSERT INTO devices VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(device_id) DO UPDATE "
		  "SET last_hello_ms=?2, epoch=?3, sw=?4, health=?5");
	sqlite3_bind_text(st, 1, device_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now_ms);
	sqlite3_bind_text(st, 3, ep, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, rq.sw, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, health, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		cdb_die(db, "devices");
	sqlite3_finalize(st);
	free(health);
	*ret_json = cjson_hello_resp_encode(&rs);
	return 200;
}

/* ================================================================ accounts */
static bool load_account(struct cdb *db, const char *pa_in, struct account *a)
{
	char pa[sizeof a->pers_acc];
	snprintf(pa, sizeof pa, "%s", pa_in);
	sqlite3_stmt *st = cdb_prep(db, "SELECT owner_masked, address_masked, period, accrued, paid, due, debt, "
				"updated_at_ms FROM accounts WHERE pers_acc=?1");
	sqlite3_bind_text(st, 1, pa, -1, SQLITE_STATIC);
	memset(a, 0, sizeof *a);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return false;
	}
	snprintf(a->pers_acc, sizeof a->pers_acc, "%s", pa);
	snprintf(a->owner_masked, sizeof a->owner_masked, "%s", (const char *)sqlite3_column_text(st, 0));
	snprintf(a->address_masked, sizeof a->address_masked, "%s", (const char *)sqlite3_column_text(st, 1));
	snprintf(a->period, sizeof a->period, "%s", (const char *)sqlite3_column_text(st, 2));
	a->accrued = sqlite3_column_int64(st, 3);
	a->paid = sqlite3_column_int64(st, 4);
	a->due = sqlite3_column_int64(st, 5);
	a->debt = sqlite3_column_int64(st, 6);
	a->updated_at_ms = sqlite3_column_int64(st, 7);
	a->details = true;
	sqlite3_finalize(st);
	st = cdb_prep(db, "SELECT code, s.name, supplier_id, accrued, due, p.name, p.inn, p.phone, p.address "
		  "FROM services s JOIN suppliers p ON p.id = s.supplier_id WHERE pers_acc=?1 ORDER BY ord");
	sqlite3_bind_text(st, 1, pa, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW && a->nservices < ACCOUNT_MAX_SERVICES) {
		struct account_service *s = &a->services[a->nservices++];
		snprintf(s->code, sizeof s->code, "%s", (const char *)sqlite3_column_text(st, 0));
		snprintf(s->name, sizeof s->name, "%s", (const char *)sqlite3_column_text(st, 1));
		snprintf(s->supplier_id, sizeof s->supplier_id, "%s", (const char *)sqlite3_column_text(st, 2));
		s->accrued = sqlite3_column_int64(st, 3);
		s->due = sqlite3_column_int64(st, 4);
		bool have = false;
		for (int i = 0; i < a->nsuppliers; i++)
			have |= strcmp(a->suppliers[i].id, s->supplier_id) == 0;
		if (!have && a->nsuppliers < ACCOUNT_MAX_SUPPLIERS) {
			struct account_supplier *p = &a->suppliers[a->nsuppliers++];
			memcpy(p->id, s->supplier_id, sizeof p->id);
			snprintf(p->name, sizeof p->name, "%s", (const char *)sqlite3_column_text(st, 5));
			snprintf(p->inn, sizeof p->inn, "%s", (const char *)sqlite3_column_text(st, 6));
			snprintf(p->phone, sizeof p->phone, "%s", (const char *)sqlite3_column_text(st, 7));
			snprintf(p->address, sizeof p->address, "%s", (const char *)sqlite3_column_text(st, 8));
		}
	}
	sqlite3_finalize(st);
	st = cdb_prep(db, "SELECT id, serial, service, name, unit, digits, decimals, last_value_milli, "
		  "last_date, max_monthly_milli FROM meters WHERE pers_acc=?1 ORDER BY ord");
	sqlite3_bind_text(st, 1, pa, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW && a->nmeters < ACCOUNT_MAX_METERS) {
		struct account_meter *m = &a->meters[a->nmeters++];
		snprintf(m->id, sizeof m->id, "%s", (const char *)sqlite3_column_text(st, 0));
		snprintf(m->serial, sizeof m->serial, "%s", (const char *)sqlite3_column_text(st, 1));
		snprintf(m->service, sizeof m->service, "%s", (const char *)sqlite3_column_text(st, 2));
		snprintf(m->name, sizeof m->name, "%s", (const char *)sqlite3_column_text(st, 3));
		snprintf(m->unit, sizeof m->unit, "%s", (const char *)sqlite3_column_text(st, 4));
		m->digits = sqlite3_column_int(st, 5);
		m->decimals = sqlite3_column_int(st, 6);
		m->last_value_milli = sqlite3_column_int64(st, 7);
		snprintf(m->last_date, sizeof m->last_date, "%s", (const char *)sqlite3_column_text(st, 8));
		m->max_monthly_milli = sqlite3_column_int64(st, 9);
	}
	sqlite3_finalize(st);
	return true;
}

int cdb_account(struct cdb *db, const char *pers_acc, bool details, int64_t now_ms,
		char **ret_json)
{
	struct account *a = xmalloc(sizeof *a);
	int status = 200;
	if (!load_account(db, pers_acc, a)) {
		*ret_json = cdb_error_json("unknown_account", now_ms);
		status = 404;
	} else {
		if (!details) {
			struct account brief;
			memset(&brief, 0, sizeof brief);
			memcpy(brief.pers_acc, a->pers_acc, sizeof brief.pers_acc);
			memcpy(brief.address_masked, a->address_masked, sizeof brief.address_masked);
			memcpy(brief.period, a->period, sizeof brief.period);
			brief.updated_at_ms = a->updated_at_ms;
			*a = brief;
		}
		*ret_json = cjson_account_encode(a, "accrued_last_period", now_ms);
	}
	free(a);
	return status;
}

int64_t cdb_accrued(struct cdb *db, const char *pers_acc)
{
	sqlite3_stmt *st = cdb_prep(db, "SELECT accrued FROM accounts WHERE pers_acc=?1");
	sqlite3_bind_text(st, 1, pers_acc, -1, SQLITE_STATIC);
	int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_finalize(st);
	return v;
}

bool cdb_bill_sum_ok(struct cdb *db, const char *pers_acc, int64_t sum)
{
	sqlite3_stmt *st = cdb_prep(db, "SELECT 1 FROM accounts WHERE pers_acc=?1 AND (due=?2 OR accrued=?2)");
	sqlite3_bind_text(st, 1, pers_acc, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, sum);
	bool ok = sum > 0 && sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return ok;
}

/* ================================================================ history */
static bool in_range(const char *period, const char *from, const char *to)
{
	return (!from || !*from || strncmp(period, from, 7) >= 0) && (!to || !*to || strncmp(period, to, 7) <= 0);
}

int cdb_readings(struct cdb *db, const char *pers_acc, const char *from, const char *to,
		 int64_t now_ms, char **ret_json)
{
	if (cdb_accrued(db, pers_acc) < 0) {
		*ret_json = cdb_error_json("unknown_account", now_ms);
		return 404;
	}
	struct cjson_readings *h = xcalloc(1, sizeof *h);
	snprintf(h->pers_acc, sizeof h->pers_acc, "%s", pers_acc);
	sqlite3_stmt *st = cdb_prep(db, "SELECT r.meter_id, r.date, r.value_milli, r.source, r.status FROM history_readings r "
				"JOIN meters m ON m.id = r.meter_id WHERE m.pers_acc=?1 ORDER BY m.ord, r.date, r.rowid");
	sqlite3_bind_text(st, 1, pers_acc, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW && h->n < CJSON_MAX_HISTORY) {
		struct cjson_reading *r = &h->r[h->n];
		snprintf(r->date, sizeof r->date, "%s", (const char *)sqlite3_column_text(st, 1));
		if (!in_range(r->date, from, to))
			continue;
		snprintf(r->meter_id, sizeof r->meter_id, "%s", (const char *)sqlite3_column_text(st, 0));
		r->value_milli = sqlite3_column_int64(st, 2);
		snprintf(r->source, sizeof r->source, "%s", (const char *)sqlite3_column_text(st, 3));
		snprintf(r->status, sizeof r->status, "%s", (const char *)sqlite3_column_text(st, 4));
		h->n++;
	}
	sqlite3_finalize(st);
	*ret_json = cjson_readings_encode(h, now_ms);
	free(h);
	return 200;
}

static int cmp_pay(const void *a, const void *b)
{
	const struct cjson_payment *x = a, *y = b;
	return (x->date_ms > y->date_ms) - (x->date_ms < y->date_ms);
}

int cdb_payments(struct cdb *db, const char *pers_acc, const char *from, const char *to,
		 int64_t now_ms, char **ret_json)
{
	if (cdb_accrued(db, pers_acc) < 0) {
		*ret_json = cdb_error_json("unknown_account", now_ms);
		return 404;
	}
	struct cjson_payments *h = xcalloc(1, sizeof *h);
	snprintf(h->pers_acc, sizeof h->pers_acc, "%s", pers_acc);
	sqlite3_stmt *st = cdb_prep(db, "SELECT date_ms, period, amount, source, status, ref FROM history_payments "
				"WHERE pers_acc=?1 ORDER BY date_ms");
	sqlite3_bind_text(st, 1, pers_acc, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW && h->n < CJSON_MAX_HISTORY) {
		struct cjson_payment *p = &h->p[h->n];
		snprintf(p->period, sizeof p->period, "%s", (const char *)sqlite3_column_text(st, 1));
		if (!in_range(p->period, from, to))
			continue;
		p->date_ms = sqlite3_column_int64(st, 0);
		p->amount = sqlite3_column_int64(st, 2);
		snprintf(p->source, sizeof p->source, "%s", (const char *)sqlite3_column_text(st, 3));
		snprintf(p->status, sizeof p->status, "%s", (const char *)sqlite3_column_text(st, 4));
		snprintf(p->ref, sizeof p->ref, "%s", (const char *)sqlite3_column_text(st, 5));
		h->n++;
	}
	sqlite3_finalize(st);
	/* Kiosk payments delivered through the outbox show up as accepted once synced. */
	st = cdb_prep(db, "SELECT body, server_ref FROM ledger WHERE kind='payment' AND disposition='created' ORDER BY rowid");
	while (sqlite3_step(st) == SQLITE_ROW && h->n < CJSON_MAX_HISTORY) {
		json_t *o = json_loadb(sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0), 0, NULL);
		json_t *lines = json_object_get(o, "lines");
		int64_t created = json_integer_value(json_object_get(o, "created_ms"));
		for (size_t i = 0; i < json_array_size(lines) && h->n < CJSON_MAX_HISTORY; i++) {
			json_t *l = json_array_get(lines, i);
			const char *pa = json_string_value(json_object_get(l, "pers_acc"));
			const char *per = json_string_value(json_object_get(l, "period"));
			struct cjson_payment *p = &h->p[h->n];
			char month[8];
			time_t secs = (time_t)(created / 1000);
			struct tm tm;
			if (!pa || strcmp(pa, pers_acc) != 0)
				continue;
			gmtime_r(&secs, &tm);
			strftime(month, sizeof month, "%Y-%m", &tm);
			snprintf(p->period, sizeof p->period, "%s", per && strlen(per) == 7 ? per : month);
			if (!in_range(p->period, from, to))
				continue;
			p->date_ms = created;
			p->amount = json_integer_value(json_object_get(l, "amount"));
			snprintf(p->source, sizeof p->source, "kiosk");
			snprintf(p->status, sizeof p->status, "accepted");
			snprintf(p->ref, sizeof p->ref, "%s", (const char *)sqlite3_column_text(st, 1));
			h->n++;
		}
		json_decref(o);
	}
	sqlite3_finalize(st);
	qsort(h->p, (size_t)h->n, sizeof h->p[0], cmp_pay);
	*ret_json = cjson_payments_encode(h, now_ms);
	free(h);
	return 200;
}

/* ================================================================ snapshot */
int cdb_snapshot(struct cdb *db, const char *since, int limit, int64_t now_ms, char **ret_json)
{
	int64_t c_ms = -1;
	char c_pa[32] = "";
	if (limit < 1 || limit > CJSON_MAX_PAGE)
		limit = CJSON_MAX_PAGE;
	if (since && *since) {
		char *colon = strchr(since, ':');
		char *end = NULL;
		if (!colon || strlen(colon + 1) >= sizeof c_pa) {
			*ret_json = cdb_error_detail("bad_request", "since: bad cursor", now_ms);
			return 400;
		}
		c_ms = strtoll(since, &end, 10);
		if (end != colon) {
			*ret_json = cdb_error_detail("bad_request", "since: bad cursor", now_ms);
			return 400;
		}
		strcpy(c_pa, colon + 1);
	}
	struct cjson_snapshot_page p;
	memset(&p, 0, sizeof p);
	p.accounts = xcalloc((size_t)limit, sizeof *p.accounts);
	snprintf(p.next_cursor, sizeof p.next_cursor, "%s", since ? since : "");
	sqlite3_stmt *st = cdb_prep(db, "SELECT pers_acc, updated_at_ms FROM accounts WHERE "
				"(updated_at_ms > ?1 OR (updated_at_ms = ?1 AND pers_acc > ?2)) "
				"ORDER BY updated_at_ms, pers_acc LIMIT ?3");
	sqlite3_bind_int64(st, 1, c_ms);
	sqlite3_bind_text(st, 2, c_pa, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, limit + 1);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (p.n == limit) {
			p.more = true;
			break;
		}
		const char *pa = (const char *)sqlite3_column_text(st, 0);
		if (!load_account(db, pa, &p.accounts[p.n]))
			continue;
		snprintf(p.next_cursor, sizeof p.next_cursor, "%" PRId64 ":%s",
			 (int64_t)sqlite3_column_int64(st, 1), pa);
		p.n++;
	}
	sqlite3_finalize(st);
	p.server_time_ms = now_ms;
	*ret_json = cjson_snapshot_encode(&p);
	cjson_snapshot_clear(&p);
	return 200;
}
