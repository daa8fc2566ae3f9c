#ifndef DRIVERS_PINPAD_RECOVERY_H
#define DRIVERS_PINPAD_RECOVERY_H
/* The recovery decision of docs/kpp1.md, Recovery (fulfilment is recording), as a pure table:
 * given an unfinished journal row (INTENT, AUTHORIZED or RECORDED) and what TXN_STATUS said
 * about its txn id, what to do.  No I/O: the payment service performs the action.
 *
 *  - BUSY / IN_PROGRESS / TERMINAL_ERROR: poll again later.
 *  - UNKNOWN_TXN on an INTENT row: the terminal never accepted it → not paid (CANCELLED).
 *  - DECLINED / CANCELLED / FAILED: not paid.
 *  - APPROVED_PENDING_CONFIRM: RECORDED → CONFIRM; INTENT/AUTHORIZED with a complete basket
 *    and the same amount → record forward (AUTHORIZED, RECORDED, then CONFIRM); otherwise
 *    VOID (and NEEDS_OPERATOR if the VOID fails).
 *  - APPROVED_CONFIRMED: RECORDED → mark CONFIRMED; INTENT/AUTHORIZED → record (no CONFIRM
 *    needed) when complete and matching, else VOID.
 *  - REVERSED / REVERSED_AUTO: not paid; a RECORDED row (already in the outbox) needs an
 *    operator.
 *  - anything contradictory (a RECORDED row the terminal calls unknown or declined, an
 *    AUTHORIZED row it calls declined or cancelled, an amount that differs on a RECORDED
 *    row, REFUNDED): NEEDS_OPERATOR.  Every decision is a move the journal allows. */
#include <stdbool.h>

#include "kiosk/base/money.h"
#include "offline/journal.h"

enum pinpad_action {
	PINPAD_POLL_AGAIN,      /* wait ~2 s and ask TXN_STATUS again */
	PINPAD_MARK,            /* move the row to .target; no device command */
	PINPAD_RECORD_FORWARD,  /* [authorize] + record (journal+outbox) + CONFIRM → CONFIRMED */
	PINPAD_RECORD_ONLY,     /* [authorize] + record + mark CONFIRMED (terminal confirmed it) */
	PINPAD_CONFIRM,         /* CONFIRM, then mark CONFIRMED */
	PINPAD_VOID,            /* [authorize] + VOID → VOIDED; NEEDS_OPERATOR if it fails */
};

struct pinpad_recovery_in {
	enum journal_state row_state;
	kopecks row_total;
	bool basket_complete;
	/* the TXN_STATUS answer */
	int result;             /* enum kpp_result */
	int txn_state;          /* enum kpp_txn_state; ignored unless result is OK */
	bool has_amount;
	kopecks amount;
};

struct pinpad_decision {
	enum pinpad_action action;
	enum journal_state target;  /* for PINPAD_MARK */
	bool authorize_first;       /* the row is INTENT: write AUTHORIZED with the card fields */
	const char *reason;         /* for the journal and the log */
};

struct pinpad_decision pinpad_recovery_decide(const struct pinpad_recovery_in *in);

/* True when the basket can be recorded as it is: 1..JOURNAL_MAX_LINES lines, each with an
 * account and a positive amount, summing (without overflow) to the row's total. */
bool pinpad_basket_complete(const struct journal_payment *p);

/* After CONFIRM answered with txn_state: true when the sale is paid (APPROVED_CONFIRMED);
 * false means treat it as not paid (REVERSED_AUTO / REVERSED; docs/kpp1.md, CONFIRM). */
bool pinpad_confirm_paid(int txn_state);

struct kpp_msg;
/* The journal's card record from a SALE_RESP / TXN_STATUS_RESP: masked PAN re-masked to at
 * most 6 + 4 digits, every text cut to its field, the slip kept verbatim when it fits. */
void pinpad_card_from_msg(const struct kpp_msg *m, struct journal_card *ret);

#endif
