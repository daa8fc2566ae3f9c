#ifndef UI_UI_H
#define UI_UI_H
/* The UI: one SDL window and renderer, the theme, strings, a cache of rendered text, and
 * an immediate-mode widget layer.  Screens are drawn from the flow's state every frame that
 * something changed; while drawing, widgets register (id, rect) so taps are hit-tested
 * against what is on screen, and texts register so the script's `expect` sees exactly what
 * a resident sees.  Layout is in design pixels of a 1080-wide portrait screen, scaled to
 * the window (ui_px). */
#include <stdbool.h>
#include <stdint.h>

#include <SDL.h>
#include <SDL_ttf.h>

#include "kiosk/base/lang.h"
#include "ui/strings.h"
#include "ui/theme.h"

#define UI_MAX_WIDGETS 128
#define UI_ID_LEN 40
#define UI_TEXT_LOG 8192

enum ui_weight { UI_REGULAR, UI_MEDIUM, UI_SEMIBOLD, UI_BOLD, UI_ICON, UI_WEIGHTS };
enum ui_align { UI_LEFT, UI_CENTER, UI_RIGHT };
enum ui_style { UI_PRIMARY, UI_SECONDARY, UI_GHOST, UI_DANGER, UI_KEY };

struct ui_rect { int x, y, w, h; };

#define UI_LABEL_LEN 96

struct ui_widget {
	char id[UI_ID_LEN];
	char label[UI_LABEL_LEN]; /* the button's text as drawn ("": none), for voice mode */
	struct ui_rect r;
	bool enabled;
};

struct ui;
struct worker;

struct ui_options {
	int width, height;
	bool headless;        /* SDL dummy driver + software renderer */
	bool fullscreen;
	const char *assets;   /* assets directory */
	const char *theme;    /* theme name */
	/* Optional: draws the first frame into R, a ui of the window's size without a
	 * renderer, on ui_create's worker while SDL makes the renderer, so that the real first
	 * frame finds its texts rendered.  It must read only what no other thread writes
	 * until ui_create returns. */
	void (*rehearse)(struct ui *r, void *ud);
	void *rehearse_ud;
};

struct text_cache;

struct ui {
	SDL_Window *win;
	/* NULL: a ui that draws no pixels (ui_create's rehearsal of the first frame): layout,
	 * widgets, the text log and the rendering of texts into the cache happen all the same. */
	SDL_Renderer *ren;
	bool soft;            /* software renderer on a 32-bit window surface: ui/soft.h */
	int w, h;             /* output pixels */
	float scale;          /* output pixels per design pixel */
	bool landscape;
	struct theme themes[2];   /* [0] configured, [1] high contrast */
	const struct theme *t;    /* the one in use this frame */
	struct strings *str;
	enum lang lang;
	float text_scale;     /* 1.0, or larger in large-text mode */
	char font_path[UI_WEIGHTS][256];
	struct text_cache *cache;
	/* Anti-aliased discs whose quarters are the corners of rounded shapes, one per radius
	 * and colour: a texture drawn without colour or alpha modulation takes the software
	 * renderer's fast blitter, and its blit mapping is not rebuilt on every copy. */
	struct { int r; uint32_t rgba; SDL_Texture *tex; } corners[48];
	int corner_next;

	/* Per frame. */
	int nwidgets;
	struct ui_widget widgets[UI_MAX_WIDGETS];
	char text_log[UI_TEXT_LOG];
	size_t text_len;
	char pressed[UI_ID_LEN];  /* widget under the finger, drawn pressed */
	int64_t pressed_at_ms;
	bool down;                /* finger/button down */
	int down_x, down_y, last_y;
	bool dragging;
	/* The scroll area of the current screen (one per screen is enough here). */
	struct ui_rect scroll_r, scroll_clip;
	int scroll_offset, scroll_max;
	bool in_scroll;
	/* Widgets of the scroll area outside its view this frame (ui_reveal). */
	struct { char id[UI_ID_LEN]; int y, h; } hidden[32];
	int nhidden;
	bool dirty;
	uint64_t frames;
	struct worker *startup;   /* ui_create's worker, idle, until the first frame is presented */
	struct overflow *ov;      /* text that does not fit (ui/overflow.h); NULL: not checked */
};

/* Creates the window; NULL with err on failure. */
struct ui *ui_create(const struct ui_options *o, char *err, int errcap);
void ui_destroy(struct ui *ui);

int ui_px(const struct ui *ui, int design);   /* design px -> output px */
int ui_font_px(const struct ui *ui, int design);

/* Frame lifecycle: begin clears the widget and text lists; the caller paints every pixel
 * (ui_clear, or its own opaque areas: a full clear under a full-width header and footer
 * is a fifth of a frame's fill for nothing). */
void ui_frame_begin(struct ui *ui, bool high_contrast, bool large_text, enum lang lang);
void ui_clear(struct ui *ui);      /* the whole window in the theme's background */
void ui_frame_end(struct ui *ui);  /* presents */

const char *ui_tr(struct ui *ui, const char *key);
/* tmpl with its first "{}" replaced by value (strings never carry printf formats). */
char *ui_fmt(char *buf, size_t cap, const char *tmpl, const char *value);

/* Drawing primitives. */
void ui_fill_round(struct ui *ui, struct ui_rect r, int radius, struct theme_color c);
void ui_fill_rect(struct ui *ui, struct ui_rect r, struct theme_color c);
/* The soft shadow `drop` px below a rounded shape (drawn before it). */
void ui_shadow(struct ui *ui, struct ui_rect r, int radius, int drop, struct theme_color c);
void ui_round_border(struct ui *ui, struct ui_rect r, int radius, int bw,
		     struct theme_color border, struct theme_color fill);
/* Text: size in design px (scaled); returns the height used.  wrap: width to wrap at
 * (0: one line).  The text is registered for `expect`. */
int ui_text(struct ui *ui, const char *s, int size, enum ui_weight wt, struct theme_color c,
	    struct ui_rect box, enum ui_align align, bool wrap);
int ui_text_width(struct ui *ui, const char *s, int size, enum ui_weight wt);
/* Height ui_text would use for s wrapped at width. */
int ui_text_height(struct ui *ui, const char *s, int size, enum ui_weight wt, int width);
void ui_icon(struct ui *ui, const char *name, int size, struct theme_color c, int cx, int cy);

/* Widgets (register for hit-testing; drawn pressed when under the finger). */
bool ui_button(struct ui *ui, const char *id, const char *label, const char *icon,
	       struct ui_rect r, enum ui_style style, bool enabled);
/* The same with a given label size (design px; 0: the theme's button size). */
bool ui_button_ex(struct ui *ui, const char *id, const char *label, const char *icon,
		  struct ui_rect r, enum ui_style style, bool enabled, int font);
void ui_hotspot(struct ui *ui, const char *id, struct ui_rect r); /* invisible target */
void ui_keypad(struct ui *ui, struct ui_rect r, bool with_ok, bool ok_enabled);
/* The keypad for a decimal number: key_comma beside key_0, key_ok a full row below (five
 * rows in r). */
void ui_keypad_decimal(struct ui *ui, struct ui_rect r, bool ok_enabled);
void ui_banner(struct ui *ui, struct ui_rect r, const char *icon, const char *text,
	       struct theme_color bg, struct theme_color fg);

/* A vertical scroll area: content drawn between begin and end is shifted by the area's
 * offset and clipped to r; a drag inside r scrolls it (and cancels the tap it started).
 * Widgets outside the visible part are not registered.  begin returns the rectangle to lay
 * content into (full width, unbounded height); end takes the height used. */
struct ui_rect ui_scroll_begin(struct ui *ui, struct ui_rect r);
void ui_scroll_end(struct ui *ui, int content_h);
void ui_scroll_reset(struct ui *ui);
/* Scrolls the area so that widget id, drawn last frame outside its view, comes into view
 * (as a finger would); true when it was there to reveal (draw again, then find it). */
bool ui_reveal(struct ui *ui, const char *id);
/* Pointer motion with the button down (drag scrolling). */
void ui_drag(struct ui *ui, int x, int y);

/* Input: hit-test the last frame. */
const struct ui_widget *ui_find(const struct ui *ui, const char *id);
const struct ui_widget *ui_hit(const struct ui *ui, int x, int y);
/* Press/release at output pixel coordinates; release returns the tapped widget id (or
 * NULL) and the time it was held. */
void ui_press(struct ui *ui, int x, int y, int64_t now_ms);
const char *ui_release(struct ui *ui, int x, int y, int64_t now_ms, int64_t *ret_held_ms);

/* Screenshot of the last presented frame as PNG. */
int ui_screenshot(struct ui *ui, const char *path);
/* The same, at half the size when halved (the `looks` pictures: many, for layout). */
int ui_screenshot_scaled(struct ui *ui, const char *path, bool halved);

/* Layout helpers (RectCut): cut a strip off a rectangle and return it. */
struct ui_rect ui_cut_top(struct ui_rect *r, int h);
struct ui_rect ui_cut_bottom(struct ui_rect *r, int h);
struct ui_rect ui_cut_left(struct ui_rect *r, int w);
struct ui_rect ui_cut_right(struct ui_rect *r, int w);
struct ui_rect ui_inset(struct ui_rect r, int d);
/* The smallest rectangle holding both (an empty one is ignored). */
struct ui_rect ui_union(struct ui_rect a, struct ui_rect b);

#endif
