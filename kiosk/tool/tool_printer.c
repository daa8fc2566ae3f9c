/* kiosk-tool printer test|status: talk to the configured receipt printer
 * (printer.transport / printer.address / printer.width_mm / printer.codepage).
 * ESC/POS over usb (VID:PID, printer interface class 7), tty or tcp (host:port) uses the
 * transports of drivers/transports.h when the tree has them; file uses printer_file.
 *   status  prints "printer state=<ok|near_end|paper_out|cover_open|error|offline> dev=<...>";
 *           exit 0 when it can print (ok, near_end), 1 otherwise.
 *   test    prints a test page through the printer service (the same checks as a receipt:
 *           state before and after, no waiting for paper) and prints the outcome
 *           "printer test printed|failed_paper_out|failed_offline"; exit 0 only if printed. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "drivers/printer_escpos.h"
#include "drivers/printer_file.h"
#include "drivers/printer_service.h"
#include "drivers/transports.h"
#include "kiosk/base/clock.h"
#include "kiosk/tool/tool.h"
#include "kiosk/base/xalloc.h"

#define PRINTER_TTY_BAUD 115200 /* CDC-ACM ignores it; RS-232 printers are set to match */

/* An ESC/POS printer over the byte transports of drivers/transports.h (usb: the printer
 * interface class 7 of VID:PID; tty; tcp host:port). */
static struct transport *open_transport(const struct config *c)
{
	if (strcmp(c->printer_transport, "usb") == 0) {
		struct transport_usb_cfg u = { .classes = { TRANSPORT_USB_PRINTER } };
		return transport_usb_parse_id(c->printer_address, &u) ? transport_usb_new(&u) : NULL;
	}
	if (strcmp(c->printer_transport, "tty") == 0)
		return transport_tty_new(c->printer_address, PRINTER_TTY_BAUD);
	if (strcmp(c->printer_transport, "tcp") == 0)
		return transport_tcp_new(c->printer_address);
	return NULL;
}

static struct printer_dev *open_printer(const struct config *c, const char *logo)
{
	if (strcmp(c->printer_transport, "file") == 0)
		return printer_file_new(c->printer_address, c->printer_width_mm, logo);
	if (strcmp(c->printer_transport, "none") == 0) {
		fprintf(stderr, "kiosk-tool: no printer configured (printer.transport = none)\n");
		return NULL;
	}
	if (strcmp(c->printer_transport, "kkt") == 0) { /* the kiosk's fiscal thread owns it */
		fprintf(stderr, "kiosk-tool: the receipts print on the fiscal register "
			"(printer.transport = kkt): see kiosk-tool fiscal status\n");
		return NULL;
	}
	struct transport *t = open_transport(c);
	if (!t) {
		fprintf(stderr, "kiosk-tool: cannot use printer.transport = %s, printer.address = %s\n",
			c->printer_transport, c->printer_address);
		return NULL;
	}
	struct printer_escpos_cfg pc;
	printer_escpos_cfg_default(&pc);
	pc.opts.codepage = c->printer_codepage;
	pc.opts.width_mm = c->printer_width_mm;
	pc.logo_path = logo;
	return printer_escpos_new(t, &pc);
}

static int cmd_status(struct printer_dev *p)
{
	enum printer_state st = PRINTER_OFFLINE;
	if (printer_dev_status(p, &st) != 0)
		st = PRINTER_OFFLINE;
	printf("printer state=%s dev=\"%s\"\n", printer_state_name(st), p->desc);
	return (st == PRINTER_OK || st == PRINTER_NEAR_END) ? 0 : 1;
}

struct wait_job {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int done;
	enum printer_outcome outcome;
};

static void on_job(void *ud, uint64_t id, enum printer_outcome o, int attempts)
{
	struct wait_job *w = ud;
	(void)id; (void)attempts;
	pthread_mutex_lock(&w->mu);
	w->done = 1;
	w->outcome = o;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

static void test_page(struct receipt_doc *d, const struct config *c)
{
	char when[32];
	time_t now = (time_t)(clock_wall_ms() / 1000);
	struct tm tm;
	strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", gmtime_r(&now, &tm));
	receipt_doc_init(d);
	receipt_doc_logo(d);
	receipt_doc_text(d, RDOC_CENTER, RDOC_BOLD | RDOC_BIG, "ТЕСТ ПРИНТЕРА");
	receipt_doc_text(d, RDOC_CENTER, 0, c->org_name[0] ? c->org_name : "Платёжный терминал");
	receipt_doc_pair(d, 0, "Терминал", c->kiosk_id[0] ? c->kiosk_id : "-");
	receipt_doc_pair(d, 0, "Время", when);
	receipt_doc_separator(d);
	receipt_doc_text(d, RDOC_LEFT, 0, "АБВГДЕЁЖЗИЙКЛМНОП");
	receipt_doc_text(d, RDOC_LEFT, 0, "РСТУФХЦЧШЩЪЫЬЭЮЯ");
	receipt_doc_text(d, RDOC_LEFT, 0, "абвгдеёжзийклмноп");
	receipt_doc_text(d, RDOC_LEFT, 0, "рстуфхцчшщъыьэюя");
	receipt_doc_text(d, RDOC_LEFT, 0, "0123456789 №%*+-=/()\"' ╔═╗║╚╝");
	receipt_doc_pair(d, RDOC_BOLD, "Итого", "1 234,56 ₽");
	receipt_doc_text(d, RDOC_RIGHT, 0, "справа");
	receipt_doc_qr(d, "ST00012|Name=TEST|PersonalAcc=00000000000000000000");
	receipt_doc_cut(d, true);
}

static int cmd_test(struct printer_dev *p, const struct config *c)
{
	struct wait_job w = { .done = 0 };
	pthread_mutex_init(&w.mu, NULL);
	pthread_cond_init(&w.cv, NULL);
	struct printer_service_cfg sc;
	printer_service_cfg_default(&sc);
	sc.dev = p;
	sc.paper_wait_ms = 0;  /* a technician at the printer wants the answer now */
	sc.max_reprints = 0;
	sc.on_job = on_job;
	sc.ud = &w;
	struct printer_service *s = printer_service_start(&sc);
	int rc = 1;
	if (!s) {
		fprintf(stderr, "kiosk-tool: cannot start the printer service\n");
		goto out;
	}
	struct receipt_doc d;
	test_page(&d, c);
	if (!printer_service_submit(s, &d, "test")) {
		receipt_doc_free(&d);
		printer_service_stop(s);
		goto out;
	}
	pthread_mutex_lock(&w.mu);
	while (!w.done)
		pthread_cond_wait(&w.cv, &w.mu);
	pthread_mutex_unlock(&w.mu);
	printer_service_stop(s);
	printf("printer test %s\n", printer_outcome_name(w.outcome));
	rc = w.outcome == PRINTER_PRINTED ? 0 : 1;
out:
	pthread_cond_destroy(&w.cv);
	pthread_mutex_destroy(&w.mu);
	return rc;
}

int tool_printer(struct tool_ctx *ctx, int argc, char **argv);

int tool_printer(struct tool_ctx *ctx, int argc, char **argv)
{
	if (argc != 2 || (strcmp(argv[1], "test") != 0 && strcmp(argv[1], "status") != 0)) {
		fprintf(stderr, "usage: kiosk-tool printer test|status\n");
		return 2;
	}
	if (tool_need_config(ctx) != 0)
		return 2;
	char logo[300];
	snprintf(logo, sizeof logo, "%s/printer-logo.png", ctx->cfg.assets_dir);
	struct printer_dev *p = open_printer(&ctx->cfg, access(logo, R_OK) == 0 ? logo : NULL);
	if (!p)
		return 1;
	if (strcmp(argv[1], "status") == 0) {
		int rc = cmd_status(p);
		printer_dev_destroy(p);
		return rc;
	}
	return cmd_test(p, &ctx->cfg); /* the service owns and destroys p */
}
