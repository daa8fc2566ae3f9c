#ifndef OFFLINE_HISTORY_H
#define OFFLINE_HISTORY_H
/* The account history's local side: this kiosk's own payments to one account, as the
 * journal and the outbox know them, so the history screen can show a payment before the
 * billing center lists it ("передаётся в расчётный центр") and tell this kiosk's payments
 * from other channels.  Read-only. */
#include <stdbool.h>
#include <stdint.h>

#include "kiosk/base/money.h"

struct store;

struct history_local_row {
	char txn_id[33];
	int64_t created_ms;     /* UTC ms */
	kopecks amount;         /* this account's basket line */
	char period[8];         /* YYYY-MM or "" */
	bool acked;             /* the center acknowledged the outbox record */
	char disposition[12];   /* created | duplicate | conflict | rejected, "" when unacked */
	char server_ref[40];    /* the center's ledger reference once acked */
	char fn_serial[17];     /* its fiscal receipt (journal_fiscal 'made'), "" and 0 without */
	uint32_t fd, fp;
};

/* Basket lines for PERS_ACC of journal rows RECORDED or CONFIRMED (the money was taken)
 * created at or after FROM_MS, newest first, up to cap into ret, with the payment's fiscal
 * receipt when it has one; returns the count or a negative store_rc.  A row whose outbox
 * record is missing counts as not acked. */
int history_local(struct store *s, const char *pers_acc, int64_t from_ms,
		  struct history_local_row *ret, int cap);

#endif
