/* The journal's read side (journal.h): one payment, lists, history; and receipts. */
#include "offline/journal.h"
#include "offline/journal_internal.h"
#include "offline/store_internal.h"

#include <string.h>

#define ROW_COLS "txn_id, state, total, masked_pan, scheme, auth_code, rrn, tid, mid, stan, " \
	"batch_no, aid, terminal_dt, host_rc, entry_mode, cvm, slip, reason, created_ms, " \
	"updated_ms, offline"

static int row_to_payment(struct store *s, sqlite3_stmt *q, struct journal_payment *p)
{
	memset(p, 0, sizeof *p);
	store_col_text(q, 0, p->txn_id, sizeof p->txn_id);
	int st = journal_state_parse((const char *)sqlite3_column_text(q, 1));
	if (st < 0)
		return store_rc(s, SQLITE_CORRUPT);
	p->state = (enum journal_state)st;
	p->total = sqlite3_column_int64(q, 2);
	struct journal_card *c = &p->card;
	store_col_text(q, 3, c->masked_pan, sizeof c->masked_pan);
	store_col_text(q, 4, c->scheme, sizeof c->scheme);
	store_col_text(q, 5, c->auth_code, sizeof c->auth_code);
	store_col_text(q, 6, c->rrn, sizeof c->rrn);
	store_col_text(q, 7, c->tid, sizeof c->tid);
	store_col_text(q, 8, c->mid, sizeof c->mid);
	store_col_text(q, 9, c->stan, sizeof c->stan);
	store_col_text(q, 10, c->batch_no, sizeof c->batch_no);
	store_col_text(q, 11, c->aid, sizeof c->aid);
	store_col_text(q, 12, c->terminal_dt, sizeof c->terminal_dt);
	store_col_text(q, 13, c->host_rc, sizeof c->host_rc);
	c->entry_mode = sqlite3_column_int(q, 14);
	c->cvm = sqlite3_column_int(q, 15);
	store_col_text(q, 16, c->slip, sizeof c->slip);
	store_col_text(q, 17, p->reason, sizeof p->reason);
	p->created_ms = sqlite3_column_int64(q, 18);
	p->updated_ms = sqlite3_column_int64(q, 19);
	p->offline = sqlite3_column_int(q, 20) != 0;
	return STORE_OK;
}

static int load_lines(struct store *s, struct journal_payment *p)
{
	sqlite3_stmt *q;
	int rc = store_stmt(s, "SELECT pers_acc, period, amount, payee_inn, payee_name "
			       "FROM journal_lines WHERE txn_id = ?1 ORDER BY pos", &q);
	if (rc)
		return rc;
	sqlite3_bind_text(q, 1, p->txn_id, -1, SQLITE_STATIC);
	int r;
	p->nlines = 0;
	while ((r = sqlite3_step(q)) == SQLITE_ROW && p->nlines < JOURNAL_MAX_LINES) {
		struct journal_line *l = &p->lines[p->nlines++];
		store_col_text(q, 0, l->pers_acc, sizeof l->pers_acc);
		store_col_text(q, 1, l->period, sizeof l->period);
		l->amount = sqlite3_column_int64(q, 2);
		store_col_text(q, 3, l->payee_inn, sizeof l->payee_inn);
		store_col_text(q, 4, l->payee_name, sizeof l->payee_name);
	}
	sqlite3_reset(q);
	return r == SQLITE_ROW ? STORE_OK : store_rc(s, r);
}

int journal_get(struct store *s, const char *txn_id, struct journal_payment *ret)
{
	if (!journal_txn_id_valid(txn_id))
		return STORE_EINVAL;
	sqlite3_stmt *q;
	int rc = store_stmt(s, "SELECT " ROW_COLS " FROM journal WHERE txn_id = ?1", &q);
	if (rc)
		return rc;
	sqlite3_bind_text(q, 1, txn_id, -1, SQLITE_STATIC);
	int r = sqlite3_step(q);
	struct journal_payment p;
	if (r == SQLITE_ROW)
		rc = row_to_payment(s, q, &p);
	sqlite3_reset(q);
	if (r == SQLITE_DONE)
		return STORE_ENOTFOUND;
	if (r != SQLITE_ROW)
		return store_rc(s, r);
	if (rc == STORE_OK)
		rc = load_lines(s, &p);
	if (rc == STORE_OK)
		*ret = p;
	return rc;
}

/* Runs a row query (bound by the caller) into ret[0..cap), then loads each one's lines. */
static int collect(struct store *s, sqlite3_stmt *q, struct journal_payment *ret, int cap)
{
	int n = 0, r = SQLITE_DONE, rc = STORE_OK;
	while (n < cap && (r = sqlite3_step(q)) == SQLITE_ROW) {
		rc = row_to_payment(s, q, &ret[n]);
		if (rc)
			break;
		n++;
	}
	if (n < cap && rc == STORE_OK && r != SQLITE_DONE)
		rc = store_rc(s, r);
	sqlite3_reset(q);
	for (int i = 0; rc == STORE_OK && i < n; i++)
		rc = load_lines(s, &ret[i]);
	return rc ? rc : n;
}

int journal_unfinished(struct store *s, struct journal_payment *ret, int cap)
{
	if (cap < 0)
		return STORE_EINVAL;
	sqlite3_stmt *q;
	int rc = store_stmt(s, "SELECT " ROW_COLS " FROM journal WHERE state IN "
			       "('INTENT', 'AUTHORIZED', 'RECORDED') ORDER BY created_ms, txn_id "
			       "LIMIT ?1", &q);
	if (rc)
		return rc;
	sqlite3_bind_int(q, 1, cap);
	return collect(s, q, ret, cap);
}

int journal_by_state(struct store *s, enum journal_state st, struct journal_payment *ret, int cap)
{
	const char *name = journal_state_name(st);
	if (cap < 0 || journal_state_parse(name) < 0)
		return STORE_EINVAL;
	sqlite3_stmt *q;
	int rc = store_stmt(s, "SELECT " ROW_COLS " FROM journal WHERE state = ?1 "
			       "ORDER BY created_ms, txn_id LIMIT ?2", &q);
	if (rc)
		return rc;
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 2, cap);
	return collect(s, q, ret, cap);
}

int journal_list(struct store *s, int64_t from_ms, int64_t to_ms,
		 struct journal_payment *ret, int cap)
{
	if (cap < 0)
		return STORE_EINVAL;
	sqlite3_stmt *q;
	int rc = store_stmt(s, "SELECT " ROW_COLS " FROM journal WHERE created_ms >= ?1 AND "
			       "created_ms < ?2 ORDER BY created_ms, txn_id LIMIT ?3", &q);
	if (rc)
		return rc;
	sqlite3_bind_int64(q, 1, from_ms);
	sqlite3_bind_int64(q, 2, to_ms);
	sqlite3_bind_int(q, 3, cap);
	return collect(s, q, ret, cap);
}

int journal_history(struct store *s, const char *txn_id, struct journal_event *ret, int cap)
{
	if (!journal_txn_id_valid(txn_id) || cap < 0)
		return STORE_EINVAL;
	sqlite3_stmt *q;
	int rc = store_stmt(s, "SELECT state, at_ms FROM journal_history WHERE txn_id = ?1 "
			       "ORDER BY id", &q);
	if (rc)
		return rc;
	sqlite3_bind_text(q, 1, txn_id, -1, SQLITE_STATIC);
	int n = 0, r = SQLITE_DONE;
	while (n < cap && (r = sqlite3_step(q)) == SQLITE_ROW) {
		int st = journal_state_parse((const char *)sqlite3_column_text(q, 0));
		if (st < 0) {
			r = SQLITE_CORRUPT;
			break;
		}
		ret[n].state = (enum journal_state)st;
		ret[n].at_ms = sqlite3_column_int64(q, 1);
		n++;
	}
	sqlite3_reset(q);
	if (n < cap && r != SQLITE_DONE)
		return store_rc(s, r);
	return n;
}

int journal_receipt_save(struct store *s, const char *txn_id, const char *text, int64_t now_ms)
{
	if (!journal_txn_id_valid(txn_id) || !text)
		return STORE_EINVAL;
	int rc = store_begin(s);
	if (rc)
		return rc;
	sqlite3_stmt *q;
	rc = store_stmt(s, "INSERT INTO receipts(txn_id, printed_at_ms, text) VALUES(?1, ?2, ?3)",
			&q);
	if (rc == STORE_OK) {
		sqlite3_bind_text(q, 1, txn_id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(q, 2, now_ms);
		sqlite3_bind_text(q, 3, text, -1, SQLITE_STATIC);
		rc = store_step_done(s, q);
		/* A receipt for a payment that is not in the journal is a bad argument. */
		if (rc == STORE_EINVAL)
			rc = STORE_ENOTFOUND;
	}
	if (rc) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s);
}

int journal_receipt_reprint(struct store *s, const char *txn_id, int64_t now_ms)
{
	if (!journal_txn_id_valid(txn_id))
		return STORE_EINVAL;
	int rc = store_begin(s);
	if (rc)
		return rc;
	sqlite3_stmt *q;
	rc = store_stmt(s, "UPDATE receipts SET reprints = reprints + 1, last_reprint_ms = ?2 "
			   "WHERE txn_id = ?1", &q);
	if (rc == STORE_OK) {
		sqlite3_bind_text(q, 1, txn_id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(q, 2, now_ms);
		rc = store_step_done(s, q);
		if (rc == STORE_OK && sqlite3_changes(store_db(s)) != 1)
			rc = STORE_ENOTFOUND;
	}
	if (rc) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s);
}

int journal_receipt_get(struct store *s, const char *txn_id, char *text, int cap,
			int64_t *ret_printed_ms, int *ret_reprints)
{
	if (!journal_txn_id_valid(txn_id) || !text || cap < 1)
		return STORE_EINVAL;
	sqlite3_stmt *q;
	int rc = store_stmt(s, "SELECT text, printed_at_ms, reprints FROM receipts "
			       "WHERE txn_id = ?1", &q);
	if (rc)
		return rc;
	sqlite3_bind_text(q, 1, txn_id, -1, SQLITE_STATIC);
	int r = sqlite3_step(q);
	if (r == SQLITE_ROW) {
		store_col_text(q, 0, text, (size_t)cap);
		if (ret_printed_ms)
			*ret_printed_ms = sqlite3_column_int64(q, 1);
		if (ret_reprints)
			*ret_reprints = sqlite3_column_int(q, 2);
	}
	sqlite3_reset(q);
	if (r == SQLITE_DONE)
		return STORE_ENOTFOUND;
	return r == SQLITE_ROW ? STORE_OK : store_rc(s, r);
}
