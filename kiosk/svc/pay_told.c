#include "kiosk/svc/pay_told.h"

static struct pay_told told(enum flow_pay_outcome o, const char *key)
{
	return (struct pay_told){ .outcome = o, .text_key = key };
}

struct pay_told pay_told_outcome(enum pinpad_outcome o, bool has_txn, bool terminal_timeout)
{
	switch (o) {
	case PINPAD_OUT_PAID: return told(PAY_APPROVED, NULL);
	case PINPAD_OUT_DECLINED: return told(PAY_DECLINED, NULL);
	case PINPAD_OUT_CANCELLED: return told(terminal_timeout ? PAY_TIMEOUT : PAY_CANCELLED, NULL);
	/* Reversed after an approval: nothing is kept, but the bank may hold the amount for a
	 * while, so "not charged" would not be the truth on the resident's statement. */
	case PINPAD_OUT_NOT_PAID: return told(PAY_REVERSED, NULL);
	case PINPAD_OUT_NOT_RECORDED: return told(PAY_REVERSED, "result.not_recorded_text");
	case PINPAD_OUT_NEEDS_OPERATOR: return told(PAY_NEEDS_OPERATOR, NULL);
	case PINPAD_OUT_BUSY: return told(PAY_FAILED, "result.busy_text");
	case PINPAD_OUT_UNAVAILABLE:
	case PINPAD_OUT_FAILED:
		/* With a txn id the sale exists and may have reached the terminal. */
		if (has_txn)
			return told(PAY_UNKNOWN, NULL);
		return told(PAY_FAILED, o == PINPAD_OUT_FAILED ? "result.not_started_text" : "result.failed_text");
	default:
		return told(has_txn ? PAY_UNKNOWN : PAY_FAILED, NULL);
	}
}

bool pay_told_answer(enum pinpad_cmd_kind cmd, enum pinpad_outcome o, bool has_txn,
		     bool terminal_timeout, struct pay_told *ret)
{
	if (cmd == PINPAD_CMD_SALE && o == PINPAD_OUT_APPROVED)
		return false;
	/* CONFIRM FAILED is a row that is not an approved payment: a cashier looks.
	 * CONFIRM UNAVAILABLE (RECORDED, CONFIRM unanswered) is being checked. */
	if (cmd == PINPAD_CMD_CONFIRM && o == PINPAD_OUT_FAILED)
		o = PINPAD_OUT_NEEDS_OPERATOR;
	*ret = pay_told_outcome(o, has_txn, terminal_timeout);
	return true;
}
