#ifndef UI_TEXT_H
#define UI_TEXT_H
/* Fonts (one per weight, sized on demand) and a cache of rendered strings as textures, so a frame
 * that shows the same text as the last one renders no glyphs.  Least recently used entries
 * are evicted past the cap. */
#include <SDL.h>

#include "ui/ui.h"

struct text_cache *text_cache_new(struct ui *ui);
void text_cache_free(struct text_cache *c);
/* Evicts entries unused for a while (call once per frame). */
void text_cache_trim(struct text_cache *c);
/* A texture of s (one line, UTF-8) in colour c; owned by the cache, valid this frame. */
SDL_Texture *text_cache_get(struct text_cache *c, const char *s, size_t len, enum ui_weight wt,
			    int px, struct theme_color col, int *ret_w, int *ret_h);
/* Width in pixels of s[0..len). */
int text_measure(struct text_cache *c, const char *s, size_t len, enum ui_weight wt, int px);
int text_line_height(struct text_cache *c, enum ui_weight wt, int px);
int text_cache_size(const struct text_cache *c);
/* Bytes of texture the cache holds (w * h * 4 per entry); bounded by a budget except for
 * the texts of the current frame. */
size_t text_cache_bytes(const struct text_cache *c);

#endif
