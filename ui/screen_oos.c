/* Attract when the kiosk cannot take payments (staff put it out of service, or the PIN-pad
 * is unavailable): one full screen that says why in plain words, where to pay instead (the
 * office's windows and hours, from configuration) and the phone.  Nothing on it asks for a
 * bill's QR code; meter readings stay offered when only card payments are down. */
#include <stdio.h>

#include "ui/screens.h"

/* One block of the "pay instead" card: a muted label over its value. */
static void fact(struct ui *ui, struct ui_rect *r, const char *label, const char *value, int value_fs)
{
	const struct theme *t = ui->t;
	ui_cut_top(r, ui_text(ui, label, t->font_body, UI_MEDIUM, t->text_muted, *r, UI_LEFT, true));
	ui_cut_top(r, ui_text(ui, value, value_fs, UI_BOLD, t->text, *r, UI_LEFT, true) + ui_px(ui, t->space_m));
}

void screen_attract_oos(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area)
{
	const struct theme *t = ui->t;
	const struct config *c = ctx->cfg;
	bool staff = f->staff.out_of_service;
	int gap = ui_px(ui, t->space_m);
	ui_hotspot(ui, "staff_entry", (struct ui_rect){ 0, 0, ui_px(ui, 150), ui_px(ui, 150) });

	/* What still works, at the bottom: readings when only the card terminal is down. */
	struct ui_rect actions = ui_cut_bottom(&area, ui_px(ui, t->button_height) * (staff ? 1 : 2) + (staff ? 0 : gap));
	if (!staff) {
		ui_button(ui, "submit_readings", ui_tr(ui, "attract.submit_readings"), "speed",
			  ui_cut_top(&actions, ui_px(ui, t->button_height)), UI_PRIMARY, true);
		ui_cut_top(&actions, gap);
	}
	struct ui_rect row = ui_cut_top(&actions, ui_px(ui, t->button_height));
	if (f->cfg.voice_available) {
		struct ui_rect v = ui_cut_right(&row, (row.w - gap) / 2);
		ui_cut_right(&row, gap);
		ui_button(ui, "voice", ui_tr(ui, "attract.voice"), "record_voice_over", v, f->voice ? UI_PRIMARY : UI_SECONDARY,
			  true);
	}
	ui_button(ui, "help", ui_tr(ui, "attract.help"), "help", row, UI_GHOST, true);
	ui_cut_bottom(&area, gap);

	struct ui_rect r = ui_scroll_begin(ui, area);
	int top = r.y;
	int disc = ui_px(ui, 160);
	struct ui_rect d = { r.x + (r.w - disc) / 2, r.y, disc, disc };
	ui_fill_round(ui, d, disc / 2, t->warning);
	ui_icon(ui, staff ? "settings" : "warning", 100, t->on_primary, d.x + disc / 2, d.y + disc / 2);
	ui_cut_top(&r, disc + ui_px(ui, t->space_l));
	ui_cut_top(&r, ui_text(ui, ui_tr(ui, staff ? "attract.out_of_service" : "oos.title_card"), t->font_title, UI_BOLD,
			       t->text, r, UI_CENTER, true) + gap);
	const char *why = flow_oos_why_key(f);
	if (why)
		ui_cut_top(&r, ui_text(ui, ui_tr(ui, why), t->font_body, UI_REGULAR, t->text, r, UI_CENTER, true) +
				       ui_px(ui, t->space_l));

	/* Where to pay instead, in a card. */
	char hours[256];
	ui_fmt(hours, sizeof hours, ui_tr(ui, "help.office_hours"), ui->lang == LANG_EN ? c->office_hours_en : c->office_hours);
	const char *addr = ui->lang == LANG_EN ? c->office_address_en : c->office_address;
	int pad = ui_px(ui, t->space_l);
	int inner = r.w - 2 * pad;
	int h = 2 * pad + ui_text_height(ui, ui_tr(ui, "oos.pay_instead"), t->font_heading, UI_BOLD, inner) + gap +
		ui_text_height(ui, addr, t->font_body, UI_REGULAR, inner) +
		ui_text_height(ui, hours, t->font_body, UI_REGULAR, inner) + gap +
		ui_text_height(ui, ui_tr(ui, "help.contact_center"), t->font_body, UI_MEDIUM, inner) +
		ui_text_height(ui, c->contact_phone, t->font_title, UI_BOLD, inner) + gap;
	struct ui_rect card = ui_cut_top(&r, h);
	chrome_card(ui, card);
	struct ui_rect in = ui_inset(card, pad);
	ui_cut_top(&in, ui_text(ui, ui_tr(ui, "oos.pay_instead"), t->font_heading, UI_BOLD, t->text, in, UI_LEFT, true) + gap);
	ui_cut_top(&in, ui_text(ui, addr, t->font_body, UI_REGULAR, t->text, in, UI_LEFT, true));
	ui_cut_top(&in, ui_text(ui, hours, t->font_body, UI_REGULAR, t->text_muted, in, UI_LEFT, true) + gap);
	fact(ui, &in, ui_tr(ui, "help.contact_center"), c->contact_phone, t->font_title);
	ui_scroll_end(ui, r.y - top);
}
