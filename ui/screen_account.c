/* The account screen: the account found by a scan or a typed number, what will be paid,
 * and the ways on (change the amount, readings, add a bill, pay). */
#include <stdio.h>
#include <string.h>

#include "kiosk/base/format.h"
#include "kiosk/base/tz.h"
#include "ui/screens.h"
#include "ui/text.h"

static const char *rub(kopecks v, char *buf)
{
	return money_format(v, true, buf, MONEY_FMT_MAX);
}

/* The supplier of service sv, or NULL. */
static const struct account_supplier *supplier_of(const struct account *a, const struct account_service *sv)
{
	for (int k = 0; k < a->nsuppliers; k++)
		if (strcmp(a->suppliers[k].id, sv->supplier_id) == 0)
			return &a->suppliers[k];
	return NULL;
}

/* The services, each a row that opens (a chevron, not a cross: nothing is removed) to
 * show its supplier; every row measured, so it grows with large text. */
static void service_rows(struct ui *ui, const struct flow *f, struct ui_rect *r)
{
	const struct theme *t = ui->t;
	const struct account *a = &f->s.acct;
	for (int i = 0; i < a->nservices; i++) {
		char id[24], v[MONEY_FMT_MAX], line[256] = "";
		snprintf(id, sizeof id, "service_%d", i);
		const struct account_service *sv = &a->services[i];
		const struct account_supplier *s = f->s.open_service == i ? supplier_of(a, sv) : NULL;
		rub(sv->accrued, v);
		int pad = ui_px(ui, t->space_m), chev = ui_px(ui, 60);
		int vw = ui_text_width(ui, v, t->font_body, UI_SEMIBOLD);
		int nw = r->w - 2 * pad - vw - chev - pad;
		int dw = r->w - 2 * pad - chev;
		int nh = ui_text_height(ui, sv->name, t->font_body, UI_MEDIUM, nw);
		int dh = 0;
		if (s) {
			char ph[64];
			snprintf(line, sizeof line, "%s %s · %s", ui_tr(ui, "account.inn"), s->inn,
				 fmt_phone(s->phone, ph, sizeof ph));
			dh = ui_px(ui, 10) + ui_text_height(ui, s->name, t->font_caption, UI_SEMIBOLD, dw) +
			     ui_text_height(ui, line, t->font_caption, UI_REGULAR, dw) +
			     ui_text_height(ui, s->address, t->font_caption, UI_REGULAR, dw);
		}
		int h = nh + dh + 2 * pad;
		if (h < ui_px(ui, 120))
			h = ui_px(ui, 120);
		struct ui_rect row_r = ui_cut_top(r, h);
		ui_fill_round(ui, row_r, ui_px(ui, t->radius_small), s ? t->secondary : t->surface);
		ui_hotspot(ui, id, row_r);
		struct ui_rect in = ui_inset(row_r, pad);
		ui_text(ui, sv->name, t->font_body, UI_MEDIUM, t->text, (struct ui_rect){ in.x, in.y, nw, nh }, UI_LEFT, true);
		ui_text(ui, v, t->font_body, UI_SEMIBOLD, t->text, (struct ui_rect){ in.x + in.w - chev - vw, in.y, vw, 0 },
			UI_RIGHT, false);
		ui_icon(ui, s ? "expand_less" : "expand_more", 48, t->text_muted, in.x + in.w - chev / 2,
			in.y + text_line_height(ui->cache, UI_SEMIBOLD, ui_font_px(ui, t->font_body)) / 2);
		if (s) {
			struct ui_rect d = { in.x, in.y + nh + ui_px(ui, 10), dw, dh };
			ui_cut_top(&d, ui_text(ui, s->name, t->font_caption, UI_SEMIBOLD, t->text, d, UI_LEFT, true));
			ui_cut_top(&d, ui_text(ui, line, t->font_caption, UI_REGULAR, t->text_muted, d, UI_LEFT, true));
			ui_text(ui, s->address, t->font_caption, UI_REGULAR, t->text_muted, d, UI_LEFT, true);
		}
		ui_cut_top(r, ui_px(ui, t->space_xs));
	}
}

/* The banner saying the account comes from the cache (with its date) or from the bill. */
static void source_banner(struct ui *ui, const struct flow *f, struct ui_rect *area)
{
	const struct theme *t = ui->t;
	char asof[96], date[TZ_FMT_MAX];
	tz_fmt_date(f->s.acct.updated_at_ms, date, sizeof date);
	if (f->s.acct_from_bill)
		snprintf(asof, sizeof asof, "%s", ui_tr(ui, "account.from_bill"));
	else
		ui_fmt(asof, sizeof asof, ui_tr(ui, "account.data_as_of"), date);
	int h = ui_text_height(ui, asof, t->font_body, UI_MEDIUM, area->w - ui_px(ui, 120)) + 2 * ui_px(ui, t->space_s);
	ui_banner(ui, ui_cut_top(area, h), "cloud_off", asof, t->surface_alt, t->text);
	ui_cut_top(area, ui_px(ui, t->space_m));
}

/* What will be paid into line, with partial and over-payment explained in one note
 * (nbuf, or a fixed text); returns the note or NULL. */
static const char *sum_line(struct ui *ui, const struct flow *f, char *line, size_t cap, char *nbuf, size_t ncap)
{
	const struct account *a = &f->s.acct;
	char v[MONEY_FMT_MAX];
	rub(f->s.amount, v);
	ui_fmt(line, cap, ui_tr(ui, "account.to_pay"), v);
	kopecks diff;
	if (f->s.amount > 0 && money_sub(a->due, f->s.amount, &diff) && diff > 0)
		return ui_fmt(nbuf, ncap, ui_tr(ui, "account.partial"), rub(diff, v));
	if (f->s.amount > 0 && money_sub(f->s.amount, a->due, &diff) && diff > 0)
		return ui_fmt(nbuf, ncap, ui_tr(ui, "account.overpay"), rub(diff, v));
	if (f->s.amount == 0)
		return ui_tr(ui, "account.nothing_due");
	return NULL;
}

/* The page that scrolls: title, owner, the sums, the bill's own sum when it differs, the
 * history buttons and the services. */
static void details(struct ui *ui, const struct flow *f, struct ui_rect view)
{
	const struct theme *t = ui->t;
	const struct account *a = &f->s.acct;
	char acc[24], title[96], per[48], v[MONEY_FMT_MAX];
	ui_fmt(title, sizeof title, ui_tr(ui, "account.title"), fmt_pers_acc(a->pers_acc, acc, sizeof acc));
	struct ui_rect r = ui_scroll_begin(ui, view);
	int top = r.y;
	chrome_title(ui, &r, title, NULL);
	if (a->owner_masked[0]) {
		ui_cut_top(&r, ui_text(ui, a->owner_masked, t->font_heading, UI_SEMIBOLD, t->text, r, UI_LEFT, true));
		char addr[sizeof a->address_masked * 2];
		fmt_nbsp(a->address_masked, addr, sizeof addr);
		ui_cut_top(&r, ui_text(ui, addr, t->font_body, UI_REGULAR, t->text_muted, r, UI_LEFT, true) +
				       ui_px(ui, t->space_m));
	}
	pay_row(ui, &r, ui_tr(ui, "account.period"), pay_period_fmt(ui, a->period, per, sizeof per), false);
	if (!f->s.acct_from_bill) {
		pay_row(ui, &r, ui_tr(ui, "account.accrued"), rub(a->accrued, v), false);
		pay_row(ui, &r, ui_tr(ui, "account.paid"), rub(a->paid, v), false);
		if (a->debt)
			pay_row(ui, &r, ui_tr(ui, "account.debt"), rub(a->debt, v), false);
	}
	pay_row(ui, &r, ui_tr(ui, "account.due"), rub(a->due, v), true);
	if (!f->s.acct_from_bill && !f->s.lookup_typed && f->s.bill_sum >= 0 && f->s.bill_sum != a->due) {
		/* The scanned bill says otherwise (an old bill, a payment since): both, labelled. */
		char bv[MONEY_FMT_MAX], differs[200];
		ui_fmt(differs, sizeof differs, ui_tr(ui, "account.bill_differs"), rub(f->s.bill_sum, bv));
		ui_cut_top(&r, ui_text(ui, differs, t->font_body, UI_MEDIUM, t->text_muted, r, UI_LEFT, true) +
				       ui_px(ui, t->space_s));
	}
	screen_account_extras(ui, f, &r);
	if (a->nservices) {
		ui_cut_top(&r, ui_px(ui, t->space_m));
		ui_cut_top(&r, ui_text(ui, ui_tr(ui, "account.services"), t->font_heading, UI_BOLD, t->text, r, UI_LEFT, true) +
				       ui_px(ui, t->space_s));
		service_rows(ui, f, &r);
	}
	ui_scroll_end(ui, r.y - top);
}

/* The buttons under the sum: readings only in readings mode; otherwise change the
 * amount, readings, and add a bill or pay (or why the PIN-pad cannot take a card). */
static void actions_buttons(struct ui *ui, const struct flow *f, struct ui_rect actions)
{
	const struct theme *t = ui->t;
	const struct account *a = &f->s.acct;
	int gap = ui_px(ui, t->space_m);
	struct ui_rect row1 = ui_cut_top(&actions, ui_px(ui, t->button_height));
	ui_cut_top(&actions, gap);
	struct ui_rect row2 = ui_cut_top(&actions, ui_px(ui, t->button_height));
	if (f->s.readings_mode) {
		ui_button(ui, "submit_readings", ui_tr(ui, "account.submit_readings"), "speed", row1, UI_PRIMARY, a->nmeters > 0);
		return;
	}
	struct ui_rect half = ui_cut_left(&row1, (row1.w - gap) / 2);
	ui_cut_left(&row1, gap);
	ui_button(ui, "change_amount", ui_tr(ui, "account.change_amount"), NULL, half, UI_SECONDARY, true);
	ui_button(ui, "submit_readings", ui_tr(ui, "account.readings_short"), "speed", row1, UI_SECONDARY, a->nmeters > 0);
	if (f->pinpad_ok) {
		/* `pay` goes straight to the confirmation with this bill (or to the basket when
		 * the payment holds another); `add_bill` keeps it and scans the next one. */
		struct ui_rect more = ui_cut_left(&row2, (row2.w - gap) * 2 / 5);
		ui_cut_left(&row2, gap);
		ui_button(ui, "add_bill", ui_tr(ui, "account.add_bill"), "add", more, UI_SECONDARY,
			  f->s.nlines < FLOW_MAX_BASKET);
		ui_button(ui, "pay", ui_tr(ui, "account.pay"), "credit_card", row2, UI_PRIMARY, true);
	} else
		ui_banner(ui, row2, "warning", ui_tr(ui, "attract.pinpad_unavailable"), t->surface_alt, t->text);
}

void screen_account(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area)
{
	(void)ctx;
	const struct theme *t = ui->t;
	pay_error_banner(ui, f, &area);
	if (f->s.acct_from_cache || f->s.acct_from_bill)
		source_banner(ui, f, &area);
	char line[200], nbuf[160];
	const char *note = sum_line(ui, f, line, sizeof line, nbuf, sizeof nbuf);
	/* Actions and that sum at the bottom; the page (title, details, services) scrolls above
	 * them as one. */
	int actions_w = ui->landscape ? area.w * 2 / 5 : area.w;
	int sum_h = ui_text_height(ui, line, t->font_heading, UI_BOLD, actions_w) +
		    (note ? ui_text_height(ui, note, t->font_caption, UI_REGULAR, actions_w) : 0) + ui_px(ui, t->space_s);
	int actions_h = ui_px(ui, t->button_height) * 2 + ui_px(ui, t->space_m) + sum_h;
	struct ui_rect actions;
	if (ui->landscape) {
		/* A wide, short screen: details on the left, what to do on the right. */
		struct ui_rect col = ui_cut_right(&area, area.w * 2 / 5);
		ui_cut_right(&area, ui_px(ui, t->space_xl));
		actions = ui_cut_bottom(&col, actions_h);
	} else {
		actions = ui_cut_bottom(&area, actions_h);
	}
	details(ui, f, area);

	struct ui_rect sum = ui_cut_top(&actions, sum_h);
	ui_cut_top(&sum, ui_text(ui, line, t->font_heading, UI_BOLD, t->text, sum, UI_LEFT, true));
	if (note)
		ui_text(ui, note, t->font_caption, UI_REGULAR, t->text_muted, sum, UI_LEFT, true);
	actions_buttons(ui, f, actions);
}
