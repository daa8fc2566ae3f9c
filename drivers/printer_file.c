/* File printer backend: receipt_doc -> PNG strip + text, paper state from a knob file. */
#include "drivers/printer_file.h"

#include <dirent.h>
#include <stdbool.h>
#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "drivers/printer_image.h"
#include "kiosk/base/log.h"
#include "kiosk/base/pngio.h"
#include "kiosk/base/ttf_lib.h"
#include "kiosk/base/xalloc.h"

#define MAX_HEIGHT 20000
#define MARGIN 8

static const char *const regular_fonts[] = {
	"/usr/share/fonts/opentype/inter/Inter-Regular.otf",
	"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
};
static const char *const bold_fonts[] = {
	"/usr/share/fonts/opentype/inter/Inter-Bold.otf",
	"/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
	"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
};

/* ---------------------------------------------------------------- image */

struct piece {
	SDL_Surface *s;  /* owned; NULL for blank space or rules */
	int x, y, h;
	int rule;        /* 1 separator, 2 dashed cut mark */
};

struct layout {
	struct piece *p;
	size_t n, cap;
	int y, width;
};

static void add(struct layout *l, SDL_Surface *s, int x, int h, int rule)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 32;
		l->p = xrealloc(l->p, l->cap * sizeof *l->p);
	}
	l->p[l->n++] = (struct piece){ .s = s, .x = x, .y = l->y, .h = h, .rule = rule };
	l->y += h;
}

static int x_for(enum rdoc_align a, int width, int w)
{
	if (a == RDOC_CENTER)
		return (width - w) / 2;
	if (a == RDOC_RIGHT)
		return width - MARGIN - w;
	return MARGIN;
}

/* SDL_ttf's functions (kiosk/base/ttf_lib.h): fontset_open loads them before any font is
 * opened, so wherever a font exists this is not NULL. */
static const struct ttf_lib *ttf(void)
{
	return ttf_lib(NULL, 0);
}

static TTF_Font *open_font(const char *const *paths, size_t n, int pt)
{
	for (size_t i = 0; i < n; i++) {
		if (access(paths[i], R_OK) != 0)
			continue;
		TTF_Font *f = ttf()->OpenFont(paths[i], pt);
		if (f)
			return f;
	}
	return NULL;
}

/* True when f has a glyph for every character of s (Inter has no box drawing). */
static bool font_covers(TTF_Font *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		uint32_t cp = *p;
		int len = 1;
		if (cp >= 0xF0) { cp &= 0x07; len = 4; }
		else if (cp >= 0xE0) { cp &= 0x0F; len = 3; }
		else if (cp >= 0xC0) { cp &= 0x1F; len = 2; }
		for (int i = 1; i < len && (p[i] & 0xC0) == 0x80; i++)
			cp = (cp << 6) | (p[i] & 0x3F);
		for (int i = 0; i < len && *p; i++)
			p++;
		if (cp >= 0x20 && !ttf()->GlyphIsProvided32(f, cp))
			return false;
	}
	return true;
}

/* Renders s with f (or the fallback when f lacks a glyph), shrunk to fit max_w the way
 * the paper would not let it run off the edge. */
static SDL_Surface *text_surface(TTF_Font *f, TTF_Font *fallback, const char *s, int max_w)
{
	static const SDL_Color black = { 0, 0, 0, 255 };
	if (fallback && !font_covers(f, s))
		f = fallback;
	SDL_Surface *t = ttf()->RenderUTF8_Blended(f, *s ? s : " ", black);
	if (!t || t->w <= max_w)
		return t;
	int h = (int)((long)t->h * max_w / t->w);
	SDL_Surface *fit = SDL_CreateRGBSurfaceWithFormat(0, max_w, h > 0 ? h : 1, 32, SDL_PIXELFORMAT_ARGB8888);
	if (fit) {
		SDL_SetSurfaceBlendMode(t, SDL_BLENDMODE_NONE);
		SDL_BlitScaled(t, NULL, fit, NULL);
		SDL_SetSurfaceBlendMode(fit, SDL_BLENDMODE_BLEND);
	}
	SDL_FreeSurface(t);
	return fit;
}

static SDL_Surface *bitmap_surface(const struct printer_bitmap *bm)
{
	SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, bm->w, bm->h, 32, SDL_PIXELFORMAT_ARGB8888);
	if (!s)
		return NULL;
	SDL_FillRect(s, NULL, SDL_MapRGBA(s->format, 255, 255, 255, 255));
	Uint32 black = SDL_MapRGBA(s->format, 0, 0, 0, 255);
	for (int y = 0; y < bm->h; y++)
		for (int x = 0; x < bm->w; x++)
			if (printer_bitmap_get(bm, x, y)) {
				SDL_Rect r = { x, y, 1, 1 };
				SDL_FillRect(s, &r, black);
			}
	return s;
}

static int lay_out(struct layout *l, const struct receipt_doc *doc, TTF_Font *fonts[3][2],
		   const char *logo_path)
{
	int line_h = ttf()->FontLineSkip(fonts[0][0]);
	int max_w = l->width - 2 * MARGIN;
	l->y = MARGIN;
	for (size_t i = 0; i < doc->n; i++) {
		const struct rdoc_item *it = &doc->items[i];
		TTF_Font *f = fonts[(it->flags & RDOC_BOLD) != 0][(it->flags & RDOC_BIG) != 0];
		TTF_Font *fb = fonts[2][(it->flags & RDOC_BIG) != 0];
		switch (it->kind) {
		case RDOC_TEXT: {
			SDL_Surface *s = text_surface(f, fb, it->text, max_w);
			if (!s)
				return PRINTER_EIO;
			add(l, s, x_for(it->align, l->width, s->w), s->h, 0);
			break;
		}
		case RDOC_PAIR: {
			SDL_Surface *a = text_surface(f, fb, it->text, max_w), *b = text_surface(f, fb, it->text2, max_w);
			if (!a || !b) {
				SDL_FreeSurface(a);
				SDL_FreeSurface(b);
				return PRINTER_EIO;
			}
			int h = a->h > b->h ? a->h : b->h;
			if (MARGIN + a->w + 8 + b->w > l->width - MARGIN) {
				add(l, a, MARGIN, h, 0);
				add(l, b, l->width - MARGIN - b->w, h, 0);
			} else {
				add(l, a, MARGIN, 0, 0);
				add(l, b, l->width - MARGIN - b->w, h, 0);
			}
			break;
		}
		case RDOC_QR: {
			struct printer_bitmap bm;
			const uint8_t *p = (const uint8_t *)it->text;
			size_t n = strlen(it->text);
			int modules = printer_qr_modules(p, n);
			if (modules < 0)
				return PRINTER_EINVAL;
			int dots = (l->width * 2 / 3) / (modules + 8);
			if (dots < 1)
				dots = 1;
			if (dots > 8)
				dots = 8;
			if (printer_bitmap_qr(p, n, dots, &bm))
				return PRINTER_EINVAL;
			SDL_Surface *s = bitmap_surface(&bm);
			printer_bitmap_free(&bm);
			if (!s)
				return PRINTER_EIO;
			add(l, s, (l->width - s->w) / 2, s->h, 0);
			break;
		}
		case RDOC_SEPARATOR:
			add(l, NULL, 0, line_h, 1);
			break;
		case RDOC_FEED:
			add(l, NULL, 0, line_h * it->n, 0);
			break;
		case RDOC_LOGO: {
			struct printer_bitmap bm;
			if (!logo_path || printer_bitmap_load_png(logo_path, l->width * 3 / 4, &bm))
				break; /* like the ESC/POS path: no logo, no gap */
			SDL_Surface *s = bitmap_surface(&bm);
			printer_bitmap_free(&bm);
			if (!s)
				return PRINTER_EIO;
			add(l, s, (l->width - s->w) / 2, s->h, 0);
			break;
		}
		case RDOC_CUT:
			add(l, NULL, 0, line_h * 2, 2);
			break;
		}
		if (l->y > MAX_HEIGHT)
			return PRINTER_EINVAL;
	}
	l->y += MARGIN;
	return 0;
}

static int draw_png(const struct layout *l, const char *path)
{
	SDL_Surface *img = SDL_CreateRGBSurfaceWithFormat(0, l->width, l->y, 32, SDL_PIXELFORMAT_ARGB8888);
	if (!img)
		return PRINTER_EIO;
	SDL_FillRect(img, NULL, SDL_MapRGBA(img->format, 255, 255, 255, 255));
	Uint32 black = SDL_MapRGBA(img->format, 0, 0, 0, 255);
	for (size_t i = 0; i < l->n; i++) {
		const struct piece *p = &l->p[i];
		if (p->s) {
			SDL_Rect dst = { p->x, p->y, p->s->w, p->s->h };
			SDL_BlitSurface(p->s, NULL, img, &dst);
		} else if (p->rule == 1) {
			SDL_Rect r = { MARGIN, p->y + p->h / 2 - 1, l->width - 2 * MARGIN, 2 };
			SDL_FillRect(img, &r, black);
		} else if (p->rule == 2) {
			for (int x = 0; x < l->width; x += 12) {
				SDL_Rect r = { x, p->y + p->h / 2, 6, 2 };
				SDL_FillRect(img, &r, black);
			}
		}
	}
	int rc = pngio_save(img, path) == 0 ? 0 : PRINTER_EIO;
	SDL_FreeSurface(img);
	return rc;
}

static int write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return PRINTER_EIO;
	size_t n = strlen(text);
	int rc = fwrite(text, 1, n, f) == n ? 0 : PRINTER_EIO;
	if (fclose(f) != 0)
		rc = PRINTER_EIO;
	return rc;
}

/* Writes through path.tmp and rename() so readers never see half a file. */
static int publish(const char *path, int (*writer)(const void *arg, const char *tmp), const void *arg)
{
	char *tmp = xasprintf("%s.tmp", path);
	int rc = writer(arg, tmp);
	if (rc == 0 && rename(tmp, path) != 0)
		rc = PRINTER_EIO;
	if (rc)
		unlink(tmp);
	free(tmp);
	return rc;
}

static int png_writer(const void *arg, const char *tmp) { return draw_png(arg, tmp); }
static int txt_writer(const void *arg, const char *tmp) { return write_text(tmp, arg); }

/* The faces one strip needs.  SDL_ttf's library state and FreeType face creation are not
 * meant for concurrent use with the UI thread's, so the file device opens its fonts once
 * (first print) and keeps them: rendering on our own faces afterwards is safe. */
struct fontset {
	TTF_Font *f[3][2];  /* [regular, bold, fallback][normal, big] */
	bool ttf;
};

static void fontset_close(struct fontset *fs)
{
	for (int b = 0; b < 3; b++)
		for (int g = 0; g < 2; g++)
			if (fs->f[b][g])
				ttf()->CloseFont(fs->f[b][g]);
	if (fs->ttf)
		ttf()->Quit();
	memset(fs, 0, sizeof *fs);
}

static int fontset_open(struct fontset *fs, int width)
{
	memset(fs, 0, sizeof *fs);
	char why[256];
	if (!ttf_lib(why, sizeof why)) {
		log_error("printer", "no_ttf", "why=\"%s\"", why);
		return PRINTER_EIO;
	}
	if (ttf()->Init() != 0)
		return PRINTER_EIO;
	fs->ttf = true;
	int pt = width / 24;
	for (int g = 0; g < 2; g++) {
		fs->f[0][g] = open_font(regular_fonts, 2, pt * (g + 1));
		fs->f[1][g] = open_font(bold_fonts, 3, pt * (g + 1));
		/* DejaVu has the box drawing and symbols Inter lacks */
		fs->f[2][g] = open_font(regular_fonts + 1, 1, pt * (g + 1));
	}
	if (!fs->f[0][0] || !fs->f[0][1] || !fs->f[1][0] || !fs->f[1][1]) {
		log_error("printer", "no_font", "tried=%s", regular_fonts[0]);
		fontset_close(fs);
		return PRINTER_EIO;
	}
	return 0;
}

static int strip_width(int width_mm)
{
	return width_mm <= 58 ? 384 : 576;
}

static int render_with(struct fontset *fs, const struct receipt_doc *doc, int width_mm,
		       const char *logo_path, const char *png_path, const char *txt_path)
{
	int rc = 0;
	if (png_path) {
		struct layout l = { .width = strip_width(width_mm) };
		rc = lay_out(&l, doc, fs->f, logo_path);
		if (!rc)
			rc = publish(png_path, png_writer, &l);
		for (size_t i = 0; i < l.n; i++)
			SDL_FreeSurface(l.p[i].s);
		free(l.p);
	}
	if (!rc && txt_path) {
		char *text = printer_file_text(doc, width_mm);
		rc = publish(txt_path, txt_writer, text);
		free(text);
	}
	return rc;
}

int printer_file_render(const struct receipt_doc *doc, int width_mm, const char *logo_path,
			const char *png_path, const char *txt_path)
{
	struct fontset fs = { .ttf = false };
	if (png_path && fontset_open(&fs, strip_width(width_mm)) != 0)
		return PRINTER_EIO;
	int rc = render_with(&fs, doc, width_mm, logo_path, png_path, txt_path);
	fontset_close(&fs);
	return rc;
}

/* ---------------------------------------------------------------- device */

struct file_dev {
	struct printer_dev dev;
	char *dir;
	char *logo;
	int width_mm;
	long next;
	struct fontset fonts;
};

static int file_status(struct printer_dev *d, enum printer_state *ret)
{
	struct file_dev *f = d->impl;
	if (access(f->dir, W_OK) != 0)
		return PRINTER_EOFFLINE;
	char *path = xasprintf("%s/paper", f->dir);
	FILE *k = fopen(path, "r");
	free(path);
	if (!k) {
		*ret = PRINTER_OK;
		return 0;
	}
	char buf[32] = { 0 };
	size_t n = fread(buf, 1, sizeof buf - 1, k);
	fclose(k);
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' '))
		buf[--n] = 0;
	if (n == 0 || strcmp(buf, "ok") == 0)
		*ret = PRINTER_OK;
	else if (strcmp(buf, "near_end") == 0)
		*ret = PRINTER_NEAR_END;
	else if (strcmp(buf, "out") == 0)
		*ret = PRINTER_PAPER_OUT;
	else if (strcmp(buf, "cover_open") == 0)
		*ret = PRINTER_COVER_OPEN;
	else
		*ret = PRINTER_ERROR;
	return 0;
}

/* The highest n of receipt-<n>-*.txt|png already in dir. */
static long highest(const char *dir)
{
	long max = 0;
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		long n;
		if (sscanf(e->d_name, "receipt-%ld-", &n) == 1 && n > max)
			max = n;
	}
	if (d)
		closedir(d);
	return max;
}

static int file_print(struct printer_dev *d, const struct receipt_doc *doc, const char *tag)
{
	struct file_dev *f = d->impl;
	if (f->next == 0)
		f->next = highest(f->dir) + 1;
	long n = f->next++;
	char *png = xasprintf("%s/receipt-%ld-%s.png", f->dir, n, tag);
	char *txt = xasprintf("%s/receipt-%ld-%s.txt", f->dir, n, tag);
	int rc = f->fonts.ttf ? 0 : fontset_open(&f->fonts, strip_width(f->width_mm));
	if (!rc)
		rc = render_with(&f->fonts, doc, f->width_mm, f->logo, png, txt);
	if (rc)
		log_error("printer", "file_failed", "path=%s rc=%d", png, rc);
	else
		log_info("printer", "file_written", "path=%s", txt);
	free(png);
	free(txt);
	return rc;
}

static void file_destroy(struct printer_dev *d)
{
	struct file_dev *f = d->impl;
	fontset_close(&f->fonts);
	free(f->dir);
	free(f->logo);
	free(f);
}

static const struct printer_dev_ops file_ops = {
	.status = file_status,
	.print = file_print,
	.destroy = file_destroy,
};

struct printer_dev *printer_file_new(const char *dir, int width_mm, const char *logo_path)
{
	struct file_dev *f = xcalloc(1, sizeof *f);
	f->dir = xstrdup(dir);
	f->logo = logo_path ? xstrdup(logo_path) : NULL;
	f->width_mm = width_mm;
	f->dev.ops = &file_ops;
	f->dev.impl = f;
	snprintf(f->dev.desc, sizeof f->dev.desc, "file %.80s", dir);
	return &f->dev;
}
