/* The simulator's ledger (docs/api.md §4.3, §5): record validation and batches, one
 * transaction each, committed before the reply is built. */
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
#include "tests/sim/billing-center/center_fiscal.h"

/* ================================================================ validation */
static bool account_exists(struct cdb *db, const char *pa)
{
	sqlite3_stmt *st = cdb_prep(db, "SELECT 1 FROM accounts WHERE pers_acc=?1");
	sqlite3_bind_text(st, 1, pa, -1, SQLITE_STATIC);
	bool ok = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return ok;
}

static bool payee_exists(struct cdb *db, const char *inn)
{
	sqlite3_stmt *st = cdb_prep(db, "SELECT 1 FROM payees WHERE inn=?1");
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

/* A payment body (docs/api.md §5, payment): "" when valid, else the rejection reason. */
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
	return center_fiscal_check(json_object_get(o, "fiscal"));
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
	sqlite3_stmt *st = cdb_prep(db, "SELECT value_milli FROM history_readings WHERE meter_id=?1 AND "
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
	sqlite3_stmt *st = cdb_prep(db, "SELECT digits, decimals, max_monthly_milli FROM meters WHERE id=?1 AND pers_acc=?2");
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
		st = cdb_prep(db, "UPDATE history_readings SET status='superseded' WHERE ref = "
			  "(SELECT server_ref FROM ledger WHERE device_id=?1 AND idem_key=?2 AND kind='reading')");
		sqlite3_bind_text(st, 1, device_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, json_string_value(sup), -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			cdb_die(db, "supersede");
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
	st = cdb_prep(db, "INSERT INTO history_readings VALUES(?1, ?2, ?3, 'kiosk', ?4, ?5)");
	sqlite3_bind_text(st, 1, meter, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, date, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, v);
	sqlite3_bind_text(st, 4, flag[0] ? flag : "accepted", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, ref, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		cdb_die(db, "reading");
	sqlite3_finalize(st);
	if (!flag[0]) {
		st = cdb_prep(db, "UPDATE meters SET last_value_milli=?2, last_date=?3 WHERE id=?1");
		sqlite3_bind_text(st, 1, meter, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, v);
		sqlite3_bind_text(st, 3, date, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			cdb_die(db, "meter");
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
	sqlite3_stmt *st = cdb_prep(db, "SELECT server_ref, body FROM ledger WHERE device_id=?1 AND idem_key=?2");
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
		sqlite3_stmt *st = cdb_prep(db, "SELECT server_ref FROM conflicts WHERE device_id=?1 AND idem_key=?2 AND body=?3");
		sqlite3_bind_text(st, 1, dev, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, (const char *)r->body, (int)r->body_len, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			snprintf(res->server_ref, sizeof res->server_ref, "%s", (const char *)sqlite3_column_text(st, 0));
			sqlite3_finalize(st);
		} else {
			sqlite3_finalize(st);
			cdb_next_ref(db, "C", res->server_ref, sizeof res->server_ref);
			st = cdb_prep(db, "INSERT INTO conflicts VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
			sqlite3_bind_text(st, 1, dev, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 3, r->kind, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 4, (const char *)r->body, (int)r->body_len, SQLITE_STATIC);
			sqlite3_bind_text(st, 5, res->server_ref, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 6, lr.ref, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 7, now_ms);
			if (sqlite3_step(st) != SQLITE_DONE)
				cdb_die(db, "conflict");
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
		cdb_next_ref(db, "L", lref, sizeof lref);
		validate(db, dev, r, lref, &created, &note);
		if (!created)
			cdb_next_ref(db, "R", rref, sizeof rref);
		res->disposition = created ? OUTBOX_CREATED : OUTBOX_REJECTED;
		snprintf(res->server_ref, sizeof res->server_ref, "%s", created ? lref : rref);
		snprintf(res->reason, sizeof res->reason, "%s", note);
		sqlite3_stmt *st = cdb_prep(db, "INSERT INTO ledger VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
		sqlite3_bind_text(st, 1, dev, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, r->kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, (const char *)r->body, (int)r->body_len, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, created ? "created" : "rejected", -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, res->server_ref, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 7, now_ms);
		if (sqlite3_step(st) != SQLITE_DONE)
			cdb_die(db, "ledger");
		sqlite3_finalize(st);
		if (note[0]) {
			st = cdb_prep(db, "INSERT INTO ledger_notes VALUES(?1, ?2)");
			sqlite3_bind_text(st, 1, res->server_ref, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 2, note, -1, SQLITE_STATIC);
			if (sqlite3_step(st) != SQLITE_DONE)
				cdb_die(db, "note");
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
	sqlite3_stmt *st = cdb_prep(db, "SELECT chain_hash, idem_key FROM seqs WHERE device_id=?1 AND epoch=?2 AND seq=?3");
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
	if (cdb_exec(db, "BEGIN IMMEDIATE") != SQLITE_OK) {
		*ret_json = cdb_error_json("busy", now_ms);
		return 503;
	}
	cdb_load_epoch(db, dev, ep, &er);
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
			*ret_json = cdb_error_detail("bad_chain", detail, now_ms);
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
			sqlite3_stmt *st = cdb_prep(db, "INSERT INTO seqs VALUES(?1, ?2, ?3, ?4, ?5)");
			sqlite3_bind_text(st, 1, dev, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 2, ep, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 3, r->seq);
			sqlite3_bind_text(st, 4, key, -1, SQLITE_STATIC);
			sqlite3_bind_blob(st, 5, h, 32, SQLITE_STATIC);
			if (sqlite3_step(st) != SQLITE_DONE)
				cdb_die(db, "seqs");
			sqlite3_finalize(st);
		}
		one_record(db, dev, r, now_ms, &rs.results[i]);
		rs.n++;
	}
	if (b->last_seq > er.watermark) {
		sqlite3_stmt *st = cdb_prep(db, "INSERT INTO epochs VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT DO UPDATE "
					"SET watermark=?3, chain_head=?4, updated_ms=?5");
		sqlite3_bind_text(st, 1, dev, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, ep, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, b->last_seq);
		sqlite3_bind_blob(st, 4, prev, 32, SQLITE_STATIC);
		sqlite3_bind_int64(st, 5, now_ms);
		if (sqlite3_step(st) != SQLITE_DONE)
			cdb_die(db, "epochs");
		sqlite3_finalize(st);
		er.watermark = b->last_seq;
	}
	/* Rule 4: the commit happens before the first byte of the reply. */
	if (cdb_exec(db, "COMMIT") != SQLITE_OK) {
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
	cdb_exec(db, "ROLLBACK");
	return status;
}

int cdb_batch(struct cdb *db, const char *device_id, const char *body, size_t len,
	      int64_t now_ms, bool twice, char **ret_json)
{
	struct outbox_batch b;
	char err[CJSON_ERR_MAX];
	if (cjson_batch_req_decode(body, len, &b, err) != 0) {
		*ret_json = cdb_error_detail("bad_request", err, now_ms);
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
