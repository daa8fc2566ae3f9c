#ifndef KIOSK_PAY_TOLD_H
#define KIOSK_PAY_TOLD_H
/* What the resident is told about a card sale, from the payment service's answers.  Pure:
 * the shell (svc.c) and the payment property test (tests/unit/test_pay_property.c) use the
 * same rule, so the test checks what the screen really says.
 *
 * The rule: "not charged" (flow_pay_nothing_taken; only those may be retried) only where the
 * terminal said nothing was taken: declined, cancelled, or the sale never reached it.  An
 * approval the terminal reversed is "not completed, the bank may hold the amount"
 * (PAY_REVERSED).  An outcome that may hide a charge is "being checked" (PAY_UNKNOWN:
 * recovery settles it) or "see the cashier" (PAY_NEEDS_OPERATOR). */
#include <stdbool.h>

#include "drivers/pinpad_service.h"
#include "kiosk/flow/flow.h"

struct pay_told {
	enum flow_pay_outcome outcome;
	const char *text_key; /* the explanation's strings key; NULL: the outcome's own */
};

/* The outcome of a sale (a SALE's answer other than APPROVED, a CONFIRM's answer, or a
 * recovered row).  has_txn: the sale has a journal row (it may have reached the terminal);
 * terminal_timeout: the terminal ended it because no card came. */
struct pay_told pay_told_outcome(enum pinpad_outcome o, bool has_txn, bool terminal_timeout);

/* A command's answer for the sale on screen.  false: nothing to tell yet, the caller sends
 * CONFIRM (a SALE approved and written down: fulfilment is recording, then CONFIRM). */
bool pay_told_answer(enum pinpad_cmd_kind cmd, enum pinpad_outcome o, bool has_txn,
		     bool terminal_timeout, struct pay_told *ret);

#endif
