/* What each screen says when it opens: its title, then its main facts in the order a
 * person needs them, then where its controls are. */
#include <stdio.h>
#include <string.h>

#include "kiosk/base/format.h"
#include "kiosk/base/tz.h"
#include "kiosk/flow/voice_internal.h"

/* ------------------------------------------------------------------ helpers */

void vb_init(struct vb *b, char *buf, size_t cap)
{
	b->buf = buf;
	b->cap = cap;
	b->len = 0;
	if (cap)
		buf[0] = '\0';
}

void vb_say(struct vb *b, const char *s)
{
	if (!s || !*s)
		return;
	size_t n = strlen(s);
	char last = s[n - 1];
	bool stop = last == '.' || last == '!' || last == '?' || last == ':' ||
		    (n >= 3 && strcmp(s + n - 3, "\xE2\x80\xA6") == 0); /* … */
	int w = snprintf(b->buf + b->len, b->cap - b->len, "%s%s%s", b->len ? " " : "", s, stop ? "" : ".");
	if (w < 0 || (size_t)w >= b->cap - b->len) {
		b->buf[b->len] = '\0'; /* a sentence that does not fit is left out whole */
		return;
	}
	/* the screen's line breaks are spaces in speech */
	for (char *p = b->buf + b->len; *p; p++)
		if (*p == '\n')
			*p = ' ';
	b->len += (size_t)w;
}

void vb_sayf(struct vb *b, const char *tmpl, const char *value)
{
	char s[1024];
	const char *at = strstr(tmpl, "{}");
	if (!at)
		snprintf(s, sizeof s, "%s", tmpl);
	else
		snprintf(s, sizeof s, "%.*s%s%s", (int)(at - tmpl), tmpl, value, at + 2);
	vb_say(b, s);
}

const char *vtr(const struct voice_ctx *c, const struct flow *f, const char *key)
{
	return c->tr(c->ud, f->lang, key);
}

const char *v_amount(const struct flow *f, kopecks v, char *w)
{
	words_kopecks(v, f->lang, w, WORDS_MAX);
	return w;
}

const char *v_digits(const struct flow *f, const char *s, char *w)
{
	words_digits(s, f->lang, w, WORDS_MAX);
	return w;
}

const char *v_acc(const struct flow *f, const char *pers_acc, char *w)
{
	char shown[24];
	return v_digits(f, fmt_pers_acc(pers_acc, shown, sizeof shown), w);
}

const char *v_period(const struct flow *f, const char *p, char *w)
{
	int y, m;
	if (sscanf(p, "%4d-%2d", &y, &m) != 2 || words_period(y, m, f->lang, w, WORDS_MAX) != 0)
		snprintf(w, WORDS_MAX, "%s", p);
	return w;
}

const char *v_date(const struct flow *f, int64_t utc_ms, char *w)
{
	struct tz_civil c;
	tz_local(utc_ms, &c);
	words_date(c.year, c.month, c.day, f->lang, w, WORDS_MAX);
	return w;
}

const char *v_ymd(const struct flow *f, const char *ymd, char *w)
{
	int y, m, d;
	if (sscanf(ymd, "%4d-%2d-%2d", &y, &m, &d) != 3 || words_date(y, m, d, f->lang, w, WORDS_MAX) != 0)
		snprintf(w, WORDS_MAX, "%s", ymd);
	return w;
}

const char *v_reading(const struct flow *f, int64_t milli, int decimals, char *w)
{
	words_reading(milli, decimals, f->lang, w, WORDS_MAX);
	return w;
}

void voice_error(const struct flow *f, const struct voice_ctx *c, struct vb *b)
{
	char w[WORDS_MAX];
	if (f->s.error_text[0]) {
		vb_say(b, f->s.error_text);
	} else if (strcmp(f->s.error_key, "error.account_locked") == 0) {
		vb_sayf(b, vtr(c, f, f->s.error_key), flow_lock_until(f, w, sizeof w));
	} else if (f->s.error_key[0]) {
		vb_say(b, vtr(c, f, f->s.error_key));
		if (f->screen == SCREEN_CONTROL_QUESTION && strcmp(f->s.error_key, "error.wrong_answer") == 0) {
			/* How many tries are left and what exactly is asked. */
			char n[16];
			snprintf(n, sizeof n, "%d", f->s.attempts_left);
			vb_sayf(b, vtr(c, f, "control.attempts_left"), n);
			vb_sayf(b, vtr(c, f, "control.wrong_what"), v_period(f, f->s.acct.period, w));
			vb_say(b, vtr(c, f, "control.wrong_then"));
		}
	}
}

/* ------------------------------------------------------------------ resident screens */

static void attract(const struct flow *f, const struct voice_ctx *c, struct vb *b)
{
	vb_say(b, c->cfg->org_name);
	const char *why = flow_oos_why_key(f);
	if (why) {
		/* what the full out-of-service screen says: why, where to pay instead, the phone */
		char w[WORDS_MAX];
		vb_say(b, vtr(c, f, f->staff.out_of_service ? "attract.out_of_service" : "oos.title_card"));
		vb_say(b, vtr(c, f, why));
		vb_say(b, vtr(c, f, "oos.pay_instead"));
		vb_say(b, f->lang == LANG_EN ? c->cfg->office_address_en : c->cfg->office_address);
		vb_sayf(b, vtr(c, f, "help.office_hours"), f->lang == LANG_EN ? c->cfg->office_hours_en : c->cfg->office_hours);
		vb_say(b, vtr(c, f, "help.contact_center"));
		words_phone(c->cfg->contact_phone, f->lang, w, sizeof w);
		vb_say(b, w);
		return;
	}
	vb_say(b, vtr(c, f, "attract.title"));
	vb_say(b, vtr(c, f, "attract.hint"));
	vb_say(b, vtr(c, f, "voice.attract.buttons"));
}

static void help(const struct flow *f, const struct voice_ctx *c, struct vb *b)
{
	char w[WORDS_MAX];
	vb_say(b, vtr(c, f, "help.title"));
	vb_say(b, vtr(c, f, "help.contact_center"));
	words_phone(c->cfg->contact_phone, f->lang, w, sizeof w);
	vb_say(b, w);
	vb_sayf(b, vtr(c, f, "help.office_hours"), f->lang == LANG_EN ? c->cfg->office_hours_en : c->cfg->office_hours);
	vb_say(b, vtr(c, f, "help.how_to_pay"));
	static const char *const steps[] = { "help.pay.1", "help.pay.2", "help.pay.3", "help.pay.4", "help.pay.5" };
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
		vb_say(b, vtr(c, f, steps[i]));
	vb_say(b, vtr(c, f, "voice.help.buttons"));
}

static void scan(const struct flow *f, const struct voice_ctx *c, struct vb *b)
{
	vb_say(b, vtr(c, f, f->s.readings_mode ? "scan.title_readings" : "scan.title"));
	voice_error(f, c, b);
	if (f->s.looking_up) {
		vb_say(b, vtr(c, f, "scan.looking_up"));
		return;
	}
	vb_say(b, vtr(c, f, "scan.subtitle"));
	vb_say(b, vtr(c, f, "scan.hint"));
	vb_say(b, vtr(c, f, "voice.scan.buttons"));
}

static void typed_said(const struct flow *f, const struct voice_ctx *c, const char *typed_words, struct vb *b)
{
	if (typed_words[0])
		vb_sayf(b, vtr(c, f, "voice.typed"), typed_words);
}

static void enter_account(const struct flow *f, const struct voice_ctx *c, struct vb *b)
{
	char w[WORDS_MAX];
	vb_say(b, vtr(c, f, "enter_account.title"));
	vb_say(b, vtr(c, f, "enter_account.subtitle"));
	voice_error(f, c, b);
	typed_said(f, c, v_digits(f, f->s.typed, w), b);
	vb_say(b, vtr(c, f, "voice.keypad"));
}

static void control_question(const struct flow *f, const struct voice_ctx *c, struct vb *b)
{
	char w[WORDS_MAX];
	/* Nothing personal before the answer: the number typed and the period only. */
	vb_sayf(b, vtr(c, f, "control.title"), v_acc(f, f->s.lookup, w));
	vb_sayf(b, vtr(c, f, "control.subtitle"), v_period(f, f->s.acct.period, w));
	voice_error(f, c, b);
	vb_say(b, vtr(c, f, "voice.keypad_money"));
	vb_say(b, vtr(c, f, "voice.keypad"));
}

static void account(const struct flow *f, const struct voice_ctx *c, struct vb *b)
{
	const struct account *a = &f->s.acct;
	char w[WORDS_MAX];
	vb_sayf(b, vtr(c, f, "account.title"), v_acc(f, a->pers_acc, w));
	voice_error(f, c, b);
	if (f->s.acct_from_bill)
		vb_say(b, vtr(c, f, "account.from_bill"));
	else if (f->s.acct_from_cache)
		vb_sayf(b, vtr(c, f, "account.data_as_of"), v_date(f, a->updated_at_ms, w));
	vb_sayf(b, vtr(c, f, "voice.account.period"), v_period(f, a->period, w));
	if (!f->s.acct_from_bill) {
		vb_sayf(b, vtr(c, f, "voice.account.accrued"), v_amount(f, a->accrued, w));
		vb_sayf(b, vtr(c, f, "voice.account.paid"), v_amount(f, a->paid, w));
		if (a->debt)
			vb_sayf(b, vtr(c, f, "voice.account.debt"), v_amount(f, a->debt, w));
	}
	vb_sayf(b, vtr(c, f, "voice.account.due"), v_amount(f, a->due, w));
	if (!f->s.acct_from_bill && !f->s.lookup_typed && f->s.bill_sum >= 0 && f->s.bill_sum != a->due)
		vb_sayf(b, vtr(c, f, "account.bill_differs"), v_amount(f, f->s.bill_sum, w));
	if (f->s.readings_mode) {
		vb_say(b, vtr(c, f, "voice.account.readings_buttons"));
		return;
	}
	vb_sayf(b, vtr(c, f, "account.to_pay"), v_amount(f, f->s.amount, w));
	kopecks diff;
	if (f->s.amount > 0 && money_sub(a->due, f->s.amount, &diff) && diff > 0)
		vb_sayf(b, vtr(c, f, "account.partial"), v_amount(f, diff, w));
	else if (f->s.amount > 0 && money_sub(f->s.amount, a->due, &diff) && diff > 0)
		vb_sayf(b, vtr(c, f, "account.overpay"), v_amount(f, diff, w));
	else if (f->s.amount == 0)
		vb_say(b, vtr(c, f, "account.nothing_due"));
	if (a->nservices)
		vb_say(b, vtr(c, f, "voice.account.services"));
	vb_say(b, vtr(c, f, f->pinpad_ok ? "voice.account.buttons" : "attract.pinpad_unavailable"));
}

static void amount(const struct flow *f, const struct voice_ctx *c, struct vb *b)
{
	char w[WORDS_MAX];
	vb_say(b, vtr(c, f, "amount.title"));
	vb_sayf(b, vtr(c, f, "amount.subtitle"), v_amount(f, f->s.acct.due, w));
	vb_sayf(b, vtr(c, f, "amount.limit"), v_amount(f, f->cfg.max_amount, w));
	voice_error(f, c, b);
	vb_say(b, vtr(c, f, "voice.keypad_money"));
	vb_say(b, vtr(c, f, "voice.keypad"));
}

static void basket(const struct flow *f, const struct voice_ctx *c, struct vb *b)
{
	char w[WORDS_MAX], line[WORDS_MAX * 2 + 8];
	vb_say(b, vtr(c, f, "basket.title"));
	voice_error(f, c, b);
	for (int i = 0; i < f->s.nlines; i++) {
		const struct flow_line *l = &f->s.lines[i];
		char acc[WORDS_MAX];
		v_acc(f, l->acct.pers_acc, acc);
		snprintf(line, sizeof line, "%s: %s", acc, v_amount(f, l->amount, w));
		vb_sayf(b, vtr(c, f, "basket.line"), line);
	}
	vb_sayf(b, vtr(c, f, "basket.total"), v_amount(f, f->s.total, w));
	vb_say(b, vtr(c, f, "voice.basket.buttons"));
}

static void confirm(const struct flow *f, const struct voice_ctx *c, struct vb *b)
{
	char w[WORDS_MAX], acc[WORDS_MAX], per[WORDS_MAX], line[WORDS_MAX * 3 + 8];
	vb_say(b, vtr(c, f, "confirm.title"));
	if (flow_confirm_printer_key(f))
		vb_say(b, vtr(c, f, flow_confirm_printer_key(f)));
	vb_sayf(b, vtr(c, f, "voice.confirm.agent"), c->cfg->agent_name);
	for (int i = 0; i < f->s.nlines; i++) {
		const struct flow_line *l = &f->s.lines[i];
		snprintf(line, sizeof line, "%s: %s", v_acc(f, l->acct.pers_acc, acc), v_amount(f, l->amount, w));
		vb_sayf(b, vtr(c, f, "basket.line"), line);
		snprintf(line, sizeof line, "%s, %s", l->payee_name, v_period(f, l->acct.period, per));
		vb_sayf(b, vtr(c, f, "voice.confirm.payee"), line);
	}
	vb_sayf(b, vtr(c, f, "voice.confirm.commission"), v_amount(f, 0, w));
	vb_sayf(b, vtr(c, f, "voice.confirm.total"), v_amount(f, f->s.total, w));
	char days[96], said[WORDS_MAX * 2];
	words_phone(c->cfg->agent_phone, f->lang, w, sizeof w);
	const char *const policy[] = { w, fmt_count(c->cfg->crediting_days, vtr(c, f, "confirm.crediting_days"), f->lang,
						      days, sizeof days) };
	vb_say(b, fmt_fill(vtr(c, f, "confirm.complaints"), policy, 2, said, sizeof said));
	vb_sayf(b, vtr(c, f, "voice.confirm.button"), v_amount(f, f->s.total, w));
}

void voice_payment_progress(const struct flow *f, const struct voice_ctx *c, struct vb *b)
{
	static const char *const keys[] = { "payment.starting", "voice.payment.present_card", "payment.reading",
					    "voice.payment.enter_pin", "payment.online", "payment.remove_card",
					    "payment.see_phone" };
	int p = f->s.pay_progress >= 0 && f->s.pay_progress <= PAY_SEE_PHONE ? f->s.pay_progress : 0;
	/* cancelling is one state, as on the screen */
	vb_say(b, vtr(c, f, f->s.pay_cancel_sent ? "payment.cancelling" : keys[p]));
}

static void payment(const struct flow *f, const struct voice_ctx *c, struct vb *b)
{
	char w[WORDS_MAX];
	vb_sayf(b, vtr(c, f, "payment.amount"), v_amount(f, f->s.total, w));
	voice_payment_progress(f, c, b);
	vb_say(b, vtr(c, f, "payment.follow_pinpad"));
	if (f->s.pay_progress < PAY_ONLINE && !f->s.pay_cancel_sent)
		vb_say(b, vtr(c, f, "voice.payment.cancel"));
}

void voice_print_status(const struct flow *f, const struct voice_ctx *c, struct vb *b)
{
	bool stuck = f->s.print_status < 0 && f->printer_state >= PRINTER_STATE_PAPER_OUT;
	vb_say(b, vtr(c, f, stuck ? "result.printer_stuck" : f->s.print_status < 0 ? "result.printing"
			     : f->s.print_status == PRINT_OK ? "result.take_receipt" : "result.printer_failed"));
}

void voice_result(const struct flow *f, const struct voice_ctx *c, struct vb *b)
{
	const struct flow_pay_result *p = &f->s.pay;
	char w[WORDS_MAX];
	vb_say(b, vtr(c, f, flow_pay_title_key(p)));
	if (p->outcome == PAY_APPROVED) {
		vb_sayf(b, vtr(c, f, "result.paid_amount"), v_amount(f, f->s.total, w));
		voice_print_status(f, c, b);
		vb_say(b, vtr(c, f, "voice.result.approved_buttons"));
		return;
	}
	vb_say(b, vtr(c, f, flow_pay_why_key(p)));
	if (flow_pay_nothing_taken(p->outcome))
		vb_say(b, vtr(c, f, "result.not_charged"));
	if (flow_pay_held(p->outcome)) {
		if (p->txn_id[0]) {
			char op[FLOW_OP_NUMBER_LEN];
			vb_sayf(b, vtr(c, f, "result.operation"), flow_pay_op_number(p->txn_id, op));
		}
		words_phone(c->cfg->contact_phone, f->lang, w, sizeof w);
		vb_sayf(b, vtr(c, f, p->outcome == PAY_UNKNOWN ? "result.unknown_todo" : "result.held_todo"), w);
	}
	vb_say(b, vtr(c, f, flow_pay_retryable(p->outcome) && f->pinpad_ok ? "voice.result.retry_buttons"
									    : "voice.result.done_button"));
}

void voice_supplier(const struct flow *f, const struct voice_ctx *c, int i, struct vb *b)
{
	const struct account *a = &f->s.acct;
	if (i < 0 || i >= a->nservices)
		return;
	const struct account_service *sv = &a->services[i];
	char w[WORDS_MAX], ph[WORDS_MAX];
	vb_sayf(b, vtr(c, f, "voice.service"), sv->name);
	vb_sayf(b, vtr(c, f, "voice.account.accrued"), v_amount(f, sv->accrued, w));
	for (int k = 0; k < a->nsuppliers; k++) {
		const struct account_supplier *s = &a->suppliers[k];
		if (strcmp(s->id, sv->supplier_id) != 0)
			continue;
		vb_sayf(b, vtr(c, f, "voice.supplier"), s->name);
		vb_sayf(b, vtr(c, f, "voice.supplier_inn"), v_digits(f, s->inn, w));
		words_phone(s->phone, f->lang, ph, sizeof ph);
		vb_sayf(b, vtr(c, f, "voice.supplier_phone"), ph);
		vb_say(b, s->address);
	}
}

void voice_meter(const struct flow *f, const struct voice_ctx *c, int i, struct vb *b)
{
	const struct account_meter *m = &f->s.acct.meters[i];
	const struct flow_reading *r = &f->s.readings[i];
	char w[WORDS_MAX], d[WORDS_MAX], line[WORDS_MAX * 2 + 8];
	vb_say(b, m->name);
	vb_sayf(b, vtr(c, f, "voice.meter.serial"), v_digits(f, m->serial, w));
	snprintf(line, sizeof line, "%s, %s", v_reading(f, m->last_value_milli, m->decimals, w), v_ymd(f, m->last_date, d));
	vb_sayf(b, vtr(c, f, "voice.meter.previous"), line);
	if (r->entered) {
		vb_sayf(b, vtr(c, f, "voice.meter.entered"), v_reading(f, r->value_milli, m->decimals, w));
		int chk = flow_reading_check(m, r);
		if (chk)
			vb_say(b, vtr(c, f, chk == 1 ? "voice.meter.lower" : "voice.meter.jump"));
	}
}

void voice_digits_hint(const struct flow *f, const struct voice_ctx *c, const struct account_meter *m, struct vb *b)
{
	static const char *const ru[3] = { "цифра", "цифры", "цифр" }, *const en[3] = { "digit", "digits", "" };
	const char *const *forms = f->lang == LANG_EN ? en : ru;
	char w[WORDS_MAX];
	words_counted(m->digits, WORDS_FEM, forms, f->lang, w, sizeof w);
	if (m->decimals <= 0) {
		vb_sayf(b, vtr(c, f, "voice.meter.whole"), w);
		return;
	}
	vb_sayf(b, vtr(c, f, "voice.meter.digits"), w);
	words_counted(m->decimals, WORDS_FEM, forms, f->lang, w, sizeof w);
	vb_sayf(b, vtr(c, f, "voice.meter.decimals"), w);
}

static void readings(const struct flow *f, const struct voice_ctx *c, struct vb *b)
{
	char w[WORDS_MAX];
	vb_sayf(b, vtr(c, f, "voice.readings.title"), v_acc(f, f->s.acct.pers_acc, w));
	voice_error(f, c, b);
	if (!flow_readings_open(f)) {
		char from[WORDS_MAX], to[WORDS_MAX];
		words_cardinal(f->cfg.readings_from_day, WORDS_MASC, f->lang, from, sizeof from);
		words_cardinal(f->cfg.readings_to_day, WORDS_MASC, f->lang, to, sizeof to);
		/* "с {} по {}": two values */
		const char *t = vtr(c, f, "readings.closed");
		char s1[1024];
		const char *at = strstr(t, "{}");
		if (at) {
			snprintf(s1, sizeof s1, "%.*s%s%s", (int)(at - t), t, from, at + 2);
			vb_sayf(b, s1, to);
		} else {
			vb_say(b, t);
		}
		return;
	}
	if (f->s.acct.nmeters == 0) {
		vb_say(b, vtr(c, f, "readings.no_meters"));
		return;
	}
	for (int i = 0; i < f->s.acct.nmeters; i++)
		voice_meter(f, c, i, b);
	if (f->s.focus_meter >= 0) {
		vb_sayf(b, vtr(c, f, "voice.meter.typing"), f->s.acct.meters[f->s.focus_meter].name);
		voice_digits_hint(f, c, &f->s.acct.meters[f->s.focus_meter], b);
	}
	vb_say(b, vtr(c, f, "voice.readings.buttons"));
	vb_say(b, vtr(c, f, "voice.keypad_decimal"));
}

static void readings_done(const struct flow *f, const struct voice_ctx *c, struct vb *b)
{
	char w[WORDS_MAX], line[WORDS_MAX + 80];
	vb_say(b, vtr(c, f, "readings_done.title"));
	for (int i = 0; i < f->s.acct.nmeters; i++) {
		if (!f->s.readings[i].entered)
			continue;
		const struct account_meter *m = &f->s.acct.meters[i];
		snprintf(line, sizeof line, "%s: %s", m->name, v_reading(f, f->s.readings[i].value_milli, m->decimals, w));
		vb_say(b, line);
	}
	vb_say(b, vtr(c, f, f->s.print_status < 0 ? "result.printing" : f->s.print_status == PRINT_OK
			     ? "readings_done.take" : "result.printer_failed_readings"));
	vb_say(b, vtr(c, f, "voice.result.done_button"));
}

void voice_prompt(const struct flow *f, const struct voice_ctx *c, struct vb *b)
{
	char forms_buf[128], w[WORDS_MAX];
	snprintf(forms_buf, sizeof forms_buf, "%s", vtr(c, f, "voice.seconds"));
	const char *forms[3] = { forms_buf, forms_buf, forms_buf };
	char *bar = strchr(forms_buf, '|');
	if (bar) {
		*bar = '\0';
		forms[1] = forms[2] = bar + 1;
		if ((bar = strchr(bar + 1, '|'))) {
			*bar = '\0';
			forms[2] = bar + 1;
		}
	}
	words_counted(f->cfg.prompt_ms / 1000, WORDS_FEM, forms, f->lang, w, sizeof w);
	vb_say(b, vtr(c, f, "prompt.title"));
	vb_sayf(b, vtr(c, f, "voice.prompt"), w);
}

/* Screens with a title and a subtitle in the strings, said as they are. */
static const struct { enum screen_id id; const char *title, *subtitle; } plain[] = {
	{ SCREEN_ERECEIPT, "ereceipt.title", "ereceipt.subtitle" },
	{ SCREEN_HISTORY, "account.history", "history.subtitle" },
	{ SCREEN_READINGS_HISTORY, "readings.history", "rdhist.subtitle" },
	{ SCREEN_BILL_COPY, "account.print_bill", NULL },
};

void voice_screen(const struct flow *f, const struct voice_ctx *c, char *buf, size_t cap)
{
	struct vb b;
	vb_init(&b, buf, cap);
	switch (f->screen) {
	case SCREEN_ATTRACT: attract(f, c, &b); break;
	case SCREEN_HELP: help(f, c, &b); break;
	case SCREEN_SCAN: scan(f, c, &b); break;
	case SCREEN_ENTER_ACCOUNT: enter_account(f, c, &b); break;
	case SCREEN_CONTROL_QUESTION: control_question(f, c, &b); break;
	case SCREEN_ACCOUNT: account(f, c, &b); break;
	case SCREEN_AMOUNT: amount(f, c, &b); break;
	case SCREEN_BASKET: basket(f, c, &b); break;
	case SCREEN_CONFIRM: confirm(f, c, &b); break;
	case SCREEN_PAYMENT: payment(f, c, &b); break;
	case SCREEN_PAYMENT_RESULT: voice_result(f, c, &b); break;
	case SCREEN_READINGS: readings(f, c, &b); break;
	case SCREEN_READINGS_DONE: readings_done(f, c, &b); break;
	case SCREEN_REQUEST:
		vb_say(&b, vtr(c, f, f->s.request_kind ? "request.title_change" : "request.title_question"));
		vb_say(&b, vtr(c, f, "request.subtitle"));
		break;
	default:
		for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
			if (plain[i].id == f->screen) {
				vb_say(&b, vtr(c, f, plain[i].title));
				if (plain[i].subtitle)
					vb_say(&b, vtr(c, f, plain[i].subtitle));
			}
		break; /* staff screens are not spoken */
	}
	if (f->prompt_since_ms)
		voice_prompt(f, c, &b);
}
