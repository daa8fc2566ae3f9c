/* The payment from the confirmation on: the 103-ФЗ confirmation, the PIN-pad, the result.
 * What a result is told (its title and explanation) is decided here and nowhere else: the
 * screen and the voice both ask flow_pay_title_key / flow_pay_why_key. */
#include <string.h>

#include "kiosk/flow/flow_internal.h"

/* ------------------------------------------------------------------ confirm */

static void confirm_event(struct flow *f, const struct flow_event *ev, struct flow_out *out, int64_t now)
{
	if (flow_tapped(ev, "confirm_pay") && f->s.nlines > 0 && f->pinpad_ok) {
		memset(&f->s.pay, 0, sizeof f->s.pay);
		f->s.pay_progress = 0;
		f->s.pay_started_ms = now;
		f->s.pay_progress_ms = now;
		f->s.pay_cancel_sent = false;
		f->s.notice_printed = false;
		f->s.print_status = -1;
		f->busy = true;
		flow_go(f, SCREEN_PAYMENT, out, now);
		flow_emit_pay(f, out);
	} else if (flow_tapped(ev, "ereceipt") && f->cfg.ereceipt_first) {
		flow_open_ereceipt_first(f, out, now);
	} else if (flow_tapped(ev, "back")) {
		if (f->s.confirm_from_account) {
			/* One bill went straight to the confirmation: back on its account screen
			 * nothing is in the payment yet, as before `pay`. */
			f->s.nlines = 0;
			f->s.total = 0;
			f->s.confirm_from_account = false;
			flow_go(f, SCREEN_ACCOUNT, out, now);
		} else {
			flow_go(f, SCREEN_BASKET, out, now);
		}
	}
}

const char *flow_confirm_printer_key(const struct flow *f)
{
	if (f->printer_state == PRINTER_STATE_PAPER_OUT)
		return "confirm.no_paper";
	if (f->printer_state >= PRINTER_STATE_COVER_OPEN)
		return "confirm.printer_down";
	return NULL; /* fine, or paper running low: the receipt still prints */
}

/* ------------------------------------------------------------------ payment */

/* What follows a told outcome: the receipt of an approval, the notice of a sale that did not
 * complete and may hold money.  An open outcome (being checked) prints nothing yet: most
 * settle within a minute, and a notice followed by a receipt would contradict itself. */
static void after_told(struct flow *f, struct flow_out *out)
{
	if (f->s.pay.outcome == PAY_APPROVED) {
		f->s.print_status = -1;
		f->s.ereceipt_sent = f->s.ereceipt_given; /* it went with the fiscal receipt */
		flow_emit_txn(f, out, FA_PRINT_RECEIPT);
	} else if (flow_pay_held(f->s.pay.outcome) && f->s.pay.outcome != PAY_UNKNOWN && !f->s.notice_printed) {
		f->s.notice_printed = true;
		f->s.print_status = -1;
		flow_emit_txn(f, out, FA_PRINT_NOTICE);
	}
}

static void payment_event(struct flow *f, const struct flow_event *ev, struct flow_out *out, int64_t now)
{
	if (ev->type == FE_PAY_PROGRESS) {
		if (ev->code != f->s.pay_progress)
			f->s.pay_progress_ms = now;
		f->s.pay_progress = ev->code;
	} else if (flow_tapped(ev, "cancel") && f->s.pay_progress < PAY_ONLINE && !f->s.pay_cancel_sent) {
		f->s.pay_cancel_sent = true;
		flow_emit(out, FA_PAY_CANCEL, 0);
	} else if (ev->type == FE_PAY_RESULT) {
		f->s.pay = *(const struct flow_pay_result *)ev->payload;
		f->busy = false;
		flow_go(f, SCREEN_PAYMENT_RESULT, out, now);
		after_told(f, out);
	}
}

/* ------------------------------------------------------------------ result */

bool flow_pay_retryable(enum flow_pay_outcome o)
{
	/* Never after an approval or while the outcome is open: that is how a card is charged
	 * twice.  Nor after a reversal: a second hold on the same card for the same bill. */
	return o == PAY_DECLINED || o == PAY_CANCELLED || o == PAY_TIMEOUT || o == PAY_FAILED;
}

bool flow_pay_nothing_taken(enum flow_pay_outcome o)
{
	return o == PAY_DECLINED || o == PAY_CANCELLED || o == PAY_TIMEOUT || o == PAY_FAILED;
}

bool flow_pay_held(enum flow_pay_outcome o)
{
	return o == PAY_UNKNOWN || o == PAY_NEEDS_OPERATOR || o == PAY_REVERSED;
}

char *flow_pay_op_number(const char *txn_id, char ret[FLOW_OP_NUMBER_LEN])
{
	size_t i = 0;
	for (; i + 1 < FLOW_OP_NUMBER_LEN && txn_id[i]; i++)
		ret[i] = txn_id[i] >= 'a' && txn_id[i] <= 'f' ? (char)(txn_id[i] - 'a' + 'A') : txn_id[i];
	ret[i] = '\0';
	return ret;
}

static const char *decline_key(const char *rc)
{
	static const struct { const char *rc, *key; } map[] = {
		{ "51", "decline.51" }, { "55", "decline.55" }, { "54", "decline.54" }, { "61", "decline.61" },
		{ "65", "decline.61" }, { "57", "decline.57" }, { "62", "decline.57" }, { "41", "decline.43" },
		{ "43", "decline.43" }, { "75", "decline.75" }, { "91", "decline.91" }, { "96", "decline.91" },
	};
	if (!rc[0])
		return "decline.none";
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(map[i].rc, rc) == 0)
			return map[i].key;
	return "decline.other";
}

const char *flow_pay_title_key(const struct flow_pay_result *r)
{
	static const char *const titles[] = {
		[PAY_APPROVED] = "result.approved", [PAY_DECLINED] = "result.declined",
		[PAY_CANCELLED] = "result.cancelled", [PAY_TIMEOUT] = "result.timeout",
		[PAY_FAILED] = "result.failed", [PAY_UNKNOWN] = "result.unknown",
		[PAY_NEEDS_OPERATOR] = "result.held", [PAY_REVERSED] = "result.held",
	};
	if (r->outcome == PAY_DECLINED && !r->host_rc[0])
		return "result.not_completed";
	return (unsigned)r->outcome < sizeof titles / sizeof titles[0] ? titles[r->outcome] : "result.failed";
}

const char *flow_pay_why_key(const struct flow_pay_result *r)
{
	if (r->text_key[0])
		return r->text_key;
	switch (r->outcome) {
	case PAY_DECLINED: return decline_key(r->host_rc);
	case PAY_TIMEOUT: return "result.timeout_text";
	case PAY_CANCELLED: return "result.cancelled_text";
	case PAY_UNKNOWN: return "result.unknown_text";
	case PAY_NEEDS_OPERATOR: return "result.needs_operator_text";
	case PAY_REVERSED: return "result.reversed_text";
	default: return "result.failed_text";
	}
}

static void result_event(struct flow *f, const struct flow_event *ev, struct flow_out *out, int64_t now)
{
	if (ev->type == FE_PRINT_RESULT) {
		f->s.print_status = ev->code;
	} else if (flow_tapped(ev, "done")) {
		flow_go(f, SCREEN_ATTRACT, out, now);
	} else if (ev->type == FE_PAY_RESULT) {
		/* The settled outcome of a sale shown as being checked (same txn only). */
		const struct flow_pay_result *r = ev->payload;
		if (f->s.pay.outcome != PAY_UNKNOWN || strcmp(r->txn_id, f->s.pay.txn_id) != 0)
			return;
		f->s.pay = *r;
		after_told(f, out);
	} else if (flow_tapped(ev, "try_again") && flow_pay_retryable(f->s.pay.outcome) && f->pinpad_ok) {
		flow_go(f, SCREEN_CONFIRM, out, now);
	} else if (flow_tapped(ev, "ereceipt") && f->s.pay.outcome == PAY_APPROVED && !f->s.ereceipt_sent) {
		flow_open_ereceipt(f, out, now);
	}
}

const struct flow_screen flow_payment_screens[] = {
	{ .id = SCREEN_CONFIRM, .name = "confirm", .event = confirm_event },
	{ .id = SCREEN_PAYMENT, .name = "payment", .timeout_s = -1, .event = payment_event },
	{ .id = SCREEN_PAYMENT_RESULT, .name = "payment_result", .timeout_s = 45, .event = result_event },
	{ .id = SCREEN_COUNT },
};
