/* The meter readings history (with its period filter) and the readings screen's button
 * that leads to it. */
#include <stdio.h>
#include <string.h>

#include "kiosk/base/format.h"
#include "kiosk/base/tz.h"
#include "ui/screens.h"

void screen_readings_extras(struct ui *ui, const struct flow *f, struct ui_rect *row)
{
	const struct theme *t = ui->t;
	if (!(f->s.acct.details || f->s.acct_from_bill) || f->s.acct.nmeters == 0)
		return;
	/* Beside the send button (the meters keep their room); alone where there is none. */
	bool alone = !flow_readings_open(f);
	int gap = ui_px(ui, t->space_m);
	struct ui_rect b = alone ? *row : ui_cut_left(row, (row->w - gap) * 2 / 5);
	if (!alone)
		ui_cut_left(row, gap);
	ui_button(ui, "readings_history", ui_tr(ui, "readings.history"), "history", b, UI_SECONDARY, !f->busy);
}

static const char *source_key(enum rdhist_source s)
{
	switch (s) {
	case RDHIST_HERE: return "rdhist.source_here";
	case RDHIST_KIOSK: return "rdhist.source_kiosk";
	case RDHIST_CENTER: break;
	}
	return "rdhist.source_center";
}

static const char *status_key(enum rdhist_status s)
{
	switch (s) {
	case RDHIST_ACCEPTED: return "rdhist.status_accepted";
	case RDHIST_SUSPECT_DECREASE: return "rdhist.status_suspect_decrease";
	case RDHIST_SUSPECT_JUMP: return "rdhist.status_suspect_jump";
	case RDHIST_SUPERSEDED: return "rdhist.status_superseded";
	case RDHIST_IN_TRANSIT: return "rdhist.status_in_transit";
	case RDHIST_UNKNOWN: break;
	}
	return "rdhist.status_unknown";
}

static void entry_row(struct ui *ui, const struct account_meter *m, const struct rdhist_entry *e, struct ui_rect *r)
{
	const struct theme *t = ui->t;
	char date[48], v[48], val[80], line[200];
	struct ui_rect row = ui_cut_top(r, ui_px(ui, 110));
	bool transit = e->status == RDHIST_IN_TRANSIT;
	ui_fill_round(ui, row, ui_px(ui, t->radius_small), transit ? t->surface_alt : t->surface);
	struct ui_rect in = ui_inset(row, ui_px(ui, t->space_s));
	tz_fmt_date(e->date_ms, date, sizeof date);
	snprintf(val, sizeof val, "%s %s", fmt_reading(e->value_milli, m->decimals, v, sizeof v), m->unit);
	ui_text(ui, date, t->font_body, UI_SEMIBOLD, t->text, in, UI_LEFT, false);
	ui_text(ui, val, t->font_body, UI_BOLD, t->text, in, UI_RIGHT, false);
	snprintf(line, sizeof line, "%s · %s", ui_tr(ui, source_key(e->source)), ui_tr(ui, status_key(e->status)));
	struct ui_rect l2 = { in.x, in.y + ui_px(ui, 50), in.w, 0 };
	struct theme_color c = transit ? t->warning
			       : e->status == RDHIST_SUSPECT_DECREASE || e->status == RDHIST_SUSPECT_JUMP ? t->danger
			       : t->text_muted;
	ui_text(ui, line, t->font_caption, UI_MEDIUM, c, l2, UI_LEFT, false);
	ui_cut_top(r, ui_px(ui, t->space_xs));
}

void screen_readings_history(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area)
{
	const struct theme *t = ui->t;
	const struct rdhist *h = &f->s.rdhist;
	const struct account *a = &f->s.acct;
	char acc[24], title[96];
	ui_fmt(title, sizeof title, ui_tr(ui, "rdhist.title"), fmt_pers_acc(a->pers_acc, acc, sizeof acc));
	chrome_title(ui, &area, title, ui_tr(ui, "rdhist.subtitle"));

	if (!history_header(ui, &area, "rdhist", f->s.rdhist_months, f->s.rdhist_loading, h->status, h->online,
			    h->refused, h->as_of_ms))
		return;
	int64_t since = payhist_since_ms(ctx->wall_ms, f->s.rdhist_months);
	int idx[RDHIST_MAX], total = 0;
	for (int i = 0; i < a->nmeters; i++)
		total += rdhist_filter(h, a->meters[i].id, since, idx, RDHIST_MAX);
	char cnt[16], line[160];
	snprintf(cnt, sizeof cnt, "%d", total);
	ui_cut_top(&area, ui_text(ui, ui_fmt(line, sizeof line, ui_tr(ui, "rdhist.count"), cnt), t->font_body, UI_SEMIBOLD,
				  t->text, area, UI_LEFT, false) + ui_px(ui, t->space_s));
	struct ui_rect r = ui_scroll_begin(ui, area);
	int top = r.y;
	for (int i = 0; i < a->nmeters; i++) {
		const struct account_meter *m = &a->meters[i];
		int n = rdhist_filter(h, m->id, since, idx, RDHIST_MAX);
		snprintf(line, sizeof line, "%s · %s %s", m->name, ui_tr(ui, "readings.serial"), m->serial);
		ui_cut_top(&r, ui_text(ui, line, t->font_body, UI_BOLD, t->primary, r, UI_LEFT, false) + ui_px(ui, t->space_xs));
		if (n == 0) {
			ui_cut_top(&r, ui_text(ui, ui_tr(ui, "rdhist.empty"), t->font_caption, UI_MEDIUM, t->text_muted, r,
					       UI_LEFT, false));
		}
		for (int k = 0; k < n; k++)
			entry_row(ui, m, &h->e[idx[k]], &r);
		ui_cut_top(&r, ui_px(ui, t->space_m));
	}
	ui_scroll_end(ui, r.y - top);
}
