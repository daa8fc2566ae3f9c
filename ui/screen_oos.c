/* Attract when the kiosk cannot take payments (staff put it out of service, or the PIN-pad
 * is unavailable): one full screen that says why in plain words, where to pay instead (the
 * office's windows and hours, from configuration) and the phone.  Nothing on it asks for a
 * bill's QR code; meter readings stay offered when only card payments are down. */
#include <stdio.h>

#include "kiosk/base/format.h"
#include "ui/screens.h"

/* One block of the "pay instead" card: a muted label over its value. */
static void fact(struct ui *ui, struct ui_rect *r, const char *label, const char *value, int value_fs)
{
	const struct theme *t = ui->t;
	ui_cut_top(r, ui_text(ui, label, t->font_body, UI_MEDIUM, t->text_muted, *r, UI_LEFT, true));
	ui_cut_top(r, ui_text(ui, value, value_fs, UI_BOLD, t->text, *r, UI_LEFT, true) + ui_px(ui, t->space_m));
}

/* The picture (DISC px, 0: none), the title and why.  Drawn into r when DRAW; returns the
 * height. */
static int oos_head(struct ui *ui, const struct flow *f, struct ui_rect r, bool draw, int disc)
{
	const struct theme *t = ui->t;
	bool staff = f->staff.out_of_service;
	int h = 0, gap = ui_px(ui, t->space_m);
	/* heights are summed, not read back from r: a cut clamps at r's bottom */
	if (disc > 0) {
		if (draw) {
			struct ui_rect d = { r.x + (r.w - disc) / 2, r.y, disc, disc };
			ui_fill_round(ui, d, disc / 2, t->warning);
			ui_icon(ui, staff ? "settings" : "warning", 100, t->on_primary, d.x + disc / 2, d.y + disc / 2);
			ui_cut_top(&r, disc + ui_px(ui, t->space_l));
		}
		h += disc + ui_px(ui, t->space_l);
	}
	const char *title = ui_tr(ui, staff ? "attract.out_of_service" : "oos.title_card");
	int th = (draw ? ui_text(ui, title, t->font_title, UI_BOLD, t->text, r, UI_CENTER, true)
		       : ui_text_height(ui, title, t->font_title, UI_BOLD, r.w)) + gap;
	h += th;
	if (draw)
		ui_cut_top(&r, th);
	const char *why = flow_oos_why_key(f);
	if (why) {
		const char *w = ui_tr(ui, why);
		h += (draw ? ui_text(ui, w, t->font_body, UI_REGULAR, t->text, r, UI_CENTER, true)
			   : ui_text_height(ui, w, t->font_body, UI_REGULAR, r.w)) + ui_px(ui, t->space_l);
	}
	return h;
}

static const char *office_hours(struct ui *ui, const struct config *c, char *buf, size_t cap)
{
	return ui_fmt(buf, cap, ui_tr(ui, "help.office_hours"), ui->lang == LANG_EN ? c->office_hours_en : c->office_hours);
}

static int oos_card_height(struct ui *ui, const struct screen_ctx *ctx, int w)
{
	const struct theme *t = ui->t;
	const struct config *c = ctx->cfg;
	char hours[256], phone[48];
	int pad = ui_px(ui, t->space_l), gap = ui_px(ui, t->space_m), inner = w - 2 * pad;
	return 2 * pad + ui_text_height(ui, ui_tr(ui, "oos.pay_instead"), t->font_heading, UI_BOLD, inner) + gap +
	       ui_text_height(ui, ui->lang == LANG_EN ? c->office_address_en : c->office_address, t->font_body, UI_REGULAR,
			      inner) +
	       ui_text_height(ui, office_hours(ui, c, hours, sizeof hours), t->font_body, UI_REGULAR, inner) + gap +
	       ui_text_height(ui, ui_tr(ui, "help.contact_center"), t->font_body, UI_MEDIUM, inner) +
	       ui_text_height(ui, fmt_phone(c->contact_phone, phone, sizeof phone), t->font_title, UI_BOLD, inner) + gap;
}

/* Where to pay instead, in a card: the office's address and hours, the phone. */
static void oos_card(struct ui *ui, const struct screen_ctx *ctx, struct ui_rect *r)
{
	const struct theme *t = ui->t;
	const struct config *c = ctx->cfg;
	char hours[256], phone[48];
	int pad = ui_px(ui, t->space_l), gap = ui_px(ui, t->space_m);
	struct ui_rect card = ui_cut_top(r, oos_card_height(ui, ctx, r->w));
	chrome_card(ui, card);
	struct ui_rect in = ui_inset(card, pad);
	ui_cut_top(&in, ui_text(ui, ui_tr(ui, "oos.pay_instead"), t->font_heading, UI_BOLD, t->text, in, UI_LEFT, true) + gap);
	ui_cut_top(&in, ui_text(ui, ui->lang == LANG_EN ? c->office_address_en : c->office_address, t->font_body, UI_REGULAR,
				t->text, in, UI_LEFT, true));
	ui_cut_top(&in, ui_text(ui, office_hours(ui, c, hours, sizeof hours), t->font_body, UI_REGULAR, t->text_muted, in,
				UI_LEFT, true) + gap);
	fact(ui, &in, ui_tr(ui, "help.contact_center"), fmt_phone(c->contact_phone, phone, sizeof phone), t->font_title);
}

void screen_attract_oos(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area)
{
	const struct theme *t = ui->t;
	bool staff = f->staff.out_of_service;
	int gap = ui_px(ui, t->space_m);
	ui_hotspot(ui, "staff_entry", (struct ui_rect){ 0, 0, ui_px(ui, 150), ui_px(ui, 150) });

	/* What still works, at the bottom: readings when only the card terminal is down.  A
	 * tall screen stacks the buttons; a wide, short one puts them in one row. */
	int bh = ui_px(ui, t->button_height);
	struct ui_rect actions = ui_cut_bottom(&area, ui->landscape || staff ? bh : 2 * bh + gap);
	ui_cut_bottom(&area, gap);
	struct ui_rect row = actions;
	if (!ui->landscape && !staff) {
		ui_button(ui, "submit_readings", ui_tr(ui, "attract.submit_readings"), "speed", ui_cut_top(&row, bh), UI_PRIMARY,
			  true);
		ui_cut_top(&row, gap);
	}
	int n = 1 + (f->cfg.voice_available ? 1 : 0) + (ui->landscape && !staff ? 1 : 0);
	int bw = (row.w - (n - 1) * gap) / n;
	if (ui->landscape && !staff) {
		ui_button(ui, "submit_readings", ui_tr(ui, "attract.submit_readings"), "speed", ui_cut_left(&row, bw), UI_PRIMARY,
			  true);
		ui_cut_left(&row, gap);
	}
	if (f->cfg.voice_available) {
		ui_button(ui, "voice", ui_tr(ui, "attract.voice"), "record_voice_over", ui_cut_right(&row, bw),
			  f->voice ? UI_PRIMARY : UI_SECONDARY, true);
		ui_cut_right(&row, gap);
	}
	ui_button(ui, "help", ui_tr(ui, "attract.help"), "help", row, UI_GHOST, true);

	int disc = ui_px(ui, 160);
	struct ui_rect left = { area.x, area.y, area.w / 2 - gap, area.h };
	if (ui->landscape && oos_head(ui, f, left, false, 0) <= left.h) {
		/* why on the left, where to pay instead on the right */
		ui_cut_left(&area, left.w + 2 * gap);
		if (oos_head(ui, f, left, false, disc) > left.h)
			disc = 0;
		int h = oos_head(ui, f, left, false, disc);
		ui_cut_top(&left, (left.h - h) / 2);
		oos_head(ui, f, left, true, disc);
		struct ui_rect r = ui_scroll_begin(ui, area);
		int top = r.y;
		oos_card(ui, ctx, &r);
		ui_scroll_end(ui, r.y - top);
		return;
	}
	/* one column, scrolled as one page when it does not fit */
	struct ui_rect r = ui_scroll_begin(ui, area);
	int top = r.y;
	if (oos_head(ui, f, r, false, disc) + oos_card_height(ui, ctx, r.w) > area.h)
		disc = 0; /* the words before the picture */
	ui_cut_top(&r, oos_head(ui, f, r, true, disc));
	oos_card(ui, ctx, &r);
	ui_scroll_end(ui, r.y - top);
}
