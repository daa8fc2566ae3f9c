/* Meter readings and their confirmation. */
#include <stdio.h>
#include <string.h>

#include "kiosk/base/format.h"
#include "ui/screens.h"

/* The question a meter's entered value raises (0: none; 1: lower than the last, 2: far
 * above the limit), in msg. */
static int question(struct ui *ui, const struct account_meter *m, const struct flow_reading *r, char *msg, size_t cap)
{
	int check = r->entered ? flow_reading_check(m, r) : 0;
	if (check == 1) {
		char prev[32], v[64];
		snprintf(v, sizeof v, "%s %s", fmt_reading(m->last_value_milli, m->decimals, prev, sizeof prev), m->unit);
		ui_fmt(msg, cap, ui_tr(ui, "readings.lower_q"), v);
	} else if (check == 2) {
		snprintf(msg, cap, "%s", ui_tr(ui, "readings.jump"));
	}
	return check;
}

/* What the meter takes: its digits before the comma and its decimals after. */
static void digits_hint(struct ui *ui, const struct account_meter *m, char *buf, size_t cap)
{
	char w[8], d[8], tmp[160];
	snprintf(w, sizeof w, "%d", m->digits);
	snprintf(d, sizeof d, "%d", m->decimals);
	if (m->decimals > 0) {
		ui_fmt(tmp, sizeof tmp, ui_tr(ui, "readings.digits_hint"), w);
		ui_fmt(buf, cap, tmp, d);
	} else {
		ui_fmt(buf, cap, ui_tr(ui, "readings.digits_hint_whole"), w);
	}
}

/* The question under a meter's value: «Нет, исправить» first and primary (the likely
 * answer: a mistyped value), the rollover or "all correct" second. */
static void question_row(struct ui *ui, const struct account_meter *m, int check, struct ui_rect row)
{
	int gap = ui_px(ui, ui->t->space_s);
	char id[40];
	snprintf(id, sizeof id, "fix_%s", m->id);
	struct ui_rect fixb = ui_cut_left(&row, (row.w - gap) / 2);
	ui_cut_left(&row, gap);
	ui_button_ex(ui, id, ui_tr(ui, "readings.fix"), NULL, fixb, UI_PRIMARY, true, ui->t->font_caption);
	snprintf(id, sizeof id, check == 1 ? "confirm_rollover_%s" : "confirm_jump_%s", m->id);
	ui_button_ex(ui, id, ui_tr(ui, check == 1 ? "readings.confirm_rollover" : "readings.confirm_jump"), NULL, row,
		     UI_SECONDARY, true, ui->t->font_caption);
}

/* One meter's card content laid out in `in` (its height unbounded): the name, the value as
 * typed beside the last one, the digits hint while it is typed, the question and its two
 * answers.  Measured the same way it is drawn; draws only when draw.  Returns the height. */
static int meter_card(struct ui *ui, const struct flow *f, int i, struct ui_rect in, bool draw)
{
	const struct theme *t = ui->t;
	const struct account_meter *m = &f->s.acct.meters[i];
	const struct flow_reading *r = &f->s.readings[i];
	int gap = ui_px(ui, t->space_s), y = in.y;
	char line[200], prev[32], val[64], msg[240];
	snprintf(line, sizeof line, "%s · %s %s", m->name, ui_tr(ui, "readings.serial"), m->serial);
	int h = ui_text_height(ui, line, t->font_body, UI_SEMIBOLD, in.w);
	if (draw)
		ui_text(ui, line, t->font_body, UI_SEMIBOLD, t->text, (struct ui_rect){ in.x, y, in.w, h }, UI_LEFT, true);
	y += h + gap / 2;
	/* The value exactly as typed: "125,5" is what the resident wrote. */
	snprintf(val, sizeof val, "%s %s", r->typed[0] ? r->typed : "—", r->typed[0] ? m->unit : "");
	int vw = ui_text_width(ui, val, t->font_heading, UI_BOLD);
	int vh = ui_text_height(ui, val, t->font_heading, UI_BOLD, in.w);
	char when[16];
	snprintf(line, sizeof line, "%s %s %s (%s)", ui_tr(ui, "readings.previous"),
		 fmt_reading(m->last_value_milli, m->decimals, prev, sizeof prev), m->unit,
		 fmt_ymd(m->last_date, when, sizeof when));
	int pw = in.w - vw - 2 * gap;
	int ph = ui_text_height(ui, line, t->font_caption, UI_REGULAR, pw);
	if (draw) {
		ui_text(ui, val, t->font_heading, UI_BOLD, r->typed[0] ? t->text : t->text_muted, (struct ui_rect){ in.x, y, in.w, vh },
			UI_RIGHT, false);
		ui_text(ui, line, t->font_caption, UI_REGULAR, t->text_muted,
			(struct ui_rect){ in.x, y + (ph < vh ? (vh - ph) / 2 : 0), pw, ph }, UI_LEFT, true);
	}
	y += (ph > vh ? ph : vh);
	if (f->s.focus_meter == i) {
		char hint[160];
		digits_hint(ui, m, hint, sizeof hint);
		enum ui_weight wt = f->s.reading_refused ? UI_SEMIBOLD : UI_REGULAR;
		h = ui_text_height(ui, hint, t->font_caption, wt, in.w);
		if (draw)
			ui_text(ui, hint, t->font_caption, wt, f->s.reading_refused ? t->danger : t->text_muted,
				(struct ui_rect){ in.x, y + gap / 2, in.w, h }, UI_LEFT, true);
		y += gap / 2 + h;
	}
	int check = question(ui, m, r, msg, sizeof msg);
	if (check) {
		h = ui_text_height(ui, msg, t->font_caption, UI_MEDIUM, in.w);
		if (draw)
			ui_text(ui, msg, t->font_caption, UI_MEDIUM, t->danger, (struct ui_rect){ in.x, y + gap, in.w, h }, UI_LEFT, true);
		y += gap + h + gap;
		int bh = ui_px(ui, 110);
		if (draw)
			question_row(ui, m, check, (struct ui_rect){ in.x, y, in.w, bh });
		y += bh;
	}
	return y - in.y;
}

static int card_height(struct ui *ui, const struct flow *f, int i, int inner_w)
{
	int pad = ui_px(ui, ui->t->space_m);
	return meter_card(ui, f, i, (struct ui_rect){ 0, 0, inner_w, 1 << 20 }, false) + 2 * pad;
}

/* Outside the readings days: which days they are; the history stays reachable. */
static void readings_closed(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area)
{
	const struct theme *t = ui->t;
	struct ui_rect hb = ui_cut_bottom(&area, ui_px(ui, t->button_height));
	screen_readings_extras(ui, f, &hb);
	char msg[200], a1[8], a2[8];
	snprintf(a1, sizeof a1, "%d", ctx->cfg->readings_from_day);
	snprintf(a2, sizeof a2, "%d", ctx->cfg->readings_to_day);
	char tmp[200];
	ui_fmt(tmp, sizeof tmp, ui_tr(ui, "readings.closed"), a1);
	ui_fmt(msg, sizeof msg, tmp, a2);
	ui_icon(ui, "schedule", 140, t->primary, area.x + area.w / 2, area.y + ui_px(ui, 100));
	ui_cut_top(&area, ui_px(ui, 220));
	ui_text(ui, msg, t->font_heading, UI_SEMIBOLD, t->text, area, UI_CENTER, true);
}

void screen_readings(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area)
{
	const struct theme *t = ui->t;
	const struct account *a = &f->s.acct;
	char title[96], acc[24];
	fmt_pers_acc(a->pers_acc, acc, sizeof acc);
	ui_fmt(title, sizeof title, ui_tr(ui, "readings.title"), acc);
	int gap = ui_px(ui, t->space_s);
	int kp_h = 5 * ui_px(ui, 100) + 4 * gap;
	/* The keypad's room, taken first: on a landscape screen the right part at full height
	 * (the title and the meters have the left), else below the meters. */
	struct ui_rect kp = { 0 };
	bool typing = flow_readings_open(f) && a->nmeters > 0;
	if (typing && ui->landscape) {
		int kw = area.w / 2 < ui_px(ui, 760) ? area.w / 2 : ui_px(ui, 760);
		kp = ui_cut_right(&area, kw);
		ui_cut_right(&area, ui_px(ui, t->space_l));
	}
	chrome_title(ui, &area, title, NULL);
	if (f->s.error_key[0]) {
		ui_banner(ui, ui_cut_top(&area, ui_px(ui, 120)), "error", ui_tr(ui, f->s.error_key), t->danger, t->on_primary);
		ui_cut_top(&area, ui_px(ui, t->space_m));
	}
	if (!flow_readings_open(f)) {
		readings_closed(ui, f, ctx, area);
		return;
	}
	if (a->nmeters == 0) {
		ui_text(ui, ui_tr(ui, "readings.no_meters"), t->font_heading, UI_SEMIBOLD, t->text, area, UI_CENTER, true);
		return;
	}
	struct ui_rect send = ui_cut_bottom(&area, ui_px(ui, t->button_height));
	ui_cut_bottom(&area, ui_px(ui, t->space_m));
	if (!ui->landscape) {
		kp = ui_cut_bottom(&area, kp_h);
		ui_cut_bottom(&area, ui_px(ui, t->space_m));
	}
	int inner_w = area.w - 2 * ui_px(ui, t->space_m);
	/* Keep the meter being typed (or the first one with a question) in view. */
	int want = f->s.focus_meter, y = 0, want_y = -1, want_h = 0;
	/* A question waits for its answer: it wins over a meter not typed into yet. */
	if (want >= 0 && !f->s.readings[want].typed[0])
		for (int i = 0; i < a->nmeters; i++)
			if (f->s.readings[i].entered && flow_reading_check(&a->meters[i], &f->s.readings[i])) {
				want = i;
				break;
			}
	for (int i = 0; i < a->nmeters; i++) {
		const struct flow_reading *r = &f->s.readings[i];
		int h = card_height(ui, f, i, inner_w);
		if (want < 0 && r->entered && flow_reading_check(&a->meters[i], r))
			want = i;
		if (i == want && want_y < 0) {
			want_y = y;
			want_h = h;
		}
		y += h + gap;
	}
	if (want_y >= 0 && (want_y < ui->scroll_offset || want_y + want_h > ui->scroll_offset + area.h))
		ui->scroll_offset = want_y + want_h > area.h ? want_y + want_h - area.h : 0;
	struct ui_rect list = ui_scroll_begin(ui, area);
	int top = list.y;
	bool can_send = false;
	for (int i = 0; i < a->nmeters; i++) {
		const struct account_meter *m = &a->meters[i];
		const struct flow_reading *r = &f->s.readings[i];
		bool focus = f->s.focus_meter == i;
		int check = r->entered ? flow_reading_check(m, r) : 0;
		struct ui_rect card = ui_cut_top(&list, card_height(ui, f, i, inner_w));
		ui_cut_top(&list, gap);
		ui_round_border(ui, card, ui_px(ui, t->radius), ui_px(ui, focus ? t->border_width + 1 : 2),
				focus ? t->primary : t->border, t->surface);
		char id[40];
		snprintf(id, sizeof id, "reading_%s", m->id);
		ui_hotspot(ui, id, card);
		meter_card(ui, f, i, ui_inset(card, ui_px(ui, t->space_m)), true);
		if (r->entered && check == 0)
			can_send = true;
		else if (r->entered)
			can_send = false;
	}
	ui_scroll_end(ui, list.y - top);
	bool all_ok = true;
	for (int i = 0; i < a->nmeters; i++)
		if (f->s.readings[i].entered && flow_reading_check(&a->meters[i], &f->s.readings[i]))
			all_ok = false;
	ui_keypad_decimal(ui, kp, f->s.focus_meter >= 0);
	screen_readings_extras(ui, f, &send);
	ui_button(ui, "send", ui_tr(ui, "readings.send"), "check_circle", send,
		  UI_PRIMARY, (can_send || f->s.focus_meter >= 0) && all_ok && !f->busy);
}

void screen_readings_done(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area)
{
	(void)ctx;
	const struct theme *t = ui->t;
	ui_button(ui, "done", ui_tr(ui, "result.done"), "home", ui_cut_bottom(&area, ui_px(ui, t->button_height)), UI_PRIMARY, true);
	ui_cut_bottom(&area, ui_px(ui, t->space_m));
	const char *title = ui_tr(ui, "readings_done.title");
	if (ui->landscape) {
		/* The mark beside the title: the values and the printer's word need the height. */
		int disc = ui_px(ui, 120), gap = ui_px(ui, t->space_m);
		int tw = ui_text_width(ui, title, t->font_display, UI_BOLD);
		if (tw > area.w - disc - gap)
			tw = area.w - disc - gap;
		int th = ui_text_height(ui, title, t->font_display, UI_BOLD, tw);
		int rh = th > disc ? th : disc, x = area.x + (area.w - disc - gap - tw) / 2;
		ui_cut_top(&area, ui_px(ui, t->space_m));
		struct ui_rect d = { x, area.y + (rh - disc) / 2, disc, disc };
		ui_fill_round(ui, d, disc / 2, t->success);
		ui_icon(ui, "check_circle", 80, t->on_primary, d.x + disc / 2, d.y + disc / 2);
		ui_text(ui, title, t->font_display, UI_BOLD, t->text, (struct ui_rect){ x + disc + gap, area.y + (rh - th) / 2, tw, th },
			UI_LEFT, true);
		ui_cut_top(&area, rh + ui_px(ui, t->space_m));
	} else {
		ui_cut_top(&area, ui_px(ui, 60));
		int disc = ui_px(ui, 260);
		struct ui_rect d = { area.x + (area.w - disc) / 2, area.y, disc, disc };
		ui_fill_round(ui, d, disc / 2, t->success);
		ui_icon(ui, "check_circle", 170, t->on_primary, d.x + disc / 2, d.y + disc / 2);
		ui_cut_top(&area, disc + ui_px(ui, t->space_l));
		ui_cut_top(&area, ui_text(ui, title, t->font_display, UI_BOLD, t->text, area, UI_CENTER, true) + ui_px(ui, t->space_m));
	}
	const struct account *a = &f->s.acct;
	for (int i = 0; i < a->nmeters; i++) {
		if (!f->s.readings[i].entered)
			continue;
		char v[32], line[160];
		snprintf(line, sizeof line, "%s: %s %s", a->meters[i].name,
			 fmt_reading(f->s.readings[i].value_milli, a->meters[i].decimals, v, sizeof v), a->meters[i].unit);
		ui_cut_top(&area, ui_text(ui, line, t->font_body, UI_MEDIUM, t->text, area, UI_CENTER, true));
	}
	ui_cut_top(&area, ui_px(ui, ui->landscape ? t->space_m : t->space_l));
	const char *pk = f->s.print_status < 0 ? "result.printing" : f->s.print_status == PRINT_OK ? "readings_done.take"
			: "result.printer_failed_readings";
	ui_text(ui, ui_tr(ui, pk), t->font_body, UI_REGULAR, t->text_muted, area, UI_CENTER, true);
}
