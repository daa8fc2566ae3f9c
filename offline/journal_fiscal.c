/* The fiscal receipt beside the journal row: see journal_fiscal.h. */
#include "offline/journal_fiscal.h"

#include <stdio.h>
#include <string.h>

#include "offline/journal.h"
#include "offline/journal_internal.h"
#include "offline/staff.h"
#include "offline/store_internal.h"

int journal_fiscal_get(struct store *s, const char *txn_id, struct journal_fiscal *ret)
{
	sqlite3_stmt *q;
	struct journal_fiscal f;
	memset(&f, 0, sizeof f);
	int rc = store_stmt(s, "SELECT state, fd0, fn_serial, fd, fp, doc_time, shift_no, number "
			       "FROM journal_fiscal WHERE txn_id = ?1", &q);
	if (rc)
		return rc;
	sqlite3_bind_text(q, 1, txn_id, -1, SQLITE_STATIC);
	int step = sqlite3_step(q);
	if (step == SQLITE_ROW) {
		const unsigned char *st = sqlite3_column_text(q, 0);
		f.state = st && strcmp((const char *)st, "made") == 0 ? JOURNAL_FISCAL_MADE
								       : JOURNAL_FISCAL_CLOSING;
		f.fd0 = (uint32_t)sqlite3_column_int64(q, 1);
		store_col_text(q, 2, f.fn_serial, sizeof f.fn_serial);
		f.fd = (uint32_t)sqlite3_column_int64(q, 3);
		f.fp = (uint32_t)sqlite3_column_int64(q, 4);
		store_col_text(q, 5, f.doc_time, sizeof f.doc_time);
		f.shift_no = sqlite3_column_int(q, 6);
		f.number = sqlite3_column_int(q, 7);
		step = sqlite3_step(q);
	}
	sqlite3_reset(q);
	if (step != SQLITE_DONE)
		return store_rc(s, step);
	*ret = f;
	return STORE_OK;
}

/* Inside a transaction: the payment's state and its fiscal row. */
static int load(struct store *s, const char *txn_id, enum journal_state *ret_st,
		struct journal_fiscal *ret_f)
{
	int rc = journal_state_in_txn(s, txn_id, ret_st);
	return rc ? rc : journal_fiscal_get(s, txn_id, ret_f);
}

int journal_fiscal_closing(struct store *s, const char *txn_id, uint32_t fd0, int64_t now_ms)
{
	enum journal_state st;
	struct journal_fiscal f;
	sqlite3_stmt *q;
	int rc = store_begin(s);
	if (rc)
		return rc;
	rc = load(s, txn_id, &st, &f);
	if (rc == STORE_OK && (st != JOURNAL_AUTHORIZED || f.state == JOURNAL_FISCAL_MADE))
		rc = STORE_ESTATE;
	if (rc == STORE_OK)
		rc = store_stmt(s, "INSERT INTO journal_fiscal(txn_id, state, fd0, updated_ms) "
				   "VALUES(?1, 'closing', ?2, ?3) ON CONFLICT(txn_id) DO UPDATE SET "
				   "fd0 = excluded.fd0, updated_ms = excluded.updated_ms", &q);
	if (rc == STORE_OK) {
		sqlite3_bind_text(q, 1, txn_id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(q, 2, fd0);
		sqlite3_bind_int64(q, 3, now_ms);
		rc = store_step_done(s, q);
	}
	if (rc) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s);
}

int journal_fiscal_clear(struct store *s, const char *txn_id)
{
	sqlite3_stmt *q;
	int rc = store_stmt(s, "DELETE FROM journal_fiscal WHERE txn_id = ?1 AND state = 'closing'", &q);
	if (rc)
		return rc;
	sqlite3_bind_text(q, 1, txn_id, -1, SQLITE_STATIC);
	rc = store_step_done(s, q);
	if (rc == STORE_OK && sqlite3_changes(store_db(s)) == 0) {
		struct journal_fiscal f;
		rc = journal_fiscal_get(s, txn_id, &f);
		if (rc == STORE_OK && f.state == JOURNAL_FISCAL_MADE)
			rc = STORE_ESTATE;
	}
	return rc;
}

static int put_made(struct store *s, const char *txn_id, const struct journal_fiscal *f,
		    int64_t now_ms)
{
	sqlite3_stmt *q;
	int rc = store_stmt(s, "INSERT INTO journal_fiscal(txn_id, state, fd0, fn_serial, fd, fp, "
			       "doc_time, shift_no, number, updated_ms) "
			       "VALUES(?1, 'made', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
			       "ON CONFLICT(txn_id) DO UPDATE SET state = 'made', "
			       "fn_serial = excluded.fn_serial, fd = excluded.fd, fp = excluded.fp, "
			       "doc_time = excluded.doc_time, shift_no = excluded.shift_no, "
			       "number = excluded.number, updated_ms = excluded.updated_ms", &q);
	if (rc)
		return rc;
	sqlite3_bind_text(q, 1, txn_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, f->fd0);
	sqlite3_bind_text(q, 3, f->fn_serial, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 4, f->fd);
	sqlite3_bind_int64(q, 5, f->fp);
	sqlite3_bind_text(q, 6, f->doc_time, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 7, f->shift_no);
	sqlite3_bind_int(q, 8, f->number);
	sqlite3_bind_int64(q, 9, now_ms);
	return store_step_done(s, q);
}

int journal_record_fiscal(struct store *s, const char *txn_id, bool offline,
			  const struct journal_fiscal *f, int64_t now_ms)
{
	if (!journal_txn_id_valid(txn_id) || f->fd == 0 || strlen(f->fn_serial) != 16)
		return STORE_EINVAL;
	int rc = store_begin(s);
	if (rc)
		return rc;
	rc = put_made(s, txn_id, f, now_ms);
	if (rc == STORE_OK)
		rc = journal_record_in_txn(s, txn_id, offline, now_ms);
	if (rc) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s);
}

int journal_contact_put(struct store *s, const char *txn_id, const char *contact)
{
	sqlite3_stmt *q;
	size_t n = strlen(contact);
	if (!journal_txn_id_valid(txn_id) || n == 0 || n > 64)
		return STORE_EINVAL;
	int rc = store_stmt(s, "INSERT INTO journal_contact(txn_id, contact) VALUES(?1, ?2)", &q);
	if (rc)
		return rc;
	sqlite3_bind_text(q, 1, txn_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, contact, -1, SQLITE_STATIC);
	return store_step_done(s, q);
}

int journal_contact_get(struct store *s, const char *txn_id, char *buf, size_t cap)
{
	sqlite3_stmt *q;
	int rc = store_stmt(s, "SELECT contact FROM journal_contact WHERE txn_id = ?1", &q);
	if (rc)
		return rc;
	sqlite3_bind_text(q, 1, txn_id, -1, SQLITE_STATIC);
	int step = sqlite3_step(q);
	buf[0] = '\0';
	if (step == SQLITE_ROW) {
		store_col_text(q, 0, buf, cap);
		step = sqlite3_step(q);
	}
	sqlite3_reset(q);
	return step == SQLITE_DONE ? STORE_OK : store_rc(s, step);
}

int journal_fiscal_orphan(struct store *s, const char *txn_id, const struct journal_fiscal *f,
			  const char *detail, int64_t now_ms)
{
	sqlite3_stmt *q;
	if (!journal_txn_id_valid(txn_id) || f->fd == 0)
		return STORE_EINVAL;
	int rc = store_begin(s);
	if (rc)
		return rc;
	rc = store_stmt(s, "INSERT INTO fiscal_orphan(txn_id, fn_serial, fd, fp, doc_time, found_ms) "
			   "VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(txn_id) DO NOTHING", &q);
	if (rc == STORE_OK) {
		sqlite3_bind_text(q, 1, txn_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, f->fn_serial, -1, SQLITE_STATIC);
		sqlite3_bind_int64(q, 3, f->fd);
		sqlite3_bind_int64(q, 4, f->fp);
		sqlite3_bind_text(q, 5, f->doc_time, -1, SQLITE_STATIC);
		sqlite3_bind_int64(q, 6, now_ms);
		rc = store_step_done(s, q);
	}
	bool fresh = rc == STORE_OK && sqlite3_changes(store_db(s)) == 1;
	if (fresh)
		rc = staff_event_in_txn(s, "kiosk", "none", "fiscal_alarm", detail, now_ms);
	if (rc) {
		store_rollback(s);
		return rc;
	}
	rc = store_commit(s);
	return rc ? rc : fresh;
}

int journal_fiscal_orphan_get(struct store *s, const char *txn_id, struct journal_fiscal_orphan *ret)
{
	sqlite3_stmt *q;
	int rc = store_stmt(s, "SELECT fn_serial, fd, fp, doc_time, refund_fd, refund_fp, refund_fd0 "
			       "FROM fiscal_orphan WHERE txn_id = ?1", &q);
	if (rc)
		return rc;
	sqlite3_bind_text(q, 1, txn_id, -1, SQLITE_STATIC);
	int step = sqlite3_step(q);
	if (step == SQLITE_ROW) {
		memset(ret, 0, sizeof *ret);
		store_col_text(q, 0, ret->fn_serial, sizeof ret->fn_serial);
		ret->fd = (uint32_t)sqlite3_column_int64(q, 1);
		ret->fp = (uint32_t)sqlite3_column_int64(q, 2);
		store_col_text(q, 3, ret->doc_time, sizeof ret->doc_time);
		ret->refund_fd = (uint32_t)sqlite3_column_int64(q, 4);
		ret->refund_fp = (uint32_t)sqlite3_column_int64(q, 5);
		ret->refund_fd0 = (uint32_t)sqlite3_column_int64(q, 6);
		step = sqlite3_step(q);
		rc = STORE_OK;
	} else {
		rc = STORE_ENOTFOUND;
	}
	sqlite3_reset(q);
	return step == SQLITE_DONE ? rc : store_rc(s, step);
}

int journal_fiscal_refund_closing(struct store *s, const char *txn_id, uint32_t fd0)
{
	sqlite3_stmt *q;
	int rc = store_stmt(s, "UPDATE fiscal_orphan SET refund_fd0 = ?2 WHERE txn_id = ?1 AND refund_fd = 0", &q);
	if (rc)
		return rc;
	sqlite3_bind_text(q, 1, txn_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, fd0);
	rc = store_step_done(s, q);
	return rc == STORE_OK && sqlite3_changes(store_db(s)) != 1 ? STORE_ESTATE : rc;
}

int journal_fiscal_refunded(struct store *s, const char *txn_id, uint32_t fd, uint32_t fp,
			    const char *actor, int64_t now_ms)
{
	sqlite3_stmt *q;
	char detail[128];
	snprintf(detail, sizeof detail, "txn=%s refund_fd=%u refund_fp=%u", txn_id, fd, fp);
	int rc = store_begin(s);
	if (rc)
		return rc;
	rc = store_stmt(s, "UPDATE fiscal_orphan SET refund_fd = ?2, refund_fp = ?3, refund_ms = ?4 "
			   "WHERE txn_id = ?1 AND refund_fd = 0", &q);
	if (rc == STORE_OK) {
		sqlite3_bind_text(q, 1, txn_id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(q, 2, fd);
		sqlite3_bind_int64(q, 3, fp);
		sqlite3_bind_int64(q, 4, now_ms);
		rc = store_step_done(s, q);
	}
	if (rc == STORE_OK && sqlite3_changes(store_db(s)) != 1)
		rc = STORE_ESTATE;
	if (rc == STORE_OK)
		rc = staff_event_in_txn(s, actor, "cashier", "fiscal_refund", detail, now_ms);
	if (rc) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s);
}
