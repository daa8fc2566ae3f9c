#include "ui/text.h"

#include <string.h>

#include "kiosk/base/log.h"
#include "kiosk/base/ttf_lib.h"
#include "kiosk/base/utf8.h"
#include "kiosk/base/xalloc.h"
#include "ui/font_rw.h"
#include "ui/icons.h"
#include "ui/overflow.h"
#include "ui/soft.h"

#define LINE_SLOTS 64 /* (weight, size) pairs whose line height is remembered */
#define CACHE_SLOTS 512
#define CACHE_MAX_AGE 600 /* frames */
/* Texture bytes the cache may hold (4 bytes a pixel with the software renderer).  Without
 * it the 512 slots fill with one-off strings (clock, countdowns, amounts, auth codes) and
 * wrapped paragraphs up to ~1000 px wide: the soak saw the kiosk settle at ~100 MB RSS,
 * 60 MB of it this cache.  A busy screen's texts take well under 2 MB; 3 MB keeps the
 * screens a resident goes back and forth between (at 2 MB, bench_frame's taps that change
 * screen took 10 ms instead of 6: their texts were rendered again). */
#define CACHE_MAX_BYTES (3u << 20)
/* The same for one-byte coverage masks (the software renderer): 1.5 MB holds more strings
 * (1.5 M pixels) than 3 MB of textures does.  At 1 MB the texts of the account screen (12
 * services), confirm and readings no longer fitted together: a tap that changed screen
 * rendered its texts again, 15 ms of CPU at p99 in bench_frame instead of ~2.5 ms. */
#define MASK_MAX_BYTES (1536u * 1024)

/* One open font per weight, set to the size last asked for.  A TTF_Font per (weight, size)
 * kept its own FreeType face and HarfBuzz copies of the font's layout tables, ~200 KB each
 * for Inter: ~4.5 MB of heap over a session's twenty-odd sizes.  Glyphs are rendered and
 * measured only for strings not seen before (the texture cache and the width memo answer
 * the rest), so changing size now and then costs little. */
struct face { TTF_Font *f; int px; };
struct line_memo { enum ui_weight wt; int px; int skip; };

struct text_img {
	uint64_t hash;
	char *s;
	enum ui_weight wt;
	int px;
	uint32_t rgba;
	SDL_Texture *tex;     /* GPU renderers, made from mask at its first use (ready) */
	SDL_Surface *mask;    /* SDL_ttf's 8-bit coverage, what the software renderer draws */
	int w, h;
	struct ui_rect ink;   /* the glyphs' coverage inside w x h (overflow checking only) */
	bool ink_known;       /* ink measured (else the whole image) */
	uint64_t used;
};

/* Widths measured before: wrapping and centring measure the same strings every frame (a
 * wrapped paragraph each prefix up to a space), and each measurement is a HarfBuzz shaping
 * run.  Set-associative by a 64-bit hash of string, weight and size, the least recently
 * used way replaced; a way holds the whole hash and the length. */
#define WIDTH_SETS 1024
#define WIDTH_WAYS 4
struct width_memo { uint64_t hash; uint32_t len; int w; uint64_t used; };

struct text_cache {
	struct ui *ui;
	struct width_memo widths[WIDTH_SETS][WIDTH_WAYS];
	struct face faces[UI_WEIGHTS];
	struct line_memo lines[LINE_SLOTS];
	int nlines;
	struct text_img e[CACHE_SLOTS];
	int count;
	size_t bytes;   /* sum of entry_bytes over the entries */
};

/* SDL_ttf's functions: loaded before any face is opened (open_face), so wherever a face
 * exists this is not NULL. */
static const struct ttf_lib *T(void)
{
	return ttf_lib(NULL, 0);
}

struct text_cache *text_cache_new(struct ui *ui)
{
	struct text_cache *c = xcalloc(1, sizeof *c);
	c->ui = ui;
	return c;
}

void text_cache_bind(struct text_cache *c, struct ui *ui)
{
	c->ui = ui;
}

static size_t entry_bytes(const struct text_img *e)
{
	return e->mask ? (size_t)e->mask->pitch * (size_t)e->h : (size_t)e->w * (size_t)e->h * 4;
}

size_t text_cache_budget(const struct text_cache *c)
{
	return c->ui->soft ? MASK_MAX_BYTES : CACHE_MAX_BYTES;
}

static void drop(struct text_img *e)
{
	if (e->tex)
		SDL_DestroyTexture(e->tex);
	SDL_FreeSurface(e->mask);
	free(e->s);
	memset(e, 0, sizeof *e);
}

/* Drops entry i and keeps the count and byte total. */
static void evict(struct text_cache *c, int i)
{
	c->bytes -= entry_bytes(&c->e[i]);
	drop(&c->e[i]);
	c->count--;
}

/* The least recently used entry not drawn in this frame (textures handed out this frame
 * stay valid), or -1. */
static int lru_slot(const struct text_cache *c)
{
	int lru = -1;
	for (int i = 0; i < CACHE_SLOTS; i++)
		if (c->e[i].s && c->e[i].used < c->ui->frames && (lru < 0 || c->e[i].used < c->e[lru].used))
			lru = i;
	return lru;
}

void text_cache_free(struct text_cache *c)
{
	if (!c)
		return;
	for (int i = 0; i < CACHE_SLOTS; i++)
		if (c->e[i].s)
			drop(&c->e[i]);
	for (int w = 0; w < UI_WEIGHTS; w++)
		if (c->faces[w].f)
			T()->CloseFont(c->faces[w].f);
	free(c);
}

/* Opens weight WT's face at PX (the file mapped, hinting light); NULL when it cannot
 * (logged). */
static TTF_Font *open_face(struct text_cache *c, enum ui_weight wt, int px)
{
	char why[256];
	const struct ttf_lib *t = ttf_lib(why, sizeof why);
	if (!t) {
		log_error("ui", "font_open_failed", "path=%s err=\"%s\"", c->ui->font_path[wt], why);
		return NULL;
	}
	SDL_RWops *rw = font_rw_open(c->ui->font_path[wt]);
	TTF_Font *f = rw ? t->OpenFontRW(rw, 1, px) : NULL;
	if (!f) {
		log_error("ui", "font_open_failed", "path=%s err=\"%s\"", c->ui->font_path[wt], TTF_GetError());
		return NULL;
	}
	t->SetFontHinting(f, TTF_HINTING_LIGHT);
	return f;
}

void text_cache_open_faces(struct text_cache *c)
{
	for (int w = 0; w < UI_WEIGHTS; w++) {
		if (c->faces[w].f)
			continue;
		c->faces[w].f = open_face(c, (enum ui_weight)w, 32);
		c->faces[w].px = 32;
		/* One word of each script the screens use (digits alone are a script of their
		 * own to HarfBuzz), and one icon: HarfBuzz reads the face's layout tables and
		 * plans the shaping of each script on first use, ~2.8 ms of the first frame's
		 * measuring, and 0.6 ms more for the icons' face in the header. */
		int ww, wh;
		if (!c->faces[w].f)
			continue;
		if (w == UI_ICON) {
			char icon[UTF8_MAX + 1] = { 0 };
			utf8_encode(icon_codepoint("home"), icon);
			T()->SizeUTF8(c->faces[w].f, icon, &ww, &wh);
		} else {
			T()->SizeUTF8(c->faces[w].f, "Оплата", &ww, &wh);
			T()->SizeUTF8(c->faces[w].f, "Payment", &ww, &wh);
			T()->SizeUTF8(c->faces[w].f, "10:00", &ww, &wh);
		}
	}
}

static TTF_Font *font(struct text_cache *c, enum ui_weight wt, int px)
{
	struct face *fc = &c->faces[wt];
	if (fc->f && fc->px == px)
		return fc->f;
	if (fc->f) {
		if (T()->SetFontSize(fc->f, px) == 0) {
			fc->px = px;
			return fc->f;
		}
		log_error("ui", "font_size_failed", "path=%s px=%d err=\"%s\"", c->ui->font_path[wt], px, TTF_GetError());
		T()->CloseFont(fc->f);
		fc->f = NULL;
	}
	fc->f = open_face(c, wt, px);
	fc->px = px;
	return fc->f;
}

static uint64_t fnv(const char *s, size_t len, uint64_t h)
{
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

int text_measure(struct text_cache *c, const char *s, size_t len, enum ui_weight wt, int px)
{
	if (len == 0)
		return 0;
	char buf[1024];
	if (len >= sizeof buf)
		len = sizeof buf - 1;
	/* Weight and size go through the hash too: the slot comes from the low bits, and a
	 * label shrunk step by step to fit its button is measured at several sizes. */
	char key[3] = { (char)wt, (char)(px & 0xFF), (char)(px >> 8) };
	uint64_t h = fnv(key, sizeof key, fnv(s, len, 14695981039346656037ULL)) | 1; /* 0: empty */
	struct width_memo *set = c->widths[h % WIDTH_SETS], *m = &set[0];
	for (int i = 0; i < WIDTH_WAYS; i++) {
		if (set[i].hash == h && set[i].len == len) {
			set[i].used = c->ui->frames;
			return set[i].w;
		}
		if (set[i].used < m->used)
			m = &set[i];
	}
	TTF_Font *f = font(c, wt, px);
	if (!f)
		return 0;
	memcpy(buf, s, len);
	buf[len] = '\0';
	int w = 0, ht = 0;
	T()->SizeUTF8(f, buf, &w, &ht);
	*m = (struct width_memo){ h, (uint32_t)len, w, c->ui->frames };
	return w;
}

int text_line_height(struct text_cache *c, enum ui_weight wt, int px)
{
	for (int i = 0; i < c->nlines; i++)
		if (c->lines[i].wt == wt && c->lines[i].px == px)
			return c->lines[i].skip;
	TTF_Font *f = font(c, wt, px);
	if (!f)
		return px;
	int skip = T()->FontLineSkip(f);
	if (c->nlines < LINE_SLOTS)
		c->lines[c->nlines++] = (struct line_memo){ wt, px, skip };
	return skip;
}

/* The bounding box of the pixels a reader sees (coverage ≥ OVERFLOW_INK_ALPHA) in a line's
 * coverage (the 8-bit surface of SDL_ttf's shaded mode); empty for a blank string. */
static struct ui_rect ink_box(const SDL_Surface *mask)
{
	int w = mask->w, h = mask->h;
	int x0 = w, y0 = h, x1 = -1, y1 = -1;
	for (int y = 0; y < h; y++) {
		const uint8_t *row = (const uint8_t *)mask->pixels + (size_t)y * (size_t)mask->pitch;
		for (int x = 0; x < w; x++) {
			if (row[x] >= OVERFLOW_INK_ALPHA) {
				if (x < x0) x0 = x;
				if (x > x1) x1 = x;
				if (y < y0) y0 = y;
				if (y > y1) y1 = y;
			}
		}
	}
	if (x1 < 0)
		return (struct ui_rect){ 0, 0, 0, 0 };
	return (struct ui_rect){ x0, y0, x1 - x0 + 1, y1 - y0 + 1 };
}

/* A texture of the line for a GPU renderer: the colour everywhere, the coverage (scaled by
 * the colour's own alpha) in alpha, as SDL_ttf's blended mode makes it. */
static SDL_Texture *mask_texture(SDL_Renderer *ren, const SDL_Surface *mask, SDL_Color col)
{
	int w = mask->w, h = mask->h;
	SDL_Texture *tex = SDL_CreateTexture(ren, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STATIC, w, h);
	if (!tex)
		return NULL;
	uint32_t *px = xmalloc((size_t)w * (size_t)h * 4 + 4);
	uint32_t rgb = (uint32_t)col.r << 16 | (uint32_t)col.g << 8 | col.b;
	for (int y = 0; y < h; y++) {
		const uint8_t *m = (const uint8_t *)mask->pixels + (size_t)y * (size_t)mask->pitch;
		for (int x = 0; x < w; x++)
			px[(size_t)y * (size_t)w + (size_t)x] = (uint32_t)(m[x] * col.a / 255) << 24 | rgb;
	}
	SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
	int rc = SDL_UpdateTexture(tex, NULL, px, w * 4);
	free(px);
	if (rc != 0) {
		SDL_DestroyTexture(tex);
		return NULL;
	}
	return tex;
}

/* Makes entry E what the cache's ui draws: with overflow checking on, its ink box (an
 * entry rendered before checking began, or by ui_create's rehearsal, has none yet); with a
 * GPU renderer, a texture made from its coverage, which is then let go.  Rendering leaves
 * only the coverage, so that rendering needs no renderer (the rehearsal has none).  false
 * when the texture cannot be made. */
static bool ready(struct text_cache *c, struct text_img *e)
{
	if (e->mask && !e->ink_known && overflow_on(c->ui)) {
		e->ink = ink_box(e->mask);
		e->ink_known = true;
	}
	if (!e->mask || !c->ui->ren || c->ui->soft)
		return true;
	SDL_Color col = { (uint8_t)(e->rgba >> 24), (uint8_t)(e->rgba >> 16), (uint8_t)(e->rgba >> 8), (uint8_t)e->rgba };
	SDL_Texture *tex = mask_texture(c->ui->ren, e->mask, col);
	if (!tex)
		return false;
	c->bytes -= entry_bytes(e);
	SDL_FreeSurface(e->mask);
	e->mask = NULL;
	e->tex = tex;
	c->bytes += entry_bytes(e);
	return true;
}

const struct text_img *text_cache_get(struct text_cache *c, const char *s, size_t len, enum ui_weight wt,
			    int px, struct theme_color col, int *ret_w, int *ret_h)
{
	uint32_t rgba = (uint32_t)col.r << 24 | (uint32_t)col.g << 16 | (uint32_t)col.b << 8 | col.a;
	uint64_t h = fnv(s, len, 14695981039346656037ULL) ^ ((uint64_t)wt << 56) ^ ((uint64_t)px << 40) ^ rgba;
	int slot = (int)(h % CACHE_SLOTS), free_slot = -1;
	/* Evictions leave holes in the probe sequence, so a miss is only certain after every
	 * slot was looked at (512 hash compares). */
	for (int probe = 0; probe < CACHE_SLOTS; probe++) {
		struct text_img *e = &c->e[(slot + probe) % CACHE_SLOTS];
		if (!e->s) {
			if (free_slot < 0)
				free_slot = (slot + probe) % CACHE_SLOTS;
			continue;
		}
		if (e->hash == h && e->wt == wt && e->px == px && e->rgba == rgba &&
		    strlen(e->s) == len && memcmp(e->s, s, len) == 0) {
			if (!ready(c, e)) {
				evict(c, (int)(e - c->e));
				return NULL;
			}
			e->used = c->ui->frames;
			*ret_w = e->w;
			*ret_h = e->h;
			return e;
		}
	}
	if (free_slot < 0) {
		/* Full: evict the least recently used entry. */
		int lru = lru_slot(c);
		if (lru < 0)
			lru = 0;
		evict(c, lru);
		free_slot = lru;
	}
	TTF_Font *f = font(c, wt, px);
	if (!f)
		return NULL;
	char *str = xstrndup(s, len);
	SDL_Color fg = { col.r, col.g, col.b, col.a };
	/* SDL_ttf's shaded mode makes an 8-bit surface whose pixel is the glyphs' coverage
	 * (0..255; its palette only maps it to colours), the same bytes as the alpha of the
	 * blended mode's 32-bit output for an opaque colour: a quarter of the memory to fault
	 * in and fill, and no colour to blend (the first frame's 29 lines took 5.8 ms blended
	 * and 1.1 ms more to pull out their alpha).  The software renderer draws it as it is:
	 * a copy without the row padding cost the first frame 0.9 ms, mostly in page faults. */
	SDL_Surface *mask = T()->RenderUTF8_Shaded(f, str, fg, (SDL_Color){ 0, 0, 0, 0 });
	if (!mask || mask->format->BytesPerPixel != 1 || SDL_MUSTLOCK(mask)) {
		SDL_FreeSurface(mask);
		free(str);
		return NULL;
	}
	struct text_img *e = &c->e[free_slot];
	*e = (struct text_img){ .hash = h, .s = str, .wt = wt, .px = px, .rgba = rgba, .mask = mask, .w = mask->w,
				.h = mask->h, .ink = { 0, 0, mask->w, mask->h }, .used = c->ui->frames };
	c->count++;
	c->bytes += entry_bytes(e);
	if (!ready(c, e)) {
		evict(c, free_slot);
		return NULL;
	}
	/* Over the byte budget: older entries go first, never one drawn in this frame. */
	while (c->bytes > text_cache_budget(c)) {
		int lru = lru_slot(c);
		if (lru < 0)
			break;
		evict(c, lru);
	}
	*ret_w = e->w;
	*ret_h = e->h;
	return e;
}

struct ui_rect text_ink(const struct text_img *t, int x, int y)
{
	if (!t)
		return (struct ui_rect){ x, y, 0, 0 };
	return (struct ui_rect){ x + t->ink.x, y + t->ink.y, t->ink.w, t->ink.h };
}

void text_draw(struct text_cache *c, const struct text_img *t, int x, int y)
{
	if (!t || !c->ui->ren)
		return;
	if (t->tex) {
		SDL_RenderCopy(c->ui->ren, t->tex, NULL, &(SDL_Rect){ x, y, t->w, t->h });
		return;
	}
	struct theme_color col = { (uint8_t)(t->rgba >> 24), (uint8_t)(t->rgba >> 16), (uint8_t)(t->rgba >> 8), 255 };
	soft_mask(c->ui, t->mask->pixels, t->w, t->h, t->mask->pitch, col, x, y);
}

void text_cache_trim(struct text_cache *c)
{
	if (c->count < CACHE_SLOTS * 3 / 4)
		return;
	for (int i = 0; i < CACHE_SLOTS; i++)
		if (c->e[i].s && c->e[i].used + CACHE_MAX_AGE < c->ui->frames)
			evict(c, i);
}

int text_cache_size(const struct text_cache *c) { return c->count; }
size_t text_cache_bytes(const struct text_cache *c) { return c->bytes; }
