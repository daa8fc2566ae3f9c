/* Payments (svc_priv.h): the PIN-pad service and the fiscal register wired to the journal
 * and the flow.  The PIN-pad's callbacks run on its thread with its own store connection;
 * svc_pay_run and svc_pay_check_room run on the service worker. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>

#include "drivers/transports.h"
#include "drivers/vtk_client.h"
#include "kiosk/base/crashpoint.h"
#include "kiosk/svc/fiscal_qr.h"
#include "kiosk/base/log.h"
#include "kiosk/svc/pay_told.h"
#include "kiosk/svc/svc_fiscal.h"
#include "kiosk/svc/svc_priv.h"
#include "kiosk/base/xalloc.h"
#include "offline/journal_fiscal.h"
#include "offline/store.h"
#include "offline/sync.h"

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
	svc_post(SVC_PAY_RESULT, r);
}

static void pay_result(struct svc *s, enum flow_pay_outcome o, const struct pinpad_event *ev)
{
	pay_result_key(s, o, ev, NULL);
}

/* Tells the flow a sale's outcome (kiosk/svc/pay_told.h has the rule). */
static void settle(struct svc *s, enum pinpad_outcome o, const struct pinpad_event *ev)
{
	struct pay_told t = pay_told_outcome(o, ev->txn_id[0] != '\0',
					     ev->msg && ev->msg->result == KPP_RES_TIMEOUT);
	pay_result_key(s, t.outcome, ev, t.text_key);
}

/* Card payments are offered when the terminal is ready and an approval can be written
 * down (the flow's pinpad_ok: attract and the account screen say when they are not). */
/* The PIN-pad's thread, the service worker and the fiscal register's each post it when
 * their part changes: the value is read and queued under one lock, so the reports reach the
 * screen in the order the state changed (a PIN-pad's "ready" read before the disk was found
 * full must not arrive after the disk's "not ready" and offer cards again). */
static void post_ready(struct svc *s)
{
	static pthread_mutex_t ready_mu = PTHREAD_MUTEX_INITIALIZER;
	pthread_mutex_lock(&ready_mu);
	svc_post_int(SVC_PINPAD_READY, atomic_load(&s->pinpad_ready) && atomic_load(&s->store_room) &&
		 svc_fiscal_ready(s->fiscal));
	pthread_mutex_unlock(&ready_mu);
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
void svc_pay_check_room(struct svc *s)
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

/* A row that recovery settled: a completed payment gets its stored receipt (the cashier's
 * reprint), and the sale on screen as "being checked" gets its outcome.  PIN-pad thread. */
static void on_recovered(struct svc *s, const struct pinpad_event *ev)
{
	if (ev->outcome == PINPAD_OUT_PAID) {
		struct receipt_doc doc;
		if (svc_print_receipt_for(s, s->pinpad_store, ev->txn_id, &doc) == 0)
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
			svc_post_int(SVC_PAY_PROGRESS, ev->event_code);
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

void svc_pay_start(struct svc *s)
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

/* JOB_PAY: the sale, once an approval can be written down. */
void svc_pay_run(struct svc *s, const struct svc_job *j)
{
	if (j->kind == JOB_PAY_CANCEL) {
		if (s->pinpad && pinpad_service_cancel(s->pinpad) != 0)
			log_info("pay", "cancel_ignored", "why=no_sale"); /* it has ended already */
		return;
	}
	if (atomic_load(&s->stopping)) { /* no card is asked for as the kiosk stops */
		log_info("pay", "refused", "reason=stopping");
		struct pinpad_event none = { .kind = PINPAD_EV_OUTCOME };
		pay_result_key(s, PAY_FAILED, &none, "result.not_started_text");
		return;
	}
	if (!can_record(s)) {
		struct pinpad_event none = { .kind = PINPAD_EV_OUTCOME };
		pay_result_key(s, PAY_FAILED, &none, "result.store_full_text");
		return;
	}
	struct pinpad_cmd c = j->u.pay.cmd;
	if (s->fiscal && s->pinpad && svc_fiscal_sale(s->fiscal, &c, j->u.pay.contact) == 0)
		return; /* sale_go continues after the register's preflight */
	if (s->fiscal || !s->pinpad || pinpad_service_submit(s->pinpad, &c) != 0) {
		struct flow_pay_result *r = xcalloc(1, sizeof *r);
		r->outcome = PAY_FAILED;
		svc_post(SVC_PAY_RESULT, r);
	}
}
