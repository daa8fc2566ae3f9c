/* The payment screens up to the card: scan, enter_account, control_question, amount,
 * basket, confirm (account: screen_account.c; payment and payment_result:
 * screen_payment.c), and the pieces they share (screens.h, pay_…). */
#include <stdio.h>
#include <string.h>

#include "kiosk/base/format.h"
#include "kiosk/flow/numentry.h"
#include "kiosk/base/tz.h"
#include "ui/screens.h"
#include "ui/text.h"

/* "2026-10" -> "октябрь 2026". */
const char *pay_period_fmt(struct ui *ui, const char *p, char *buf, size_t cap)
{
	int y, m;
	if (sscanf(p, "%4d-%2d", &y, &m) != 2 || m < 1 || m > 12) {
		snprintf(buf, cap, "%s", p);
		return buf;
	}
	char key[16];
	snprintf(key, sizeof key, "month.%d", m);
	snprintf(buf, cap, "%s %d", ui_tr(ui, key), y);
	return buf;
}

static const char *rub(kopecks v, char *buf)
{
	return money_format(v, true, buf, MONEY_FMT_MAX);
}

/* The error banner's text (buf holds what is composed), or NULL when there is none. */
static const char *banner_msg(struct ui *ui, const struct flow *f, char *buf, size_t cap)
{
	const char *msg = f->s.error_text[0] ? f->s.error_text : f->s.error_key[0] ? ui_tr(ui, f->s.error_key) : NULL;
	if (!msg || f->s.error_text[0])
		return msg;
	char until[TZ_FMT_MAX];
	if (strcmp(f->s.error_key, "error.account_locked") == 0) {
		msg = ui_fmt(buf, cap, msg, flow_lock_until(f, until, sizeof until)); /* "until 10:15" */
	} else if (strcmp(f->s.error_key, "error.wrong_answer") == 0) {
		char left[96], num[8];
		snprintf(num, sizeof num, "%d", f->s.attempts_left);
		snprintf(buf, cap, "%s %s", msg, ui_fmt(left, sizeof left, ui_tr(ui, "control.attempts_left"), num));
		msg = buf; /* the tries left with the error itself */
	} else if (strcmp(f->s.error_key, "error.amount_too_big") == 0) {
		char lim[160], max[MONEY_FMT_MAX];
		ui_fmt(lim, sizeof lim, ui_tr(ui, "amount.limit"), rub(f->cfg.max_amount, max));
		snprintf(buf, cap, "%s %s", msg, lim);
		msg = buf; /* the limit itself, where the screen may have no room for its line */
	}
	return msg;
}

/* The height of the error banner's box for msg in an area w wide (its icon beside the
 * text, padding above and below). */
static int banner_box_height(struct ui *ui, const char *msg, int w)
{
	const struct theme *t = ui->t;
	int tw = w - 2 * ui_px(ui, t->space_m) - ui_px(ui, t->font_heading + t->space_s);
	return ui_text_height(ui, msg, t->font_body, UI_MEDIUM, tw) + 2 * ui_px(ui, t->space_m);
}

/* The height pay_error_banner takes in an area w wide, its gap below included (0: none). */
static int error_banner_height(struct ui *ui, const struct flow *f, int w)
{
	char buf[400];
	const char *msg = banner_msg(ui, f, buf, sizeof buf);
	return msg ? banner_box_height(ui, msg, w) + ui_px(ui, ui->t->space_m) : 0;
}

void pay_error_banner(struct ui *ui, const struct flow *f, struct ui_rect *area)
{
	char buf[400];
	const char *msg = banner_msg(ui, f, buf, sizeof buf);
	if (!msg)
		return;
	const struct theme *t = ui->t;
	ui_banner(ui, ui_cut_top(area, banner_box_height(ui, msg, area->w)), "error", msg, t->danger, t->on_primary);
	ui_cut_top(area, ui_px(ui, t->space_m));
}

/* The height pay_row() takes for label and value in width w. */
static int row_height(struct ui *ui, const char *label, const char *value, int w)
{
	const struct theme *t = ui->t;
	int lw = w - ui_text_width(ui, value, t->font_body, UI_BOLD) - ui_px(ui, t->space_m);
	return ui_text_height(ui, label, t->font_body, UI_REGULAR, lw > 0 ? lw : w) + ui_px(ui, t->space_s);
}

/* A label/value row; returns its height. */
int pay_row(struct ui *ui, struct ui_rect *r, const char *label, const char *value, bool strong)
{
	const struct theme *t = ui->t;
	int vw = ui_text_width(ui, value, t->font_body, strong ? UI_BOLD : UI_SEMIBOLD);
	int lw = r->w - vw - ui_px(ui, t->space_m);
	int lh = ui_text_height(ui, label, t->font_body, UI_REGULAR, lw > 0 ? lw : r->w);
	ui_text(ui, label, t->font_body, UI_REGULAR, t->text_muted, (struct ui_rect){ r->x, r->y, lw, lh }, UI_LEFT, true);
	ui_text(ui, value, t->font_body, strong ? UI_BOLD : UI_SEMIBOLD, t->text, (struct ui_rect){ r->x, r->y, r->w, lh },
		UI_RIGHT, false);
	int h = lh + ui_px(ui, t->space_s);
	ui_cut_top(r, h);
	return h;
}

static int keypad_height(struct ui *ui)
{
	return 4 * ui_px(ui, 140) + 3 * ui_px(ui, ui->t->space_s);
}

/* The big display above a keypad: what has been typed. */
static void entry_box(struct ui *ui, struct ui_rect *area, const char *text, const char *placeholder)
{
	const struct theme *t = ui->t;
	/* As tall as there is room for, up to 150 px (large text on a landscape screen). */
	int bh = area->h < ui_px(ui, 150) ? area->h : ui_px(ui, 150);
	struct ui_rect box = ui_cut_top(area, bh > ui_px(ui, 90) ? bh : ui_px(ui, 90));
	ui_round_border(ui, box, ui_px(ui, t->radius_small), ui_px(ui, t->border_width), t->primary, t->surface);
	bool empty = !text[0];
	const char *s = empty ? placeholder : text;
	/* "99 999 999 руб. 99 коп." in large text: smaller, never past the box.  Squeezed (an
	 * error banner and the offline notice above it on a landscape screen in large text), it
	 * goes down to the caption size, and a line taller than the box starts at its top rather
	 * than rising into the banner above. */
	int fs = t->font_display;
	while (fs - 4 >= t->font_caption && (ui_text_width(ui, s, fs, UI_BOLD) > box.w - 2 * ui_px(ui, t->space_m) ||
					ui_font_px(ui, fs) * 3 / 2 > box.h))
		fs -= 4;
	int y = box.y + (box.h - ui_font_px(ui, fs) * 5 / 4) / 2;
	ui_text(ui, s, fs, UI_BOLD, empty ? t->text_muted : t->text,
		(struct ui_rect){ box.x, y > box.y ? y : box.y, box.w, box.h }, UI_CENTER, false);
	ui_cut_top(area, ui_px(ui, t->space_m));
}

/* The height money_entry takes at width w. */
static int money_entry_height(struct ui *ui, int w, bool hint)
{
	const struct theme *t = ui->t;
	return ui_px(ui, 150) + ui_px(ui, t->space_m) +
	       (hint ? ui_text_height(ui, ui_tr(ui, "amount.kopecks_hint"), t->font_caption, UI_MEDIUM, w) + ui_px(ui, t->space_s) : 0);
}

/* ATM-style money as it is typed, in rubles and kopecks («45 руб. 23 коп.»), and the rule
 * that makes it so: the last two digits are kopecks. */
static void money_entry(struct ui *ui, struct ui_rect *area, const char *typed, bool hint)
{
	char shown[96], none[96];
	const char *tmpl = ui_tr(ui, "amount.typed");
	numentry_money(0, tmpl, none, sizeof none);
	hint = hint && area->h >= money_entry_height(ui, area->w, true);
	entry_box(ui, area, typed[0] ? numentry_money(flow_typed_kopecks(typed), tmpl, shown, sizeof shown) : "", none);
	if (hint)
		ui_cut_top(area, ui_text(ui, ui_tr(ui, "amount.kopecks_hint"), ui->t->font_caption, UI_MEDIUM, ui->t->text,
					 *area, UI_CENTER, true) + ui_px(ui, ui->t->space_s));
}

/* Where the keypad goes, taken before the screen lays out its words: at the bottom, or on
 * a landscape screen in the right half at full height (the words then have the left). */
static struct ui_rect keypad_reserve(struct ui *ui, struct ui_rect *area)
{
	const struct theme *t = ui->t;
	if (ui->landscape) {
		int kw = area->w / 2 < ui_px(ui, 760) ? area->w / 2 : ui_px(ui, 760);
		struct ui_rect kp = ui_cut_right(area, kw);
		ui_cut_right(area, ui_px(ui, t->space_l));
		return kp;
	}
	struct ui_rect kp = ui_cut_bottom(area, keypad_height(ui));
	ui_cut_bottom(area, ui_px(ui, t->space_m));
	return kp;
}

/* ------------------------------------------------------------------ scan */

/* The demo's bills as buttons, for a kiosk without a scanner (demo.bills): a tap is a scan. */
static void demo_panel(struct ui *ui, const struct demo_bills *d, struct ui_rect *area)
{
	const struct theme *t = ui->t;
	int gap = ui_px(ui, t->space_s), bh = ui_px(ui, 110);
	const char *title = ui_tr(ui, "demo.title");
	int th = ui_text_height(ui, title, t->font_caption, UI_MEDIUM, area->w);
	int rows = ui->landscape ? (d->n + 1) / 2 : d->n;
	struct ui_rect panel = ui_cut_bottom(area, th + gap + rows * (bh + gap));
	ui_cut_bottom(area, ui_px(ui, t->space_m));
	ui_cut_top(&panel, ui_text(ui, title, t->font_caption, UI_MEDIUM, t->text_muted, panel, UI_CENTER, true) + gap);
	int cols = ui->landscape ? 2 : 1, bw = (panel.w - (cols - 1) * gap) / cols;
	for (int i = 0; i < d->n; i++) {
		char id[24];
		snprintf(id, sizeof id, "demo_bill_%d", i);
		struct ui_rect r = { panel.x + (i % cols) * (bw + gap), panel.y + (i / cols) * (bh + gap), bw, bh };
		ui_button_ex(ui, id, d->bill[i].label, "qr_code_2", r, UI_GHOST, true, t->font_body);
	}
}

void screen_scan(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area)
{
	(void)ctx;
	const struct theme *t = ui->t;
	chrome_title(ui, &area, ui_tr(ui, f->s.readings_mode ? "scan.title_readings" : "scan.title"),
		     ui_tr(ui, "scan.subtitle"));
	pay_error_banner(ui, f, &area);
	if (f->s.looking_up) {
		ui_icon(ui, "hourglass_empty", 140, t->primary, area.x + area.w / 2, area.y + ui_px(ui, 120));
		ui_cut_top(&area, ui_px(ui, 240));
		ui_text(ui, ui_tr(ui, "scan.looking_up"), t->font_heading, UI_SEMIBOLD, t->text, area, UI_CENTER, true);
		return;
	}
	/* The button and the hint are measured first; the picture takes what is left. */
	struct ui_rect b = ui_cut_bottom(&area, ui_px(ui, t->button_height));
	ui_cut_bottom(&area, ui_px(ui, t->space_m));
	if (ctx->demo)
		demo_panel(ui, ctx->demo, &area);
	const char *hint = ui_tr(ui, "scan.hint");
	struct ui_rect hint_r = ui_cut_bottom(&area, ui_text_height(ui, hint, t->font_body, UI_REGULAR, area.w));
	ui_cut_bottom(&area, ui_px(ui, t->space_m));
	ui_text(ui, hint, t->font_body, UI_REGULAR, t->text_muted, hint_r, UI_CENTER, true);
	ui_button(ui, "enter_account", ui_tr(ui, "scan.enter_account"), "touch_app", b, UI_SECONDARY, true);
	/* Where to hold the bill: a bill with its QR code under the scanner window, drawn at
	 * up to 520 design px high (k per mille of that). */
	int k = area.h * 1000 / ui_px(ui, 520);
	if (k > 1000)
		k = 1000;
	if (k < 250)
		return;
#define K(v) ((v) * k / 1000)
	int bw = K(ui_px(ui, 360)), bh = K(ui_px(ui, 480));
	struct ui_rect bill = { area.x + (area.w - bw) / 2, area.y + (area.h - bh) / 2, bw, bh };
	chrome_card(ui, bill);
	for (int i = 0; i < 5; i++)
		ui_fill_round(ui, (struct ui_rect){ bill.x + K(ui_px(ui, 30)), bill.y + K(ui_px(ui, 40 + i * 34)),
						    bw - K(ui_px(ui, 60 + (i % 2) * 80)), K(ui_px(ui, 14)) },
			      K(ui_px(ui, 7)), t->surface_alt);
	ui_icon(ui, "qr_code_2", K(200), t->text, bill.x + bw / 2, bill.y + bh - K(ui_px(ui, 140)));
	/* The scanner's red line sweeping across the code. */
	int sweep = (int)((ctx->mono_ms / 20) % (K(ui_px(ui, 200)) + 1));
	ui_fill_round(ui, (struct ui_rect){ bill.x + K(ui_px(ui, 60)), bill.y + bh - K(ui_px(ui, 240)) + sweep,
					    bw - K(ui_px(ui, 120)), K(ui_px(ui, 6)) + 1 },
		      K(ui_px(ui, 3)), t->danger);
#undef K
}

/* ------------------------------------------------------------------ enter_account */

void screen_enter_account(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area)
{
	(void)ctx;
	struct ui_rect kp = keypad_reserve(ui, &area);
	/* A lock says what to do instead: its words need the subtitle's room. */
	bool locked = strcmp(f->s.error_key, "error.account_locked") == 0;
	chrome_title(ui, &area, ui_tr(ui, "enter_account.title"), locked ? NULL : ui_tr(ui, "enter_account.subtitle"));
	pay_error_banner(ui, f, &area);
	char shown[24] = "";
	size_t n = strlen(f->s.typed);
	/* NNNNN-NNN as the resident types. */
	for (size_t i = 0, o = 0; i < n && o + 2 < sizeof shown; i++) {
		if (i == 5)
			shown[o++] = '-';
		shown[o++] = f->s.typed[i];
		shown[o] = '\0';
	}
	entry_box(ui, &area, shown, "_____-___");
	if (f->s.looking_up) {
		ui_text(ui, ui_tr(ui, "scan.looking_up"), ui->t->font_heading, UI_SEMIBOLD, ui->t->text, area, UI_CENTER, true);
		return;
	}
	ui_keypad(ui, kp, true, n == FLOW_ACCOUNT_DIGITS);
}

/* ------------------------------------------------------------------ control_question */

void screen_control_question(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area)
{
	(void)ctx;
	char per[48], q[256], acc[24];
	struct ui_rect kp = keypad_reserve(ui, &area);
	pay_period_fmt(ui, f->s.acct.period, per, sizeof per);
	ui_fmt(q, sizeof q, ui_tr(ui, "control.subtitle"), per);
	char title[128];
	ui_fmt(title, sizeof title, ui_tr(ui, "control.title"), fmt_pers_acc(f->s.lookup, acc, sizeof acc));
	bool wrong = strcmp(f->s.error_key, "error.wrong_answer") == 0;
	/* After a wrong answer the question is asked again below, with the tries left. */
	chrome_title(ui, &area, title, wrong ? NULL : q);
	pay_error_banner(ui, f, &area);
	bool hint = true;
	if (wrong) {
		/* What exactly is asked (the banner says the tries left); what happens after the
		 * last try and the kopecks rule where they fit above the entry (large text may
		 * leave no room: the question says "with kopecks", the lock says the rest). */
		const struct theme *t = ui->t;
		int gap = ui_px(ui, t->space_s);
		char what[256];
		ui_fmt(what, sizeof what, ui_tr(ui, "control.wrong_what"), per);
		int fs = t->font_body;
		if (area.h - ui_text_height(ui, what, fs, UI_MEDIUM, area.w) - gap < money_entry_height(ui, area.w, false))
			fs = t->font_caption; /* large text on a short screen: the entry must stay whole */
		ui_cut_top(&area, ui_text(ui, what, fs, UI_MEDIUM, t->text, area, UI_LEFT, true) + gap);
		const char *then = ui_tr(ui, "control.wrong_then");
		int th = ui_text_height(ui, then, t->font_caption, UI_REGULAR, area.w) + gap;
		if (area.h - th >= money_entry_height(ui, area.w, true))
			ui_cut_top(&area, ui_text(ui, then, t->font_caption, UI_REGULAR, t->text_muted, area, UI_LEFT, true) + gap);
		hint = area.h >= money_entry_height(ui, area.w, true);
	}
	money_entry(ui, &area, f->s.answer, hint);
	if (f->s.looking_up) {
		ui_text(ui, ui_tr(ui, "control.checking"), ui->t->font_heading, UI_SEMIBOLD, ui->t->text, area, UI_CENTER, true);
		return;
	}
	ui_keypad(ui, kp, true, f->s.answer[0] != '\0');
}

/* ------------------------------------------------------------------ amount */

void screen_amount(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area)
{
	(void)ctx;
	char v[MONEY_FMT_MAX], sub[200], max[MONEY_FMT_MAX];
	struct ui_rect kp = keypad_reserve(ui, &area);
	ui_fmt(sub, sizeof sub, ui_tr(ui, "amount.subtitle"), rub(f->s.acct.due, v));
	/* Squeezed (an error and the offline notice, large text), the amount typed keeps its box:
	 * the line with what is due gives way first (the account screen showed it), then the
	 * title (the error says what is wrong, the keypad what to do). */
	const struct theme *t = ui->t;
	const char *title = ui_tr(ui, "amount.title");
	int title_h = ui_text_height(ui, title, t->font_title, UI_BOLD, area.w) + ui_px(ui, t->space_s) +
		      ui_px(ui, t->space_l);
	int sub_h = ui_text_height(ui, sub, t->font_body, UI_REGULAR, area.w);
	int room = area.h - error_banner_height(ui, f, area.w);
	if (room - title_h - sub_h >= ui_px(ui, 150))
		chrome_title(ui, &area, title, sub);
	else if (room - title_h >= ui_px(ui, 110))
		chrome_title(ui, &area, title, NULL);
	pay_error_banner(ui, f, &area);
	char lim[160];
	ui_fmt(lim, sizeof lim, ui_tr(ui, "amount.limit"), rub(f->cfg.max_amount, max));
	/* The kopecks rule and the limit below the entry where large text leaves room (an
	 * amount over the limit names it in the error). */
	int lh = ui_text_height(ui, lim, ui->t->font_caption, UI_REGULAR, area.w) + ui_px(ui, ui->t->space_s);
	money_entry(ui, &area, f->s.amount_typed, area.h - lh >= money_entry_height(ui, area.w, true));
	if (area.h >= lh)
		ui_cut_top(&area, ui_text(ui, lim, ui->t->font_caption, UI_REGULAR, ui->t->text_muted, area, UI_CENTER, true));
	ui_keypad(ui, kp, true, f->s.amount_typed[0] != '\0');
}

/* ------------------------------------------------------------------ basket */

/* One bill of the basket in a card: account and amount, period, address; measured, so a
 * long line wraps inside the card and the card grows. */
static void basket_card(struct ui *ui, const struct flow_line *l, int i, struct ui_rect *area)
{
	const struct theme *t = ui->t;
	char acc[24], per[48], v[MONEY_FMT_MAX], head[96], id[24];
	int pad = ui_px(ui, t->space_m), del_w = ui_px(ui, 130);
	ui_fmt(head, sizeof head, ui_tr(ui, "basket.line"), fmt_pers_acc(l->acct.pers_acc, acc, sizeof acc));
	const char *amount = rub(l->amount, v);
	char addr[sizeof l->acct.address_masked * 2];
	const char *where = l->acct.address_masked[0] ? fmt_nbsp(l->acct.address_masked, addr, sizeof addr) : l->payee_name;
	pay_period_fmt(ui, l->acct.period, per, sizeof per);
	int text_w = area->w - 2 * pad - del_w - pad;
	int aw = ui_text_width(ui, amount, t->font_heading, UI_BOLD);
	int head_w = text_w - aw - pad;
	int head_h = ui_text_height(ui, head, t->font_body, UI_SEMIBOLD, head_w);
	int amount_h = ui_text_height(ui, amount, t->font_heading, UI_BOLD, aw + 1);
	int top_h = head_h > amount_h ? head_h : amount_h;
	int h = top_h + ui_text_height(ui, per, t->font_caption, UI_REGULAR, text_w) +
		ui_text_height(ui, where, t->font_caption, UI_REGULAR, text_w) + 2 * pad;
	if (h < del_w + 2 * pad)
		h = del_w + 2 * pad;
	struct ui_rect card = ui_cut_top(area, h);
	ui_cut_top(area, ui_px(ui, t->space_s));
	chrome_card(ui, card);
	struct ui_rect in = ui_inset(card, pad);
	struct ui_rect del = ui_cut_right(&in, del_w);
	ui_cut_right(&in, pad);
	snprintf(id, sizeof id, "remove_%d", i);
	ui_button(ui, id, NULL, "delete", (struct ui_rect){ del.x, del.y + (del.h - del_w) / 2, del_w, del_w }, UI_GHOST,
		  true);
	ui_text(ui, amount, t->font_heading, UI_BOLD, t->text, (struct ui_rect){ in.x + in.w - aw, in.y, aw, amount_h },
		UI_RIGHT, false);
	ui_text(ui, head, t->font_body, UI_SEMIBOLD, t->text, (struct ui_rect){ in.x, in.y, head_w, head_h }, UI_LEFT, true);
	ui_cut_top(&in, top_h);
	ui_cut_top(&in, ui_text(ui, per, t->font_caption, UI_REGULAR, t->text_muted, in, UI_LEFT, true));
	ui_text(ui, where, t->font_caption, UI_REGULAR, t->text_muted, in, UI_LEFT, true);
}

void screen_basket(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area)
{
	(void)ctx;
	const struct theme *t = ui->t;
	chrome_title(ui, &area, ui_tr(ui, "basket.title"), NULL);
	pay_error_banner(ui, f, &area);
	int gap = ui_px(ui, t->space_m);
	char v[MONEY_FMT_MAX], tot[96];
	ui_fmt(tot, sizeof tot, ui_tr(ui, "basket.total"), rub(f->s.total, v));
	/* The total and the actions stay above the footer; the bills scroll above them. */
	int sum_h = ui_text_height(ui, tot, t->font_title, UI_BOLD, area.w);
	struct ui_rect actions = ui_cut_bottom(&area, 2 * ui_px(ui, t->button_height) + 2 * gap + sum_h);
	struct ui_rect list = ui_scroll_begin(ui, area);
	int top = list.y;
	for (int i = 0; i < f->s.nlines; i++)
		basket_card(ui, &f->s.lines[i], i, &list);
	ui_scroll_end(ui, list.y - top);
	ui_cut_top(&actions, gap);
	ui_cut_top(&actions, ui_text(ui, tot, t->font_title, UI_BOLD, t->text, actions, UI_LEFT, true));
	ui_button(ui, "add_bill", ui_tr(ui, "basket.add_bill"), "add", ui_cut_top(&actions, ui_px(ui, t->button_height)),
		  UI_SECONDARY, f->s.nlines < FLOW_MAX_BASKET);
	ui_cut_top(&actions, gap);
	ui_button(ui, "checkout", ui_tr(ui, "basket.checkout"), "credit_card", ui_cut_top(&actions, ui_px(ui, t->button_height)),
		  UI_PRIMARY, f->s.nlines > 0 && f->pinpad_ok);
}

/* ------------------------------------------------------------------ confirm */

void screen_confirm(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area)
{
	const struct theme *t = ui->t;
	const struct config *c = ctx->cfg;
	chrome_title(ui, &area, ui_tr(ui, "confirm.title"), NULL);
	/* The commission and the total are pinned above the pay button, so they are on the
	 * screen whenever the button is, whatever scrolls above them. */
	char v[MONEY_FMT_MAX], line[320], acc[24], per[48];
	int sums_h = row_height(ui, ui_tr(ui, "confirm.commission"), rub(0, v), area.w) +
		     row_height(ui, ui_tr(ui, "confirm.total"), rub(f->s.total, v), area.w);
	struct ui_rect actions = ui_cut_bottom(&area, ui_px(ui, t->button_height) + 2 * ui_px(ui, t->space_m) + sums_h);
	struct ui_rect r = ui_scroll_begin(ui, area);
	int top = r.y;
	const char *pk = flow_confirm_printer_key(f);
	if (pk) {
		/* said before the card, first on the page: the paper receipt will not come, the
		 * electronic one will */
		const char *msg = ui_tr(ui, pk);
		int w = r.w - 2 * ui_px(ui, t->space_m) - ui_px(ui, t->font_heading + t->space_s);
		int h = ui_text_height(ui, msg, t->font_body, UI_MEDIUM, w) + 2 * ui_px(ui, t->space_m);
		ui_banner(ui, ui_cut_top(&r, h), "print", msg, t->warning, t->on_primary);
		ui_cut_top(&r, ui_px(ui, t->space_m));
	}
	/* 103-ФЗ art. 4: the agent, the payees, the commission, how to complain. */
	ui_cut_top(&r, ui_text(ui, ui_tr(ui, "confirm.agent"), t->font_caption, UI_MEDIUM, t->text_muted, r, UI_LEFT, false));
	ui_cut_top(&r, ui_text(ui, c->agent_name, t->font_body, UI_SEMIBOLD, t->text, r, UI_LEFT, true));
	snprintf(line, sizeof line, "%s %s · %s", ui_tr(ui, "account.inn"), c->agent_inn, c->agent_address);
	ui_cut_top(&r, ui_text(ui, line, t->font_caption, UI_REGULAR, t->text_muted, r, UI_LEFT, true) + ui_px(ui, t->space_m));
	for (int i = 0; i < f->s.nlines; i++) {
		const struct flow_line *l = &f->s.lines[i];
		ui_fmt(line, sizeof line, ui_tr(ui, "basket.line"), fmt_pers_acc(l->acct.pers_acc, acc, sizeof acc));
		pay_row(ui, &r, line, rub(l->amount, v), true);
		snprintf(line, sizeof line, "%s · %s %s · %s", l->payee_name, ui_tr(ui, "account.inn"), l->payee_inn,
			 pay_period_fmt(ui, l->acct.period, per, sizeof per));
		ui_cut_top(&r, ui_text(ui, line, t->font_caption, UI_REGULAR, t->text_muted, r, UI_LEFT, true));
		for (int k = 0; k < l->acct.nsuppliers; k++) {
			const struct account_supplier *s = &l->acct.suppliers[k];
			char ph[64];
			snprintf(line, sizeof line, "• %s, %s %s, %s", s->name, ui_tr(ui, "account.inn"), s->inn,
				 fmt_phone(s->phone, ph, sizeof ph));
			ui_cut_top(&r, ui_text(ui, line, t->font_caption, UI_REGULAR, t->text_muted, r, UI_LEFT, true));
		}
		ui_cut_top(&r, ui_px(ui, t->space_m));
	}
	char phone[64], days[96];
	const char *const policy[] = { fmt_phone(c->agent_phone, phone, sizeof phone),
				       fmt_count(c->crediting_days, ui_tr(ui, "confirm.crediting_days"), ui->lang, days,
						 sizeof days) };
	fmt_fill(ui_tr(ui, "confirm.complaints"), policy, 2, line, sizeof line);
	ui_cut_top(&r, ui_text(ui, line, t->font_caption, UI_REGULAR, t->text_muted, r, UI_LEFT, true));
	if (f->cfg.ereceipt_first) { /* with a register: the contact goes on the fiscal receipt */
		char to[96];
		flow_ereceipt_contact(f, to, sizeof to);
		if (to[0])
			ui_fmt(line, sizeof line, ui_tr(ui, "confirm.ereceipt_to"), to);
		ui_cut_top(&r, ui_px(ui, t->space_m));
		ui_button(ui, "ereceipt", to[0] ? line : ui_tr(ui, "confirm.ereceipt"), "description",
			  ui_cut_top(&r, ui_px(ui, t->button_height)), UI_SECONDARY, true);
	}
	ui_scroll_end(ui, r.y - top);
	ui_cut_top(&actions, ui_px(ui, t->space_m));
	pay_row(ui, &actions, ui_tr(ui, "confirm.commission"), rub(0, v), false);
	pay_row(ui, &actions, ui_tr(ui, "confirm.total"), rub(f->s.total, v), true);
	char pay[96];
	ui_fmt(pay, sizeof pay, ui_tr(ui, "confirm.pay"), rub(f->s.total, v));
	ui_button(ui, "confirm_pay", pay, "credit_card", ui_cut_bottom(&actions, ui_px(ui, t->button_height)), UI_PRIMARY,
		  f->pinpad_ok);
}
