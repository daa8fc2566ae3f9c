/* kiosk/base/money: checked arithmetic at the int64 boundaries, the sum of many amounts, the
 * Russian format (INT64_MIN included) and the parser's refusals.  Each overflow check in
 * money.c has a case here that fails (or trips UBSan) without it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "kiosk/base/money.h"

static void test_add_and_sub_at_the_edges(void **state)
{
	(void)state;
	kopecks r = 7;
	assert_true(money_add(INT64_MAX - 1, 1, &r));
	assert_true(r == INT64_MAX);
	r = 7;
	assert_false(money_add(INT64_MAX, 1, &r));
	assert_int_equal(r, 7); /* untouched on overflow */
	assert_false(money_add(INT64_MIN, -1, &r));
	assert_true(money_add(INT64_MIN, INT64_MAX, &r));
	assert_int_equal(r, -1);
	assert_true(money_sub(0, INT64_MAX, &r));
	assert_true(r == -INT64_MAX);
	r = 7;
	assert_false(money_sub(INT64_MIN, 1, &r));
	assert_false(money_sub(0, INT64_MIN, &r));
	assert_false(money_sub(INT64_MAX, -1, &r));
	assert_int_equal(r, 7);
	assert_true(money_sub(452316, 452316, &r));
	assert_int_equal(r, 0);
}

static void test_sum(void **state)
{
	(void)state;
	kopecks r = 7;
	const kopecks bill[] = { 310012, 98004, 44300 };
	assert_true(money_sum(bill, 3, &r));
	assert_int_equal(r, 452316);
	assert_true(money_sum(bill, 0, &r));
	assert_int_equal(r, 0);
	const kopecks big[] = { INT64_MAX / 2, INT64_MAX / 2, 2 };
	r = 7;
	assert_false(money_sum(big, 3, &r));
	assert_int_equal(r, 7);
	const kopecks back[] = { INT64_MAX, 1, -1 }; /* overflows on the way, even if not at the end */
	assert_false(money_sum(back, 3, &r));
}

static void test_format(void **state)
{
	(void)state;
	char b[MONEY_FMT_MAX];
	assert_string_equal(money_format(452316, true, b, sizeof b), "4\xE2\x80\xAF" "523,16\xC2\xA0\xE2\x82\xBD");
	assert_string_equal(money_format(0, false, b, sizeof b), "0,00");
	assert_string_equal(money_format(5, false, b, sizeof b), "0,05");
	assert_string_equal(money_format(-150, false, b, sizeof b), "-1,50");
	assert_string_equal(money_format(100000000, false, b, sizeof b),
			    "1\xE2\x80\xAF" "000\xE2\x80\xAF" "000,00");
	/* INT64_MIN has no positive counterpart */
	assert_string_equal(money_format(INT64_MIN, false, b, sizeof b),
			    "-92\xE2\x80\xAF" "233\xE2\x80\xAF" "720\xE2\x80\xAF" "368\xE2\x80\xAF"
			    "547\xE2\x80\xAF" "758,08");
	char small[6];
	money_format(452316, false, small, sizeof small);
	assert_int_equal(strlen(small), 5); /* cut, terminated */
}

static void test_parse(void **state)
{
	(void)state;
	kopecks r = 7;
	assert_true(money_parse_rub("4523.16", &r));
	assert_int_equal(r, 452316);
	assert_true(money_parse_rub("4 523,1", &r));
	assert_int_equal(r, 452310);
	assert_true(money_parse_rub("4523", &r));
	assert_int_equal(r, 452300);
	r = 7;
	assert_true(money_parse_rub(",5", &r)); /* fifty kopecks, written as some do */
	assert_int_equal(r, 50);
	r = 7;
	const char *bad[] = { "", " ", ",", "4523.161", "-1", "+1", "1e3", "12,3,4", "4523 .16x",
			      /* overflow while reading rubles (20 digits) */
			      "99999999999999999999",
			      /* rubles fit, kopecks do not: INT64_MAX / 100 + 1 rubles */
			      "92233720368547759",
			      /* kopecks fit in int64 but exceed MONEY_MAX by one */
			      "23058430092136939.52" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (money_parse_rub(bad[i], &r))
			fail_msg("accepted '%s'", bad[i]);
		assert_int_equal(r, 7);
	}
	assert_true(money_parse_rub("23058430092136939.51", &r));
	assert_true(r == MONEY_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_and_sub_at_the_edges),
		cmocka_unit_test(test_sum),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
