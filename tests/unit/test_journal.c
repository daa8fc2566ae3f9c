/* Journal: the state machine (every allowed and refused move), persistence with history,
 * the payment record written with RECORDED, masking, lists and receipts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "offline/journal.h"
#include "offline/journal_internal.h"
#include "offline/outbox.h"
#include "offline/store.h"
#include "offline/store_internal.h"
#include "tests/lib/test_tmp.h"

static char dir[TEST_TMP_DIR_LEN];
static char path[TEST_TMP_PATH_LEN];

static int setup(void **state)
{
	test_tmp_dir("test_journal", dir, path);
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

static struct journal_line line(const char *acc, kopecks amount)
{
	struct journal_line l = { .amount = amount };
	snprintf(l.pers_acc, sizeof l.pers_acc, "%s", acc);
	snprintf(l.period, sizeof l.period, "2026-10");
	snprintf(l.payee_inn, sizeof l.payee_inn, "5036000000");
	snprintf(l.payee_name, sizeof l.payee_name, "МУП «Водоканал»");
	return l;
}

static struct journal_card card(const char *pan)
{
	struct journal_card c = { .entry_mode = 7, .cvm = 1 };
	snprintf(c.masked_pan, sizeof c.masked_pan, "%s", pan);
	snprintf(c.scheme, sizeof c.scheme, "MIR");
	snprintf(c.auth_code, sizeof c.auth_code, "A1B2C3");
	snprintf(c.rrn, sizeof c.rrn, "612345678901");
	snprintf(c.tid, sizeof c.tid, "00012345");
	snprintf(c.mid, sizeof c.mid, "123456789012");
	snprintf(c.stan, sizeof c.stan, "000042");
	snprintf(c.batch_no, sizeof c.batch_no, "7");
	snprintf(c.aid, sizeof c.aid, "A0000006581010");
	snprintf(c.terminal_dt, sizeof c.terminal_dt, "20261025143000");
	snprintf(c.host_rc, sizeof c.host_rc, "00");
	snprintf(c.slip, sizeof c.slip, "SLIP TEXT\nОДОБРЕНО\n");
	return c;
}

static void test_state_machine_table(void **state)
{
	(void)state;
	/* The whole 9x9 table, spelled out: everything not listed is refused. */
	static const int allowed[][2] = {
		{ JOURNAL_INTENT, JOURNAL_AUTHORIZED }, { JOURNAL_INTENT, JOURNAL_DECLINED },
		{ JOURNAL_INTENT, JOURNAL_CANCELLED }, { JOURNAL_INTENT, JOURNAL_NEEDS_OPERATOR },
		{ JOURNAL_INTENT, JOURNAL_VOIDED }, { JOURNAL_INTENT, JOURNAL_REVERSED_AUTO },
		{ JOURNAL_AUTHORIZED, JOURNAL_RECORDED }, { JOURNAL_AUTHORIZED, JOURNAL_VOIDED },
		{ JOURNAL_AUTHORIZED, JOURNAL_REVERSED_AUTO },
		{ JOURNAL_AUTHORIZED, JOURNAL_NEEDS_OPERATOR },
		{ JOURNAL_RECORDED, JOURNAL_CONFIRMED }, { JOURNAL_RECORDED, JOURNAL_VOIDED },
		{ JOURNAL_RECORDED, JOURNAL_REVERSED_AUTO },
		{ JOURNAL_RECORDED, JOURNAL_NEEDS_OPERATOR },
		{ JOURNAL_CONFIRMED, JOURNAL_VOIDED },
	};
	int nallowed = 0;
	for (int f = 0; f <= JOURNAL_NEEDS_OPERATOR; f++) {
		for (int t = 0; t <= JOURNAL_NEEDS_OPERATOR; t++) {
			bool want = false;
			for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
				if (allowed[i][0] == f && allowed[i][1] == t)
					want = true;
			if (journal_can_move(f, t) != want)
				fail_msg("move %s -> %s: expected %d", journal_state_name(f),
					 journal_state_name(t), want);
			nallowed += want;
		}
	}
	assert_int_equal(nallowed, 15);
	assert_false(journal_can_move((enum journal_state)42, JOURNAL_INTENT));
	assert_false(journal_can_move(JOURNAL_INTENT, (enum journal_state)-1));
	assert_true(journal_is_terminal(JOURNAL_CONFIRMED));
	assert_true(journal_is_terminal(JOURNAL_NEEDS_OPERATOR));
	assert_false(journal_is_terminal(JOURNAL_RECORDED));
	assert_false(journal_is_terminal(JOURNAL_INTENT));
	for (int i = 0; i <= JOURNAL_NEEDS_OPERATOR; i++)
		assert_int_equal(journal_state_parse(journal_state_name(i)), i);
	assert_int_equal(journal_state_parse("intent"), -1);
	assert_int_equal(journal_state_parse(NULL), -1);
}

static void test_mask(void **state)
{
	(void)state;
	char out[24];
	journal_mask_pan("2200123456781234", out, sizeof out);
	assert_string_equal(out, "220012******1234");
	journal_mask_pan("220012******1234", out, sizeof out);
	assert_string_equal(out, "220012******1234");
	journal_mask_pan("4111 1111 1111 1111", out, sizeof out);
	assert_string_equal(out, "4111*1*********1111");
	journal_mask_pan("5555xx5555555555", out, sizeof out);
	assert_string_equal(out, "5555********5555");
	journal_mask_pan("123456", out, sizeof out);
	assert_string_equal(out, "**3456");
	journal_mask_pan("", out, sizeof out);
	assert_string_equal(out, "");
}

static void test_begin_and_history(void **state)
{
	struct store *s = *state;
	struct journal_line lines[2] = { line("12345678", 523416), line("87654321", 100) };
	char id[33];
	assert_int_equal(journal_begin(s, lines, 2, 1000, id), STORE_OK);
	assert_int_equal(strlen(id), 32);
	assert_true(strspn(id, "0123456789abcdef") == 32);
	char id2[33];
	assert_int_equal(journal_begin(s, lines, 1, 1001, id2), STORE_OK);
	assert_string_not_equal(id, id2);

	struct journal_payment p;
	assert_int_equal(journal_get(s, id, &p), STORE_OK);
	assert_int_equal(p.state, JOURNAL_INTENT);
	assert_int_equal(p.total, 523516);
	assert_int_equal(p.nlines, 2);
	assert_string_equal(p.lines[1].pers_acc, "87654321");
	assert_string_equal(p.lines[0].payee_name, "МУП «Водоканал»");
	assert_int_equal(p.created_ms, 1000);

	struct journal_card c = card("2200123456781234");
	assert_int_equal(journal_authorize(s, id, &c, 2000), STORE_OK);
	assert_int_equal(journal_authorize(s, id, &c, 2001), STORE_ESTATE);
	assert_int_equal(journal_record(s, id, true, 3000), STORE_OK);
	assert_int_equal(journal_record(s, id, true, 3001), STORE_ESTATE);
	assert_int_equal(journal_move(s, id, JOURNAL_CANCELLED, NULL, 3500), STORE_ESTATE);
	assert_int_equal(journal_move(s, id, JOURNAL_CONFIRMED, "ok", 4000), STORE_OK);
	assert_int_equal(journal_move(s, id, JOURNAL_REVERSED_AUTO, NULL, 4500), STORE_ESTATE);
	assert_int_equal(journal_move(s, id, JOURNAL_VOIDED, "cashier void", 5000), STORE_OK);
	assert_int_equal(journal_move(s, id, JOURNAL_VOIDED, NULL, 5001), STORE_ESTATE);
	assert_int_equal(journal_move(s, id, JOURNAL_RECORDED, NULL, 5001), STORE_EINVAL);

	assert_int_equal(journal_get(s, id, &p), STORE_OK);
	assert_int_equal(p.state, JOURNAL_VOIDED);
	assert_string_equal(p.card.masked_pan, "220012******1234");
	assert_string_equal(p.card.slip, "SLIP TEXT\nОДОБРЕНО\n");
	assert_string_equal(p.reason, "cashier void");
	assert_true(p.offline);
	assert_int_equal(p.updated_ms, 5000);

	struct journal_event ev[10];
	int n = journal_history(s, id, ev, 10);
	assert_int_equal(n, 5);
	const enum journal_state want[] = { JOURNAL_INTENT, JOURNAL_AUTHORIZED, JOURNAL_RECORDED,
					    JOURNAL_CONFIRMED, JOURNAL_VOIDED };
	const int64_t at[] = { 1000, 2000, 3000, 4000, 5000 };
	for (int i = 0; i < 5; i++) {
		assert_int_equal(ev[i].state, want[i]);
		assert_int_equal(ev[i].at_ms, at[i]);
	}
	/* The full PAN never reached the file. */
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(store_db(s), "SELECT count(*) FROM journal WHERE "
		"masked_pan LIKE '%3456781%'", -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(q, 0), 0);
	sqlite3_finalize(q);
}

static void test_refused_moves_persist_nothing(void **state)
{
	struct store *s = *state;
	struct journal_line l = line("12345678", 5000);
	char id[33];
	assert_int_equal(journal_begin(s, &l, 1, 10, id), STORE_OK);
	/* INTENT cannot be recorded or confirmed (it may end voided or reversed: recovery). */
	assert_int_equal(journal_record(s, id, false, 11), STORE_ESTATE);
	assert_int_equal(journal_move(s, id, JOURNAL_CONFIRMED, NULL, 11), STORE_ESTATE);
	assert_int_equal(journal_move(s, id, JOURNAL_DECLINED, "51", 12), STORE_OK);
	assert_int_equal(journal_move(s, id, JOURNAL_NEEDS_OPERATOR, NULL, 13), STORE_ESTATE);
	struct journal_event ev[4];
	assert_int_equal(journal_history(s, id, ev, 4), 2);
	int cnt;
	int64_t age;
	assert_int_equal(outbox_pending(s, 100, &cnt, &age), STORE_OK);
	assert_int_equal(cnt, 0);
	/* Unknown and malformed ids. */
	assert_int_equal(journal_move(s, "0123456789abcdef0123456789abcdef", JOURNAL_CANCELLED,
				      NULL, 1), STORE_ENOTFOUND);
	assert_int_equal(journal_move(s, "0123456789ABCDEF0123456789abcdef", JOURNAL_CANCELLED,
				      NULL, 1), STORE_EINVAL);
	struct journal_payment p;
	assert_int_equal(journal_get(s, "0123456789abcdef0123456789abcdef", &p), STORE_ENOTFOUND);
}

static void test_begin_rejects_bad_baskets(void **state)
{
	struct store *s = *state;
	char id[33] = "untouched";
	struct journal_line l = line("12345678", 0);
	assert_int_equal(journal_begin(s, &l, 1, 1, id), STORE_EINVAL);
	l = line("12345678", -5);
	assert_int_equal(journal_begin(s, &l, 1, 1, id), STORE_EINVAL);
	l = line("1234a678", 5);
	assert_int_equal(journal_begin(s, &l, 1, 1, id), STORE_EINVAL);
	l = line("12345678", 5);
	snprintf(l.period, sizeof l.period, "2026-13");
	assert_int_equal(journal_begin(s, &l, 1, 1, id), STORE_EINVAL);
	l = line("12345678", MONEY_MAX);
	struct journal_line two[2] = { l, l };
	assert_int_equal(journal_begin(s, two, 2, 1, id), STORE_EINVAL);
	assert_int_equal(journal_begin(s, two, 0, 1, id), STORE_EINVAL);
	assert_int_equal(journal_begin(s, two, 11, 1, id), STORE_EINVAL);
	assert_string_equal(id, "untouched");
	/* The CHECK constraints hold even against raw SQL: no REAL, no zero. */
	assert_int_not_equal(sqlite3_exec(store_db(s), "INSERT INTO journal(txn_id, state, total, "
		"created_ms, updated_ms) VALUES('0123456789abcdef0123456789abcdef', 'INTENT', 1.5, 1, 1)",
		NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(store_db(s), "INSERT INTO journal(txn_id, state, total, "
		"created_ms, updated_ms) VALUES('0123456789abcdef0123456789abcdef', 'INTENT', 0, 1, 1)",
		NULL, NULL, NULL), SQLITE_OK);
}

static void test_payment_record_body(void **state)
{
	struct store *s = *state;
	struct journal_line lines[2] = { line("12345678", 523416), line("87654321", 100) };
	char id[33];
	assert_int_equal(journal_begin(s, lines, 2, 1000, id), STORE_OK);
	struct journal_card c = card("2200123456781234");
	assert_int_equal(journal_authorize(s, id, &c, 2000), STORE_OK);
	assert_int_equal(journal_record(s, id, false, 3000), STORE_OK);

	struct outbox_batch b;
	assert_int_equal(outbox_next_batch(s, 10, 65536, &b), STORE_OK);
	assert_int_equal(b.n, 1);
	assert_string_equal(b.recs[0].kind, "payment");
	uint8_t key[16];
	assert_true(store_unhex(id, key, 16));
	assert_memory_equal(b.recs[0].idem_key, key, 16);
	char want[2048];
	snprintf(want, sizeof want,
		 "{\"card\":{\"aid\":\"A0000006581010\",\"auth_code\":\"A1B2C3\",\"batch_no\":\"7\","
		 "\"cvm\":1,\"entry_mode\":7,\"host_rc\":\"00\",\"masked_pan\":\"220012******1234\","
		 "\"mid\":\"123456789012\",\"rrn\":\"612345678901\",\"scheme\":\"MIR\","
		 "\"stan\":\"000042\",\"terminal_dt\":\"20261025143000\",\"tid\":\"00012345\"},"
		 "\"created_ms\":1000,\"currency\":\"643\",\"lines\":[{\"amount\":523416,"
		 "\"payee_inn\":\"5036000000\",\"period\":\"2026-10\",\"pers_acc\":\"12345678\"},"
		 "{\"amount\":100,\"payee_inn\":\"5036000000\",\"period\":\"2026-10\","
		 "\"pers_acc\":\"87654321\"}],\"offline\":false,\"recorded_ms\":3000,\"total\":523516,"
		 "\"txn_id\":\"%s\"}", id);
	if (b.recs[0].body_len != strlen(want) || memcmp(b.recs[0].body, want, strlen(want)))
		print_message("got %.*s\n", (int)b.recs[0].body_len, (const char *)b.recs[0].body);
	assert_int_equal(b.recs[0].body_len, strlen(want));
	assert_memory_equal(b.recs[0].body, want, strlen(want));
	assert_null(strstr((const char *)b.recs[0].body, "slip"));
	outbox_batch_free(&b);
}

static void test_unfinished_list_receipts(void **state)
{
	struct store *s = *state;
	struct journal_line l = line("12345678", 700);
	char a[33], b[33], c[33];
	assert_int_equal(journal_begin(s, &l, 1, 100, a), STORE_OK);
	assert_int_equal(journal_begin(s, &l, 1, 200, b), STORE_OK);
	assert_int_equal(journal_begin(s, &l, 1, 300, c), STORE_OK);
	assert_int_equal(journal_move(s, b, JOURNAL_CANCELLED, NULL, 250), STORE_OK);
	struct journal_card cd = card("220012******1234");
	assert_int_equal(journal_authorize(s, c, &cd, 310), STORE_OK);
	struct journal_payment *p = calloc(5, sizeof *p);
	int n = journal_unfinished(s, p, 5);
	assert_int_equal(n, 2);
	assert_string_equal(p[0].txn_id, a);
	assert_string_equal(p[1].txn_id, c);
	assert_int_equal(p[1].state, JOURNAL_AUTHORIZED);
	assert_int_equal(journal_unfinished(s, p, 1), 1);
	n = journal_list(s, 150, 301, p, 5);
	assert_int_equal(n, 2);
	assert_string_equal(p[0].txn_id, b);
	assert_string_equal(p[1].txn_id, c);
	assert_int_equal(p[1].lines[0].amount, 700);
	assert_int_equal(journal_list(s, 0, 100, p, 5), 0);
	free(p);

	char text[64];
	int64_t printed;
	int reprints;
	assert_int_equal(journal_receipt_get(s, c, text, sizeof text, &printed, &reprints),
			 STORE_ENOTFOUND);
	assert_int_equal(journal_receipt_save(s, c, "ЧЕК 1\n7,00 ₽", 400), STORE_OK);
	assert_int_equal(journal_receipt_save(s, c, "again", 401), STORE_EEXISTS);
	assert_int_equal(journal_receipt_save(s, "0123456789abcdef0123456789abcdef", "x", 401),
			 STORE_ENOTFOUND);
	assert_int_equal(journal_receipt_reprint(s, c, 500), STORE_OK);
	assert_int_equal(journal_receipt_reprint(s, c, 600), STORE_OK);
	assert_int_equal(journal_receipt_reprint(s, a, 600), STORE_ENOTFOUND);
	assert_int_equal(journal_receipt_get(s, c, text, sizeof text, &printed, &reprints), STORE_OK);
	assert_string_equal(text, "ЧЕК 1\n7,00 ₽");
	assert_int_equal(printed, 400);
	assert_int_equal(reprints, 2);
	assert_int_not_equal(sqlite3_exec(store_db(s), "UPDATE receipts SET text = 'forged'",
					  NULL, NULL, NULL), SQLITE_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_machine_table),
		cmocka_unit_test(test_mask),
		cmocka_unit_test_setup_teardown(test_begin_and_history, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_moves_persist_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_begin_rejects_bad_baskets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_payment_record_body, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unfinished_list_receipts, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
