/* The services and their wiring to the flow (see svc.h). */
#include "kiosk/svc.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <netdb.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "drivers/pinpad_service.h"
#include "drivers/vtk_client.h"
#include "drivers/printer_escpos.h"
#include "drivers/printer_kkt.h"
#include "drivers/printer_file.h"
#include "drivers/printer_service.h"
#include "drivers/scanner_service.h"
#include "drivers/scanner_usb.h"
#include "drivers/transports.h"
#include "kiosk/bill_copy.h"
#include "kiosk/crashpoint.h"
#include "kiosk/fiscal_qr.h"
#include "kiosk/log.h"
#include "kiosk/pay_told.h"
#include "kiosk/receipt.h"
#include "kiosk/svc_fiscal.h"
#include "kiosk/svc_lookup.h"
#include "kiosk/svc_staff.h"
#include "kiosk/wake.h"
#include "kiosk/xalloc.h"
#include "offline/cache.h"
#include "offline/center_conf.h"
#include "offline/journal_fiscal.h"
#include "offline/outbox.h"
#include "offline/readings.h"
#include "offline/store.h"
#include "offline/sync.h"

#define SALE_TAG 1

struct svc {
	const struct config *cfg;
	struct store *store;          /* the main thread's connection */
	struct lookup *lookup;
	struct pinpad_service *pinpad;
	struct store *pinpad_store;
	struct printer_service *printer;
	struct scanner_service *scanner;
	struct sync *sync;
	struct store *sync_store;
	atomic_bool online, pinpad_ready;
	atomic_bool store_room;       /* the store's disk has payment.min_free_mb free */
	/* A cancel asked for before the sale reached the terminal: sent with the first
	 * progress event (the PIN-pad client accepts CANCEL only once the sale is online). */
	atomic_int printer_state, scanner_state;
	pthread_mutex_t mu;
	char open_txn[JOURNAL_TXN_ID_LEN + 1]; /* a sale shown as "being checked" (mu) */
	struct svc_staff *staff;      /* cashier and technician operations */
	struct svc_fiscal *fiscal;    /* the fiscal register, or NULL (fiscal.device = none) */
};

static Uint32 event_type = (Uint32)-1;

Uint32 svc_event_type(void)
{
	if (event_type == (Uint32)-1)
		event_type = SDL_RegisterEvents(1);
	return event_type;
}

struct store *svc_store(struct svc *s) { return s->store; }

static void post(enum svc_event code, void *payload)
{
	SDL_Event e = { .type = svc_event_type() };
	e.user.code = (Sint32)code;
	e.user.data1 = payload;
	if (SDL_PushEvent(&e) != 1) {
		log_error("svc", "event_lost", "code=%d err=\"%s\"", code, SDL_GetError());
		free(payload);
	}
	wake_signal();
}

static void post_int(enum svc_event code, int v)
{
	int *p = xmalloc(sizeof *p);
	*p = v;
	post(code, p);
}

/* ------------------------------------------------------------------ callbacks */

static void on_lookup(void *ud, struct flow_account_result *r)
{
	(void)ud;
	post(SVC_ACCOUNT, r);
}

static void on_history(void *ud, struct payhist *h)
{
	(void)ud;
	post(SVC_HISTORY, h);
}

static void on_rdhist(void *ud, struct rdhist *h)
{
	(void)ud;
	post(SVC_RDHIST, h);
}

static void card_from_msg(struct flow_pay_result *r, const struct kpp_msg *m)
{
	if (!m)
		return;
	snprintf(r->host_rc, sizeof r->host_rc, "%s", m->host_rc);
	kpp_mask_pan(m->masked_pan, r->masked_pan, sizeof r->masked_pan);
	snprintf(r->scheme, sizeof r->scheme, "%.23s", m->scheme);
	snprintf(r->auth_code, sizeof r->auth_code, "%s", m->auth_code);
	snprintf(r->rrn, sizeof r->rrn, "%s", m->rrn);
	snprintf(r->message, sizeof r->message, "%.127s", m->message_text);
}

/* The card as the journal recorded it: what an approved result shows, also after a
 * recovery (the terminal's answer to the SALE may never have arrived).  PIN-pad thread. */
static void card_from_journal(struct svc *s, const char *txn_id, struct flow_pay_result *r)
{
	struct journal_payment p;
	if (!txn_id[0] || journal_get(s->pinpad_store, txn_id, &p) != 0)
		return;
	snprintf(r->masked_pan, sizeof r->masked_pan, "%s", p.card.masked_pan);
	snprintf(r->scheme, sizeof r->scheme, "%s", p.card.scheme);
	snprintf(r->auth_code, sizeof r->auth_code, "%s", p.card.auth_code);
	snprintf(r->rrn, sizeof r->rrn, "%s", p.card.rrn);
	snprintf(r->host_rc, sizeof r->host_rc, "%s", p.card.host_rc);
	/* with a fiscal register: the receipt's attributes and check QR, as printed */
	struct journal_fiscal jf;
	if (journal_fiscal_get(s->pinpad_store, txn_id, &jf) == 0 && jf.state == JOURNAL_FISCAL_MADE &&
	    fiscal_qr_string(&jf, p.total, r->fiscal_qr, sizeof r->fiscal_qr) > 0)
		snprintf(r->fiscal_line, sizeof r->fiscal_line, "ФН %s · ФД %u · ФП %u", jf.fn_serial,
			 (unsigned)jf.fd, (unsigned)jf.fp);
	/* a terminal that gives no RRN (a Vendotek slip without one) is named by its operation */
	const char *op = p.card.rrn[0] ? NULL : strstr(p.card.slip, "VTK OP:");
	if (op)
		snprintf(r->terminal_op, sizeof r->terminal_op, "%.*s", (int)strspn(op + 7, "0123456789"), op + 7);
}

/* Posts a sale's result to the flow.  KEY: the explanation's strings key, or NULL. */
static void pay_result_key(struct svc *s, enum flow_pay_outcome o, const struct pinpad_event *ev, const char *key)
{
	struct flow_pay_result *r = xcalloc(1, sizeof *r);
	card_from_msg(r, o == PAY_APPROVED ? NULL : ev->msg);
	/* an approval, and a sale that may hold money, are told from the journal's record (the
	 * terminal's answer may never have arrived) */
	if (o == PAY_APPROVED || flow_pay_held(o))
		card_from_journal(s, ev->txn_id, r);
	r->outcome = o;
	snprintf(r->txn_id, sizeof r->txn_id, "%s", ev->txn_id);
	snprintf(r->text_key, sizeof r->text_key, "%s", key ? key : "");
	pthread_mutex_lock(&s->mu);
	/* Remember a sale whose outcome is open: its settlement is posted when recovery ends. */
	if (o == PAY_UNKNOWN)
		snprintf(s->open_txn, sizeof s->open_txn, "%s", ev->txn_id);
	else if (strcmp(s->open_txn, ev->txn_id) == 0)
		s->open_txn[0] = '\0';
	pthread_mutex_unlock(&s->mu);
	log_info("pay", "result", "txn=%s outcome=%d why=%s", ev->txn_id[0] ? ev->txn_id : "-", (int)o,
		 key ? key : "-");
	post(SVC_PAY_RESULT, r);
}

static void pay_result(struct svc *s, enum flow_pay_outcome o, const struct pinpad_event *ev)
{
	pay_result_key(s, o, ev, NULL);
}

/* Tells the flow a sale's outcome (kiosk/pay_told.h has the rule). */
static void settle(struct svc *s, enum pinpad_outcome o, const struct pinpad_event *ev)
{
	struct pay_told t = pay_told_outcome(o, ev->txn_id[0] != '\0',
					     ev->msg && ev->msg->result == KPP_RES_TIMEOUT);
	pay_result_key(s, t.outcome, ev, t.text_key);
}

/* Card payments are offered when the terminal is ready and an approval can be written
 * down (the flow's pinpad_ok: attract and the account screen say when they are not). */
static void post_ready(struct svc *s)
{
	post_int(SVC_PINPAD_READY, atomic_load(&s->pinpad_ready) && atomic_load(&s->store_room) &&
		 svc_fiscal_ready(s->fiscal));
}

/* The store's disk's free space in MB; -1 when it cannot be read. */
static long long store_free_mb(struct svc *s)
{
	char dir[512];
	snprintf(dir, sizeof dir, "%s", s->cfg->store_path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*(slash == dir ? slash + 1 : slash) = '\0';
	else
		snprintf(dir, sizeof dir, ".");
	struct statvfs v;
	if (statvfs(dir, &v) != 0)
		return -1;
	return (long long)((unsigned long long)v.f_bavail * v.f_frsize / (1024 * 1024));
}

/* Before a card is armed: can an approval be written down?  The store's disk needs
 * payment.min_free_mb free (SQLite's journal and the outbox grow with each payment). */
static bool can_record(struct svc *s)
{
	long long free_mb = store_free_mb(s);
	if (free_mb < s->cfg->min_free_mb) {
		log_error("pay", "refused", "reason=disk_full free_mb=%lld need_mb=%d store=%s", free_mb,
			  s->cfg->min_free_mb, s->cfg->store_path);
		return false;
	}
	return true;
}

/* Checked at every screen change: card payment is withdrawn while the disk is full (and
 * offered again when there is room), with one log line at each change. */
static void check_store_room(struct svc *s)
{
	long long free_mb = store_free_mb(s);
	bool room = free_mb >= s->cfg->min_free_mb;
	if (room == atomic_exchange(&s->store_room, room))
		return;
	if (room)
		log_info("pay", "store_room", "free_mb=%lld: card payments offered again", free_mb);
	else
		log_error("pay", "store_full", "free_mb=%lld need_mb=%d store=%s: card payments withdrawn", free_mb,
			  s->cfg->min_free_mb, s->cfg->store_path);
	post_ready(s);
}

/* The payment's receipt as DOC (to print, then receipt_doc_free), its text kept in the
 * journal for the cashier's reprints (a second save of the same txn is refused, quietly).
 * ST: the calling thread's connection.  0, or -1 with nothing to free. */
static int receipt_for(struct svc *s, struct store *st, const char *txn_id, struct receipt_doc *doc)
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

/* A row that recovery settled: a completed payment gets its stored receipt (the cashier's
 * reprint), and the sale on screen as "being checked" gets its outcome.  PIN-pad thread. */
static void on_recovered(struct svc *s, const struct pinpad_event *ev)
{
	if (ev->outcome == PINPAD_OUT_PAID) {
		struct receipt_doc doc;
		if (receipt_for(s, s->pinpad_store, ev->txn_id, &doc) == 0)
			receipt_doc_free(&doc);
	}
	pthread_mutex_lock(&s->mu);
	bool open = s->open_txn[0] && strcmp(s->open_txn, ev->txn_id) == 0;
	pthread_mutex_unlock(&s->mu);
	if (open)
		settle(s, ev->outcome, ev);
}

/* The store's journal ops with the crash suite's points between them (crashpoint.h). */
static int cj_begin(void *j, const struct journal_line *l, int n, int64_t t, char *id)
{
	int rc = pinpad_journal_store.begin(j, l, n, t, id);
	crashpoint("after_intent");
	return rc;
}

static int cj_authorize(void *j, const char *id, const struct journal_card *c, int64_t t)
{
	crashpoint("before_authorize"); /* the terminal approved; nothing of it is on disk */
	int rc = pinpad_journal_store.authorize(j, id, c, t);
	crashpoint("after_authorize");
	return rc;
}

static int cj_record(void *j, const char *id, bool offline, int64_t t)
{
	int rc = pinpad_journal_store.record(j, id, offline, t);
	crashpoint("after_record"); /* recorded and in the outbox; CONFIRM not yet sent */
	return rc;
}

static int cj_move(void *j, const char *id, enum journal_state to, const char *why, int64_t t)
{
	return pinpad_journal_store.move(j, id, to, why, t);
}

static int cj_get(void *j, const char *id, struct journal_payment *ret)
{
	return pinpad_journal_store.get(j, id, ret);
}

static int cj_unfinished(void *j, struct journal_payment *ret, int cap)
{
	return pinpad_journal_store.unfinished(j, ret, cap);
}

static const struct pinpad_journal_ops journal_ops = {
	.begin = cj_begin, .authorize = cj_authorize, .record = cj_record,
	.move = cj_move, .get = cj_get, .unfinished = cj_unfinished,
};

static void on_pinpad(void *ctx, const struct pinpad_event *ev)
{
	struct svc *s = ctx;
	if (ev->kind == PINPAD_EV_PROGRESS)
		crashpoint("after_sale_sent"); /* the SALE is with the terminal */
	switch (ev->kind) {
	case PINPAD_EV_READY:
		atomic_store(&s->pinpad_ready, ev->ready);
		post_ready(s);
		return;
	case PINPAD_EV_PROGRESS:
		if (ev->event_code >= PAY_PRESENT_CARD && ev->event_code <= PAY_SEE_PHONE)
			post_int(SVC_PAY_PROGRESS, ev->event_code);
		return;
	case PINPAD_EV_RECOVERED:
		on_recovered(s, ev); /* the service has logged it */
		if (s->sync)
			sync_kick(s->sync);
		return;
	case PINPAD_EV_OUTCOME:
		break;
	}
	if (ev->tag == SVC_STAFF_TAG) {
		svc_staff_pinpad(s->staff, ev);
		return;
	}
	if (ev->tag != SALE_TAG)
		return;
	struct pay_told t;
	bool timeout = ev->msg && ev->msg->result == KPP_RES_TIMEOUT;
	if (ev->cmd != PINPAD_CMD_SALE && ev->cmd != PINPAD_CMD_CONFIRM)
		return;
	if (ev->cmd == PINPAD_CMD_CONFIRM && ev->outcome == PINPAD_OUT_PAID && s->sync)
		sync_kick(s->sync);
	if (pay_told_answer(ev->cmd, ev->outcome, ev->txn_id[0] != '\0', timeout, &t)) {
		pay_result_key(s, t.outcome, ev, t.text_key);
		return;
	}
	/* Approved and written down: fulfilment is recording (RECORDED + outbox), then CONFIRM. */
	struct pinpad_cmd c = { .kind = PINPAD_CMD_CONFIRM, .tag = SALE_TAG, .offline = !atomic_load(&s->online) };
	snprintf(c.txn_id, sizeof c.txn_id, "%s", ev->txn_id);
	if (pinpad_service_submit(s->pinpad, &c) != 0)
		pay_result(s, PAY_UNKNOWN, ev); /* AUTHORIZED: recovery settles it */
}

static void on_printer_job(void *ud, uint64_t job, enum printer_outcome o, int attempts)
{
	(void)ud;
	log_info("printer", "job", "id=%llu outcome=%s attempts=%d", (unsigned long long)job, printer_outcome_name(o), attempts);
	struct svc_printed *p = xmalloc(sizeof *p);
	p->job = job;
	p->status = o == PRINTER_PRINTED ? PRINT_OK : o == PRINTER_FAILED_PAPER_OUT ? PRINT_PAPER_OUT : PRINT_OFFLINE;
	post(SVC_PRINTED, p);
}

static void on_printer_state(void *ud, enum printer_state st)
{
	struct svc *s = ud;
	atomic_store(&s->printer_state, (int)st);
	post_int(SVC_PRINTER_STATE, (int)st);
}

static void on_symbol(void *ud, const uint8_t *data, size_t len, const char *aim)
{
	(void)ud;
	(void)aim;
	struct svc_scan *p = xmalloc(sizeof *p + len);
	p->len = len;
	memcpy(p->data, data, len);
	post(SVC_SCAN, p);
}

static void on_scanner_state(void *ud, enum scanner_state st)
{
	struct svc *s = ud;
	atomic_store(&s->scanner_state, (int)st);
	post_int(SVC_SCANNER_STATE, (int)st);
}

static void on_sync_status(void *ud, bool online, const char *why)
{
	struct svc *s = ud;
	if (atomic_exchange(&s->online, online) != online || why == NULL)
		post_int(SVC_CENTER, online);
	log_info("sync", "status", "online=%d why=\"%s\"", online, why ? why : "");
}

static void on_sync_alert(void *ud, const char *what, const char *detail)
{
	(void)ud;
	log_error("sync", "alert", "what=%s detail=\"%s\"", what, detail);
}

static int on_snapshot_page(void *ud, const struct cjson_snapshot_page *page)
{
	struct svc *s = ud;
	return cache_put_many(s->sync_store, page->accounts, page->n) == 0 ? 0 : -1;
}

static void on_health(void *ud, struct cjson_health *h)
{
	struct svc *s = ud;
	static const char *const pst[] = { "ok", "paper_low", "paper_out", "cover_open", "error", "offline" };
	int p = atomic_load(&s->printer_state);
	snprintf(h->pinpad, sizeof h->pinpad, "%s", atomic_load(&s->pinpad_ready) ? "ok" : "unavailable");
	snprintf(h->printer, sizeof h->printer, "%s", s->printer ? (p >= 0 && p < 6 ? pst[p] : "error") : "none");
	snprintf(h->scanner, sizeof h->scanner, "%s", s->scanner ? (atomic_load(&s->scanner_state) == 0 ? "ok" : "absent") : "none");
}

/* ------------------------------------------------------------------ start, stop */

static void fiscal_ready(void *ctx)
{
	post_ready(ctx);
}

/* After the register's preflight (the fiscal thread): the sale goes to the PIN-pad, or is
 * refused before any card is asked for. */
static void sale_go(void *ctx, const struct pinpad_cmd *c, bool ok, const char *why)
{
	struct svc *s = ctx;
	if (ok && s->pinpad && pinpad_service_submit(s->pinpad, c) == 0)
		return;
	struct pinpad_event none = { .kind = PINPAD_EV_OUTCOME };
	log_error("pay", "refused", "reason=fiscal why=\"%s\"", why ? why : "");
	pay_result_key(s, PAY_FAILED, &none, "result.not_started_text");
}

static void start_pinpad(struct svc *s)
{
	const struct config *c = s->cfg;
	if (strcmp(c->pinpad_transport, "none") == 0)
		return;
	struct transport *t = transport_from_config(c->pinpad_transport, c->pinpad_address);
	if (!t || store_open(c->store_path, &s->pinpad_store) != 0) {
		log_error("pinpad", "unavailable", "transport=%s address=%s", c->pinpad_transport, c->pinpad_address);
		transport_destroy(t);
		return;
	}
	struct kpp_timeouts to;
	kpp_timeouts_default(&to);
	bool vtk = strcmp(c->pinpad_protocol, "vtk") == 0;
	/* with a fiscal register, recording a payment makes its receipt first */
	s->fiscal = svc_fiscal_start(c, s->pinpad_store, &journal_ops, fiscal_ready, sale_go, s);
	struct pinpad_service_cfg pc = {
		/* the protocol behind the seam; the service, journal and flow are the same */
		.client = vtk ? NULL : kpp_client_new(t, &to),
		.adapter = vtk ? vtk_client_adapter(t, strcmp(c->pinpad_transport, "tcp") == 0 ?
						    VTK_LINK_TCP : VTK_LINK_SERIAL, s->pinpad_store, 1000) : NULL,
		.jops = svc_fiscal_jops(s->fiscal, &journal_ops),
		.journal = svc_fiscal_journal(s->fiscal, s->pinpad_store),
		.on_event = on_pinpad,
		.ctx = s,
		.timeout_s = c->pinpad_timeout_s,
		.confirm_timeout_s = c->pinpad_confirm_timeout_s,
	};
	s->pinpad = pinpad_service_start(&pc);
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

static void start_printer(struct svc *s)
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

static int hexval(int ch)
{
	return ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
}

static void start_scanner(struct svc *s)
{
	const struct config *c = s->cfg;
	if (strcmp(c->scanner_transport, "none") == 0)
		return;
	struct scanner_service_cfg sc;
	scanner_service_cfg_default(&sc);
	int mode = scanner_mode_parse(c->scanner_transport);
	sc.mode = (enum scanner_mode)(mode < 0 ? SCANNER_MODE_TTY : mode);
	if (sc.mode == SCANNER_MODE_TTY) {
		sc.t = transport_tty_new(c->scanner_address, 115200);
	} else {
		struct scanner_usb_cfg u = { .keyboard = sc.mode == SCANNER_MODE_WEDGE };
		sc.t = scanner_usb_parse_id(c->scanner_address, &u.vid, &u.pid) == 0 ? scanner_usb_new(&u) : NULL;
	}
	for (size_t i = 0; c->scanner_suffix[2 * i] && c->scanner_suffix[2 * i + 1] && i < SCANNER_MAX_SUFFIX; i++)
		sc.suffix[sc.suffix_len++] = (uint8_t)(hexval(c->scanner_suffix[2 * i]) << 4 | hexval(c->scanner_suffix[2 * i + 1]));
	sc.on_symbol = on_symbol;
	sc.on_state = on_scanner_state;
	sc.ud = s;
	if (!sc.t) {
		log_error("scanner", "unavailable", "transport=%s address=%s", c->scanner_transport, c->scanner_address);
		return;
	}
	s->scanner = scanner_service_start(&sc);
}

static void start_sync(struct svc *s)
{
	const struct config *c = s->cfg;
	if (!c->center_url[0])
		return;
	struct sync_opts o = { .heartbeat_s = c->center_heartbeat_s };
	char err[256];
	if (store_open(c->store_path, &s->sync_store) != 0 || center_conf_opts(c, &o.center, err, sizeof err) != 0) {
		log_error("sync", "unavailable", "err=\"%s\"", s->sync_store ? err : "store");
		return;
	}
	o.store = s->sync_store;
	snprintf(o.sw, sizeof o.sw, "%s", KIOSK_VERSION);
	o.cb = (struct sync_callbacks){ .status = on_sync_status, .alert = on_sync_alert,
					.apply_page = on_snapshot_page, .health = on_health, .ud = s };
	s->sync = sync_new(&o, err, sizeof err);
	if (!s->sync || sync_start(s->sync) != 0)
		log_error("sync", "unavailable", "err=\"%s\"", err);
}

struct svc *svc_start(const struct config *cfg, char *err, int errcap)
{
	struct svc *s = xcalloc(1, sizeof *s);
	s->cfg = cfg;
	pthread_mutex_init(&s->mu, NULL);
	atomic_init(&s->printer_state, 0);
	atomic_init(&s->store_room, true);
	int rc = store_open(cfg->store_path, &s->store);
	if (rc != 0) {
		snprintf(err, (size_t)errcap, "store %s: %s", cfg->store_path, store_strerror(rc));
		free(s);
		return NULL;
	}
	svc_event_type();
	s->lookup = lookup_start(cfg, on_lookup, s);
	if (s->lookup) {
		lookup_set_history_cb(s->lookup, on_history);
		lookup_set_rdhist_cb(s->lookup, on_rdhist);
	}
	start_pinpad(s);
	start_printer(s);
	start_scanner(s);
	start_sync(s);
	struct svc_staff_deps sd = { .cfg = cfg, .store = s->store, .pinpad = s->pinpad, .fiscal = s->fiscal,
				     .printer = s->printer, .sync = s->sync, .scanner = s->scanner != NULL,
				     .pinpad_ready = &s->pinpad_ready, .online = &s->online,
				     .printer_state = &s->printer_state, .scanner_state = &s->scanner_state };
	s->staff = svc_staff_start(&sd);
	check_store_room(s);
	return s;
}

void svc_stop(struct svc *s)
{
	if (!s)
		return;
	sync_free(s->sync);
	scanner_service_stop(s->scanner);
	printer_service_stop(s->printer);
	pinpad_service_stop(s->pinpad); /* a record waiting for a receipt ends first */
	svc_fiscal_stop(s->fiscal);
	svc_staff_stop(s->staff);
	lookup_stop(s->lookup);
	store_close(s->sync_store);
	store_close(s->pinpad_store);
	store_close(s->store);
	pthread_mutex_destroy(&s->mu);
	/* Reports still queued (a print result, a staff screen's data) die with us. */
	SDL_Event e;
	while (SDL_PeepEvents(&e, 1, SDL_GETEVENT, svc_event_type(), svc_event_type()) > 0)
		svc_event_free(&e);
	free(s);
}

/* ------------------------------------------------------------------ actions */

static void print_doc(struct svc *s, struct receipt_doc *doc, const char *tag)
{
	if (!s->printer) {
		receipt_doc_free(doc);
		struct svc_printed *p = xmalloc(sizeof *p);
		*p = (struct svc_printed){ 0, PRINT_NONE };
		post(SVC_PRINTED, p);
		return;
	}
	printer_service_submit(s->printer, doc, tag);
	receipt_doc_free(doc);
}

static void print_receipt(struct svc *s, const struct flow *f)
{
	struct receipt_doc doc;
	if (receipt_for(s, s->store, f->s.pay.txn_id, &doc) == 0)
		print_doc(s, &doc, f->s.pay.txn_id);
}

/* The notice of a sale that did not complete (flow_pay_held): what the screen says, on paper. */
static void print_notice(struct svc *s, const struct flow *f)
{
	struct journal_payment p;
	char op[FLOW_OP_NUMBER_LEN];
	if (!f->s.pay.txn_id[0] || journal_get(s->store, f->s.pay.txn_id, &p) != 0) {
		log_error("receipt", "notice_no_row", "txn=%s", f->s.pay.txn_id[0] ? f->s.pay.txn_id : "-");
		return;
	}
	struct receipt_doc doc;
	receipt_doc_init(&doc);
	if (receipt_notice(&doc, s->cfg, &p, flow_pay_op_number(p.txn_id, op), clock_wall_ms()) != 0) {
		receipt_doc_free(&doc);
		return;
	}
	print_doc(s, &doc, "notice");
}

static void submit_readings(struct svc *s, const struct flow *f)
{
	const struct account *a = &f->s.acct;
	int64_t now = clock_wall_ms();
	int rc = 0, n = 0;
	struct receipt_reading rr[ACCOUNT_MAX_METERS];
	for (int i = 0; i < a->nmeters && rc == 0; i++) {
		const struct flow_reading *r = &f->s.readings[i];
		if (!r->entered)
			continue;
		uint8_t key[READINGS_KEY_LEN];
		rc = readings_submit(s->store, a->pers_acc, a->meters[i].id, r->value_milli, a->meters[i].last_value_milli,
				     r->confirm_rollover, NULL, now, key);
		if (rc == 0) {
			rr[n].meter = &a->meters[i];
			rr[n].value_milli = r->value_milli;
			for (int k = 0; k < 16; k++)
				snprintf(rr[n].key_hex + 2 * k, 3, "%02x", key[k]);
			n++;
		}
	}
	if (s->sync)
		sync_kick(s->sync);
	post_int(SVC_READINGS_SAVED, rc);
	if (rc == 0) {
		struct receipt_doc doc;
		receipt_doc_init(&doc);
		if (receipt_readings(&doc, s->cfg, a->pers_acc, rr, n, now) == 0)
			print_doc(s, &doc, "readings");
		else
			receipt_doc_free(&doc);
	}
}

/* A standalone outbox record (e-receipt, request): compact JSON with sorted keys, so the
 * bytes are stable.  Reported back as SVC_QUEUED. */
static void queue_record(struct svc *s, const char *kind, json_t *body)
{
	json_object_set_new(body, "created_ms", json_integer(clock_wall_ms()));
	char *text = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(body);
	uint8_t key[OUTBOX_KEY_LEN];
	int rc = text ? outbox_add(s->store, kind, (const uint8_t *)text, strlen(text), clock_wall_ms(), key) : -1;
	free(text);
	log_info("svc", "queued", "kind=%s rc=%d", kind, rc);
	if (rc == 0 && s->sync)
		sync_kick(s->sync);
	post_int(SVC_QUEUED, rc);
}

static void print_bill(struct svc *s, const struct flow *f)
{
	struct receipt_doc doc;
	receipt_doc_init(&doc);
	if (bill_copy_doc(&doc, s->cfg, &f->s.acct, f->s.acct_from_cache, clock_wall_ms()) != 0) {
		log_error("bill_copy", "not_built", "details=%d", f->s.acct.details);
		receipt_doc_free(&doc);
		struct svc_printed *p = xmalloc(sizeof *p);
		*p = (struct svc_printed){ 0, PRINT_NONE };
		post(SVC_PRINTED, p);
		return;
	}
	print_doc(s, &doc, "bill_copy");
}

void svc_action(struct svc *s, const struct flow *f, const struct flow_action *a)
{
	switch (a->type) {
	case FA_LOOKUP_ACCOUNT:
	case FA_VERIFY_ANSWER: {
		struct lookup_req q = { .verify = a->type == FA_VERIFY_ANSWER, .typed = f->s.lookup_typed,
					.bill_sum = f->s.bill_sum, .answer = flow_typed_kopecks(f->s.answer) };
		snprintf(q.pers_acc, sizeof q.pers_acc, "%s", f->s.lookup);
		if (s->lookup)
			lookup_submit(s->lookup, &q);
		break;
	}
	case FA_PAY: {
		if (!can_record(s)) {
			struct pinpad_event none = { .kind = PINPAD_EV_OUTCOME };
			pay_result_key(s, PAY_FAILED, &none, "result.store_full_text");
			break;
		}
		struct pinpad_cmd c = { .kind = PINPAD_CMD_SALE, .tag = SALE_TAG, .nlines = f->s.nlines };
		for (int i = 0; i < f->s.nlines; i++) {
			const struct flow_line *l = &f->s.lines[i];
			struct journal_line *j = &c.lines[i];
			snprintf(j->pers_acc, sizeof j->pers_acc, "%s", l->acct.pers_acc);
			snprintf(j->period, sizeof j->period, "%s", l->acct.period);
			j->amount = l->amount;
			snprintf(j->payee_inn, sizeof j->payee_inn, "%s", l->payee_inn);
			snprintf(j->payee_name, sizeof j->payee_name, "%s", l->payee_name);
		}
		char contact[80]; /* tag 1008: given on `confirm` before the card */
		flow_ereceipt_contact(f, contact, sizeof contact);
		if (s->fiscal && s->pinpad && svc_fiscal_sale(s->fiscal, &c, contact) == 0)
			break; /* sale_go continues after the register's preflight */
		if (s->fiscal || !s->pinpad || pinpad_service_submit(s->pinpad, &c) != 0) {
			struct flow_pay_result *r = xcalloc(1, sizeof *r);
			r->outcome = PAY_FAILED;
			post(SVC_PAY_RESULT, r);
		}
		break;
	}
	case FA_PAY_CANCEL:
		if (s->pinpad && pinpad_service_cancel(s->pinpad) != 0)
			log_info("pay", "cancel_ignored", "why=no_sale"); /* it has ended already */
		break;
	case FA_PRINT_RECEIPT:
		print_receipt(s, f);
		break;
	case FA_PRINT_NOTICE:
		print_notice(s, f);
		break;
	case FA_LOOKUP_CANCEL:
		if (s->lookup)
			lookup_cancel(s->lookup);
		break;
	case FA_SUBMIT_READINGS:
		submit_readings(s, f);
		break;
	case FA_SEND_ERECEIPT: {
		char phone[16];
		snprintf(phone, sizeof phone, "+7%.10s", f->s.contact);
		queue_record(s, "ereceipt", json_pack("{s:s, s:s}", "txn_id", f->s.pay.txn_id,
						       f->s.contact_email ? "email" : "phone",
						       f->s.contact_email ? f->s.contact : phone));
		break;
	}
	case FA_SEND_REQUEST:
		queue_record(s, "request", json_pack("{s:s, s:s, s:s}", "pers_acc", f->s.request_acc, "kind",
						      f->s.request_kind ? "change_data" : "question", "text", f->s.request_text));
		break;
	case FA_LOOKUP_HISTORY: {
		struct lookup_req q = { .history = true, .typed = f->s.lookup_typed, .bill_sum = f->s.bill_sum,
					.now_ms = clock_wall_ms() };
		snprintf(q.pers_acc, sizeof q.pers_acc, "%s", f->s.acct.pers_acc);
		if (s->lookup)
			lookup_submit(s->lookup, &q);
		break;
	}
	case FA_LOOKUP_RDHIST: {
		struct lookup_req q = { .readings_history = true, .typed = f->s.lookup_typed, .bill_sum = f->s.bill_sum,
					.now_ms = clock_wall_ms() };
		snprintf(q.pers_acc, sizeof q.pers_acc, "%s", f->s.acct.pers_acc);
		if (s->lookup)
			lookup_submit(s->lookup, &q);
		break;
	}
	case FA_PRINT_BILL:
		print_bill(s, f);
		break;
	case FA_STAFF:
		svc_staff_action(s->staff, f, a->arg);
		break;
	case FA_WIPE_SESSION:
		lookup_forget(s->lookup);
		svc_staff_session_end(s->staff);
		break;
	case FA_SCREEN_CHANGED:
		check_store_room(s);
		break;
	case FA_PRINT_READINGS:
	case FA_STAFF_ENTRY:
	case FA_SCAN_REJECTED:
		break;
	}
}

/* ------------------------------------------------------------------ events */

bool svc_translate(const SDL_Event *e, struct flow_event *ret)
{
	if (e->type != svc_event_type())
		return false;
	const void *p = e->user.data1;
	const int *iv = p;
	memset(ret, 0, sizeof *ret);
	switch (e->user.code) {
	case SVC_ACCOUNT: ret->type = FE_ACCOUNT; ret->payload = p; return true;
	case SVC_PAY_PROGRESS: ret->type = FE_PAY_PROGRESS; ret->code = *iv; return true;
	case SVC_PAY_RESULT: ret->type = FE_PAY_RESULT; ret->payload = p; return true;
	case SVC_PINPAD_READY: ret->type = FE_PINPAD_STATUS; ret->code = *iv; return true;
	case SVC_PRINTED: ret->type = FE_PRINT_RESULT; ret->code = ((const struct svc_printed *)p)->status; return true;
	case SVC_SCAN: ret->type = FE_SCAN; ret->data = ((const struct svc_scan *)p)->data;
		ret->len = ((const struct svc_scan *)p)->len; return true;
	case SVC_CENTER: ret->type = FE_CENTER_STATUS; ret->code = *iv; return true;
	case SVC_QUEUED: ret->type = FE_QUEUED; ret->code = *iv; return true;
	case SVC_PRINTER_STATE: ret->type = FE_PRINTER_STATUS; ret->code = *iv; return true;
	case SVC_READINGS_SAVED: ret->type = FE_READINGS_SAVED; ret->code = *iv; return true;
	case SVC_HISTORY: ret->type = FE_HISTORY; ret->payload = p; return true;
	case SVC_STAFF_AUTH: ret->type = FE_STAFF_AUTH; ret->payload = p; return true;
	case SVC_STAFF_DATA: ret->type = FE_STAFF_DATA; ret->payload = p; return true;
	case SVC_STAFF_DONE: ret->type = FE_STAFF_DONE; ret->payload = p; return true;
	case SVC_STAFF_STATE: ret->type = FE_STAFF_STATE; ret->payload = p; return true;
	case SVC_RDHIST: ret->type = FE_RDHIST; ret->payload = p; return true;
	default: return false; /* device states: for the technician screen and health */
	}
}

void svc_event_free(SDL_Event *e)
{
	if (e->type == svc_event_type()) {
		free(e->user.data1);
		e->user.data1 = NULL;
	}
}

/* ------------------------------------------------------------------ script support */

int svc_unacked(struct svc *s)
{
	int n = 0;
	int64_t age = 0;
	if (outbox_pending(s->store, clock_wall_ms(), &n, &age) != 0)
		return -1;
	return n;
}

int svc_exit_code(struct svc *s, int rc)
{
	return s ? svc_staff_exit_code(s->staff, rc) : rc;
}
