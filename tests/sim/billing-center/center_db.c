/* The simulator's database: demo data, ledger rules (docs/api.md §4), history and snapshot. */
#include "tests/sim/billing-center/center_db.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <sqlite3.h>

#include "kiosk/log.h"
#include "kiosk/xalloc.h"
#include "offline/center_json.h"
#include "offline/center_sign.h"
#include "tests/sim/billing-center/center_db_seed.h"

struct cdb {
	sqlite3 *db;
};

/* The simulator treats a failing SQLite call as fatal: it is a test fixture, and a silent
 * half-applied batch would make every test above it lie. */
static void die(struct cdb *db, const char *what)
{
	fprintf(stderr, "billing-center: sqlite %s: %s\n", what, sqlite3_errmsg(db->db));
	abort();
}

static sqlite3_stmt *prep(struct cdb *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db->db, sql, -1, &st, NULL) != SQLITE_OK)
		die(db, sql);
	return st;
}

static int exec(struct cdb *db, const char *sql)
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
	if (exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;") != SQLITE_OK ||
	    exec(db, center_db_schema) != SQLITE_OK) {
		snprintf(err, errcap, "%s: schema: %s", path, sqlite3_errmsg(db->db));
		goto fail;
	}
	sqlite3_stmt *st = prep(db, "SELECT count(*) FROM accounts");
	sqlite3_step(st);
	int n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (n == 0 && (exec(db, "BEGIN") != SQLITE_OK || exec(db, center_db_seed) != SQLITE_OK ||
		       exec(db, "COMMIT") != SQLITE_OK)) {
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

static char *error_detail(const char *error, const char *detail, int64_t now_ms)
{
	struct cjson_error e = { .watermark = -1, .attempts_left = -1, .retry_after_s = -1,
				 .server_time_ms = now_ms };
	snprintf(e.error, sizeof e.error, "%s", error);
	snprintf(e.detail, sizeof e.detail, "%s", detail);
	return cjson_error_encode(&e);
}

static void next_ref(struct cdb *db, const char *prefix, char *out, size_t cap)
{
	sqlite3_stmt *st = prep(db, "UPDATE counters SET value = value + 1 WHERE name = ?1 RETURNING value");
	sqlite3_bind_text(st, 1, prefix, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW)
		die(db, "counter");
	snprintf(out, cap, "%s-%" PRId64, prefix, (int64_t)sqlite3_column_int64(st, 0));
	sqlite3_finalize(st);
}

/* ================================================================ hello */
struct epoch_row {
	int64_t watermark;
	uint8_t head[32];
	bool known;
};

static void load_epoch(struct cdb *db, const char *dev, const char *ep, struct epoch_row *r)
{
	sqlite3_stmt *st = prep(db, "SELECT watermark, chain_head FROM epochs WHERE device_id=?1 AND epoch=?2");
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
		*ret_json = error_detail("bad_request", err, now_ms);
		return 400;
	}
	csign_hex(rq.epoch, 16, ep);
	memset(&rs, 0, sizeof rs);
	rs.server_time_ms = now_ms;
	rs.batch_max_records = 100;
	rs.batch_max_bytes = 65536;
	strcpy(rs.status, "ok");
	struct epoch_row cur;
	load_epoch(db, device_id, ep, &cur);
	/* A kiosk behind the center on its own epoch, or level with it on another chain, was
	 * restored from a backup: its next records would reuse seqs the center holds. */
	if (cur.known && (rq.last_seq < cur.watermark ||
			  (rq.last_seq == cur.watermark && memcmp(rq.chain_head, cur.head, 32) != 0)))
		strcpy(rs.status, "fork");
	sqlite3_stmt *st = prep(db, "SELECT epoch, watermark, chain_head FROM epochs WHERE device_id=?1 "
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
	st = prep(db, "INSERT INTO devices VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(device_id) DO UPDATE "
		  "SET last_hello_ms=?2, epoch=?3, sw=?4, health=?5");
	sqlite3_bind_text(st, 1, device_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now_ms);
	sqlite3_bind_text(st, 3, ep, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, rq.sw, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, health, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		die(db, "devices");
	sqlite3_finalize(st);
	free(health);
	*ret_json = cjson_hello_resp_encode(&rs);
	return 200;
}

/* ================================================================ validation */
static bool account_exists(struct cdb *db, const char *pa)
{
	sqlite3_stmt *st = prep(db, "SELECT 1 FROM accounts WHERE pers_acc=?1");
	sqlite3_bind_text(st, 1, pa, -1, SQLITE_STATIC);
	bool ok = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return ok;
}

static bool payee_exists(struct cdb *db, const char *inn)
{
	sqlite3_stmt *st = prep(db, "SELECT 1 FROM payees WHERE inn=?1");
	sqlite3_bind_text(st, 1, inn, -1, SQLITE_STATIC);
	bool ok = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return ok;
}

static bool is_digits(const char *s, size_t lo, size_t hi)
{
	size_t n = strlen(s);
	if (n < lo || n > hi)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* A payment body (docs/api.md §5.1): "" when valid, else the rejection reason. */
static const char *check_payment(struct cdb *db, json_t *o)
{
	json_t *lines = json_object_get(o, "lines"), *txn = json_object_get(o, "txn_id");
	json_t *total = json_object_get(o, "total"), *cur = json_object_get(o, "currency");
	if (!json_is_string(txn) || json_string_length(txn) != 32 || !json_is_array(lines) ||
	    !json_is_integer(total) || !json_is_integer(json_object_get(o, "created_ms")))
		return "bad_body";
	if (json_array_size(lines) < 1 || json_array_size(lines) > 10)
		return "bad_lines";
	if (cur && (!json_is_string(cur) || (strcmp(json_string_value(cur), "RUB") &&
					     strcmp(json_string_value(cur), "643"))))
		return "currency";
	int64_t sum = 0;
	for (size_t i = 0; i < json_array_size(lines); i++) {
		json_t *l = json_array_get(lines, i);
		json_t *pa = json_object_get(l, "pers_acc"), *am = json_object_get(l, "amount");
		json_t *inn = json_object_get(l, "payee_inn");
		if (!json_is_string(pa) || !json_is_integer(am) || !json_is_string(inn))
			return "bad_body";
		if (json_integer_value(am) <= 0 || json_integer_value(am) > MONEY_MAX)
			return "amount_invalid";
		if (!is_digits(json_string_value(inn), 10, 12))
			return "payee_inn_invalid";
		if (!account_exists(db, json_string_value(pa)))
			return "account_unknown";
		if (!payee_exists(db, json_string_value(inn)))
			return "payee_unknown";
		sum += json_integer_value(am);
	}
	if (sum != json_integer_value(total))
		return "total_mismatch";
	return "";
}

static int64_t pow10i(int n)
{
	int64_t v = 1;
	while (n-- > 0)
		v *= 10;
	return v;
}

/* Latest value of a meter that is still current (not superseded). */
static bool baseline(struct cdb *db, const char *meter, int64_t *ret)
{
	sqlite3_stmt *st = prep(db, "SELECT value_milli FROM history_readings WHERE meter_id=?1 AND "
				"status != 'superseded' ORDER BY date DESC, rowid DESC LIMIT 1");
	sqlite3_bind_text(st, 1, meter, -1, SQLITE_STATIC);
	bool ok = sqlite3_step(st) == SQLITE_ROW;
	if (ok)
		*ret = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return ok;
}

/* A reading body: "" valid and unremarkable, "suspect_…" valid but flagged, else the
 * rejection reason (starting with something other than "suspect"). */
static const char *check_reading(struct cdb *db, const char *device_id, json_t *o,
				 const char *ref, bool apply)
{
	json_t *pa = json_object_get(o, "pers_acc"), *mid = json_object_get(o, "meter_id");
	json_t *val = json_object_get(o, "value_milli"), *sub = json_object_get(o, "submitted_ms");
	json_t *roll = json_object_get(o, "rollover"), *sup = json_object_get(o, "supersedes");
	if (!json_is_string(pa) || !json_is_string(mid) || !json_is_integer(val) ||
	    !json_is_integer(sub) || (roll && !json_is_boolean(roll) && !json_is_null(roll)) ||
	    (sup && !json_is_string(sup) && !json_is_null(sup)))
		return "bad_body";
	if (!account_exists(db, json_string_value(pa)))
		return "account_unknown";
	sqlite3_stmt *st = prep(db, "SELECT digits, decimals, max_monthly_milli FROM meters WHERE id=?1 AND pers_acc=?2");
	sqlite3_bind_text(st, 1, json_string_value(mid), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, json_string_value(pa), -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return "meter_unknown";
	}
	int digits = sqlite3_column_int(st, 0), decimals = sqlite3_column_int(st, 1);
	int64_t maxm = sqlite3_column_int64(st, 2);
	sqlite3_finalize(st);
	int64_t v = json_integer_value(val), modulus = pow10i(digits) * 1000;
	if (v < 0 || v >= modulus || v % pow10i(3 - decimals) != 0)
		return "value_out_of_range";
	const char *meter = json_string_value(mid);
	if (apply && json_is_string(sup) && json_string_length(sup) > 0) {
		/* A correction replaces the reading it names (by this device's key). */
		st = prep(db, "UPDATE history_readings SET status='superseded' WHERE ref = "
			  "(SELECT server_ref FROM ledger WHERE device_id=?1 AND idem_key=?2 AND kind='reading')");
		sqlite3_bind_text(st, 1, device_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, json_string_value(sup), -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			die(db, "supersede");
		sqlite3_finalize(st);
	}
	int64_t base = 0;
	const char *flag = "";
	if (baseline(db, meter, &base)) {
		bool rollover = json_is_true(roll);
		int64_t used = v - base;
		if (v < base && rollover)
			used = v + modulus - base;
		if (v < base && !rollover)
			flag = "suspect_decrease";
		else if (used > maxm)
			flag = "suspect_jump";
	}
	if (!apply)
		return flag;
	time_t secs = (time_t)(json_integer_value(sub) / 1000);
	struct tm tm;
	char date[16];
	gmtime_r(&secs, &tm);
	strftime(date, sizeof date, "%Y-%m-%d", &tm);
	st = prep(db, "INSERT INTO history_readings VALUES(?1, ?2, ?3, 'kiosk', ?4, ?5)");
	sqlite3_bind_text(st, 1, meter, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, date, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, v);
	sqlite3_bind_text(st, 4, flag[0] ? flag : "accepted", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, ref, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		die(db, "reading");
	sqlite3_finalize(st);
	if (!flag[0]) {
		st = prep(db, "UPDATE meters SET last_value_milli=?2, last_date=?3 WHERE id=?1");
		sqlite3_bind_text(st, 1, meter, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, v);
		sqlite3_bind_text(st, 3, date, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			die(db, "meter");
		sqlite3_finalize(st);
	}
	return flag;
}

/* Validates a new record: sets *ret_created and the note (reason or flag).  For readings
 * the history row is written with ref when accepted. */
static void validate(struct cdb *db, const char *device_id, const struct outbox_record *r,
		     const char *ref_created, bool *ret_created, const char **ret_note)
{
	json_error_t je;
	json_t *o = json_loadb((const char *)r->body, r->body_len, JSON_REJECT_DUPLICATES, &je);
	const char *note = "";
	*ret_created = false;
	if (!json_is_object(o)) {
		note = "bad_body";
	} else if (strcmp(r->kind, "payment") == 0) {
		note = check_payment(db, o);
	} else if (strcmp(r->kind, "reading") == 0) {
		note = check_reading(db, device_id, o, ref_created, false);
		if (note[0] == '\0' || strncmp(note, "suspect", 7) == 0)
			note = check_reading(db, device_id, o, ref_created, true);
	}
	*ret_created = note[0] == '\0' || strncmp(note, "suspect", 7) == 0;
	*ret_note = note;
	json_decref(o);
}

/* ================================================================ batches */
struct ledger_row {
	bool found;
	char ref[40];
	uint8_t *body;
	size_t len;
};

static void ledger_find(struct cdb *db, const char *dev, const char *key, struct ledger_row *r)
{
	sqlite3_stmt *st = prep(db, "SELECT server_ref, body FROM ledger WHERE device_id=?1 AND idem_key=?2");
	sqlite3_bind_text(st, 1, dev, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	memset(r, 0, sizeof *r);
	if (sqlite3_step(st) == SQLITE_ROW) {
		r->found = true;
		snprintf(r->ref, sizeof r->ref, "%s", (const char *)sqlite3_column_text(st, 0));
		r->len = (size_t)sqlite3_column_bytes(st, 1);
		r->body = xmalloc(r->len + 1);
		memcpy(r->body, sqlite3_column_blob(st, 1), r->len);
	}
	sqlite3_finalize(st);
}

static void one_record(struct cdb *db, const char *dev, const struct outbox_record *r,
		       int64_t now_ms, struct outbox_result *res)
{
	char key[33];
	struct ledger_row lr;
	csign_hex(r->idem_key, OUTBOX_KEY_LEN, key);
	res->seq = r->seq;
	memcpy(res->idem_key, r->idem_key, OUTBOX_KEY_LEN);
	ledger_find(db, dev, key, &lr);
	if (lr.found && lr.len == r->body_len && memcmp(lr.body, r->body, lr.len) == 0) {
		res->disposition = OUTBOX_DUPLICATE;
		snprintf(res->server_ref, sizeof res->server_ref, "%s", lr.ref);
	} else if (lr.found) {
		/* Same key, other bytes: keep both, alert, answer the same way every time. */
		sqlite3_stmt *st = prep(db, "SELECT server_ref FROM conflicts WHERE device_id=?1 AND idem_key=?2 AND body=?3");
		sqlite3_bind_text(st, 1, dev, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, (const char *)r->body, (int)r->body_len, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			snprintf(res->server_ref, sizeof res->server_ref, "%s", (const char *)sqlite3_column_text(st, 0));
			sqlite3_finalize(st);
		} else {
			sqlite3_finalize(st);
			next_ref(db, "C", res->server_ref, sizeof res->server_ref);
			st = prep(db, "INSERT INTO conflicts VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
			sqlite3_bind_text(st, 1, dev, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 3, r->kind, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 4, (const char *)r->body, (int)r->body_len, SQLITE_STATIC);
			sqlite3_bind_text(st, 5, res->server_ref, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 6, lr.ref, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 7, now_ms);
			if (sqlite3_step(st) != SQLITE_DONE)
				die(db, "conflict");
			sqlite3_finalize(st);
			log_warn("center", "conflict", "device=%s key=%s original=%s ref=%s", dev, key,
				 lr.ref, res->server_ref);
		}
		res->disposition = OUTBOX_CONFLICT;
		snprintf(res->reason, sizeof res->reason, "body_differs:%s", lr.ref);
	} else {
		char lref[40], rref[40];
		bool created;
		const char *note;
		next_ref(db, "L", lref, sizeof lref);
		validate(db, dev, r, lref, &created, &note);
		if (!created)
			next_ref(db, "R", rref, sizeof rref);
		res->disposition = created ? OUTBOX_CREATED : OUTBOX_REJECTED;
		snprintf(res->server_ref, sizeof res->server_ref, "%s", created ? lref : rref);
		snprintf(res->reason, sizeof res->reason, "%s", note);
		sqlite3_stmt *st = prep(db, "INSERT INTO ledger VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
		sqlite3_bind_text(st, 1, dev, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, r->kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, (const char *)r->body, (int)r->body_len, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, created ? "created" : "rejected", -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, res->server_ref, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 7, now_ms);
		if (sqlite3_step(st) != SQLITE_DONE)
			die(db, "ledger");
		sqlite3_finalize(st);
		if (note[0]) {
			st = prep(db, "INSERT INTO ledger_notes VALUES(?1, ?2)");
			sqlite3_bind_text(st, 1, res->server_ref, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 2, note, -1, SQLITE_STATIC);
			if (sqlite3_step(st) != SQLITE_DONE)
				die(db, "note");
			sqlite3_finalize(st);
		}
	}
	free(lr.body);
}

/* The chain hash the center holds for seq (0: the epoch's origin), or false if unknown. */
static bool chain_at(struct cdb *db, const char *dev, const char *ep, int64_t seq, uint8_t out[32],
		     char *ret_key)
{
	if (seq == 0) {
		memset(out, 0, 32);
		return true;
	}
	sqlite3_stmt *st = prep(db, "SELECT chain_hash, idem_key FROM seqs WHERE device_id=?1 AND epoch=?2 AND seq=?3");
	sqlite3_bind_text(st, 1, dev, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, ep, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, seq);
	bool ok = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_bytes(st, 0) == 32;
	if (ok) {
		memcpy(out, sqlite3_column_blob(st, 0), 32);
		if (ret_key)
			snprintf(ret_key, 33, "%s", (const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	return ok;
}

static char *gap_or_fork(const char *error, int64_t wm, const uint8_t head[32], const char *detail,
			 int64_t now_ms)
{
	struct cjson_error e = { .watermark = wm, .attempts_left = -1, .retry_after_s = -1,
				 .server_time_ms = now_ms };
	(void)head;
	snprintf(e.error, sizeof e.error, "%s", error);
	snprintf(e.detail, sizeof e.detail, "%s", detail);
	return cjson_error_encode(&e);
}

static int batch_once(struct cdb *db, const char *dev, const struct outbox_batch *b,
		      int64_t now_ms, char **ret_json)
{
	char ep[33], detail[96];
	struct epoch_row er;
	struct cjson_batch_resp rs;
	uint8_t prev[32], expect[32];
	int status = 200;
	csign_hex(b->epoch, 16, ep);
	if (exec(db, "BEGIN IMMEDIATE") != SQLITE_OK) {
		*ret_json = cdb_error_json("busy", now_ms);
		return 503;
	}
	load_epoch(db, dev, ep, &er);
	if (b->first_seq > er.watermark + 1) {
		*ret_json = gap_or_fork("gap", er.watermark, er.head, "", now_ms);
		status = 409;
		goto rollback;
	}
	if (!chain_at(db, dev, ep, b->first_seq - 1, expect, NULL) ||
	    memcmp(expect, b->prev_chain_hash, 32) != 0) {
		snprintf(detail, sizeof detail, "prev_chain_hash differs at seq %" PRId64, b->first_seq - 1);
		*ret_json = gap_or_fork("fork", er.watermark, er.head, detail, now_ms);
		status = 409;
		goto rollback;
	}
	memcpy(prev, b->prev_chain_hash, 32);
	memset(&rs, 0, sizeof rs);
	rs.results = xcalloc((size_t)b->n, sizeof *rs.results);
	for (int i = 0; i < b->n; i++) {
		const struct outbox_record *r = &b->recs[i];
		uint8_t buf[32], h[32];
		char key[33], held[33];
		csign_chain_hash(prev, r->body, r->body_len, h);
		if (memcmp(h, r->chain_hash, 32) != 0) {
			free(rs.results);
			snprintf(detail, sizeof detail, "chain_hash wrong at seq %" PRId64, r->seq);
			*ret_json = error_detail("bad_chain", detail, now_ms);
			status = 400;
			goto rollback;
		}
		memcpy(prev, h, 32);
		csign_hex(r->idem_key, OUTBOX_KEY_LEN, key);
		if (r->seq <= er.watermark) {
			if (!chain_at(db, dev, ep, r->seq, buf, held) || memcmp(buf, h, 32) != 0 ||
			    strcmp(held, key) != 0) {
				free(rs.results);
				snprintf(detail, sizeof detail, "seq %" PRId64 " differs", r->seq);
				*ret_json = gap_or_fork("fork", er.watermark, er.head, detail, now_ms);
				status = 409;
				goto rollback;
			}
		} else {
			sqlite3_stmt *st = prep(db, "INSERT INTO seqs VALUES(?1, ?2, ?3, ?4, ?5)");
			sqlite3_bind_text(st, 1, dev, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 2, ep, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 3, r->seq);
			sqlite3_bind_text(st, 4, key, -1, SQLITE_STATIC);
			sqlite3_bind_blob(st, 5, h, 32, SQLITE_STATIC);
			if (sqlite3_step(st) != SQLITE_DONE)
				die(db, "seqs");
			sqlite3_finalize(st);
		}
		one_record(db, dev, r, now_ms, &rs.results[i]);
		rs.n++;
	}
	if (b->last_seq > er.watermark) {
		sqlite3_stmt *st = prep(db, "INSERT INTO epochs VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT DO UPDATE "
					"SET watermark=?3, chain_head=?4, updated_ms=?5");
		sqlite3_bind_text(st, 1, dev, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, ep, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, b->last_seq);
		sqlite3_bind_blob(st, 4, prev, 32, SQLITE_STATIC);
		sqlite3_bind_int64(st, 5, now_ms);
		if (sqlite3_step(st) != SQLITE_DONE)
			die(db, "epochs");
		sqlite3_finalize(st);
		er.watermark = b->last_seq;
	}
	/* Rule 4: the commit happens before the first byte of the reply. */
	if (exec(db, "COMMIT") != SQLITE_OK) {
		free(rs.results);
		*ret_json = cdb_error_json("commit_failed", now_ms);
		status = 503;
		goto rollback;
	}
	memcpy(rs.epoch, b->epoch, 16);
	rs.watermark = er.watermark;
	rs.server_time_ms = now_ms;
	*ret_json = cjson_batch_resp_encode(&rs);
	free(rs.results);
	return 200;
rollback:
	exec(db, "ROLLBACK");
	return status;
}

int cdb_batch(struct cdb *db, const char *device_id, const char *body, size_t len,
	      int64_t now_ms, bool twice, char **ret_json)
{
	struct outbox_batch b;
	char err[CJSON_ERR_MAX];
	if (cjson_batch_req_decode(body, len, &b, err) != 0) {
		*ret_json = error_detail("bad_request", err, now_ms);
		return 400;
	}
	int status = batch_once(db, device_id, &b, now_ms, ret_json);
	if (twice && status == 200) {
		free(*ret_json);
		status = batch_once(db, device_id, &b, now_ms, ret_json);
	}
	cjson_batch_clear(&b);
	return status;
}

/* ================================================================ accounts */
static bool load_account(struct cdb *db, const char *pa_in, struct account *a)
{
	char pa[sizeof a->pers_acc];
	snprintf(pa, sizeof pa, "%s", pa_in);
	sqlite3_stmt *st = prep(db, "SELECT owner_masked, address_masked, period, accrued, paid, due, debt, "
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
	st = prep(db, "SELECT code, s.name, supplier_id, accrued, due, p.name, p.inn, p.phone, p.address "
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
	st = prep(db, "SELECT id, serial, service, name, unit, digits, decimals, last_value_milli, "
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
	sqlite3_stmt *st = prep(db, "SELECT accrued FROM accounts WHERE pers_acc=?1");
	sqlite3_bind_text(st, 1, pers_acc, -1, SQLITE_STATIC);
	int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_finalize(st);
	return v;
}

bool cdb_bill_sum_ok(struct cdb *db, const char *pers_acc, int64_t sum)
{
	sqlite3_stmt *st = prep(db, "SELECT 1 FROM accounts WHERE pers_acc=?1 AND (due=?2 OR accrued=?2)");
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
	sqlite3_stmt *st = prep(db, "SELECT r.meter_id, r.date, r.value_milli, r.source, r.status FROM history_readings r "
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
	sqlite3_stmt *st = prep(db, "SELECT date_ms, period, amount, source, status, ref FROM history_payments "
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
	st = prep(db, "SELECT body, server_ref FROM ledger WHERE kind='payment' AND disposition='created' ORDER BY rowid");
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
			*ret_json = error_detail("bad_request", "since: bad cursor", now_ms);
			return 400;
		}
		c_ms = strtoll(since, &end, 10);
		if (end != colon) {
			*ret_json = error_detail("bad_request", "since: bad cursor", now_ms);
			return 400;
		}
		strcpy(c_pa, colon + 1);
	}
	struct cjson_snapshot_page p;
	memset(&p, 0, sizeof p);
	p.accounts = xcalloc((size_t)limit, sizeof *p.accounts);
	snprintf(p.next_cursor, sizeof p.next_cursor, "%s", since ? since : "");
	sqlite3_stmt *st = prep(db, "SELECT pers_acc, updated_at_ms FROM accounts WHERE "
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
