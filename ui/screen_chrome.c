/* What every screen shares: header, footer switches, titles, cards and the prompt. */
#include <stdio.h>
#include <string.h>

#include "kiosk/base/tz.h"
#include "ui/overflow.h"
#include "ui/screens.h"

static void format_clock(struct ui *ui, int64_t wall_ms, char *hm, size_t hmcap, char *date, size_t dcap)
{
	struct tz_civil c;
	tz_local(wall_ms, &c);
	tz_fmt_hm(wall_ms, hm, hmcap);
	char mk[24], wk[24];
	snprintf(mk, sizeof mk, "month_gen.%d", c.month);
	snprintf(wk, sizeof wk, "weekday.%d", c.wday);
	snprintf(date, dcap, "%s, %d %s", ui_tr(ui, wk), c.day, ui_tr(ui, mk));
}

static void status_pill(struct ui *ui, const struct flow *f, int left, int cy)
{
	const struct theme *t = ui->t;
	const char *label = ui_tr(ui, f->online ? "status.online" : "status.offline");
	int fs = t->font_caption;
	int h = (int)((float)ui_px(ui, 56) * ui->text_scale), pad = ui_px(ui, 20), dot = ui_px(ui, 16);
	int w = ui_text_width(ui, label, fs, UI_MEDIUM) + 2 * pad + dot + ui_px(ui, 12);
	struct ui_rect r = { left, cy - h / 2, w, h };
	struct theme_color bg = t->header;
	bg.r = (uint8_t)(bg.r + (255 - bg.r) / 6);
	bg.g = (uint8_t)(bg.g + (255 - bg.g) / 6);
	bg.b = (uint8_t)(bg.b + (255 - bg.b) / 6);
	ui_fill_round(ui, r, h / 2, bg);
	ui_fill_round(ui, (struct ui_rect){ r.x + pad, cy - dot / 2, dot, dot }, dot / 2,
		      f->online ? t->success : t->warning);
	ui_text(ui, label, fs, UI_MEDIUM, t->on_header,
		(struct ui_rect){ r.x + pad + dot + ui_px(ui, 12), cy - ui_font_px(ui, fs) * 6 / 10, w, h }, UI_LEFT, false);
}

static void header(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect r)
{
	const struct theme *t = ui->t;
	float k = ui->text_scale; /* the header's rows move down as its words grow */
	ui_fill_rect(ui, r, t->header);
	if (f->high_contrast)
		ui_fill_rect(ui, (struct ui_rect){ r.x, r.y + r.h - ui_px(ui, 3), r.w, ui_px(ui, 3) }, t->border);
	int pad = ui_px(ui, t->space_l);
	struct ui_rect in = { r.x + pad, r.y, r.w - 2 * pad, r.h };
	char hm[8], date[64];
	format_clock(ui, ctx->wall_ms, hm, sizeof hm, date, sizeof date);
	/* Right: time over date; left: emblem and organisation. */
	int tw = ui_text_width(ui, hm, t->font_title, UI_SEMIBOLD);
	int dw = ui_text_width(ui, date, t->font_caption, UI_REGULAR);
	int rw = tw > dw ? tw : dw;
	struct ui_rect right = ui_cut_right(&in, rw);
	ui_text(ui, hm, t->font_title, UI_SEMIBOLD, t->on_header,
		(struct ui_rect){ right.x, r.y + (int)((float)ui_px(ui, 26) * k), right.w, 0 }, UI_RIGHT, false);
	ui_text(ui, date, t->font_caption, UI_REGULAR, t->on_header,
		(struct ui_rect){ right.x, r.y + (int)((float)ui_px(ui, 100) * k), right.w, 0 }, UI_RIGHT, false);
	int ic = ui_px(ui, 96);
	ui_fill_round(ui, (struct ui_rect){ in.x, r.y + (r.h - ic) / 2, ic, ic }, ui_px(ui, 24),
		      f->high_contrast ? t->primary : (struct theme_color){ 255, 255, 255, 40 });
	ui_icon(ui, "account_balance", 60, f->high_contrast ? t->on_primary : t->on_header, in.x + ic / 2,
		r.y + r.h / 2);
	ui_cut_left(&in, ic + ui_px(ui, t->space_m));
	int name_fs = t->font_heading;
	while (name_fs > t->font_caption && ui_text_width(ui, ctx->cfg->org_name, name_fs, UI_BOLD) > in.w - ui_px(ui, t->space_m))
		name_fs -= 4;
	ui_text(ui, ctx->cfg->org_name, name_fs, UI_BOLD, t->on_header,
		(struct ui_rect){ in.x, r.y + (int)((float)ui_px(ui, 22) * k), in.w, 0 }, UI_LEFT, false);
	status_pill(ui, f, in.x, r.y + (int)((float)ui_px(ui, 122) * k));
}

/* Width of a footer button holding label (and an icon) at size fs: measured, so a label
 * never leaves its button in any language or theme. */
static int label_width(struct ui *ui, const char *label, bool icon, int fs)
{
	const struct theme *t = ui->t;
	int gap = ui_px(ui, t->space_s);
	int w = 2 * gap + ui_px(ui, 6); /* ui_button's padding, and its sink when pressed */
	if (label)
		w += ui_text_width(ui, label, fs, UI_SEMIBOLD);
	if (icon)
		w += ui_px(ui, fs * 5 / 4) + (label ? gap : 0);
	return w;
}

/* The language, large-text and contrast switches: on every screen; the voice switch where
 * attract's large button is not (and only with speech.enabled). */
static void switches(struct ui *ui, const struct flow *f, struct ui_rect r, bool labels, bool voice)
{
	const struct theme *t = ui->t;
	int gap = ui_px(ui, t->space_s);
	int fs = t->font_body;
	int n = voice ? 4 : 3;
	const char *lang = ui_tr(ui, "switch.lang");
	/* Labelled switches share the row; icon-only ones are squares (narrower with a fourth)
	 * and the language gets the rest, at least its name's width. */
	int bw = labels ? (r.w - (n - 1) * gap) / n : voice ? r.h * 3 / 4 : r.h;
	int lang_w = label_width(ui, lang, labels, fs);
	if (!labels && r.w - (n - 1) * (bw + gap) < lang_w)
		bw = (r.w - lang_w) / (n - 1) - gap;
	struct ui_rect c = ui_cut_right(&r, bw);
	ui_button_ex(ui, "contrast", labels ? ui_tr(ui, "switch.contrast") : NULL, "contrast", c, UI_GHOST, true, fs);
	ui_cut_right(&r, gap);
	c = ui_cut_right(&r, bw);
	ui_button_ex(ui, "large_text", labels ? ui_tr(ui, f->large_text ? "switch.normal_text" : "switch.large_text") : NULL,
		     "text_increase", c, UI_GHOST, true, fs);
	ui_cut_right(&r, gap);
	if (voice) {
		c = ui_cut_right(&r, bw);
		ui_button_ex(ui, "voice", labels ? ui_tr(ui, "switch.voice") : NULL, "record_voice_over", c,
			     f->voice ? UI_PRIMARY : UI_GHOST, true, fs);
		ui_cut_right(&r, gap);
	}
	if (!labels) /* as wide as its name needs, a little wider than a square at least */
		c = ui_cut_right(&r, lang_w > r.h * 3 / 2 ? lang_w : r.h * 3 / 2);
	else
		c = ui_cut_right(&r, bw);
	/* The switch names the other language in that language. */
	ui_button_ex(ui, "lang", lang, labels ? "language" : NULL, c, UI_GHOST, true, fs);
}

struct ui_rect chrome_draw(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, bool nav)
{
	const struct theme *t = ui->t;
	struct ui_rect all = { 0, 0, ui->w, ui->h };
	/* Large text enlarges the chrome's words too: the header grows with them. */
	header(ui, f, ctx, ui_cut_top(&all, (int)((float)ui_px(ui, 170) * ui->text_scale)));
	int pad = ui_px(ui, t->space_l);
	struct ui_rect foot = ui_cut_bottom(&all, ui_px(ui, t->button_height) + 2 * ui_px(ui, t->space_m));
	ui_fill_rect(ui, foot, t->surface);
	ui_fill_rect(ui, (struct ui_rect){ foot.x, foot.y, foot.w, ui_px(ui, 2) }, t->border);
	foot = (struct ui_rect){ foot.x + pad, foot.y + ui_px(ui, t->space_m), foot.w - 2 * pad,
				 ui_px(ui, t->button_height) };
	if (nav) {
		int gap = ui_px(ui, t->space_s);
		/* Back keeps its word when the switches leave room for it, else its arrow. */
		const char *back = ui_tr(ui, "nav.back");
		int n = f->cfg.voice_available ? 4 : 3;
		int rest = foot.w - foot.h - 2 * gap - (n - 1) * (foot.h * 3 / 4 + gap) -
			   label_width(ui, ui_tr(ui, "switch.lang"), false, t->font_body);
		int bw = label_width(ui, back, true, t->font_button);
		if (bw > rest) {
			back = NULL;
			bw = foot.h;
		}
		if (bw < ui_px(ui, ui->landscape ? 300 : 250) && bw < rest)
			bw = rest < ui_px(ui, ui->landscape ? 300 : 250) ? rest : ui_px(ui, ui->landscape ? 300 : 250);
		ui_button(ui, "back", back, "arrow_back", ui_cut_left(&foot, bw), UI_SECONDARY, true);
		ui_cut_left(&foot, gap);
		ui_button(ui, "home", NULL, "home", ui_cut_left(&foot, foot.h), UI_SECONDARY, true);
		ui_cut_left(&foot, gap);
		switches(ui, f, foot, false, f->cfg.voice_available);
	} else {
		switches(ui, f, foot, true, f->cfg.voice_available && f->screen != SCREEN_ATTRACT);
	}
	ui_fill_rect(ui, all, t->bg); /* between header and footer: no full clear under them */
	if (!f->online) {
		/* "payments are accepted" only while they are */
		const char *msg = ui_tr(ui, flow_oos_why_key(f) || !f->pinpad_ok ? "banner.offline_no_pay" : "banner.offline");
		int tw = all.w - 2 * ui_px(ui, t->space_s) - 2 * ui_px(ui, t->space_m) - ui_px(ui, t->font_heading + t->space_s);
		int bh = ui_text_height(ui, msg, t->font_body, UI_MEDIUM, tw) + 2 * ui_px(ui, t->space_m);
		struct ui_rect b = ui_cut_top(&all, bh);
		ui_banner(ui, ui_inset(b, ui_px(ui, t->space_s)), "cloud_off", msg,
			  t->warning, t->on_primary);
	}
	return (struct ui_rect){ all.x + pad, all.y + ui_px(ui, t->space_l), all.w - 2 * pad,
				 all.h - 2 * ui_px(ui, t->space_l) };
}

void chrome_title(struct ui *ui, struct ui_rect *area, const char *title, const char *subtitle)
{
	const struct theme *t = ui->t;
	int h = ui_text(ui, title, t->font_title, UI_BOLD, t->text, *area, UI_LEFT, true);
	ui_cut_top(area, h + ui_px(ui, t->space_s));
	if (subtitle) {
		h = ui_text(ui, subtitle, t->font_body, UI_REGULAR, t->text_muted, *area, UI_LEFT, true);
		ui_cut_top(area, h);
	}
	ui_cut_top(area, ui_px(ui, t->space_l));
}

void chrome_card(struct ui *ui, struct ui_rect r)
{
	const struct theme *t = ui->t;
	ui_shadow(ui, r, ui_px(ui, t->radius), ui_px(ui, 4), (struct theme_color){ 10, 30, 80, 18 });
	ui_round_border(ui, r, ui_px(ui, t->radius), ui_px(ui, 2), t->border, t->surface);
}

void chrome_prompt(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx)
{
	const struct theme *t = ui->t;
	ui_fill_rect(ui, (struct ui_rect){ 0, 0, ui->w, ui->h }, (struct theme_color){ 0, 0, 0, 150 });
	overflow_cover(ui);
	/* A full-screen target under the card: any touch continues the session. */
	ui_hotspot(ui, "prompt_backdrop", (struct ui_rect){ 0, 0, ui->w, ui->h });
	int64_t left = (f->prompt_since_ms + f->cfg.prompt_ms - ctx->mono_ms + 999) / 1000;
	if (left < 0)
		left = 0;
	char msg[160], num[16];
	snprintf(num, sizeof num, "%d", (int)left);
	ui_fmt(msg, sizeof msg, ui_tr(ui, "prompt.countdown"), num);
	int w = ui_px(ui, 900), pad = ui_px(ui, t->space_l);
	int h = 2 * pad + ui_px(ui, 120) + ui_text_height(ui, ui_tr(ui, "prompt.title"), t->font_title, UI_BOLD, w - 2 * pad) +
		ui_px(ui, t->space_s) + ui_text_height(ui, msg, t->font_body, UI_REGULAR, w - 2 * pad) +
		ui_px(ui, t->space_l) + ui_px(ui, t->button_height);
	struct ui_rect card = { (ui->w - w) / 2, (ui->h - h) / 2, w, h };
	ui_round_border(ui, card, ui_px(ui, t->radius), ui_px(ui, 3), t->border, t->surface);
	struct ui_rect in = ui_inset(card, ui_px(ui, t->space_l));
	ui_icon(ui, "hourglass_empty", 96, t->primary, card.x + card.w / 2, in.y + ui_px(ui, 50));
	ui_cut_top(&in, ui_px(ui, 120));
	ui_cut_top(&in, ui_text(ui, ui_tr(ui, "prompt.title"), t->font_title, UI_BOLD, t->text, in, UI_CENTER, true));
	ui_cut_top(&in, ui_px(ui, t->space_s));
	ui_text(ui, msg, t->font_body, UI_REGULAR, t->text_muted, in, UI_CENTER, true);
	struct ui_rect b = ui_cut_bottom(&in, ui_px(ui, t->button_height));
	ui_button(ui, "still_here", ui_tr(ui, "prompt.continue"), NULL, b, UI_PRIMARY, true);
}
