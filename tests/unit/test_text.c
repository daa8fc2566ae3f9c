/* The text cache (ui/text.c) on a real headless renderer: lines rendered by ui_create's
 * rehearsal are found by the first frame, their ink measured when checking needs it; a
 * string drawn again is a hit (the same texture), the texture bytes stay within the budget
 * however many one-off strings go through it, textures of the current frame are never
 * evicted, and a string drawn every frame stays a hit while evictions punch holes around
 * it; remembered widths are the widths SDL_ttf measures, per string, weight and size. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "ui/overflow.h"
#include "ui/text.h"
#include "ui/ui.h"
#include "tests/lib/test_ui.h"


static struct ui *ui;
static const struct theme_color ink = { 20, 30, 40, 255 };
static const char rehearsed[] = "Оплата";
static bool rehearsal_had_renderer = true;

/* The first frame as ui_create's worker draws it ahead, into a ui without a renderer: one
 * line asked of the cache, one through the widget layer.  (No cmocka assertion here: it
 * runs on the worker's thread.) */
static void rehearse(struct ui *r, void *ud)
{
	(void)ud;
	int w, h;
	rehearsal_had_renderer = r->ren != NULL;
	text_cache_get(r->cache, rehearsed, strlen(rehearsed), UI_BOLD, 64, ink, &w, &h);
	ui_frame_begin(r, false, false, LANG_RU);
	ui_text(r, "Итого", 30, UI_REGULAR, ink, (struct ui_rect){ 0, 0, 1000, 200 }, UI_LEFT, false);
}

static int setup(void **st)
{
	(void)st;
	char err[256];
	if (!(ui = test_ui_new_rehearsed(rehearse, NULL, err, sizeof err)))
		fail_msg("%s", err);
	return 0;
}

static int teardown(void **st)
{
	(void)st;
	ui_destroy(ui);
	return 0;
}

/* A wide one-off line (about 1000 x 80 px at 64 px: ~300 KB of texture). */
static const struct text_img *big(int i, int *w, int *h)
{
	char s[160];
	int n = snprintf(s, sizeof s, "Оплата по лицевому счёту №%06d принята, спасибо", i);
	return text_cache_get(ui->cache, s, (size_t)n, UI_BOLD, 64, ink, w, h);
}

static const struct text_img *keeper(void)
{
	int w, h;
	return text_cache_get(ui->cache, "Итого: 4 523,16 ₽", strlen("Итого: 4 523,16 ₽"), UI_SEMIBOLD, 48, ink, &w, &h);
}

/* Both rehearsed lines are in the cache before any frame, and the first frame's asking is
 * a hit.  Checking turned on after the rehearsal: the rehearsed line's ink box is measured
 * at that first use (without it, the box would be the whole image), the same box as the
 * line's rendered in another colour while checking was on. */
static void test_rehearsed_lines_ready(void **st)
{
	(void)st;
	assert_false(rehearsal_had_renderer);
	assert_int_equal(ui->frames, 0);
	assert_int_equal(text_cache_size(ui->cache), 2);
	overflow_enable(ui);
	ui_frame_begin(ui, false, false, LANG_RU);
	int w, h, w2, h2;
	const struct text_img *t = text_cache_get(ui->cache, rehearsed, strlen(rehearsed), UI_BOLD, 64, ink, &w, &h);
	assert_non_null(t);
	assert_int_equal(text_cache_size(ui->cache), 2);
	const struct text_img *u = text_cache_get(ui->cache, rehearsed, strlen(rehearsed), UI_BOLD, 64,
						  (struct theme_color){ 200, 30, 40, 255 }, &w2, &h2);
	assert_int_equal(text_cache_size(ui->cache), 3);
	struct ui_rect a = text_ink(t, 0, 0), b = text_ink(u, 0, 0);
	assert_true(a.y > 0 && a.h < h);
	assert_int_equal(w, w2);
	assert_int_equal(h, h2);
	assert_memory_equal(&a, &b, sizeof a);
	ui_frame_end(ui);
	overflow_free(ui);
}

static void test_hit_same_texture(void **st)
{
	(void)st;
	ui_frame_begin(ui, false, false, LANG_RU);
	ui_clear(ui);
	int n0 = text_cache_size(ui->cache);
	const struct text_img *a = keeper(), *b = keeper();
	assert_non_null(a);
	assert_ptr_equal(a, b);
	assert_int_equal(text_cache_size(ui->cache), n0 + 1);
	ui_frame_end(ui);
}

static void test_bytes_bounded(void **st)
{
	(void)st;
	int w = 0, h = 0;
	const struct text_img *k = NULL;
	for (int i = 0; i < 300; i++) {
		ui_frame_begin(ui, false, false, LANG_RU);
		ui_clear(ui);
		const struct text_img *ki = keeper();
		if (!k)
			k = ki;
		/* Drawn every frame: never evicted, found past every hole. */
		assert_ptr_equal(ki, k);
		assert_non_null(big(i, &w, &h));
		assert_true(text_cache_bytes(ui->cache) <= text_cache_budget(ui->cache));
		ui_frame_end(ui);
	}
	assert_true(w > 600 && h > 40);
	/* 300 one-off lines of ~w*h bytes each (a byte a pixel: the headless renderer keeps
	 * masks) would be far over the budget. */
	assert_true((size_t)300 * (size_t)w * (size_t)h > 4 * text_cache_budget(ui->cache));
	assert_true(text_cache_size(ui->cache) < 300);
}

static void test_current_frame_kept(void **st)
{
	(void)st;
	int w, h;
	ui_frame_begin(ui, false, false, LANG_RU);
	ui_clear(ui);
	const struct text_img *first = big(100000, &w, &h);
	size_t one = (size_t)w * (size_t)h; /* a mask: a byte a pixel */
	int n = (int)(text_cache_budget(ui->cache) / one) + 10; /* more than the budget holds, all in this frame */
	for (int i = 1; i <= n; i++)
		assert_non_null(big(100000 + i, &w, &h));
	assert_true(text_cache_bytes(ui->cache) > text_cache_budget(ui->cache));
	assert_ptr_equal(big(100000, &w, &h), first);
	ui_frame_end(ui);
	/* The next frame's first new text brings the cache back within the budget. */
	ui_frame_begin(ui, false, false, LANG_RU);
	ui_clear(ui);
	assert_non_null(big(200000, &w, &h));
	assert_true(text_cache_bytes(ui->cache) <= text_cache_budget(ui->cache));
	ui_frame_end(ui);
}

/* Every prefix of a sentence at two sizes and two weights, measured twice (the second time
 * from the memo), equals SDL_ttf's own measurement of that prefix in that font. */
static void test_widths_remembered_exactly(void **st)
{
	(void)st;
	const char *s = "Лицевой счёт 50098-765: к оплате 4 523,16 ₽ за ноябрь 2026";
	size_t n = strlen(s);
	static const int sizes[] = { 32, 33 };
	static const enum ui_weight wts[] = { UI_REGULAR, UI_BOLD };
	for (int pass = 0; pass < 2; pass++)
		for (int a = 0; a < 2; a++)
			for (int b = 0; b < 2; b++) {
				TTF_Font *f = TTF_OpenFont(ui->font_path[wts[b]], sizes[a]);
				assert_non_null(f);
				TTF_SetFontHinting(f, TTF_HINTING_LIGHT);
				for (size_t len = 1; len <= n; len++) {
					char buf[128];
					memcpy(buf, s, len);
					buf[len] = '\0';
					int want = 0, h = 0;
					TTF_SizeUTF8(f, buf, &want, &h);
					assert_int_equal(text_measure(ui->cache, s, len, wts[b], sizes[a]), want);
				}
				TTF_CloseFont(f);
			}
	/* Sizes and weights differ, so the memo holds different widths for the same text. */
	assert_int_not_equal(text_measure(ui->cache, s, n, UI_REGULAR, 32), text_measure(ui->cache, s, n, UI_REGULAR, 33));
	assert_int_not_equal(text_measure(ui->cache, s, n, UI_REGULAR, 32), text_measure(ui->cache, s, n, UI_BOLD, 32));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rehearsed_lines_ready),
		cmocka_unit_test(test_hit_same_texture),
		cmocka_unit_test(test_bytes_bounded),
		cmocka_unit_test(test_current_frame_kept),
		cmocka_unit_test(test_widths_remembered_exactly),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
