/* The window, scaling, shapes and screenshots. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "kiosk/base/log.h"
#include "kiosk/base/pngio.h"
#include "kiosk/base/ttf_lib.h"
#include "kiosk/base/worker.h"
#include "kiosk/base/xalloc.h"
#include "ui/overflow.h"
#include "ui/soft.h"
#include "ui/text.h"
#include "ui/ui.h"

#define CORNER_CACHE 48

static const char *const font_candidates[UI_WEIGHTS][3] = {
	[UI_REGULAR] = { "fonts/Inter-Regular.otf", "/usr/share/fonts/opentype/inter/Inter-Regular.otf",
			 "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf" },
	[UI_MEDIUM] = { "fonts/Inter-Medium.otf", "/usr/share/fonts/opentype/inter/Inter-Medium.otf",
			"/usr/share/fonts/truetype/noto/NotoSans-Medium.ttf" },
	[UI_SEMIBOLD] = { "fonts/Inter-SemiBold.otf", "/usr/share/fonts/opentype/inter/Inter-SemiBold.otf",
			  "/usr/share/fonts/truetype/noto/NotoSans-SemiBold.ttf" },
	[UI_BOLD] = { "fonts/Inter-Bold.otf", "/usr/share/fonts/opentype/inter/Inter-Bold.otf",
		      "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf" },
	[UI_ICON] = { "fonts/MaterialIcons-Regular.ttf",
		      "/usr/share/fonts/truetype/material-design-icons-iconfont/MaterialIcons-Regular.ttf", NULL },
};

static int resolve_fonts(struct ui *ui, const char *assets, char *err, int errcap)
{
	for (int w = 0; w < UI_WEIGHTS; w++) {
		ui->font_path[w][0] = '\0';
		for (int i = 0; i < 3 && font_candidates[w][i]; i++) {
			char p[256];
			const char *c = font_candidates[w][i];
			if (c[0] == '/')
				snprintf(p, sizeof p, "%s", c);
			else
				snprintf(p, sizeof p, "%s/%s", assets, c);
			FILE *f = fopen(p, "rb");
			if (f) {
				fclose(f);
				snprintf(ui->font_path[w], sizeof ui->font_path[w], "%s", p);
				break;
			}
		}
		if (!ui->font_path[w][0]) {
			snprintf(err, (size_t)errcap, "no font for weight %d: install fonts-inter and "
				 "fonts-material-design-icons-iconfont", w);
			return -1;
		}
	}
	return 0;
}

/* What the first frame needs besides the window, done on a worker while SDL makes the
 * window (its surface is most of ui_create's time), in two jobs:
 *  - the assets: SDL_ttf and the libraries it brings (kiosk/base/ttf_lib.h: 2.3 ms at exec
 *    before), the two themes and the strings (~1.7 ms), then the fonts' faces and their
 *    shaping (text_cache_open_faces: ~4 ms, and ~2.8 ms the first frame's measuring no
 *    longer does);
 *  - the rehearsal, once the window is there and its size known: the first frame drawn
 *    through a ui of the worker's own without a renderer (ui_options.rehearse), which
 *    renders its texts into the cache: ~5 ms of glyph rendering, shaping and fresh memory
 *    that the real first frame no longer spends.
 * A failure is kept for ui_create. */
struct startup {
	struct ui *ui;
	const struct ui_options *o;
	int rc;
	char err[512];
};

struct startup_job {
	enum { JOB_ASSETS, JOB_REHEARSE } kind;
	int w, h; /* the window's size, for the rehearsal */
};

static void set_geometry(struct ui *ui, int w, int h)
{
	ui->w = w;
	ui->h = h;
	ui->landscape = w > h;
	ui->scale = (float)(w < h ? w : h) / 1080.0f;
}

static void load_assets(struct startup *a)
{
	struct ui *ui = a->ui;
	char path[512];
	const struct ttf_lib *t = ttf_lib(a->err, sizeof a->err);
	if (!t)
		return;
	if (t->Init() != 0) {
		snprintf(a->err, sizeof a->err, "TTF init: %s", SDL_GetError());
		return;
	}
	snprintf(path, sizeof path, "%s/themes/%s.theme", a->o->assets, a->o->theme);
	if (theme_load(path, &ui->themes[0], a->err, sizeof a->err) != 0)
		return;
	snprintf(path, sizeof path, "%s/themes/high-contrast.theme", a->o->assets);
	if (theme_load(path, &ui->themes[1], a->err, sizeof a->err) != 0)
		return;
	snprintf(path, sizeof path, "%s/strings", a->o->assets);
	ui->str = strings_load(path, a->err, sizeof a->err);
	if (!ui->str)
		return;
	text_cache_open_faces(ui->cache);
	a->rc = 0;
}

/* Reads only what the worker itself loaded (themes, strings, the cache) and what was set
 * before it started (the fonts' paths): the calling thread is writing the rest of ui. */
static void rehearse(struct startup *a, int w, int h)
{
	struct ui *ui = a->ui;
	struct ui *r = xcalloc(1, sizeof *r);
	memcpy(r->themes, ui->themes, sizeof r->themes);
	memcpy(r->font_path, ui->font_path, sizeof r->font_path);
	r->str = ui->str;
	r->cache = ui->cache;
	r->soft = true; /* no renderer: the cache keeps coverage masks */
	r->t = &r->themes[0];
	r->text_scale = 1.0f;
	set_geometry(r, w, h);
	text_cache_bind(ui->cache, r);
	a->o->rehearse(r, a->o->rehearse_ud);
	text_cache_bind(ui->cache, ui);
	free(r);
}

static void startup_run(void *ctx, void *job)
{
	struct startup *a = ctx;
	const struct startup_job *j = job;
	if (j->kind == JOB_ASSETS)
		load_assets(a);
	else if (a->rc == 0)
		rehearse(a, j->w, j->h);
}

/* The window and renderer (the rest of ui_create, on the calling thread), handing W the
 * rehearsal as soon as the window's size is known: 0, or -1 with err set. */
static int make_window(struct ui *ui, const struct ui_options *o, struct worker *w, char *err, int errcap);

struct ui *ui_create(const struct ui_options *o, char *err, int errcap)
{
	struct ui *ui = xcalloc(1, sizeof *ui);
	if (resolve_fonts(ui, o->assets, err, errcap) != 0)
		goto fail;
	ui->cache = text_cache_new(ui);
	struct startup a = { .ui = ui, .o = o, .rc = -1 };
	struct startup_job job = { .kind = JOB_ASSETS };
	struct worker *w = worker_start(&(struct worker_cfg){ .name = "ui_startup", .job_size = sizeof job,
							       .capacity = 2, .run = startup_run, .ctx = &a });
	if (!w || worker_submit(w, &job) != 0) {
		worker_stop(w, WORKER_DROP);
		w = NULL;
		load_assets(&a); /* no thread to spare: here, then, and no rehearsal */
	}
	int rc = make_window(ui, o, w, err, errcap);
	/* The assets and the cache are this thread's from here.  The worker's thread is ended
	 * after the first frame: its join cost that frame 0.5 ms. */
	if (w)
		worker_wait_idle(w);
	ui->startup = w;
	if (rc != 0)
		goto fail;
	if (a.rc != 0) {
		snprintf(err, (size_t)errcap, "%s", a.err);
		goto fail;
	}
	ui->t = &ui->themes[0];
	ui->text_scale = 1.0f;
	ui->dirty = true;
	return ui;
fail:
	ui_destroy(ui);
	return NULL;
}

static int make_window(struct ui *ui, const struct ui_options *o, struct worker *w, char *err, int errcap)
{
	if (o->headless)
		SDL_SetHint(SDL_HINT_VIDEODRIVER, "dummy");
	SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "linear");
	SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0");
	if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
		snprintf(err, (size_t)errcap, "SDL init: %s", SDL_GetError());
		return -1;
	}
	Uint32 flags = SDL_WINDOW_SHOWN;
	int win_w = o->width, win_h = o->height;
	SDL_Rect usable;
	if (!o->fullscreen && !o->headless && SDL_GetDisplayUsableBounds(0, &usable) == 0 &&
	    (win_w > usable.w || win_h > usable.h)) {
		/* A desktop smaller than the kiosk's screen: the same shape, scaled to fit. */
		float k = (float)usable.w / (float)win_w;
		if ((float)usable.h / (float)win_h < k)
			k = (float)usable.h / (float)win_h;
		win_w = (int)((float)win_w * k * 0.95f);
		win_h = (int)((float)win_h * k * 0.95f);
	}
	if (o->fullscreen && !o->headless)
		flags |= SDL_WINDOW_FULLSCREEN_DESKTOP | SDL_WINDOW_BORDERLESS;
	ui->win = SDL_CreateWindow("Kiosk", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
				   win_w, win_h, flags);
	if (!ui->win) {
		snprintf(err, (size_t)errcap, "window: %s", SDL_GetError());
		return -1;
	}
	if (w && o->rehearse) {
		struct startup_job job = { .kind = JOB_REHEARSE };
		SDL_GetWindowSize(ui->win, &job.w, &job.h);
		worker_submit(w, &job);
	}
	ui->ren = SDL_CreateRenderer(ui->win, -1, o->headless ? SDL_RENDERER_SOFTWARE : 0);
	if (!ui->ren)
		ui->ren = SDL_CreateRenderer(ui->win, -1, SDL_RENDERER_SOFTWARE);
	if (!ui->ren) {
		snprintf(err, (size_t)errcap, "renderer: %s", SDL_GetError());
		return -1;
	}
	if (o->fullscreen && !o->headless)
		SDL_ShowCursor(SDL_DISABLE);
	SDL_RendererInfo info = { 0 };
	ui->soft = SDL_GetRendererInfo(ui->ren, &info) == 0 && (info.flags & SDL_RENDERER_SOFTWARE) &&
		   soft_usable(ui);
	int ow, oh;
	SDL_GetRendererOutputSize(ui->ren, &ow, &oh);
	set_geometry(ui, ow, oh);
	log_info("ui", "renderer", "name=%s w=%d h=%d direct=%d", info.name ? info.name : "?", ui->w, ui->h, ui->soft);
	SDL_SetRenderDrawBlendMode(ui->ren, SDL_BLENDMODE_BLEND);
	return 0;
}

void ui_destroy(struct ui *ui)
{
	if (!ui)
		return;
	worker_stop(ui->startup, WORKER_DRAIN);
	text_cache_free(ui->cache);
	overflow_free(ui);
	for (int i = 0; i < CORNER_CACHE; i++)
		if (ui->corners[i].tex)
			SDL_DestroyTexture(ui->corners[i].tex);
	if (ui->ren)
		SDL_DestroyRenderer(ui->ren);
	if (ui->win)
		SDL_DestroyWindow(ui->win);
	strings_free(ui->str);
	const struct ttf_lib *t = ttf_lib(NULL, 0);
	if (t && t->WasInit())
		t->Quit();
	if (SDL_WasInit(0))
		SDL_Quit();
	free(ui);
}

int ui_px(const struct ui *ui, int design)
{
	return (int)lroundf((float)design * ui->scale);
}

int ui_font_px(const struct ui *ui, int design)
{
	return (int)lroundf((float)design * ui->scale * ui->text_scale);
}

const char *ui_tr(struct ui *ui, const char *key)
{
	return strings_get(ui->str, ui->lang, key);
}

char *ui_fmt(char *buf, size_t cap, const char *tmpl, const char *value)
{
	const char *at = strstr(tmpl, "{}");
	if (!at)
		snprintf(buf, cap, "%s", tmpl);
	else
		snprintf(buf, cap, "%.*s%s%s", (int)(at - tmpl), tmpl, value, at + 2);
	return buf;
}

static void set_color(struct ui *ui, struct theme_color c)
{
	SDL_SetRenderDrawColor(ui->ren, c.r, c.g, c.b, c.a);
}

void ui_frame_begin(struct ui *ui, bool high_contrast, bool large_text, enum lang lang)
{
	ui->t = &ui->themes[high_contrast ? 1 : 0];
	ui->text_scale = large_text ? 1.3f : 1.0f;
	ui->lang = lang;
	ui->nwidgets = 0;
	ui->nhidden = 0;
	ui->scroll_r = (struct ui_rect){ 0, 0, 0, 0 };
	ui->text_len = 0;
	ui->text_log[0] = '\0';
	overflow_frame(ui);
}

void ui_clear(struct ui *ui)
{
	if (!ui->ren)
		return;
	set_color(ui, ui->t->bg);
	SDL_RenderClear(ui->ren);
}

void ui_frame_end(struct ui *ui)
{
	SDL_RenderPresent(ui->ren);
	if (ui->startup) {
		worker_stop(ui->startup, WORKER_DRAIN);
		ui->startup = NULL;
	}
	ui->frames++;
	ui->dirty = false;
	text_cache_trim(ui->cache);
}

void ui_fill_rect(struct ui *ui, struct ui_rect r, struct theme_color c)
{
	if (r.w <= 0 || r.h <= 0 || !ui->ren)
		return;
	if (c.a == 255 && ui->soft) {
		soft_fill(ui, r, c); /* plain stores: see ui/soft.h */
		return;
	}
	SDL_Rect a = { r.x, r.y, r.w, r.h };
	/* An opaque fill needs no blending: the software renderer then fills rows at memset
	 * speed instead of blending every pixel. */
	SDL_SetRenderDrawBlendMode(ui->ren, c.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
	set_color(ui, c);
	SDL_RenderFillRect(ui->ren, &a);
}

/* A disc of radius r in colour c (a 2r × 2r texture), with coverage from 4x4 supersampling
 * baked into its alpha: its four quarters are the anti-aliased corners of every rounded shape
 * of that colour.  Quarters are copied with source rectangles, not flipped: the software
 * renderer flips through a temporary surface on every call. */
static SDL_Texture *corner_tex(struct ui *ui, int r, struct theme_color c)
{
	if (!ui->ren)
		return NULL;
	uint32_t rgba = (uint32_t)c.r << 24 | (uint32_t)c.g << 16 | (uint32_t)c.b << 8 | c.a;
	for (int i = 0; i < CORNER_CACHE; i++)
		if (ui->corners[i].tex && ui->corners[i].r == r && ui->corners[i].rgba == rgba)
			return ui->corners[i].tex;
	SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, 2 * r, 2 * r, 32, SDL_PIXELFORMAT_ARGB8888);
	if (!s)
		return NULL;
	Uint32 *px = s->pixels;
	for (int y = 0; y < 2 * r; y++)
		for (int x = 0; x < 2 * r; x++) {
			int inside = 0;
			for (int sy = 0; sy < 4; sy++)
				for (int sx = 0; sx < 4; sx++) {
					float dx = (float)r - ((float)x + (sx + 0.5f) / 4.0f);
					float dy = (float)r - ((float)y + (sy + 0.5f) / 4.0f);
					inside += dx * dx + dy * dy <= (float)r * (float)r;
				}
			Uint32 a = (Uint32)(inside * c.a / 16);
			px[y * (s->pitch / 4) + x] = (a << 24) | (Uint32)c.r << 16 | (Uint32)c.g << 8 | c.b;
		}
	SDL_Texture *t = SDL_CreateTextureFromSurface(ui->ren, s);
	SDL_FreeSurface(s);
	if (!t)
		return NULL;
	SDL_SetTextureBlendMode(t, SDL_BLENDMODE_BLEND);
	int slot = ui->corner_next++ % CORNER_CACHE;
	if (ui->corners[slot].tex)
		SDL_DestroyTexture(ui->corners[slot].tex);
	ui->corners[slot].r = r;
	ui->corners[slot].rgba = rgba;
	ui->corners[slot].tex = t;
	return t;
}

/* The four k × k corners of r, from the disc texture t. */
static void corners(struct ui *ui, SDL_Texture *t, struct ui_rect r, int k)
{
	SDL_RenderCopy(ui->ren, t, &(SDL_Rect){ 0, 0, k, k }, &(SDL_Rect){ r.x, r.y, k, k });
	SDL_RenderCopy(ui->ren, t, &(SDL_Rect){ k, 0, k, k }, &(SDL_Rect){ r.x + r.w - k, r.y, k, k });
	SDL_RenderCopy(ui->ren, t, &(SDL_Rect){ 0, k, k, k }, &(SDL_Rect){ r.x, r.y + r.h - k, k, k });
	SDL_RenderCopy(ui->ren, t, &(SDL_Rect){ k, k, k, k }, &(SDL_Rect){ r.x + r.w - k, r.y + r.h - k, k, k });
}

static int fit_radius(struct ui_rect r, int radius)
{
	if (radius * 2 > r.w)
		radius = r.w / 2;
	if (radius * 2 > r.h)
		radius = r.h / 2;
	return radius > 0 ? radius : 0;
}

void ui_fill_round(struct ui *ui, struct ui_rect r, int radius, struct theme_color c)
{
	int k = fit_radius(r, radius);
	SDL_Texture *t = k > 0 ? corner_tex(ui, k, c) : NULL;
	if (!t) {
		ui_fill_rect(ui, r, c);
		return;
	}
	ui_fill_rect(ui, (struct ui_rect){ r.x + k, r.y, r.w - 2 * k, r.h }, c);
	ui_fill_rect(ui, (struct ui_rect){ r.x, r.y + k, k, r.h - 2 * k }, c);
	ui_fill_rect(ui, (struct ui_rect){ r.x + r.w - k, r.y + k, k, r.h - 2 * k }, c);
	corners(ui, t, r, k);
}

/* A drop shadow: the shape's rounded rectangle moved down by drop, drawn before the shape.
 * The shape covers all of it but the crescent below, so only that is blended: the strip
 * under the straight bottom edge, the strips beside the shape's bottom corners and the
 * shadow's own bottom corners (blended fills are the software renderer's slowest path). */
void ui_shadow(struct ui *ui, struct ui_rect r, int radius, int drop, struct theme_color c)
{
	int k = fit_radius(r, radius);
	SDL_Texture *t = k > 0 ? corner_tex(ui, k, c) : NULL;
	if (drop <= 0 || k + drop > r.h / 2 || (k > 0 && !t)) {
		int band = k + drop < r.h ? k + drop : r.h;
		ui_fill_round(ui, (struct ui_rect){ r.x, r.y + r.h + drop - 2 * band, r.w, 2 * band }, k, c);
		return;
	}
	int bottom = r.y + r.h + drop;
	ui_fill_rect(ui, (struct ui_rect){ r.x + k, r.y + r.h, r.w - 2 * k, drop }, c);
	ui_fill_rect(ui, (struct ui_rect){ r.x, bottom - k - drop, k, drop }, c);
	ui_fill_rect(ui, (struct ui_rect){ r.x + r.w - k, bottom - k - drop, k, drop }, c);
	if (t) {
		SDL_RenderCopy(ui->ren, t, &(SDL_Rect){ 0, k, k, k }, &(SDL_Rect){ r.x, bottom - k, k, k });
		SDL_RenderCopy(ui->ren, t, &(SDL_Rect){ k, k, k, k }, &(SDL_Rect){ r.x + r.w - k, bottom - k, k, k });
	}
}

/* The border is drawn as a ring (four edge strips and the outer corners), the fill inside
 * it once: filling the whole shape in the border colour first and then its inside would
 * write most pixels twice, and fills are most of a frame's cost. */
void ui_round_border(struct ui *ui, struct ui_rect r, int radius, int bw,
		     struct theme_color border, struct theme_color fill)
{
	int k = fit_radius(r, radius);
	if (bw <= 0 || 2 * bw >= r.w || 2 * bw >= r.h || border.a < 255) {
		ui_fill_round(ui, r, k, border);
		ui_fill_round(ui, ui_inset(r, bw), k > bw ? k - bw : 0, fill);
		return;
	}
	SDL_Texture *t = k > 0 ? corner_tex(ui, k, border) : NULL;
	if (k > 0 && !t)
		k = 0;
	ui_fill_rect(ui, (struct ui_rect){ r.x + k, r.y, r.w - 2 * k, bw }, border);
	ui_fill_rect(ui, (struct ui_rect){ r.x + k, r.y + r.h - bw, r.w - 2 * k, bw }, border);
	ui_fill_rect(ui, (struct ui_rect){ r.x, r.y + k, bw, r.h - 2 * k }, border);
	ui_fill_rect(ui, (struct ui_rect){ r.x + r.w - bw, r.y + k, bw, r.h - 2 * k }, border);
	if (t)
		corners(ui, t, r, k);
	ui_fill_round(ui, ui_inset(r, bw), k > bw ? k - bw : 0, fill);
}

/* s at half its size, each pixel the mean of four. */
static SDL_Surface *half(SDL_Surface *s)
{
	SDL_Surface *h = SDL_CreateRGBSurfaceWithFormat(0, s->w / 2, s->h / 2, 32, SDL_PIXELFORMAT_ARGB8888);
	if (!h)
		return NULL;
	for (int y = 0; y < h->h; y++) {
		const uint32_t *a = (const uint32_t *)((const uint8_t *)s->pixels + (size_t)(2 * y) * (size_t)s->pitch);
		const uint32_t *b = (const uint32_t *)((const uint8_t *)a + s->pitch);
		uint32_t *o = (uint32_t *)((uint8_t *)h->pixels + (size_t)y * (size_t)h->pitch);
		for (int x = 0; x < h->w; x++) {
			uint32_t p[4] = { a[2 * x], a[2 * x + 1], b[2 * x], b[2 * x + 1] }, v = 0;
			for (int sh = 0; sh < 32; sh += 8)
				v |= (((p[0] >> sh & 255) + (p[1] >> sh & 255) + (p[2] >> sh & 255) + (p[3] >> sh & 255) + 2) / 4)
				     << sh;
			o[x] = v;
		}
	}
	return h;
}

int ui_screenshot(struct ui *ui, const char *path)
{
	return ui_screenshot_scaled(ui, path, false);
}

int ui_screenshot_scaled(struct ui *ui, const char *path, bool halved)
{
	SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, ui->w, ui->h, 32, SDL_PIXELFORMAT_ARGB8888);
	if (!s)
		return -1;
	int rc = SDL_RenderReadPixels(ui->ren, NULL, SDL_PIXELFORMAT_ARGB8888, s->pixels, s->pitch);
	if (rc == 0 && halved) {
		SDL_Surface *h = half(s);
		SDL_FreeSurface(s);
		s = h;
		if (!s)
			return -1;
	}
	if (rc == 0)
		rc = pngio_save(s, path);
	if (rc != 0)
		log_error("ui", "screenshot_failed", "path=%s err=\"%s\"", path, SDL_GetError());
	SDL_FreeSurface(s);
	return rc;
}

struct ui_rect ui_cut_top(struct ui_rect *r, int h)
{
	if (h > r->h) h = r->h;
	struct ui_rect o = { r->x, r->y, r->w, h };
	r->y += h;
	r->h -= h;
	return o;
}

struct ui_rect ui_cut_bottom(struct ui_rect *r, int h)
{
	if (h > r->h) h = r->h;
	r->h -= h;
	return (struct ui_rect){ r->x, r->y + r->h, r->w, h };
}

struct ui_rect ui_cut_left(struct ui_rect *r, int w)
{
	if (w > r->w) w = r->w;
	struct ui_rect o = { r->x, r->y, w, r->h };
	r->x += w;
	r->w -= w;
	return o;
}

struct ui_rect ui_cut_right(struct ui_rect *r, int w)
{
	if (w > r->w) w = r->w;
	r->w -= w;
	return (struct ui_rect){ r->x + r->w, r->y, w, r->h };
}

struct ui_rect ui_inset(struct ui_rect r, int d)
{
	return (struct ui_rect){ r.x + d, r.y + d, r.w - 2 * d, r.h - 2 * d };
}

struct ui_rect ui_union(struct ui_rect a, struct ui_rect b)
{
	if (a.w <= 0 || a.h <= 0)
		return b;
	if (b.w <= 0 || b.h <= 0)
		return a;
	int x0 = a.x < b.x ? a.x : b.x, y0 = a.y < b.y ? a.y : b.y;
	int x1 = a.x + a.w > b.x + b.w ? a.x + a.w : b.x + b.w;
	int y1 = a.y + a.h > b.y + b.h ? a.y + a.h : b.y + b.h;
	return (struct ui_rect){ x0, y0, x1 - x0, y1 - y0 };
}
