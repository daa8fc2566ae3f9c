/* Text, icons and widgets; hit-testing and press/release against the last frame. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/base/log.h"
#include "kiosk/base/utf8.h"
#include "ui/icons.h"
#include "ui/overflow.h"
#include "ui/text.h"
#include "ui/ui.h"

static void log_text(struct ui *ui, const char *s)
{
	size_t n = strlen(s);
	if (ui->text_len + n + 2 >= UI_TEXT_LOG)
		return;
	memcpy(ui->text_log + ui->text_len, s, n);
	ui->text_len += n;
	ui->text_log[ui->text_len++] = '\n';
	ui->text_log[ui->text_len] = '\0';
}

#define FIT_SPACES 128 /* break candidates looked at in one line (a 1080 px line holds ~40 words) */

/* Next line of s that fits in width: returns its byte length; *next is where the following
 * line starts (spaces at the break are dropped).  The line ends at the last space whose
 * prefix fits (or at the end of the paragraph when all of it fits).  A longer prefix is
 * never narrower, so the first space that does not fit is found by bisection: a
 * paragraph of k words costs about log2(k) + 1 shapings, not k + 1 (the first frame of a
 * screen shapes every prefix it tries). */
static size_t fit_line(struct ui *ui, const char *s, enum ui_weight wt, int px, int width,
		       const char **next)
{
	size_t cand[FIT_SPACES], end = 0;
	int k = 0;
	bool more = false; /* a space past the FIT_SPACES looked at: the line ends by then */
	for (; s[end] && s[end] != '\n'; end++)
		if (s[end] == ' ') {
			if (k == FIT_SPACES) {
				more = true;
				break;
			}
			cand[k++] = end;
		}
	/* lo: spaces known to fit; hi: the first known not to (k: none found so far). */
	int lo = 0, hi = k;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (text_measure(ui->cache, s, cand[mid], wt, px) > width)
			hi = mid;
		else
			lo = mid + 1;
	}
	size_t best = lo > 0 ? cand[lo - 1] : 0;
	if (lo == k && !more && (text_measure(ui->cache, s, end, wt, px) <= width || best == 0))
		best = end;
	if (best == 0) { /* a single word wider than the box: break it at the box */
		while (s[best] && s[best] != '\n' && s[best] != ' ')
			best++;
	}
	const char *n = s + best;
	while (*n == ' ')
		n++;
	if (*n == '\n')
		n++;
	*next = n;
	return best;
}

int ui_text(struct ui *ui, const char *s, int size, enum ui_weight wt, struct theme_color c,
	    struct ui_rect box, enum ui_align align, bool wrap)
{
	log_text(ui, s);
	int px = ui_font_px(ui, size);
	int lh = text_line_height(ui->cache, wt, px);
	int y = box.y, used = 0;
	struct ui_rect ink = { 0, 0, 0, 0 };
	const char *p = s;
	while (*p) {
		const char *next;
		size_t len = wrap ? fit_line(ui, p, wt, px, box.w, &next) : strcspn(p, "\n");
		if (!wrap)
			next = p + len + (p[len] == '\n');
		int w = 0, h = 0;
		const struct text_img *t = len ? text_cache_get(ui->cache, p, len, wt, px, c, &w, &h) : NULL;
		int x = box.x;
		if (align == UI_CENTER)
			x = box.x + (box.w - w) / 2;
		else if (align == UI_RIGHT)
			x = box.x + box.w - w;
		text_draw(ui->cache, t, x, y);
		if (overflow_on(ui))
			ink = ui_union(ink, text_ink(t, x, y));
		y += lh;
		used += lh;
		p = next;
	}
	overflow_note(ui, s, ink, box);
	return used;
}

int ui_text_height(struct ui *ui, const char *s, int size, enum ui_weight wt, int width)
{
	int px = ui_font_px(ui, size);
	int lh = text_line_height(ui->cache, wt, px), h = 0;
	for (const char *p = s, *next; *p; p = next) {
		fit_line(ui, p, wt, px, width, &next);
		h += lh;
	}
	return h;
}

int ui_text_width(struct ui *ui, const char *s, int size, enum ui_weight wt)
{
	return text_measure(ui->cache, s, strlen(s), wt, ui_font_px(ui, size));
}

void ui_icon(struct ui *ui, const char *name, int size, struct theme_color c, int cx, int cy)
{
	uint32_t cp = icon_codepoint(name);
	if (!cp) {
		log_error("ui", "unknown_icon", "name=%s", name);
		return;
	}
	char s[UTF8_MAX];
	int n = utf8_encode(cp, s);
	int w, h;
	const struct text_img *t = text_cache_get(ui->cache, s, (size_t)n, UI_ICON, ui_px(ui, size), c, &w, &h);
	if (!t)
		return;
	text_draw(ui->cache, t, cx - w / 2, cy - h / 2);
	if (overflow_on(ui)) {
		char what[48];
		snprintf(what, sizeof what, "icon:%s", name);
		struct ui_rect ink = text_ink(t, cx - w / 2, cy - h / 2);
		overflow_note(ui, what, ink, ink);
	}
}

static void register_widget(struct ui *ui, const char *id, const char *label, struct ui_rect r, bool enabled)
{
	if (ui->in_scroll) {
		/* Only the visible part of a scrolled widget can be touched. */
		struct ui_rect c = ui->scroll_clip;
		int y0 = r.y > c.y ? r.y : c.y, y1 = r.y + r.h < c.y + c.h ? r.y + r.h : c.y + c.h;
		if (y1 - y0 < r.h / 2) {
			if (ui->nhidden < (int)(sizeof ui->hidden / sizeof ui->hidden[0])) {
				snprintf(ui->hidden[ui->nhidden].id, UI_ID_LEN, "%s", id);
				ui->hidden[ui->nhidden].y = r.y;
				ui->hidden[ui->nhidden].h = r.h;
				ui->nhidden++;
			}
			return;
		}
		r.y = y0;
		r.h = y1 - y0;
	}
	if (ui->nwidgets == UI_MAX_WIDGETS) {
		log_error("ui", "too_many_widgets", "id=%s", id);
		return;
	}
	struct ui_widget *w = &ui->widgets[ui->nwidgets++];
	snprintf(w->id, sizeof w->id, "%s", id);
	/* whole characters only: a label cut inside one would not be UTF-8 */
	size_t n = label ? strlen(label) : 0;
	if (n >= sizeof w->label)
		for (n = sizeof w->label - 1; n && ((unsigned char)label[n] & 0xC0) == 0x80; n--)
			;
	memcpy(w->label, label ? label : "", n);
	w->label[n] = '\0';
	w->r = r;
	w->enabled = enabled;
}

void ui_hotspot(struct ui *ui, const char *id, struct ui_rect r)
{
	register_widget(ui, id, NULL, r, true);
}

struct button_fit {
	int fs;    /* label size (design px) */
	bool icon; /* the icon is drawn */
	bool wrap; /* the label wraps under the icon */
};

/* The largest label size at which label (and its icon) fits in body: on one line down to
 * the body size, then wrapped (the icon above while there is room for it), then smaller
 * still, to 60 % of the asked size.  A label never leaves its button. */
static struct button_fit button_fit(struct ui *ui, const char *label, bool icon, int fs, struct ui_rect body)
{
	const struct theme *t = ui->t;
	int gap = ui_px(ui, t->space_s), inner_w = body.w - 2 * gap, inner_h = body.h - gap / 2;
	if (!label) { /* an icon alone: as large as asked, or as the button allows */
		while (fs > 8 && ui_px(ui, fs * 5 / 4) > inner_h)
			fs -= 2;
		return (struct button_fit){ fs, icon, false };
	}
	/* Below 60 % of the asked size only when nothing else fits (a long word in a narrow
	 * button): small is readable, cut off is not. */
	int floor = 12;
	int one_line_floor = fs > t->font_body ? t->font_body : fs;
	for (int f = fs; f >= one_line_floor; f -= 2) {
		int iw = icon ? ui_px(ui, f * 5 / 4) + gap : 0;
		int lh = text_line_height(ui->cache, UI_SEMIBOLD, ui_font_px(ui, f));
		if (ui_text_width(ui, label, f, UI_SEMIBOLD) + iw <= inner_w && lh <= inner_h)
			return (struct button_fit){ f, icon, false };
	}
	for (int f = fs; f >= floor; f -= 2) {
		int th = ui_text_height(ui, label, f, UI_SEMIBOLD, inner_w);
		bool words_fit = true;
		for (const char *p = label; *p && words_fit;) { /* no single word wider than the button */
			size_t n = strcspn(p, " \n");
			char word[UI_LABEL_LEN];
			snprintf(word, sizeof word, "%.*s", (int)n, p);
			words_fit = ui_text_width(ui, word, f, UI_SEMIBOLD) <= inner_w;
			p += n;
			p += strspn(p, " \n");
		}
		if (!words_fit)
			continue;
		if (icon && th + ui_px(ui, f * 5 / 4) <= inner_h && f >= fs * 6 / 10)
			return (struct button_fit){ f, true, true };
		if (th <= inner_h)
			return (struct button_fit){ f, false, true };
	}
	return (struct button_fit){ floor, false, true };
}

bool ui_button(struct ui *ui, const char *id, const char *label, const char *icon,
	       struct ui_rect r, enum ui_style style, bool enabled)
{
	return ui_button_ex(ui, id, label, icon, r, style, enabled, 0);
}

bool ui_button_ex(struct ui *ui, const char *id, const char *label, const char *icon,
		  struct ui_rect r, enum ui_style style, bool enabled, int font)
{
	const struct theme *t = ui->t;
	bool pressed = enabled && strcmp(ui->pressed, id) == 0;
	struct theme_color bg, fg;
	switch (style) {
	case UI_PRIMARY:
		bg = pressed ? t->primary_pressed : t->primary;
		fg = t->on_primary;
		break;
	case UI_DANGER:
		bg = t->danger;
		fg = t->on_primary;
		break;
	case UI_GHOST:
		bg = pressed ? t->secondary_pressed : t->surface;
		fg = t->on_secondary;
		break;
	case UI_SECONDARY:
	case UI_KEY:
	default:
		bg = pressed ? t->secondary_pressed : (style == UI_KEY ? t->surface : t->secondary);
		fg = t->on_secondary;
		break;
	}
	if (!enabled) {
		bg = t->surface_alt;
		fg = t->text_muted;
	}
	int rad = ui_px(ui, t->radius);
	struct ui_rect body = r;
	if (pressed) /* sink a little under the finger */
		body = (struct ui_rect){ r.x + ui_px(ui, 3), r.y + ui_px(ui, 4), r.w - ui_px(ui, 6), r.h - ui_px(ui, 6) };
	else if (style == UI_PRIMARY || style == UI_KEY || style == UI_GHOST)
		ui_shadow(ui, r, rad, ui_px(ui, 5), (struct theme_color){ 10, 30, 80, 28 });
	if (style == UI_KEY || style == UI_GHOST || (style == UI_SECONDARY && t->secondary.r == t->bg.r))
		ui_round_border(ui, body, rad, ui_px(ui, t->border_width), pressed ? t->primary : t->border, bg);
	else
		ui_fill_round(ui, body, rad, bg);

	overflow_widget_begin(ui, id, body);
	int fs = font ? font : style == UI_KEY ? t->font_title : t->font_button;
	struct button_fit fit = button_fit(ui, label, icon != NULL, fs, body);
	int icon_sz = (int)((float)fit.fs * 1.25f);
	int gap = ui_px(ui, t->space_s);
	int iw = fit.icon ? ui_px(ui, icon_sz) : 0;
	int lh = text_line_height(ui->cache, UI_SEMIBOLD, ui_font_px(ui, fit.fs));
	if (fit.wrap) {
		/* Too long for one line: icon above, text wrapped below, the block centred. */
		int th = ui_text_height(ui, label, fit.fs, UI_SEMIBOLD, body.w - 2 * gap);
		int y = body.y + (body.h - th - (fit.icon ? iw : 0)) / 2;
		if (fit.icon) {
			ui_icon(ui, icon, icon_sz, fg, body.x + body.w / 2, y + iw / 2);
			y += iw;
		}
		ui_text(ui, label, fit.fs, UI_SEMIBOLD, fg, (struct ui_rect){ body.x + gap, y, body.w - 2 * gap, th },
			UI_CENTER, true);
	} else {
		int tw = label ? ui_text_width(ui, label, fit.fs, UI_SEMIBOLD) : 0;
		int total = tw + iw + (label && fit.icon ? gap : 0);
		int x = body.x + (body.w - total) / 2;
		if (fit.icon)
			ui_icon(ui, icon, icon_sz, fg, x + iw / 2, body.y + body.h / 2);
		if (label)
			ui_text(ui, label, fit.fs, UI_SEMIBOLD, fg,
				(struct ui_rect){ x + iw + (fit.icon ? gap : 0), body.y + (body.h - lh) / 2, tw + 2, lh },
				UI_LEFT, false);
	}
	overflow_widget_end(ui);
	register_widget(ui, id, label, r, enabled);
	return pressed;
}

/* The digit keys in r's rows: 1–9, then ⌫, 0 and LAST ("ok", "comma", or NULL for none);
 * returns the key height (a fifth row, when rows is 5, is the caller's). */
static int digit_keys(struct ui *ui, struct ui_rect r, int rows, const char *last, bool ok_enabled)
{
	static const char *const keys[11] = { "1", "2", "3", "4", "5", "6", "7", "8", "9", "del", "0" };
	int gap = ui_px(ui, ui->t->space_s);
	int kw = (r.w - 2 * gap) / 3, kh = (r.h - (rows - 1) * gap) / rows;
	for (int i = 0; i < 12; i++) {
		struct ui_rect k = { r.x + (i % 3) * (kw + gap), r.y + (i / 3) * (kh + gap), kw, kh };
		char id[16];
		snprintf(id, sizeof id, "key_%s", i < 11 ? keys[i] : last ? last : "");
		if (i == 9)
			ui_button(ui, id, NULL, "backspace", k, UI_KEY, true);
		else if (i < 11)
			ui_button(ui, id, keys[i], NULL, k, UI_KEY, true);
		else if (last && strcmp(last, "ok") == 0)
			ui_button(ui, id, ui_tr(ui, "keypad.ok"), NULL, k, UI_PRIMARY, ok_enabled);
		else if (last)
			ui_button(ui, id, ",", NULL, k, UI_KEY, true);
	}
	return kh;
}

void ui_keypad(struct ui *ui, struct ui_rect r, bool with_ok, bool ok_enabled)
{
	digit_keys(ui, r, 4, with_ok ? "ok" : NULL, ok_enabled);
}

void ui_keypad_decimal(struct ui *ui, struct ui_rect r, bool ok_enabled)
{
	/* The digits where ui_keypad has them, ⌫ and 0 too; the comma takes OK's place beside
	 * the 0 and OK gets a row of its own. */
	int gap = ui_px(ui, ui->t->space_s);
	int kh = digit_keys(ui, r, 5, "comma", ok_enabled);
	ui_button(ui, "key_ok", ui_tr(ui, "keypad.ok"), NULL, (struct ui_rect){ r.x, r.y + 4 * (kh + gap), r.w, kh },
		  UI_PRIMARY, ok_enabled);
}

void ui_banner(struct ui *ui, struct ui_rect r, const char *icon, const char *text,
	       struct theme_color bg, struct theme_color fg)
{
	ui_fill_round(ui, r, ui_px(ui, ui->t->radius_small), bg);
	int pad = ui_px(ui, ui->t->space_m);
	int x = r.x + pad;
	if (icon) {
		ui_icon(ui, icon, ui->t->font_heading, fg, x + ui_px(ui, ui->t->font_heading) / 2, r.y + r.h / 2);
		x += ui_px(ui, ui->t->font_heading) + ui_px(ui, ui->t->space_s);
	}
	int w = r.x + r.w - pad - x;
	int th = ui_text_height(ui, text, ui->t->font_body, UI_MEDIUM, w);
	ui_text(ui, text, ui->t->font_body, UI_MEDIUM, fg,
		(struct ui_rect){ x, r.y + (r.h - th) / 2, w, r.h }, UI_LEFT, true);
}

const struct ui_widget *ui_find(const struct ui *ui, const char *id)
{
	for (int i = ui->nwidgets - 1; i >= 0; i--)
		if (strcmp(ui->widgets[i].id, id) == 0)
			return &ui->widgets[i];
	return NULL;
}

const struct ui_widget *ui_hit(const struct ui *ui, int x, int y)
{
	/* Later widgets are drawn on top (overlays): search from the end. */
	for (int i = ui->nwidgets - 1; i >= 0; i--) {
		const struct ui_widget *w = &ui->widgets[i];
		if (x >= w->r.x && x < w->r.x + w->r.w && y >= w->r.y && y < w->r.y + w->r.h)
			return w;
	}
	return NULL;
}

struct ui_rect ui_scroll_begin(struct ui *ui, struct ui_rect r)
{
	ui->scroll_r = r;
	ui->scroll_clip = r;
	ui->in_scroll = true;
	if (ui->ren)
		SDL_RenderSetClipRect(ui->ren, &(SDL_Rect){ r.x, r.y, r.w, r.h });
	return (struct ui_rect){ r.x, r.y - ui->scroll_offset, r.w, 1 << 20 };
}

void ui_scroll_end(struct ui *ui, int content_h)
{
	if (ui->ren)
		SDL_RenderSetClipRect(ui->ren, NULL);
	ui->in_scroll = false;
	struct ui_rect r = ui->scroll_r;
	ui->scroll_max = content_h > r.h ? content_h - r.h : 0;
	if (ui->scroll_offset > ui->scroll_max)
		ui->scroll_offset = ui->scroll_max;
	if (ui->scroll_max > 0) {
		/* A scroll bar says there is more below (or above). */
		int bar_h = r.h * r.h / content_h;
		int y = r.y + (r.h - bar_h) * ui->scroll_offset / ui->scroll_max;
		int bw = ui_px(ui, 10);
		ui_fill_round(ui, (struct ui_rect){ r.x + r.w + ui_px(ui, 14), r.y, bw, r.h }, bw / 2, ui->t->surface_alt);
		ui_fill_round(ui, (struct ui_rect){ r.x + r.w + ui_px(ui, 14), y, bw, bar_h }, bw / 2, ui->t->text_muted);
	}
}

bool ui_reveal(struct ui *ui, const char *id)
{
	for (int i = 0; i < ui->nhidden; i++) {
		if (strcmp(ui->hidden[i].id, id) != 0)
			continue;
		struct ui_rect c = ui->scroll_clip;
		int y = ui->hidden[i].y, h = ui->hidden[i].h;
		if (y + h > c.y + c.h)
			ui->scroll_offset += y + h - (c.y + c.h);
		else if (y < c.y)
			ui->scroll_offset -= c.y - y;
		if (ui->scroll_offset > ui->scroll_max)
			ui->scroll_offset = ui->scroll_max;
		if (ui->scroll_offset < 0)
			ui->scroll_offset = 0;
		ui->dirty = true;
		return true;
	}
	return false;
}

void ui_scroll_reset(struct ui *ui)
{
	ui->scroll_offset = 0;
	ui->scroll_max = 0;
	ui->scroll_r = (struct ui_rect){ 0, 0, 0, 0 };
}

void ui_drag(struct ui *ui, int x, int y)
{
	(void)x;
	if (!ui->down)
		return;
	struct ui_rect r = ui->scroll_r;
	bool inside = ui->down_x >= r.x && ui->down_x < r.x + r.w && ui->down_y >= r.y && ui->down_y < r.y + r.h;
	if (!inside || ui->scroll_max == 0)
		return;
	if (!ui->dragging && abs(y - ui->down_y) > ui_px(ui, 24)) {
		ui->dragging = true;
		ui->pressed[0] = '\0'; /* a drag is not a tap */
	}
	if (ui->dragging) {
		ui->scroll_offset -= y - ui->last_y;
		if (ui->scroll_offset < 0)
			ui->scroll_offset = 0;
		if (ui->scroll_offset > ui->scroll_max)
			ui->scroll_offset = ui->scroll_max;
		ui->dirty = true;
	}
	ui->last_y = y;
}

void ui_press(struct ui *ui, int x, int y, int64_t now_ms)
{
	ui->down = true;
	ui->dragging = false;
	ui->down_x = x;
	ui->down_y = ui->last_y = y;
	const struct ui_widget *w = ui_hit(ui, x, y);
	ui->pressed[0] = '\0';
	if (w && w->enabled)
		snprintf(ui->pressed, sizeof ui->pressed, "%s", w->id);
	ui->pressed_at_ms = now_ms;
	ui->dirty = true;
}

const char *ui_release(struct ui *ui, int x, int y, int64_t now_ms, int64_t *ret_held_ms)
{
	static char tapped[UI_ID_LEN];
	const struct ui_widget *w = ui_hit(ui, x, y);
	const char *r = NULL;
	ui->down = false;
	/* A tap counts only where it started: sliding off a button cancels it. */
	if (w && w->enabled && ui->pressed[0] && strcmp(w->id, ui->pressed) == 0) {
		snprintf(tapped, sizeof tapped, "%s", w->id);
		r = tapped;
		*ret_held_ms = now_ms - ui->pressed_at_ms;
	}
	ui->pressed[0] = '\0';
	ui->dirty = true;
	return r;
}
