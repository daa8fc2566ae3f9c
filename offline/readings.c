/* Meter readings (readings.h): the row and its outbox record in one transaction. */
#include "offline/readings.h"
#include "offline/store_internal.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/base/digits.h"

static char *reading_body(const char *pers_acc, const char *meter_id, int64_t value,
			  int64_t prev, bool rollover, const uint8_t *sup, int64_t now_ms)
{
	char hex[READINGS_KEY_LEN * 2 + 1];
	if (sup)
		store_hex(sup, READINGS_KEY_LEN, hex);
	json_t *o = json_pack("{s:s, s:s, s:I, s:I, s:b, s:o, s:I}",
		"pers_acc", pers_acc, "meter_id", meter_id, "value_milli", (json_int_t)value,
		"prev_milli", (json_int_t)prev, "rollover", rollover,
		"supersedes", sup ? json_string(hex) : json_null(),
		"submitted_ms", (json_int_t)now_ms);
	if (!o)
		return NULL;
	char *txt = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	return txt;
}

int readings_submit(struct store *s, const char *pers_acc, const char *meter_id,
		    int64_t value_milli, int64_t prev_milli, bool rollover,
		    const uint8_t *supersedes_key_or_null, int64_t now_ms,
		    uint8_t ret_key[READINGS_KEY_LEN])
{
	if (!pers_acc || !meter_id || !digits_only(pers_acc, 1, 32) || strnlen(meter_id, 16) == 0 ||
	    strnlen(meter_id, 16) > 15 || value_milli < 0 || prev_milli < 0 ||
	    (value_milli < prev_milli && !rollover))
		return STORE_EINVAL;
	uint8_t key[READINGS_KEY_LEN];
	store_random(key, sizeof key);
	char *body = reading_body(pers_acc, meter_id, value_milli, prev_milli, rollover,
				  supersedes_key_or_null, now_ms);
	if (!body)
		return STORE_EINVAL;
	int rc = store_begin(s);
	if (rc) {
		free(body);
		return rc;
	}
	sqlite3_stmt *q;
	rc = store_stmt(s, "INSERT INTO readings(key, pers_acc, meter_id, value_milli, prev_milli, "
			   "rollover, supersedes, submitted_ms) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
			&q);
	if (rc == STORE_OK) {
		sqlite3_bind_blob(q, 1, key, sizeof key, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, pers_acc, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 3, meter_id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(q, 4, value_milli);
		sqlite3_bind_int64(q, 5, prev_milli);
		sqlite3_bind_int(q, 6, rollover);
		if (supersedes_key_or_null)
			sqlite3_bind_blob(q, 7, supersedes_key_or_null, READINGS_KEY_LEN,
					  SQLITE_STATIC);
		sqlite3_bind_int64(q, 8, now_ms);
		rc = store_step_done(s, q);
	}
	if (rc == STORE_OK)
		rc = outbox_append_in_txn(s, "reading", key, (const uint8_t *)body, strlen(body),
					  now_ms);
	free(body);
	if (rc) {
		/* An unknown supersedes key is a foreign-key failure: a bad argument. */
		store_rollback(s);
		return rc;
	}
	rc = store_commit(s);
	if (rc == STORE_OK)
		memcpy(ret_key, key, sizeof key);
	return rc;
}

int readings_list(struct store *s, const char *pers_acc, const char *meter_id,
		  struct reading *ret, int cap)
{
	if (!pers_acc || cap < 0)
		return STORE_EINVAL;
	sqlite3_stmt *q;
	int rc = store_stmt(s, "SELECT key, pers_acc, meter_id, value_milli, prev_milli, rollover, "
			       "supersedes, submitted_ms FROM readings WHERE pers_acc = ?1 AND "
			       "(?2 IS NULL OR meter_id = ?2) ORDER BY submitted_ms DESC, key "
			       "LIMIT ?3", &q);
	if (rc)
		return rc;
	sqlite3_bind_text(q, 1, pers_acc, -1, SQLITE_STATIC);
	if (meter_id)
		sqlite3_bind_text(q, 2, meter_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 3, cap);
	int n = 0, r = SQLITE_DONE;
	while (n < cap && (r = sqlite3_step(q)) == SQLITE_ROW) {
		struct reading *x = &ret[n++];
		memset(x, 0, sizeof *x);
		if (sqlite3_column_bytes(q, 0) == READINGS_KEY_LEN)
			memcpy(x->key, sqlite3_column_blob(q, 0), READINGS_KEY_LEN);
		store_col_text(q, 1, x->pers_acc, sizeof x->pers_acc);
		store_col_text(q, 2, x->meter_id, sizeof x->meter_id);
		x->value_milli = sqlite3_column_int64(q, 3);
		x->prev_milli = sqlite3_column_int64(q, 4);
		x->rollover = sqlite3_column_int(q, 5) != 0;
		if (sqlite3_column_bytes(q, 6) == READINGS_KEY_LEN) {
			x->has_supersedes = true;
			memcpy(x->supersedes, sqlite3_column_blob(q, 6), READINGS_KEY_LEN);
		}
		x->submitted_ms = sqlite3_column_int64(q, 7);
	}
	sqlite3_reset(q);
	if (n < cap && r != SQLITE_DONE)
		return store_rc(s, r);
	return n;
}
