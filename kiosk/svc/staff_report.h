#ifndef KIOSK_STAFF_REPORT_H
#define KIOSK_STAFF_REPORT_H
/* The cashier's printed reports, as receipt_docs (pure, no I/O): the X-report (shift totals
 * so far, the shift stays open), the Z-report (the same, closing the shift), the printer
 * test page and a receipt copy (the stored receipt text under a "КОПИЯ" heading). */
#include <stdbool.h>
#include <stdint.h>

#include "kiosk/receipt/printer_doc.h"
#include "kiosk/conf/config.h"
#include "offline/journal.h"

/* p: the shift's payments (any state: CONFIRMED are summed per scheme, VOIDED and
 * NEEDS_OPERATOR counted).  0 or a negative RDOC_E* code. */
int staff_report_shift(struct receipt_doc *d, const struct config *cfg, bool closing, const char *actor,
		       int64_t opened_ms, const struct journal_payment *p, int n, int64_t now_ms);
int staff_report_test_page(struct receipt_doc *d, const struct config *cfg, int64_t now_ms);
int staff_report_copy(struct receipt_doc *d, const char *text, int reprints);

#endif
