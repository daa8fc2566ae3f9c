/* The e-receipt and typed-request screens, and the on-screen keyboard they share. */
#include <stdio.h>
#include <string.h>

#include "kiosk/base/format.h"
#include "kiosk/base/utf8.h"
#include "ui/screens.h"
#include "ui/text.h"

static const char *const latin[] = { "1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm" };
/* Cyrillic rows as code points (ids kb_uXXXX keep widget ids ASCII). */
static const uint16_t cyr[3][12] = {
	{ 0x439, 0x446, 0x443, 0x43a, 0x435, 0x43d, 0x433, 0x448, 0x449, 0x437, 0x445, 0x44a },
	{ 0x444, 0x44b, 0x432, 0x430, 0x43f, 0x440, 0x43e, 0x43b, 0x434, 0x436, 0x44d, 0x451 },
	{ 0x44f, 0x447, 0x441, 0x43c, 0x438, 0x442, 0x44c, 0x431, 0x44e, 0, 0, 0 },
};

static void key_row(struct ui *ui, struct ui_rect r, int n, const char *const *ids, const char *const *labels)
{
	int gap = ui_px(ui, 8);
	int kw = (r.w - (n - 1) * gap) / n;
	for (int i = 0; i < n; i++)
		ui_button_ex(ui, ids[i], labels[i], NULL, (struct ui_rect){ r.x + i * (kw + gap), r.y, kw, r.h }, UI_KEY, true,
			     ui->t->font_heading);
}

/* Keys kb_<c> (a-z, 0-9, @ . - _), kb_uXXXX (Cyrillic), kb_space, kb_del, kb_layout. */
static void keyboard(struct ui *ui, struct ui_rect r, bool cyrillic, bool email)
{
	int gap = ui_px(ui, 8), kh = (r.h - 4 * gap) / 5;
	char ids[12][12], labels[12][8];
	const char *idp[12], *lp[12];
	for (int row = 0; row < 4; row++) {
		int n = 0;
		if (cyrillic && row > 0) {
			for (int i = 0; i < 12 && cyr[row - 1][i]; i++, n++) {
				snprintf(ids[n], sizeof ids[n], "kb_u%04x", cyr[row - 1][i]);
				labels[n][utf8_encode(cyr[row - 1][i], labels[n])] = '\0';
			}
		} else {
			for (const char *c = latin[row]; *c; c++, n++) {
				snprintf(ids[n], sizeof ids[n], "kb_%c", *c);
				snprintf(labels[n], sizeof labels[n], "%c", *c);
			}
		}
		for (int i = 0; i < n; i++) {
			idp[i] = ids[i];
			lp[i] = labels[i];
		}
		key_row(ui, (struct ui_rect){ r.x, r.y + row * (kh + gap), r.w, kh }, n, idp, lp);
	}
	static const char *const eids[] = { "kb_layout", "kb_@", "kb_.", "kb_-", "kb__", "kb_del" };
	static const char *const tids[] = { "kb_layout", "kb_,", "kb_.", "kb_space", "kb_?", "kb_del" };
	const char *labs[6] = { cyrillic ? "ABC" : "АБВ", email ? "@" : ",", ".", email ? "-" : "␣", email ? "_" : "?", "⌫" };
	key_row(ui, (struct ui_rect){ r.x, r.y + 4 * (kh + gap), r.w, kh }, 6, email ? eids : tids, labs);
}

static void field(struct ui *ui, struct ui_rect *area, const char *id, const char *label, const char *text,
		  bool focus, int lines)
{
	const struct theme *t = ui->t;
	ui_cut_top(area, ui_text(ui, label, t->font_body, UI_MEDIUM, t->text_muted, *area, UI_LEFT, false) + ui_px(ui, 8));
	int lh = text_line_height(ui->cache, UI_SEMIBOLD, ui_font_px(ui, t->font_heading));
	struct ui_rect box = ui_cut_top(area, lines * lh + 2 * ui_px(ui, t->space_s) + ui_px(ui, 8));
	ui_round_border(ui, box, ui_px(ui, t->radius_small), ui_px(ui, focus ? t->border_width + 1 : 2),
			focus ? t->primary : t->border, t->surface);
	ui_hotspot(ui, id, box);
	char shown[300];
	snprintf(shown, sizeof shown, "%s%s", text, focus ? "|" : "");
	ui_text(ui, shown, t->font_heading, UI_SEMIBOLD, t->text, ui_inset(box, ui_px(ui, t->space_s)), UI_LEFT, lines > 1);
	ui_cut_top(area, ui_px(ui, t->space_m));
}

static void error_line(struct ui *ui, const struct flow *f, struct ui_rect *area)
{
	if (!f->s.error_key[0])
		return;
	ui_cut_top(area, ui_text(ui, ui_tr(ui, f->s.error_key), ui->t->font_body, UI_MEDIUM, ui->t->danger, *area, UI_LEFT, true) +
				 ui_px(ui, ui->t->space_s));
}

/* An input screen: the keys (keys_h high) and the send button stay where the hand is (below;
 * on a landscape screen at the right), the title and fields above them scroll as one page
 * when large text makes them taller than the room.  Returns the page to lay out into. */
static struct ui_rect input_layout(struct ui *ui, struct ui_rect *area, int keys_h, struct ui_rect *keys,
				   struct ui_rect *send)
{
	const struct theme *t = ui->t;
	int gap = ui_px(ui, t->space_m);
	struct ui_rect side = *area;
	if (ui->landscape) {
		side = ui_cut_right(area, area->w / 2);
		ui_cut_right(area, gap);
	}
	*send = ui_cut_bottom(&side, ui_px(ui, t->button_height));
	ui_cut_bottom(&side, gap);
	*keys = ui_cut_bottom(&side, keys_h);
	if (!ui->landscape) {
		ui_cut_bottom(&side, gap);
		*area = side;
	}
	return ui_scroll_begin(ui, *area);
}

static int keypad_rows_height(struct ui *ui)
{
	return 4 * ui_px(ui, 110) + 3 * ui_px(ui, ui->t->space_s);
}

void screen_ereceipt(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area)
{
	(void)ctx;
	const struct theme *t = ui->t;
	int gap = ui_px(ui, t->space_m);
	struct ui_rect keys, send;
	struct ui_rect page = input_layout(ui, &area, f->s.contact_email ? ui_px(ui, 560) : keypad_rows_height(ui), &keys, &send);
	int top = page.y;
	chrome_title(ui, &page, ui_tr(ui, "ereceipt.title"), ui_tr(ui, "ereceipt.subtitle"));
	struct ui_rect tabs = ui_cut_top(&page, ui_px(ui, t->button_height));
	struct ui_rect l = ui_cut_left(&tabs, (tabs.w - gap) / 2);
	ui_cut_left(&tabs, gap);
	ui_button(ui, "contact_phone", ui_tr(ui, "ereceipt.phone"), "phone", l, f->s.contact_email ? UI_GHOST : UI_PRIMARY, true);
	ui_button(ui, "contact_email", ui_tr(ui, "ereceipt.email"), "description", tabs, f->s.contact_email ? UI_PRIMARY : UI_GHOST, true);
	ui_cut_top(&page, gap);
	char shown[96];
	if (f->s.contact_email)
		snprintf(shown, sizeof shown, "%s", f->s.contact);
	else
		fmt_phone_typed(f->s.contact, shown, sizeof shown);
	field(ui, &page, "field_contact", ui_tr(ui, f->s.contact_email ? "ereceipt.email" : "ereceipt.phone"), shown, true, 1);
	error_line(ui, f, &page);
	ui_scroll_end(ui, page.y - top);
	if (f->s.contact_email)
		keyboard(ui, keys, false, true); /* addresses are Latin */
	else
		ui_keypad(ui, keys, false, false);
	ui_button(ui, "send_ereceipt", ui_tr(ui, f->s.sending ? "ereceipt.sending" : "ereceipt.send"), "check_circle", send,
		  UI_PRIMARY, !f->s.sending);
}

void screen_request(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area)
{
	(void)ctx;
	struct ui_rect keys, send;
	struct ui_rect page = input_layout(ui, &area, f->s.request_field == 0 ? keypad_rows_height(ui) : ui_px(ui, 520),
					   &keys, &send);
	int top = page.y;
	chrome_title(ui, &page, ui_tr(ui, f->s.request_kind ? "request.title_change" : "request.title_question"),
		     ui_tr(ui, "request.subtitle"));
	char acc[24] = "";
	size_t n = strlen(f->s.request_acc);
	for (size_t i = 0, o = 0; i < n && o + 2 < sizeof acc; i++) {
		if (i == 5)
			acc[o++] = '-';
		acc[o++] = f->s.request_acc[i];
		acc[o] = '\0';
	}
	field(ui, &page, "field_account", ui_tr(ui, "request.account"), acc, f->s.request_field == 0, 1);
	field(ui, &page, "field_text", ui_tr(ui, "request.text"), f->s.request_text, f->s.request_field == 1, 3);
	error_line(ui, f, &page);
	ui_scroll_end(ui, page.y - top);
	if (f->s.request_field == 0)
		ui_keypad(ui, keys, true, n == FLOW_ACCOUNT_DIGITS);
	else
		keyboard(ui, keys, f->s.kb_cyrillic, false);
	ui_button(ui, "send_request", ui_tr(ui, f->s.sending ? "ereceipt.sending" : "request.send"), "check_circle", send,
		  UI_PRIMARY, !f->s.sending);
}
