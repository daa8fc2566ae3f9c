/* The accounts cache (cache.h): accounts, services, meters, suppliers and the
 * account-supplier links, read back with four indexed queries. */
#include "offline/cache.h"
#include "offline/store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/base/xalloc.h"

static bool text_ok(const char *s, size_t cap)
{
	return strnlen(s, cap) < cap;
}

static bool account_ok(const struct account *a)
{
	size_t n = strnlen(a->pers_acc, sizeof a->pers_acc);
	if (n == 0 || n == sizeof a->pers_acc)
		return false;
	for (size_t i = 0; i < n; i++)
		if (a->pers_acc[i] < '0' || a->pers_acc[i] > '9')
			return false;
	if (a->nservices < 0 || a->nservices > ACCOUNT_MAX_SERVICES || a->nsuppliers < 0 ||
	    a->nsuppliers > ACCOUNT_MAX_SUPPLIERS || a->nmeters < 0 ||
	    a->nmeters > ACCOUNT_MAX_METERS)
		return false;
	if (!text_ok(a->owner_masked, sizeof a->owner_masked) ||
	    !text_ok(a->address_masked, sizeof a->address_masked) ||
	    !text_ok(a->period, sizeof a->period))
		return false;
	for (int i = 0; i < a->nservices; i++) {
		const struct account_service *v = &a->services[i];
		if (!text_ok(v->code, sizeof v->code) || !text_ok(v->name, sizeof v->name) ||
		    !text_ok(v->supplier_id, sizeof v->supplier_id))
			return false;
	}
	for (int i = 0; i < a->nsuppliers; i++) {
		const struct account_supplier *p = &a->suppliers[i];
		if (!text_ok(p->id, sizeof p->id) || !p->id[0] || !text_ok(p->name, sizeof p->name) ||
		    !text_ok(p->inn, sizeof p->inn) || !text_ok(p->phone, sizeof p->phone) ||
		    !text_ok(p->address, sizeof p->address))
			return false;
	}
	for (int i = 0; i < a->nmeters; i++) {
		const struct account_meter *m = &a->meters[i];
		if (!text_ok(m->id, sizeof m->id) || !text_ok(m->serial, sizeof m->serial) ||
		    !text_ok(m->service, sizeof m->service) || !text_ok(m->name, sizeof m->name) ||
		    !text_ok(m->unit, sizeof m->unit) || !text_ok(m->last_date, sizeof m->last_date))
			return false;
	}
	return true;
}

static void bt(sqlite3_stmt *q, int i, const char *v)
{
	sqlite3_bind_text(q, i, v, -1, SQLITE_STATIC);
}

/* The accounts row itself, and the old rows of its lists wiped for the new ones. */
static int put_account_row(struct store *s, const struct account *a)
{
	static const char *const wipe[] = {
		"DELETE FROM services WHERE pers_acc = ?1",
		"DELETE FROM meters WHERE pers_acc = ?1",
		"DELETE FROM account_suppliers WHERE pers_acc = ?1",
	};
	sqlite3_stmt *q;
	int rc = store_stmt(s, "INSERT INTO accounts(pers_acc, owner_masked, address_masked, period, "
			       "due, accrued, paid, debt, details, updated_at_ms) "
			       "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
			       "ON CONFLICT(pers_acc) DO UPDATE SET owner_masked = excluded.owner_masked, "
			       "address_masked = excluded.address_masked, period = excluded.period, "
			       "due = excluded.due, accrued = excluded.accrued, paid = excluded.paid, "
			       "debt = excluded.debt, details = excluded.details, "
			       "updated_at_ms = excluded.updated_at_ms", &q);
	if (rc)
		return rc;
	bt(q, 1, a->pers_acc);
	bt(q, 2, a->owner_masked);
	bt(q, 3, a->address_masked);
	bt(q, 4, a->period);
	sqlite3_bind_int64(q, 5, a->due);
	sqlite3_bind_int64(q, 6, a->accrued);
	sqlite3_bind_int64(q, 7, a->paid);
	sqlite3_bind_int64(q, 8, a->debt);
	sqlite3_bind_int(q, 9, a->details);
	sqlite3_bind_int64(q, 10, a->updated_at_ms);
	rc = store_step_done(s, q);
	for (size_t i = 0; rc == STORE_OK && i < sizeof wipe / sizeof wipe[0]; i++) {
		rc = store_stmt(s, wipe[i], &q);
		if (rc == STORE_OK) {
			bt(q, 1, a->pers_acc);
			rc = store_step_done(s, q);
		}
	}
	return rc;
}

/* The account's service i. */
static int put_service(struct store *s, const struct account *a, int i)
{
	const struct account_service *v = &a->services[i];
	sqlite3_stmt *q;
	int rc = store_stmt(s, "INSERT INTO services(pers_acc, pos, code, name, supplier_id, "
			       "accrued, due) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)", &q);
	if (rc)
		return rc;
	bt(q, 1, a->pers_acc);
	sqlite3_bind_int(q, 2, i);
	bt(q, 3, v->code);
	bt(q, 4, v->name);
	bt(q, 5, v->supplier_id);
	sqlite3_bind_int64(q, 6, v->accrued);
	sqlite3_bind_int64(q, 7, v->due);
	return store_step_done(s, q);
}

/* The account's supplier i: the supplier (shared by accounts, so updated in place) and
 * the account's link to it. */
static int put_supplier(struct store *s, const struct account *a, int i)
{
	const struct account_supplier *p = &a->suppliers[i];
	sqlite3_stmt *q;
	int rc = store_stmt(s, "INSERT INTO suppliers(id, name, inn, phone, address) "
			       "VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(id) DO UPDATE SET "
			       "name = excluded.name, inn = excluded.inn, phone = excluded.phone, "
			       "address = excluded.address", &q);
	if (rc)
		return rc;
	bt(q, 1, p->id);
	bt(q, 2, p->name);
	bt(q, 3, p->inn);
	bt(q, 4, p->phone);
	bt(q, 5, p->address);
	rc = store_step_done(s, q);
	if (rc)
		return rc;
	rc = store_stmt(s, "INSERT INTO account_suppliers(pers_acc, pos, supplier_id) "
			   "VALUES(?1, ?2, ?3)", &q);
	if (rc)
		return rc;
	bt(q, 1, a->pers_acc);
	sqlite3_bind_int(q, 2, i);
	bt(q, 3, p->id);
	return store_step_done(s, q);
}

/* The account's meter i. */
static int put_meter(struct store *s, const struct account *a, int i)
{
	const struct account_meter *m = &a->meters[i];
	sqlite3_stmt *q;
	int rc = store_stmt(s, "INSERT INTO meters(pers_acc, pos, id, serial, service, name, unit, "
			       "digits, decimals, last_value_milli, last_date, max_monthly_milli) "
			       "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)", &q);
	if (rc)
		return rc;
	bt(q, 1, a->pers_acc);
	sqlite3_bind_int(q, 2, i);
	bt(q, 3, m->id);
	bt(q, 4, m->serial);
	bt(q, 5, m->service);
	bt(q, 6, m->name);
	bt(q, 7, m->unit);
	sqlite3_bind_int(q, 8, m->digits);
	sqlite3_bind_int(q, 9, m->decimals);
	sqlite3_bind_int64(q, 10, m->last_value_milli);
	bt(q, 11, m->last_date);
	sqlite3_bind_int64(q, 12, m->max_monthly_milli);
	return store_step_done(s, q);
}

static int put_one(struct store *s, const struct account *a)
{
	if (!account_ok(a))
		return STORE_EINVAL;
	int rc = put_account_row(s, a);
	for (int i = 0; rc == STORE_OK && i < a->nservices; i++)
		rc = put_service(s, a, i);
	for (int i = 0; rc == STORE_OK && i < a->nsuppliers; i++)
		rc = put_supplier(s, a, i);
	for (int i = 0; rc == STORE_OK && i < a->nmeters; i++)
		rc = put_meter(s, a, i);
	return rc;
}

int cache_put_many(struct store *s, const struct account *a, int n)
{
	if (n < 0 || (n > 0 && !a))
		return STORE_EINVAL;
	int rc = store_begin(s);
	if (rc)
		return rc;
	for (int i = 0; rc == STORE_OK && i < n; i++)
		rc = put_one(s, &a[i]);
	if (rc) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s);
}

int cache_put(struct store *s, const struct account *a)
{
	return cache_put_many(s, a, 1);
}

int cache_get(struct store *s, const char *pers_acc, struct account *ret)
{
	if (!pers_acc)
		return STORE_EINVAL;
	sqlite3_stmt *q;
	int rc = store_stmt(s, "SELECT owner_masked, address_masked, period, due, accrued, paid, "
			       "debt, details, updated_at_ms FROM accounts WHERE pers_acc = ?1", &q);
	if (rc)
		return rc;
	bt(q, 1, pers_acc);
	int r = sqlite3_step(q);
	if (r != SQLITE_ROW) {
		sqlite3_reset(q);
		return r == SQLITE_DONE ? STORE_ENOTFOUND : store_rc(s, r);
	}
	/* Built aside and copied at the end: *ret stays untouched on failure. */
	struct account *a = xcalloc(1, sizeof *a);
	snprintf(a->pers_acc, sizeof a->pers_acc, "%s", pers_acc);
	store_col_text(q, 0, a->owner_masked, sizeof a->owner_masked);
	store_col_text(q, 1, a->address_masked, sizeof a->address_masked);
	store_col_text(q, 2, a->period, sizeof a->period);
	a->due = sqlite3_column_int64(q, 3);
	a->accrued = sqlite3_column_int64(q, 4);
	a->paid = sqlite3_column_int64(q, 5);
	a->debt = sqlite3_column_int64(q, 6);
	a->details = sqlite3_column_int(q, 7) != 0;
	a->updated_at_ms = sqlite3_column_int64(q, 8);
	sqlite3_reset(q);

	rc = store_stmt(s, "SELECT code, name, supplier_id, accrued, due FROM services "
			   "WHERE pers_acc = ?1 ORDER BY pos", &q);
	if (rc == STORE_OK) {
		bt(q, 1, pers_acc);
		while ((r = sqlite3_step(q)) == SQLITE_ROW && a->nservices < ACCOUNT_MAX_SERVICES) {
			struct account_service *v = &a->services[a->nservices++];
			store_col_text(q, 0, v->code, sizeof v->code);
			store_col_text(q, 1, v->name, sizeof v->name);
			store_col_text(q, 2, v->supplier_id, sizeof v->supplier_id);
			v->accrued = sqlite3_column_int64(q, 3);
			v->due = sqlite3_column_int64(q, 4);
		}
		sqlite3_reset(q);
		rc = r == SQLITE_ROW ? STORE_OK : store_rc(s, r);
	}
	if (rc == STORE_OK)
		rc = store_stmt(s, "SELECT p.id, p.name, p.inn, p.phone, p.address FROM "
				   "account_suppliers l JOIN suppliers p ON p.id = l.supplier_id "
				   "WHERE l.pers_acc = ?1 ORDER BY l.pos", &q);
	if (rc == STORE_OK) {
		bt(q, 1, pers_acc);
		while ((r = sqlite3_step(q)) == SQLITE_ROW && a->nsuppliers < ACCOUNT_MAX_SUPPLIERS) {
			struct account_supplier *p = &a->suppliers[a->nsuppliers++];
			store_col_text(q, 0, p->id, sizeof p->id);
			store_col_text(q, 1, p->name, sizeof p->name);
			store_col_text(q, 2, p->inn, sizeof p->inn);
			store_col_text(q, 3, p->phone, sizeof p->phone);
			store_col_text(q, 4, p->address, sizeof p->address);
		}
		sqlite3_reset(q);
		rc = r == SQLITE_ROW ? STORE_OK : store_rc(s, r);
	}
	if (rc == STORE_OK)
		rc = store_stmt(s, "SELECT id, serial, service, name, unit, digits, decimals, "
				   "last_value_milli, last_date, max_monthly_milli FROM meters "
				   "WHERE pers_acc = ?1 ORDER BY pos", &q);
	if (rc == STORE_OK) {
		bt(q, 1, pers_acc);
		while ((r = sqlite3_step(q)) == SQLITE_ROW && a->nmeters < ACCOUNT_MAX_METERS) {
			struct account_meter *m = &a->meters[a->nmeters++];
			store_col_text(q, 0, m->id, sizeof m->id);
			store_col_text(q, 1, m->serial, sizeof m->serial);
			store_col_text(q, 2, m->service, sizeof m->service);
			store_col_text(q, 3, m->name, sizeof m->name);
			store_col_text(q, 4, m->unit, sizeof m->unit);
			m->digits = sqlite3_column_int(q, 5);
			m->decimals = sqlite3_column_int(q, 6);
			m->last_value_milli = sqlite3_column_int64(q, 7);
			store_col_text(q, 8, m->last_date, sizeof m->last_date);
			m->max_monthly_milli = sqlite3_column_int64(q, 9);
		}
		sqlite3_reset(q);
		rc = r == SQLITE_ROW ? STORE_OK : store_rc(s, r);
	}
	if (rc == STORE_OK)
		*ret = *a;
	free(a);
	return rc;
}

int cache_count(struct store *s, int64_t *ret)
{
	sqlite3_stmt *q;
	int rc = store_stmt(s, "SELECT count(*) FROM accounts", &q);
	if (rc)
		return rc;
	int r = sqlite3_step(q);
	if (r == SQLITE_ROW)
		*ret = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	return r == SQLITE_ROW ? STORE_OK : store_rc(s, r);
}
