/* The payment service: see pinpad_service.h (the recovery of unfinished rows:
 * pinpad_service_recover.c).  Its thread is a worker (kiosk/base/worker.h): commands are
 * its jobs; connecting, recovery and the health ping its idle step. */
#include "drivers/pinpad_service.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "drivers/pinpad_adapter.h"
#include "drivers/pinpad_recovery.h"
#include "drivers/pinpad_service_internal.h"
#include "kiosk/base/clock.h"
#include "kiosk/base/log.h"
#include "kiosk/base/worker.h"
#include "kiosk/base/xalloc.h"

const char *pinpad_outcome_name(enum pinpad_outcome o)
{
	static const char *const n[] = { "ok", "approved", "paid", "declined", "cancelled",
		"not_paid", "needs_operator", "unavailable", "busy", "failed", "not_recorded" };
	return (unsigned)o < sizeof n / sizeof n[0] ? n[o] : "?";
}

int64_t pinpad_service_now_ms(struct pinpad_service *s)
{
	return s->cfg.now_ms ? s->cfg.now_ms() : clock_wall_ms();
}

void pinpad_service_emit(struct pinpad_service *s, struct pinpad_event *ev)
{
	if (s->cfg.on_event)
		s->cfg.on_event(s->cfg.ctx, ev);
}

void pinpad_service_set_ready(struct pinpad_service *s, bool ready)
{
	pthread_mutex_lock(&s->mu);
	bool changed = s->ready != ready;
	s->ready = ready;
	pthread_mutex_unlock(&s->mu);
	if (changed) {
		struct pinpad_event ev = { .kind = PINPAD_EV_READY, .ready = ready };
		log_info("pinpad", ready ? "ready" : "out_of_service", "dev=%s protocol=%s",
			 s->ad->ops->desc(s->ad->impl), s->ad->protocol);
		pinpad_service_emit(s, &ev);
	}
}

static void outcome(struct pinpad_service *s, const struct pinpad_cmd *c, enum pinpad_outcome o,
		    const char *txn_id, const struct kpp_msg *m, const char *text)
{
	/* A row left unfinished stops sales before the outcome is told: the result screen
	 * never offers «Повторить» on a terminal that is about to go out of service. */
	if (s->must_recover)
		pinpad_service_set_ready(s, false);
	struct pinpad_event ev = { .kind = PINPAD_EV_OUTCOME, .cmd = c->kind, .outcome = o,
				   .tag = c->tag, .msg = m };
	snprintf(ev.txn_id, sizeof ev.txn_id, "%s", txn_id ? txn_id : "");
	snprintf(ev.text, sizeof ev.text, "%s", text ? text : "");
	pinpad_service_emit(s, &ev);
}

bool pinpad_service_link_lost(int rc)
{
	return rc == KPP_ELINK || rc == KPP_EGONE || rc == KPP_EIO || rc == KPP_ETIMEDOUT;
}

void pinpad_service_disconnect(struct pinpad_service *s)
{
	s->ad->ops->close(s->ad->impl);
	s->connected = false;
	pinpad_service_set_ready(s, false);
}

/* A journal move the service goes on from.  When it fails (disk full, I/O error, busy) the
 * row is left unfinished: the service takes no sale until recovery has settled it. */
int pinpad_service_row_move(struct pinpad_service *s, const char *txn_id, enum journal_state to, const char *why)
{
	int rc = s->cfg.jops->move(s->cfg.journal, txn_id, to, why, pinpad_service_now_ms(s));
	if (rc != 0) {
		log_error("pinpad", "journal_move_failed", "txn=%s to=%s rc=%d", txn_id,
			  journal_state_name(to), rc);
		s->must_recover = true;
	}
	return rc;
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
	pinpad_service_emit(s, &ev);
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
	    j->begin(s->cfg.journal, c->lines, c->nlines, pinpad_service_now_ms(s), id) != 0) {
		outcome(s, c, PINPAD_OUT_FAILED, NULL, NULL, "journal INTENT failed");
		return;
	}
	if (cancel_requested(s)) {
		/* the resident cancelled before the terminal was asked: nothing to undo */
		pinpad_service_row_move(s, id, JOURNAL_CANCELLED, "cancelled before the terminal was asked");
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
	int64_t t = pinpad_service_now_ms(s);
	if (rc == KPP_OK && m->result == KPP_RES_OK && m->txn_state == KPP_TS_APPROVED_PENDING_CONFIRM) {
		struct journal_card card;
		pinpad_card_from_msg(m, &card);
		if (j->authorize(s->cfg.journal, id, &card, t) != 0) {
			enum pinpad_outcome o = pinpad_service_reverse_unrecorded(s, id, "journal AUTHORIZED failed");
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
		pinpad_service_row_move(s, id, st, why);
		outcome(s, c, st == JOURNAL_DECLINED ? PINPAD_OUT_DECLINED : PINPAD_OUT_CANCELLED, id, m, why);
		return;
	}
	if (rc == KPP_OK && m->result == KPP_RES_BUSY) {
		/* nothing was started under this id */
		pinpad_service_row_move(s, id, JOURNAL_CANCELLED, "terminal busy");
		outcome(s, c, PINPAD_OUT_BUSY, id, m, NULL);
		return;
	}
	/* Unknown outcome (silence, link loss, an unexpected answer): resolve this row now, with
	 * the same id, before anything else. */
	if (pinpad_service_link_lost(rc))
		pinpad_service_disconnect(s);
	struct journal_payment row;
	if (j->get(s->cfg.journal, id, &row) != 0) {
		s->must_recover = true;
		outcome(s, c, PINPAD_OUT_FAILED, id, NULL, "journal read failed");
		return;
	}
	int o = -1, rrc = KPP_OK;
	if (s->connected)
		o = pinpad_service_resolve_row(s, &row, &rrc);
	if (o < 0) {
		/* resolved by the recovery that runs before the next sale */
		if (s->connected && pinpad_service_link_lost(rrc))
			pinpad_service_disconnect(s);
		pinpad_service_set_ready(s, false);
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
	    j->record(s->cfg.journal, c->txn_id, c->offline, pinpad_service_now_ms(s)) != 0) {
		outcome(s, c, pinpad_service_reverse_unrecorded(s, c->txn_id, "journal RECORDED failed"), c->txn_id, NULL,
			"approved but not recorded");
		return;
	}
	int rc;
	int o = pinpad_service_confirm_recorded(s, c->txn_id, &rc);
	if (o < 0) {
		/* RECORDED stays; recovery sends CONFIRM after the reconnect */
		pinpad_service_disconnect(s);
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
	int rc = pinpad_service_void(s, c->txn_id, on_progress, m, &ok);
	if (rc != KPP_OK) {
		if (pinpad_service_link_lost(rc) || rc == KPP_EUNKNOWN)
			pinpad_service_disconnect(s);
		outcome(s, c, PINPAD_OUT_UNAVAILABLE, c->txn_id, NULL, kpp_client_strerror(rc));
		return;
	}
	if (ok)
		pinpad_service_row_move(s, c->txn_id, row.state == JOURNAL_RECORDED ? JOURNAL_NEEDS_OPERATOR : JOURNAL_VOIDED,
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
		snprintf(id, sizeof id, "R%lld", (long long)pinpad_service_now_ms(s));
		rc = s->ad->ops->reconcile(s->ad->impl, id, on_progress, s, m);
	}
	if (rc != KPP_OK) {
		if (pinpad_service_link_lost(rc) || rc == KPP_EUNKNOWN)
			pinpad_service_disconnect(s);
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

/* A command, on the service thread.  Not ready: answered at once (the UI must not wait for
 * a PIN-pad that is not there) and the next connect attempt comes right after; ready: the
 * health ping idle_ping_ms after the last command. */
static void run(void *ctx, void *job)
{
	struct pinpad_service *s = ctx;
	struct pinpad_cmd *c = job;
	bool sale = c->kind == PINPAD_CMD_SALE;
	if (sale) {
		pthread_mutex_lock(&s->mu);
		s->sales_queued--;
		s->sale_live = true;
		pthread_mutex_unlock(&s->mu);
	}
	if (s->ready)
		run_cmd(s, c);
	else
		outcome(s, c, PINPAD_OUT_UNAVAILABLE, NULL, NULL, "PIN-pad not ready");
	if (sale) {
		pthread_mutex_lock(&s->mu);
		s->sale_live = s->cancel_req = false;
		pthread_mutex_unlock(&s->mu);
	}
	if (s->must_recover)
		pinpad_service_set_ready(s, false); /* recovery settles the row before the next sale */
	worker_idle_in(s->ready ? s->cfg.idle_ping_ms : 0);
}

/* Idle: not ready, one attempt to become ready, then the backoff (doubling); ready, the
 * health ping that notices a lost PIN-pad before a customer needs it. */
static int idle(void *ctx)
{
	struct pinpad_service *s = ctx;
	if (!s->ready) {
		if (pinpad_service_try_ready(s))
			return s->cfg.idle_ping_ms;
		int wait = s->backoff_ms;
		s->backoff_ms = s->backoff_ms * 2 > s->cfg.backoff_max_ms ?
			s->cfg.backoff_max_ms : s->backoff_ms * 2;
		return wait;
	}
	int rc = s->ad->ops->health(s->ad->impl, &s->msg);
	if (rc != KPP_OK) {
		log_warn("pinpad", "ping_failed", "err=%s", kpp_client_strerror(rc));
		pinpad_service_disconnect(s);
		return 0; /* reconnect at once */
	}
	return s->cfg.idle_ping_ms;
}

/* Between the stop's flag and the join: a running online operation ends by its own
 * timeouts; a cancel hurries a SALE. */
static void on_stop(void *ctx)
{
	struct pinpad_service *s = ctx;
	s->ad->ops->cancel(s->ad->impl);
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
	struct worker_cfg wc = { .name = "pinpad", .job_size = sizeof(struct pinpad_cmd), .capacity = INBOX_MAX,
				 .run = run, .idle = idle, .on_stop = on_stop, .ctx = s };
	s->w = worker_start(&wc);
	if (!s->w) {
		pthread_mutex_destroy(&s->mu);
		pinpad_adapter_free(s->ad);
		free(s);
		return NULL;
	}
	return s;
}

int pinpad_service_submit(struct pinpad_service *s, const struct pinpad_cmd *cmd)
{
	/* Counted with the submit under mu: cancel sees a queued SALE until run takes it. */
	pthread_mutex_lock(&s->mu);
	int rc = worker_submit(s->w, cmd);
	if (rc == 0 && cmd->kind == PINPAD_CMD_SALE)
		s->sales_queued++;
	pthread_mutex_unlock(&s->mu);
	return rc;
}

int pinpad_service_cancel(struct pinpad_service *s)
{
	pthread_mutex_lock(&s->mu);
	bool queued = s->sales_queued > 0;
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
	worker_stop(s->w, WORKER_DROP); /* on_stop cancels; queued commands are not sent (logged) */
	pinpad_adapter_free(s->ad);
	pthread_mutex_destroy(&s->mu);
	free(s);
}
