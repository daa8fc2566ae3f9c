#ifndef KIOSK_FISCAL_REFUND_H
#define KIOSK_FISCAL_REFUND_H
/* The refund receipt («возврат прихода») for a sale receipt the register made although the
 * payment's card was reversed (journal_fiscal_orphan, docs/fiscal.md): the cashier runs
 * `kiosk-tool fiscal refund TXN` while the kiosk is stopped.
 *
 * Promises:
 *  - Only for a stored orphan whose payment is not recorded, whose sale receipt the drive
 *    holds (type 3, sale, the payment's total), and which has no refund yet.
 *  - The refund is the sale's own commands (fiscal_receipt_build from the journal row, the
 *    same 1008) with 8Dh type 2 and each item's operation 2.
 *  - The last FD before its close is stored before the close is sent; a close in doubt is
 *    looked for in the drive's archive after that FD the next time, so a second run never
 *    makes a second refund.  The refund made is stored with an audit row and an outbox
 *    event fiscal_refund, in one transaction. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drivers/shtrih_dev.h"
#include "kiosk/conf/fiscal_conf.h"

struct store;

enum {
	FISCAL_REFUND_ENONE = -1,    /* no orphan receipt stored for that payment */
	FISCAL_REFUND_EDONE = -2,    /* its refund is already made */
	FISCAL_REFUND_ESALE = -3,    /* the payment is recorded, or the drive lacks the sale */
	FISCAL_REFUND_EDEV = -4,     /* the register refused or did not answer */
	FISCAL_REFUND_EUNKNOWN = -5, /* the line failed on the close: run again to resolve */
	FISCAL_REFUND_ESTORE = -6,   /* the store failed (the refund may be made: see msg) */
};

struct fiscal_refund_result {
	uint32_t sale_fd;
	uint32_t fd, fp;   /* the refund receipt */
	bool found;        /* it was a close in doubt, found in the archive */
};

/* d: an open register; st: the kiosk's store.  Returns 0 with *ret, or FISCAL_REFUND_E*
 * with a Russian reason in msg. */
int fiscal_refund_make(struct shtrih_dev *d, struct store *st, const struct fiscal_conf *fc,
		       const char *txn_id, const char *actor, struct fiscal_refund_result *ret,
		       char *msg, size_t cap);

#endif
