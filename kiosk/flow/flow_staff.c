/* Cashier maintenance mode and the technician's service menu (flow_staff.h): the staff
 * screens of the flow table.  Every staff screen times out after 2 idle minutes (the
 * prompt, then attract, which ends the session and wipes it).  Nothing here is reachable
 * while a resident's payment is in flight: the entry hold and the card scan only work on
 * attract, which is never busy. */
#include <stdio.h>
#include <string.h>

#include "kiosk/flow/flow_internal.h"

#define STAFF_TIMEOUT_S 120
#define ROLE_TECHNICIAN 2

const char *const flow_staff_reasons[STAFF_REASONS] = { "maintenance", "no_paper", "pinpad", "network" };

static void set_msg(struct flow *f, const char *key, const char *text, bool ok)
{
	struct flow_staff_session *st = &f->s.staff;
	snprintf(st->msg_key, sizeof st->msg_key, "%s", key ? key : "");
	snprintf(st->msg_text, sizeof st->msg_text, "%s", text ? text : "");
	st->msg_ok = ok;
	st->print_key[0] = '\0';
}

/* A staff screen change: the message of the last operation stays only when asked. */
static void go(struct flow *f, enum screen_id to, bool keep_msg, struct flow_out *out, int64_t now)
{
	if (!keep_msg)
		set_msg(f, NULL, NULL, true);
	f->s.staff.confirm_restart = false;
	flow_go(f, to, out, now);
}

static void request(struct flow *f, enum staff_op op, struct flow_out *out)
{
	f->s.staff.pending = true;
	flow_emit_staff(f, out, (int)op);
}

/* The voice's rate (words per minute, 80..450) and volume (percent) by steps of 10; true
 * when the tap was one of those buttons (a change at a bound still asks: it says the sample). */
static bool speech_tap(struct flow *f, const struct flow_event *ev)
{
	static const struct { const char *id; int rate, volume; } steps[] = {
		{ "speech_rate_down", -10, 0 }, { "speech_rate_up", 10, 0 },
		{ "speech_volume_down", 0, -10 }, { "speech_volume_up", 0, 10 },
	};
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		if (!flow_tapped(ev, steps[i].id))
			continue;
		int r = f->speech_rate + steps[i].rate, v = f->speech_volume + steps[i].volume;
		f->speech_rate = r < 80 ? 80 : r > 450 ? 450 : r;
		f->speech_volume = v < 0 ? 0 : v > 100 ? 100 : v;
		return true;
	}
	return false;
}

/* Screens that show the store's or the devices' state ask for it on entry. */
static void refresh_enter(struct flow *f, struct flow_out *out, int64_t now)
{
	(void)f;
	(void)now;
	flow_emit_staff(f, out, SOP_REFRESH);
}

/* Every staff screen: FE_STAFF_DATA for it replaces what it shows; an outcome sets the
 * message; a printer result after a print order says how it went beside that message, never
 * instead of it («Смена закрыта» must stay readable after the Z-report has printed). */
static bool common(struct flow *f, const struct flow_event *ev)
{
	struct flow_staff_session *st = &f->s.staff;
	if (ev->type == FE_STAFF_DATA && ev->payload) {
		const struct flow_staff_data *d = ev->payload;
		if (d->screen == (int)f->screen)
			st->d = *d;
		return true;
	}
	if (ev->type == FE_STAFF_DONE && ev->payload) {
		const struct flow_staff_done *d = ev->payload;
		st->pending = false;
		f->busy = false;
		set_msg(f, d->key, d->text, d->ok);
		return false; /* the screen may move on */
	}
	if (ev->type == FE_PRINT_RESULT) {
		static const char *const keys[] = { "staff.printed", "staff.paper_out", "staff.printer_offline",
						    "staff.no_printer" };
		if (ev->code >= 0 && ev->code < 4) {
			snprintf(st->print_key, sizeof st->print_key, "%s", keys[ev->code]);
			st->print_ok = ev->code == PRINT_OK;
		}
		return true;
	}
	return false;
}

/* ------------------------------------------------------------------ attract, login */

bool flow_staff_attract(struct flow *f, const struct flow_event *ev, struct flow_out *out, int64_t now)
{
	const char *pfx = f->cfg.staff_card_prefix;
	if (ev->type == FE_SCAN && pfx && pfx[0] && ev->len >= strlen(pfx) &&
	    memcmp(ev->data, pfx, strlen(pfx)) == 0) {
		size_t n = ev->len - strlen(pfx);
		const uint8_t *p = ev->data + strlen(pfx);
		while (n && (p[n - 1] == '\r' || p[n - 1] == '\n'))
			n--;
		bool good = n > 0 && n < sizeof f->s.staff.card_name;
		for (size_t i = 0; good && i < n; i++)
			good = (p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z') || (p[i] >= '0' && p[i] <= '9') ||
			       p[i] == '-' || p[i] == '_' || p[i] == '.';
		if (!good) {
			/* not a card of ours: ignored, never a bill */
			flow_emit2(out, FA_SCAN_REJECTED, FLOW_SCAN_BAD_STAFF_CARD, (int)ev->len);
			return true;
		}
		if (f->busy)
			return true;
		flow_emit(out, FA_STAFF_ENTRY, 1);
		flow_go(f, SCREEN_STAFF_LOGIN, out, now);
		memcpy(f->s.staff.card_name, p, n);
		f->s.staff.card_name[n] = '\0';
		return true;
	}
	if (!f->staff.out_of_service)
		return false;
	/* Out of service: residents are refused (help still answers). */
	return ev->type == FE_SCAN || flow_tapped(ev, "pay_bill") || flow_tapped(ev, "submit_readings");
}

void flow_staff_state(struct flow *f, const struct flow_event *ev)
{
	if (ev->payload)
		f->staff = *(const struct flow_staff_state *)ev->payload;
}

static bool pin_key(struct flow_staff_session *st, const struct flow_event *ev)
{
	if (ev->type != FE_TAP || !ev->widget || strncmp(ev->widget, "key_", 4) != 0)
		return false;
	const char *k = ev->widget + 4;
	size_t n = strlen(st->pin);
	if (strcmp(k, "del") == 0) {
		if (n)
			st->pin[n - 1] = '\0';
		return true;
	}
	if (k[0] >= '0' && k[0] <= '9' && k[1] == '\0') {
		if (n + 1 < sizeof st->pin) {
			st->pin[n] = k[0];
			st->pin[n + 1] = '\0';
		}
		return true;
	}
	return false;
}

static void login_event(struct flow *f, const struct flow_event *ev, struct flow_out *out, int64_t now)
{
	struct flow_staff_session *st = &f->s.staff;
	if (common(f, ev))
		return;
	if (flow_tapped(ev, "back")) {
		flow_go(f, SCREEN_ATTRACT, out, now);
	} else if (flow_tapped(ev, "key_ok")) {
		if (!st->pending && strlen(st->pin) >= 4)
			request(f, SOP_LOGIN, out);
	} else if (!st->pending && pin_key(st, ev)) {
		set_msg(f, NULL, NULL, true);
	} else if (ev->type == FE_STAFF_AUTH && ev->payload) {
		const struct flow_staff_auth *a = ev->payload;
		memset(st->pin, 0, sizeof st->pin);
		st->pending = false;
		switch (a->status) {
		case STAFF_AUTH_OK:
			st->role = a->role;
			snprintf(st->name, sizeof st->name, "%s", a->name);
			go(f, a->role == ROLE_TECHNICIAN ? SCREEN_SERVICE : SCREEN_CASHIER, false, out, now);
			break;
		case STAFF_AUTH_WRONG: {
			char n[16];
			snprintf(n, sizeof n, "%d", a->attempts_left);
			set_msg(f, "staff.wrong_pin", n, false);
			break;
		}
		case STAFF_AUTH_LOCKED: {
			st->d.locked_until_ms = a->locked_until_ms;
			char n[16];
			snprintf(n, sizeof n, "%d", a->lock_minutes);
			if (a->locked_until_ms == FS_LOCKED_FOREVER)
				set_msg(f, "staff.locked_technician", NULL, false);
			else
				set_msg(f, "staff.locked", n, false);
			break;
		}
		case STAFF_AUTH_ERROR:
			set_msg(f, "staff.error", NULL, false);
			break;
		}
	}
}

/* ------------------------------------------------------------------ cashier */

static bool logged_in(struct flow *f, struct flow_out *out, int64_t now)
{
	if (f->s.staff.role)
		return true;
	flow_go(f, SCREEN_ATTRACT, out, now); /* never a staff screen without a login */
	return false;
}

static void cashier_event(struct flow *f, const struct flow_event *ev, struct flow_out *out, int64_t now)
{
	struct flow_staff_session *st = &f->s.staff;
	if (!logged_in(f, out, now) || common(f, ev))
		return;
	if (ev->type == FE_STAFF_DONE) {
		flow_emit_staff(f, out, SOP_REFRESH); /* totals after a close */
		return;
	}
	if (flow_tapped(ev, "back") || flow_tapped(ev, "logout")) {
		flow_go(f, SCREEN_ATTRACT, out, now);
	} else if (st->pending) {
		return; /* one operation at a time */
	} else if (flow_tapped(ev, "x_report")) {
		set_msg(f, NULL, NULL, true);
		request(f, SOP_X_REPORT, out);
	} else if (flow_tapped(ev, "close_shift")) {
		set_msg(f, NULL, NULL, true);
		request(f, SOP_CLOSE_SHIFT, out);
	} else if (flow_tapped(ev, "reconcile")) {
		go(f, SCREEN_RECONCILE, false, out, now);
		f->busy = true; /* the PIN-pad is talking to the bank */
		request(f, SOP_RECONCILE, out);
	} else if (flow_tapped(ev, "payments")) {
		go(f, SCREEN_CASHIER_PAYMENTS, false, out, now);
	} else if (flow_tapped(ev, "needs_operator")) {
		go(f, SCREEN_NEEDS_OPERATOR, false, out, now);
	} else if (flow_tapped(ev, "out_of_service")) {
		go(f, SCREEN_OUT_OF_SERVICE, false, out, now);
	} else if (flow_tapped(ev, "back_in_service")) {
		request(f, SOP_BACK_IN_SERVICE, out);
	} else if (flow_tapped(ev, "service_menu") && st->role == ROLE_TECHNICIAN) {
		go(f, SCREEN_SERVICE, false, out, now);
	}
}

static int widget_index(const struct flow_event *ev, const char *prefix)
{
	size_t n = strlen(prefix);
	if (ev->type != FE_TAP || !ev->widget || strncmp(ev->widget, prefix, n) != 0)
		return -1;
	int v = 0;
	const char *p = ev->widget + n;
	if (!*p)
		return -1;
	for (; *p; p++) {
		if (*p < '0' || *p > '9' || v > 1000)
			return -1;
		v = v * 10 + (*p - '0');
	}
	return v;
}

static void payments_event(struct flow *f, const struct flow_event *ev, struct flow_out *out, int64_t now)
{
	struct flow_staff_session *st = &f->s.staff;
	if (!logged_in(f, out, now) || common(f, ev))
		return;
	if (ev->type == FE_STAFF_DONE)
		return;
	int i;
	if (flow_tapped(ev, "back")) {
		go(f, SCREEN_CASHIER, false, out, now);
	} else if (st->pending) {
		return;
	} else if ((i = widget_index(ev, "reprint_")) >= 0 && i < st->d.npay && st->d.pay[i].has_receipt) {
		st->sel = i;
		set_msg(f, NULL, NULL, true);
		request(f, SOP_REPRINT, out);
	} else if ((i = widget_index(ev, "void_")) >= 0 && i < st->d.npay) {
		st->sel = i;
		go(f, SCREEN_VOID_CONFIRM, false, out, now);
	}
}

static void void_event(struct flow *f, const struct flow_event *ev, struct flow_out *out, int64_t now)
{
	struct flow_staff_session *st = &f->s.staff;
	if (!logged_in(f, out, now) || common(f, ev))
		return;
	if (ev->type == FE_STAFF_DONE) {
		go(f, SCREEN_CASHIER_PAYMENTS, true, out, now);
		return;
	}
	if (st->pending)
		return;
	if (flow_tapped(ev, "back") || flow_tapped(ev, "void_cancel")) {
		go(f, SCREEN_CASHIER_PAYMENTS, false, out, now);
	} else if (flow_tapped(ev, "void_confirm") && st->sel >= 0 && st->sel < st->d.npay) {
		f->busy = true;
		request(f, SOP_VOID, out);
	}
}

static void reconcile_event(struct flow *f, const struct flow_event *ev, struct flow_out *out, int64_t now)
{
	if (!logged_in(f, out, now) || common(f, ev))
		return;
	if (flow_tapped(ev, "back") && !f->s.staff.pending)
		go(f, SCREEN_CASHIER, false, out, now);
}

static void list_event(struct flow *f, const struct flow_event *ev, struct flow_out *out, int64_t now)
{
	if (!logged_in(f, out, now) || common(f, ev))
		return;
	if (flow_tapped(ev, "back"))
		go(f, SCREEN_CASHIER, false, out, now);
}

static void oos_event(struct flow *f, const struct flow_event *ev, struct flow_out *out, int64_t now)
{
	struct flow_staff_session *st = &f->s.staff;
	if (!logged_in(f, out, now) || common(f, ev))
		return;
	if (ev->type == FE_STAFF_DONE) {
		go(f, SCREEN_CASHIER, true, out, now);
		return;
	}
	if (flow_tapped(ev, "back")) {
		go(f, SCREEN_CASHIER, false, out, now);
		return;
	}
	if (st->pending || ev->type != FE_TAP || !ev->widget || strncmp(ev->widget, "reason_", 7) != 0)
		return;
	for (int i = 0; i < STAFF_REASONS; i++)
		if (strcmp(ev->widget + 7, flow_staff_reasons[i]) == 0) {
			st->reason = i;
			request(f, SOP_OUT_OF_SERVICE, out);
		}
}

/* ------------------------------------------------------------------ technician */

static bool technician(struct flow *f, struct flow_out *out, int64_t now)
{
	if (f->s.staff.role == ROLE_TECHNICIAN)
		return true;
	flow_go(f, SCREEN_ATTRACT, out, now);
	return false;
}

static void service_event(struct flow *f, const struct flow_event *ev, struct flow_out *out, int64_t now)
{
	if (!technician(f, out, now) || common(f, ev))
		return;
	static const struct { const char *widget; enum screen_id to; } menu[] = {
		{ "cashier_menu", SCREEN_CASHIER }, { "devices", SCREEN_SERVICE_DEVICES },
		{ "network", SCREEN_SERVICE_NETWORK }, { "queue", SCREEN_SERVICE_NETWORK },
		{ "logs", SCREEN_SERVICE_LOGS }, { "config", SCREEN_SERVICE_CONFIG },
	};
	if (flow_tapped(ev, "back") || flow_tapped(ev, "logout")) {
		flow_go(f, SCREEN_ATTRACT, out, now);
		return;
	}
	for (size_t i = 0; i < sizeof menu / sizeof menu[0]; i++)
		if (flow_tapped(ev, menu[i].widget))
			go(f, menu[i].to, false, out, now);
}

static void service_sub_event(struct flow *f, const struct flow_event *ev, struct flow_out *out, int64_t now)
{
	struct flow_staff_session *st = &f->s.staff;
	if (!technician(f, out, now) || common(f, ev))
		return;
	if (ev->type == FE_STAFF_DONE) {
		flow_emit_staff(f, out, SOP_REFRESH);
		return;
	}
	if (flow_tapped(ev, "back")) {
		go(f, f->screen == SCREEN_SERVICE_TOUCH ? SCREEN_SERVICE_DEVICES : SCREEN_SERVICE, false, out, now);
		return;
	}
	if (st->pending)
		return;
	static const char *const levels[] = { "log_debug", "log_info", "log_warn", "log_error" };
	for (int i = 0; i < 4; i++)
		if (flow_tapped(ev, levels[i])) {
			st->log_level = i;
			flow_emit_staff(f, out, SOP_REFRESH);
			return;
		}
	int cell = widget_index(ev, "touch_");
	if (cell >= 0 && cell < STAFF_TOUCH_COLS * STAFF_TOUCH_ROWS) {
		st->touched |= 1u << cell;
		return;
	}
	if (flow_tapped(ev, "touch_reset")) {
		st->touched = 0;
	} else if (flow_tapped(ev, "test_touch")) {
		st->touched = 0;
		go(f, SCREEN_SERVICE_TOUCH, false, out, now);
	} else if (flow_tapped(ev, "test_printer")) {
		set_msg(f, NULL, NULL, true);
		request(f, SOP_TEST_PRINTER, out);
	} else if (flow_tapped(ev, "test_pinpad")) {
		set_msg(f, NULL, NULL, true);
		f->busy = true;
		request(f, SOP_TEST_PINPAD, out);
	} else if (flow_tapped(ev, "force_sync")) {
		set_msg(f, NULL, NULL, true);
		request(f, SOP_FORCE_SYNC, out);
	} else if (flow_tapped(ev, "refresh")) {
		flow_emit_staff(f, out, SOP_REFRESH);
	} else if (f->screen == SCREEN_SERVICE_DEVICES && f->cfg.voice_available && speech_tap(f, ev)) {
		set_msg(f, NULL, NULL, true);
		request(f, SOP_SPEECH, out);
	} else if (flow_tapped(ev, "restart")) {
		st->confirm_restart = true;
	} else if (flow_tapped(ev, "restart_confirm") && st->confirm_restart) {
		request(f, SOP_RESTART, out);
	}
}

const struct flow_screen flow_staff_screens[] = {
	{ .id = SCREEN_STAFF_LOGIN, .name = "staff_login", .timeout_s = STAFF_TIMEOUT_S, .enter = refresh_enter, .event = login_event },
	{ .id = SCREEN_CASHIER, .name = "cashier", .timeout_s = STAFF_TIMEOUT_S, .enter = refresh_enter, .event = cashier_event },
	{ .id = SCREEN_CASHIER_PAYMENTS, .name = "cashier_payments", .timeout_s = STAFF_TIMEOUT_S, .enter = refresh_enter,
	  .event = payments_event },
	{ .id = SCREEN_VOID_CONFIRM, .name = "void_confirm", .timeout_s = STAFF_TIMEOUT_S, .event = void_event },
	{ .id = SCREEN_RECONCILE, .name = "reconcile", .timeout_s = STAFF_TIMEOUT_S, .event = reconcile_event },
	{ .id = SCREEN_NEEDS_OPERATOR, .name = "needs_operator", .timeout_s = STAFF_TIMEOUT_S, .enter = refresh_enter,
	  .event = list_event },
	{ .id = SCREEN_OUT_OF_SERVICE, .name = "out_of_service", .timeout_s = STAFF_TIMEOUT_S, .event = oos_event },
	{ .id = SCREEN_SERVICE, .name = "service", .timeout_s = STAFF_TIMEOUT_S, .enter = refresh_enter, .event = service_event },
	{ .id = SCREEN_SERVICE_DEVICES, .name = "service_devices", .timeout_s = STAFF_TIMEOUT_S, .enter = refresh_enter,
	  .event = service_sub_event },
	{ .id = SCREEN_SERVICE_NETWORK, .name = "service_network", .timeout_s = STAFF_TIMEOUT_S, .enter = refresh_enter,
	  .event = service_sub_event },
	{ .id = SCREEN_SERVICE_LOGS, .name = "service_logs", .timeout_s = STAFF_TIMEOUT_S, .enter = refresh_enter,
	  .event = service_sub_event },
	{ .id = SCREEN_SERVICE_CONFIG, .name = "service_config", .timeout_s = STAFF_TIMEOUT_S, .enter = refresh_enter,
	  .event = service_sub_event },
	{ .id = SCREEN_SERVICE_TOUCH, .name = "service_touch", .timeout_s = STAFF_TIMEOUT_S, .event = service_sub_event },
	{ .id = SCREEN_COUNT },
};
