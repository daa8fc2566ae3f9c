/* The history and bill-copy screens of the flow core: reached from the account only with
 * proof (a scanned bill's details, or a typed number after the control answer), the
 * period filter, a late answer ignored, and everything wiped on the way to attract. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "kiosk/flow/flow.h"

static struct flow f;
static struct flow_out out;
static int64_t now;
static const struct config_allow allow = { "5037008735", "40702810640000012345", "044525225" };
static const char bill[] = "ST00012|Name=ООО «МосОблЕИРЦ»|PersonalAcc=40702810640000012345|BankName=ПАО Сбербанк|"
			   "BIC=044525225|CorrespAcc=30101810400000000225|PayeeINN=5037008735|KPP=503701001|"
			   "persAcc=50012345|paymPeriod=102026|Sum=452316|TechCode=02";

static void setup_flow(void)
{
	struct flow_config cfg = { .inactivity_ms = 60000, .prompt_ms = 20000, .lang = LANG_RU, .max_amount = 15000000,
				   .allow = &allow, .nallow = 1 };
	now = 1000000;
	flow_init(&f, &cfg, now);
}

static void ev(const struct flow_event *e)
{
	memset(&out, 0, sizeof out);
	flow_handle(&f, e, now, &out);
	assert_int_equal(out.dropped, 0); /* a full action queue is a bug */
}

static void tap(const char *id) { ev(&(struct flow_event){ .type = FE_TAP, .widget = id }); }

static bool emitted(enum flow_action_type t)
{
	for (int i = 0; i < out.n; i++)
		if (out.a[i].type == t)
			return true;
	return false;
}

static void answer(enum flow_lookup_status st, bool details)
{
	struct flow_account_result r = { .status = st };
	snprintf(r.acct.pers_acc, sizeof r.acct.pers_acc, "%s", f.s.lookup);
	snprintf(r.acct.period, sizeof r.acct.period, "2026-10");
	r.acct.details = details;
	r.acct.due = r.acct.accrued = 452316;
	if (details) {
		snprintf(r.acct.owner_masked, sizeof r.acct.owner_masked, "И***в И. И.");
		r.acct.nservices = 1;
	}
	ev(&(struct flow_event){ .type = FE_ACCOUNT, .payload = &r });
}

static void scanned_account(void)
{
	setup_flow();
	ev(&(struct flow_event){ .type = FE_SCAN, .data = (const uint8_t *)bill, .len = strlen(bill) });
	assert_true(emitted(FA_LOOKUP_ACCOUNT));
	answer(LOOKUP_FOUND, true);
	assert_int_equal(f.screen, SCREEN_ACCOUNT);
}

static void test_history_from_scanned_bill(void **st)
{
	(void)st;
	scanned_account();
	tap("history");
	assert_int_equal(f.screen, SCREEN_HISTORY);
	assert_true(emitted(FA_LOOKUP_HISTORY));
	assert_true(f.s.history_loading);
	assert_int_equal(f.s.history_months, 12);

	static struct payhist h;
	memset(&h, 0, sizeof h);
	h.online = true;
	h.n = 2;
	h.e[0] = (struct payhist_entry){ .date_ms = 5, .amount = 452316, .status = PAYHIST_IN_TRANSIT };
	h.e[1] = (struct payhist_entry){ .date_ms = 4, .amount = 441000, .where = PAYHIST_BANK };
	ev(&(struct flow_event){ .type = FE_HISTORY, .payload = &h });
	assert_false(f.s.history_loading);
	assert_int_equal(f.s.history.n, 2);
	assert_int_equal(f.s.history.e[0].amount, 452316);
	/* A second (stale) answer is not taken. */
	h.n = 0;
	ev(&(struct flow_event){ .type = FE_HISTORY, .payload = &h });
	assert_int_equal(f.s.history.n, 2);

	tap("period_3");
	assert_int_equal(f.s.history_months, 3);
	tap("period_6");
	assert_int_equal(f.s.history_months, 6);
	tap("period_12");
	assert_int_equal(f.s.history_months, 12);
	tap("back");
	assert_int_equal(f.screen, SCREEN_ACCOUNT);
	assert_int_equal(f.s.history.n, 0); /* not kept once left */

	/* Leaving for attract wipes it all. */
	tap("history");
	h.n = 1;
	ev(&(struct flow_event){ .type = FE_HISTORY, .payload = &h });
	assert_int_equal(f.s.history.n, 1);
	tap("home");
	assert_int_equal(f.screen, SCREEN_ATTRACT);
	assert_true(emitted(FA_WIPE_SESSION));
	assert_int_equal(f.s.history.n, 0);
	assert_string_equal(f.s.acct.pers_acc, "");
	/* An answer that arrives after the wipe is ignored. */
	ev(&(struct flow_event){ .type = FE_HISTORY, .payload = &h });
	assert_int_equal(f.s.history.n, 0);
}

static void test_bill_copy(void **st)
{
	(void)st;
	scanned_account();
	tap("print_bill");
	assert_int_equal(f.screen, SCREEN_BILL_COPY);
	assert_true(emitted(FA_PRINT_BILL));
	assert_int_equal(f.s.print_status, -1);
	ev(&(struct flow_event){ .type = FE_PRINT_RESULT, .code = PRINT_OK });
	assert_int_equal(f.s.print_status, PRINT_OK);
	tap("back");
	assert_int_equal(f.screen, SCREEN_ACCOUNT);
	tap("print_bill");
	tap("done");
	assert_int_equal(f.screen, SCREEN_ATTRACT);
	assert_true(emitted(FA_WIPE_SESSION));
}

/* The screens time out like the others: prompt, then attract with the session wiped. */
static void test_timeouts(void **st)
{
	(void)st;
	scanned_account();
	tap("history");
	now += 60000;
	ev(&(struct flow_event){ .type = FE_TICK });
	assert_true(f.prompt_since_ms != 0);
	now += 20000;
	ev(&(struct flow_event){ .type = FE_TICK });
	assert_int_equal(f.screen, SCREEN_ATTRACT);
	assert_true(emitted(FA_WIPE_SESSION));
	assert_string_equal(f.s.acct.pers_acc, "");

	scanned_account();
	tap("print_bill");
	now += 45000;
	ev(&(struct flow_event){ .type = FE_TICK });
	now += 20000;
	ev(&(struct flow_event){ .type = FE_TICK });
	assert_int_equal(f.screen, SCREEN_ATTRACT);
}

/* A typed number: the control question comes first; only after the right answer do the
 * history and the bill copy open. */
static void test_typed_needs_answer(void **st)
{
	(void)st;
	setup_flow();
	tap("pay_bill");
	tap("enter_account");
	const char *digits = "50012345";
	for (const char *p = digits; *p; p++) {
		char id[8] = { 'k', 'e', 'y', '_', *p, 0 };
		tap(id);
	}
	tap("key_ok");
	assert_true(emitted(FA_LOOKUP_ACCOUNT));
	answer(LOOKUP_FOUND, false);
	assert_int_equal(f.screen, SCREEN_CONTROL_QUESTION);
	/* The buttons do nothing here. */
	tap("history");
	tap("print_bill");
	assert_int_equal(f.screen, SCREEN_CONTROL_QUESTION);
	assert_false(emitted(FA_LOOKUP_HISTORY));
	assert_false(emitted(FA_PRINT_BILL));
	tap("key_4");
	tap("key_ok");
	assert_true(emitted(FA_VERIFY_ANSWER));
	answer(LOOKUP_FOUND, true);
	assert_int_equal(f.screen, SCREEN_ACCOUNT);
	tap("history");
	assert_int_equal(f.screen, SCREEN_HISTORY);
	assert_true(emitted(FA_LOOKUP_HISTORY));
}

/* Defence in depth: an account on screen without details (never reached that way today)
 * opens neither. */
static void test_no_details_no_history(void **st)
{
	(void)st;
	scanned_account();
	f.s.acct.details = false;
	f.s.acct_from_bill = false;
	tap("history");
	tap("print_bill");
	assert_int_equal(f.screen, SCREEN_ACCOUNT);
	assert_false(emitted(FA_LOOKUP_HISTORY));
	assert_false(emitted(FA_PRINT_BILL));
	/* Offline from the bill alone: the history (local rows), not the copy (no services). */
	f.s.acct_from_bill = true;
	tap("print_bill");
	assert_int_equal(f.screen, SCREEN_ACCOUNT);
	tap("history");
	assert_int_equal(f.screen, SCREEN_HISTORY);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_history_from_scanned_bill),
		cmocka_unit_test(test_bill_copy),
		cmocka_unit_test(test_timeouts),
		cmocka_unit_test(test_typed_needs_answer),
		cmocka_unit_test(test_no_details_no_history),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
