/* The resident's payment up to the card: scan or type the account, the control question,
 * the account, the amount, the basket (the confirmation, the PIN-pad and the result are in
 * flow_payment.c). */
#include <stdio.h>
#include <string.h>

#include "kiosk/bill/epd.h"
#include "kiosk/flow/flow_internal.h"
#include "kiosk/base/tz.h"

bool flow_keypad_digit(const struct flow_event *ev, char *buf, size_t cap, size_t max_digits)
{
	if (ev->type != FE_TAP || !ev->widget || strncmp(ev->widget, "key_", 4) != 0)
		return false;
	const char *k = ev->widget + 4;
	size_t n = strlen(buf);
	if (strcmp(k, "del") == 0) {
		if (n)
			buf[n - 1] = '\0';
		return true;
	}
	if (k[0] >= '0' && k[0] <= '9' && k[1] == '\0') {
		if (n == 0 && k[0] == '0')
			return true; /* no leading zeros in amounts and readings */
		if (n < max_digits && n + 1 < cap) {
			buf[n] = k[0];
			buf[n + 1] = '\0';
		}
		return true;
	}
	return false;
}

kopecks flow_typed_kopecks(const char *digits)
{
	kopecks v = 0;
	for (const char *p = digits; *p; p++)
		if (*p < '0' || *p > '9' || __builtin_mul_overflow(v, 10, &v) ||
		    __builtin_add_overflow(v, *p - '0', &v) || v > MONEY_MAX)
			return -1;
	return v;
}

static void set_error(struct flow *f, const char *key)
{
	snprintf(f->s.error_key, sizeof f->s.error_key, "%s", key);
	f->s.error_text[0] = '\0';
}

static void clear_error(struct flow *f)
{
	f->s.error_key[0] = '\0';
	f->s.error_text[0] = '\0';
}

static struct flow_lock *lock_for(struct flow *f, const char *pers_acc, bool create)
{
	struct flow_lock *oldest = &f->locks[0];
	for (int i = 0; i < FLOW_LOCKS; i++) {
		if (strcmp(f->locks[i].pers_acc, pers_acc) == 0)
			return &f->locks[i];
		if (f->locks[i].until_ms < oldest->until_ms)
			oldest = &f->locks[i];
	}
	if (!create)
		return NULL;
	memset(oldest, 0, sizeof *oldest);
	snprintf(oldest->pers_acc, sizeof oldest->pers_acc, "%s", pers_acc);
	return oldest;
}

static bool locked(struct flow *f, const char *pers_acc, int64_t now)
{
	struct flow_lock *l = lock_for(f, pers_acc, false);
	return l && l->until_ms > now;
}

const char *flow_lock_until(const struct flow *f, char *buf, size_t cap)
{
	struct tz_civil now, end;
	tz_local(f->wall_ms, &now);
	tz_local(f->s.lock_until_wall_ms, &end);
	if (now.year == end.year && now.month == end.month && now.day == end.day)
		return tz_fmt_hm(f->s.lock_until_wall_ms, buf, cap);
	return tz_fmt_datetime(f->s.lock_until_wall_ms, buf, cap);
}

/* error.account_locked with the lock's end as the wall clock will read it (the lock counts
 * on the monotonic clock; the screen says "until 10:15"). */
static void say_locked(struct flow *f, const char *pers_acc, int64_t now)
{
	struct flow_lock *l = lock_for(f, pers_acc, false);
	set_error(f, "error.account_locked");
	f->s.lock_until_wall_ms = l ? f->wall_ms + (l->until_ms - now) : 0;
}

/* ------------------------------------------------------------------ scan */

static void start_lookup(struct flow *f, const char *pers_acc, bool typed, struct flow_out *out)
{
	snprintf(f->s.lookup, sizeof f->s.lookup, "%s", pers_acc);
	f->s.lookup_typed = typed;
	f->s.looking_up = true;
	f->busy = true;
	clear_error(f);
	flow_emit_lookup(f, out, FA_LOOKUP_ACCOUNT);
}

void flow_lookup_leave(struct flow *f, const struct flow_event *ev, struct flow_out *out)
{
	if (!f->s.looking_up || !(flow_tapped(ev, "back") || flow_tapped(ev, "home")))
		return;
	f->s.looking_up = false;
	f->busy = false;
	flow_emit(out, FA_LOOKUP_CANCEL, 0);
}

static void scan_symbol(struct flow *f, const struct flow_event *ev, struct flow_out *out)
{
	struct epd_bill bill;
	int rc = epd_decode(ev->data, ev->len, &bill);
	if (rc == 0)
		rc = epd_check_allowed(&bill, f->cfg.allow, f->cfg.nallow);
	if (rc == 0 && epd_pers_acc_digits(&bill)[0] == '\0')
		rc = EPD_EMISSING_MANDATORY;
	if (rc != 0) {
		flow_emit2(out, FA_SCAN_REJECTED, rc, (int)ev->len);
		f->s.error_key[0] = '\0';
		snprintf(f->s.error_text, sizeof f->s.error_text, "%s",
			 epd_error_message(rc, f->lang == LANG_EN ? "en" : "ru"));
		return;
	}
	f->s.bill_sum = bill.has_sum && bill.sum <= (uint64_t)MONEY_MAX ? (kopecks)bill.sum : -1;
	snprintf(f->s.bill_period, sizeof f->s.bill_period, "%s", bill.period);
	snprintf(f->s.bill_payee_inn, sizeof f->s.bill_payee_inn, "%s", epd_field_id(&bill, EPD_PAYEE_INN));
	snprintf(f->s.bill_payee_name, sizeof f->s.bill_payee_name, "%s", epd_field_id(&bill, EPD_NAME));
	start_lookup(f, epd_pers_acc_digits(&bill), false, out);
}

static void show_account(struct flow *f, const struct flow_account_result *r, struct flow_out *out, int64_t now)
{
	f->s.acct = r->acct;
	f->s.acct_from_cache = r->from_cache;
	f->s.acct_from_bill = false;
	f->s.open_service = -1;
	f->s.amount = r->acct.due > 0 ? r->acct.due : 0;
	f->s.amount_typed[0] = '\0';
	if (f->s.readings_mode)
		flow_start_readings(f, out, now);
	else
		flow_go(f, SCREEN_ACCOUNT, out, now);
}

/* Offline and not cached: pay by the bill's own data (it names the account and the sum). */
static void account_from_bill(struct flow *f, struct flow_out *out, int64_t now)
{
	struct account *a = &f->s.acct;
	memset(a, 0, sizeof *a);
	snprintf(a->pers_acc, sizeof a->pers_acc, "%s", f->s.lookup);
	snprintf(a->period, sizeof a->period, "%s", f->s.bill_period);
	a->due = f->s.bill_sum > 0 ? f->s.bill_sum : 0;
	f->s.acct_from_bill = true;
	f->s.acct_from_cache = false;
	f->s.amount = a->due;
	f->s.amount_typed[0] = '\0';
	flow_go(f, SCREEN_ACCOUNT, out, now);
}

static void lookup_answer(struct flow *f, const struct flow_account_result *r, struct flow_out *out, int64_t now)
{
	f->s.looking_up = false;
	f->busy = false;
	switch (r->status) {
	case LOOKUP_FOUND:
		if (!r->acct.details) {
			/* A typed number, or a bill whose Sum is not the center's today (an old bill,
			 * Sum 0 or absent): the center showed nothing personal and no amounts.
			 * Zeros would read "nothing due": the control question first. */
			f->s.answer[0] = '\0';
			f->s.attempts_left = f->cfg.control_attempts;
			snprintf(f->s.acct.period, sizeof f->s.acct.period, "%s", r->acct.period);
			flow_go(f, SCREEN_CONTROL_QUESTION, out, now);
		} else {
			show_account(f, r, out, now);
		}
		return;
	case LOOKUP_UNKNOWN:
		set_error(f, "error.unknown_account");
		return;
	case LOOKUP_UNAVAILABLE:
		if (!f->s.lookup_typed && f->s.bill_sum >= 0 && !f->s.readings_mode) {
			account_from_bill(f, out, now);
			return;
		}
		set_error(f, "error.center_unavailable");
		return;
	case LOOKUP_WRONG_ANSWER: {
		struct flow_lock *l = lock_for(f, f->s.lookup, true);
		l->wrong++;
		int here = f->cfg.control_attempts - l->wrong;
		f->s.attempts_left = r->attempts_left < here ? r->attempts_left : here;
		f->s.answer[0] = '\0';
		if (f->s.attempts_left > 0) {
			set_error(f, "error.wrong_answer");
			return;
		}
		__attribute__((fallthrough)); /* the last wrong answer locks */
	}
	case LOOKUP_LOCKED: {
		struct flow_lock *l = lock_for(f, f->s.lookup, true);
		/* The center's own lock when it names one (it decides), else this kiosk's. */
		int64_t len = r->status == LOOKUP_LOCKED && r->retry_after_s > 0 ? (int64_t)r->retry_after_s * 1000
										 : f->cfg.control_lock_ms;
		l->until_ms = now + len;
		l->wrong = 0;
		f->s.typed[0] = '\0';
		flow_go(f, SCREEN_ENTER_ACCOUNT, out, now);
		say_locked(f, f->s.lookup, now);
		return;
	}
	}
}

static void scan_enter(struct flow *f, struct flow_out *out, int64_t now)
{
	(void)out; (void)now;
	clear_error(f);
}

static void scan_event(struct flow *f, const struct flow_event *ev, struct flow_out *out, int64_t now)
{
	if (ev->type == FE_SCAN && !f->s.looking_up) {
		scan_symbol(f, ev, out);
	} else if (ev->type == FE_ACCOUNT && f->s.looking_up) {
		lookup_answer(f, ev->payload, out, now);
	} else if (flow_tapped(ev, "enter_account") && !f->s.looking_up) {
		f->s.typed[0] = '\0';
		flow_go(f, SCREEN_ENTER_ACCOUNT, out, now);
	} else if (flow_tapped(ev, "back") && !f->s.looking_up) {
		flow_go(f, f->s.nlines ? SCREEN_BASKET : SCREEN_ATTRACT, out, now);
	}
}

/* ------------------------------------------------------------------ enter_account */

static void enter_account_event(struct flow *f, const struct flow_event *ev, struct flow_out *out, int64_t now)
{
	if (ev->type == FE_ACCOUNT && f->s.looking_up) {
		lookup_answer(f, ev->payload, out, now);
		return;
	}
	if (f->s.looking_up)
		return;
	if (flow_keypad_digit(ev, f->s.typed, sizeof f->s.typed, FLOW_ACCOUNT_DIGITS)) {
		clear_error(f);
	} else if (flow_tapped(ev, "key_ok")) {
		if (strlen(f->s.typed) != FLOW_ACCOUNT_DIGITS)
			set_error(f, "error.account_digits");
		else if (locked(f, f->s.typed, now))
			say_locked(f, f->s.typed, now);
		else
			start_lookup(f, f->s.typed, true, out);
	} else if (ev->type == FE_SCAN) {
		flow_go(f, SCREEN_SCAN, out, now);
		scan_event(f, ev, out, now);
	} else if (flow_tapped(ev, "back")) {
		flow_go(f, SCREEN_SCAN, out, now);
	}
}

/* ------------------------------------------------------------------ control_question */

static void control_event(struct flow *f, const struct flow_event *ev, struct flow_out *out, int64_t now)
{
	if (ev->type == FE_ACCOUNT && f->s.looking_up) {
		lookup_answer(f, ev->payload, out, now);
		return;
	}
	if (f->s.looking_up)
		return;
	if (flow_keypad_digit(ev, f->s.answer, sizeof f->s.answer, 10)) {
		clear_error(f);
	} else if (flow_tapped(ev, "key_ok") && f->s.answer[0]) {
		if (locked(f, f->s.lookup, now)) {
			say_locked(f, f->s.lookup, now);
			return;
		}
		f->s.looking_up = true;
		f->busy = true;
		clear_error(f);
		flow_emit_lookup(f, out, FA_VERIFY_ANSWER);
	} else if (flow_tapped(ev, "back")) {
		flow_go(f, SCREEN_ENTER_ACCOUNT, out, now);
	}
}

/* ------------------------------------------------------------------ account */

static bool basket_has(const struct flow *f, const char *pers_acc)
{
	for (int i = 0; i < f->s.nlines; i++)
		if (strcmp(f->s.lines[i].acct.pers_acc, pers_acc) == 0)
			return true;
	return false;
}

static void basket_total(struct flow *f)
{
	kopecks t = 0;
	for (int i = 0; i < f->s.nlines; i++)
		if (!money_add(t, f->s.lines[i].amount, &t))
			t = MONEY_MAX;
	f->s.total = t;
}

static void add_to_basket(struct flow *f)
{
	struct flow_line *l = NULL;
	for (int i = 0; i < f->s.nlines; i++)
		if (strcmp(f->s.lines[i].acct.pers_acc, f->s.acct.pers_acc) == 0)
			l = &f->s.lines[i]; /* the same account again: replace its line */
	if (!l)
		l = &f->s.lines[f->s.nlines++];
	memset(l, 0, sizeof *l);
	l->acct = f->s.acct;
	l->amount = f->s.amount;
	l->from_bill = f->s.bill_payee_inn[0] != '\0';
	if (l->from_bill) {
		snprintf(l->payee_inn, sizeof l->payee_inn, "%s", f->s.bill_payee_inn);
		snprintf(l->payee_name, sizeof l->payee_name, "%s", f->s.bill_payee_name);
	} else {
		snprintf(l->payee_inn, sizeof l->payee_inn, "%s", f->cfg.nallow ? f->cfg.allow[0].inn : "");
		snprintf(l->payee_name, sizeof l->payee_name, "%s", f->cfg.agent_name ? f->cfg.agent_name : "");
	}
	basket_total(f);
}

/* One bill, one path: `pay` opens the confirmation with this bill alone, or the basket when
 * the payment holds another bill already; `add_bill` keeps this bill in the payment and
 * opens the scanner for the next one. */
static void account_pay(struct flow *f, bool more, struct flow_out *out, int64_t now)
{
	if (f->s.amount <= 0) {
		f->s.amount_typed[0] = '\0';
		flow_go(f, SCREEN_AMOUNT, out, now);
		return;
	}
	if (!basket_has(f, f->s.acct.pers_acc) && f->s.nlines == FLOW_MAX_BASKET) {
		set_error(f, "error.basket_full");
		return;
	}
	add_to_basket(f);
	f->s.confirm_from_account = false;
	if (more) {
		f->s.bill_payee_inn[0] = '\0';
		f->s.bill_sum = -1;
		flow_go(f, SCREEN_SCAN, out, now);
	} else if (f->s.nlines > 1) {
		flow_go(f, SCREEN_BASKET, out, now);
	} else {
		f->s.confirm_from_account = true;
		flow_go(f, SCREEN_CONFIRM, out, now);
	}
}

static void account_event(struct flow *f, const struct flow_event *ev, struct flow_out *out, int64_t now)
{
	if (flow_history_account_tap(f, ev, out, now))
		return;
	if (ev->type == FE_TAP && ev->widget && strncmp(ev->widget, "service_", 8) == 0) {
		int i = ev->widget[8] - '0';
		if (ev->widget[8] && ev->widget[9])
			i = (ev->widget[8] - '0') * 10 + (ev->widget[9] - '0');
		f->s.open_service = f->s.open_service == i ? -1 : i;
	} else if ((flow_tapped(ev, "pay") || flow_tapped(ev, "add_bill")) && f->pinpad_ok) {
		account_pay(f, flow_tapped(ev, "add_bill"), out, now);
	} else if (flow_tapped(ev, "change_amount")) {
		f->s.amount_typed[0] = '\0';
		flow_go(f, SCREEN_AMOUNT, out, now);
	} else if (flow_tapped(ev, "submit_readings") && f->s.acct.nmeters > 0) {
		flow_start_readings(f, out, now);
	} else if (flow_tapped(ev, "back")) {
		flow_go(f, f->s.nlines ? SCREEN_BASKET : SCREEN_SCAN, out, now);
	}
}

/* ------------------------------------------------------------------ amount */

static void amount_event(struct flow *f, const struct flow_event *ev, struct flow_out *out, int64_t now)
{
	if (flow_keypad_digit(ev, f->s.amount_typed, sizeof f->s.amount_typed, 10)) {
		clear_error(f);
	} else if (flow_tapped(ev, "key_ok")) {
		kopecks v = flow_typed_kopecks(f->s.amount_typed);
		if (v <= 0)
			set_error(f, "error.amount_zero");
		else if (v > f->cfg.max_amount)
			set_error(f, "error.amount_too_big");
		else {
			f->s.amount = v;
			flow_go(f, SCREEN_ACCOUNT, out, now);
		}
	} else if (flow_tapped(ev, "back")) {
		flow_go(f, SCREEN_ACCOUNT, out, now);
	}
}

/* ------------------------------------------------------------------ basket */

static void basket_event(struct flow *f, const struct flow_event *ev, struct flow_out *out, int64_t now)
{
	if (ev->type == FE_TAP && ev->widget && strncmp(ev->widget, "remove_", 7) == 0) {
		int i = ev->widget[7] - '0';
		if (i >= 0 && i < f->s.nlines) {
			memmove(&f->s.lines[i], &f->s.lines[i + 1], sizeof f->s.lines[0] * (size_t)(f->s.nlines - i - 1));
			f->s.nlines--;
			basket_total(f);
		}
	} else if (flow_tapped(ev, "add_bill") && f->s.nlines < FLOW_MAX_BASKET) {
		f->s.bill_payee_inn[0] = '\0';
		f->s.bill_sum = -1;
		flow_go(f, SCREEN_SCAN, out, now);
	} else if (flow_tapped(ev, "checkout") && f->s.nlines > 0 && f->pinpad_ok) {
		f->s.confirm_from_account = false;
		flow_go(f, SCREEN_CONFIRM, out, now);
	} else if (ev->type == FE_SCAN && f->s.nlines < FLOW_MAX_BASKET) {
		f->s.bill_payee_inn[0] = '\0';
		flow_go(f, SCREEN_SCAN, out, now);
		scan_event(f, ev, out, now);
	} else if (flow_tapped(ev, "back")) {
		flow_go(f, SCREEN_ACCOUNT, out, now);
	}
}

const struct flow_screen flow_pay_screens[] = {
	{ .id = SCREEN_SCAN, .name = "scan", .enter = scan_enter, .event = scan_event },
	{ .id = SCREEN_ENTER_ACCOUNT, .name = "enter_account", .event = enter_account_event },
	{ .id = SCREEN_CONTROL_QUESTION, .name = "control_question", .event = control_event },
	{ .id = SCREEN_ACCOUNT, .name = "account", .event = account_event },
	{ .id = SCREEN_AMOUNT, .name = "amount", .event = amount_event },
	{ .id = SCREEN_BASKET, .name = "basket", .event = basket_event },
	{ .id = SCREEN_COUNT },
};
