/* kiosk/base/hex: digits of both cases, the round trip of every byte value, and the refusals —
 * an odd length, a non-digit at either place of a pair, an output one byte too small. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "kiosk/base/hex.h"

static void test_digits(void **st)
{
	(void)st;
	assert_int_equal(hex_digit('0'), 0);
	assert_int_equal(hex_digit('9'), 9);
	assert_int_equal(hex_digit('a'), 10);
	assert_int_equal(hex_digit('F'), 15);
	assert_int_equal(hex_digit('g'), -1);
	assert_int_equal(hex_digit('G'), -1);
	assert_int_equal(hex_digit('/'), -1);
	assert_int_equal(hex_digit(':'), -1);
	assert_int_equal(hex_digit('@'), -1);
	assert_int_equal(hex_digit('`'), -1);
	assert_int_equal(hex_digit(0xd0), -1);
}

static void test_round_trip(void **st)
{
	(void)st;
	uint8_t all[256], back[256];
	char text[513];
	for (int i = 0; i < 256; i++)
		all[i] = (uint8_t)i;
	hex_encode(all, sizeof all, text);
	assert_int_equal(strlen(text), 512);
	assert_memory_equal(text, "000102", 6);
	assert_string_equal(text + 506, "fdfeff");
	assert_int_equal(hex_decode(text, 512, back, sizeof back), 256);
	assert_memory_equal(all, back, sizeof all);
	assert_int_equal(hex_decode("0A0b", 4, back, 2), 2);
	assert_int_equal(back[0], 0x0a);
	assert_int_equal(back[1], 0x0b);
	assert_int_equal(hex_decode("", 0, back, 0), 0);
}

static void test_refusals(void **st)
{
	(void)st;
	uint8_t b[4];
	assert_int_equal(hex_decode("abc", 3, b, sizeof b), -1);
	assert_int_equal(hex_decode("zz00", 4, b, sizeof b), -1);
	assert_int_equal(hex_decode("0z", 2, b, sizeof b), -1);
	assert_int_equal(hex_decode("0 ", 2, b, sizeof b), -1);
	assert_int_equal(hex_decode("0011223344", 10, b, sizeof b), -1); /* 5 bytes into 4 */
	assert_int_equal(hex_decode("00112233", 8, b, sizeof b), 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_digits),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
