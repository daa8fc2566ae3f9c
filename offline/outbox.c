/* The outbox (outbox.h): append with seq and hash chain, batches, results, epochs. */
#include "offline/outbox.h"
#include "offline/store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/base/log.h"
#include "kiosk/base/xalloc.h"
#include "offline/crypto_lib.h"

static const uint8_t zero_hash[OUTBOX_HASH_LEN];

/* The current epoch and the chain head (last seq and its hash, zeros for an empty epoch). */
static int load_head(struct store *s, uint8_t epoch[16], int64_t *last_seq,
		     uint8_t head[OUTBOX_HASH_LEN])
{
	sqlite3_stmt *st;
	int rc = store_stmt(s, "SELECT epoch FROM outbox_state WHERE id = 1", &st);
	if (rc)
		return rc;
	int r = sqlite3_step(st);
	if (r != SQLITE_ROW || sqlite3_column_bytes(st, 0) != 16) {
		sqlite3_reset(st);
		return r == SQLITE_ROW || r == SQLITE_DONE ? STORE_EFAILED : store_rc(s, r);
	}
	memcpy(epoch, sqlite3_column_blob(st, 0), 16);
	sqlite3_reset(st);

	rc = store_stmt(s, "SELECT seq, chain_hash FROM outbox WHERE epoch = ?1 "
			   "ORDER BY seq DESC LIMIT 1", &st);
	if (rc)
		return rc;
	sqlite3_bind_blob(st, 1, epoch, 16, SQLITE_TRANSIENT);
	r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		*last_seq = sqlite3_column_int64(st, 0);
		memcpy(head, sqlite3_column_blob(st, 1), OUTBOX_HASH_LEN);
		r = SQLITE_OK;
	} else if (r == SQLITE_DONE) {
		*last_seq = 0;
		memcpy(head, zero_hash, OUTBOX_HASH_LEN);
		r = SQLITE_OK;
	}
	sqlite3_reset(st);
	return store_rc(s, r);
}

static bool kind_ok(const char *kind)
{
	static const char *const kinds[] = { "payment", "reading", "ereceipt", "request", "event" };
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(kind, kinds[i]) == 0)
			return true;
	return false;
}

int outbox_append_in_txn(struct store *s, const char *kind, const uint8_t key[16],
			 const uint8_t *body, size_t len, int64_t now_ms)
{
	uint8_t epoch[16], head[OUTBOX_HASH_LEN], hash[OUTBOX_HASH_LEN];
	int64_t last_seq;
	if (!kind_ok(kind) || (!body && len) || len > 1000000)
		return STORE_EINVAL;
	int rc = load_head(s, epoch, &last_seq, head);
	if (rc)
		return rc;
	crypto_sha256(head, sizeof head, body, len, hash);
	sqlite3_stmt *st;
	rc = store_stmt(s, "INSERT INTO outbox(epoch, seq, idem_key, kind, body, chain_hash, "
			   "created_ms) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)", &st);
	if (rc)
		return rc;
	sqlite3_bind_blob(st, 1, epoch, 16, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, last_seq + 1);
	sqlite3_bind_blob(st, 3, key, 16, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, kind, -1, SQLITE_STATIC);
	/* A zero-length blob must still be a blob, not NULL. */
	sqlite3_bind_blob(st, 5, len ? (const void *)body : "", (int)len, SQLITE_STATIC);
	sqlite3_bind_blob(st, 6, hash, sizeof hash, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 7, now_ms);
	return store_step_done(s, st);
}

int outbox_add(struct store *s, const char *kind, const uint8_t *body, size_t len,
	       int64_t now_ms, uint8_t ret_key[OUTBOX_KEY_LEN])
{
	uint8_t key[OUTBOX_KEY_LEN];
	store_random(key, sizeof key);
	int rc = store_begin(s);
	if (rc)
		return rc;
	rc = outbox_append_in_txn(s, kind, key, body, len, now_ms);
	if (rc) {
		store_rollback(s);
		return rc;
	}
	rc = store_commit(s);
	if (rc == STORE_OK)
		memcpy(ret_key, key, sizeof key);
	return rc;
}

void outbox_batch_free(struct outbox_batch *b)
{
	if (!b)
		return;
	for (int i = 0; i < b->n; i++)
		free(b->recs[i].body);
	free(b->recs);
	b->recs = NULL;
	b->n = 0;
}

int outbox_next_batch(struct store *s, int max_records, size_t max_bytes,
		      struct outbox_batch *ret)
{
	struct outbox_batch b = { 0 };
	uint8_t head[OUTBOX_HASH_LEN];
	int64_t last_seq;
	if (max_records < 1)
		max_records = 1;
	int rc = load_head(s, b.epoch, &last_seq, head);
	if (rc)
		return rc;
	sqlite3_stmt *st;
	/* From the lowest unacked seq on, every row (a stray acked one in the middle is
	 * resent and comes back duplicate): a batch is always a contiguous seq range. */
	rc = store_stmt(s, "SELECT seq, idem_key, kind, body, chain_hash, attempts, created_ms "
			   "FROM outbox WHERE epoch = ?1 AND seq >= (SELECT min(seq) FROM outbox "
			   "WHERE epoch = ?1 AND acked_at IS NULL) ORDER BY seq LIMIT ?2", &st);
	if (rc)
		return rc;
	sqlite3_bind_blob(st, 1, b.epoch, 16, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 2, max_records);
	size_t bytes = 0;
	int r;
	b.recs = xcalloc((size_t)max_records, sizeof *b.recs);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		size_t len = (size_t)sqlite3_column_bytes(st, 3);
		if (b.n > 0 && bytes + len > max_bytes)
			break;
		struct outbox_record *rec = &b.recs[b.n];
		rec->seq = sqlite3_column_int64(st, 0);
		if (b.n > 0 && rec->seq != b.recs[b.n - 1].seq + 1) {
			log_error("outbox", "seq_gap", "after=%lld got=%lld",
				  (long long)b.recs[b.n - 1].seq, (long long)rec->seq);
			r = SQLITE_CORRUPT;
			break;
		}
		memcpy(rec->idem_key, sqlite3_column_blob(st, 1), OUTBOX_KEY_LEN);
		store_col_text(st, 2, rec->kind, sizeof rec->kind);
		/* One spare NUL byte: JSON bodies can be used as strings (not counted). */
		rec->body = xmalloc(len + 1);
		if (len)
			memcpy(rec->body, sqlite3_column_blob(st, 3), len);
		rec->body[len] = 0;
		rec->body_len = len;
		memcpy(rec->chain_hash, sqlite3_column_blob(st, 4), OUTBOX_HASH_LEN);
		rec->attempts = sqlite3_column_int(st, 5);
		rec->created_ms = sqlite3_column_int64(st, 6);
		bytes += len;
		b.n++;
	}
	sqlite3_reset(st);
	if (r != SQLITE_ROW && r != SQLITE_DONE) {
		outbox_batch_free(&b);
		return store_rc(s, r);
	}
	if (b.n == 0) {
		free(b.recs);
		b.recs = NULL;
		*ret = b;
		return STORE_OK;
	}
	b.first_seq = b.recs[0].seq;
	b.last_seq = b.recs[b.n - 1].seq;
	if (b.first_seq == 1) {
		memcpy(b.prev_chain_hash, zero_hash, OUTBOX_HASH_LEN);
	} else {
		rc = store_stmt(s, "SELECT chain_hash FROM outbox WHERE epoch = ?1 AND seq = ?2", &st);
		if (rc) {
			outbox_batch_free(&b);
			return rc;
		}
		sqlite3_bind_blob(st, 1, b.epoch, 16, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, b.first_seq - 1);
		r = sqlite3_step(st);
		if (r == SQLITE_ROW)
			memcpy(b.prev_chain_hash, sqlite3_column_blob(st, 0), OUTBOX_HASH_LEN);
		sqlite3_reset(st);
		if (r != SQLITE_ROW) {
			outbox_batch_free(&b);
			/* A missing predecessor is a broken epoch, not an empty result. */
			return r == SQLITE_DONE ? store_rc(s, SQLITE_CORRUPT) : store_rc(s, r);
		}
	}
	*ret = b;
	return STORE_OK;
}

static const char *disposition_name(enum outbox_disposition d)
{
	switch (d) {
	case OUTBOX_CREATED: return "created";
	case OUTBOX_DUPLICATE: return "duplicate";
	case OUTBOX_CONFLICT: return "conflict";
	case OUTBOX_REJECTED: return "rejected";
	}
	return NULL;
}

/* One result: the row must be ours (same epoch, seq and key).  A row acked before (a
 * duplicate reply) keeps its first result. */
static int apply_one(struct store *s, const uint8_t epoch[16], const struct outbox_result *r,
		     int64_t now_ms)
{
	const char *disp = disposition_name(r->disposition);
	if (!disp)
		return STORE_EINVAL;
	sqlite3_stmt *st;
	int rc = store_stmt(s, "SELECT acked_at IS NOT NULL FROM outbox "
			       "WHERE epoch = ?1 AND seq = ?2 AND idem_key = ?3", &st);
	if (rc)
		return rc;
	sqlite3_bind_blob(st, 1, epoch, 16, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, r->seq);
	sqlite3_bind_blob(st, 3, r->idem_key, OUTBOX_KEY_LEN, SQLITE_TRANSIENT);
	int x = sqlite3_step(st);
	int acked = x == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_reset(st);
	if (x == SQLITE_DONE)
		return STORE_ENOTFOUND;
	if (x != SQLITE_ROW)
		return store_rc(s, x);
	if (acked)
		return STORE_OK;
	bool quarantine = r->disposition == OUTBOX_CONFLICT || r->disposition == OUTBOX_REJECTED;
	rc = store_stmt(s, "UPDATE outbox SET acked_at = ?1, disposition = ?2, server_ref = ?3, "
			   "rejected_reason = ?4, quarantined = ?5 "
			   "WHERE epoch = ?6 AND seq = ?7 AND acked_at IS NULL", &st);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, now_ms);
	sqlite3_bind_text(st, 2, disp, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, r->server_ref, (int)strnlen(r->server_ref, sizeof r->server_ref),
			  SQLITE_TRANSIENT);
	if (quarantine)
		sqlite3_bind_text(st, 4, r->reason, (int)strnlen(r->reason, sizeof r->reason),
				  SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 5, quarantine);
	sqlite3_bind_blob(st, 6, epoch, 16, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 7, r->seq);
	rc = store_step_done(s, st);
	if (rc == STORE_OK && quarantine)
		log_warn("outbox", "quarantined", "seq=%lld disposition=%s reason=%.64s",
			 (long long)r->seq, disp, r->reason);
	return rc;
}

int outbox_apply_results(struct store *s, const struct outbox_result *res, int n, int64_t now_ms)
{
	uint8_t epoch[16], head[OUTBOX_HASH_LEN];
	int64_t last_seq;
	if (n < 0 || (n > 0 && !res))
		return STORE_EINVAL;
	int rc = store_begin(s);
	if (rc)
		return rc;
	rc = load_head(s, epoch, &last_seq, head);
	for (int i = 0; rc == STORE_OK && i < n; i++)
		rc = apply_one(s, epoch, &res[i], now_ms);
	if (rc) {
		/* All or nothing: a result that names no row of ours voids the whole reply. */
		store_rollback(s);
		return rc;
	}
	return store_commit(s);
}

int outbox_note_attempt(struct store *s, const struct outbox_batch *b, int64_t now_ms)
{
	if (!b || b->n == 0)
		return STORE_OK;
	int rc = store_begin(s);
	if (rc)
		return rc;
	sqlite3_stmt *st;
	rc = store_stmt(s, "UPDATE outbox SET attempts = attempts + 1, last_try_ms = ?1 "
			   "WHERE epoch = ?2 AND seq BETWEEN ?3 AND ?4 AND acked_at IS NULL", &st);
	if (rc == STORE_OK) {
		sqlite3_bind_int64(st, 1, now_ms);
		sqlite3_bind_blob(st, 2, b->epoch, 16, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 3, b->first_seq);
		sqlite3_bind_int64(st, 4, b->last_seq);
		rc = store_step_done(s, st);
	}
	if (rc) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s);
}

int outbox_new_epoch(struct store *s)
{
	uint8_t epoch[16], old[16], head[OUTBOX_HASH_LEN];
	int64_t last_seq;
	store_random(epoch, sizeof epoch);
	int rc = store_begin(s);
	if (rc)
		return rc;
	rc = load_head(s, old, &last_seq, head);
	sqlite3_stmt *st;
	if (rc == STORE_OK)
		rc = store_stmt(s, "UPDATE outbox_state SET epoch = ?1 WHERE id = 1", &st);
	if (rc == STORE_OK) {
		sqlite3_bind_blob(st, 1, epoch, 16, SQLITE_TRANSIENT);
		rc = store_step_done(s, st);
	}
	/* Renumber every unacked row (oldest epoch and seq first) into the new epoch,
	 * rebuilding the chain from zero.  Keys and bodies are untouched (the trigger
	 * guarantees it). */
	int64_t seq = 0, nids = 0, cap = 0, *ids = NULL;
	if (rc == STORE_OK)
		rc = store_stmt(s, "SELECT id FROM outbox WHERE acked_at IS NULL "
				   "ORDER BY epoch = ?1, seq, id", &st);
	if (rc == STORE_OK) {
		int r;
		sqlite3_bind_blob(st, 1, old, 16, SQLITE_TRANSIENT);
		while ((r = sqlite3_step(st)) == SQLITE_ROW) {
			if (nids == cap) {
				cap = cap ? cap * 2 : 64;
				ids = xrealloc(ids, (size_t)cap * sizeof *ids);
			}
			ids[nids++] = sqlite3_column_int64(st, 0);
		}
		sqlite3_reset(st);
		rc = store_rc(s, r);
	}
	uint8_t prev[OUTBOX_HASH_LEN];
	memcpy(prev, zero_hash, sizeof prev);
	for (int64_t i = 0; rc == STORE_OK && i < nids; i++) {
		uint8_t hash[OUTBOX_HASH_LEN];
		rc = store_stmt(s, "SELECT body FROM outbox WHERE id = ?1", &st);
		if (rc)
			break;
		sqlite3_bind_int64(st, 1, ids[i]);
		int r = sqlite3_step(st);
		if (r == SQLITE_ROW)
			crypto_sha256(prev, sizeof prev, sqlite3_column_blob(st, 0),
				      (size_t)sqlite3_column_bytes(st, 0), hash);
		sqlite3_reset(st);
		if (r != SQLITE_ROW) {
			rc = store_rc(s, r == SQLITE_DONE ? SQLITE_CORRUPT : r);
			break;
		}
		rc = store_stmt(s, "UPDATE outbox SET epoch = ?1, seq = ?2, chain_hash = ?3 "
				   "WHERE id = ?4", &st);
		if (rc)
			break;
		sqlite3_bind_blob(st, 1, epoch, 16, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, ++seq);
		sqlite3_bind_blob(st, 3, hash, sizeof hash, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 4, ids[i]);
		rc = store_step_done(s, st);
		memcpy(prev, hash, sizeof prev);
	}
	free(ids);
	if (rc) {
		store_rollback(s);
		return rc;
	}
	rc = store_commit(s);
	if (rc == STORE_OK)
		log_warn("outbox", "new_epoch", "renumbered=%lld", (long long)seq);
	return rc;
}

int outbox_current_epoch(struct store *s, uint8_t ret_epoch[16], int64_t *ret_last_seq,
			 uint8_t ret_chain_head[OUTBOX_HASH_LEN])
{
	uint8_t epoch[16], head[OUTBOX_HASH_LEN];
	int64_t last;
	int rc = load_head(s, epoch, &last, head);
	if (rc)
		return rc;
	memcpy(ret_epoch, epoch, 16);
	*ret_last_seq = last;
	memcpy(ret_chain_head, head, OUTBOX_HASH_LEN);
	return STORE_OK;
}

int outbox_list_unacked(struct store *s, struct outbox_record *ret, int cap)
{
	if (cap < 0)
		return STORE_EINVAL;
	sqlite3_stmt *st;
	int rc = store_stmt(s, "SELECT o.seq, o.idem_key, o.kind, length(o.body), o.chain_hash, "
			       "o.attempts, o.created_ms FROM outbox o JOIN outbox_state x ON x.id = 1 "
			       "WHERE o.acked_at IS NULL ORDER BY o.epoch = x.epoch, o.seq LIMIT ?1", &st);
	if (rc)
		return rc;
	sqlite3_bind_int(st, 1, cap);
	int n = 0, r = SQLITE_DONE;
	while (n < cap && (r = sqlite3_step(st)) == SQLITE_ROW) {
		struct outbox_record *rec = &ret[n++];
		memset(rec, 0, sizeof *rec);
		rec->seq = sqlite3_column_int64(st, 0);
		memcpy(rec->idem_key, sqlite3_column_blob(st, 1), OUTBOX_KEY_LEN);
		store_col_text(st, 2, rec->kind, sizeof rec->kind);
		rec->body_len = (size_t)sqlite3_column_int64(st, 3);
		memcpy(rec->chain_hash, sqlite3_column_blob(st, 4), OUTBOX_HASH_LEN);
		rec->attempts = sqlite3_column_int(st, 5);
		rec->created_ms = sqlite3_column_int64(st, 6);
	}
	sqlite3_reset(st);
	if (n < cap && r != SQLITE_DONE)
		return store_rc(s, r);
	return n;
}

int outbox_pending(struct store *s, int64_t now_ms, int *ret_count, int64_t *ret_oldest_age_ms)
{
	sqlite3_stmt *st;
	int rc = store_stmt(s, "SELECT count(*), min(created_ms) FROM outbox "
			       "WHERE acked_at IS NULL", &st);
	if (rc)
		return rc;
	int r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		int n = sqlite3_column_int(st, 0);
		int64_t oldest = sqlite3_column_int64(st, 1);
		*ret_count = n;
		*ret_oldest_age_ms = n > 0 && now_ms > oldest ? now_ms - oldest : 0;
		r = SQLITE_OK;
	}
	sqlite3_reset(st);
	return store_rc(s, r);
}
