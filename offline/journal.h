#ifndef OFFLINE_JOURNAL_H
#define OFFLINE_JOURNAL_H
/* The payment journal: one row per card payment, created before the PIN-pad is asked
 * anything, whose state only moves forward:
 *
 *   INTENT -> AUTHORIZED -> RECORDED -> CONFIRMED
 *   exits:  DECLINED, CANCELLED, VOIDED, REVERSED_AUTO, NEEDS_OPERATOR
 *   (INTENT may exit to any of them: an approval the kiosk never wrote down can come back
 *   from the terminal as reversed; recovery must be able to record every answer.)
 *
 * journal_can_move() (kiosk/receipt/journal_model.h) is the pure state machine; these functions persist each
 * transition (with its UTC time in the history table) in one transaction, and refuse any
 * move the state machine refuses (STORE_ESTATE).  RECORDED writes the outbox `payment`
 * record in the same transaction.  The txn id is 32 lowercase hex chars of a random 128-bit
 * value: the PIN-pad TXN_ID and the outbox idem_key of the payment record. */
#include <stdbool.h>
#include <stdint.h>

#include "kiosk/receipt/journal_model.h"

struct store;

/* INTENT: stores the basket and a fresh random txn id (written to ret_txn_id, 33 bytes). */
int journal_begin(struct store *s, const struct journal_line *lines, int nlines,
		  int64_t now_ms, char *ret_txn_id);
/* INTENT -> AUTHORIZED with the card fields.  */
int journal_authorize(struct store *s, const char *txn_id, const struct journal_card *card,
		      int64_t now_ms);
/* AUTHORIZED -> RECORDED and the outbox `payment` record, in one transaction. */
int journal_record(struct store *s, const char *txn_id, bool offline, int64_t now_ms);
/* Any other allowed move (CONFIRMED, DECLINED, CANCELLED, VOIDED, REVERSED_AUTO,
 * NEEDS_OPERATOR); reason may be NULL. */
int journal_move(struct store *s, const char *txn_id, enum journal_state to,
		 const char *reason, int64_t now_ms);
int journal_get(struct store *s, const char *txn_id, struct journal_payment *ret);
/* Rows not in a terminal state (INTENT, AUTHORIZED, RECORDED), oldest first: up to cap into
 * ret; returns the count or a negative store_rc. */
int journal_unfinished(struct store *s, struct journal_payment *ret, int cap);

/* Payments created in [from_ms, to_ms) (UTC ms), oldest first, any state: up to cap into
 * ret; returns the count or a negative store_rc.  For shift totals and the cashier's list. */
int journal_list(struct store *s, int64_t from_ms, int64_t to_ms,
		 struct journal_payment *ret, int cap);

/* Payments in one state, oldest first (NEEDS_OPERATOR for the cashier's attention list). */
int journal_by_state(struct store *s, enum journal_state st, struct journal_payment *ret, int cap);

/* One payment's state history, oldest first: up to cap (state, UTC ms) pairs; returns the
 * count or a negative store_rc. */
struct journal_event {
	enum journal_state state;
	int64_t at_ms;
};
int journal_history(struct store *s, const char *txn_id, struct journal_event *ret, int cap);

/* Receipts: the text printed for a payment, kept for reprints.  save refuses a second
 * receipt for the same txn (STORE_EEXISTS); reprint counts one more print.  get copies the
 * text (truncated to cap, NUL-terminated) and the first print time and reprint count. */
int journal_receipt_save(struct store *s, const char *txn_id, const char *text, int64_t now_ms);
int journal_receipt_reprint(struct store *s, const char *txn_id, int64_t now_ms);
int journal_receipt_get(struct store *s, const char *txn_id, char *text, int cap,
			int64_t *ret_printed_ms, int *ret_reprints);

#endif
