/* The payment service's recovery (pinpad_service.h): before it takes a sale, the service
 * connects and settles every unfinished journal row with the terminal's word on it
 * (pinpad_recovery_decide); an approval the journal could not record is reversed. */
#include <stdio.h>
#include <string.h>

#include "drivers/pinpad_adapter.h"
#include "drivers/pinpad_recovery.h"
#include "drivers/pinpad_service_internal.h"
#include "kiosk/base/log.h"
#include "kiosk/base/worker.h"

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
	pinpad_service_emit(s, &ev);
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
int pinpad_service_void(struct pinpad_service *s, const char *txn_id, kpp_event_fn cb, struct kpp_msg *m,
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
enum pinpad_outcome pinpad_service_reverse_unrecorded(struct pinpad_service *s, const char *txn_id, const char *why)
{
	struct kpp_msg vm;
	bool ok;
	int rc = pinpad_service_void(s, txn_id, NULL, &vm, &ok);
	if (ok) {
		log_warn("pinpad", "not_recorded", "txn=%s why=\"%s\" action=reversed", txn_id, why);
		/* INTENT or AUTHORIZED -> VOIDED; if this write fails too, recovery finds the
		 * terminal's REVERSED and records it then. */
		pinpad_service_row_move(s, txn_id, JOURNAL_VOIDED, "not recorded: reversed");
		return PINPAD_OUT_NOT_RECORDED;
	}
	log_error("pinpad", "not_recorded", "txn=%s why=\"%s\" action=reverse_failed err=%s", txn_id, why,
		  rc == KPP_OK ? kpp_result_name(vm.result) : kpp_client_strerror(rc));
	if (rc != KPP_OK && pinpad_service_link_lost(rc))
		pinpad_service_disconnect(s);
	pinpad_service_row_move(s, txn_id, JOURNAL_NEEDS_OPERATOR, "not recorded, reversal failed");
	pinpad_service_set_ready(s, false);
	return PINPAD_OUT_NEEDS_OPERATOR;
}

/* Sends CONFIRM for a RECORDED row and moves it on.  Returns the outcome, or -1 with
 * *ret_rc set when the link failed (the row stays RECORDED for the next recovery). */
int pinpad_service_confirm_recorded(struct pinpad_service *s, const char *txn_id, int *ret_rc)
{
	struct kpp_msg m;
	int rc = s->ad->ops->confirm(s->ad->impl, txn_id, &m);
	*ret_rc = rc;
	if (rc != KPP_OK)
		return -1;
	if (pinpad_confirm_paid(m.txn_state)) {
		pinpad_service_row_move(s, txn_id, JOURNAL_CONFIRMED, NULL);
		return PINPAD_OUT_PAID;
	}
	/* recorded (the resident's bill is credited) but the money went back */
	pinpad_service_row_move(s, txn_id, JOURNAL_NEEDS_OPERATOR, "recorded but reversed before CONFIRM");
	return PINPAD_OUT_NEEDS_OPERATOR;
}

static int recovered_as(struct pinpad_service *s, const char *txn_id, enum pinpad_outcome o)
{
	recovered(s, txn_id, o, o == PINPAD_OUT_NOT_RECORDED ? "not recorded: reversed" : "not recorded, reversal failed");
	return o;
}

/* Resolves one unfinished row.  Returns the outcome, or -1 with *ret_rc set when the link
 * failed or the terminal stayed busy (the row is left as it is). */
int pinpad_service_resolve_row(struct pinpad_service *s, const struct journal_payment *row, int *ret_rc)
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
		if (++polls >= s->cfg.max_polls || !worker_nap(s->cfg.poll_ms)) {
			*ret_rc = KPP_ETIMEDOUT;
			return -1;
		}
	}
	int64_t t = pinpad_service_now_ms(s);
	struct journal_card card;
	if (d.authorize_first) {
		pinpad_card_from_msg(m, &card);
		if (j->authorize(s->cfg.journal, row->txn_id, &card, t) != 0) {
			if (d.action == PINPAD_RECORD_FORWARD)
				return recovered_as(s, row->txn_id, pinpad_service_reverse_unrecorded(s, row->txn_id, "AUTHORIZED failed in recovery"));
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
			return recovered_as(s, row->txn_id, pinpad_service_reverse_unrecorded(s, row->txn_id, "RECORDED failed in recovery"));
		o = pinpad_service_confirm_recorded(s, row->txn_id, ret_rc);
		break;
	case PINPAD_CONFIRM:
		o = pinpad_service_confirm_recorded(s, row->txn_id, ret_rc);
		break;
	case PINPAD_VOID: {
		struct kpp_msg vm;
		bool ok;
		rc = pinpad_service_void(s, row->txn_id, NULL, &vm, &ok);
		if (rc != KPP_OK) {
			*ret_rc = rc;
			if (!pinpad_service_link_lost(rc))
				pinpad_service_row_move(s, row->txn_id, JOURNAL_NEEDS_OPERATOR, "VOID failed");
			return -1;
		}
		pinpad_service_row_move(s, row->txn_id, ok ? JOURNAL_VOIDED : JOURNAL_NEEDS_OPERATOR,
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
	if (pinpad_service_now_ms(s) - row->created_ms <= recovery_limit_ms(s))
		return false;
	if (s->cfg.jops->move(s->cfg.journal, row->txn_id, JOURNAL_NEEDS_OPERATOR,
			      "outcome unknown past the recovery limit", pinpad_service_now_ms(s)) != 0)
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
		int o = pinpad_service_resolve_row(s, &s->rows[i], &rc);
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
bool pinpad_service_try_ready(struct pinpad_service *s)
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
		pinpad_service_set_ready(s, true);
		return true;
	}
	if (pinpad_service_link_lost(rc) && rc != KPP_ETIMEDOUT)
		pinpad_service_disconnect(s);
	if (!s->connected)
		expire_unreachable(s);
	log_warn("pinpad", "reconnect", "err=%s retry_ms=%d", kpp_client_strerror(rc), s->backoff_ms);
	return false;
}

