/* The staff screens (kiosk/flow/flow_staff.c): PIN login, the cashier's shift screen and its
 * lists, the technician's service menu.  Plain and dense: staff read, residents never see
 * these.  Everything shown comes from the flow (f->s.staff.d, filled by the shell). */
#include <stdio.h>
#include <string.h>

#include "kiosk/base/format.h"
#include "kiosk/receipt/receipt.h"
#include "kiosk/flow/staff_lines.h"
#include "kiosk/base/tz.h"
#include "offline/journal.h"
#include "ui/screens.h"

/* A value from the shell in words: a staff strings key translated, a card scheme's code
 * by the scheme's name, anything else as it is. */
static const char *value_text(struct ui *ui, const char *v, char *buf, size_t cap)
{
	if (strncmp(v, "staff.", 6) == 0 && strings_has(ui->str, ui->lang, v))
		return ui_tr(ui, v);
	if (strlen(v) >= cap)
		return v; /* no scheme's code is that long: never cut a message */
	return fmt_scheme(v, ui->lang, buf, cap);
}

/* A line from the shell (kiosk/flow/staff_lines.h): a keyed line in this language, a log line
 * as time (Moscow), level in words, module/event and readable pairs, or text as it is. */
static const char *shell_text(struct ui *ui, const char *raw, char *buf, size_t cap)
{
	char key[64], scratch[FS_LINE], vbuf[STAFF_LINE_VALS][48];
	const char *vals[STAFF_LINE_VALS];
	int n = staff_line_split(raw, key, sizeof key, vals, scratch, sizeof scratch);
	if (n >= 0) {
		for (int i = 0; i < n; i++)
			vals[i] = value_text(ui, vals[i], vbuf[i], sizeof vbuf[i]);
		return fmt_fill(ui_tr(ui, key), vals, n, buf, cap);
	}
	struct staff_logline l;
	if (staff_logline_parse(raw, &l) == 0) {
		static const char *const level[] = { "staff.level.debug", "staff.level.info", "staff.level.warn",
						     "staff.level.error" };
		struct tz_civil c;
		tz_local(l.utc_ms, &c);
		snprintf(buf, cap, "%02d:%02d:%02d · %s · %s%s%s", c.hour, c.min, c.sec, ui_tr(ui, level[l.level]), l.what,
			 l.pairs[0] ? " — " : "", l.pairs);
		return buf;
	}
	snprintf(buf, cap, "%s", raw);
	return buf;
}

/* The shell has not yet answered for this screen: say so rather than show it empty. */
static bool loading(struct ui *ui, const struct flow *f, struct ui_rect *area)
{
	if (f->s.staff.d.screen == (int)f->screen)
		return false;
	const struct theme *t = ui->t;
	ui_cut_top(area, ui_text(ui, ui_tr(ui, "staff.loading"), t->font_body, UI_MEDIUM, t->text_muted, *area, UI_LEFT,
				 true) + ui_px(ui, t->space_m));
	return true;
}

/* The height a ui_banner with an icon needs for TEXT across width W (its own padding). */
static int banner_height(struct ui *ui, const char *text, int w)
{
	const struct theme *t = ui->t;
	int pad = ui_px(ui, t->space_m);
	int tw = w - 2 * pad - ui_px(ui, t->font_heading) - ui_px(ui, t->space_s);
	return ui_text_height(ui, text, t->font_body, UI_MEDIUM, tw) + 2 * pad;
}

/* Title with who is logged in. */
static void title(struct ui *ui, const struct flow *f, struct ui_rect *area, const char *title_key)
{
	const struct flow_staff_session *st = &f->s.staff;
	char who[96] = "";
	if (st->role)
		snprintf(who, sizeof who, "%s · %s", st->name, ui_tr(ui, st->role == 2 ? "staff.role.technician" : "staff.role.cashier"));
	chrome_title(ui, area, ui_tr(ui, title_key), who[0] ? who : NULL);
}

/* The last operation's message (or that one is under way), then how its printing went. */
static void message(struct ui *ui, const struct flow *f, struct ui_rect *area)
{
	const struct theme *t = ui->t;
	const struct flow_staff_session *st = &f->s.staff;
	if (st->msg_key[0]) {
		char msg[256], vb[48];
		ui_fmt(msg, sizeof msg, ui_tr(ui, st->msg_key), value_text(ui, st->msg_text, vb, sizeof vb));
		ui_banner(ui, ui_cut_top(area, banner_height(ui, msg, area->w)), st->msg_ok ? "check_circle" : "error", msg,
			  st->msg_ok ? t->success : t->danger, t->on_primary);
		ui_cut_top(area, ui_px(ui, t->space_m));
	} else if (st->pending) {
		ui_cut_top(area, ui_text(ui, ui_tr(ui, "staff.working"), t->font_body, UI_MEDIUM, t->text_muted, *area,
					 UI_LEFT, true) + ui_px(ui, t->space_m));
	}
	if (st->print_key[0]) {
		const char *pm = ui_tr(ui, st->print_key);
		ui_banner(ui, ui_cut_top(area, banner_height(ui, pm, area->w)), st->print_ok ? "print" : "error", pm,
			  st->print_ok ? t->success : t->danger, t->on_primary);
		ui_cut_top(area, ui_px(ui, t->space_m));
	}
}

static void head(struct ui *ui, const struct flow *f, struct ui_rect *area, const char *title_key)
{
	title(ui, f, area, title_key);
	message(ui, f, area);
}

/* Buttons in a grid across the area, as many to a row as keep every label on one line:
 * large text and English labels are longer, so a row of four may become two rows of two,
 * and a landscape screen fits more to a row.  Bit i of PRIMARY makes button i primary. */
static void grid(struct ui *ui, struct ui_rect *area, const char *const *ids, const char *const *keys, int n,
		 unsigned primary, bool enabled)
{
	const struct theme *t = ui->t;
	int gap = ui_px(ui, t->space_s), fs = t->font_body, widest = 0;
	for (int i = 0; i < n; i++) {
		int w = ui_text_width(ui, ui_tr(ui, keys[i]), fs, UI_SEMIBOLD);
		widest = w > widest ? w : widest;
	}
	int per = n;
	/* the button keeps a gap either side of its label, and shrinks a little when pressed */
	while (per > 1 && (area->w - (per - 1) * gap) / per < widest + 4 * gap)
		per--;
	/* a landscape screen is short: staff buttons there are two thirds of the residents'
	 * height (still far above a finger's 15 mm), never less than the label needs */
	int h = ui_px(ui, t->button_height) * (ui->landscape ? 2 : 3) / 3;
	int lh = ui_text_height(ui, "Ag", fs, UI_SEMIBOLD, area->w) + 2 * gap;
	h = h > lh ? h : lh;
	int w = (area->w - (per - 1) * gap) / per;
	for (int first = 0; first < n; first += per) {
		struct ui_rect row = ui_cut_top(area, h);
		for (int i = first; i < n && i < first + per; i++) {
			ui_button_ex(ui, ids[i], ui_tr(ui, keys[i]), NULL, ui_cut_left(&row, w),
				     (primary >> i) & 1 ? UI_PRIMARY : UI_SECONDARY, enabled, fs);
			ui_cut_left(&row, gap);
		}
		ui_cut_top(area, gap);
	}
}

/* A group of buttons, the first one primary. */
static void buttons(struct ui *ui, struct ui_rect *area, const char *const *ids, const char *const *keys, int n,
		    bool enabled)
{
	grid(ui, area, ids, keys, n, 1u, enabled);
}

static void line(struct ui *ui, struct ui_rect *area, const char *s, bool muted)
{
	const struct theme *t = ui->t;
	ui_cut_top(area, ui_text(ui, s, t->font_caption, UI_REGULAR, muted ? t->text_muted : t->text, *area, UI_LEFT, true) +
				 ui_px(ui, 4));
}

/* The shell's lines, drawn into a page that scrolls. */
static void lines_in(struct ui *ui, const struct flow *f, struct ui_rect *in)
{
	const struct flow_staff_data *d = &f->s.staff.d;
	if (loading(ui, f, in))
		return;
	for (int i = 0; i < d->nlines; i++) {
		char buf[512];
		line(ui, in, shell_text(ui, d->lines[i], buf, sizeof buf), false);
	}
}

/* The shell's lines in the rest of the area, scrolling. */
static void lines_view(struct ui *ui, const struct flow *f, struct ui_rect area)
{
	struct ui_rect in = ui_scroll_begin(ui, area);
	int top = in.y;
	lines_in(ui, f, &in);
	ui_scroll_end(ui, in.y - top);
}

void screen_staff_login(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area)
{
	const struct theme *t = ui->t;
	const struct flow_staff_session *st = &f->s.staff;
	head(ui, f, &area, "staff.login.title");
	/* landscape: the keypad takes the right half at full height, the rest the left */
	struct ui_rect pad = area;
	if (ui->landscape) {
		pad = ui_cut_right(&area, area.w / 2);
		ui_cut_right(&area, ui_px(ui, t->space_l));
	}
	if (st->card_name[0]) {
		char msg[96];
		ui_fmt(msg, sizeof msg, ui_tr(ui, "staff.login.card"), st->card_name);
		line(ui, &area, msg, false);
	}
	int64_t until = st->d.locked_until_ms;
	if (until == FS_LOCKED_FOREVER) {
		ui_banner(ui, ui_cut_top(&area, banner_height(ui, ui_tr(ui, "staff.locked_forever"), area.w)), "lock",
			  ui_tr(ui, "staff.locked_forever"), t->danger,
			  t->on_primary);
		ui_cut_top(&area, ui_px(ui, t->space_m));
	} else if (until > ctx->wall_ms) {
		char when[32], msg[160];
		receipt_time(until, when, sizeof when);
		ui_fmt(msg, sizeof msg, ui_tr(ui, "staff.locked_until"), when);
		ui_banner(ui, ui_cut_top(&area, banner_height(ui, msg, area.w)), "lock", msg, t->danger, t->on_primary);
		ui_cut_top(&area, ui_px(ui, t->space_m));
	}
	/* The PIN as dots: never its digits. */
	char dots[40] = "";
	size_t n = strlen(st->pin);
	for (size_t i = 0; i < n; i++)
		strcat(dots, "\xE2\x97\x8F ");
	struct ui_rect field = ui_cut_top(&area, ui_px(ui, 120));
	ui_round_border(ui, field, ui_px(ui, t->radius_small), ui_px(ui, 3), t->border, t->surface);
	ui_text(ui, n ? dots : ui_tr(ui, "staff.login.pin"), t->font_title, UI_BOLD, n ? t->text : t->text_muted,
		(struct ui_rect){ field.x, field.y + ui_px(ui, 30), field.w, field.h }, UI_CENTER, false);
	ui_cut_top(&area, ui_px(ui, t->space_l));
	if (!ui->landscape)
		pad = area;
	int kw = pad.w < ui_px(ui, 700) ? pad.w : ui_px(ui, 700);
	int kh = pad.h < ui_px(ui, 720) ? pad.h : ui_px(ui, 720);
	ui_keypad(ui, (struct ui_rect){ pad.x + (pad.w - kw) / 2, pad.y, kw, kh }, true, n >= 4 && !st->pending);
}

static void money_str(kopecks v, char *buf, size_t cap)
{
	money_format(v, true, buf, cap);
}

/* The out-of-service state and the shift's totals. */
static void cashier_info(struct ui *ui, const struct flow *f, struct ui_rect *r)
{
	const struct theme *t = ui->t;
	const struct flow_staff_data *d = &f->s.staff.d;
	struct ui_rect area = *r;
	if (f->staff.out_of_service) {
		char k[48];
		snprintf(k, sizeof k, "oos.reason.%s", f->staff.reason);
		char msg[200];
		ui_fmt(msg, sizeof msg, ui_tr(ui, "staff.oos_now"), ui_tr(ui, k));
		ui_banner(ui, ui_cut_top(&area, banner_height(ui, msg, area.w)), "warning", msg, t->warning, t->on_primary);
		ui_cut_top(&area, ui_px(ui, t->space_m));
	}
	/* Shift totals. */
	char when[32], buf[200];
	if (!loading(ui, f, &area)) {
		receipt_time(d->shift_opened_ms, when, sizeof when);
		ui_fmt(buf, sizeof buf, ui_tr(ui, "staff.shift_since"), when);
		ui_cut_top(&area, ui_text(ui, buf, t->font_heading, UI_SEMIBOLD, t->text, area, UI_LEFT, true) +
					  ui_px(ui, t->space_s));
		for (int i = 0; i < d->ntotals; i++) {
			char m[MONEY_FMT_MAX], sch[32];
			money_str(d->totals[i].sum, m, sizeof m);
			snprintf(buf, sizeof buf, "%s: %d · %s", fmt_scheme(d->totals[i].scheme, ui->lang, sch, sizeof sch),
				 d->totals[i].count, m);
			line(ui, &area, buf, false);
		}
		char m[MONEY_FMT_MAX], c[16];
		if (d->total_count < 0)
			snprintf(m, sizeof m, "?");
		else
			money_str(d->total_sum, m, sizeof m);
		snprintf(c, sizeof c, "%d", d->total_count < 0 ? 0 : d->total_count);
		char tmp[200];
		ui_fmt(tmp, sizeof tmp, ui_tr(ui, "staff.shift_total"), c);
		ui_fmt(buf, sizeof buf, tmp, m);
		ui_cut_top(&area, ui_text(ui, buf, t->font_body, UI_BOLD, t->text, area, UI_LEFT, true) + ui_px(ui, t->space_l));
	}
	*r = area;
}

void screen_cashier(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area)
{
	(void)ctx;
	const struct flow_staff_session *st = &f->s.staff;
	title(ui, f, &area, "staff.cashier.title");
	/* portrait: one page that scrolls (in large text the buttons take more rows);
	 * landscape: the message and the totals on the left, the buttons on the right */
	if (ui->landscape) {
		struct ui_rect info = ui_cut_left(&area, area.w / 3);
		ui_cut_left(&area, ui_px(ui, ui->t->space_l));
		message(ui, f, &info);
		cashier_info(ui, f, &info);
	} else {
		message(ui, f, &area);
	}
	struct ui_rect view = area;
	area = ui_scroll_begin(ui, view);
	int top = area.y;
	if (!ui->landscape)
		cashier_info(ui, f, &area);
	/* one grid, so that a wide screen puts more to a row; the X-report, the shift's first
	 * task, is the primary one */
	const char *ids[] = { "x_report", "reconcile", "close_shift", "payments", "needs_operator",
			      f->staff.out_of_service ? "back_in_service" : "out_of_service", "logout", "service_menu" };
	const char *keys[] = { "staff.x_report", "staff.reconcile", "staff.close_shift", "staff.payments",
			       "staff.needs_operator", f->staff.out_of_service ? "staff.back_in_service" : "staff.out_of_service",
			       "staff.logout", "staff.service_menu" };
	grid(ui, &area, ids, keys, st->role == 2 ? 8 : 7, 1u, !st->pending);
	ui_scroll_end(ui, area.y - top);
}

/* A payment as the cashier reads it: time, amount, card, its state in words.  The
 * operation number goes on a line of its own, whole: it is what the resident reads out. */
static void payment_line(struct ui *ui, const struct fs_payment *p, char *buf, size_t cap)
{
	char when[32], m[MONEY_FMT_MAX], sch[32], key[48];
	receipt_time(p->created_ms, when, sizeof when);
	money_format(p->total, true, m, sizeof m);
	snprintf(key, sizeof key, "staff.state.%s", journal_state_name((enum journal_state)p->state));
	for (char *k = key; *k; k++)
		*k = (char)(*k >= 'A' && *k <= 'Z' ? *k - 'A' + 'a' : *k);
	snprintf(buf, cap, "%s · %s · %s %s · %s", when, m, fmt_scheme(p->scheme, ui->lang, sch, sizeof sch), p->masked_pan,
		 ui_tr(ui, key));
}

static void operation_line(struct ui *ui, struct ui_rect *area, const struct fs_payment *p)
{
	char buf[96];
	ui_fmt(buf, sizeof buf, ui_tr(ui, "result.operation"), p->txn_id);
	line(ui, area, buf, true);
}

void screen_cashier_payments(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area)
{
	(void)ctx;
	const struct theme *t = ui->t;
	const struct flow_staff_session *st = &f->s.staff;
	head(ui, f, &area, "staff.payments.title");
	if (loading(ui, f, &area))
		return;
	if (st->d.npay == 0) {
		line(ui, &area, ui_tr(ui, "staff.none"), true);
		return;
	}
	struct ui_rect in = ui_scroll_begin(ui, area);
	int top = in.y;
	int gap = ui_px(ui, t->space_s);
	for (int i = 0; i < st->d.npay; i++) {
		const struct fs_payment *p = &st->d.pay[i];
		char buf[200], id[24];
		payment_line(ui, p, buf, sizeof buf);
		line(ui, &in, buf, false);
		operation_line(ui, &in, p);
		struct ui_rect row = ui_cut_top(&in, ui_px(ui, 90));
		int w = ui_px(ui, 300);
		snprintf(id, sizeof id, "reprint_%d", i);
		ui_button_ex(ui, id, ui_tr(ui, "staff.reprint"), NULL, ui_cut_left(&row, w), UI_SECONDARY,
			     p->has_receipt && !st->pending, t->font_caption);
		ui_cut_left(&row, gap);
		snprintf(id, sizeof id, "void_%d", i);
		if (p->state == JOURNAL_CONFIRMED)
			ui_button_ex(ui, id, ui_tr(ui, "staff.void"), NULL, ui_cut_left(&row, w), UI_DANGER, !st->pending,
				     t->font_caption);
		ui_cut_top(&in, gap);
	}
	ui_scroll_end(ui, in.y - top);
}

void screen_void_confirm(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area)
{
	(void)ctx;
	const struct flow_staff_session *st = &f->s.staff;
	head(ui, f, &area, "staff.void.title");
	if (st->sel >= 0 && st->sel < st->d.npay) {
		char buf[200];
		payment_line(ui, &st->d.pay[st->sel], buf, sizeof buf);
		line(ui, &area, buf, false);
		operation_line(ui, &area, &st->d.pay[st->sel]);
	}
	ui_cut_top(&area, ui_px(ui, ui->t->space_l));
	static const char *const ids[] = { "void_confirm", "void_cancel" };
	static const char *const keys[] = { "staff.void_confirm", "staff.void_cancel" };
	buttons(ui, &area, ids, keys, 2, !st->pending);
}

void screen_reconcile(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area)
{
	(void)ctx;
	head(ui, f, &area, "staff.reconcile.title");
	/* the totals come with the PIN-pad's answer; a failure leaves only its message */
	if (f->s.staff.d.screen != (int)f->screen) {
		if (f->s.staff.pending)
			loading(ui, f, &area);
		return;
	}
	line(ui, &area, ui_tr(ui, "staff.reconcile.legend"), true);
	lines_view(ui, f, area);
}

void screen_needs_operator(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area)
{
	(void)ctx;
	const struct flow_staff_session *st = &f->s.staff;
	head(ui, f, &area, "staff.needs_operator.title");
	if (loading(ui, f, &area))
		return;
	if (st->d.npay == 0) {
		line(ui, &area, ui_tr(ui, "staff.none"), true);
		return;
	}
	struct ui_rect in = ui_scroll_begin(ui, area);
	int top = in.y;
	for (int i = 0; i < st->d.npay; i++) {
		const struct fs_payment *p = &st->d.pay[i];
		char buf[240];
		payment_line(ui, p, buf, sizeof buf);
		line(ui, &in, buf, false);
		operation_line(ui, &in, p);
		char acc[24];
		snprintf(buf, sizeof buf, "%s %s", ui_tr(ui, "staff.account"), fmt_pers_acc(p->pers_acc, acc, sizeof acc));
		line(ui, &in, buf, true);
		if (p->reason[0])
			line(ui, &in, p->reason, true);
		ui_cut_top(&in, ui_px(ui, ui->t->space_s));
	}
	ui_scroll_end(ui, in.y - top);
}

void screen_out_of_service(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area)
{
	(void)ctx;
	head(ui, f, &area, "staff.oos.title");
	char id[STAFF_REASONS][32], key[STAFF_REASONS][48];
	const char *ids[STAFF_REASONS], *keys[STAFF_REASONS];
	for (int i = 0; i < STAFF_REASONS; i++) {
		snprintf(id[i], sizeof id[i], "reason_%s", flow_staff_reasons[i]);
		snprintf(key[i], sizeof key[i], "oos.reason.%s", flow_staff_reasons[i]);
		ids[i] = id[i];
		keys[i] = key[i];
	}
	grid(ui, &area, ids, keys, STAFF_REASONS, (1u << STAFF_REASONS) - 1, !f->s.staff.pending);
}

void screen_service(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area)
{
	(void)ctx;
	head(ui, f, &area, "staff.service.title");
	/* one page that scrolls: a landscape screen in large text has room for few rows */
	struct ui_rect view = area;
	area = ui_scroll_begin(ui, view);
	int top = area.y;
	static const char *const ids[] = { "devices", "network", "queue", "logs", "config", "cashier_menu", "logout" };
	static const char *const keys[] = { "staff.devices", "staff.network", "staff.queue", "staff.logs", "staff.config",
					    "staff.cashier_menu", "staff.logout" };
	grid(ui, &area, ids, keys, 7, 1u, true);
	ui_cut_top(&area, ui_px(ui, ui->t->space_m));
	lines_in(ui, f, &area);
	ui_scroll_end(ui, area.y - top);
}

void screen_service_devices(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area)
{
	(void)ctx;
	head(ui, f, &area, "staff.devices.title");
	/* one page that scrolls: the voice settings' rows come between the tests and the list */
	struct ui_rect view = area;
	area = ui_scroll_begin(ui, view);
	int top = area.y;
	static const char *const ids[] = { "test_printer", "test_pinpad", "test_touch", "refresh" };
	static const char *const keys[] = { "staff.test_printer", "staff.test_pinpad", "staff.test_touch", "staff.refresh" };
	buttons(ui, &area, ids, keys, 4, !f->s.staff.pending);
	if (f->cfg.voice_available) {
		/* the voice guidance's rate and volume (each change says a sample) */
		char num[16], msg[96];
		snprintf(num, sizeof num, "%d", f->speech_rate);
		line(ui, &area, ui_fmt(msg, sizeof msg, ui_tr(ui, "staff.speech_rate"), num), false);
		snprintf(num, sizeof num, "%d", f->speech_volume);
		line(ui, &area, ui_fmt(msg, sizeof msg, ui_tr(ui, "staff.speech_volume"), num), false);
		static const char *const sids[] = { "speech_rate_down", "speech_rate_up", "speech_volume_down",
						     "speech_volume_up" };
		static const char *const skeys[] = { "staff.speech_rate_down", "staff.speech_rate_up",
						     "staff.speech_volume_down", "staff.speech_volume_up" };
		buttons(ui, &area, sids, skeys, 4, !f->s.staff.pending);
	}
	lines_in(ui, f, &area);
	ui_scroll_end(ui, area.y - top);
}

void screen_service_network(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area)
{
	(void)ctx;
	head(ui, f, &area, "staff.network.title");
	static const char *const ids[] = { "force_sync", "refresh" };
	static const char *const keys[] = { "staff.force_sync", "staff.refresh" };
	buttons(ui, &area, ids, keys, 2, !f->s.staff.pending);
	lines_view(ui, f, area);
}

void screen_service_logs(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area)
{
	(void)ctx;
	head(ui, f, &area, "staff.logs.title");
	static const char *const ids[] = { "log_debug", "log_info", "log_warn", "log_error" };
	static const char *const keys[] = { "staff.log.all", "staff.log.info", "staff.log.warn", "staff.log.error" };
	buttons(ui, &area, ids, keys, 4, true);
	lines_view(ui, f, area);
}

void screen_service_config(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area)
{
	(void)ctx;
	head(ui, f, &area, "staff.config.title");
	if (f->s.staff.confirm_restart) {
		static const char *const ids[] = { "restart_confirm" };
		static const char *const keys[] = { "staff.restart_confirm" };
		buttons(ui, &area, ids, keys, 1, !f->s.staff.pending);
	} else {
		static const char *const ids[] = { "restart" };
		static const char *const keys[] = { "staff.restart" };
		buttons(ui, &area, ids, keys, 1, true);
	}
	lines_view(ui, f, area);
}

/* Touch test: a grid of cells that turn green when touched (dead zones stay grey). */
void screen_service_touch(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area)
{
	(void)ctx;
	const struct theme *t = ui->t;
	uint32_t touched = f->s.staff.touched;
	int n = 0;
	for (int i = 0; i < STAFF_TOUCH_COLS * STAFF_TOUCH_ROWS; i++)
		n += (touched >> i) & 1;
	char num[16], msg[96];
	snprintf(num, sizeof num, "%d/%d", n, STAFF_TOUCH_COLS * STAFF_TOUCH_ROWS);
	ui_fmt(msg, sizeof msg, ui_tr(ui, "staff.touch.count"), num);
	head(ui, f, &area, "staff.touch.title");
	line(ui, &area, msg, false);
	static const char *const ids[] = { "touch_reset" };
	static const char *const keys[] = { "staff.touch.reset" };
	buttons(ui, &area, ids, keys, 1, true);
	int gap = ui_px(ui, t->space_xs);
	int cw = (area.w - (STAFF_TOUCH_COLS - 1) * gap) / STAFF_TOUCH_COLS;
	int ch = (area.h - (STAFF_TOUCH_ROWS - 1) * gap) / STAFF_TOUCH_ROWS;
	for (int i = 0; i < STAFF_TOUCH_COLS * STAFF_TOUCH_ROWS; i++) {
		struct ui_rect c = { area.x + (i % STAFF_TOUCH_COLS) * (cw + gap), area.y + (i / STAFF_TOUCH_COLS) * (ch + gap),
				     cw, ch };
		ui_fill_round(ui, c, ui_px(ui, t->radius_small), (touched >> i) & 1 ? t->success : t->surface_alt);
		char id[16];
		snprintf(id, sizeof id, "touch_%d", i);
		ui_hotspot(ui, id, c);
	}
}
