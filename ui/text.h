#ifndef UI_TEXT_H
#define UI_TEXT_H
/* Fonts (one per weight, sized on demand) and a cache of rendered strings as textures, so a frame
 * that shows the same text as the last one renders no glyphs.  Least recently used entries
 * are evicted past the cap. */
#include <SDL.h>

#include "ui/ui.h"

struct text_cache *text_cache_new(struct ui *ui);
/* Points the cache at UI: the ui whose frame count, renderer and overflow checking its
 * entries follow.  ui_create's rehearsal of the first frame draws through a ui of its own,
 * without a renderer, on its worker: the texts come out rendered, as coverage, and become
 * textures (for a GPU renderer) when the real frame asks for them. */
void text_cache_bind(struct text_cache *c, struct ui *ui);
/* Opens every weight's face now and readies its shaping (HarfBuzz's tables, one plan per
 * script), so the first frame does not: ui_create has it done on a worker while SDL makes
 * the window.  Needs TTF_Init done and the font paths set; without it, each face opens at
 * its first use. */
void text_cache_open_faces(struct text_cache *c);
void text_cache_free(struct text_cache *c);
/* Evicts entries unused for a while (call once per frame). */
void text_cache_trim(struct text_cache *c);
/* s (one line, UTF-8) rendered in colour c: a texture for a GPU renderer, or a one-byte
 * coverage mask for the software renderer (ui/soft.h) and for a ui without a renderer.
 * Owned by the cache, valid this frame. */
struct text_img;
const struct text_img *text_cache_get(struct text_cache *c, const char *s, size_t len, enum ui_weight wt,
				      int px, struct theme_color col, int *ret_w, int *ret_h);
/* Where t's ink lands when drawn at (x, y) (the whole image unless overflow checking was on
 * when it was rendered: ui/overflow.h). */
struct ui_rect text_ink(const struct text_img *t, int x, int y);
/* Draws t (NULL: nothing) with its top-left corner at (x, y). */
void text_draw(struct text_cache *c, const struct text_img *t, int x, int y);
/* Width in pixels of s[0..len). */
int text_measure(struct text_cache *c, const char *s, size_t len, enum ui_weight wt, int px);
int text_line_height(struct text_cache *c, enum ui_weight wt, int px);
int text_cache_size(const struct text_cache *c);
/* Bytes the cache holds (w * h * 4 a texture, pitch * h a mask); bounded by a budget except for
 * the texts of the current frame. */
size_t text_cache_bytes(const struct text_cache *c);
/* That budget: 3 MB of textures, or 1.5 MB of masks. */
size_t text_cache_budget(const struct text_cache *c);

#endif
