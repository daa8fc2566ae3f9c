/* The account's payment history (with its period filter) and the bill copy screen, plus
 * the account screen's buttons that lead to them. */
#include <stdio.h>
#include <string.h>

#include "kiosk/base/format.h"
#include "kiosk/base/tz.h"
#include "ui/screens.h"

void screen_account_extras(struct ui *ui, const struct flow *f, struct ui_rect *r)
{
	const struct theme *t = ui->t;
	if (f->s.readings_mode || !(f->s.acct.details || f->s.acct_from_bill))
		return;
	int gap = ui_px(ui, t->space_m);
	ui_cut_top(r, gap);
	struct ui_rect row = ui_cut_top(r, ui_px(ui, t->button_height));
	struct ui_rect left = ui_cut_left(&row, (row.w - gap) / 2);
	ui_cut_left(&row, gap);
	ui_button(ui, "history", ui_tr(ui, "account.history"), "history", left, UI_SECONDARY, true);
	ui_button(ui, "print_bill", ui_tr(ui, "account.print_bill"), "print", row, UI_SECONDARY, f->s.acct.details);
}

static const char *where_key(enum payhist_where w)
{
	switch (w) {
	case PAYHIST_HERE: return "history.where_here";
	case PAYHIST_KIOSK: return "history.where_kiosk";
	case PAYHIST_BANK: return "history.where_bank";
	case PAYHIST_OFFICE: return "history.where_office";
	case PAYHIST_OTHER: break;
	}
	return "history.where_other";
}

static const char *status_key(enum payhist_status s)
{
	switch (s) {
	case PAYHIST_ACCEPTED: return "history.status_accepted";
	case PAYHIST_CREDITED: return "history.status_credited";
	case PAYHIST_RETURNED: return "history.status_returned";
	case PAYHIST_IN_TRANSIT: return "history.status_in_transit";
	case PAYHIST_REVIEW: return "history.status_review";
	case PAYHIST_UNKNOWN: break;
	}
	return "history.status_unknown";
}

static void entry_row(struct ui *ui, const struct payhist_entry *e, struct ui_rect *r)
{
	const struct theme *t = ui->t;
	char date[48], v[MONEY_FMT_MAX], line[200];
	struct ui_rect row = ui_cut_top(r, ui_px(ui, e->fiscal[0] ? 170 : 130));
	ui_fill_round(ui, row, ui_px(ui, t->radius_small), e->status == PAYHIST_IN_TRANSIT ? t->surface_alt : t->surface);
	struct ui_rect in = ui_inset(row, ui_px(ui, t->space_m));
	tz_fmt_date(e->date_ms, date, sizeof date);
	money_format(e->amount, true, v, sizeof v);
	ui_text(ui, date, t->font_body, UI_SEMIBOLD, t->text, in, UI_LEFT, false);
	ui_text(ui, v, t->font_body, UI_BOLD, t->text, in, UI_RIGHT, false);
	snprintf(line, sizeof line, "%s · %s", ui_tr(ui, where_key(e->where)), ui_tr(ui, status_key(e->status)));
	struct ui_rect l2 = { in.x, in.y + ui_px(ui, 54), in.w, 0 };
	struct theme_color c = e->status == PAYHIST_IN_TRANSIT ? t->warning
			       : e->status == PAYHIST_RETURNED ? t->danger : t->text_muted;
	ui_text(ui, line, t->font_caption, UI_MEDIUM, c, l2, UI_LEFT, false);
	if (e->fiscal[0]) { /* the fiscal receipt of a payment made here */
		struct ui_rect l3 = { in.x, in.y + ui_px(ui, 94), in.w, 0 };
		ui_text(ui, e->fiscal, t->font_caption, UI_REGULAR, t->text_muted, l3, UI_LEFT, false);
	}
	ui_cut_top(r, ui_px(ui, t->space_xs));
}

/* The part the payment and readings histories share: the period filter (period_3/6/12)
 * and what the list stands on — loading, unavailable, or offline data "as of".  Keys are
 * PREFIX.loading, .unavailable, .refused, .offline.  False when nothing more is to be drawn. */
bool history_header(struct ui *ui, struct ui_rect *area, const char *prefix, int months, bool loading, int status,
		    bool online, bool refused, int64_t as_of_ms)
{
	const struct theme *t = ui->t;
	int gap = ui_px(ui, t->space_s);
	struct ui_rect seg = ui_cut_top(area, ui_px(ui, t->button_height));
	ui_cut_top(area, ui_px(ui, t->space_m));
	static const struct { const char *id, *key; int months; } periods[] = {
		{ "period_3", "history.period_3", 3 }, { "period_6", "history.period_6", 6 },
		{ "period_12", "history.period_12", 12 },
	};
	int w = (seg.w - 2 * gap) / 3;
	for (int i = 0; i < 3; i++) {
		struct ui_rect b = ui_cut_left(&seg, w);
		ui_cut_left(&seg, gap);
		ui_button(ui, periods[i].id, ui_tr(ui, periods[i].key), NULL, b,
			  months == periods[i].months ? UI_PRIMARY : UI_SECONDARY, true);
	}
	char key[48];
	if (loading) {
		snprintf(key, sizeof key, "%s.loading", prefix);
		ui_text(ui, ui_tr(ui, key), t->font_body, UI_MEDIUM, t->text_muted, *area, UI_CENTER, true);
		return false;
	}
	if (status != 0) {
		snprintf(key, sizeof key, "%s.unavailable", prefix);
		ui_banner(ui, ui_cut_top(area, ui_px(ui, 140)), "error", ui_tr(ui, key), t->danger, t->on_primary);
		return false;
	}
	if (!online) {
		char date[48], asof[200];
		snprintf(key, sizeof key, "%s.%s", prefix, refused ? "refused" : "offline");
		ui_fmt(asof, sizeof asof, ui_tr(ui, key), tz_fmt_date(as_of_ms, date, sizeof date));
		int bh = ui_text_height(ui, asof, t->font_body, UI_MEDIUM, area->w - ui_px(ui, 120)) + 2 * ui_px(ui, t->space_s);
		ui_banner(ui, ui_cut_top(area, bh), "cloud_off", asof, t->surface_alt, t->text);
		ui_cut_top(area, ui_px(ui, t->space_m));
	}
	return true;
}

void screen_history(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area)
{
	(void)ctx;
	const struct theme *t = ui->t;
	const struct payhist *h = &f->s.history;
	char acc[24], title[96];
	ui_fmt(title, sizeof title, ui_tr(ui, "history.title"), fmt_pers_acc(f->s.acct.pers_acc, acc, sizeof acc));
	chrome_title(ui, &area, title, ui_tr(ui, "history.subtitle"));

	if (!history_header(ui, &area, "history", f->s.history_months, f->s.history_loading, h->status, h->online,
			    h->refused, h->as_of_ms))
		return;
	int idx[PAYHIST_MAX];
	int n = payhist_filter(h, payhist_since_ms(ctx->wall_ms, f->s.history_months), idx, PAYHIST_MAX);
	char cnt[16], line[96];
	snprintf(cnt, sizeof cnt, "%d", n);
	ui_cut_top(&area, ui_text(ui, ui_fmt(line, sizeof line, ui_tr(ui, "history.count"), cnt), t->font_body, UI_SEMIBOLD,
				  t->text, area, UI_LEFT, false) + ui_px(ui, t->space_s));
	if (n == 0) {
		ui_text(ui, ui_tr(ui, "history.empty"), t->font_body, UI_MEDIUM, t->text_muted, area, UI_CENTER, true);
		return;
	}
	struct ui_rect r = ui_scroll_begin(ui, area);
	int top = r.y;
	for (int i = 0; i < n; i++)
		entry_row(ui, &h->e[idx[i]], &r);
	ui_scroll_end(ui, r.y - top);
}

void screen_bill_copy(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area)
{
	(void)ctx;
	const struct theme *t = ui->t;
	ui_cut_top(&area, ui_px(ui, 60));
	int disc = ui_px(ui, 260);
	struct ui_rect d = { area.x + (area.w - disc) / 2, area.y, disc, disc };
	bool failed = f->s.print_status >= 0 && f->s.print_status != PRINT_OK;
	ui_fill_round(ui, d, disc / 2, failed ? t->warning : t->success);
	ui_icon(ui, failed ? "warning" : "print", 170, t->on_primary, d.x + disc / 2, d.y + disc / 2);
	ui_cut_top(&area, disc + ui_px(ui, t->space_l));
	const char *k = f->s.print_status < 0 ? "bill_copy.printing" : failed ? "bill_copy.failed" : "bill_copy.take";
	ui_cut_top(&area, ui_text(ui, ui_tr(ui, k), t->font_title, UI_BOLD, t->text, area, UI_CENTER, true) +
				  ui_px(ui, t->space_m));
	char acc[24], line[160];
	ui_fmt(line, sizeof line, ui_tr(ui, "account.title"), fmt_pers_acc(f->s.acct.pers_acc, acc, sizeof acc));
	ui_cut_top(&area, ui_text(ui, line, t->font_body, UI_MEDIUM, t->text_muted, area, UI_CENTER, true));
	if (f->s.acct_from_cache) {
		char date[48], asof[160];
		tz_fmt_date(f->s.acct.updated_at_ms, date, sizeof date);
		ui_fmt(asof, sizeof asof, ui_tr(ui, "account.data_as_of"), date);
		ui_cut_top(&area, ui_px(ui, t->space_m));
		ui_text(ui, asof, t->font_body, UI_REGULAR, t->text_muted, area, UI_CENTER, true);
	}
	struct ui_rect bottom = ui_cut_bottom(&area, ui_px(ui, t->button_height));
	int gap = ui_px(ui, t->space_m);
	struct ui_rect left = ui_cut_left(&bottom, (bottom.w - gap) / 2);
	ui_cut_left(&bottom, gap);
	ui_button(ui, "back", ui_tr(ui, "bill_copy.back"), NULL, left, UI_SECONDARY, true);
	ui_button(ui, "done", ui_tr(ui, "result.done"), "home", bottom, UI_PRIMARY, true);
}
