/* The payment screens from the card on: payment (the PIN-pad's progress, the card's
 * countdown, the bank's wait) and payment_result (what the flow says was done, in plain
 * words: flow_pay_title_key / flow_pay_why_key). */
#include <stdio.h>
#include <string.h>

#include "kiosk/base/format.h"
#include "ui/qr.h"
#include "ui/screens.h"
#include "ui/text.h"

static const char *rub(kopecks v, char *buf)
{
	return money_format(v, true, buf, MONEY_FMT_MAX);
}

/* ------------------------------------------------------------------ payment */

/* The wait, in numbers: the seconds left to present the card (the PIN-pad's card timeout),
 * or the seconds the bank has been asked for; NULL when neither applies. */
static const char *wait_line(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, char *buf, size_t cap)
{
	int64_t since = (ctx->mono_ms - f->s.pay_progress_ms) / 1000;
	char num[24];
	if (f->s.pay_progress == PAY_PRESENT_CARD) {
		int64_t left = ctx->cfg->pinpad_timeout_s - since;
		snprintf(num, sizeof num, "%lld", (long long)(left > 0 ? left : 0));
		return ui_fmt(buf, cap, ui_tr(ui, "payment.card_left"), num);
	}
	if (f->s.pay_progress == PAY_ONLINE) {
		snprintf(num, sizeof num, "%lld", (long long)(since > 0 ? since : 0));
		return ui_fmt(buf, cap, ui_tr(ui, "payment.bank_wait"), num);
	}
	return NULL;
}

void screen_payment(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area)
{
	const struct theme *t = ui->t;
	static const char *const keys[] = { "payment.starting", "payment.present_card", "payment.reading",
					    "payment.enter_pin", "payment.online", "payment.remove_card", "payment.see_phone" };
	static const char *const icons[] = { "hourglass_empty", "contactless", "credit_card", "lock", "account_balance",
					     "credit_card", "phone" };
	int p = f->s.pay_progress >= 0 && f->s.pay_progress <= PAY_SEE_PHONE ? f->s.pay_progress : 0;
	/* Cancelling is one state of its own, not a line under the step it interrupted. */
	bool cancelling = f->s.pay_cancel_sent;
	char v[MONEY_FMT_MAX], amt[96], wait[96];
	ui_fmt(amt, sizeof amt, ui_tr(ui, "payment.amount"), rub(f->s.total, v));
	/* Cancel only until the bank is asked: after that the outcome must be awaited. */
	bool can_cancel = p < PAY_ONLINE && !cancelling;
	struct ui_rect cancel = { 0, 0, 0, 0 };
	if (can_cancel) {
		cancel = ui_cut_bottom(&area, ui_px(ui, t->button_height));
		ui_cut_bottom(&area, ui_px(ui, t->space_m));
	}
	/* The picture above the words, or on a landscape screen beside them. */
	int disc = ui_px(ui, 320);
	const char *icon = cancelling ? "hourglass_empty" : icons[p];
	if (ui->landscape) {
		struct ui_rect left = ui_cut_left(&area, area.w * 2 / 5);
		ui_cut_left(&area, ui_px(ui, t->space_l));
		if (disc > left.h)
			disc = left.h;
		struct ui_rect d = { left.x + (left.w - disc) / 2, left.y + (left.h - disc) / 2, disc, disc };
		ui_fill_round(ui, d, disc / 2, t->secondary);
		ui_icon(ui, icon, 190 * disc / ui_px(ui, 320), t->primary, d.x + disc / 2, d.y + disc / 2);
	} else {
		ui_cut_top(&area, ui_px(ui, 80));
		struct ui_rect d = { area.x + (area.w - disc) / 2, area.y, disc, disc };
		ui_fill_round(ui, d, disc / 2, t->secondary);
		ui_icon(ui, icon, 190, t->primary, d.x + disc / 2, d.y + disc / 2);
		ui_cut_top(&area, disc + ui_px(ui, t->space_xl));
	}
	/* The step's name steps down from the display size when the words would not fit. */
	const char *step = ui_tr(ui, cancelling ? "payment.cancelling" : keys[p]);
	const char *hint = ui_tr(ui, cancelling ? "payment.cancelling_text" : "payment.follow_pinpad");
	const char *w = cancelling ? NULL : wait_line(ui, f, ctx, wait, sizeof wait);
	int rest = ui_text_height(ui, amt, t->font_title, UI_SEMIBOLD, area.w) +
		   ui_text_height(ui, hint, t->font_body, UI_REGULAR, area.w) + 2 * ui_px(ui, t->space_m) +
		   (w ? ui_text_height(ui, w, t->font_heading, UI_SEMIBOLD, area.w) + ui_px(ui, t->space_m) : 0);
	int fs = t->font_display;
	while (fs > t->font_heading && ui_text_height(ui, step, fs, UI_BOLD, area.w) + rest > area.h)
		fs -= 4;
	ui_cut_top(&area, ui_text(ui, step, fs, UI_BOLD, t->text, area, UI_CENTER, true) + ui_px(ui, t->space_m));
	ui_cut_top(&area, ui_text(ui, amt, t->font_title, UI_SEMIBOLD, t->text, area, UI_CENTER, true) + ui_px(ui, t->space_m));
	if (w)
		ui_cut_top(&area, ui_text(ui, w, t->font_heading, UI_SEMIBOLD, t->primary, area, UI_CENTER, true) +
					  ui_px(ui, t->space_m));
	ui_text(ui, hint, t->font_body, UI_REGULAR, t->text_muted, area, UI_CENTER, true);
	if (can_cancel)
		ui_button(ui, "cancel", ui_tr(ui, "payment.cancel"), "close", cancel, UI_SECONDARY, true);
}

/* The fiscal receipt as the resident can check it: its attributes and the ФНС check QR,
 * where the QR fits above the buttons (the printed receipt carries both anyway). */
static void fiscal_check(struct ui *ui, const struct flow_pay_result *p, struct ui_rect *area)
{
	const struct theme *t = ui->t;
	ui_cut_top(area, ui_px(ui, t->space_m));
	ui_cut_top(area, ui_text(ui, p->fiscal_line, t->font_body, UI_REGULAR, t->text_muted, *area, UI_CENTER,
				 true) + ui_px(ui, t->space_s));
	/* the area ends above the buttons: the QR and its caption take what is left */
	const char *cap = ui_tr(ui, "result.fiscal_check");
	int room = area->h - ui_px(ui, t->space_s) - ui_text_height(ui, cap, t->font_body, UI_REGULAR, area->w);
	int side = room < ui_px(ui, 240) ? room : ui_px(ui, 240);
	if (side < ui_px(ui, 120))
		return;
	if (ui_qr(ui, p->fiscal_qr, ui_cut_top(area, side)) == 0)
		return;
	ui_cut_top(area, ui_px(ui, t->space_s));
	ui_text(ui, cap, t->font_body, UI_REGULAR, t->text_muted, *area, UI_CENTER, true);
}

/* A sale that did not complete and may hold money: the operation number (and the terminal's
 * own, when its slip names one), what to do, and the printed notice.  Drawn into area when
 * DRAW, else only measured; returns the height. */
static int held_facts(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect *area, bool draw)
{
	const struct theme *t = ui->t;
	const struct flow_pay_result *p = &f->s.pay;
	char line[320], num[FLOW_OP_NUMBER_LEN + 48];
	int h = 0, sp = ui_px(ui, t->space_s);
	if (p->txn_id[0]) {
		char op[FLOW_OP_NUMBER_LEN];
		flow_pay_op_number(p->txn_id, op);
		if (p->terminal_op[0])
			snprintf(num, sizeof num, "%s · %s %s", op, ui_tr(ui, "result.terminal_op"), p->terminal_op);
		else
			snprintf(num, sizeof num, "%s", op);
		ui_fmt(line, sizeof line, ui_tr(ui, "result.operation"), num);
		int lh = draw ? ui_text(ui, line, t->font_heading, UI_BOLD, t->text, *area, UI_CENTER, true)
			      : ui_text_height(ui, line, t->font_heading, UI_BOLD, area->w);
		h += lh + sp;
		if (draw)
			ui_cut_top(area, lh + sp);
	}
	char phone[48];
	ui_fmt(line, sizeof line, ui_tr(ui, p->outcome == PAY_UNKNOWN ? "result.unknown_todo" : "result.held_todo"),
	       fmt_phone(ctx->cfg->contact_phone, phone, sizeof phone));
	int lh = draw ? ui_text(ui, line, t->font_body, UI_REGULAR, t->text, *area, UI_CENTER, true)
		      : ui_text_height(ui, line, t->font_body, UI_REGULAR, area->w);
	h += lh + sp;
	if (draw)
		ui_cut_top(area, lh + sp);
	if (!f->s.notice_printed)
		return h; /* being checked: nothing printed yet */
	const char *k = ui_tr(ui, f->s.print_status < 0 ? "result.notice_printing"
				 : f->s.print_status == PRINT_OK ? "result.take_notice" : "result.notice_failed");
	if (draw)
		return h + ui_text(ui, k, t->font_body, UI_MEDIUM, f->s.print_status > PRINT_OK ? t->danger : t->text_muted,
				   *area, UI_CENTER, true);
	return h + ui_text_height(ui, k, t->font_body, UI_MEDIUM, area->w);
}

/* A result that is not an approval: why, then "not charged" or the facts of a sale that may
 * hold money.  Drawn into area when DRAW, else measured; returns the height. */
static int not_paid_body(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect *area, bool draw)
{
	const struct theme *t = ui->t;
	const struct flow_pay_result *p = &f->s.pay;
	const char *why = ui_tr(ui, flow_pay_why_key(p));
	int h = (draw ? ui_text(ui, why, t->font_heading, UI_MEDIUM, t->text, *area, UI_CENTER, true)
		      : ui_text_height(ui, why, t->font_heading, UI_MEDIUM, area->w)) + ui_px(ui, t->space_m);
	if (draw)
		ui_cut_top(area, h);
	if (flow_pay_nothing_taken(p->outcome)) {
		/* said only where the PIN-pad said nothing was taken */
		const char *nc = ui_tr(ui, "result.not_charged");
		h += draw ? ui_text(ui, nc, t->font_body, UI_REGULAR, t->text_muted, *area, UI_CENTER, true)
			  : ui_text_height(ui, nc, t->font_body, UI_REGULAR, area->w);
	} else if (flow_pay_held(p->outcome)) {
		h += held_facts(ui, f, ctx, area, draw);
	}
	return h;
}

/* The card under the paid sum: scheme, masked number, authorisation code, and the
 * terminal's operation number when there is no RRN.  Only what the record holds: no
 * empty "· код авторизации". */
static void card_line(struct ui *ui, const struct flow_pay_result *p, char *line, size_t cap)
{
	char scheme[32];
	int n = snprintf(line, cap, "%s%s%s", fmt_scheme(p->scheme, ui->lang, scheme, sizeof scheme),
			 p->scheme[0] && p->masked_pan[0] ? " " : "",
			 p->masked_pan);
	if (p->auth_code[0])
		n += snprintf(line + n, cap - (size_t)n, "%s%s %s", n ? " · " : "",
			      ui_tr(ui, "result.auth_code"), p->auth_code);
	if (!p->rrn[0] && p->terminal_op[0] && n < (int)cap)
		snprintf(line + n, cap - (size_t)n, "%s%s %s", n ? " · " : "",
			 ui_tr(ui, "result.terminal_op"), p->terminal_op);
}

void screen_payment_result(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area)
{
	const struct theme *t = ui->t;
	const struct flow_pay_result *p = &f->s.pay;
	bool ok = p->outcome == PAY_APPROVED;
	/* By outcome: the disc's icon (the title: flow_pay_title_key). */
	static const char *const icon[] = {
		[PAY_APPROVED] = "check_circle", [PAY_DECLINED] = "error", [PAY_CANCELLED] = "close",
		[PAY_TIMEOUT] = "close", [PAY_FAILED] = "error", [PAY_UNKNOWN] = "hourglass_empty",
		[PAY_NEEDS_OPERATOR] = "support_agent", [PAY_REVERSED] = "support_agent",
	};
	struct theme_color disc_c = ok ? t->success : p->outcome == PAY_DECLINED || p->outcome == PAY_FAILED ? t->danger
				 : p->outcome == PAY_NEEDS_OPERATOR || p->outcome == PAY_REVERSED ? t->warning : t->surface_alt;
	bool light = ok || p->outcome == PAY_DECLINED || p->outcome == PAY_FAILED;
	int gap = ui_px(ui, t->space_m);
	/* The buttons first, at the bottom; on a landscape screen the picture and the title
	 * take the left column and the details the right. */
	struct ui_rect b = ui_cut_bottom(&area, ui_px(ui, t->button_height));
	ui_cut_bottom(&area, gap);
	const char *title = ui_tr(ui, flow_pay_title_key(p));
	int disc = ui_px(ui, 260);
	struct ui_rect left = area, *head = &area;
	if (ui->landscape) {
		left = ui_cut_left(&area, area.w * 2 / 5);
		ui_cut_left(&area, ui_px(ui, t->space_l));
		head = &left;
		int th = ui_text_height(ui, title, t->font_display, UI_BOLD, left.w);
		if (disc + ui_px(ui, t->space_l) + th > left.h)
			disc = left.h - ui_px(ui, t->space_l) - th;
		if (disc + ui_px(ui, t->space_l) + th < left.h)
			ui_cut_top(&left, (left.h - disc - ui_px(ui, t->space_l) - th) / 2);
	} else {
		/* The words first: the picture gives up its room (and its margin) before they do. */
		int words = ui_text_height(ui, title, t->font_display, UI_BOLD, area.w) + gap +
			    (ok ? 0 : not_paid_body(ui, f, ctx, &area, false));
		int margin = ui_px(ui, 60);
		if (margin + disc + ui_px(ui, t->space_l) + words > area.h)
			margin = 0;
		if (!ok && disc + ui_px(ui, t->space_l) + words > area.h)
			disc = area.h - ui_px(ui, t->space_l) - words;
		ui_cut_top(&area, margin);
	}
	if (disc >= ui_px(ui, 120)) {
		struct ui_rect d = { head->x + (head->w - disc) / 2, head->y, disc, disc };
		ui_fill_round(ui, d, disc / 2, disc_c);
		ui_icon(ui, icon[p->outcome], 170 * disc / ui_px(ui, 260), light ? t->on_primary : t->text, d.x + disc / 2,
			d.y + disc / 2);
		ui_cut_top(head, disc + ui_px(ui, t->space_l));
	}
	ui_cut_top(head, ui_text(ui, title, t->font_display, UI_BOLD, t->text, *head, UI_CENTER, true) + gap);
	char v[MONEY_FMT_MAX], line[256];
	if (ok) {
		ui_fmt(line, sizeof line, ui_tr(ui, "result.paid_amount"), rub(f->s.total, v));
		ui_cut_top(&area, ui_text(ui, line, t->font_title, UI_SEMIBOLD, t->text, area, UI_CENTER, true) + ui_px(ui, t->space_s));
		card_line(ui, p, line, sizeof line);
		ui_cut_top(&area, ui_text(ui, line, t->font_body, UI_REGULAR, t->text_muted, area, UI_CENTER, true) + ui_px(ui, t->space_l));
		/* While the receipt waits for paper (or a closed cover), say so now: the resident
		 * should not stand there for the printer's two-minute wait. */
		bool stuck = f->s.print_status < 0 && f->printer_state >= PRINTER_STATE_PAPER_OUT;
		const char *pk = stuck ? "result.printer_stuck" : f->s.print_status < 0 ? "result.printing"
				: f->s.print_status == PRINT_OK ? "result.take_receipt" : "result.printer_failed";
		ui_cut_top(&area, ui_text(ui, ui_tr(ui, pk), t->font_heading, UI_SEMIBOLD,
					  stuck || f->s.print_status > PRINT_OK ? t->danger : t->text,
					  area, UI_CENTER, true) + ui_px(ui, t->space_m));
		if (f->s.ereceipt_sent) {
			ui_cut_top(&area, ui_text(ui, ui_tr(ui, "ereceipt.sent"), t->font_body, UI_MEDIUM, t->success,
						  area, UI_CENTER, true)); /* the fiscal check goes below it */
		} else if (ui->landscape) { /* beside Done: the column is short */
			struct ui_rect e = ui_cut_left(&b, (b.w - gap) / 2);
			ui_cut_left(&b, gap);
			ui_button(ui, "ereceipt", ui_tr(ui, "result.ereceipt"), "description", e, UI_SECONDARY, true);
		} else {
			ui_button(ui, "ereceipt", ui_tr(ui, "result.ereceipt"), "description",
				  ui_cut_top(&area, ui_px(ui, t->button_height)), UI_SECONDARY, true);
		}
		if (p->fiscal_qr[0])
			fiscal_check(ui, p, &area);
	} else {
		int body = not_paid_body(ui, f, ctx, &area, false);
		if (body <= area.h) {
			not_paid_body(ui, f, ctx, &area, true);
		} else {
			/* large text: the words scroll above the buttons rather than run under them */
			struct ui_rect r = ui_scroll_begin(ui, area);
			not_paid_body(ui, f, ctx, &r, true);
			ui_scroll_end(ui, body);
		}
	}
	if (flow_pay_retryable(p->outcome) && f->pinpad_ok) {
		struct ui_rect l = ui_cut_left(&b, (b.w - gap) / 2);
		ui_cut_left(&b, gap);
		ui_button(ui, "try_again", ui_tr(ui, "result.try_again"), "credit_card", l, UI_SECONDARY, true);
	}
	ui_button(ui, "done", ui_tr(ui, "result.done"), "home", b, UI_PRIMARY, true);
}
