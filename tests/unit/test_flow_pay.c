/* The resident's journey in the pure flow core, with a fake clock and no devices:
 * scan decoding and allow-listing, lookups, the control question and its lock, the
 * amount, the basket, the payment's cancel window, readings validation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "kiosk/bill/epd.h"
#include "kiosk/flow/flow.h"
#include "tests/lib/flow_drive.h"
#include "tests/lib/test_zone.h"

#define DEMO_BILL "ST00012|Name=ООО «МосОблЕИРЦ»|PersonalAcc=40702810640000012345|BankName=ПАО Сбербанк|" \
	"BIC=044525225|CorrespAcc=30101810400000000225|PayeeINN=5037008735|KPP=503701001|persAcc=50012345|" \
	"paymPeriod=102026|Sum=452316|TechCode=02"

static const struct config_allow allow[] = { { "5037008735", "40702810640000012345", "044525225" } };

static void init(void)
{
	struct flow_config cfg = { .inactivity_ms = 60000, .prompt_ms = 20000, .lang = LANG_RU,
				   .max_amount = 50000000, .readings_from_day = 15, .readings_to_day = 25,
				   .allow = allow, .nallow = 1, .agent_name = "ООО «МосОблЕИРЦ»" };
	now = 1000;
	flow_init(&f, &cfg, now);
	f.pinpad_ok = true;
	f.online = true;
}

static struct flow_account_result demo_account(bool details)
{
	struct flow_account_result r = { .status = LOOKUP_FOUND };
	strcpy(r.acct.pers_acc, "50012345");
	strcpy(r.acct.period, "2026-10");
	r.acct.due = r.acct.accrued = 452316;
	r.acct.details = details;
	if (details) {
		strcpy(r.acct.owner_masked, "И***в И. И.");
		r.acct.nmeters = 1;
		struct account_meter *m = &r.acct.meters[0];
		strcpy(m->id, "m1");
		m->digits = 5;
		m->decimals = 3;
		m->last_value_milli = 123456;
		m->max_monthly_milli = 30000;
	}
	return r;
}

static void answer(struct flow_account_result r)
{
	send((struct flow_event){ .type = FE_ACCOUNT, .payload = &r });
}

static void test_scan_lookup(void **st)
{
	(void)st;
	init();
	scan(DEMO_BILL); /* on attract: opens scan and decodes */
	assert_int_equal(f.screen, SCREEN_SCAN);
	assert_true(emitted(FA_LOOKUP_ACCOUNT));
	assert_true(f.busy && f.s.looking_up);
	assert_string_equal(f.s.lookup, "50012345");
	assert_false(f.s.lookup_typed);
	assert_int_equal(f.s.bill_sum, 452316);
	assert_string_equal(f.s.bill_payee_inn, "5037008735");
	answer(demo_account(true));
	assert_int_equal(f.screen, SCREEN_ACCOUNT);
	assert_false(f.busy);
	assert_int_equal(f.s.amount, 452316);

	/* A bill the center does not recognise as today's (no details in the answer): the
	 * control question, never an account screen of zeros. */
	init();
	scan(DEMO_BILL);
	answer(demo_account(false));
	assert_int_equal(f.screen, SCREEN_CONTROL_QUESTION);
	assert_int_equal(f.s.amount, 0);
}

static void test_scan_errors(void **st)
{
	(void)st;
	init();
	tap("pay_bill");
	scan("https://example.org/survey");
	assert_int_equal(f.screen, SCREEN_SCAN);
	assert_string_equal(f.s.error_text, "Это не платёжный QR-код");
	assert_false(emitted(FA_LOOKUP_ACCOUNT));
	/* the shell is told why and how long, to log it (never the bytes) */
	assert_int_equal(out.n, 1);
	assert_int_equal(out.a[0].type, FA_SCAN_REJECTED);
	assert_int_equal(out.a[0].arg, EPD_EBAD_FORMAT_ID);
	assert_int_equal(out.a[0].arg2, (int)strlen("https://example.org/survey"));
	/* Another payee: decodes, but is not allow-listed. */
	char other[600];
	snprintf(other, sizeof other, "%s", DEMO_BILL);
	memcpy(strstr(other, "PayeeINN=") + 9, "7707083893", 10);
	scan(other);
	assert_string_equal(f.s.error_text, "Этот документ нельзя оплатить здесь");
	assert_false(f.busy);
	/* Unknown account: an error, still on scan. */
	scan(DEMO_BILL);
	answer((struct flow_account_result){ .status = LOOKUP_UNKNOWN });
	assert_int_equal(f.screen, SCREEN_SCAN);
	assert_string_equal(f.s.error_key, "error.unknown_account");
	/* Center down and nothing cached: pay by the bill's own data. */
	scan(DEMO_BILL);
	answer((struct flow_account_result){ .status = LOOKUP_UNAVAILABLE });
	assert_int_equal(f.screen, SCREEN_ACCOUNT);
	assert_true(f.s.acct_from_bill);
	assert_int_equal(f.s.acct.due, 452316);
	assert_string_equal(f.s.acct.period, "2026-10");
}

static void test_typed_and_lock(void **st)
{
	(void)st;
	init();
	tap("pay_bill");
	tap("enter_account");
	assert_int_equal(f.screen, SCREEN_ENTER_ACCOUNT);
	type("5001234");
	tap("key_ok");
	assert_string_equal(f.s.error_key, "error.account_digits");
	assert_false(emitted(FA_LOOKUP_ACCOUNT));
	type("59");
	assert_string_equal(f.s.typed, "50012345"); /* at most 8 digits */
	tap("key_ok");
	assert_true(emitted(FA_LOOKUP_ACCOUNT));
	assert_true(f.s.lookup_typed);
	answer(demo_account(false));
	assert_int_equal(f.screen, SCREEN_CONTROL_QUESTION);
	assert_string_equal(f.s.acct.owner_masked, ""); /* nothing personal yet */
	for (int i = 0; i < 2; i++) {
		type("1000");
		tap("key_ok");
		assert_true(emitted(FA_VERIFY_ANSWER));
		answer((struct flow_account_result){ .status = LOOKUP_WRONG_ANSWER, .attempts_left = 2 - i });
		assert_int_equal(f.screen, SCREEN_CONTROL_QUESTION);
		assert_int_equal(f.s.attempts_left, 2 - i);
	}
	type("1000");
	tap("key_ok");
	answer((struct flow_account_result){ .status = LOOKUP_WRONG_ANSWER, .attempts_left = 0 });
	assert_int_equal(f.screen, SCREEN_ENTER_ACCOUNT);
	assert_string_equal(f.s.error_key, "error.account_locked");
	/* Locked on this kiosk for 15 minutes, even in a new session. */
	tap("home");
	tap("pay_bill");
	tap("enter_account");
	type("50012345");
	tap("key_ok");
	assert_false(emitted(FA_LOOKUP_ACCOUNT));
	assert_string_equal(f.s.error_key, "error.account_locked");
	now += 15 * 60 * 1000;
	tap("key_ok");
	assert_true(emitted(FA_LOOKUP_ACCOUNT));
	/* The right answer shows the account. */
	answer(demo_account(false));
	type("452316");
	tap("key_ok");
	answer(demo_account(true));
	assert_int_equal(f.screen, SCREEN_ACCOUNT);
	assert_string_equal(f.s.acct.owner_masked, "И***в И. И.");
}

static void to_account(void)
{
	init();
	scan(DEMO_BILL);
	answer(demo_account(true));
}

static void test_amount_and_basket(void **st)
{
	(void)st;
	to_account();
	tap("change_amount");
	tap("key_ok");
	assert_int_equal(f.screen, SCREEN_AMOUNT); /* nothing typed: ok does nothing */
	type("0");
	assert_string_equal(f.s.amount_typed, ""); /* no leading zero */
	type("5000000001");
	tap("key_ok");
	assert_string_equal(f.s.error_key, "error.amount_too_big");
	for (int i = 0; i < 10; i++)
		tap("key_del");
	type("150000");
	tap("key_ok");
	assert_int_equal(f.screen, SCREEN_ACCOUNT);
	assert_int_equal(f.s.amount, 150000);
	tap("pay");
	assert_int_equal(f.screen, SCREEN_CONFIRM); /* one bill: straight to the confirmation */
	assert_int_equal(f.s.nlines, 1);
	assert_int_equal(f.s.total, 150000);
	tap("back");
	assert_int_equal(f.screen, SCREEN_ACCOUNT);
	assert_int_equal(f.s.nlines, 0); /* nothing in the payment until `pay` again */
	/* add_bill keeps this bill; the same account again replaces its line; another adds one. */
	tap("add_bill");
	assert_int_equal(f.screen, SCREEN_SCAN);
	assert_int_equal(f.s.nlines, 1);
	assert_int_equal(f.s.total, 150000);
	scan(DEMO_BILL);
	answer(demo_account(true));
	tap("pay");
	assert_int_equal(f.screen, SCREEN_CONFIRM); /* still one bill */
	assert_int_equal(f.s.nlines, 1);
	assert_int_equal(f.s.total, 452316);
	tap("back");
	tap("add_bill");
	scan(DEMO_BILL);
	struct flow_account_result b = demo_account(true);
	strcpy(b.acct.pers_acc, "50098765");
	b.acct.due = 121000;
	answer(b);
	tap("pay");
	assert_int_equal(f.screen, SCREEN_BASKET); /* the second bill: the basket with both */
	assert_int_equal(f.s.nlines, 2);
	assert_int_equal(f.s.total, 573316);
	tap("checkout");
	assert_int_equal(f.screen, SCREEN_CONFIRM);
	tap("back");
	assert_int_equal(f.screen, SCREEN_BASKET); /* back where the resident came from */
	assert_int_equal(f.s.nlines, 2);
	tap("remove_0");
	assert_int_equal(f.s.nlines, 1);
	assert_string_equal(f.s.lines[0].acct.pers_acc, "50098765");
	assert_int_equal(f.s.total, 121000);
}

static void test_payment_cancel_window(void **st)
{
	(void)st;
	to_account();
	tap("pay");
	assert_int_equal(f.screen, SCREEN_CONFIRM);
	tap("confirm_pay");
	assert_true(emitted(FA_PAY));
	assert_int_equal(f.screen, SCREEN_PAYMENT);
	assert_true(f.busy);
	tap("home");
	assert_int_equal(f.screen, SCREEN_PAYMENT); /* never abandoned mid-payment */
	send((struct flow_event){ .type = FE_PAY_PROGRESS, .code = PAY_ONLINE });
	tap("cancel");
	assert_false(emitted(FA_PAY_CANCEL)); /* the bank is asked: too late to cancel */
	struct flow_pay_result r = { .outcome = PAY_APPROVED, .txn_id = "abc" };
	send((struct flow_event){ .type = FE_PAY_RESULT, .payload = &r });
	assert_int_equal(f.screen, SCREEN_PAYMENT_RESULT);
	assert_true(emitted(FA_PRINT_RECEIPT));
	assert_false(f.busy);
	tap("done");
	assert_int_equal(f.screen, SCREEN_ATTRACT);
	assert_int_equal(f.s.nlines, 0); /* wiped */
	assert_string_equal(f.s.acct.pers_acc, "");

	to_account();
	tap("pay");
	tap("confirm_pay");
	send((struct flow_event){ .type = FE_PAY_PROGRESS, .code = PAY_PRESENT_CARD });
	tap("cancel");
	assert_true(emitted(FA_PAY_CANCEL));
	tap("cancel");
	assert_false(emitted(FA_PAY_CANCEL)); /* once */
	r = (struct flow_pay_result){ .outcome = PAY_CANCELLED };
	send((struct flow_event){ .type = FE_PAY_RESULT, .payload = &r });
	assert_false(emitted(FA_PRINT_RECEIPT));
	tap("try_again");
	assert_int_equal(f.screen, SCREEN_CONFIRM);
}

/* An open outcome (the link dropped after the SALE went out) offers no second try and
 * takes the settled outcome of the same sale only: approved prints the receipt. */
static void test_payment_unknown_outcome(void **st)
{
	(void)st;
	to_account();
	tap("pay");
	tap("confirm_pay");
	struct flow_pay_result r = { .outcome = PAY_UNKNOWN, .txn_id = "t1" };
	send((struct flow_event){ .type = FE_PAY_RESULT, .payload = &r });
	assert_int_equal(f.screen, SCREEN_PAYMENT_RESULT);
	assert_false(emitted(FA_PRINT_RECEIPT));
	tap("try_again");
	assert_int_equal(f.screen, SCREEN_PAYMENT_RESULT); /* a second charge is not offered */
	assert_false(flow_pay_retryable(PAY_UNKNOWN));
	assert_false(flow_pay_retryable(PAY_NEEDS_OPERATOR));
	assert_false(flow_pay_retryable(PAY_APPROVED));
	assert_true(flow_pay_retryable(PAY_DECLINED));
	/* another sale's settlement is not this one's */
	struct flow_pay_result other = { .outcome = PAY_FAILED, .txn_id = "t0" };
	send((struct flow_event){ .type = FE_PAY_RESULT, .payload = &other });
	assert_int_equal(f.s.pay.outcome, PAY_UNKNOWN);
	struct flow_pay_result done = { .outcome = PAY_APPROVED, .txn_id = "t1", .auth_code = "A00001" };
	send((struct flow_event){ .type = FE_PAY_RESULT, .payload = &done });
	assert_int_equal(f.s.pay.outcome, PAY_APPROVED);
	assert_string_equal(f.s.pay.auth_code, "A00001");
	assert_true(emitted(FA_PRINT_RECEIPT));
	/* a settled outcome is not replaced */
	send((struct flow_event){ .type = FE_PAY_RESULT, .payload = &other });
	assert_int_equal(f.s.pay.outcome, PAY_APPROVED);
	tap("done");
	assert_int_equal(f.screen, SCREEN_ATTRACT);
}

static void test_readings(void **st)
{
	(void)st;
	struct account_meter m = { .digits = 5, .decimals = 3, .last_value_milli = 123456, .max_monthly_milli = 30000 };
	struct flow_reading r = { .value_milli = 130000, .entered = true };
	assert_int_equal(flow_reading_check(&m, &r), 0);
	r.value_milli = 100000;
	assert_int_equal(flow_reading_check(&m, &r), 1); /* lower */
	r.confirm_rollover = true;
	assert_int_equal(flow_reading_check(&m, &r), 2); /* a rollover of 99 900 m³ is implausible */
	r.confirm_jump = true;
	assert_int_equal(flow_reading_check(&m, &r), 0);
	m.last_value_milli = 99999000; /* 99 999,000: a rollover to 5,000 is 6 m³ */
	r = (struct flow_reading){ .value_milli = 5000, .entered = true, .confirm_rollover = true };
	assert_int_equal(flow_reading_check(&m, &r), 0);
	r = (struct flow_reading){ .value_milli = 99999000 + 40000, .entered = true };
	assert_int_equal(flow_reading_check(&m, &r), 2); /* 40 m³ > 30 */

	/* The window: 2026-11-20 12:00 Moscow is open, 2026-11-26 02:30 Moscow is not. */
	to_account();
	f.wall_ms = 1795165200000; /* 2026-11-20 09:00 UTC */
	assert_true(flow_readings_open(&f));
	f.wall_ms = 1795649400000; /* 2026-11-25 23:30 UTC = 26th 02:30 Moscow */
	assert_false(flow_readings_open(&f));
	f.wall_ms = 1795165200000;
	tap("submit_readings");
	assert_int_equal(f.screen, SCREEN_READINGS);
	assert_int_equal(f.s.focus_meter, 0);
	type("123"); /* 123,000 < 123,456 */
	tap("key_ok");
	tap("send");
	assert_false(emitted(FA_SUBMIT_READINGS));
	tap("confirm_rollover_m1");
	tap("confirm_jump_m1");
	tap("send");
	const struct flow_action *a = emitted(FA_SUBMIT_READINGS);
	assert_non_null(a); /* what the worker stores: the entered reading, as confirmed */
	assert_string_equal(a->p.readings.pers_acc, "50012345");
	assert_int_equal(a->p.readings.n, 1);
	assert_string_equal(a->p.readings.r[0].meter.id, "m1");
	assert_int_equal(a->p.readings.r[0].meter.last_value_milli, 123456);
	assert_int_equal(a->p.readings.r[0].value_milli, 123000);
	assert_true(a->p.readings.r[0].confirm_rollover);
	assert_true(f.busy);
	send((struct flow_event){ .type = FE_READINGS_SAVED, .code = 0 });
	assert_int_equal(f.screen, SCREEN_READINGS_DONE);
	assert_true(emitted(FA_PRINT_READINGS));
}

/* Without a card terminal the account's pay buttons do nothing (they are not drawn). */
static void test_pay_needs_pinpad(void **st)
{
	(void)st;
	to_account();
	f.pinpad_ok = false;
	tap("pay");
	assert_int_equal(f.screen, SCREEN_ACCOUNT);
	tap("add_bill");
	assert_int_equal(f.screen, SCREEN_ACCOUNT);
	assert_int_equal(f.s.nlines, 0);
	f.pinpad_ok = true;
	f.s.amount = 0; /* nothing due: the amount first, as before */
	tap("add_bill");
	assert_int_equal(f.screen, SCREEN_AMOUNT);
	assert_int_equal(f.s.nlines, 0);
}

/* What the resident is told: "not charged" only where the PIN-pad said nothing was taken;
 * a reversal after an approval, or a cashier's case, is "not completed" with a notice
 * (test_pay_told checks which PIN-pad outcome becomes which of these). */
static void test_outcomes_told(void **st)
{
	(void)st;
	assert_false(flow_pay_nothing_taken(PAY_REVERSED) || flow_pay_nothing_taken(PAY_NEEDS_OPERATOR) ||
		     flow_pay_nothing_taken(PAY_UNKNOWN) || flow_pay_nothing_taken(PAY_APPROVED));
	assert_true(flow_pay_nothing_taken(PAY_DECLINED));
	assert_true(flow_pay_nothing_taken(PAY_CANCELLED));
	assert_false(flow_pay_retryable(PAY_REVERSED));
	assert_true(flow_pay_held(PAY_REVERSED) && flow_pay_held(PAY_NEEDS_OPERATOR) && flow_pay_held(PAY_UNKNOWN));
	assert_false(flow_pay_held(PAY_FAILED));
	struct flow_pay_result r = { .outcome = PAY_REVERSED };
	assert_string_equal(flow_pay_title_key(&r), "result.held");
	assert_string_equal(flow_pay_why_key(&r), "result.reversed_text");
	r.outcome = PAY_NEEDS_OPERATOR;
	assert_string_equal(flow_pay_title_key(&r), "result.held");
	char op[FLOW_OP_NUMBER_LEN];
	assert_string_equal(flow_pay_op_number("0a1b2c3d4e5f", op), "0A1B2C3D");
	assert_string_equal(flow_pay_op_number("ab", op), "AB");

	/* A reversal prints the notice once; no receipt. */
	to_account();
	tap("pay");
	tap("confirm_pay");
	r = (struct flow_pay_result){ .outcome = PAY_REVERSED, .txn_id = "t9" };
	send((struct flow_event){ .type = FE_PAY_RESULT, .payload = &r });
	assert_int_equal(f.screen, SCREEN_PAYMENT_RESULT);
	assert_true(emitted(FA_PRINT_NOTICE));
	assert_false(emitted(FA_PRINT_RECEIPT));
	assert_int_equal(f.s.print_status, -1);
	tap("try_again");
	assert_int_equal(f.screen, SCREEN_PAYMENT_RESULT); /* no second hold offered */
	send((struct flow_event){ .type = FE_PRINT_RESULT, .code = PRINT_OK });
	assert_int_equal(f.s.print_status, PRINT_OK);

	/* Being checked prints nothing yet; settled for the cashier, the notice once. */
	to_account();
	tap("pay");
	tap("confirm_pay");
	r = (struct flow_pay_result){ .outcome = PAY_UNKNOWN, .txn_id = "t1" };
	send((struct flow_event){ .type = FE_PAY_RESULT, .payload = &r });
	assert_false(emitted(FA_PRINT_NOTICE));
	r.outcome = PAY_NEEDS_OPERATOR;
	send((struct flow_event){ .type = FE_PAY_RESULT, .payload = &r });
	assert_int_equal(f.s.pay.outcome, PAY_NEEDS_OPERATOR);
	assert_true(emitted(FA_PRINT_NOTICE));
	send((struct flow_event){ .type = FE_PAY_RESULT, .payload = &r });
	assert_false(emitted(FA_PRINT_NOTICE)); /* settled: not replaced, not printed twice */

	/* A decline prints nothing. */
	to_account();
	tap("pay");
	tap("confirm_pay");
	r = (struct flow_pay_result){ .outcome = PAY_DECLINED, .host_rc = "51", .txn_id = "t2" };
	send((struct flow_event){ .type = FE_PAY_RESULT, .payload = &r });
	assert_false(emitted(FA_PRINT_NOTICE));
	assert_false(emitted(FA_PRINT_RECEIPT));
}

/* Home or Back during a lookup cancels it and goes there; its late answer is not shown. */
/* Each action carries what its worker needs, copied when it is emitted (the shell never
 * reads the flow): the lookup, the basket of a sale, the txn of its receipt. */
static void test_payloads(void **st)
{
	(void)st;
	init();
	scan(DEMO_BILL);
	const struct flow_action *a = emitted(FA_LOOKUP_ACCOUNT);
	assert_non_null(a);
	assert_string_equal(a->p.lookup.pers_acc, "50012345");
	assert_false(a->p.lookup.typed);
	assert_int_equal(a->p.lookup.bill_sum, 452316);
	answer(demo_account(true));
	tap("pay");
	tap("confirm_pay");
	a = emitted(FA_PAY);
	assert_non_null(a);
	assert_int_equal(a->p.pay.nlines, 1);
	assert_string_equal(a->p.pay.lines[0].pers_acc, "50012345");
	assert_string_equal(a->p.pay.lines[0].period, "2026-10");
	assert_int_equal(a->p.pay.lines[0].amount, 452316);
	assert_string_equal(a->p.pay.lines[0].payee_inn, "5037008735");
	assert_string_equal(a->p.pay.contact, ""); /* no e-receipt asked for */
	struct flow_pay_result r = { .outcome = PAY_APPROVED, .txn_id = "0123456789abcdef0123456789abcdef" };
	send((struct flow_event){ .type = FE_PAY_RESULT, .payload = &r });
	a = emitted(FA_PRINT_RECEIPT);
	assert_non_null(a);
	assert_string_equal(a->p.txn.txn_id, "0123456789abcdef0123456789abcdef");
}

static void test_lookup_leave(void **st)
{
	(void)st;
	init();
	scan(DEMO_BILL);
	assert_true(f.s.looking_up && f.busy);
	tap("home");
	assert_true(emitted(FA_LOOKUP_CANCEL));
	assert_int_equal(f.screen, SCREEN_ATTRACT);
	assert_false(f.busy);
	answer(demo_account(true));
	assert_int_equal(f.screen, SCREEN_ATTRACT);

	init();
	tap("pay_bill");
	tap("enter_account");
	type("50012345");
	tap("key_ok");
	assert_true(f.s.looking_up);
	tap("back");
	assert_true(emitted(FA_LOOKUP_CANCEL));
	assert_int_equal(f.screen, SCREEN_SCAN);
	assert_false(f.s.looking_up || f.busy);
	answer(demo_account(false));
	assert_int_equal(f.screen, SCREEN_SCAN); /* not the control question */

	/* Back with no lookup under way cancels nothing. */
	tap("enter_account");
	tap("back");
	assert_false(emitted(FA_LOOKUP_CANCEL));
	assert_int_equal(f.screen, SCREEN_SCAN);
}

/* The payment screen's clocks: since the sale started (the bank's wait) and since the
 * current step began (the card's countdown). */
static void test_payment_clocks(void **st)
{
	(void)st;
	to_account();
	tap("pay");
	tap("confirm_pay");
	int64_t started = now;
	assert_true(f.s.pay_started_ms == started && f.s.pay_progress_ms == started);
	send((struct flow_event){ .type = FE_PAY_PROGRESS, .code = PAY_PRESENT_CARD });
	int64_t card = now;
	assert_true(f.s.pay_progress_ms == card);
	send((struct flow_event){ .type = FE_PAY_PROGRESS, .code = PAY_PRESENT_CARD });
	assert_true(f.s.pay_progress_ms == card); /* the same step again: the countdown goes on */
	send((struct flow_event){ .type = FE_PAY_PROGRESS, .code = PAY_ONLINE });
	assert_true(f.s.pay_progress_ms == now && f.s.pay_started_ms == started);
}

/* A printer problem the flow knows of is said on the confirmation, before the card. */
static void test_printer_warning(void **st)
{
	(void)st;
	to_account();
	assert_null(flow_confirm_printer_key(&f));
	send((struct flow_event){ .type = FE_PRINTER_STATUS, .code = PRINTER_STATE_NEAR_END });
	assert_null(flow_confirm_printer_key(&f)); /* low paper still prints */
	send((struct flow_event){ .type = FE_PRINTER_STATUS, .code = PRINTER_STATE_PAPER_OUT });
	assert_string_equal(flow_confirm_printer_key(&f), "confirm.no_paper");
	send((struct flow_event){ .type = FE_PRINTER_STATUS, .code = PRINTER_STATE_OFFLINE });
	assert_string_equal(flow_confirm_printer_key(&f), "confirm.printer_down");
	send((struct flow_event){ .type = FE_PRINTER_STATUS, .code = PRINTER_STATE_COVER_OPEN });
	assert_string_equal(flow_confirm_printer_key(&f), "confirm.printer_down");
	tap("pay");
	assert_int_equal(f.screen, SCREEN_CONFIRM); /* a warning, not a refusal */
	send((struct flow_event){ .type = FE_PRINTER_STATUS, .code = PRINTER_STATE_OK });
	assert_null(flow_confirm_printer_key(&f));
}

/* Why attract cannot take payments: staff's reason, or the PIN-pad; nothing otherwise. */
static void test_oos_why(void **st)
{
	(void)st;
	init();
	assert_null(flow_oos_why_key(&f));
	send((struct flow_event){ .type = FE_PINPAD_STATUS, .code = 0 });
	assert_null(flow_oos_why_key(&f)); /* a handshake's moment is not out of service */
	int64_t d = flow_next_deadline(&f, now);
	assert_true(d > 0 && d <= FLOW_CARDS_GRACE_MS);
	now += FLOW_CARDS_GRACE_MS - 200;
	send((struct flow_event){ .type = FE_TICK });
	assert_null(flow_oos_why_key(&f));
	now += 200;
	send((struct flow_event){ .type = FE_TICK });
	assert_string_equal(flow_oos_why_key(&f), "oos.why.pinpad_down");
	send((struct flow_event){ .type = FE_PINPAD_STATUS, .code = 0 }); /* again: no new grace */
	assert_string_equal(flow_oos_why_key(&f), "oos.why.pinpad_down");
	f.staff.out_of_service = true;
	strcpy(f.staff.reason, "no_paper");
	assert_string_equal(flow_oos_why_key(&f), "oos.why.no_paper");
	strcpy(f.staff.reason, "network");
	assert_string_equal(flow_oos_why_key(&f), "oos.why.network");
	send((struct flow_event){ .type = FE_PINPAD_STATUS, .code = 1 });
	assert_string_equal(flow_oos_why_key(&f), "oos.why.network");
	f.staff.out_of_service = false;
	assert_null(flow_oos_why_key(&f)); /* the PIN-pad back: payments again at once */
}

int main(void)
{
	test_zone("Europe/Moscow");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan_lookup),
		cmocka_unit_test(test_scan_errors),
		cmocka_unit_test(test_typed_and_lock),
		cmocka_unit_test(test_amount_and_basket),
		cmocka_unit_test(test_payment_cancel_window),
		cmocka_unit_test(test_payment_unknown_outcome),
		cmocka_unit_test(test_readings),
		cmocka_unit_test(test_pay_needs_pinpad),
		cmocka_unit_test(test_outcomes_told),
		cmocka_unit_test(test_payloads),
		cmocka_unit_test(test_lookup_leave),
		cmocka_unit_test(test_payment_clocks),
		cmocka_unit_test(test_printer_warning),
		cmocka_unit_test(test_oos_why),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
