/* The payment service thread: see pinpad_service.h. */
#include "drivers/pinpad_service.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "drivers/pinpad_adapter.h"
#include "drivers/pinpad_recovery.h"
#include "kiosk/clock.h"
#include "kiosk/log.h"
#include "kiosk/xalloc.h"

#define INBOX_MAX 16
#define UNFINISHED_MAX 16

struct pinpad_service {
	struct pinpad_service_cfg cfg;
	struct pinpad_adapter *ad;    /* the protocol: cfg.adapter, or cfg.client wrapped */
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct pinpad_cmd inbox[INBOX_MAX];
	int head, count;
	bool stopping;
	bool ready;              /* connected, recovered: sales accepted */
	bool connected;
	bool must_recover;       /* a journal write failed: a row is left unfinished */
	/* cancel of the SALE in the inbox or running (guarded by mu): kept until the sale
	 * ends, so a cancel that comes before the terminal was asked is not lost */
	bool sale_live, cancel_req;
	int backoff_ms;
	/* scratch, service thread only */
	struct kpp_msg msg;
	struct journal_payment rows[UNFINISHED_MAX];
	const struct pinpad_cmd *cur;
};

const char *pinpad_outcome_name(enum pinpad_outcome o)
{
	static const char *const n[] = { "ok", "approved", "paid", "declined", "cancelled",
		"not_paid", "needs_operator", "unavailable", "busy", "failed", "not_recorded" };
	return (unsigned)o < sizeof n / sizeof n[0] ? n[o] : "?";
}

static int64_t now_ms(struct pinpad_service *s)
{
	return s->cfg.now_ms ? s->cfg.now_ms() : clock_wall_ms();
}

static void emit(struct pinpad_service *s, struct pinpad_event *ev)
{
	if (s->cfg.on_event)
		s->cfg.on_event(s->cfg.ctx, ev);
}

static void set_ready(struct pinpad_service *s, bool ready)
{
	pthread_mutex_lock(&s->mu);
	bool changed = s->ready != ready;
	s->ready = ready;
	pthread_mutex_unlock(&s->mu);
	if (changed) {
		struct pinpad_event ev = { .kind = PINPAD_EV_READY, .ready = ready };
		log_info("pinpad", ready ? "ready" : "out_of_service", "dev=%s protocol=%s",
			 s->ad->ops->desc(s->ad->impl), s->ad->protocol);
		emit(s, &ev);
	}
}

static void outcome(struct pinpad_service *s, const struct pinpad_cmd *c, enum pinpad_outcome o,
		    const char *txn_id, const struct kpp_msg *m, const char *text)
{
	/* A row left unfinished stops sales before the outcome is told: the result screen
	 * never offers «Повторить» on a terminal that is about to go out of service. */
	if (s->must_recover)
		set_ready(s, false);
	struct pinpad_event ev = { .kind = PINPAD_EV_OUTCOME, .cmd = c->kind, .outcome = o,
				   .tag = c->tag, .msg = m };
	snprintf(ev.txn_id, sizeof ev.txn_id, "%s", txn_id ? txn_id : "");
	snprintf(ev.text, sizeof ev.text, "%s", text ? text : "");
	emit(s, &ev);
}

static bool link_lost(int rc)
{
	return rc == KPP_ELINK || rc == KPP_EGONE || rc == KPP_EIO || rc == KPP_ETIMEDOUT;
}

static void disconnect(struct pinpad_service *s)
{
	s->ad->ops->close(s->ad->impl);
	s->connected = false;
	set_ready(s, false);
}

/* Sleeps up to ms, waking early when the service stops.  Returns false when stopping. */
static bool nap(struct pinpad_service *s, int ms)
{
	struct timespec ts = clock_deadline(CLOCK_REALTIME, ms);
	pthread_mutex_lock(&s->mu);
	while (!s->stopping && pthread_cond_timedwait(&s->cv, &s->mu, &ts) == 0)
		;
	bool go = !s->stopping;
	pthread_mutex_unlock(&s->mu);
	return go;
}

/* A journal move the service goes on from.  When it fails (disk full, I/O error, busy) the
 * row is left unfinished: the service takes no sale until recovery has settled it. */
static int row_move(struct pinpad_service *s, const char *txn_id, enum journal_state to, const char *why)
{
	int rc = s->cfg.jops->move(s->cfg.journal, txn_id, to, why, now_ms(s));
	if (rc != 0) {
		log_error("pinpad", "journal_move_failed", "txn=%s to=%s rc=%d", txn_id,
			  journal_state_name(to), rc);
		s->must_recover = true;
	}
	return rc;
}

/* ---------------------------------------------------------------- recovery */

/* Recovery could not write its decision down: the row stays for the next round. */
static int journal_refused(struct pinpad_service *s, const char *txn_id, int rc)
{
	log_error("pinpad", "journal_refused", "txn=%s rc=%d", txn_id, rc);
	s->must_recover = true;
	return PINPAD_OUT_FAILED;
}

static void recovered(struct pinpad_service *s, const char *txn_id, enum pinpad_outcome o,
		      const char *why)
{
	struct pinpad_event ev = { .kind = PINPAD_EV_RECOVERED, .outcome = o };
	snprintf(ev.txn_id, sizeof ev.txn_id, "%s", txn_id);
	snprintf(ev.text, sizeof ev.text, "%s", why ? why : "");
	log_info("pinpad", "recovered", "txn=%s outcome=%s why=\"%s\"", txn_id,
		 pinpad_outcome_name(o), ev.text);
	emit(s, &ev);
}

static enum pinpad_outcome mark_outcome(enum journal_state st)
{
	switch (st) {
	case JOURNAL_CONFIRMED: return PINPAD_OUT_PAID;
	case JOURNAL_DECLINED: return PINPAD_OUT_DECLINED;
	case JOURNAL_CANCELLED: return PINPAD_OUT_CANCELLED;
	case JOURNAL_NEEDS_OPERATOR: return PINPAD_OUT_NEEDS_OPERATOR;
	default: return PINPAD_OUT_NOT_PAID;
	}
}

/* VOID of TXN_ID under a derived, stable id (a repeated VOID is idempotent on the
 * terminal).  The client's code; *ret_reversed when the terminal reports it reversed. */
static int void_on_terminal(struct pinpad_service *s, const char *txn_id, kpp_event_fn cb, struct kpp_msg *m,
			    bool *ret_reversed)
{
	char vid[KPP_TXN_ID_MAX + 1];
	snprintf(vid, sizeof vid, "V%s", txn_id);
	int rc = s->ad->ops->void_auth(s->ad->impl, vid, txn_id, cb, s, m);
	*ret_reversed = rc == KPP_OK && (m->result == KPP_RES_OK || m->result == KPP_RES_DUPLICATE) &&
			m->txn_state == KPP_TS_REVERSED;
	return rc;
}

/* Record or reverse: the terminal approved TXN_ID but the journal could not write it down
 * (disk full, I/O error).  The approval is reversed on the terminal before the resident is
 * told anything.  NOT_RECORDED when the terminal reversed it; NEEDS_OPERATOR when it could
 * not (the service stops taking sales: the row stays unfinished for the next recovery, or
 * is flagged for the cashier if the journal takes that write). */
static enum pinpad_outcome reverse_unrecorded(struct pinpad_service *s, const char *txn_id, const char *why)
{
	struct kpp_msg vm;
	bool ok;
	int rc = void_on_terminal(s, txn_id, NULL, &vm, &ok);
	if (ok) {
		log_warn("pinpad", "not_recorded", "txn=%s why=\"%s\" action=reversed", txn_id, why);
		/* INTENT or AUTHORIZED -> VOIDED; if this write fails too, recovery finds the
		 * terminal's REVERSED and records it then. */
		row_move(s, txn_id, JOURNAL_VOIDED, "not recorded: reversed");
		return PINPAD_OUT_NOT_RECORDED;
	}
	log_error("pinpad", "not_recorded", "txn=%s why=\"%s\" action=reverse_failed err=%s", txn_id, why,
		  rc == KPP_OK ? kpp_result_name(vm.result) : kpp_client_strerror(rc));
	if (rc != KPP_OK && link_lost(rc))
		disconnect(s);
	row_move(s, txn_id, JOURNAL_NEEDS_OPERATOR, "not recorded, reversal failed");
	set_ready(s, false);
	return PINPAD_OUT_NEEDS_OPERATOR;
}

/* Sends CONFIRM for a RECORDED row and moves it on.  Returns the outcome, or -1 with
 * *ret_rc set when the link failed (the row stays RECORDED for the next recovery). */
static int confirm_recorded(struct pinpad_service *s, const char *txn_id, int *ret_rc)
{
	struct kpp_msg m;
	int rc = s->ad->ops->confirm(s->ad->impl, txn_id, &m);
	*ret_rc = rc;
	if (rc != KPP_OK)
		return -1;
	if (pinpad_confirm_paid(m.txn_state)) {
		row_move(s, txn_id, JOURNAL_CONFIRMED, NULL);
		return PINPAD_OUT_PAID;
	}
	/* recorded (the resident's bill is credited) but the money went back */
	row_move(s, txn_id, JOURNAL_NEEDS_OPERATOR, "recorded but reversed before CONFIRM");
	return PINPAD_OUT_NEEDS_OPERATOR;
}

static int recovered_as(struct pinpad_service *s, const char *txn_id, enum pinpad_outcome o)
{
	recovered(s, txn_id, o, o == PINPAD_OUT_NOT_RECORDED ? "not recorded: reversed" : "not recorded, reversal failed");
	return o;
}

/* Resolves one unfinished row.  Returns the outcome, or -1 with *ret_rc set when the link
 * failed or the terminal stayed busy (the row is left as it is). */
static int resolve_row(struct pinpad_service *s, const struct journal_payment *row, int *ret_rc)
{
	struct kpp_msg *m = &s->msg;
	const struct pinpad_journal_ops *j = s->cfg.jops;
	struct pinpad_decision d;
	int polls = 0, rc;
	*ret_rc = KPP_OK;
	for (;;) {
		rc = s->ad->ops->status(s->ad->impl, row->txn_id, m);
		if (rc != KPP_OK) {
			*ret_rc = rc;
			return -1;
		}
		struct pinpad_recovery_in in = {
			.row_state = row->state, .row_total = row->total,
			.basket_complete = pinpad_basket_complete(row), .result = m->result,
			.txn_state = m->txn_state,
		};
		int64_t amt;
		in.has_amount = kpp_msg_amount(m, &amt);
		in.amount = in.has_amount ? amt : 0;
		d = pinpad_recovery_decide(&in);
		if (d.action != PINPAD_POLL_AGAIN)
			break;
		if (++polls >= s->cfg.max_polls || !nap(s, s->cfg.poll_ms)) {
			*ret_rc = KPP_ETIMEDOUT;
			return -1;
		}
	}
	int64_t t = now_ms(s);
	struct journal_card card;
	if (d.authorize_first) {
		pinpad_card_from_msg(m, &card);
		if (j->authorize(s->cfg.journal, row->txn_id, &card, t) != 0) {
			if (d.action == PINPAD_RECORD_FORWARD)
				return recovered_as(s, row->txn_id, reverse_unrecorded(s, row->txn_id, "AUTHORIZED failed in recovery"));
			if (d.action != PINPAD_VOID) /* a VOID goes ahead: INTENT may end VOIDED */
				return journal_refused(s, row->txn_id, -1);
		}
	}
	int o;
	switch (d.action) {
	case PINPAD_MARK:
		if ((rc = j->move(s->cfg.journal, row->txn_id, d.target, d.reason, t)) != 0)
			return journal_refused(s, row->txn_id, rc);
		o = mark_outcome(d.target);
		break;
	case PINPAD_RECORD_ONLY:
		if (j->record(s->cfg.journal, row->txn_id, false, t) != 0 ||
		    j->move(s->cfg.journal, row->txn_id, JOURNAL_CONFIRMED, d.reason, t) != 0)
			return journal_refused(s, row->txn_id, -1);
		o = PINPAD_OUT_PAID;
		break;
	case PINPAD_RECORD_FORWARD:
		if (j->record(s->cfg.journal, row->txn_id, false, t) != 0)
			return recovered_as(s, row->txn_id, reverse_unrecorded(s, row->txn_id, "RECORDED failed in recovery"));
		o = confirm_recorded(s, row->txn_id, ret_rc);
		break;
	case PINPAD_CONFIRM:
		o = confirm_recorded(s, row->txn_id, ret_rc);
		break;
	case PINPAD_VOID: {
		struct kpp_msg vm;
		bool ok;
		rc = void_on_terminal(s, row->txn_id, NULL, &vm, &ok);
		if (rc != KPP_OK) {
			*ret_rc = rc;
			if (!link_lost(rc))
				row_move(s, row->txn_id, JOURNAL_NEEDS_OPERATOR, "VOID failed");
			return -1;
		}
		row_move(s, row->txn_id, ok ? JOURNAL_VOIDED : JOURNAL_NEEDS_OPERATOR,
			 ok ? d.reason : "VOID refused");
		o = ok ? PINPAD_OUT_NOT_PAID : PINPAD_OUT_NEEDS_OPERATOR;
		break;
	}
	default:
		return -1;
	}
	if (o >= 0)
		recovered(s, row->txn_id, (enum pinpad_outcome)o, d.reason);
	return o;
}

static int64_t recovery_limit_ms(const struct pinpad_service *s)
{
	return (int64_t)(s->cfg.recovery_limit_s > 0 ? s->cfg.recovery_limit_s : 900) * 1000;
}

/* A row unresolved past the recovery limit goes to the cashier (NEEDS_OPERATOR) and
 * payments go on: recovery always ends.  A terminal that still holds an unconfirmed
 * approval reverses it by itself.  True when the row was handed over. */
static bool expire_row(struct pinpad_service *s, const struct journal_payment *row)
{
	if (now_ms(s) - row->created_ms <= recovery_limit_ms(s))
		return false;
	if (s->cfg.jops->move(s->cfg.journal, row->txn_id, JOURNAL_NEEDS_OPERATOR,
			      "outcome unknown past the recovery limit", now_ms(s)) != 0)
		return false;
	recovered(s, row->txn_id, PINPAD_OUT_NEEDS_OPERATOR, "outcome unknown past the recovery limit");
	return true;
}

/* With no terminal to ask: hands the rows past the limit to the cashier. */
static void expire_unreachable(struct pinpad_service *s)
{
	int n = s->cfg.jops->unfinished(s->cfg.journal, s->rows, UNFINISHED_MAX);
	for (int i = 0; i < n; i++)
		expire_row(s, &s->rows[i]);
}

/* Resolves every unfinished row, oldest first.  0 when none is left, else a KPP_E* code
 * (or KPP_ETIMEDOUT when the terminal stays busy). */
static int recover_all(struct pinpad_service *s)
{
	int n = s->cfg.jops->unfinished(s->cfg.journal, s->rows, UNFINISHED_MAX);
	if (n < 0) {
		log_error("pinpad", "journal_unfinished_failed", "rc=%d", n);
		return KPP_EIO;
	}
	for (int i = 0; i < n; i++) {
		int rc;
		int o = resolve_row(s, &s->rows[i], &rc);
		if (o < 0 && rc != KPP_OK && expire_row(s, &s->rows[i]))
			continue;
		if (o < 0 && rc != KPP_OK)
			return rc;
		if (o == PINPAD_OUT_FAILED)
			return KPP_EPROTO; /* the journal refused: stay out of service, retry later */
	}
	/* more than UNFINISHED_MAX: go round again */
	return n == UNFINISHED_MAX ? recover_all(s) : 0;
}

/* One attempt to become ready: open and HELLO when not connected, then recover every
 * unfinished row.  True when ready; on failure the backoff grows. */
static bool try_ready(struct pinpad_service *s)
{
	int rc = KPP_OK;
	if (!s->connected) {
		rc = s->ad->ops->open(s->ad->impl); /* with the handshake (HELLO, IDL) */
		s->connected = rc == KPP_OK;
	}
	if (rc == KPP_OK) {
		s->must_recover = false;
		rc = recover_all(s);
		if (rc == KPP_OK && s->must_recover)
			rc = KPP_EPROTO; /* a row could not be settled: again after the backoff */
	}
	if (rc == KPP_OK) {
		s->backoff_ms = s->cfg.backoff_min_ms;
		set_ready(s, true);
		return true;
	}
	if (link_lost(rc) && rc != KPP_ETIMEDOUT)
		disconnect(s);
	if (!s->connected)
		expire_unreachable(s);
	log_warn("pinpad", "reconnect", "err=%s retry_ms=%d", kpp_client_strerror(rc), s->backoff_ms);
	return false;
}

/* Waits up to ms for a command or stop (with mu held); true when it timed out. */
static bool wait_cmd(struct pinpad_service *s, int ms)
{
	struct timespec until = clock_deadline(CLOCK_REALTIME, ms);
	while (!s->stopping && s->count == 0)
		if (pthread_cond_timedwait(&s->cv, &s->mu, &until) != 0)
			return true;
	return false;
}

/* Takes the next command (mu held); false when the inbox is empty. */
static bool pop_cmd(struct pinpad_service *s, struct pinpad_cmd *ret)
{
	if (s->count == 0)
		return false;
	*ret = s->inbox[s->head];
	s->head = (s->head + 1) % INBOX_MAX;
	s->count--;
	if (ret->kind == PINPAD_CMD_SALE)
		s->sale_live = true;
	return true;
}

/* ---------------------------------------------------------------- commands */

static bool cancel_requested(struct pinpad_service *s)
{
	pthread_mutex_lock(&s->mu);
	bool c = s->cancel_req;
	pthread_mutex_unlock(&s->mu);
	return c;
}

static void on_progress(void *ctx, const struct kpp_msg *m)
{
	struct pinpad_service *s = ctx;
	if (m->code != KPP_MSG_EVENT)
		return;
	/* a cancel that came while the SALE was on its way: the operation runs now */
	if (s->cur->kind == PINPAD_CMD_SALE && cancel_requested(s))
		s->ad->ops->cancel(s->ad->impl);
	struct pinpad_event ev = { .kind = PINPAD_EV_PROGRESS, .cmd = s->cur->kind,
				   .tag = s->cur->tag, .event_code = m->event_code, .msg = m };
	emit(s, &ev);
}

static void do_sale(struct pinpad_service *s, const struct pinpad_cmd *c)
{
	const struct pinpad_journal_ops *j = s->cfg.jops;
	char id[JOURNAL_TXN_ID_LEN + 1];
	kopecks total = 0;
	for (int i = 0; i < c->nlines; i++)
		if (c->lines[i].amount <= 0 || !money_add(total, c->lines[i].amount, &total)) {
			outcome(s, c, PINPAD_OUT_FAILED, NULL, NULL, "bad basket");
			return;
		}
	if (c->nlines < 1 || c->nlines > JOURNAL_MAX_LINES ||
	    j->begin(s->cfg.journal, c->lines, c->nlines, now_ms(s), id) != 0) {
		outcome(s, c, PINPAD_OUT_FAILED, NULL, NULL, "journal INTENT failed");
		return;
	}
	if (cancel_requested(s)) {
		/* the resident cancelled before the terminal was asked: nothing to undo */
		row_move(s, id, JOURNAL_CANCELLED, "cancelled before the terminal was asked");
		outcome(s, c, PINPAD_OUT_CANCELLED, id, NULL, "cancelled before the terminal was asked");
		return;
	}
	struct kpp_sale_req rq = {
		.txn_id = id, .amount = total, .currency = "643",
		.order_ref = c->order_ref[0] ? c->order_ref : NULL, .timeout_s = s->cfg.timeout_s,
		.confirm_timeout_s = s->cfg.confirm_timeout_s,
	};
	struct kpp_msg *m = &s->msg;
	int rc = s->ad->ops->authorize(s->ad->impl, &rq, on_progress, s, m);
	int64_t t = now_ms(s);
	if (rc == KPP_OK && m->result == KPP_RES_OK && m->txn_state == KPP_TS_APPROVED_PENDING_CONFIRM) {
		struct journal_card card;
		pinpad_card_from_msg(m, &card);
		if (j->authorize(s->cfg.journal, id, &card, t) != 0) {
			enum pinpad_outcome o = reverse_unrecorded(s, id, "journal AUTHORIZED failed");
			outcome(s, c, o, id, m, "approved but not recorded");
			return;
		}
		outcome(s, c, PINPAD_OUT_APPROVED, id, m, NULL);
		return;
	}
	if (rc == KPP_OK && (m->result == KPP_RES_DECLINED || m->result == KPP_RES_CANCELLED ||
			     m->result == KPP_RES_TIMEOUT)) {
		enum journal_state st = m->result == KPP_RES_DECLINED ? JOURNAL_DECLINED : JOURNAL_CANCELLED;
		char why[64];
		snprintf(why, sizeof why, "%s host_rc=%s", kpp_result_name(m->result), m->host_rc);
		row_move(s, id, st, why);
		outcome(s, c, st == JOURNAL_DECLINED ? PINPAD_OUT_DECLINED : PINPAD_OUT_CANCELLED, id, m, why);
		return;
	}
	if (rc == KPP_OK && m->result == KPP_RES_BUSY) {
		/* nothing was started under this id */
		row_move(s, id, JOURNAL_CANCELLED, "terminal busy");
		outcome(s, c, PINPAD_OUT_BUSY, id, m, NULL);
		return;
	}
	/* Unknown outcome (silence, link loss, an unexpected answer): resolve this row now, with
	 * the same id, before anything else. */
	if (link_lost(rc))
		disconnect(s);
	struct journal_payment row;
	if (j->get(s->cfg.journal, id, &row) != 0) {
		s->must_recover = true;
		outcome(s, c, PINPAD_OUT_FAILED, id, NULL, "journal read failed");
		return;
	}
	int o = -1, rrc = KPP_OK;
	if (s->connected)
		o = resolve_row(s, &row, &rrc);
	if (o < 0) {
		/* resolved by the recovery that runs before the next sale */
		if (s->connected && link_lost(rrc))
			disconnect(s);
		set_ready(s, false);
		outcome(s, c, PINPAD_OUT_UNAVAILABLE, id, NULL, "outcome unknown, recovering");
		return;
	}
	/* recovery completed it per docs/kpp1.md, Recovery: recorded and confirmed, or not paid */
	outcome(s, c, (enum pinpad_outcome)o, id, NULL, "resolved by TXN_STATUS");
}

static void do_confirm(struct pinpad_service *s, const struct pinpad_cmd *c)
{
	const struct pinpad_journal_ops *j = s->cfg.jops;
	struct journal_payment row;
	if (j->get(s->cfg.journal, c->txn_id, &row) != 0 ||
	    (row.state != JOURNAL_AUTHORIZED && row.state != JOURNAL_RECORDED)) {
		outcome(s, c, PINPAD_OUT_FAILED, c->txn_id, NULL, "not an authorized payment");
		return;
	}
	if (row.state == JOURNAL_AUTHORIZED &&
	    j->record(s->cfg.journal, c->txn_id, c->offline, now_ms(s)) != 0) {
		outcome(s, c, reverse_unrecorded(s, c->txn_id, "journal RECORDED failed"), c->txn_id, NULL,
			"approved but not recorded");
		return;
	}
	int rc;
	int o = confirm_recorded(s, c->txn_id, &rc);
	if (o < 0) {
		/* RECORDED stays; recovery sends CONFIRM after the reconnect */
		disconnect(s);
		outcome(s, c, PINPAD_OUT_UNAVAILABLE, c->txn_id, NULL, kpp_client_strerror(rc));
		return;
	}
	outcome(s, c, (enum pinpad_outcome)o, c->txn_id, NULL, NULL);
}

static void do_void(struct pinpad_service *s, const struct pinpad_cmd *c)
{
	struct journal_payment row;
	if (s->cfg.jops->get(s->cfg.journal, c->txn_id, &row) != 0) {
		outcome(s, c, PINPAD_OUT_FAILED, c->txn_id, NULL, "unknown payment");
		return;
	}
	struct kpp_msg *m = &s->msg;
	bool ok;
	int rc = void_on_terminal(s, c->txn_id, on_progress, m, &ok);
	if (rc != KPP_OK) {
		if (link_lost(rc) || rc == KPP_EUNKNOWN)
			disconnect(s);
		outcome(s, c, PINPAD_OUT_UNAVAILABLE, c->txn_id, NULL, kpp_client_strerror(rc));
		return;
	}
	if (ok)
		row_move(s, c->txn_id, row.state == JOURNAL_RECORDED ? JOURNAL_NEEDS_OPERATOR : JOURNAL_VOIDED,
			 row.state == JOURNAL_RECORDED ? "voided after recording" : "voided");
	/* a refusal says why when the terminal did (VTK: no void after finalization) */
	outcome(s, c, ok ? PINPAD_OUT_NOT_PAID : PINPAD_OUT_FAILED, c->txn_id, m,
		ok ? NULL : m->message_text);
}

static void do_query(struct pinpad_service *s, const struct pinpad_cmd *c)
{
	struct kpp_msg *m = &s->msg;
	int rc;
	if (c->kind == PINPAD_CMD_STATUS) {
		rc = s->ad->ops->health(s->ad->impl, m);
	} else if (c->kind == PINPAD_CMD_TXN_STATUS) {
		rc = s->ad->ops->status(s->ad->impl, c->txn_id[0] ? c->txn_id : NULL, m);
	} else {
		char id[KPP_TXN_ID_MAX + 1];
		snprintf(id, sizeof id, "R%lld", (long long)now_ms(s));
		rc = s->ad->ops->reconcile(s->ad->impl, id, on_progress, s, m);
	}
	if (rc != KPP_OK) {
		if (link_lost(rc) || rc == KPP_EUNKNOWN)
			disconnect(s);
		outcome(s, c, PINPAD_OUT_UNAVAILABLE, NULL, NULL, kpp_client_strerror(rc));
		return;
	}
	outcome(s, c, m->result == KPP_RES_OK ? PINPAD_OUT_OK : PINPAD_OUT_FAILED, c->txn_id, m, NULL);
}

static void run_cmd(struct pinpad_service *s, struct pinpad_cmd *c)
{
	s->cur = c;
	switch (c->kind) {
	case PINPAD_CMD_SALE: do_sale(s, c); break;
	case PINPAD_CMD_CONFIRM: do_confirm(s, c); break;
	case PINPAD_CMD_VOID: do_void(s, c); break;
	default: do_query(s, c); break;
	}
}

static void *service_main(void *arg)
{
	struct pinpad_service *s = arg;
	struct pinpad_cmd c;
	for (;;) {
		if (!s->ready && !try_ready(s)) {
			/* Not ready: wait out the backoff, answering any command at once (the UI
			 * must not wait for a PIN-pad that is not there). */
			int wait = s->backoff_ms;
			s->backoff_ms = s->backoff_ms * 2 > s->cfg.backoff_max_ms ?
				s->cfg.backoff_max_ms : s->backoff_ms * 2;
			pthread_mutex_lock(&s->mu);
			wait_cmd(s, wait);
			bool stop = s->stopping;
			while (!stop && pop_cmd(s, &c)) {
				pthread_mutex_unlock(&s->mu);
				outcome(s, &c, PINPAD_OUT_UNAVAILABLE, NULL, NULL, "PIN-pad not ready");
				pthread_mutex_lock(&s->mu);
				if (c.kind == PINPAD_CMD_SALE)
					s->sale_live = s->cancel_req = false;
			}
			pthread_mutex_unlock(&s->mu);
			if (stop)
				break;
			continue;
		}
		pthread_mutex_lock(&s->mu);
		bool idle = wait_cmd(s, s->cfg.idle_ping_ms);
		bool stop = s->stopping, have = !stop && pop_cmd(s, &c);
		pthread_mutex_unlock(&s->mu);
		if (stop)
			break;
		if (have) {
			run_cmd(s, &c);
			if (c.kind == PINPAD_CMD_SALE) {
				pthread_mutex_lock(&s->mu);
				s->sale_live = s->cancel_req = false;
				pthread_mutex_unlock(&s->mu);
			}
			if (s->must_recover)
				set_ready(s, false); /* recovery settles the row before the next sale */
		} else if (idle) {
			int rc = s->ad->ops->health(s->ad->impl, &s->msg);
			if (rc != KPP_OK) {
				log_warn("pinpad", "ping_failed", "err=%s", kpp_client_strerror(rc));
				disconnect(s);
			}
		}
	}
	return NULL;
}

struct pinpad_service *pinpad_service_start(const struct pinpad_service_cfg *cfg)
{
	if (!cfg || !!cfg->client == !!cfg->adapter || !cfg->jops)
		return NULL;
	struct pinpad_service *s = xcalloc(1, sizeof *s);
	s->cfg = *cfg;
	s->ad = cfg->adapter ? cfg->adapter : pinpad_adapter_kpp(cfg->client);
	if (s->cfg.poll_ms <= 0) s->cfg.poll_ms = 2000;
	if (s->cfg.max_polls <= 0) s->cfg.max_polls = 90;
	if (s->cfg.backoff_min_ms <= 0) s->cfg.backoff_min_ms = 500;
	if (s->cfg.backoff_max_ms <= 0) s->cfg.backoff_max_ms = 30000;
	if (s->cfg.timeout_s <= 0) s->cfg.timeout_s = 60;
	if (s->cfg.idle_ping_ms <= 0) s->cfg.idle_ping_ms = 10000;
	s->backoff_ms = s->cfg.backoff_min_ms;
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	if (pthread_create(&s->th, NULL, service_main, s) != 0) {
		pinpad_adapter_free(s->ad);
		free(s);
		return NULL;
	}
	return s;
}

int pinpad_service_submit(struct pinpad_service *s, const struct pinpad_cmd *cmd)
{
	pthread_mutex_lock(&s->mu);
	int rc = -1;
	if (!s->stopping && s->count < INBOX_MAX) {
		s->inbox[(s->head + s->count) % INBOX_MAX] = *cmd;
		s->count++;
		pthread_cond_broadcast(&s->cv);
		rc = 0;
	}
	pthread_mutex_unlock(&s->mu);
	return rc;
}

int pinpad_service_cancel(struct pinpad_service *s)
{
	pthread_mutex_lock(&s->mu);
	bool queued = false;
	for (int i = 0; i < s->count; i++)
		queued |= s->inbox[(s->head + i) % INBOX_MAX].kind == PINPAD_CMD_SALE;
	bool live = s->sale_live;
	if (live || queued)
		s->cancel_req = true;
	pthread_mutex_unlock(&s->mu);
	if (live)
		s->ad->ops->cancel(s->ad->impl); /* refused before the SALE runs: kept above */
	return live || queued ? 0 : -1;
}

bool pinpad_service_ready(struct pinpad_service *s)
{
	pthread_mutex_lock(&s->mu);
	bool r = s->ready;
	pthread_mutex_unlock(&s->mu);
	return r;
}

void pinpad_service_stop(struct pinpad_service *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->mu);
	s->stopping = true;
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
	/* a running online operation ends by its own timeouts; cancel a SALE to hurry it */
	s->ad->ops->cancel(s->ad->impl);
	pthread_join(s->th, NULL);
	pinpad_adapter_free(s->ad);
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->mu);
	free(s);
}
