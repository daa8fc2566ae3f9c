/* Recovery decisions (docs/kpp1.md, Recovery): every terminal answer against every
 * unfinished journal state, with and without a matching basket. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "drivers/kpp_msg.h"
#include "drivers/pinpad_recovery.h"

enum { I = JOURNAL_INTENT, A = JOURNAL_AUTHORIZED, R = JOURNAL_RECORDED };
enum { MATCH, INCOMPLETE, OTHER_AMOUNT, NO_AMOUNT };

struct tcase {
	int row, basket, result, ts;
	enum pinpad_action action;
	int target;  /* -1: not checked (not a MARK) */
	bool authorize_first;
};

#define OK KPP_RES_OK
static const struct tcase cases[] = {
	/* terminal busy or still working: poll */
	{ I, MATCH, KPP_RES_BUSY, 0, PINPAD_POLL_AGAIN, -1, false },
	{ R, MATCH, KPP_RES_BUSY, 0, PINPAD_POLL_AGAIN, -1, false },
	{ I, MATCH, OK, KPP_TS_IN_PROGRESS, PINPAD_POLL_AGAIN, -1, false },
	{ A, INCOMPLETE, OK, KPP_TS_IN_PROGRESS, PINPAD_POLL_AGAIN, -1, false },
	{ I, MATCH, KPP_RES_TERMINAL_ERROR, 0, PINPAD_POLL_AGAIN, -1, false },
	/* never reached the terminal */
	{ I, MATCH, KPP_RES_UNKNOWN_TXN, 0, PINPAD_MARK, JOURNAL_CANCELLED, false },
	{ I, INCOMPLETE, KPP_RES_UNKNOWN_TXN, 0, PINPAD_MARK, JOURNAL_CANCELLED, false },
	{ A, MATCH, KPP_RES_UNKNOWN_TXN, 0, PINPAD_MARK, JOURNAL_NEEDS_OPERATOR, false },
	{ R, MATCH, KPP_RES_UNKNOWN_TXN, 0, PINPAD_MARK, JOURNAL_NEEDS_OPERATOR, false },
	/* not paid */
	{ I, MATCH, OK, KPP_TS_DECLINED, PINPAD_MARK, JOURNAL_DECLINED, false },
	{ I, MATCH, OK, KPP_TS_CANCELLED, PINPAD_MARK, JOURNAL_CANCELLED, false },
	{ I, NO_AMOUNT, OK, KPP_TS_FAILED, PINPAD_MARK, JOURNAL_CANCELLED, false },
	{ R, MATCH, OK, KPP_TS_DECLINED, PINPAD_MARK, JOURNAL_NEEDS_OPERATOR, false },
	/* docs/kpp1.md, Recovery: approved, kiosk died before recording */
	{ I, MATCH, OK, KPP_TS_APPROVED_PENDING_CONFIRM, PINPAD_RECORD_FORWARD, -1, true },
	{ A, MATCH, OK, KPP_TS_APPROVED_PENDING_CONFIRM, PINPAD_RECORD_FORWARD, -1, false },
	{ I, INCOMPLETE, OK, KPP_TS_APPROVED_PENDING_CONFIRM, PINPAD_VOID, -1, true },
	{ I, OTHER_AMOUNT, OK, KPP_TS_APPROVED_PENDING_CONFIRM, PINPAD_VOID, -1, true },
	{ A, NO_AMOUNT, OK, KPP_TS_APPROVED_PENDING_CONFIRM, PINPAD_VOID, -1, false },
	{ R, MATCH, OK, KPP_TS_APPROVED_PENDING_CONFIRM, PINPAD_CONFIRM, -1, false },
	{ R, INCOMPLETE, OK, KPP_TS_APPROVED_PENDING_CONFIRM, PINPAD_CONFIRM, -1, false },
	{ R, OTHER_AMOUNT, OK, KPP_TS_APPROVED_PENDING_CONFIRM, PINPAD_MARK, JOURNAL_NEEDS_OPERATOR, false },
	/* already confirmed on the terminal */
	{ I, MATCH, OK, KPP_TS_APPROVED_CONFIRMED, PINPAD_RECORD_ONLY, -1, true },
	{ A, MATCH, OK, KPP_TS_APPROVED_CONFIRMED, PINPAD_RECORD_ONLY, -1, false },
	{ A, OTHER_AMOUNT, OK, KPP_TS_APPROVED_CONFIRMED, PINPAD_VOID, -1, false },
	{ R, MATCH, OK, KPP_TS_APPROVED_CONFIRMED, PINPAD_MARK, JOURNAL_CONFIRMED, false },
	{ R, NO_AMOUNT, OK, KPP_TS_APPROVED_CONFIRMED, PINPAD_MARK, JOURNAL_NEEDS_OPERATOR, false },
	/* reversed */
	{ I, MATCH, OK, KPP_TS_REVERSED_AUTO, PINPAD_MARK, JOURNAL_REVERSED_AUTO, false },
	{ A, MATCH, OK, KPP_TS_REVERSED_AUTO, PINPAD_MARK, JOURNAL_REVERSED_AUTO, false },
	{ A, MATCH, OK, KPP_TS_REVERSED, PINPAD_MARK, JOURNAL_VOIDED, false },
	{ R, MATCH, OK, KPP_TS_REVERSED_AUTO, PINPAD_MARK, JOURNAL_NEEDS_OPERATOR, false },
	{ R, MATCH, OK, KPP_TS_REVERSED, PINPAD_MARK, JOURNAL_NEEDS_OPERATOR, false },
	/* nonsense */
	{ I, MATCH, OK, KPP_TS_REFUNDED, PINPAD_MARK, JOURNAL_NEEDS_OPERATOR, false },
	{ I, MATCH, OK, KPP_TS_NONE, PINPAD_MARK, JOURNAL_NEEDS_OPERATOR, false },
	{ I, MATCH, OK, 77, PINPAD_MARK, JOURNAL_NEEDS_OPERATOR, false },
	{ I, MATCH, KPP_RES_BAD_REQUEST, 0, PINPAD_MARK, JOURNAL_NEEDS_OPERATOR, false },
	{ I, MATCH, KPP_RES_DUPLICATE, 0, PINPAD_MARK, JOURNAL_NEEDS_OPERATOR, false },
};

static void test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct tcase *c = &cases[i];
		struct pinpad_recovery_in in = {
			.row_state = (enum journal_state)c->row, .row_total = 450000,
			.basket_complete = c->basket != INCOMPLETE, .result = c->result,
			.txn_state = c->ts, .has_amount = c->basket != NO_AMOUNT,
			.amount = c->basket == OTHER_AMOUNT ? 450001 : 450000,
		};
		struct pinpad_decision d = pinpad_recovery_decide(&in);
		if (d.action != c->action || (c->target >= 0 && (int)d.target != c->target))
			print_message("case %zu: action %d target %d (%s)\n", i, d.action, d.target, d.reason);
		assert_int_equal(d.action, c->action);
		if (c->target >= 0)
			assert_int_equal(d.target, c->target);
		assert_int_equal(d.authorize_first, c->authorize_first);
		assert_non_null(d.reason);
	}
}

/* Every decision, for every journal state × terminal answer × basket, is a move the journal
 * allows: recovery can never be refused by the journal and retry forever. */
static void test_every_decision_is_a_legal_move(void **state)
{
	(void)state;
	int checked = 0;
	for (int row = I; row <= R; row++)
		for (int res = KPP_RES_OK; res <= KPP_RES_TOO_LATE + 1; res++)
			for (int ts = KPP_TS_NONE; ts <= KPP_TS_REFUNDED + 1; ts++)
				for (int b = MATCH; b <= NO_AMOUNT; b++) {
					struct pinpad_recovery_in in = {
						.row_state = (enum journal_state)row, .row_total = 450000,
						.basket_complete = b != INCOMPLETE, .result = res, .txn_state = ts,
						.has_amount = b != NO_AMOUNT, .amount = b == OTHER_AMOUNT ? 450001 : 450000,
					};
					struct pinpad_decision d = pinpad_recovery_decide(&in);
					enum journal_state from = (enum journal_state)row;
					if (d.authorize_first) {
						assert_int_equal(from, JOURNAL_INTENT);
						assert_true(journal_can_move(from, JOURNAL_AUTHORIZED));
						from = JOURNAL_AUTHORIZED;
					}
					bool ok;
					switch (d.action) {
					case PINPAD_POLL_AGAIN: /* only while the terminal is working on it */
						ok = res == KPP_RES_BUSY || res == KPP_RES_TERMINAL_ERROR ||
						     (res == KPP_RES_OK && ts == KPP_TS_IN_PROGRESS);
						break;
					case PINPAD_MARK:
						ok = journal_can_move(from, d.target);
						break;
					case PINPAD_RECORD_FORWARD:
					case PINPAD_RECORD_ONLY:
						ok = journal_can_move(from, JOURNAL_RECORDED) &&
						     journal_can_move(JOURNAL_RECORDED, JOURNAL_CONFIRMED) &&
						     journal_can_move(JOURNAL_RECORDED, JOURNAL_NEEDS_OPERATOR);
						break;
					case PINPAD_CONFIRM:
						ok = from == JOURNAL_RECORDED;
						break;
					case PINPAD_VOID:
						ok = journal_can_move(from, JOURNAL_VOIDED) &&
						     journal_can_move(from, JOURNAL_NEEDS_OPERATOR);
						break;
					default:
						ok = false;
					}
					if (!ok)
						fail_msg("row %s result %d state %d basket %d: action %d target %s refused",
							 journal_state_name((enum journal_state)row), res, ts, b, d.action,
							 journal_state_name(d.target));
					checked++;
				}
	assert_int_equal(checked, 3 * (KPP_RES_TOO_LATE + 2) * (KPP_TS_REFUNDED + 2) * 4);
}

static void test_basket_complete(void **state)
{
	(void)state;
	static struct journal_payment p;
	memset(&p, 0, sizeof p);
	assert_false(pinpad_basket_complete(&p));
	p.nlines = 2;
	strcpy(p.lines[0].pers_acc, "1001");
	p.lines[0].amount = 100;
	strcpy(p.lines[1].pers_acc, "1002");
	p.lines[1].amount = 250;
	p.total = 350;
	assert_true(pinpad_basket_complete(&p));
	p.total = 351;
	assert_false(pinpad_basket_complete(&p));
	p.total = 350;
	p.lines[1].pers_acc[0] = 0;
	assert_false(pinpad_basket_complete(&p));
	strcpy(p.lines[1].pers_acc, "1002");
	p.lines[1].amount = 0;
	p.total = 100;
	assert_false(pinpad_basket_complete(&p));
	/* Lines whose sum wraps round to exactly the total: only the overflow check refuses
	 * them (2 x INT64_MAX + 3 is 1 modulo 2^64). */
	p.nlines = 3;
	p.lines[0].amount = INT64_MAX;
	p.lines[1].amount = INT64_MAX;
	strcpy(p.lines[2].pers_acc, "1003");
	p.lines[2].amount = 3;
	p.total = 1;
	assert_false(pinpad_basket_complete(&p));
	p.nlines = JOURNAL_MAX_LINES + 1;
	assert_false(pinpad_basket_complete(&p));
}

static void test_confirm_paid(void **state)
{
	(void)state;
	assert_true(pinpad_confirm_paid(KPP_TS_APPROVED_CONFIRMED));
	assert_false(pinpad_confirm_paid(KPP_TS_REVERSED_AUTO));
	assert_false(pinpad_confirm_paid(KPP_TS_REVERSED));
	assert_false(pinpad_confirm_paid(KPP_TS_APPROVED_PENDING_CONFIRM));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_every_decision_is_a_legal_move),
		cmocka_unit_test(test_basket_complete),
		cmocka_unit_test(test_confirm_paid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
