/* Widgets on a real (headless) renderer: the first frame rehearsed by ui_create's worker;
 * hit-testing, taps that start and end on the same widget, disabled widgets, overlays on
 * top, scroll clipping, drag-is-not-a-tap; text wrapped at the same places as by measuring
 * every prefix. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <string.h>

#include <SDL_ttf.h>

#include "kiosk/conf/config.h"
#include "kiosk/flow/flow.h"
#include "ui/icons.h"
#include "ui/screens.h"
#include "ui/text.h"
#include "ui/ui.h"
#include "tests/lib/test_zone.h"
#include "tests/lib/test_ui.h"

static struct ui *ui;

/* The kiosk as it starts: the attract screen, at one fixed time. */
static struct config first_cfg;
static struct flow first;
static struct screen_ctx first_ctx;

static void rehearse_attract(struct ui *r, void *ud)
{
	(void)ud;
	screens_draw(r, &first, &first_ctx);
}

static int setup(void **st)
{
	(void)st;
	char err[256];
	config_defaults(&first_cfg);
	struct flow_config fc = { .inactivity_ms = 60000, .prompt_ms = 20000, .lang = LANG_RU };
	flow_init(&first, &fc, 0);
	first_ctx = (struct screen_ctx){ .cfg = &first_cfg, .wall_ms = 1764108000000, .mono_ms = 0 };
	if (!(ui = test_ui_new_rehearsed(rehearse_attract, NULL, err, sizeof err)))
		fail_msg("%s", err);
	return 0;
}

static int teardown(void **st)
{
	(void)st;
	ui_destroy(ui);
	return 0;
}

static void frame(void)
{
	ui_frame_begin(ui, false, false, LANG_RU);
	ui_clear(ui);
	ui_button(ui, "a", "A", NULL, (struct ui_rect){ 100, 100, 300, 150 }, UI_PRIMARY, true);
	ui_button(ui, "b", "B", "home", (struct ui_rect){ 100, 300, 300, 150 }, UI_SECONDARY, false);
	ui_hotspot(ui, "overlay", (struct ui_rect){ 350, 120, 200, 100 }); /* on top of a's right edge */
	ui_frame_end(ui);
}

/* ui_create's worker drew the attract screen ahead without a renderer: its lines and icons
 * are in the cache before any frame, and the first frame renders none of its own; it shows
 * and registers the attract screen all the same. */
static void test_first_frame_rehearsed(void **st)
{
	(void)st;
	assert_int_equal(ui->frames, 0);
	int n = text_cache_size(ui->cache);
	assert_true(n >= 10);
	screens_draw(ui, &first, &first_ctx);
	ui_frame_end(ui);
	assert_int_equal(text_cache_size(ui->cache), n);
	assert_non_null(ui_find(ui, "pay_bill"));
	assert_non_null(strstr(ui->text_log, "Оплатить квитанцию"));
}

static void test_hit(void **st)
{
	(void)st;
	frame();
	assert_string_equal(ui_hit(ui, 110, 110)->id, "a");
	assert_string_equal(ui_hit(ui, 399, 249)->id, "a");
	assert_string_equal(ui_hit(ui, 360, 130)->id, "overlay"); /* later = on top */
	assert_null(ui_hit(ui, 99, 110));
	assert_null(ui_hit(ui, 100, 250)); /* the gap between a and b */
	assert_string_equal(ui_hit(ui, 150, 350)->id, "b");
	assert_non_null(ui_find(ui, "b"));
	assert_false(ui_find(ui, "b")->enabled);
	assert_null(ui_find(ui, "zzz"));
}

static void test_taps(void **st)
{
	(void)st;
	frame();
	int64_t held = -1;
	ui_press(ui, 150, 150, 1000);
	assert_string_equal(ui->pressed, "a");
	const char *id = ui_release(ui, 160, 160, 1250, &held);
	assert_non_null(id);
	assert_string_equal(id, "a");
	assert_int_equal(held, 250);
	/* Sliding off before release cancels: onto empty space, and onto another enabled
	 * widget (the overlay), which must not receive a tap it never saw pressed. */
	ui_press(ui, 150, 150, 2000);
	assert_null(ui_release(ui, 150, 700, 2100, &held));
	ui_press(ui, 150, 150, 2200);
	assert_string_equal(ui_hit(ui, 450, 170)->id, "overlay");
	assert_null(ui_release(ui, 450, 170, 2300, &held));
	/* A disabled widget cannot be pressed. */
	ui_press(ui, 150, 350, 3000);
	assert_string_equal(ui->pressed, "");
	assert_null(ui_release(ui, 150, 350, 3100, &held));
}

static void test_scroll(void **st)
{
	(void)st;
	for (int pass = 0; pass < 2; pass++) {
		ui_frame_begin(ui, false, false, LANG_RU);
		ui_clear(ui);
		struct ui_rect area = ui_scroll_begin(ui, (struct ui_rect){ 0, 200, 1000, 600 });
		for (int i = 0; i < 10; i++) {
			char id[16];
			snprintf(id, sizeof id, "row_%d", i);
			ui_button(ui, id, id, NULL, (struct ui_rect){ area.x, area.y + i * 200, 1000, 180 }, UI_SECONDARY, true);
		}
		ui_scroll_end(ui, 2000);
		ui_frame_end(ui);
		if (pass == 0) {
			/* Rows 0..2 visible (600 px): rows under the fold are not tappable. */
			assert_non_null(ui_find(ui, "row_0"));
			assert_non_null(ui_find(ui, "row_2"));
			assert_null(ui_find(ui, "row_3"));
			assert_int_equal(ui->scroll_max, 1400);
			/* Drag up by 400 px: no tap, offset moves. */
			int64_t held;
			ui_press(ui, 500, 700, 0);
			ui_drag(ui, 500, 500);
			ui_drag(ui, 500, 300);
			assert_null(ui_release(ui, 500, 300, 10, &held));
			assert_int_equal(ui->scroll_offset, 400);
		} else {
			assert_null(ui_find(ui, "row_0"));
			assert_non_null(ui_find(ui, "row_3"));
		}
	}
	ui_scroll_reset(ui);
	assert_int_equal(ui->scroll_offset, 0);
}

static void test_screens_register_ids(void **st)
{
	(void)st;
	struct config cfg;
	config_defaults(&cfg);
	struct flow f;
	struct flow_config fc = { .inactivity_ms = 60000, .prompt_ms = 20000, .lang = LANG_RU };
	flow_init(&f, &fc, 0);
	struct screen_ctx ctx = { .cfg = &cfg, .wall_ms = 1764108000000, .mono_ms = 0 };
	screens_draw(ui, &f, &ctx);
	ui_frame_end(ui);
	const char *ids[] = { "pay_bill", "submit_readings", "help", "lang", "large_text", "contrast", "staff_entry" };
	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
		if (!ui_find(ui, ids[i]))
			fail_msg("attract lacks widget %s", ids[i]);
	/* Large enough for a finger: every button ≥ 120 design px tall (≥ 15 mm on a 21.5" panel). */
	for (int i = 0; i < ui->nwidgets; i++)
		if (strcmp(ui->widgets[i].id, "staff_entry") != 0)
			assert_true(ui->widgets[i].r.h >= 120);
	assert_non_null(strstr(ui->text_log, "Оплатить квитанцию"));
	/* The prompt overlay covers everything: its button wins the hit test. */
	f.prompt_since_ms = 1;
	screens_draw(ui, &f, &ctx);
	ui_frame_end(ui);
	const struct ui_widget *w = ui_find(ui, "still_here");
	assert_non_null(w);
	assert_string_equal(ui_hit(ui, w->r.x + 5, w->r.y + 5)->id, "still_here");
	const struct ui_widget *pay = ui_find(ui, "pay_bill");
	assert_string_equal(ui_hit(ui, pay->r.x + 5, pay->r.y + 5)->id, "prompt_backdrop");
	assert_non_null(strstr(ui->text_log, "Вы ещё здесь?"));
}

/* Lines of a paragraph as the first version of fit_line found them: every prefix up to a
 * space measured in turn, the break at the last that fits (the whole paragraph when it
 * all fits, the first word when none does). */
static int reference_lines(const char *s, int size, enum ui_weight wt, int width)
{
	int lines = 0;
	char buf[512];
	for (const char *p = s; *p;) {
		size_t best = 0, i = 0;
		for (;; i++) {
			bool end = p[i] == '\0' || p[i] == '\n';
			if (!end && p[i] != ' ')
				continue;
			memcpy(buf, p, i);
			buf[i] = '\0';
			int w = ui_text_width(ui, buf, size, wt);
			if (end) {
				if (w <= width || best == 0)
					best = i;
				break;
			}
			if (w > width)
				break;
			best = i;
		}
		if (best == 0)
			while (p[best] && p[best] != '\n' && p[best] != ' ')
				best++;
		p += best;
		while (*p == ' ')
			p++;
		if (*p == '\n')
			p++;
		lines++;
	}
	return lines;
}

/* The bisection in fit_line breaks every paragraph into as many lines as measuring every
 * prefix did, at every width from a word's to the screen's. */
static void test_wrap_as_linear(void **st)
{
	(void)st;
	static const char *const texts[] = {
		"Поднесите QR-код квитанции к сканеру или выберите действие",
		"Нет связи с расчётным центром. Оплата картой временно недоступна. Показания можно передать.",
		"Голосовое сопровождение",
		"одно",
		"A very long paragraph in English to wrap, with short and looooooooooong words in it\nand a second line",
		" leading space and  two spaces",
	};
	ui_frame_begin(ui, false, false, LANG_RU);
	int checked = 0;
	for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++)
		for (int width = 40; width <= 1100; width += 13) {
			int lh = ui_text_height(ui, "x", 36, UI_MEDIUM, width);
			int want = reference_lines(texts[t], 36, UI_MEDIUM, width);
			assert_int_equal(ui_text_height(ui, texts[t], 36, UI_MEDIUM, width), want * lh);
			checked++;
		}
	assert_int_equal(checked, 6 * 82);
}

/* Every icon the table names is a glyph of the icon font (a code point it lacks would
 * draw nothing), and a name not in the table has none. */
static void test_icons_in_font(void **st)
{
	(void)st;
	TTF_Font *f = TTF_OpenFont(ui->font_path[UI_ICON], 48);
	assert_non_null(f);
	assert_true(icon_count() >= 44);
	for (int i = 0; i < icon_count(); i++) {
		uint32_t cp = icon_codepoint(icon_name(i));
		assert_true(cp >= 0xe000);
		if (!TTF_GlyphIsProvided32(f, cp))
			fail_msg("icon %s (U+%04X) is not in %s", icon_name(i), (unsigned)cp, ui->font_path[UI_ICON]);
	}
	assert_int_not_equal(icon_codepoint("expand_more"), 0);
	assert_int_equal(icon_codepoint("no_such_icon"), 0);
	TTF_CloseFont(f);
}

int main(void)
{
	test_zone("Europe/Moscow");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_frame_rehearsed),
		cmocka_unit_test(test_hit),
		cmocka_unit_test(test_wrap_as_linear),
		cmocka_unit_test(test_icons_in_font),
		cmocka_unit_test(test_taps),
		cmocka_unit_test(test_scroll),
		cmocka_unit_test(test_screens_register_ids),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
