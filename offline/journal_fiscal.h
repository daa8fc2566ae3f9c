#ifndef OFFLINE_JOURNAL_FISCAL_H
#define OFFLINE_JOURNAL_FISCAL_H
/* The fiscal receipt of a card payment, kept beside its journal row (table journal_fiscal,
 * docs/fiscal.md):
 *
 *   none -> closing (FD0: the register's last document before the receipt, stored before
 *           the register is told to close the receipt) -> made (FD, FP, time, drive,
 *           shift, number: written in the very transaction that records the payment)
 *   closing -> none (the register surely has no such receipt)
 *
 * A payment is recorded with its receipt or not at all, so a RECORDED row of a kiosk with
 * a register always has its fiscal attributes. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;

enum journal_fiscal_state { JOURNAL_FISCAL_NONE, JOURNAL_FISCAL_CLOSING, JOURNAL_FISCAL_MADE };

struct journal_fiscal {
	enum journal_fiscal_state state;
	uint32_t fd0;
	char fn_serial[17];
	uint32_t fd, fp;
	char doc_time[17];          /* "YYYY-MM-DDTHH:MM", the register's clock */
	int shift_no, number;
};

/* The payment's fiscal row; state NONE (and 0) when it has none. */
int journal_fiscal_get(struct store *s, const char *txn_id, struct journal_fiscal *ret);
/* closing with fd0, for an AUTHORIZED payment without a made receipt (STORE_ESTATE else). */
int journal_fiscal_closing(struct store *s, const char *txn_id, uint32_t fd0, int64_t now_ms);
/* closing -> none; no-op without a row; STORE_ESTATE for a made receipt. */
int journal_fiscal_clear(struct store *s, const char *txn_id);
/* AUTHORIZED -> RECORDED (and the outbox record) with the receipt made, one transaction.
 * f->fd > 0 and a 16-character drive serial are required (STORE_EINVAL). */
int journal_record_fiscal(struct store *s, const char *txn_id, bool offline,
			  const struct journal_fiscal *f, int64_t now_ms);

/* The buyer's e-receipt address for the payment's receipt (tag 1008: "+7…" or an e-mail,
 * 1…64 bytes), given before the card.  put: once per payment (STORE_EINVAL for a bad
 * length); get: "" when there is none. */
int journal_contact_put(struct store *s, const char *txn_id, const char *contact);
int journal_contact_get(struct store *s, const char *txn_id, char *buf, size_t cap);

/* A receipt the register made for a payment whose card was reversed (the resolution found
 * it after the payment gave up waiting, or recording it failed): it needs a refund
 * receipt («возврат прихода») made by the cashier.  orphan: stores it (f: drive, FD, FP,
 * time) and, only the first time, in the same transaction the audit row and the outbox
 * event fiscal_alarm with detail — so staff and the center hear of it once.  Returns 1
 * when new, 0 when already known, or a negative store code. */
int journal_fiscal_orphan(struct store *s, const char *txn_id, const struct journal_fiscal *f,
			  const char *detail, int64_t now_ms);

struct journal_fiscal_orphan {
	char fn_serial[17];
	uint32_t fd, fp;
	char doc_time[17];
	uint32_t refund_fd0;             /* a refund's close was sent after this FD (0: never) */
	uint32_t refund_fd, refund_fp;   /* 0: no refund receipt yet */
};
/* STORE_ENOTFOUND when the payment has no such receipt. */
int journal_fiscal_orphan_get(struct store *s, const char *txn_id, struct journal_fiscal_orphan *ret);
/* Right before the refund receipt's close: the register's last FD before it, so a close in
 * doubt is looked for after it (STORE_ESTATE once a refund is stored). */
int journal_fiscal_refund_closing(struct store *s, const char *txn_id, uint32_t fd0);
/* The refund receipt made: stored with an audit row and an outbox event fiscal_refund
 * (actor: who made it) in one transaction; STORE_ESTATE when one is already stored. */
int journal_fiscal_refunded(struct store *s, const char *txn_id, uint32_t fd, uint32_t fp,
			    const char *actor, int64_t now_ms);

#endif
