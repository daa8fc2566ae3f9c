/* The payment ↔ Vendotek operation-number map: see vtk_map.h. */
#include "offline/vtk_map.h"

#include <string.h>

#include "offline/store_internal.h"

static const char *const STATES[] = { "vrp_sent", "approved", "declined", "fin_sent", "done" };

const char *vtk_map_state_name(int state)
{
	return state >= 0 && state <= VTK_MAP_DONE ? STATES[state] : "?";
}

int vtk_map_put(struct store *s, const struct vtk_map_row *r)
{
	static const char sql[] =
		"INSERT INTO vtk_ops(txn_id, op, amount, state, approved, fin_amount, fin_reply,"
		" receipt, created_ms, updated_ms) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)"
		" ON CONFLICT(txn_id) DO UPDATE SET op = ?2, amount = ?3, state = ?4,"
		" approved = ?5, fin_amount = ?6, fin_reply = ?7, receipt = ?8, updated_ms = ?10";
	if (r->state < 0 || r->state > VTK_MAP_DONE)
		return STORE_EINVAL;
	sqlite3_stmt *st;
	int rc = store_stmt(s, sql, &st);
	if (rc != STORE_OK)
		return rc;
	sqlite3_bind_text(st, 1, r->txn_id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, r->op);
	sqlite3_bind_int64(st, 3, r->amount);
	sqlite3_bind_text(st, 4, STATES[r->state], -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, r->approved);
	sqlite3_bind_int64(st, 6, r->fin_amount);
	sqlite3_bind_int64(st, 7, r->fin_reply);
	sqlite3_bind_text(st, 8, r->receipt, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 9, r->created_ms);
	sqlite3_bind_int64(st, 10, r->updated_ms);
	rc = store_step_done(s, st);
	return rc == STORE_EEXISTS ? STORE_EINVAL : rc;
}

#define COLS "txn_id, op, amount, state, approved, fin_amount, fin_reply, receipt, created_ms," \
	     " updated_ms"

static int read_row(struct store *s, sqlite3_stmt *st, struct vtk_map_row *ret)
{
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		rc = rc == SQLITE_DONE ? STORE_ENOTFOUND : store_rc(s, rc);
		sqlite3_reset(st);
		return rc;
	}
	struct vtk_map_row r;
	memset(&r, 0, sizeof r);
	store_col_text(st, 0, r.txn_id, sizeof r.txn_id);
	r.op = (uint32_t)sqlite3_column_int64(st, 1);
	r.amount = sqlite3_column_int64(st, 2);
	char state[16];
	store_col_text(st, 3, state, sizeof state);
	r.state = -1;
	for (int i = 0; i <= VTK_MAP_DONE; i++)
		if (!strcmp(state, STATES[i]))
			r.state = i;
	r.approved = sqlite3_column_int64(st, 4);
	r.fin_amount = sqlite3_column_int64(st, 5);
	r.fin_reply = sqlite3_column_int64(st, 6);
	store_col_text(st, 7, r.receipt, sizeof r.receipt);
	r.created_ms = sqlite3_column_int64(st, 8);
	r.updated_ms = sqlite3_column_int64(st, 9);
	sqlite3_reset(st);
	*ret = r;
	return STORE_OK;
}

int vtk_map_get(struct store *s, const char *txn_id, struct vtk_map_row *ret)
{
	static const char sql[] = "SELECT " COLS " FROM vtk_ops WHERE txn_id = ?1";
	sqlite3_stmt *st;
	int rc = store_stmt(s, sql, &st);
	if (rc != STORE_OK)
		return rc;
	sqlite3_bind_text(st, 1, txn_id, -1, SQLITE_TRANSIENT);
	return read_row(s, st, ret);
}

int vtk_map_open_op(struct store *s, struct vtk_map_row *ret)
{
	static const char sql[] = "SELECT " COLS " FROM vtk_ops"
		" WHERE state IN ('vrp_sent','approved','fin_sent') ORDER BY op DESC LIMIT 1";
	sqlite3_stmt *st;
	int rc = store_stmt(s, sql, &st);
	return rc != STORE_OK ? rc : read_row(s, st, ret);
}

int vtk_map_last_op(struct store *s, uint32_t *ret)
{
	static const char sql[] = "SELECT coalesce(max(op), 0) FROM vtk_ops";
	sqlite3_stmt *st;
	int rc = store_stmt(s, sql, &st);
	if (rc != STORE_OK)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*ret = (uint32_t)sqlite3_column_int64(st, 0);
	rc = rc == SQLITE_ROW ? STORE_OK : store_rc(s, rc);
	sqlite3_reset(st);
	return rc;
}
