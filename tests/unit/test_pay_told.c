/* kiosk/svc/pay_told: every PIN-pad outcome to what the resident is told.  "Not charged"
 * (declined, cancelled, timeout, failed before a txn existed) only where the PIN-pad said
 * nothing was taken; with a txn id an unanswered request is "being checked", never "not
 * paid"; a reversal after an approval is "not completed"; a failed CONFIRM is a cashier's
 * case; a sale's APPROVED is no answer yet (the receipt and CONFIRM come first). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "kiosk/svc/pay_told.h"

static void told(enum pinpad_outcome o, bool has_txn, bool timeout, enum flow_pay_outcome want, const char *key)
{
	struct pay_told t = pay_told_outcome(o, has_txn, timeout);
	assert_int_equal(t.outcome, want);
	if (key)
		assert_string_equal(t.text_key, key);
	else
		assert_null(t.text_key);
}

static void test_outcomes(void **st)
{
	(void)st;
	told(PINPAD_OUT_PAID, true, false, PAY_APPROVED, NULL);
	told(PINPAD_OUT_DECLINED, true, false, PAY_DECLINED, NULL);
	told(PINPAD_OUT_CANCELLED, true, false, PAY_CANCELLED, NULL);
	told(PINPAD_OUT_CANCELLED, true, true, PAY_TIMEOUT, NULL);
	told(PINPAD_OUT_NOT_PAID, true, false, PAY_REVERSED, NULL);
	told(PINPAD_OUT_NOT_RECORDED, true, false, PAY_REVERSED, "result.not_recorded_text");
	told(PINPAD_OUT_NEEDS_OPERATOR, true, false, PAY_NEEDS_OPERATOR, NULL);
	told(PINPAD_OUT_BUSY, false, false, PAY_FAILED, "result.busy_text");
	told(PINPAD_OUT_FAILED, false, false, PAY_FAILED, "result.not_started_text");
	told(PINPAD_OUT_UNAVAILABLE, false, false, PAY_FAILED, "result.failed_text");
}

/* A txn exists: the sale may have reached the terminal, so no "not charged". */
static void test_unknown_with_txn(void **st)
{
	(void)st;
	told(PINPAD_OUT_FAILED, true, false, PAY_UNKNOWN, NULL);
	told(PINPAD_OUT_UNAVAILABLE, true, false, PAY_UNKNOWN, NULL);
	told(PINPAD_OUT_OK, true, false, PAY_UNKNOWN, NULL);
	told(PINPAD_OUT_OK, false, false, PAY_FAILED, NULL);
	for (int o = PINPAD_OUT_OK; o <= PINPAD_OUT_NOT_RECORDED; o++) {
		struct pay_told t = pay_told_outcome((enum pinpad_outcome)o, true, false);
		assert_true(t.outcome != PAY_FAILED || o == PINPAD_OUT_BUSY); /* busy: nothing sent */
		assert_false(flow_pay_nothing_taken(t.outcome) && o != PINPAD_OUT_DECLINED &&
			     o != PINPAD_OUT_CANCELLED && o != PINPAD_OUT_BUSY);
	}
}

static void test_answers(void **st)
{
	(void)st;
	struct pay_told t = { .outcome = PAY_DECLINED };
	assert_false(pay_told_answer(PINPAD_CMD_SALE, PINPAD_OUT_APPROVED, true, false, &t));
	assert_int_equal(t.outcome, PAY_DECLINED); /* untouched */
	assert_true(pay_told_answer(PINPAD_CMD_CONFIRM, PINPAD_OUT_FAILED, true, false, &t));
	assert_int_equal(t.outcome, PAY_NEEDS_OPERATOR);
	assert_true(pay_told_answer(PINPAD_CMD_CONFIRM, PINPAD_OUT_UNAVAILABLE, true, false, &t));
	assert_int_equal(t.outcome, PAY_UNKNOWN);
	assert_true(pay_told_answer(PINPAD_CMD_SALE, PINPAD_OUT_FAILED, true, false, &t));
	assert_int_equal(t.outcome, PAY_UNKNOWN);
	assert_true(pay_told_answer(PINPAD_CMD_SALE, PINPAD_OUT_PAID, true, false, &t));
	assert_int_equal(t.outcome, PAY_APPROVED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_outcomes),
		cmocka_unit_test(test_unknown_with_txn),
		cmocka_unit_test(test_answers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
