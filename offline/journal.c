/* The payment journal (journal.h): the rows that persist the state machine of
 * kiosk/receipt/journal_model.c, one transaction per move. */
#include "offline/journal.h"
#include "offline/journal_internal.h"
#include "offline/store_internal.h"

#include <stdio.h>
#include <string.h>

#include "kiosk/base/digits.h"
#include "kiosk/base/log.h"

/* ---------------------------------------------------------------- validation */


static bool fits(const char *s, size_t cap)
{
	return strnlen(s, cap) < cap;
}

static bool period_ok(const char *p)
{
	size_t n = strnlen(p, 8);
	if (n == 0)
		return true;
	return n == 7 && p[4] == '-' && p[0] >= '0' && p[0] <= '9' && p[1] >= '0' &&
	       p[1] <= '9' && p[2] >= '0' && p[2] <= '9' && p[3] >= '0' && p[3] <= '9' &&
	       ((p[5] == '0' && p[6] >= '1' && p[6] <= '9') ||
		(p[5] == '1' && p[6] >= '0' && p[6] <= '2'));
}

bool journal_txn_id_valid(const char *id)
{
	if (!id || strnlen(id, JOURNAL_TXN_ID_LEN + 1) != JOURNAL_TXN_ID_LEN)
		return false;
	for (int i = 0; i < JOURNAL_TXN_ID_LEN; i++)
		if (!((id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'f')))
			return false;
	return true;
}

/* Defensive re-mask: whatever the terminal sent, at most the first 6 and the last 4
 * positions may stay digits (only the last 4 when it is too short to be a masked PAN);
 * everything else, including any non-digit, becomes '*'. */
void journal_mask_pan(const char *in, char *out, size_t cap)
{
	size_t n = strnlen(in, 23);
	if (n >= cap)
		n = cap - 1;
	for (size_t i = 0; i < n; i++) {
		bool keep = (n >= 13 && i < 6) || i + 4 >= n;
		out[i] = keep && in[i] >= '0' && in[i] <= '9' ? in[i] : '*';
	}
	out[n] = '\0';
}

/* ---------------------------------------------------------------- rows */

static int add_history(struct store *s, const char *txn_id, enum journal_state st,
		       const char *reason, int64_t now_ms)
{
	sqlite3_stmt *q;
	int rc = store_stmt(s, "INSERT INTO journal_history(txn_id, state, at_ms, reason) "
			       "VALUES(?1, ?2, ?3, ?4)", &q);
	if (rc)
		return rc;
	sqlite3_bind_text(q, 1, txn_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, journal_state_name(st), -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, now_ms);
	if (reason)
		sqlite3_bind_text(q, 4, reason, (int)strnlen(reason, 127), SQLITE_TRANSIENT);
	return store_step_done(s, q);
}

/* The row's current state inside the caller's transaction. */
int journal_state_in_txn(struct store *s, const char *txn_id, enum journal_state *ret)
{
	sqlite3_stmt *q;
	int rc = store_stmt(s, "SELECT state FROM journal WHERE txn_id = ?1", &q);
	if (rc)
		return rc;
	sqlite3_bind_text(q, 1, txn_id, -1, SQLITE_STATIC);
	int r = sqlite3_step(q);
	int st = r == SQLITE_ROW ? journal_state_parse((const char *)sqlite3_column_text(q, 0)) : -1;
	sqlite3_reset(q);
	if (r == SQLITE_DONE)
		return STORE_ENOTFOUND;
	if (r != SQLITE_ROW)
		return store_rc(s, r);
	if (st < 0)
		return store_rc(s, SQLITE_CORRUPT);
	*ret = (enum journal_state)st;
	return STORE_OK;
}

/* Sets the state (and reason) after checking the move, plus its history row. */
int journal_set_state_in_txn(struct store *s, const char *txn_id, enum journal_state to,
			     const char *reason, int64_t now_ms)
{
	enum journal_state from;
	int rc = journal_state_in_txn(s, txn_id, &from);
	if (rc)
		return rc;
	if (!journal_can_move(from, to)) {
		log_warn("journal", "refused", "txn=%s from=%s to=%s", txn_id, journal_state_name(from), journal_state_name(to));
		return STORE_ESTATE;
	}
	sqlite3_stmt *q;
	rc = store_stmt(s, "UPDATE journal SET state = ?2, updated_ms = ?3, "
			   "reason = coalesce(?4, reason), "
			   "recorded_ms = CASE WHEN ?2 = 'RECORDED' THEN ?3 ELSE recorded_ms END "
			   "WHERE txn_id = ?1 AND state = ?5", &q);
	if (rc)
		return rc;
	sqlite3_bind_text(q, 1, txn_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, journal_state_name(to), -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, now_ms);
	if (reason)
		sqlite3_bind_text(q, 4, reason, (int)strnlen(reason, 127), SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 5, journal_state_name(from), -1, SQLITE_STATIC);
	rc = store_step_done(s, q);
	if (rc == STORE_OK && sqlite3_changes(store_db(s)) != 1)
		rc = STORE_ESTATE;
	if (rc == STORE_OK)
		rc = add_history(s, txn_id, to, reason, now_ms);
	return rc;
}

int journal_begin(struct store *s, const struct journal_line *lines, int nlines,
		  int64_t now_ms, char *ret_txn_id)
{
	kopecks total = 0;
	if (nlines < 1 || nlines > JOURNAL_MAX_LINES || !lines)
		return STORE_EINVAL;
	for (int i = 0; i < nlines; i++) {
		const struct journal_line *l = &lines[i];
		if (!digits_only(l->pers_acc, 1, sizeof l->pers_acc - 1) || !period_ok(l->period) ||
		    !fits(l->payee_inn, sizeof l->payee_inn) ||
		    !fits(l->payee_name, sizeof l->payee_name) ||
		    l->amount <= 0 || l->amount > MONEY_MAX || !money_add(total, l->amount, &total) ||
		    total > MONEY_MAX)
			return STORE_EINVAL;
	}
	uint8_t raw[16];
	char id[JOURNAL_TXN_ID_LEN + 1];
	store_random(raw, sizeof raw);
	store_hex(raw, sizeof raw, id);

	int rc = store_begin(s);
	if (rc)
		return rc;
	sqlite3_stmt *q;
	rc = store_stmt(s, "INSERT INTO journal(txn_id, state, total, created_ms, updated_ms) "
			   "VALUES(?1, 'INTENT', ?2, ?3, ?3)", &q);
	if (rc == STORE_OK) {
		sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(q, 2, total);
		sqlite3_bind_int64(q, 3, now_ms);
		rc = store_step_done(s, q);
	}
	for (int i = 0; rc == STORE_OK && i < nlines; i++) {
		const struct journal_line *l = &lines[i];
		rc = store_stmt(s, "INSERT INTO journal_lines(txn_id, pos, pers_acc, period, amount, "
				   "payee_inn, payee_name) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)", &q);
		if (rc)
			break;
		sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
		sqlite3_bind_int(q, 2, i);
		sqlite3_bind_text(q, 3, l->pers_acc, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 4, l->period, -1, SQLITE_STATIC);
		sqlite3_bind_int64(q, 5, l->amount);
		sqlite3_bind_text(q, 6, l->payee_inn, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 7, l->payee_name, -1, SQLITE_STATIC);
		rc = store_step_done(s, q);
	}
	if (rc == STORE_OK)
		rc = add_history(s, id, JOURNAL_INTENT, NULL, now_ms);
	if (rc) {
		store_rollback(s);
		return rc;
	}
	rc = store_commit(s);
	if (rc == STORE_OK)
		memcpy(ret_txn_id, id, sizeof id);
	return rc;
}

int journal_authorize(struct store *s, const char *txn_id, const struct journal_card *card,
		      int64_t now_ms)
{
	if (!journal_txn_id_valid(txn_id) || !card)
		return STORE_EINVAL;
	const struct journal_card *c = card;
	if (!fits(c->scheme, sizeof c->scheme) || !fits(c->auth_code, sizeof c->auth_code) ||
	    !fits(c->rrn, sizeof c->rrn) || !fits(c->tid, sizeof c->tid) ||
	    !fits(c->mid, sizeof c->mid) || !fits(c->stan, sizeof c->stan) ||
	    !fits(c->batch_no, sizeof c->batch_no) || !fits(c->aid, sizeof c->aid) ||
	    !fits(c->terminal_dt, sizeof c->terminal_dt) || !fits(c->host_rc, sizeof c->host_rc) ||
	    !fits(c->slip, sizeof c->slip))
		return STORE_EINVAL;
	char pan[sizeof c->masked_pan];
	journal_mask_pan(c->masked_pan, pan, sizeof pan);

	int rc = store_begin(s);
	if (rc)
		return rc;
	rc = journal_set_state_in_txn(s, txn_id, JOURNAL_AUTHORIZED, NULL, now_ms);
	sqlite3_stmt *q;
	if (rc == STORE_OK)
		rc = store_stmt(s, "UPDATE journal SET masked_pan = ?2, scheme = ?3, auth_code = ?4, "
				   "rrn = ?5, tid = ?6, mid = ?7, stan = ?8, batch_no = ?9, aid = ?10, "
				   "terminal_dt = ?11, host_rc = ?12, entry_mode = ?13, cvm = ?14, "
				   "slip = ?15 WHERE txn_id = ?1", &q);
	if (rc == STORE_OK) {
		const char *f[] = { txn_id, pan, c->scheme, c->auth_code, c->rrn, c->tid, c->mid,
				    c->stan, c->batch_no, c->aid, c->terminal_dt, c->host_rc };
		for (int i = 0; i < (int)(sizeof f / sizeof f[0]); i++)
			sqlite3_bind_text(q, i + 1, f[i], -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(q, 13, c->entry_mode);
		sqlite3_bind_int(q, 14, c->cvm);
		sqlite3_bind_text(q, 15, c->slip, -1, SQLITE_STATIC);
		rc = store_step_done(s, q);
	}
	if (rc) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s);
}

int journal_move(struct store *s, const char *txn_id, enum journal_state to,
		 const char *reason, int64_t now_ms)
{
	/* AUTHORIZED needs the card fields and RECORDED the outbox record: their own calls. */
	if (!journal_txn_id_valid(txn_id) || !journal_state_valid((int)to) || to == JOURNAL_INTENT ||
	    to == JOURNAL_AUTHORIZED || to == JOURNAL_RECORDED)
		return STORE_EINVAL;
	int rc = store_begin(s);
	if (rc)
		return rc;
	rc = journal_set_state_in_txn(s, txn_id, to, reason, now_ms);
	if (rc) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s);
}
