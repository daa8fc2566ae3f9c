/* The account history's local side (history.h). */
#include "offline/history.h"

#include <string.h>

#include "offline/store_internal.h"

/* The outbox record of a payment: its idem_key is the txn id's 16 bytes. */
static int outbox_state(struct store *s, struct history_local_row *r)
{
	uint8_t key[16];
	if (!store_unhex(r->txn_id, key, sizeof key))
		return STORE_OK; /* not a valid id: cannot have a record; shown as not acked */
	sqlite3_stmt *q;
	int rc = store_stmt(s, "SELECT acked_at IS NOT NULL, disposition, server_ref FROM outbox "
			       "WHERE idem_key = ?1 AND kind = 'payment'", &q);
	if (rc)
		return rc;
	sqlite3_bind_blob(q, 1, key, sizeof key, SQLITE_TRANSIENT);
	int step = sqlite3_step(q);
	if (step == SQLITE_ROW) {
		r->acked = sqlite3_column_int(q, 0) != 0;
		store_col_text(q, 1, r->disposition, sizeof r->disposition);
		store_col_text(q, 2, r->server_ref, sizeof r->server_ref);
	}
	sqlite3_reset(q);
	return step == SQLITE_ROW || step == SQLITE_DONE ? STORE_OK : store_rc(s, step);
}

int history_local(struct store *s, const char *pers_acc, int64_t from_ms,
		  struct history_local_row *ret, int cap)
{
	if (cap < 0 || !pers_acc || !pers_acc[0])
		return STORE_EINVAL;
	sqlite3_stmt *q;
	int rc = store_stmt(s, "SELECT j.txn_id, j.created_ms, l.amount, l.period, f.fn_serial, f.fd, f.fp "
			       "FROM journal j JOIN journal_lines l ON l.txn_id = j.txn_id "
			       "LEFT JOIN journal_fiscal f ON f.txn_id = j.txn_id AND f.state = 'made' "
			       "WHERE l.pers_acc = ?1 AND j.state IN ('RECORDED', 'CONFIRMED') AND j.created_ms >= ?2 "
			       "ORDER BY j.created_ms DESC, j.txn_id, l.pos LIMIT ?3", &q);
	if (rc)
		return rc;
	sqlite3_bind_text(q, 1, pers_acc, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(q, 2, from_ms);
	sqlite3_bind_int(q, 3, cap);
	int n = 0, step = SQLITE_DONE;
	while (n < cap && (step = sqlite3_step(q)) == SQLITE_ROW) {
		struct history_local_row *r = &ret[n++];
		memset(r, 0, sizeof *r);
		store_col_text(q, 0, r->txn_id, sizeof r->txn_id);
		r->created_ms = sqlite3_column_int64(q, 1);
		r->amount = sqlite3_column_int64(q, 2);
		store_col_text(q, 3, r->period, sizeof r->period);
		store_col_text(q, 4, r->fn_serial, sizeof r->fn_serial);
		r->fd = (uint32_t)sqlite3_column_int64(q, 5);
		r->fp = (uint32_t)sqlite3_column_int64(q, 6);
	}
	sqlite3_reset(q);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return store_rc(s, step);
	/* The outbox lookups after the list is read: one statement active at a time. */
	for (int i = 0; i < n; i++)
		if ((rc = outbox_state(s, &ret[i])) != STORE_OK)
			return rc;
	return n;
}
