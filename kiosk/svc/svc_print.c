/* Printing (svc_priv.h): the printer service and the documents the flow asks for.  The
 * documents are built on the service worker (journal reads, rendering); the printer
 * service's thread prints them and reports each job. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "drivers/printer_escpos.h"
#include "drivers/printer_file.h"
#include "drivers/printer_kkt.h"
#include "drivers/printer_service.h"
#include "drivers/transports.h"
#include "kiosk/bill/bill_copy.h"
#include "kiosk/svc/fiscal_qr.h"
#include "kiosk/base/log.h"
#include "kiosk/svc/svc_fiscal.h"
#include "kiosk/svc/svc_priv.h"
#include "offline/journal_fiscal.h"
#include "offline/store.h"

/* The payment's receipt as DOC (to print, then receipt_doc_free), its text kept in the
 * journal for the cashier's reprints (a second save of the same txn is refused, quietly).
 * 0, or -1 with nothing to free. */
int svc_print_receipt_for(struct svc *s, struct store *st, const char *txn_id, struct receipt_doc *doc)
{
	struct journal_payment p;
	if (journal_get(st, txn_id, &p) != 0) {
		log_error("receipt", "no_journal_row", "txn=%s", txn_id);
		return -1;
	}
	receipt_doc_init(doc);
	int64_t now = clock_wall_ms();
	struct journal_fiscal jf; /* with a register: its receipt's attributes and check QR */
	if (receipt_payment(doc, s->cfg, &p, now) != 0 ||
	    (journal_fiscal_get(st, p.txn_id, &jf) == 0 && jf.state == JOURNAL_FISCAL_MADE &&
	     fiscal_qr_receipt(doc, &jf, p.total) != 0)) {
		receipt_doc_free(doc);
		return -1;
	}
	char *text = printer_file_text(doc, s->cfg->printer_width_mm);
	int rc = journal_receipt_save(st, p.txn_id, text, now);
	if (rc != 0 && rc != STORE_EEXISTS)
		log_error("receipt", "save_failed", "txn=%s rc=%d", p.txn_id, rc);
	free(text);
	return 0;
}

static void on_printer_job(void *ud, uint64_t job, enum printer_outcome o, int attempts)
{
	(void)ud;
	log_info("printer", "job", "id=%llu outcome=%s attempts=%d", (unsigned long long)job, printer_outcome_name(o), attempts);
	svc_post_int(SVC_PRINTED, o == PRINTER_PRINTED ? PRINT_OK : o == PRINTER_FAILED_PAPER_OUT ? PRINT_PAPER_OUT
										: PRINT_OFFLINE);
}

static void on_printer_state(void *ud, enum printer_state st)
{
	struct svc *s = ud;
	atomic_store(&s->printer_state, (int)st);
	svc_post_int(SVC_PRINTER_STATE, (int)st);
}

/* printer.transport = kkt: the printer service's thread waits for the register. */
static int kkt_print(void *ctx, const char *text)
{
	struct svc *s = ctx;
	return svc_fiscal_print(s->fiscal, text, 120000);
}

static int kkt_paper(void *ctx)
{
	struct svc *s = ctx;
	return svc_fiscal_paper(s->fiscal);
}

void svc_print_start(struct svc *s)
{
	const struct config *c = s->cfg;
	struct printer_dev *dev = NULL;
	char logo[300];
	snprintf(logo, sizeof logo, "%s/printer-logo.png", c->assets_dir);
	if (access(logo, R_OK) != 0)
		logo[0] = '\0';
	if (strcmp(c->printer_transport, "none") == 0)
		return;
	if (strcmp(c->printer_transport, "file") == 0) {
		dev = printer_file_new(c->printer_address, c->printer_width_mm, logo[0] ? logo : NULL);
	} else if (strcmp(c->printer_transport, "kkt") == 0) {
		struct printer_kkt_cfg kc = { .cols = c->fiscal_print_width, .print = kkt_print,
					      .paper = kkt_paper, .ctx = s };
		dev = s->fiscal ? printer_kkt_new(&kc) : NULL; /* after the register's service */
	} else {
		struct transport *t;
		if (strcmp(c->printer_transport, "usb") == 0) {
			struct transport_usb_cfg u = { .classes = { TRANSPORT_USB_PRINTER } };
			t = transport_usb_parse_id(c->printer_address, &u) ? transport_usb_new(&u) : NULL;
		} else {
			t = transport_from_config(c->printer_transport, c->printer_address);
		}
		struct printer_escpos_cfg ec;
		printer_escpos_cfg_default(&ec);
		ec.opts.width_mm = c->printer_width_mm;
		ec.opts.codepage = c->printer_codepage;
		ec.logo_path = logo[0] ? logo : NULL;
		dev = t ? printer_escpos_new(t, &ec) : NULL;
	}
	if (!dev) {
		log_error("printer", "unavailable", "transport=%s", c->printer_transport);
		return;
	}
	struct printer_service_cfg pc;
	printer_service_cfg_default(&pc);
	pc.dev = dev;
	pc.on_job = on_printer_job;
	pc.on_state = on_printer_state;
	pc.ud = s;
	s->printer = printer_service_start(&pc);
}

void svc_print_doc(struct svc *s, struct receipt_doc *doc, const char *tag)
{
	if (!s->printer) {
		receipt_doc_free(doc);
		svc_post_int(SVC_PRINTED, PRINT_NONE);
		return;
	}
	printer_service_submit(s->printer, doc, tag);
	receipt_doc_free(doc);
}

static void print_receipt(struct svc *s, const char *txn_id)
{
	struct receipt_doc doc;
	if (svc_print_receipt_for(s, s->store, txn_id, &doc) == 0)
		svc_print_doc(s, &doc, txn_id);
}

/* The notice of a sale that did not complete (flow_pay_held): what the screen says, on paper. */
static void print_notice(struct svc *s, const char *txn_id)
{
	struct journal_payment p;
	char op[FLOW_OP_NUMBER_LEN];
	if (!txn_id[0] || journal_get(s->store, txn_id, &p) != 0) {
		log_error("receipt", "notice_no_row", "txn=%s", txn_id[0] ? txn_id : "-");
		return;
	}
	struct receipt_doc doc;
	receipt_doc_init(&doc);
	if (receipt_notice(&doc, s->cfg, &p, flow_pay_op_number(p.txn_id, op), clock_wall_ms()) != 0) {
		receipt_doc_free(&doc);
		return;
	}
	svc_print_doc(s, &doc, "notice");
}

/* The copy of the account's bill (FA_PRINT_BILL): the account as the flow had it. */
static void print_bill(struct svc *s, const struct account *acct, bool from_cache)
{
	struct receipt_doc doc;
	receipt_doc_init(&doc);
	if (bill_copy_doc(&doc, s->cfg, acct, from_cache, clock_wall_ms()) != 0) {
		log_error("bill_copy", "not_built", "details=%d", acct->details);
		receipt_doc_free(&doc);
		svc_post_int(SVC_PRINTED, PRINT_NONE);
		return;
	}
	svc_print_doc(s, &doc, "bill_copy");
}

void svc_print_run(struct svc *s, const struct svc_job *j)
{
	if (j->kind == JOB_PRINT_RECEIPT)
		print_receipt(s, j->u.txn_id);
	else if (j->kind == JOB_PRINT_NOTICE)
		print_notice(s, j->u.txn_id);
	else {
		print_bill(s, j->u.bill.acct, j->u.bill.from_cache);
		free(j->u.bill.acct); /* the job's (svc_priv.h) */
	}
}
