/* Staff: PBKDF2-HMAC-SHA256 known answers, PIN set/verify, the persisted lockout (fake
 * wall clock, store reopened), its escalation (15 min, 1 h, until staff_unlock; reset by a
 * login) with one alert per lock, the staff trail (audit chain + outbox events, tampering
 * detected), shift totals and the RECONCILE comparison (malformed TOTALS refused). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kiosk/receipt/printer_doc.h"
#include "kiosk/conf/config.h"
#include "kiosk/svc/staff_report.h"
#include "offline/audit.h"
#include "offline/journal.h"
#include "offline/outbox.h"
#include "offline/staff.h"
#include "offline/store.h"
#include "tests/lib/test_tmp.h"
#include "tests/lib/test_zone.h"

static char dir[TEST_TMP_DIR_LEN];
static char path[TEST_TMP_PATH_LEN];

static int setup(void **state)
{
	test_tmp_dir("test_staff", dir, path);
	struct store *s = NULL;
	assert_int_equal(store_open(path, &s), STORE_OK);
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	store_close(*state);
	return test_tmp_remove(dir);
}

static void hex(const uint8_t *b, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

static void test_pbkdf2_vectors(void **st)
{
	(void)st;
	static const struct { const char *p, *s; int c; size_t len; const char *dk; } v[] = {
		{ "password", "salt", 1, 32, "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b" },
		{ "password", "salt", 2, 32, "ae4d0c95af6b46d32d0adff928f06dd02a303f8ef3c251dfd6e2d85a95474c43" },
		{ "password", "salt", 4096, 32, "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a" },
		{ "passwordPASSWORDpassword", "saltSALTsaltSALTsaltSALTsaltSALTsalt", 4096, 40,
		  "348c89dbcbd32b2f32d814b8116e84cf2b17347ebc1800181c4e2a1fb8dd53e1c635518c7dac47e9" },
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		uint8_t dk[64];
		char h[129];
		assert_int_equal(staff_pbkdf2(v[i].p, strlen(v[i].p), (const uint8_t *)v[i].s, strlen(v[i].s), v[i].c,
					      dk, v[i].len), 0);
		hex(dk, v[i].len, h);
		assert_string_equal(h, v[i].dk);
	}
	uint8_t dk[32];
	assert_int_equal(staff_pbkdf2("x", 1, (const uint8_t *)"s", 1, 0, dk, 32), -1);
}

static void test_pin_rules(void **state)
{
	struct store *s = *state;
	assert_true(staff_pin_valid("1111"));
	assert_true(staff_pin_valid("12345678"));
	assert_false(staff_pin_valid("123"));
	assert_false(staff_pin_valid("123456789"));
	assert_false(staff_pin_valid("12a4"));
	assert_false(staff_pin_valid(" 1234"));
	assert_false(staff_pin_valid(""));
	assert_int_equal(staff_set_pin(s, STAFF_CASHIER, "anna", "12", 1), STAFF_EBADPIN);
	assert_int_equal(staff_set_pin(s, STAFF_NONE, "anna", "1234", 1), STAFF_EBADROLE);
	assert_int_equal(staff_set_pin(s, STAFF_CASHIER, "", "1234", 1), STAFF_EBADNAME);
	assert_int_equal(staff_set_pin(s, STAFF_CASHIER, "an na", "1234", 1), STAFF_EBADNAME);
	assert_int_equal(staff_role_parse("technician"), STAFF_TECHNICIAN);
	assert_int_equal(staff_role_parse("admin"), -1);
}

static int q_int(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	int v = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
	return v;
}

static void test_set_and_verify(void **state)
{
	struct store *s = *state;
	struct staff_login l;
	assert_int_equal(staff_set_pin(s, STAFF_CASHIER, "anna", "1111", 10), 0);
	assert_int_equal(staff_set_pin(s, STAFF_TECHNICIAN, "boris", "2222", 10), 0);
	/* Nothing of the PIN is stored; salts are per row and random. */
	assert_int_equal(q_int("SELECT count(*) FROM staff WHERE iterations >= 100000 AND length(salt) = 16"), 2);
	assert_int_equal(q_int("SELECT count(DISTINCT salt) FROM staff"), 2);
	assert_int_equal(q_int("SELECT count(*) FROM staff WHERE instr(CAST(hash AS TEXT), '1111') > 0"), 0);

	assert_int_equal(staff_verify(s, NULL, "1111", 1000, &l), STAFF_OK);
	assert_int_equal(l.role, STAFF_CASHIER);
	assert_string_equal(l.name, "anna");
	assert_int_equal(staff_verify(s, "", "2222", 1000, &l), STAFF_OK);
	assert_int_equal(l.role, STAFF_TECHNICIAN);
	assert_string_equal(l.name, "boris");
	/* A name narrows the check: anna's card with boris's PIN is wrong. */
	assert_int_equal(staff_verify(s, "anna", "2222", 1000, &l), STAFF_EWRONG);
	assert_int_equal(l.attempts_left, 4);
	assert_int_equal(staff_verify(s, NULL, "9999", 1000, &l), STAFF_EWRONG);
	assert_int_equal(l.attempts_left, 3);
	assert_int_equal(l.role, STAFF_NONE);
	/* Success clears the count. */
	assert_int_equal(staff_verify(s, "anna", "1111", 1000, &l), STAFF_OK);
	int64_t until;
	int wrong;
	assert_int_equal(staff_lock_state(s, 1000, &until, &wrong), 0);
	assert_int_equal(wrong, 0);
	assert_int_equal(until, 0);
	/* Replacing a PIN: the old one stops working. */
	assert_int_equal(staff_set_pin(s, STAFF_CASHIER, "anna", "4321", 20), 0);
	assert_int_equal(staff_verify(s, "anna", "1111", 1000, &l), STAFF_EWRONG);
	assert_int_equal(staff_verify(s, "anna", "4321", 1000, &l), STAFF_OK);
}

static void test_lockout_persisted(void **state)
{
	struct store *s = *state;
	struct staff_login l;
	int64_t t0 = 1790000000000LL;
	assert_int_equal(staff_set_pin(s, STAFF_CASHIER, "anna", "1111", t0), 0);
	for (int i = 1; i <= 4; i++) {
		assert_int_equal(staff_verify(s, NULL, "0000", t0 + i, &l), STAFF_EWRONG);
		assert_int_equal(l.attempts_left, 5 - i);
	}
	assert_int_equal(staff_verify(s, NULL, "0000", t0 + 5, &l), STAFF_ELOCKED);
	int64_t until = l.locked_until_ms;
	assert_int_equal(until, t0 + 5 + 15 * 60 * 1000);
	/* The right PIN does not help while locked. */
	assert_int_equal(staff_verify(s, NULL, "1111", t0 + 60000, &l), STAFF_ELOCKED);
	assert_int_equal(l.locked_until_ms, until);
	/* A restart does not reset it. */
	store_close(s);
	s = NULL;
	assert_int_equal(store_open(path, &s), STORE_OK);
	*state = s;
	int64_t u;
	int wrong;
	assert_int_equal(staff_lock_state(s, until - 1, &u, &wrong), 0);
	assert_int_equal(u, until);
	assert_int_equal(wrong, 5);
	assert_int_equal(staff_verify(s, NULL, "1111", until - 1, &l), STAFF_ELOCKED);
	/* 15 minutes after the 5th wrong PIN: open again, with a fresh count. */
	assert_int_equal(staff_verify(s, NULL, "1111", until, &l), STAFF_OK);
	assert_int_equal(staff_lock_state(s, until, &u, &wrong), 0);
	assert_int_equal(u, 0);
	assert_int_equal(staff_verify(s, NULL, "0000", until + 1, &l), STAFF_EWRONG);
	assert_int_equal(l.attempts_left, 4);
}

static void setting_is(struct store *s, const char *key, const char *want)
{
	char buf[32];
	assert_int_equal(store_setting_get(s, key, buf, sizeof buf), STORE_OK);
	assert_string_equal(buf, want);
}

/* Five wrong PINs from t on; returns the fifth's answer. */
static struct staff_login five_wrong(struct store *s, int64_t t)
{
	struct staff_login l;
	for (int i = 0; i < 4; i++)
		assert_int_equal(staff_verify(s, NULL, "0000", t + i, &l), STAFF_EWRONG);
	assert_int_equal(staff_verify(s, NULL, "0000", t + 4, &l), STAFF_ELOCKED);
	return l;
}

/* The bodies of the outbox events whose body contains WHAT, oldest first, "\n"-joined. */
static int events(struct store *s, const char *what, char *buf, size_t cap)
{
	struct outbox_batch b;
	assert_int_equal(outbox_next_batch(s, 1000, 1 << 20, &b), 0);
	int n = 0;
	buf[0] = '\0';
	for (int i = 0; i < b.n; i++) {
		char body[512];
		snprintf(body, sizeof body, "%.*s", (int)b.recs[i].body_len, (const char *)b.recs[i].body);
		if (strcmp(b.recs[i].kind, "event") != 0 || !strstr(body, what))
			continue;
		size_t len = strlen(buf);
		snprintf(buf + len, cap - len, "%s%s", n ? "\n" : "", body);
		n++;
	}
	outbox_batch_free(&b);
	return n;
}

/* Five wrong PINs at t from no lock: the first lock, 15 minutes, alerted once (the
 * event's exact text); an attempt during it is refused and is no new lock. */
static void first_lock(struct store *s, int64_t t)
{
	struct staff_login l;
	char ev[2048], want[512];
	l = five_wrong(s, t);
	assert_true(l.lock_new);
	assert_int_equal(l.lock_level, 1);
	assert_int_equal(l.locked_until_ms, t + 4 + 15 * 60000);
	setting_is(s, "staff.lock_level", "1");
	setting_is(s, "staff.wrong_pins", "5");
	snprintf(want, sizeof want, "%lld", (long long)(t + 4 + 15 * 60000));
	setting_is(s, "staff.locked_until_ms", want);
	assert_int_equal(events(s, "staff_lockout", ev, sizeof ev), 1);
	snprintf(want, sizeof want, "{\"actor\":\"kiosk\",\"at_ms\":%lld,\"detail\":\"level=1 wrong_pins=5 "
		 "until_ms=%lld\",\"event\":\"staff_lockout\",\"role\":\"none\"}", (long long)(t + 4),
		 (long long)(t + 4 + 15 * 60000));
	assert_string_equal(ev, want);
	/* An attempt during the lock is refused, and is no new lock. */
	assert_int_equal(staff_verify(s, NULL, "1111", t + 60000, &l), STAFF_ELOCKED);
	assert_false(l.lock_new);
	assert_int_equal(l.lock_level, 1);
	assert_int_equal(events(s, "staff_lockout", ev, sizeof ev), 1);
}

/* The technician's reset at t of a lock until a technician: the settings cleared, the
 * event's exact text, and the PIN works again. */
static void technician_reset(struct store *s, int64_t t, struct staff_unlocked *was)
{
	struct staff_login l;
	char ev[2048], want[512];
	assert_int_equal(staff_unlock(s, "kiosk-tool", t, was), 0);
	assert_int_equal(was->level, 3);
	assert_int_equal(was->wrong, 5);
	assert_true(was->locked_until_ms == STAFF_LOCKED_FOREVER);
	setting_is(s, "staff.lock_level", "0");
	setting_is(s, "staff.wrong_pins", "0");
	setting_is(s, "staff.locked_until_ms", "0");
	assert_int_equal(events(s, "staff_unlock", ev, sizeof ev), 1);
	snprintf(want, sizeof want, "{\"actor\":\"kiosk-tool\",\"at_ms\":%lld,\"detail\":\"was_level=3 "
		 "was_wrong_pins=5 was_locked_until=technician\",\"event\":\"staff_unlock\",\"role\":\"technician\"}",
		 (long long)t);
	assert_string_equal(ev, want);
	assert_int_equal(staff_verify(s, NULL, "1111", t + 1, &l), STAFF_OK);
}

static void test_lockout_escalates(void **state)
{
	struct store *s = *state;
	struct staff_login l;
	char ev[2048], want[512];
	int64_t t = 1790000000000LL, u;
	int wrong, level;
	assert_int_equal(staff_set_pin(s, STAFF_CASHIER, "anna", "1111", t), 0);

	/* First lock: 15 minutes, alerted once; an attempt during it is no new lock. */
	first_lock(s, t);

	/* The lock ran out, no login since: the next lock is an hour. */
	t += 15 * 60000 + 4;
	l = five_wrong(s, t);
	assert_true(l.lock_new);
	assert_int_equal(l.lock_level, 2);
	assert_int_equal(l.locked_until_ms, t + 4 + 60 * 60000);
	setting_is(s, "staff.lock_level", "2");
	assert_int_equal(events(s, "level=2 wrong_pins=5 until_ms=", ev, sizeof ev), 1);

	/* A restart keeps the level and the lock. */
	store_close(s);
	s = NULL;
	assert_int_equal(store_open(path, &s), STORE_OK);
	*state = s;
	assert_int_equal(staff_lock_level(s, &level), 0);
	assert_int_equal(level, 2);
	assert_int_equal(staff_lock_state(s, t + 60 * 60000, &u, &wrong), 0);
	assert_int_equal(u, t + 4 + 60 * 60000);
	assert_int_equal(wrong, 5);
	/* Run out: a fresh count, the level stays. */
	assert_int_equal(staff_lock_state(s, t + 4 + 60 * 60000, &u, &wrong), 0);
	assert_int_equal(u, 0);
	assert_int_equal(wrong, 0);
	assert_int_equal(staff_lock_level(s, &level), 0);
	assert_int_equal(level, 2);

	/* The third: until a technician, whatever the clock says. */
	t += 60 * 60000 + 4;
	l = five_wrong(s, t);
	assert_true(l.lock_new);
	assert_int_equal(l.lock_level, 3);
	assert_true(l.locked_until_ms == STAFF_LOCKED_FOREVER);
	setting_is(s, "staff.lock_level", "3");
	setting_is(s, "staff.locked_until_ms", "9223372036854775807");
	assert_int_equal(events(s, "until=technician", ev, sizeof ev), 1);
	snprintf(want, sizeof want, "{\"actor\":\"kiosk\",\"at_ms\":%lld,\"detail\":\"level=3 wrong_pins=5 "
		 "until=technician\",\"event\":\"staff_lockout\",\"role\":\"none\"}", (long long)(t + 4));
	assert_string_equal(ev, want);
	int64_t year = 365LL * 24 * 3600 * 1000;
	assert_int_equal(staff_verify(s, NULL, "1111", t + year, &l), STAFF_ELOCKED);
	assert_true(l.locked_until_ms == STAFF_LOCKED_FOREVER);
	assert_int_equal(l.lock_level, 3);
	assert_false(l.lock_new);
	assert_int_equal(staff_lock_state(s, t + year, &u, &wrong), 0);
	assert_true(u == STAFF_LOCKED_FOREVER);
	assert_int_equal(events(s, "staff_lockout", ev, sizeof ev), 3);

	/* The technician's reset: recorded, then the PIN works. */
	struct staff_unlocked was;
	technician_reset(s, t + year, &was);

	/* A login between two locks resets the escalation: 15 minutes again, not an hour. */
	t += year + 10;
	l = five_wrong(s, t);
	assert_int_equal(l.lock_level, 1);
	int64_t until = l.locked_until_ms;
	assert_int_equal(staff_verify(s, NULL, "1111", until, &l), STAFF_OK);
	setting_is(s, "staff.lock_level", "0");
	t = until + 1;
	l = five_wrong(s, t);
	assert_int_equal(l.lock_level, 1);
	assert_int_equal(l.locked_until_ms, t + 4 + 15 * 60000);

	/* Every lock and the reset are in the audit trail, whose chain holds. */
	assert_int_equal(events(s, "staff_lockout", ev, sizeof ev), 5);
	int64_t bad = 0;
	assert_int_equal(audit_verify(s, &bad), STORE_OK);
	/* An unlock with no lock on is recorded too. */
	assert_int_equal(staff_unlock(s, "kiosk-tool", t + year, &was), 0);
	assert_int_equal(staff_unlock(s, "kiosk-tool", t + year, &was), 0);
	assert_int_equal(was.level, 0);
	assert_int_equal(was.wrong, 0);
	assert_int_equal(was.locked_until_ms, 0);
	assert_int_equal(events(s, "staff_unlock", ev, sizeof ev), 3);
}

static void tamper(const char *sql)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;", NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void test_trail_and_tamper(void **state)
{
	struct store *s = *state;
	assert_int_equal(staff_event(s, "anna", "cashier", "login", "by=hold", 100), 0);
	assert_int_equal(staff_event(s, "anna", "cashier", "void", "txn=0123 total=452316", 200), 0);
	assert_int_equal(staff_event(s, "anna", "cashier", "close_shift", "count=3", 300), 0);
	int64_t bad = 0;
	assert_int_equal(audit_verify(s, &bad), STORE_OK);
	/* Each is an outbox event with a JSON body naming the action. */
	struct outbox_record r[8];
	assert_int_equal(outbox_list_unacked(s, r, 8), 3);
	assert_string_equal(r[1].kind, "event");
	struct outbox_batch b;
	assert_int_equal(outbox_next_batch(s, 10, 1 << 20, &b), 0);
	assert_int_equal(b.n, 3);
	char body[256];
	snprintf(body, sizeof body, "%.*s", (int)b.recs[1].body_len, (const char *)b.recs[1].body);
	assert_string_equal(body, "{\"actor\":\"anna\",\"at_ms\":200,\"detail\":\"txn=0123 total=452316\","
				  "\"event\":\"void\",\"role\":\"cashier\"}");
	outbox_batch_free(&b);
	/* Someone hides the void: detected at that row. */
	tamper("UPDATE audit SET detail = 'txn=0123 total=1' WHERE action = 'void'");
	assert_int_equal(audit_verify(s, &bad), STORE_ESTATE);
	assert_int_equal(bad, 2);
}

static void test_shift_and_service(void **state)
{
	struct store *s = *state;
	int64_t t;
	assert_int_equal(staff_shift_opened(s, 5000, &t), 0);
	assert_int_equal(t, 5000);
	assert_int_equal(staff_shift_opened(s, 9000, &t), 0);
	assert_int_equal(t, 5000);
	assert_int_equal(staff_shift_close(s, 9500), 0);
	assert_int_equal(staff_shift_opened(s, 9900, &t), 0);
	assert_int_equal(t, 9500);
	char why[64];
	assert_int_equal(staff_out_of_service(s, why, sizeof why), 0);
	assert_string_equal(why, "");
	assert_int_equal(staff_set_out_of_service(s, "no_paper"), 0);
	store_close(s);
	s = NULL;
	assert_int_equal(store_open(path, &s), STORE_OK);
	*state = s;
	assert_int_equal(staff_out_of_service(s, why, sizeof why), 0);
	assert_string_equal(why, "no_paper");
	assert_int_equal(staff_set_out_of_service(s, ""), 0);
	assert_int_equal(staff_out_of_service(s, why, sizeof why), 0);
	assert_string_equal(why, "");
}

static void pay(struct journal_payment *p, enum journal_state st, const char *scheme, kopecks total)
{
	memset(p, 0, sizeof *p);
	p->state = st;
	p->total = total;
	snprintf(p->card.scheme, sizeof p->card.scheme, "%s", scheme);
}

static void test_totals_and_reconcile(void **st)
{
	(void)st;
	struct journal_payment p[6];
	pay(&p[0], JOURNAL_CONFIRMED, "MIR", 452316);
	pay(&p[1], JOURNAL_CONFIRMED, "MIR", 100);
	pay(&p[2], JOURNAL_VOIDED, "MIR", 5000);
	pay(&p[3], JOURNAL_DECLINED, "VISA", 7000);
	pay(&p[4], JOURNAL_CONFIRMED, "VISA", 250);
	pay(&p[5], JOURNAL_NEEDS_OPERATOR, "MIR", 9);
	struct staff_total t[STAFF_MAX_SCHEMES];
	int n = staff_totals(p, 6, t, STAFF_MAX_SCHEMES);
	assert_int_equal(n, 2);
	assert_string_equal(t[0].scheme, "MIR");
	assert_int_equal(t[0].count, 2);
	assert_int_equal(t[0].sum, 452416);
	assert_string_equal(t[1].scheme, "VISA");
	assert_int_equal(t[1].count, 1);
	assert_int_equal(t[1].sum, 250);

	struct staff_recon_row lines[8];
	int nl = -1;
	/* Matching (a refund line and another currency are not compared). */
	assert_int_equal(staff_reconcile("MIR;643;2;452416;sale\nVISA;643;1;250;sale\nMIR;643;1;50;refund\nMIR;840;1;5;sale\n",
					 t, n, lines, 8, &nl), 0);
	assert_int_equal(nl, 2);
	assert_string_equal(lines[0].scheme, "MIR");
	assert_int_equal(lines[0].pinpad_count, 2);
	assert_int_equal(lines[0].pinpad_sum, 452416);
	assert_int_equal(lines[0].journal_count, 2);
	assert_int_equal(lines[0].journal_sum, 452416);
	assert_true(lines[0].ok);
	assert_string_equal(lines[1].scheme, "VISA");
	assert_true(lines[1].ok);
	/* The terminal counted one MIR sale fewer and saw no VISA. */
	assert_int_equal(staff_reconcile("MIR;643;1;452316;sale\r\n", t, n, lines, 8, &nl), 2);
	assert_int_equal(nl, 2);
	assert_false(lines[0].ok);
	assert_int_equal(lines[0].pinpad_count, 1);
	assert_int_equal(lines[0].pinpad_sum, 452316);
	assert_int_equal(lines[0].journal_count, 2);
	assert_string_equal(lines[1].scheme, "VISA");
	assert_int_equal(lines[1].pinpad_count, 0);
	assert_int_equal(lines[1].pinpad_sum, 0);
	assert_int_equal(lines[1].journal_count, 1);
	assert_false(lines[1].ok);
	/* Empty TOTALS against an empty journal: nothing to compare, all fine. */
	assert_int_equal(staff_reconcile("", t, 0, lines, 8, &nl), 0);
	assert_int_equal(nl, 0);
	/* Malformed: refused, nothing written. */
	static const char *const bad[] = { "MIR;643;2;452416", "MIR;643;2;452416;sale;x", ";643;1;1;sale",
					   "MIR;64;1;1;sale", "MIR;643;-1;1;sale", "MIR;643;1;1.5;sale",
					   "MIR;643;1;;sale", "MIR;643;1;1;", "MIR;RUB;1;1;sale",
					   "MIR;643;1;9999999999999999;sale" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		nl = -7;
		assert_int_equal(staff_reconcile(bad[i], t, n, lines, 8, &nl), -1);
		assert_int_equal(nl, -7);
	}
}

/* The report's text: every item's text joined by newlines. */
static void doc_text(const struct receipt_doc *d, char *buf, size_t cap)
{
	size_t o = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < d->n && o + 1 < cap; i++)
		o += (size_t)snprintf(buf + o, cap - o, "%s%s%s\n", d->items[i].text ? d->items[i].text : "",
				      d->items[i].text2 ? " | " : "", d->items[i].text2 ? d->items[i].text2 : "");
}

static void test_shift_reports(void **st)
{
	(void)st;
	struct config cfg;
	config_defaults(&cfg);
	struct journal_payment p[4];
	pay(&p[0], JOURNAL_CONFIRMED, "MIR", 452316);
	pay(&p[1], JOURNAL_CONFIRMED, "MIR", 452316);
	pay(&p[2], JOURNAL_VOIDED, "MIR", 452316);
	pay(&p[3], JOURNAL_NEEDS_OPERATOR, "VISA", 100);
	struct receipt_doc d;
	char text[4096];
	receipt_doc_init(&d);
	assert_int_equal(staff_report_shift(&d, &cfg, false, "anna", 0, p, 4, 1790000000000LL), 0);
	doc_text(&d, text, sizeof text);
	assert_non_null(strstr(text, "X-ОТЧЁТ"));
	assert_non_null(strstr(text, "Мир: 2 | 9\u202f046,32"));
	assert_non_null(strstr(text, "ИТОГО оплат: 2 | 9\u202f046,32"));
	assert_non_null(strstr(text, "Отменено кассиром: 1"));
	assert_non_null(strstr(text, "Нужно проверить: 1"));
	assert_null(strstr(text, "MIR"));
	assert_non_null(strstr(text, "Кассир | anna"));
	assert_null(strstr(text, "VISA")); /* not confirmed: not in the totals */
	receipt_doc_free(&d);
	receipt_doc_init(&d);
	assert_int_equal(staff_report_shift(&d, &cfg, true, "anna", 0, p, 0, 1790000000000LL), 0);
	doc_text(&d, text, sizeof text);
	assert_non_null(strstr(text, "Z-ОТЧЁТ"));
	assert_non_null(strstr(text, "Оплат не было"));
	receipt_doc_free(&d);
	receipt_doc_init(&d);
	assert_int_equal(staff_report_copy(&d, "ОПЛАТА ЖКУ\nИтого 4 523,16", 2), 0);
	doc_text(&d, text, sizeof text);
	assert_non_null(strstr(text, "КОПИЯ ЧЕКА (2)\n"));
	assert_non_null(strstr(text, "ОПЛАТА ЖКУ\nИтого 4 523,16\n"));
	receipt_doc_free(&d);
}

int main(void)
{
	test_zone("Europe/Moscow");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pbkdf2_vectors),
		cmocka_unit_test_setup_teardown(test_pin_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_set_and_verify, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lockout_persisted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lockout_escalates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trail_and_tamper, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shift_and_service, setup, teardown),
		cmocka_unit_test(test_totals_and_reconcile),
		cmocka_unit_test(test_shift_reports),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
