/* The attract and help screens (attract out of service: screen_oos.c). */
#include <stdio.h>

#include "kiosk/base/format.h"
#include "ui/screens.h"

void screen_attract(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area)
{
	const struct theme *t = ui->t;
	if (flow_oos_why_key(f)) {
		/* no payments now: one full screen of why and where instead (screen_oos.c) */
		screen_attract_oos(ui, f, ctx, area);
		return;
	}
	int gap = ui_px(ui, t->space_m);
	/* Staff enter by holding the top-left corner (over the emblem) for 3 s. */
	ui_hotspot(ui, "staff_entry", (struct ui_rect){ 0, 0, ui_px(ui, 150), ui_px(ui, 150) });

	const char *unavailable = ui_tr(ui, "attract.pinpad_unavailable");
	int banner_w = area.w - 2 * ui_px(ui, t->space_m) - ui_px(ui, t->font_heading + t->space_s);
	if (ui->landscape)
		banner_w = area.w / 2 - 2 * ui_px(ui, t->space_m) - ui_px(ui, t->font_heading + t->space_s);
	int banner_h = f->pinpad_ok ? 0 : ui_text_height(ui, unavailable, t->font_body, UI_MEDIUM, banner_w) +
						  2 * ui_px(ui, t->space_m) + gap;
	/* On a landscape screen the banner goes under the words, in the left column. */
	int fixed = ui_px(ui, t->button_height) + 2 * gap + (ui->landscape ? 0 : banner_h);
	/* The words above the buttons are measured; the two main buttons give up height (to
	 * 150 design px) before any text is squeezed. */
	int hero_w = ui->landscape ? area.w / 2 - gap : area.w;
	int words = ui_text_height(ui, ui_tr(ui, "attract.title"), t->font_display, UI_BOLD, hero_w) +
		    ui_px(ui, t->space_m) + ui_text_height(ui, ui_tr(ui, "attract.hint"), t->font_body, UI_REGULAR, hero_w);
	int big = ui_px(ui, 230);
	int room = ui->landscape ? area.h - fixed : area.h - fixed - words - gap;
	if (2 * big > room)
		big = room / 2 > ui_px(ui, 150) ? room / 2 : ui_px(ui, 150);
	int actions_h = 2 * big + fixed;
	struct ui_rect hero, actions;
	if (ui->landscape) {
		hero = ui_cut_left(&area, area.w / 2 - gap);
		ui_cut_left(&area, 2 * gap);
		actions = area;
		if (banner_h) {
			ui_banner(ui, ui_cut_bottom(&hero, banner_h - gap), "warning", unavailable, t->surface_alt, t->text);
			ui_cut_bottom(&hero, gap);
		}
		if (actions.h > actions_h)
			ui_cut_top(&actions, (actions.h - actions_h) / 2);
	} else {
		actions = ui_cut_bottom(&area, actions_h);
		ui_cut_bottom(&area, gap);
		hero = area;
	}
	/* Hero: a scanner illustration and what to do, centred in its space.  A title too tall
	 * for it (large text) steps down towards the heading size. */
	int disc = ui_px(ui, 240);
	int title_fs = t->font_display;
	int title_h = ui_text_height(ui, ui_tr(ui, "attract.title"), title_fs, UI_BOLD, hero.w);
	int hint_h0 = ui_text_height(ui, ui_tr(ui, "attract.hint"), t->font_body, UI_REGULAR, hero.w);
	while (title_fs > t->font_body && title_h + ui_px(ui, t->space_m) + hint_h0 > hero.h) {
		title_fs -= 4;
		title_h = ui_text_height(ui, ui_tr(ui, "attract.title"), title_fs, UI_BOLD, hero.w);
	}
	int hint_h = ui_text_height(ui, ui_tr(ui, "attract.hint"), t->font_body, UI_REGULAR, hero.w);
	int content = disc + ui_px(ui, t->space_l) + title_h + ui_px(ui, t->space_m) + hint_h;
	bool show_disc = content <= hero.h;
	if (!show_disc) /* large text: the words matter more than the picture */
		content -= disc + ui_px(ui, t->space_l);
	if (content < hero.h)
		ui_cut_top(&hero, (hero.h - content) / 2);
	if (show_disc) {
		struct ui_rect d = { hero.x + (hero.w - disc) / 2, hero.y, disc, disc };
		ui_fill_round(ui, d, disc / 2, t->secondary);
		ui_icon(ui, "qr_code_scanner", 150, t->primary, d.x + disc / 2, d.y + disc / 2);
		ui_cut_top(&hero, disc + ui_px(ui, t->space_l));
	}
	ui_cut_top(&hero, ui_text(ui, ui_tr(ui, "attract.title"), title_fs, UI_BOLD, t->text, hero, UI_CENTER, true) +
				  ui_px(ui, t->space_m));
	if (ui_text_height(ui, ui_tr(ui, "attract.hint"), t->font_body, UI_REGULAR, hero.w) <= hero.h)
		ui_text(ui, ui_tr(ui, "attract.hint"), t->font_body, UI_REGULAR, t->text_muted, hero, UI_CENTER, true);

	/* disabled for the moment the PIN-pad needs to answer at start-up */
	ui_button(ui, "pay_bill", ui_tr(ui, "attract.pay_bill"), "qr_code_scanner", ui_cut_top(&actions, big),
		  UI_PRIMARY, f->pinpad_ok);
	ui_cut_top(&actions, gap);
	ui_button(ui, "submit_readings", ui_tr(ui, "attract.submit_readings"), "speed", ui_cut_top(&actions, big),
		  UI_SECONDARY, true);
	ui_cut_top(&actions, gap);
	struct ui_rect row = ui_cut_top(&actions, ui_px(ui, t->button_height));
	if (f->cfg.voice_available) {
		/* Voice guidance beside help, in the bottom row where a hand finds it. */
		struct ui_rect v = ui_cut_right(&row, (row.w - gap) / 2);
		ui_cut_right(&row, gap);
		ui_button(ui, "voice", ui_tr(ui, "attract.voice"), "record_voice_over", v, f->voice ? UI_PRIMARY : UI_SECONDARY,
			  true);
	}
	ui_button(ui, "help", ui_tr(ui, "attract.help"), "help", row, UI_GHOST, true);
	if (!f->pinpad_ok && !ui->landscape) {
		ui_cut_top(&actions, gap);
		ui_banner(ui, ui_cut_top(&actions, banner_h - gap), "warning", unavailable, t->surface_alt, t->text);
	}
}

/* Numbered steps; VALS fill each step's "{}" in order (policy from configuration). */
static void step_list(struct ui *ui, struct ui_rect *r, const char *const *keys, int n, const char *const *vals,
		      int nvals)
{
	const struct theme *t = ui->t;
	for (int i = 0; i < n; i++) {
		int disc = ui_px(ui, 56);
		char num[12];
		snprintf(num, sizeof num, "%d", i + 1);
		ui_fill_round(ui, (struct ui_rect){ r->x, r->y, disc, disc }, disc / 2, t->primary);
		ui_text(ui, num, t->font_body, UI_BOLD, t->on_primary,
			(struct ui_rect){ r->x, r->y + (disc - ui_font_px(ui, t->font_body) * 5 / 4) / 2, disc, disc },
			UI_CENTER, false);
		struct ui_rect txt = { r->x + disc + ui_px(ui, t->space_m), r->y + ui_px(ui, 8),
				       r->w - disc - ui_px(ui, t->space_m), r->h };
		char step[512];
		fmt_fill(ui_tr(ui, keys[i]), vals, nvals, step, sizeof step);
		int h = ui_text(ui, step, t->font_body, UI_REGULAR, t->text, txt, UI_LEFT, true);
		ui_cut_top(r, (h > disc ? h : disc) + ui_px(ui, t->space_s));
	}
}

void screen_help(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area)
{
	const struct theme *t = ui->t;
	chrome_title(ui, &area, ui_tr(ui, "help.title"), NULL);
	int pad = ui_px(ui, t->space_l);
	if (f->s.request_sent) {
		ui_banner(ui, ui_cut_top(&area, ui_px(ui, 110)), "check_circle", ui_tr(ui, "request.sent"), t->success, t->on_primary);
		ui_cut_top(&area, ui_px(ui, t->space_m));
	}
	/* Typed requests to the center: a question, or a change of the subscriber's data. */
	struct ui_rect reqs = ui_cut_bottom(&area, ui_px(ui, t->button_height));
	ui_cut_bottom(&area, ui_px(ui, t->space_m));
	struct ui_rect q = ui_cut_left(&reqs, (reqs.w - ui_px(ui, t->space_m)) / 2);
	ui_cut_left(&reqs, ui_px(ui, t->space_m));
	ui_button(ui, "ask_question", ui_tr(ui, "help.ask_question"), "edit_note", q, UI_SECONDARY, true);
	ui_button(ui, "change_data", ui_tr(ui, "help.change_data"), "person", reqs, UI_SECONDARY, true);
	struct ui_rect view = area;
	area = ui_scroll_begin(ui, view);
	int top = area.y;

	/* Contact card. */
	char phone[64];
	fmt_phone(ctx->cfg->contact_phone, phone, sizeof phone);
	char hours[256];
	ui_fmt(hours, sizeof hours, ui_tr(ui, "help.office_hours"),
	       ui->lang == LANG_EN ? ctx->cfg->office_hours_en : ctx->cfg->office_hours);
	int colw = area.w - 2 * pad - ui_px(ui, 150);
	int phone_fs = t->font_display;
	while (phone_fs > t->font_body && ui_text_width(ui, phone, phone_fs, UI_BOLD) > colw)
		phone_fs -= 4;
	int card_h = 2 * pad + ui_text_height(ui, ui_tr(ui, "help.contact_center"), t->font_body, UI_MEDIUM, colw) +
		     ui_text_height(ui, phone, phone_fs, UI_BOLD, colw) + ui_px(ui, t->space_s) +
		     ui_text_height(ui, hours, t->font_body, UI_REGULAR, colw);
	struct ui_rect card = ui_cut_top(&area, card_h);
	chrome_card(ui, card);
	struct ui_rect in = ui_inset(card, pad);
	ui_icon(ui, "support_agent", 110, t->primary, in.x + ui_px(ui, 60), in.y + ui_px(ui, 70));
	struct ui_rect col = { in.x + ui_px(ui, 150), in.y, colw, in.h };
	ui_cut_top(&col, ui_text(ui, ui_tr(ui, "help.contact_center"), t->font_body, UI_MEDIUM, t->text_muted, col, UI_LEFT, true));
	ui_cut_top(&col, ui_text(ui, phone, phone_fs, UI_BOLD, t->text, col, UI_LEFT, false));
	ui_cut_top(&col, ui_px(ui, t->space_s));
	ui_text(ui, hours, t->font_body, UI_REGULAR, t->text, col, UI_LEFT, true);
	ui_cut_top(&area, ui_px(ui, t->space_l));

	static const char *const pay[] = { "help.pay.1", "help.pay.2", "help.pay.3", "help.pay.4", "help.pay.5" };
	static const char *const rd[] = { "help.readings.1", "help.readings.2", "help.readings.3" };
	struct ui_rect a = area, b = area;
	if (ui->landscape) {
		a = ui_cut_left(&area, area.w / 2 - pad / 2);
		ui_cut_left(&area, pad);
		b = area;
	}
	ui_cut_top(&a, ui_text(ui, ui_tr(ui, "help.how_to_pay"), t->font_heading, UI_BOLD, t->text, a, UI_LEFT, true) +
			       ui_px(ui, t->space_m));
	step_list(ui, &a, pay, 5, NULL, 0);
	if (!ui->landscape)
		b = a;
	ui_cut_top(&b, ui_px(ui, t->space_m));
	ui_cut_top(&b, ui_text(ui, ui_tr(ui, "help.how_to_readings"), t->font_heading, UI_BOLD, t->text, b, UI_LEFT, true) +
			       ui_px(ui, t->space_m));
	char from[12], to[12];
	snprintf(from, sizeof from, "%d", ctx->cfg->readings_from_day);
	snprintf(to, sizeof to, "%d", ctx->cfg->readings_to_day);
	const char *const days[] = { from, to };
	step_list(ui, &b, rd, 3, days, 2);
	int bottom = a.y > b.y ? a.y : b.y;
	ui_scroll_end(ui, bottom - top);
}
