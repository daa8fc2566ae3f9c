#ifndef KIOSK_FISCAL_STEP_H
#define KIOSK_FISCAL_STEP_H
/* The payment journal's fiscal step (docs/fiscal.md): journal ops for the PIN-pad payment
 * service whose `record` makes the fiscal receipt first.  Every other op is the store's.
 *
 *   approved (AUTHORIZED) -> the receipt is made -> RECORDED with its attributes, in one
 *   transaction -> the service sends CONFIRM.
 *
 * `record` runs on the payment service's thread and waits for the fiscal service:
 *  - no fiscal row: RECEIPT; its closing step stores `closing` + FD0 (on the fiscal
 *    thread's own store connection) before the register closes the receipt;
 *  - a `closing` row (a crash or a lost line before): RESOLVE with the same commands,
 *    rebuilt from the row (fiscal_receipt_build is deterministic);
 *  - MADE: journal_record_fiscal, 0;  NOT_MADE: the closing row goes, -1 — the payment
 *    service then reverses the card ("approved but not recorded");
 *  - UNKNOWN: it waits for the service's resolution up to wait_ms (below the PIN-pad's
 *    confirm timeout), then -1; a receipt the resolution finds after that belongs to a
 *    reversed payment: it is stored and reaches staff and the center once, as an audit
 *    row and an outbox event fiscal_alarm (journal_fiscal_orphan); on_orphan is then called
 *    for the log (a refund receipt is needed: kiosk-tool fiscal refund).
 * Crash points (kiosk/base/crashpoint.h): fiscal_closing_stored, fiscal_made (the register made
 * the receipt, nothing of it recorded yet) and after_record.  Nothing here touches the
 * PIN-pad. */
#include <stdint.h>

#include "drivers/fiscal_service.h"
#include "drivers/pinpad_service.h"
#include "kiosk/conf/fiscal_conf.h"

struct store;
struct fiscal_step;

typedef void (*fiscal_orphan_fn)(void *ctx, const char *txn_id, const char *text);

struct fiscal_step_cfg {
	struct store *store;          /* the payment service's connection (its thread) */
	struct store *closing_store;  /* the fiscal service's connection (its thread) */
	struct fiscal_conf fc;
	int wait_ms;                  /* how long record waits for an answer */
	/* the other ops go to these (NULL: pinpad_journal_store over store), so a caller's
	 * wrapper (the crash suite's points) stays in the path */
	const struct pinpad_journal_ops *inner;
	void *inner_journal;
	fiscal_orphan_fn on_orphan;
	void *ctx;
};

struct fiscal_step *fiscal_step_new(const struct fiscal_step_cfg *cfg);
/* The service to use (started with fiscal_step_closing / fiscal_step_on_event). */
void fiscal_step_attach(struct fiscal_step *fs, struct fiscal_service *svc);
void fiscal_step_free(struct fiscal_step *fs);

/* The e-receipt address (tag 1008, "+7…" or an e-mail; NULL or "" for none) of the next
 * sale: the next `begin` stores it beside the new payment (journal_contact), and `record`
 * builds the receipt with it.  Set before every sale is handed to the PIN-pad. */
void fiscal_step_next_contact(struct fiscal_step *fs, const char *contact);

/* The ops; their `journal` argument is the struct fiscal_step. */
extern const struct pinpad_journal_ops fiscal_step_journal_ops;

/* For fiscal_service_cfg: .closing = fiscal_step_closing, .ctx = fs, and on_event calling
 * fiscal_step_on_event (events for other purposes pass through untouched). */
int fiscal_step_closing(void *fs, const char *txn_id, uint32_t fd0);
void fiscal_step_on_event(struct fiscal_step *fs, const struct fiscal_event *ev);

#endif
