/* Meter readings and their confirmation. */
#include <stdio.h>
#include <string.h>

#include "kiosk/format.h"
#include "ui/screens.h"

static int64_t pow10_i(int n)
{
	int64_t v = 1;
	while (n-- > 0)
		v *= 10;
	return v;
}

/* What has been typed so far, ATM-style with the meter's decimals. */
static const char *typed_fmt(const char *typed, int decimals, char *buf, size_t cap)
{
	int64_t v = 0;
	for (const char *p = typed; *p; p++)
		v = v * 10 + (*p - '0');
	return fmt_reading(v * pow10_i(3 - decimals), decimals, buf, cap);
}

void screen_readings(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area)
{
	const struct theme *t = ui->t;
	const struct account *a = &f->s.acct;
	char title[96], acc[24];
	fmt_pers_acc(a->pers_acc, acc, sizeof acc);
	ui_fmt(title, sizeof title, ui_tr(ui, "readings.title"), acc);
	chrome_title(ui, &area, title, NULL);
	if (f->s.error_key[0]) {
		ui_banner(ui, ui_cut_top(&area, ui_px(ui, 120)), "error", ui_tr(ui, f->s.error_key), t->danger, t->on_primary);
		ui_cut_top(&area, ui_px(ui, t->space_m));
	}
	if (!flow_readings_open(f)) {
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
		return;
	}
	if (a->nmeters == 0) {
		ui_text(ui, ui_tr(ui, "readings.no_meters"), t->font_heading, UI_SEMIBOLD, t->text, area, UI_CENTER, true);
		return;
	}
	int gap = ui_px(ui, t->space_s);
	int kp_h = 4 * ui_px(ui, 120) + 3 * gap;
	struct ui_rect bottom = ui_cut_bottom(&area, kp_h + ui_px(ui, t->space_m) + ui_px(ui, t->button_height) + ui_px(ui, t->space_m));
	/* Keep the meter being typed (or the first one needing a confirmation) in view. */
	int want = f->s.focus_meter, y = 0, want_y = -1, want_h = 0;
	for (int i = 0; i < a->nmeters; i++) {
		const struct flow_reading *r = &f->s.readings[i];
		int h = ui_px(ui, r->entered && flow_reading_check(&a->meters[i], r) ? 300 : 190);
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
		int h = ui_px(ui, check ? 300 : 190);
		struct ui_rect card = ui_cut_top(&list, h);
		ui_cut_top(&list, gap);
		ui_round_border(ui, card, ui_px(ui, t->radius), ui_px(ui, focus ? t->border_width + 1 : 2),
				focus ? t->primary : t->border, t->surface);
		char id[40];
		snprintf(id, sizeof id, "reading_%s", m->id);
		ui_hotspot(ui, id, card);
		struct ui_rect in = ui_inset(card, ui_px(ui, t->space_m));
		char line[200], prev[32], val[32];
		snprintf(line, sizeof line, "%s · %s %s", m->name, ui_tr(ui, "readings.serial"), m->serial);
		ui_text(ui, line, t->font_body, UI_SEMIBOLD, t->text, in, UI_LEFT, false);
		const char *shown = r->typed[0] ? typed_fmt(r->typed, m->decimals, val, sizeof val) : "—";
		snprintf(line, sizeof line, "%s %s", shown, r->typed[0] ? m->unit : "");
		int vw = ui_text_width(ui, line, t->font_heading, UI_BOLD);
		ui_text(ui, line, t->font_heading, UI_BOLD, r->typed[0] ? t->text : t->text_muted,
			(struct ui_rect){ in.x, in.y + ui_px(ui, 50), in.w, 0 }, UI_RIGHT, false);
		char pl[160], when[16];
		snprintf(pl, sizeof pl, "%s %s %s (%s)", ui_tr(ui, "readings.previous"),
			 fmt_reading(m->last_value_milli, m->decimals, prev, sizeof prev), m->unit,
			 fmt_ymd(m->last_date, when, sizeof when));
		ui_text(ui, pl, t->font_caption, UI_REGULAR, t->text_muted,
			(struct ui_rect){ in.x, in.y + ui_px(ui, 60), in.w - vw - gap, 0 }, UI_LEFT, true);
		if (check) {
			/* Lower than before: only as a rollover; far above: a second look. */
			struct ui_rect w = { in.x, in.y + ui_px(ui, 110), in.w, ui_px(ui, 130) };
			const char *msg = ui_tr(ui, check == 1 ? "readings.lower" : "readings.jump");
			snprintf(id, sizeof id, check == 1 ? "confirm_rollover_%s" : "confirm_jump_%s", m->id);
			struct ui_rect btn = ui_cut_right(&w, ui_px(ui, 330));
			ui_text(ui, msg, t->font_caption, UI_MEDIUM, t->danger, (struct ui_rect){ w.x, w.y + ui_px(ui, 10), w.w - gap, 0 },
				UI_LEFT, true);
			ui_button_ex(ui, id, ui_tr(ui, check == 1 ? "readings.confirm_rollover" : "readings.confirm_jump"), NULL,
				     btn, UI_SECONDARY, true, t->font_caption);
		}
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
	ui_cut_top(&bottom, ui_px(ui, t->space_m));
	struct ui_rect kp = ui_cut_top(&bottom, kp_h);
	int kw = ui->landscape ? ui_px(ui, 700) : kp.w;
	kp.x += (kp.w - kw) / 2;
	kp.w = kw;
	ui_keypad(ui, kp, true, f->s.focus_meter >= 0);
	ui_cut_top(&bottom, ui_px(ui, t->space_m));
	struct ui_rect send = ui_cut_top(&bottom, ui_px(ui, t->button_height));
	screen_readings_extras(ui, f, &send);
	ui_button(ui, "send", ui_tr(ui, "readings.send"), "check_circle", send,
		  UI_PRIMARY, (can_send || f->s.focus_meter >= 0) && all_ok && !f->busy);
}

void screen_readings_done(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area)
{
	(void)ctx;
	const struct theme *t = ui->t;
	ui_cut_top(&area, ui_px(ui, 60));
	int disc = ui_px(ui, 260);
	struct ui_rect d = { area.x + (area.w - disc) / 2, area.y, disc, disc };
	ui_fill_round(ui, d, disc / 2, t->success);
	ui_icon(ui, "check_circle", 170, t->on_primary, d.x + disc / 2, d.y + disc / 2);
	ui_cut_top(&area, disc + ui_px(ui, t->space_l));
	ui_cut_top(&area, ui_text(ui, ui_tr(ui, "readings_done.title"), t->font_display, UI_BOLD, t->text, area, UI_CENTER, true) +
				  ui_px(ui, t->space_m));
	const struct account *a = &f->s.acct;
	for (int i = 0; i < a->nmeters; i++) {
		if (!f->s.readings[i].entered)
			continue;
		char v[32], line[160];
		snprintf(line, sizeof line, "%s: %s %s", a->meters[i].name,
			 fmt_reading(f->s.readings[i].value_milli, a->meters[i].decimals, v, sizeof v), a->meters[i].unit);
		ui_cut_top(&area, ui_text(ui, line, t->font_body, UI_MEDIUM, t->text, area, UI_CENTER, true));
	}
	ui_cut_top(&area, ui_px(ui, t->space_l));
	const char *pk = f->s.print_status < 0 ? "result.printing" : f->s.print_status == PRINT_OK ? "readings_done.take"
			: "result.printer_failed_readings";
	ui_text(ui, ui_tr(ui, pk), t->font_body, UI_REGULAR, t->text_muted, area, UI_CENTER, true);
	ui_button(ui, "done", ui_tr(ui, "result.done"), "home", ui_cut_bottom(&area, ui_px(ui, t->button_height)), UI_PRIMARY, true);
}
