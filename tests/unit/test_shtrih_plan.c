/* The driver's pure decisions: the fix for each mode and submode (in the order the
 * preflight applies them), the held close reply, the archive match, day counts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "drivers/shtrih_plan.h"
#include "drivers/shtrih_state.h"

static enum shtrih_fix fix(uint8_t mode, uint8_t submode, uint16_t flags, bool open,
			   const char **why)
{
	struct shtrih_short_status st = { .mode = mode, .submode = submode, .flags = flags };
	return shtrih_plan_fix(&st, open, why);
}

static void test_fix_table(void **state)
{
	(void)state;
	const char *why;
	const uint16_t paper = SHTRIH_FLAG_PAPER;
	assert_int_equal(fix(2, 0, paper, true, &why), SHTRIH_FIX_NONE);
	assert_int_equal(fix(4, 0, paper, true, &why), SHTRIH_FIX_OPEN_SHIFT);
	assert_int_equal(fix(4, 0, paper, false, &why), SHTRIH_FIX_NONE);
	assert_int_equal(fix(3, 0, paper, true, &why), SHTRIH_FIX_CLOSE_SHIFT);
	assert_int_equal(fix(8, 0, paper, true, &why), SHTRIH_FIX_CANCEL_RECEIPT);
	assert_int_equal(fix(0, 0, paper, true, &why), SHTRIH_FIX_WAIT);
	/* the submode comes first: printing, continue, paper */
	assert_int_equal(fix(8, 3, paper, true, &why), SHTRIH_FIX_CONTINUE_PRINT);
	assert_int_equal(fix(2, 4, paper, true, &why), SHTRIH_FIX_WAIT);
	assert_int_equal(fix(2, 5, paper, true, &why), SHTRIH_FIX_WAIT);
	assert_int_equal(fix(2, 1, paper, true, &why), SHTRIH_FIX_OUT_OF_SERVICE);
	assert_string_equal(why, "нет бумаги");
	assert_int_equal(fix(8, 2, paper, true, &why), SHTRIH_FIX_OUT_OF_SERVICE);
	assert_int_equal(fix(2, 0, 0x0002, true, &why), SHTRIH_FIX_OUT_OF_SERVICE);
	assert_string_equal(why, "нет бумаги (датчик чековой ленты)");
	for (uint8_t m = 5; m <= 10; m++) {
		if (m == 8)
			continue;
		assert_int_equal(fix(m, 0, paper, true, &why), SHTRIH_FIX_OUT_OF_SERVICE);
		assert_string_equal(why, shtrih_mode_text(m));
	}
	assert_int_equal(fix(1, 0, paper, true, &why), SHTRIH_FIX_OUT_OF_SERVICE);
	assert_string_equal(shtrih_fix_name(SHTRIH_FIX_CLOSE_SHIFT), "close_shift");
	assert_string_equal(shtrih_fix_name((enum shtrih_fix)99), "?");
}

static void test_held_and_match(void **state)
{
	(void)state;
	const uint8_t ok[] = { 0xFF, 0x45, 0x00, 0, 0, 0, 0, 0, 0xD2, 0x04, 0, 0, 0x4D, 0xE6, 0x40, 0xBB };
	const uint8_t refused[] = { 0xFF, 0x45, 0x4E };
	const uint8_t other[] = { 0xFF, 0x46, 0x00 };
	const uint8_t cut[] = { 0xFF, 0x45, 0x00, 0, 0 };
	struct shtrih_fd_result r;
	assert_true(shtrih_plan_held_close(ok, sizeof ok, &r));
	assert_int_equal(r.fd, 1234);
	assert_int_equal(r.fp, 3141592653u);
	assert_false(shtrih_plan_held_close(refused, sizeof refused, &r));
	assert_false(shtrih_plan_held_close(other, sizeof other, &r));
	assert_false(shtrih_plan_held_close(cut, sizeof cut, &r));
	struct shtrih_fn_doc d = { .type = SHTRIH_DOC_RECEIPT, .op = 1, .sum = 777 };
	assert_true(shtrih_plan_doc_matches(&d, 777));
	assert_false(shtrih_plan_doc_matches(&d, 778));
	d.op = 2; /* a refund of the same amount */
	assert_false(shtrih_plan_doc_matches(&d, 777));
	d.op = 1;
	d.type = SHTRIH_DOC_SHIFT_OPEN;
	assert_false(shtrih_plan_doc_matches(&d, 777));
}

static void test_days(void **state)
{
	(void)state;
	const uint8_t a[3] = { 25, 2, 27 }, b[3] = { 25, 3, 1 }, c[3] = { 24, 2, 28 };
	const uint8_t leap[3] = { 24, 3, 1 };
	assert_int_equal(shtrih_plan_days(a, b), 2);
	assert_int_equal(shtrih_plan_days(b, a), -2);
	assert_int_equal(shtrih_plan_days(c, leap), 2);  /* 2024 is a leap year */
	assert_int_equal(shtrih_plan_days(a, a), 0);
	struct shtrih_dt dt = { 25, 3, 14, 12, 5 };
	assert_int_equal(shtrih_plan_dt_ms(&dt, 180), 1741943100000LL); /* 09:05Z */
	assert_int_equal(shtrih_plan_dt_ms(&dt, 0), 1741953900000LL);
}

static void test_close_due(void **state)
{
	(void)state;
	const int64_t h = 3600 * 1000LL;
	assert_false(shtrih_plan_close_due(2 * h, 14, 3));
	assert_true(shtrih_plan_close_due(2 * h, 3, 3));
	assert_false(shtrih_plan_close_due(h - 1, 3, 3));   /* opened in the quiet hour */
	assert_true(shtrih_plan_close_due(h, 3, 3));
	assert_false(shtrih_plan_close_due(23 * h + h / 2 - 1, 14, 3));
	assert_true(shtrih_plan_close_due(23 * h + h / 2, 14, 3));
	assert_true(shtrih_plan_close_due(30 * h, 14, 3));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fix_table),
		cmocka_unit_test(test_held_and_match),
		cmocka_unit_test(test_days),
		cmocka_unit_test(test_close_due),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
