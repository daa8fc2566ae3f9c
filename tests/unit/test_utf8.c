/* kiosk/base/utf8: each length's first and last code point, Cyrillic and an icon's private-use
 * code point as the screens use them, and the values that are not characters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "kiosk/base/utf8.h"

static void expect(uint32_t cp, const char *bytes)
{
	char out[UTF8_MAX];
	int n = utf8_encode(cp, out);
	assert_int_equal(n, (int)strlen(bytes));
	assert_memory_equal(out, bytes, (size_t)n);
}

static void test_lengths(void **st)
{
	(void)st;
	expect(0x41, "A");
	expect(0x7F, "\x7f");
	expect(0x80, "\xc2\x80");
	expect(0x7FF, "\xdf\xbf");
	expect(0x800, "\xe0\xa0\x80");
	expect(0xFFFF, "\xef\xbf\xbf");
	expect(0x10000, "\xf0\x90\x80\x80");
	expect(0x10FFFF, "\xf4\x8f\xbf\xbf");
	expect(0x0416, "Ж");
	expect(0x0451, "ё");
	expect(0x20BD, "₽");
	expect(0xE8AD, "\xee\xa2\xad"); /* the print icon */
}

static void test_not_characters(void **st)
{
	(void)st;
	char out[UTF8_MAX] = { 'x', 'x', 'x', 'x' };
	assert_int_equal(utf8_encode(0xD800, out), 0);
	assert_int_equal(utf8_encode(0xDFFF, out), 0);
	assert_int_equal(utf8_encode(0x110000, out), 0);
	assert_int_equal(utf8_encode(0xFFFFFFFF, out), 0);
	assert_memory_equal(out, "xxxx", 4);
	expect(0xD7FF, "\xed\x9f\xbf");
	expect(0xE000, "\xee\x80\x80");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lengths),
		cmocka_unit_test(test_not_characters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
