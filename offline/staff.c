/* Staff PINs, lockout, shift, out of service and the staff trail (staff.h). */
#include "offline/staff.h"
#include "offline/store_internal.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "offline/audit.h"
#include "offline/journal.h"
#include "offline/outbox.h"
#include "offline/crypto_lib.h"

#define K_WRONG "staff.wrong_pins"
#define K_LOCKED "staff.locked_until_ms"
#define K_LEVEL "staff.lock_level"
#define K_SHIFT "shift.opened_ms"
#define K_OOS "service.out_of_service"

const char *staff_role_name(enum staff_role r)
{
	return r == STAFF_CASHIER ? "cashier" : r == STAFF_TECHNICIAN ? "technician" : "none";
}

int staff_role_parse(const char *name)
{
	if (strcmp(name, "cashier") == 0)
		return STAFF_CASHIER;
	if (strcmp(name, "technician") == 0)
		return STAFF_TECHNICIAN;
	return -1;
}

bool staff_pin_valid(const char *pin)
{
	size_t n = strlen(pin);
	if (n < 4 || n > 8)
		return false;
	return strspn(pin, "0123456789") == n;
}

static bool name_valid(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > STAFF_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_' || c == '.'))
			return false;
	}
	return true;
}

int staff_pbkdf2(const char *pin, size_t pin_len, const uint8_t *salt, size_t salt_len,
		 int iterations, uint8_t *out, size_t out_len)
{
	if (iterations < 1 || pin_len > 1024 || salt_len > 1024 || out_len > 1024)
		return -1;
	return crypto_pbkdf2_sha256(pin, pin_len, salt, salt_len, iterations, out, out_len);
}

int staff_set_pin(struct store *s, enum staff_role role, const char *name, const char *pin,
		  int64_t now_ms)
{
	if (role != STAFF_CASHIER && role != STAFF_TECHNICIAN)
		return STAFF_EBADROLE;
	if (!name_valid(name))
		return STAFF_EBADNAME;
	if (!staff_pin_valid(pin))
		return STAFF_EBADPIN;
	uint8_t salt[STAFF_SALT_LEN], hash[STAFF_HASH_LEN];
	store_random(salt, sizeof salt);
	if (staff_pbkdf2(pin, strlen(pin), salt, sizeof salt, STAFF_PBKDF2_ITER, hash, sizeof hash) != 0)
		return STORE_EFAILED;
	sqlite3_stmt *q;
	int rc = store_stmt(s, "INSERT OR REPLACE INTO staff(name, role, salt, hash, iterations, updated_ms) "
			       "VALUES(?1, ?2, ?3, ?4, ?5, ?6)", &q);
	if (rc == STORE_OK) {
		sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, staff_role_name(role), -1, SQLITE_STATIC);
		sqlite3_bind_blob(q, 3, salt, sizeof salt, SQLITE_STATIC);
		sqlite3_bind_blob(q, 4, hash, sizeof hash, SQLITE_STATIC);
		sqlite3_bind_int(q, 5, STAFF_PBKDF2_ITER);
		sqlite3_bind_int64(q, 6, now_ms);
		rc = store_step_done(s, q);
	}
	explicit_bzero(hash, sizeof hash);
	return rc;
}

static int64_t setting_i64(struct store *s, const char *key)
{
	char buf[32];
	if (store_setting_get(s, key, buf, sizeof buf) != STORE_OK)
		return 0;
	return strtoll(buf, NULL, 10);
}

static int setting_set_i64(struct store *s, const char *key, int64_t v)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%lld", (long long)v);
	return store_setting_set(s, key, buf);
}

static int setting_set_i64_in_txn(struct store *s, const char *key, int64_t v)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%lld", (long long)v);
	return store_setting_set_in_txn(s, key, buf);
}

/* The lockout settings in one transaction: a crash never leaves a count without its lock. */
static int set_lock_in_txn(struct store *s, int64_t wrong, int64_t until, int64_t level)
{
	int rc = setting_set_i64_in_txn(s, K_WRONG, wrong);
	if (rc == STORE_OK)
		rc = setting_set_i64_in_txn(s, K_LOCKED, until);
	if (rc == STORE_OK && level >= 0)
		rc = setting_set_i64_in_txn(s, K_LEVEL, level);
	return rc;
}

static int set_lock(struct store *s, int64_t wrong, int64_t until, int64_t level)
{
	int rc = store_begin(s);
	if (rc)
		return rc;
	rc = set_lock_in_txn(s, wrong, until, level);
	if (rc) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s);
}

/* The staff_event body (staff.h). */
static char *event_body(const char *actor, const char *role, const char *action, const char *detail,
			int64_t now_ms)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:I}", "event", action, "actor", actor,
			      "role", role, "detail", detail, "at_ms", (json_int_t)now_ms);
	if (!o)
		return NULL;
	char *body = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	return body;
}

/* staff_event inside the caller's transaction: the audit row and the outbox record commit
 * with whatever they describe. */
static int event_in_txn(struct store *s, const char *actor, const char *role, const char *action,
			const char *detail, int64_t now_ms)
{
	int rc = audit_append_in_txn(s, actor, action, detail, now_ms);
	if (rc)
		return rc;
	char *body = event_body(actor, role, action, detail, now_ms);
	if (!body)
		return STORE_EINVAL;
	uint8_t key[OUTBOX_KEY_LEN];
	store_random(key, sizeof key);
	rc = outbox_append_in_txn(s, "event", key, (const uint8_t *)body, strlen(body), now_ms);
	free(body);
	return rc;
}

int staff_lock_state(struct store *s, int64_t now_ms, int64_t *ret_until_ms, int *ret_wrong)
{
	int64_t until = setting_i64(s, K_LOCKED);
	int wrong = (int)setting_i64(s, K_WRONG);
	if (until && until != STAFF_LOCKED_FOREVER && now_ms >= until) {
		/* The lock ran out: a fresh count (the level stays until a login succeeds). */
		int rc = set_lock(s, 0, 0, -1);
		if (rc)
			return rc;
		until = 0;
		wrong = 0;
	}
	*ret_until_ms = until;
	*ret_wrong = wrong;
	return STORE_OK;
}

int staff_lock_level(struct store *s, int *ret_level)
{
	char buf[32];
	int rc = store_setting_get(s, K_LEVEL, buf, sizeof buf);
	if (rc == STORE_ENOTFOUND) {
		*ret_level = 0;
		return STORE_OK;
	}
	if (rc)
		return rc;
	*ret_level = (int)strtol(buf, NULL, 10);
	return STORE_OK;
}

/* The lock a level earns: 15 minutes, an hour, then until a technician. */
static int64_t lock_end(int level, int64_t now_ms)
{
	if (level >= STAFF_LOCK_LEVELS)
		return STAFF_LOCKED_FOREVER;
	return now_ms + (level == 1 ? STAFF_LOCK_MS : STAFF_LOCK2_MS);
}

/* The MAX_WRONG-th wrong PIN: the next level's lock, and its alert for the center, in one
 * transaction. */
static int impose_lock(struct store *s, int wrong, int64_t now_ms, struct staff_login *ret)
{
	int level = 0;
	int rc = store_begin(s);
	if (rc)
		return rc;
	/* Read inside the transaction: a kiosk-tool staff-unlock in between is not undone. */
	rc = staff_lock_level(s, &level);
	level = level < STAFF_LOCK_LEVELS ? level + 1 : STAFF_LOCK_LEVELS;
	int64_t until = lock_end(level, now_ms);
	char detail[96];
	if (until == STAFF_LOCKED_FOREVER)
		snprintf(detail, sizeof detail, "level=%d wrong_pins=%d until=technician", level, wrong);
	else
		snprintf(detail, sizeof detail, "level=%d wrong_pins=%d until_ms=%lld", level, wrong,
			 (long long)until);
	if (rc == STORE_OK)
		rc = set_lock_in_txn(s, wrong, until, level);
	if (rc == STORE_OK)
		rc = event_in_txn(s, "kiosk", "none", "staff_lockout", detail, now_ms);
	if (rc) {
		store_rollback(s);
		return rc;
	}
	rc = store_commit(s);
	if (rc)
		return rc;
	ret->locked_until_ms = until;
	ret->lock_level = level;
	ret->lock_new = true;
	return STAFF_ELOCKED;
}

/* Does PIN match one row?  The same PBKDF2 work for every row, match or not. */
static bool row_matches(sqlite3_stmt *q, const char *pin)
{
	uint8_t h[STAFF_HASH_LEN];
	int iter = sqlite3_column_int(q, 4);
	if (sqlite3_column_bytes(q, 2) != STAFF_SALT_LEN || sqlite3_column_bytes(q, 3) != STAFF_HASH_LEN ||
	    iter < 1)
		return false;
	if (staff_pbkdf2(pin, strlen(pin), sqlite3_column_blob(q, 2), STAFF_SALT_LEN, iter, h, sizeof h) != 0)
		return false;
	bool ok = crypto_equal(h, sqlite3_column_blob(q, 3), STAFF_HASH_LEN);
	explicit_bzero(h, sizeof h);
	return ok;
}

int staff_verify(struct store *s, const char *name, const char *pin, int64_t now_ms,
		 struct staff_login *ret)
{
	int64_t until;
	int wrong;
	int rc = staff_lock_state(s, now_ms, &until, &wrong);
	if (rc)
		return rc;
	memset(ret, 0, sizeof *ret);
	if (until) {
		ret->locked_until_ms = until;
		rc = staff_lock_level(s, &ret->lock_level);
		return rc ? rc : STAFF_ELOCKED;
	}
	bool found = false;
	if (staff_pin_valid(pin)) {
		sqlite3_stmt *q;
		/* technician sorts after cashier: DESC puts the wider role first */
		rc = store_stmt(s, "SELECT name, role, salt, hash, iterations FROM staff "
				   "WHERE ?1 = '' OR name = ?1 ORDER BY role DESC, name", &q);
		if (rc)
			return rc;
		sqlite3_bind_text(q, 1, name ? name : "", -1, SQLITE_STATIC);
		int r;
		/* Every row is checked, match or not: the time taken says nothing about who. */
		while ((r = sqlite3_step(q)) == SQLITE_ROW) {
			if (row_matches(q, pin) && !found) {
				found = true;
				const char *role = (const char *)sqlite3_column_text(q, 1);
				int ro = role ? staff_role_parse(role) : -1;
				ret->role = ro < 0 ? STAFF_CASHIER : (enum staff_role)ro;
				store_col_text(q, 0, ret->name, sizeof ret->name);
			}
		}
		sqlite3_reset(q);
		if (r != SQLITE_DONE) {
			memset(ret, 0, sizeof *ret); /* a read error is not a wrong PIN */
			return store_rc(s, r);
		}
	}
	if (found) {
		/* A login ends the escalation: the next lock is a first one again. */
		rc = set_lock(s, 0, 0, 0);
		if (rc)
			memset(ret, 0, sizeof *ret);
		return rc;
	}
	wrong++;
	if (wrong >= STAFF_MAX_WRONG)
		return impose_lock(s, wrong, now_ms, ret);
	rc = setting_set_i64(s, K_WRONG, wrong);
	if (rc)
		return rc;
	ret->attempts_left = STAFF_MAX_WRONG - wrong;
	return STAFF_EWRONG;
}

int staff_shift_opened(struct store *s, int64_t now_ms, int64_t *ret_opened_ms)
{
	int64_t t = setting_i64(s, K_SHIFT);
	if (t == 0) {
		/* Never closed: the first shift began with the first payment (or now). */
		t = now_ms;
		sqlite3_stmt *q;
		int rc = store_stmt(s, "SELECT min(created_ms) FROM journal", &q);
		if (rc)
			return rc;
		int r = sqlite3_step(q);
		if (r == SQLITE_ROW && sqlite3_column_type(q, 0) == SQLITE_INTEGER && sqlite3_column_int64(q, 0) < t)
			t = sqlite3_column_int64(q, 0);
		sqlite3_reset(q);
		if (r != SQLITE_ROW)
			return store_rc(s, r);
		rc = setting_set_i64(s, K_SHIFT, t);
		if (rc)
			return rc;
	}
	*ret_opened_ms = t;
	return STORE_OK;
}

int staff_shift_close(struct store *s, int64_t now_ms)
{
	return setting_set_i64(s, K_SHIFT, now_ms);
}

int staff_out_of_service(struct store *s, char *reason, int cap)
{
	int rc = store_setting_get(s, K_OOS, reason, cap);
	if (rc == STORE_ENOTFOUND) {
		reason[0] = '\0';
		return STORE_OK;
	}
	return rc;
}

int staff_set_out_of_service(struct store *s, const char *reason)
{
	return store_setting_set(s, K_OOS, reason ? reason : "");
}

int staff_event_in_txn(struct store *s, const char *actor, const char *role, const char *action,
		       const char *detail, int64_t now_ms)
{
	return event_in_txn(s, actor, role, action, detail, now_ms);
}

int staff_event(struct store *s, const char *actor, const char *role, const char *action,
		const char *detail, int64_t now_ms)
{
	int rc = store_begin(s);
	if (rc)
		return rc;
	rc = event_in_txn(s, actor, role, action, detail, now_ms);
	if (rc) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s);
}

int staff_unlock(struct store *s, const char *actor, int64_t now_ms, struct staff_unlocked *ret)
{
	struct staff_unlocked was = { 0 };
	int rc = store_begin(s);
	if (rc)
		return rc;
	/* What is cleared is read in the same transaction as the clearing. */
	was.locked_until_ms = setting_i64(s, K_LOCKED);
	was.wrong = (int)setting_i64(s, K_WRONG);
	rc = staff_lock_level(s, &was.level);
	char until[24], detail[112];
	if (was.locked_until_ms == STAFF_LOCKED_FOREVER)
		snprintf(until, sizeof until, "technician");
	else
		snprintf(until, sizeof until, "%lld", (long long)was.locked_until_ms);
	snprintf(detail, sizeof detail, "was_level=%d was_wrong_pins=%d was_locked_until=%s", was.level,
		 was.wrong, until);
	if (rc == STORE_OK)
		rc = set_lock_in_txn(s, 0, 0, 0);
	if (rc == STORE_OK)
		rc = event_in_txn(s, actor, "technician", "staff_unlock", detail, now_ms);
	if (rc) {
		store_rollback(s);
		return rc;
	}
	rc = store_commit(s);
	if (rc == STORE_OK)
		*ret = was;
	return rc;
}

int staff_totals(const struct journal_payment *p, int n, struct staff_total *ret, int cap)
{
	int nt = 0;
	for (int i = 0; i < n; i++) {
		if (p[i].state != JOURNAL_CONFIRMED)
			continue;
		const char *sch = p[i].card.scheme[0] ? p[i].card.scheme : "?";
		int k = 0;
		while (k < nt && strcmp(ret[k].scheme, sch) != 0)
			k++;
		if (k == nt) {
			if (nt == cap)
				return -1; /* more schemes than a kiosk ever sees */
			memset(&ret[k], 0, sizeof ret[k]);
			snprintf(ret[k].scheme, sizeof ret[k].scheme, "%s", sch);
			nt++;
		}
		if (!money_add(ret[k].sum, p[i].total, &ret[k].sum))
			return -1;
		ret[k].count++;
	}
	return nt;
}

int staff_totals_sum(const struct staff_total *t, int nt, kopecks *ret_sum)
{
	int count = 0;
	kopecks sum = 0;
	for (int i = 0; i < nt; i++) {
		if (!money_add(sum, t[i].sum, &sum))
			return -1;
		count += t[i].count;
	}
	*ret_sum = sum;
	return count;
}

/* One TOTALS line; false when malformed. */
static bool parse_line(const char *l, size_t len, struct staff_total *t, char cur[4], char op[16])
{
	char buf[160];
	if (len == 0 || len >= sizeof buf)
		return false;
	memcpy(buf, l, len);
	buf[len] = '\0';
	char *f[5];
	int nf = 0;
	char *p = buf;
	for (;;) {
		if (nf == 5)
			return false;
		f[nf++] = p;
		char *semi = strchr(p, ';');
		if (!semi)
			break;
		*semi = '\0';
		p = semi + 1;
	}
	if (nf != 5 || !f[0][0] || strlen(f[0]) >= sizeof t->scheme || strlen(f[1]) != 3 ||
	    strspn(f[1], "0123456789") != 3 || !f[4][0] || strlen(f[4]) >= 16)
		return false;
	for (int i = 2; i <= 3; i++) {
		size_t n = strlen(f[i]);
		if (n == 0 || n > 15 || strspn(f[i], "0123456789") != n)
			return false;
	}
	memset(t, 0, sizeof *t);
	snprintf(t->scheme, sizeof t->scheme, "%s", f[0]);
	t->count = (int)strtol(f[2], NULL, 10);
	t->sum = (kopecks)strtoll(f[3], NULL, 10);
	if (t->count > 1000000)
		return false;
	memcpy(cur, f[1], 4);
	snprintf(op, 16, "%s", f[4]);
	return true;
}

int staff_reconcile(const char *totals, const struct staff_total *journal, int njournal,
		    struct staff_recon_row *rows, int cap, int *ret_nrows)
{
	struct staff_total term[STAFF_MAX_SCHEMES * 2];
	int nterm = 0;
	for (const char *p = totals; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (len && p[len - 1] == '\r')
			len--;
		if (len) {
			struct staff_total t;
			char cur[4], op[16];
			if (!parse_line(p, len, &t, cur, op))
				return -1;
			/* Only rouble sales are compared; refunds and other ops are not sold here. */
			if (strcmp(cur, "643") == 0 && strcmp(op, "sale") == 0) {
				int k = 0;
				while (k < nterm && strcmp(term[k].scheme, t.scheme) != 0)
					k++;
				if (k == nterm) {
					if (nterm == (int)(sizeof term / sizeof term[0]))
						return -1;
					term[nterm++] = t;
				} else {
					term[k].count += t.count;
					if (!money_add(term[k].sum, t.sum, &term[k].sum))
						return -1;
				}
			}
		}
		p += nl ? (size_t)(nl - p) + 1 : strlen(p);
	}
	/* Every scheme either side appears once: the terminal's first, then the journal's. */
	struct staff_total all[STAFF_MAX_SCHEMES * 3];
	int nall = 0;
	for (int i = 0; i < nterm; i++)
		all[nall++] = term[i];
	for (int i = 0; i < njournal && nall < (int)(sizeof all / sizeof all[0]); i++) {
		int k = 0;
		while (k < nterm && strcmp(term[k].scheme, journal[i].scheme) != 0)
			k++;
		if (k == nterm) {
			all[nall] = journal[i];
			all[nall].count = 0;
			all[nall].sum = 0;
			nall++;
		}
	}
	int bad = 0, nl = 0;
	for (int i = 0; i < nall; i++) {
		const struct staff_total *t = &all[i];
		struct staff_total j = { .count = 0, .sum = 0 };
		for (int k = 0; k < njournal; k++)
			if (strcmp(journal[k].scheme, t->scheme) == 0)
				j = journal[k];
		bool ok = j.count == t->count && j.sum == t->sum;
		if (!ok)
			bad++;
		if (nl < cap) {
			struct staff_recon_row *r = &rows[nl++];
			snprintf(r->scheme, sizeof r->scheme, "%.23s", t->scheme);
			r->pinpad_count = t->count;
			r->pinpad_sum = t->sum;
			r->journal_count = j.count;
			r->journal_sum = j.sum;
			r->ok = ok;
		}
	}
	*ret_nrows = nl;
	return bad;
}
