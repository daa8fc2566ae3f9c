#ifndef KIOSK_FISCAL_QR_H
#define KIOSK_FISCAL_QR_H
/* The fiscal receipt as the resident can check it (docs/fiscal.md): the ФНС check QR
 *   t=YYYYMMDDTHHMM&s=RUB.KOP&fn=SERIAL&i=FD&fp=FP&n=1
 * and the block the kiosk's own printed receipt gains: drive serial, FD, FP, shift and
 * number, the receipt's time, and that QR.  Pure. */
#include <stddef.h>

#include "kiosk/receipt/printer_doc.h"
#include "kiosk/base/money.h"
#include "offline/journal_fiscal.h"

/* Writes the QR payload of a made receipt of total kopecks; returns its length, or -1 when
 * f is not a made receipt, its time is not "YYYY-MM-DDTHH:MM" or cap is short. */
int fiscal_qr_string(const struct journal_fiscal *f, kopecks total, char *buf, size_t cap);

/* Adds the fiscal block to a payment receipt, before its closing feed and cut when it ends
 * with them.  0, or a negative RDOC_E* code (or -1 as above). */
int fiscal_qr_receipt(struct receipt_doc *d, const struct journal_fiscal *f, kopecks total);

#endif
