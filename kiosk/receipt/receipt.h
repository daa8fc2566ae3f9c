#ifndef KIOSK_RECEIPT_H
#define KIOSK_RECEIPT_H
/* What the kiosk prints, described once as a receipt_doc (kiosk/receipt/printer_doc.h) for the
 * ESC/POS encoder and the file renderer alike.  Pure: no I/O.
 *  - the payment receipt: kiosk id and address, date/time (local), each line (PersAcc,
 *    period, payee, amount), total, commission 0,00, card scheme, masked PAN, auth code,
 *    RRN, TID, the PIN-pad's own slip, the transaction id and a QR code of it;
 *  - the meter readings confirmation;
 *  - the notice of a card payment that did not complete and may hold money (the
 *    operation number, the amount, what to do). */
#include <stdint.h>

#include "kiosk/receipt/printer_doc.h"
#include "kiosk/conf/config.h"
#include "kiosk/bill/account.h"
#include "kiosk/receipt/journal_model.h"

struct receipt_reading {
	const struct account_meter *meter;
	int64_t value_milli;
	char key_hex[33];           /* the outbox record's key: the resident's reference */
};

/* 0 or a negative RDOC_E* code (a document over its caps). */
int receipt_payment(struct receipt_doc *d, const struct config *cfg, const struct journal_payment *p,
		    int64_t now_ms);
int receipt_readings(struct receipt_doc *d, const struct config *cfg, const char *pers_acc,
		     const struct receipt_reading *r, int n, int64_t now_ms);
/* P did not complete and the bank may hold its amount: OP_NUMBER is the number the screen
 * showed.  0 or a negative RDOC_E* code. */
int receipt_notice(struct receipt_doc *d, const struct config *cfg, const struct journal_payment *p,
		   const char *op_number, int64_t now_ms);
/* "26.11.2026 01:45" in the kiosk's time zone (tz_fmt_datetime). */
void receipt_time(int64_t utc_ms, char *buf, int cap);

#endif
