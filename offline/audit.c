/* The audit trail (audit.h).  A row's content is hashed in an unambiguous encoding: id,
 * time, then each text field with its length, so "ab"+"c" never hashes like "a"+"bc". */
#include "offline/audit.h"
#include "offline/store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/base/xalloc.h"
#include "offline/crypto_lib.h"

static const uint8_t zero_hash[32];

static void row_hash(const uint8_t prev[32], int64_t id, int64_t at_ms, const char *actor,
		     const char *action, const char *detail, uint8_t out[32])
{
	size_t cap = 64 + 3 * (AUDIT_FIELD_MAX + 16) + strlen(actor) + strlen(action) +
		     strlen(detail);
	char *buf = xmalloc(cap);
	int len = snprintf(buf, cap, "%lld\n%lld\n%zu:%s\n%zu:%s\n%zu:%s", (long long)id,
			   (long long)at_ms, strlen(actor), actor, strlen(action), action,
			   strlen(detail), detail);
	crypto_sha256(prev, 32, (const uint8_t *)buf, (size_t)len, out);
	free(buf);
}

int audit_append_in_txn(struct store *s, const char *actor, const char *action, const char *detail,
			int64_t now_ms)
{
	if (!actor || !action || !detail || strlen(actor) > AUDIT_FIELD_MAX ||
	    strlen(action) > AUDIT_FIELD_MAX || strlen(detail) > AUDIT_FIELD_MAX)
		return STORE_EINVAL;
	sqlite3_stmt *q;
	uint8_t prev[32], hash[32];
	int64_t id = 1;
	memcpy(prev, zero_hash, 32);
	int rc = store_stmt(s, "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1", &q);
	if (rc == STORE_OK) {
		int r = sqlite3_step(q);
		if (r == SQLITE_ROW) {
			id = sqlite3_column_int64(q, 0) + 1;
			if (sqlite3_column_bytes(q, 1) == 32)
				memcpy(prev, sqlite3_column_blob(q, 1), 32);
		}
		sqlite3_reset(q);
		rc = store_rc(s, r);
	}
	if (rc == STORE_OK) {
		row_hash(prev, id, now_ms, actor, action, detail, hash);
		rc = store_stmt(s, "INSERT INTO audit(id, at_ms, actor, action, detail, hash) "
				   "VALUES(?1, ?2, ?3, ?4, ?5, ?6)", &q);
	}
	if (rc == STORE_OK) {
		sqlite3_bind_int64(q, 1, id);
		sqlite3_bind_int64(q, 2, now_ms);
		sqlite3_bind_text(q, 3, actor, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 4, action, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 5, detail, -1, SQLITE_STATIC);
		sqlite3_bind_blob(q, 6, hash, 32, SQLITE_STATIC);
		rc = store_step_done(s, q);
	}
	return rc;
}

int audit_append(struct store *s, const char *actor, const char *action, const char *detail,
		 int64_t now_ms)
{
	if (!actor || !action || !detail || strlen(actor) > AUDIT_FIELD_MAX ||
	    strlen(action) > AUDIT_FIELD_MAX || strlen(detail) > AUDIT_FIELD_MAX)
		return STORE_EINVAL;
	int rc = store_begin(s);
	if (rc)
		return rc;
	rc = audit_append_in_txn(s, actor, action, detail, now_ms);
	if (rc) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s);
}

int audit_verify(struct store *s, int64_t *ret_bad_id)
{
	int64_t rows;
	return audit_verify_rows(s, ret_bad_id, &rows);
}

int audit_verify_rows(struct store *s, int64_t *ret_bad_id, int64_t *ret_rows)
{
	sqlite3_stmt *q;
	int rc = store_stmt(s, "SELECT id, at_ms, actor, action, detail, hash FROM audit "
			       "ORDER BY id", &q);
	if (rc)
		return rc;
	uint8_t prev[32];
	memcpy(prev, zero_hash, 32);
	int64_t want_id = 1, bad = 0;
	int r;
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(q, 0);
		const char *actor = (const char *)sqlite3_column_text(q, 2);
		const char *action = (const char *)sqlite3_column_text(q, 3);
		const char *detail = (const char *)sqlite3_column_text(q, 4);
		uint8_t h[32];
		row_hash(prev, id, sqlite3_column_int64(q, 1), actor ? actor : "",
			 action ? action : "", detail ? detail : "", h);
		if (id != want_id || sqlite3_column_bytes(q, 5) != 32 ||
		    memcmp(h, sqlite3_column_blob(q, 5), 32) != 0) {
			bad = id;
			break;
		}
		memcpy(prev, h, 32);
		want_id = id + 1;
	}
	sqlite3_reset(q);
	*ret_rows = want_id - 1;
	if (bad) {
		*ret_bad_id = bad;
		return STORE_ESTATE;
	}
	return store_rc(s, r);
}
