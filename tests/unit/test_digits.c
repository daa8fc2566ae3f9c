/* kiosk/base/digits: runs of ASCII digits and strings of nothing but digits, at their
 * bounds; never past the NUL or MAX + 1 bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "kiosk/base/digits.h"

static void test_run(void **st)
{
	(void)st;
	assert_true(digits_run("2026-10", 4));
	assert_false(digits_run("2026-10", 5));
	assert_true(digits_run("", 0));
	assert_false(digits_run("12", 3));      /* the NUL is not a digit */
	assert_false(digits_run("1a3", 3));
	assert_false(digits_run("١٢", 2));      /* only ASCII counts */
	assert_false(digits_run("/:", 1));      /* the bytes either side of '0'..'9' */
	assert_false(digits_run(":", 1));
	assert_true(digits_run("0123456789", 10));
}

static void test_only(void **st)
{
	(void)st;
	assert_true(digits_only("5037008735", 10, 10));
	assert_false(digits_only("50370087351", 10, 10));
	assert_false(digits_only("503700873", 10, 10));
	assert_true(digits_only("1", 1, 32));
	assert_false(digits_only("", 1, 32));
	assert_true(digits_only("", 0, 3));
	assert_false(digits_only("12 4", 1, 32));
	assert_false(digits_only("+7900", 1, 32));
	/* A fixed field of MAX + 1 bytes, unterminated, is refused without reading past it. */
	char field[5];
	memcpy(field, "12345", 5);
	assert_false(digits_only(field, 1, 4));
	memcpy(field, "1234", 5);
	assert_true(digits_only(field, 1, 4));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_run),
		cmocka_unit_test(test_only),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
