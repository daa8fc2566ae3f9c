#ifndef KIOSK_BILL_COPY_H
#define KIOSK_BILL_COPY_H
/* A printed copy of the period's ЕПД for the receipt printer, as a receipt_doc
 * (kiosk/receipt/printer_doc.h): the payee (agent) name and INN, the account (NNNNN-NNN), the
 * address masked as on screen, the period, each service with its supplier (name, INN),
 * accrued and due, the account's accrued, paid, debt and due, and the bill's payment QR
 * (ГОСТ Р 56042, kiosk/bill/epd_encode.h) for the due sum.  Pure: no I/O.
 *
 * The QR's payee bank details: account and BIC from the configured allow-list entry of the
 * agent's INN, the bank's name and correspondent account and the payee's KPP from
 * bill_payee_find() (the configuration carries no keys for them).  Without them the copy
 * is printed without a QR and says so. */
#include <stdbool.h>
#include <stdint.h>

#include "kiosk/receipt/printer_doc.h"
#include "kiosk/conf/config.h"
#include "kiosk/bill/account.h"

struct bill_payee {
	const char *inn;
	const char *kpp;
	const char *bic;
	const char *bank_name;
	const char *corresp_acc;
};

/* The known payee details for INN and BIC, or NULL. */
const struct bill_payee *bill_payee_find(const char *inn, const char *bic);

/* The payment QR payload for account A (written to out, cap bytes): 0, or -1 when the
 * payee is not on the allow-list or its bank details are unknown, or the encoder refused. */
int bill_copy_qr(const struct config *cfg, const struct account *a, char *out, size_t cap);

/* Builds the copy.  from_cache: the account came from the offline cache; the copy then
 * says "Данные на <дата>" (a->updated_at_ms, local date).  0 or a negative RDOC_E* code; -3
 * when the account carries no details (a typed number before the control answer). */
int bill_copy_doc(struct receipt_doc *d, const struct config *cfg, const struct account *a, bool from_cache,
		  int64_t now_ms);

#endif
