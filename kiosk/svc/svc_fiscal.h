#ifndef KIOSK_SVC_FISCAL_H
#define KIOSK_SVC_FISCAL_H
/* The fiscal register in the shell (docs/fiscal.md): when fiscal.device = shtrih, the
 * fiscal service and the journal's fiscal step, wired for svc.c:
 *  - the payment service's journal ops become the fiscal step's (svc_fiscal_jops/_journal:
 *    a payment is recorded, and so confirmed to the PIN-pad, only with its receipt);
 *  - a sale is handed to the PIN-pad only after the register's preflight (svc_fiscal_sale):
 *    `go` is called on the fiscal thread with ok, or with false and the reason;
 *  - readiness (on_ready is called when it changes), alarms and shift events are logged
 *    (alarms at error level: the technician's log watch).
 * NULL (no register) is accepted everywhere: the plain journal ops, always ready. */
#include <stdbool.h>

#include "drivers/pinpad_service.h"
#include "kiosk/conf/config.h"

struct store;
struct svc_fiscal;

typedef void (*svc_fiscal_ready_fn)(void *ctx);
typedef void (*svc_fiscal_sale_fn)(void *ctx, const struct pinpad_cmd *sale, bool ok,
				   const char *why);

/* NULL when fiscal.device = none, or when the register's service cannot start (logged). */
struct svc_fiscal *svc_fiscal_start(const struct config *c, struct store *pinpad_store,
				    const struct pinpad_journal_ops *plain, svc_fiscal_ready_fn on_ready,
				    svc_fiscal_sale_fn go, void *ctx);
const struct pinpad_journal_ops *svc_fiscal_jops(struct svc_fiscal *f,
						 const struct pinpad_journal_ops *plain);
void *svc_fiscal_journal(struct svc_fiscal *f, struct store *pinpad_store);
bool svc_fiscal_ready(struct svc_fiscal *f);
/* Queues the register's preflight for sale; 0, or -1 (go is not called).  contact: the
 * buyer's e-receipt address for the receipt's tag 1008 ("+7…" or an e-mail), or NULL. */
int svc_fiscal_sale(struct svc_fiscal *f, const struct pinpad_cmd *sale, const char *contact);
/* The cashier's X (z false) or Z report on the register as well (queued; the register
 * prints it; the outcome is logged).  No-op for NULL. */
void svc_fiscal_report(struct svc_fiscal *f, bool z);
/* Non-fiscal text on the register (printer.transport = kkt): UTF-8 lines, each within the
 * register's line; waits for the outcome (at most wait_ms).  0 printed, PRINTER_EIO
 * refused (paper, cover), PRINTER_EOFFLINE no link or no answer.  Never on the fiscal
 * thread; one print at a time. */
int svc_fiscal_print(struct svc_fiscal *f, const char *text, int wait_ms);
/* fiscal_service_paper of the register; -1 for NULL. */
int svc_fiscal_paper(struct svc_fiscal *f);
void svc_fiscal_stop(struct svc_fiscal *f);

#endif
