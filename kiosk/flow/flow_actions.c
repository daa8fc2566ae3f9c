/* What each action carries (flow.h, struct flow_action's payloads): copied out of the
 * flow's state at the moment the action is emitted, so the shell's workers act on a value
 * that no later tap can change, and never read struct flow. */
#include "kiosk/flow/flow_internal.h"

#include <stdio.h>
#include <string.h>

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src))

void flow_emit_lookup(struct flow *f, struct flow_out *out, enum flow_action_type type)
{
	struct flow_action *a = flow_emit(out, type, 0);
	if (!a)
		return;
	struct fa_lookup *l = &a->p.lookup;
	/* An account lookup and its control answer name the number being looked up; the
	 * histories name the account on show. */
	bool account = type == FA_LOOKUP_ACCOUNT || type == FA_VERIFY_ANSWER;
	COPY(l->pers_acc, account ? f->s.lookup : f->s.acct.pers_acc);
	l->typed = f->s.lookup_typed;
	l->bill_sum = f->s.bill_sum;
	l->answer = type == FA_VERIFY_ANSWER ? flow_typed_kopecks(f->s.answer) : -1;
}

void flow_emit_pay(struct flow *f, struct flow_out *out)
{
	struct flow_action *a = flow_emit(out, FA_PAY, 0);
	if (!a)
		return;
	struct fa_pay *p = &a->p.pay;
	p->nlines = f->s.nlines < JOURNAL_MAX_LINES ? f->s.nlines : JOURNAL_MAX_LINES;
	for (int i = 0; i < p->nlines; i++) {
		const struct flow_line *l = &f->s.lines[i];
		struct journal_line *j = &p->lines[i];
		COPY(j->pers_acc, l->acct.pers_acc);
		COPY(j->period, l->acct.period);
		j->amount = l->amount;
		COPY(j->payee_inn, l->payee_inn);
		COPY(j->payee_name, l->payee_name);
	}
	flow_ereceipt_contact(f, p->contact, sizeof p->contact);
}

void flow_emit_txn(struct flow *f, struct flow_out *out, enum flow_action_type type)
{
	struct flow_action *a = flow_emit(out, type, 0);
	if (a)
		COPY(a->p.txn.txn_id, f->s.pay.txn_id);
}

void flow_emit_readings(struct flow *f, struct flow_out *out)
{
	struct flow_action *a = flow_emit(out, FA_SUBMIT_READINGS, 0);
	if (!a)
		return;
	struct fa_readings *r = &a->p.readings;
	COPY(r->pers_acc, f->s.acct.pers_acc);
	for (int i = 0; i < f->s.acct.nmeters && i < ACCOUNT_MAX_METERS; i++) {
		const struct flow_reading *fr = &f->s.readings[i];
		if (!fr->entered)
			continue;
		r->r[r->n].meter = f->s.acct.meters[i];
		r->r[r->n].value_milli = fr->value_milli;
		r->r[r->n].confirm_rollover = fr->confirm_rollover;
		r->n++;
	}
}

void flow_emit_ereceipt(struct flow *f, struct flow_out *out)
{
	struct flow_action *a = flow_emit(out, FA_SEND_ERECEIPT, 0);
	if (!a)
		return;
	struct fa_ereceipt *e = &a->p.ereceipt;
	COPY(e->txn_id, f->s.pay.txn_id);
	e->email = f->s.contact_email;
	if (e->email)
		COPY(e->to, f->s.contact);
	else
		snprintf(e->to, sizeof e->to, "+7%.10s", f->s.contact);
}

void flow_emit_request(struct flow *f, struct flow_out *out)
{
	struct flow_action *a = flow_emit(out, FA_SEND_REQUEST, 0);
	if (!a)
		return;
	COPY(a->p.request.pers_acc, f->s.request_acc);
	a->p.request.kind = f->s.request_kind;
	COPY(a->p.request.text, f->s.request_text);
}

void flow_emit_bill(struct flow *f, struct flow_out *out)
{
	struct flow_action *a = flow_emit(out, FA_PRINT_BILL, 0);
	if (!a)
		return;
	a->p.bill.acct = f->s.acct;
	a->p.bill.from_cache = f->s.acct_from_cache;
}

void flow_emit_staff(struct flow *f, struct flow_out *out, int op)
{
	struct flow_action *a = flow_emit(out, FA_STAFF, op);
	if (!a)
		return;
	const struct flow_staff_session *s = &f->s.staff;
	struct fa_staff *p = &a->p.staff;
	p->op = op;
	p->screen = (int)f->screen;
	COPY(p->card_name, s->card_name);
	if (op == SOP_LOGIN)
		COPY(p->pin, s->pin);
	p->has_payment = s->sel >= 0 && s->sel < s->d.npay;
	if (p->has_payment)
		p->payment = s->d.pay[s->sel];
	p->reason = s->reason;
	p->log_level = s->log_level;
	p->speech_rate = f->speech_rate;
	p->speech_volume = f->speech_volume;
}
