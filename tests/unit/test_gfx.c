/* Shapes of ui/gfx.c on a real headless (software) renderer, checked pixel by pixel: opaque
 * fills written straight into the window surface keep their order with queued renderer
 * commands and their clip; a bordered shape is a ring of the border colour around its
 * fill with the background outside its rounded corners; a shadow shows only below the
 * shape. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <string.h>

#include "ui/soft.h"
#include "ui/ui.h"
#include "tests/lib/test_ui.h"

static struct ui *ui;

static int setup(void **st)
{
	(void)st;
	char err[256];
	if (!(ui = test_ui_new(err, sizeof err)))
		fail_msg("%s", err);
	return 0;
}

static int teardown(void **st)
{
	(void)st;
	ui_destroy(ui);
	return 0;
}

static Uint32 rgb(struct theme_color c)
{
	return (Uint32)c.r << 16 | (Uint32)c.g << 8 | c.b;
}

/* Within the anti-aliasing of a colour: no channel more than 24 off. */
static bool near(Uint32 p, Uint32 want)
{
	for (int sh = 0; sh < 24; sh += 8) {
		int d = (int)((p >> sh) & 0xFF) - (int)((want >> sh) & 0xFF);
		if (d > 24 || d < -24)
			return false;
	}
	return true;
}

static Uint32 pixel(int x, int y)
{
	Uint32 p = 0;
	SDL_RenderReadPixels(ui->ren, &(SDL_Rect){ x, y, 1, 1 }, SDL_PIXELFORMAT_RGB888, &p, 4);
	return p & 0xFFFFFF;
}

/* Opaque fills go straight into the software renderer's surface: they keep their order
 * with the renderer's own drawing (a blended fill queued before them lands first) and stay
 * inside the clip rectangle. */
static void test_fills_keep_order_and_clip(void **st)
{
	(void)st;
	assert_true(ui->soft);
	ui_frame_begin(ui, false, false, LANG_RU);
	ui_clear(ui);
	ui_fill_rect(ui, (struct ui_rect){ 10, 10, 100, 100 }, (struct theme_color){ 0, 0, 255, 128 });
	ui_fill_rect(ui, (struct ui_rect){ 50, 50, 100, 100 }, (struct theme_color){ 255, 0, 0, 255 });
	SDL_RenderSetClipRect(ui->ren, &(SDL_Rect){ 200, 200, 10, 10 });
	ui_fill_rect(ui, (struct ui_rect){ 195, 195, 30, 30 }, (struct theme_color){ 0, 255, 0, 255 });
	SDL_RenderSetClipRect(ui->ren, NULL);
	ui_fill_rect(ui, (struct ui_rect){ 1070, 1910, 50, 50 }, (struct theme_color){ 1, 2, 3, 255 });
	assert_int_equal(pixel(60, 60), 0xFF0000);       /* opaque over the blended one */
	assert_int_not_equal(pixel(20, 20), 0xFF0000);   /* the blended one alone */
	assert_int_not_equal(pixel(20, 20), pixel(300, 300));
	assert_int_equal(pixel(200, 200), 0x00FF00);
	assert_int_equal(pixel(209, 209), 0x00FF00);
	assert_int_equal(pixel(199, 205), pixel(300, 300)); /* outside the clip: background */
	assert_int_equal(pixel(210, 205), pixel(300, 300));
	assert_int_equal(pixel(1079, 1919), 0x010203);   /* cut at the window's edge */
	ui_frame_end(ui);
}

/* A card 400 x 300 at (100, 100), radius 40, border 3. */
static void test_round_border_ring(void **st)
{
	(void)st;
	const struct theme_color border = { 200, 30, 30, 255 }, fill = { 250, 250, 250, 255 };
	ui_frame_begin(ui, false, false, LANG_RU);
	ui_clear(ui);
	Uint32 bg = pixel(900, 900);
	ui_round_border(ui, (struct ui_rect){ 100, 100, 400, 300 }, 40, 3, border, fill);
	/* The four edges, in the middle of each, are the border colour all 3 px deep. */
	for (int d = 0; d < 3; d++) {
		assert_int_equal(pixel(300, 100 + d), rgb(border));
		assert_int_equal(pixel(300, 399 - d), rgb(border));
		assert_int_equal(pixel(100 + d, 250), rgb(border));
		assert_int_equal(pixel(499 - d, 250), rgb(border));
	}
	/* Inside: the fill, also right next to the border and near the corners. */
	assert_int_equal(pixel(300, 103), rgb(fill));
	assert_int_equal(pixel(103, 250), rgb(fill));
	assert_int_equal(pixel(300, 250), rgb(fill));
	assert_int_equal(pixel(130, 130), rgb(fill));
	assert_int_equal(pixel(470, 370), rgb(fill));
	/* Outside the rounded corners: the background; just outside the box too. */
	assert_int_equal(pixel(100, 100), bg);
	assert_int_equal(pixel(499, 399), bg);
	assert_int_equal(pixel(300, 99), bg);
	assert_int_equal(pixel(500, 250), bg);
	/* On the corner's arc (45°, 38 px from the corner's centre (140, 140)): the border. */
	assert_true(near(pixel(140 - 27, 140 - 27), rgb(border)));
	assert_true(near(pixel(140 - 25, 140 - 25), rgb(fill)));
	ui_frame_end(ui);
}

/* A shadow drawn before a shape shows as a strip below it and nowhere above or beside. */
static void test_shadow_only_below(void **st)
{
	(void)st;
	const struct theme_color shade = { 10, 30, 80, 60 }, body = { 255, 255, 255, 255 };
	ui_frame_begin(ui, false, false, LANG_RU);
	ui_clear(ui);
	Uint32 bg = pixel(900, 900);
	struct ui_rect r = { 100, 500, 400, 200 };
	ui_shadow(ui, r, 30, 6, shade);
	ui_fill_round(ui, r, 30, body);
	for (int y = 700; y < 706; y++)
		assert_int_not_equal(pixel(300, y), bg);      /* the strip under the bottom edge */
	assert_int_equal(pixel(300, 706), bg);             /* and no further */
	assert_int_equal(pixel(300, 499), bg);             /* nothing above */
	assert_int_equal(pixel(99, 600), bg);              /* nor beside */
	assert_int_equal(pixel(500, 600), bg);
	assert_int_equal(pixel(300, 600), rgb(body));
	assert_int_not_equal(pixel(118, 702), bg);         /* under the bottom-left corner */
	assert_int_equal(pixel(101, 701), bg);             /* outside the shadow's own corner */
	ui_frame_end(ui);
}

/* A coverage mask blends its colour by coverage: 0 leaves the background, 255 is the
 * colour, 128 halfway (rounded); rows and columns outside the clip are left alone. */
static void test_mask_blends_and_clips(void **st)
{
	(void)st;
	ui_frame_begin(ui, false, false, LANG_RU);
	ui_clear(ui);
	ui_fill_rect(ui, (struct ui_rect){ 0, 0, 100, 100 }, (struct theme_color){ 0, 100, 200, 255 });
	static const uint8_t m[2 * 4] = { 0, 128, 255, 64, 255, 255, 255, 255 };
	soft_mask(ui, m, 4, 2, 4, (struct theme_color){ 200, 0, 100, 255 }, 10, 10);
	assert_int_equal(pixel(10, 10), 0x0064C8);                 /* 0: untouched */
	assert_int_equal(pixel(11, 10), (100u << 16) | (50u << 8) | 150u); /* 128: halfway */
	assert_int_equal(pixel(12, 10), 0xC80064);                 /* 255: the colour */
	assert_int_equal(pixel(13, 10), (50u << 16) | (75u << 8) | 175u);  /* 64: a quarter */
	SDL_RenderSetClipRect(ui->ren, &(SDL_Rect){ 0, 0, 100, 21 });
	soft_mask(ui, m, 4, 2, 4, (struct theme_color){ 200, 0, 100, 255 }, 10, 20);
	SDL_RenderSetClipRect(ui->ren, NULL);
	assert_int_equal(pixel(12, 20), 0xC80064);
	assert_int_equal(pixel(12, 21), 0x0064C8);                 /* below the clip */
	/* At the window's corner only the top-left 2 x 1 of the mask is inside. */
	soft_mask(ui, m, 4, 2, 4, (struct theme_color){ 200, 0, 100, 255 }, 1078, 1919);
	assert_int_equal(pixel(1078, 1919), pixel(1000, 1000));    /* coverage 0 */
	assert_int_not_equal(pixel(1079, 1919), pixel(1000, 1000)); /* coverage 128 */
	/* Rows are pitch bytes apart: 3 pixels a row, padded to 4 with bytes never drawn. */
	static const uint8_t padded[2 * 4] = { 255, 0, 255, 255, 0, 255, 0, 255 };
	soft_mask(ui, padded, 3, 2, 4, (struct theme_color){ 200, 0, 100, 255 }, 30, 30);
	assert_int_equal(pixel(30, 30), 0xC80064);
	assert_int_equal(pixel(31, 30), 0x0064C8);
	assert_int_equal(pixel(33, 30), 0x0064C8);                 /* the padding */
	assert_int_equal(pixel(30, 31), 0x0064C8);                 /* row 2 starts at byte 4 */
	assert_int_equal(pixel(31, 31), 0xC80064);
	assert_int_equal(pixel(32, 31), 0x0064C8);
	ui_frame_end(ui);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fills_keep_order_and_clip),
		cmocka_unit_test(test_round_border_ring),
		cmocka_unit_test(test_shadow_only_below),
		cmocka_unit_test(test_mask_blends_and_clips),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
