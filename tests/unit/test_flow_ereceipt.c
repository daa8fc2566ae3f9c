/* The e-receipt address asked before the card (a fiscal register: it goes on the receipt as
 * tag 1008) in the pure flow core: the button only with cfg.ereceipt_first, a bad phone
 * refused, a good one kept (nothing queued) and given as "+7…", an e-mail as typed, "back"
 * dropping it, the result saying it is sent; and the old way after the payment unchanged. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "kiosk/flow/flow.h"
#include "tests/lib/flow_drive.h"
#include "tests/lib/test_zone.h"

#define DEMO_BILL "ST00012|Name=ООО «МосОблЕИРЦ»|PersonalAcc=40702810640000012345|BankName=ПАО Сбербанк|" \
	"BIC=044525225|CorrespAcc=30101810400000000225|PayeeINN=5037008735|KPP=503701001|persAcc=50012345|" \
	"paymPeriod=102026|Sum=452316|TechCode=02"

static const struct config_allow allow[] = { { "5037008735", "40702810640000012345", "044525225" } };

static void press(const char *keys, const char *prefix)
{
	for (const char *p = keys; *p; p++) {
		char id[16];
		snprintf(id, sizeof id, "%s%c", prefix, *p);
		tap(id);
	}
}

/* To `confirm` with the demo bill; the basket step is there or not (one bill may go
 * straight to confirm). */
static void to_confirm(bool ereceipt_first)
{
	struct flow_config cfg = { .inactivity_ms = 60000, .prompt_ms = 20000, .lang = LANG_RU,
				   .max_amount = 50000000, .allow = allow, .nallow = 1,
				   .agent_name = "ООО «МосОблЕИРЦ»", .ereceipt_first = ereceipt_first };
	now = 1000;
	flow_init(&f, &cfg, now);
	f.pinpad_ok = true;
	f.online = true;
	const char *bill = DEMO_BILL;
	send((struct flow_event){ .type = FE_SCAN, .data = (const uint8_t *)bill, .len = strlen(bill) });
	struct flow_account_result r = { .status = LOOKUP_FOUND };
	strcpy(r.acct.pers_acc, "50012345");
	strcpy(r.acct.period, "2026-10");
	r.acct.due = r.acct.accrued = 452316;
	r.acct.details = true;
	send((struct flow_event){ .type = FE_ACCOUNT, .payload = &r });
	tap("pay");
	if (f.screen == SCREEN_BASKET)
		tap("checkout");
	assert_int_equal(f.screen, SCREEN_CONFIRM);
}

static void approve(void)
{
	struct flow_pay_result r = { .outcome = PAY_APPROVED, .txn_id = "abc" };
	send((struct flow_event){ .type = FE_PAY_RESULT, .payload = &r });
	assert_int_equal(f.screen, SCREEN_PAYMENT_RESULT);
}

static void test_phone_before_card(void **st)
{
	(void)st;
	char c[80];
	to_confirm(true);
	flow_ereceipt_contact(&f, c, sizeof c);
	assert_string_equal(c, "");
	tap("ereceipt");
	assert_int_equal(f.screen, SCREEN_ERECEIPT);
	press("916123", "key_");
	tap("send_ereceipt");
	assert_string_equal(f.s.error_key, "error.bad_phone");
	assert_int_equal(f.screen, SCREEN_ERECEIPT);
	press("4567", "key_");
	tap("send_ereceipt");
	assert_false(emitted(FA_SEND_ERECEIPT)); /* it goes with the receipt, not to the outbox */
	assert_int_equal(f.screen, SCREEN_CONFIRM);
	flow_ereceipt_contact(&f, c, sizeof c);
	assert_string_equal(c, "+79161234567");
	tap("confirm_pay");
	assert_true(emitted(FA_PAY));
	approve();
	assert_true(f.s.ereceipt_sent); /* the result says so; no second offer */
	tap("ereceipt");
	assert_int_equal(f.screen, SCREEN_PAYMENT_RESULT);
}

static void test_email_and_back(void **st)
{
	(void)st;
	char c[80];
	to_confirm(true);
	tap("ereceipt");
	tap("contact_email");
	press("a@b.ru", "kb_");
	tap("send_ereceipt");
	assert_int_equal(f.screen, SCREEN_CONFIRM);
	flow_ereceipt_contact(&f, c, sizeof c);
	assert_string_equal(c, "a@b.ru");
	/* asked again and left with "back": no e-receipt at all */
	tap("ereceipt");
	press("x@y.ru", "kb_");
	tap("back");
	assert_int_equal(f.screen, SCREEN_CONFIRM);
	flow_ereceipt_contact(&f, c, sizeof c);
	assert_string_equal(c, "");
	tap("confirm_pay");
	approve();
	assert_false(f.s.ereceipt_sent);
}

static void test_without_register(void **st)
{
	(void)st;
	char c[80];
	to_confirm(false);
	tap("ereceipt");
	assert_int_equal(f.screen, SCREEN_CONFIRM); /* no such button without a register */
	tap("confirm_pay");
	approve();
	tap("ereceipt"); /* after the payment, as before: an outbox record */
	assert_int_equal(f.screen, SCREEN_ERECEIPT);
	press("9161234567", "key_");
	tap("send_ereceipt");
	assert_true(emitted(FA_SEND_ERECEIPT));
	flow_ereceipt_contact(&f, c, sizeof c);
	assert_string_equal(c, "");
	send((struct flow_event){ .type = FE_QUEUED, .code = 0 });
	assert_int_equal(f.screen, SCREEN_PAYMENT_RESULT);
	assert_true(f.s.ereceipt_sent);
}

int main(void)
{
	test_zone("Europe/Moscow");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_phone_before_card),
		cmocka_unit_test(test_email_and_back),
		cmocka_unit_test(test_without_register),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
