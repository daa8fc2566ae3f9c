#ifndef DRIVERS_FISCAL_RECEIPT_H
#define DRIVERS_FISCAL_RECEIPT_H
/* The fiscal receipt of one card payment as the register's command sequence (docs/fiscal.md):
 *
 *   8Dh(sale)  then per bill line: FF46 item + FF4D item tags (1222, 1226, 1224{1225,1171},
 *   1223)  then FF0C receipt tags (1057, 1008)  then FF45 close with the card amount.
 *
 * One item per journal line: «Оплата ЖКУ ЛС <account> <MM.YYYY>», price = amount, quantity
 * 1, the configured VAT, 1214 and 1212.  The close pays the whole total by card (payment
 * #2), so the receipt's card amount is the journal total to the kopeck.  Strings in tags are
 * CP866, the item name WIN1251.  Pure: no I/O; the caller executes the commands in order
 * and persists its "closing" state before the last one. */
#include <stddef.h>
#include <stdint.h>

#include "drivers/shtrih_cmd.h"
#include "kiosk/conf/fiscal_conf.h"
#include "offline/journal.h"

/* 8Dh + 5 per line + 2 + FF45 */
#define FISCAL_RECEIPT_MAX_CMDS (4 + 5 * JOURNAL_MAX_LINES)

enum {
	FISCAL_RECEIPT_EINVAL = -1,   /* no lines, a non-positive amount, total mismatch */
	FISCAL_RECEIPT_ESUPPLIER = -2,/* a line's supplier has no valid INN or no phone */
	FISCAL_RECEIPT_ECONTACT = -3, /* the e-receipt address is neither +digits nor e-mail */
	FISCAL_RECEIPT_ECAP = -4,     /* out has fewer than the commands needed */
};

/* Builds the commands for p (its lines and total) into out.  contact: "+7…" or an e-mail
 * for 1008, or NULL/"" when the resident asked for none.  Returns the number of commands,
 * or a negative FISCAL_RECEIPT_E* code with out untouched in meaning. */
int fiscal_receipt_build(const struct fiscal_conf *fc, const struct journal_payment *p,
			 const char *contact, struct shtrih_req *out, int cap);

/* Turns the n commands of a sale receipt (fiscal_receipt_build) into its refund
 * («возврат прихода»: 8Dh type 2, each FF46 operation 2), the same items, tags and card
 * amount.  Returns 0, or -1 when they are not a receipt's commands. */
int fiscal_receipt_as_refund(struct shtrih_req *cmds, int n);

/* TLV helpers (also used by tests and the simulator): each appends to buf (len, cap) and
 * returns 0, or -1 when it does not fit. */
int fiscal_tlv_bytes(uint8_t *buf, size_t *len, size_t cap, uint16_t tag, const void *v, size_t n);
int fiscal_tlv_u8(uint8_t *buf, size_t *len, size_t cap, uint16_t tag, uint8_t v);
/* A UTF-8 string as CP866, cut to max_bytes. */
int fiscal_tlv_str(uint8_t *buf, size_t *len, size_t cap, uint16_t tag, const char *utf8,
		   size_t max_bytes);

/* UTF-8 to WIN1251 (Cyrillic, Ё/ё, №, «», ·; the no-break and thin spaces as spaces,
 * dashes as '-', ₽ as Р; anything else becomes '?'); writes at most cap bytes, no
 * terminator; returns the count. */
size_t fiscal_win1251(const char *utf8, uint8_t *out, size_t cap);

#endif
