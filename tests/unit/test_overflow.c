/* ui/overflow: what the checker finds in a frame, first on notes placed by hand (the rules:
 * box, widget, screen, overlap, scroll, modal, the one-pixel slack), then on a real headless
 * renderer (a label too wide for its box is found; a button always fits its label, in both
 * themes and at large text, whatever its size). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "ui/overflow.h"
#include "ui/ui.h"
#include "tests/lib/test_ui.h"

static struct ui *ui;
static char out[8192];

static int setup(void **st)
{
	(void)st;
	char err[256];
	if (!(ui = test_ui_new(err, sizeof err)))
		fail_msg("%s", err);
	overflow_enable(ui);
	return 0;
}

static int teardown(void **st)
{
	(void)st;
	ui_destroy(ui);
	return 0;
}

static struct ui_rect R(int x, int y, int w, int h) { return (struct ui_rect){ x, y, w, h }; }

static int findings(void) { return overflow_findings(ui, out, sizeof out); }

static void test_inside_is_clean(void **st)
{
	(void)st;
	overflow_frame(ui);
	overflow_note(ui, "Оплатить", R(100, 100, 200, 40), R(100, 100, 200, 40));
	overflow_note(ui, "Назад", R(100, 160, 200, 40), R(90, 150, 400, 0)); /* h 0: no bottom */
	overflow_note(ui, "edge", R(99, 300, 202, 40), R(100, 300, 200, 40)); /* one px: slack */
	assert_int_equal(findings(), 0);
	assert_string_equal(out, "");
}

static void test_leaves_box(void **st)
{
	(void)st;
	overflow_frame(ui);
	overflow_note(ui, "Лицевой счёт", R(100, 100, 230, 40), R(100, 100, 200, 40));
	assert_int_equal(findings(), 1);
	assert_string_equal(out, "widget '-': text 'Лицевой счёт' leaves its box by 30 px at the right\n");
	overflow_frame(ui);
	overflow_note(ui, "two lines", R(100, 100, 200, 90), R(100, 100, 200, 50));
	assert_int_equal(findings(), 1);
	assert_non_null(strstr(out, "by 40 px at the bottom"));
}

static void test_leaves_widget(void **st)
{
	(void)st;
	overflow_frame(ui);
	overflow_widget_begin(ui, "pay", R(0, 0, 300, 100));
	overflow_note(ui, "Оплатить картой", R(20, 80, 200, 40), R(20, 80, 200, 40));
	overflow_widget_end(ui);
	overflow_note(ui, "after", R(500, 500, 10, 10), R(0, 0, 0, 0)); /* not in the widget */
	assert_int_equal(findings(), 2);
	assert_non_null(strstr(out, "widget 'pay': text 'Оплатить картой' leaves its widget by 20 px at the bottom\n"));
	assert_non_null(strstr(out, "widget '-': text 'after' leaves its box"));
}

static void test_overlap(void **st)
{
	(void)st;
	overflow_frame(ui);
	overflow_note(ui, "50012-345", R(100, 100, 300, 40), R(0, 0, 1080, 0));
	overflow_note(ui, "4 523,16 ₽", R(350, 110, 150, 40), R(0, 0, 1080, 0));
	overflow_note(ui, "apart", R(100, 141, 200, 40), R(0, 0, 1080, 0)); /* 1 px under the first: slack */
	assert_int_equal(findings(), 1);
	assert_string_equal(out, "widget '-': text '50012-345' overlaps text '4 523,16 ₽' (30 px)\n");
}

static void test_off_screen(void **st)
{
	(void)st;
	overflow_frame(ui);
	overflow_note(ui, "низ", R(100, 1900, 100, 40), R(100, 1900, 100, 40));
	assert_int_equal(findings(), 1);
	assert_non_null(strstr(out, "is off the screen by 20 px at the bottom"));
}

static void test_scroll_and_modal(void **st)
{
	(void)st;
	overflow_frame(ui);
	struct ui_rect area = ui_scroll_begin(ui, R(0, 200, 1080, 400));
	(void)area;
	overflow_note(ui, "below the view", R(100, 900, 100, 40), R(100, 900, 100, 40));
	overflow_note(ui, "half seen", R(100, 580, 100, 40), R(100, 580, 100, 40));
	ui_scroll_end(ui, 800);
	assert_int_equal(findings(), 0); /* the scroll's edge is not a finding, hidden text waits */
	overflow_note(ui, "under the prompt", R(100, 1000, 400, 40), R(100, 1000, 100, 40));
	overflow_cover(ui);
	overflow_note(ui, "Вы ещё здесь?", R(100, 1000, 400, 40), R(100, 1000, 400, 40));
	assert_int_equal(findings(), 0);
}

/* A real frame: ui_text's ink is measured from the glyphs. */
static void test_real_text(void **st)
{
	(void)st;
	ui_frame_begin(ui, false, false, LANG_RU);
	ui_clear(ui);
	ui_text(ui, "Лицевой счёт 50012-345", 36, UI_SEMIBOLD, ui->t->text, R(100, 100, 120, 60), UI_LEFT, false);
	ui_text(ui, "ok", 36, UI_SEMIBOLD, ui->t->text, R(100, 300, 400, 60), UI_LEFT, false);
	ui_frame_end(ui);
	assert_int_equal(findings(), 1);
	assert_non_null(strstr(out, "text 'Лицевой счёт 50012-345' leaves its box by "));
}

/* Whatever the size, theme or text scale, a button's label stays inside it. */
static void test_buttons_fit(void **st)
{
	(void)st;
	static const char *const labels[] = { "Голосовое сопровождение", "Получить электронный чек", "English",
					      "Да, отменить оплату", "Reconciliation", "1" };
	static const struct ui_rect sizes[] = { { 20, 20, 150, 120 }, { 20, 20, 250, 100 }, { 20, 20, 500, 150 },
						{ 20, 20, 330, 62 } };
	for (int look = 0; look < 4; look++) {
		for (size_t l = 0; l < sizeof labels / sizeof labels[0]; l++) {
			for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++) {
				ui_frame_begin(ui, look & 1, look & 2, LANG_RU);
				ui_clear(ui);
				ui_button(ui, "b", labels[l], "home", sizes[z], UI_SECONDARY, true);
				ui_frame_end(ui);
				if (findings() != 0)
					fail_msg("look %d, '%s' in %dx%d: %s", look, labels[l], sizes[z].w, sizes[z].h, out);
			}
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inside_is_clean), cmocka_unit_test(test_leaves_box),
		cmocka_unit_test(test_leaves_widget),   cmocka_unit_test(test_overlap),
		cmocka_unit_test(test_off_screen),      cmocka_unit_test(test_scroll_and_modal),
		cmocka_unit_test(test_real_text),       cmocka_unit_test(test_buttons_fit),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
