/* Decimal keypad entry (kiosk/flow/numentry): typing as people write ("125,5"), each part
 * sized to the meter, a second comma ignored, extra decimals refused, del over the comma,
 * and the exact value in thousandths. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "kiosk/flow/numentry.h"

/* Types each character of keys ('d' is del, ',' the comma) and returns the last result. */
static enum numentry_result type(char *buf, size_t cap, const char *keys, int whole, int decimals)
{
	enum numentry_result r = NUMENTRY_NOT_KEY;
	for (const char *k = keys; *k; k++) {
		char key[8] = { *k, 0 };
		if (*k == ',')
			strcpy(key, "comma");
		else if (*k == 'd')
			strcpy(key, "del");
		r = numentry_key(buf, cap, key, whole, decimals);
	}
	return r;
}

static void test_typing(void **st)
{
	(void)st;
	char b[16] = "";
	assert_int_equal(type(b, sizeof b, "125,5", 6, 1), NUMENTRY_CHANGED);
	assert_string_equal(b, "125,5");
	int64_t v = -7;
	assert_int_equal(numentry_milli(b, 1, &v), 0);
	assert_int_equal(v, 125500);
	/* Whole numbers need no comma at all. */
	b[0] = '\0';
	type(b, sizeof b, "10240", 6, 1);
	assert_int_equal(numentry_milli(b, 1, &v), 0);
	assert_int_equal(v, 10240000);
}

static void test_second_comma_and_decimals(void **st)
{
	(void)st;
	char b[16] = "";
	type(b, sizeof b, "12,", 5, 3);
	assert_int_equal(type(b, sizeof b, ",", 5, 3), NUMENTRY_REFUSED);
	assert_string_equal(b, "12,");
	assert_int_equal(type(b, sizeof b, "345", 5, 3), NUMENTRY_CHANGED);
	assert_int_equal(type(b, sizeof b, "6", 5, 3), NUMENTRY_REFUSED); /* a 4th decimal */
	assert_string_equal(b, "12,345");
	assert_int_equal(numentry_decimals(b), 3);
	/* One decimal on an electricity meter: the second is refused. */
	b[0] = '\0';
	assert_int_equal(type(b, sizeof b, "7,2", 6, 1), NUMENTRY_CHANGED);
	assert_int_equal(type(b, sizeof b, "9", 6, 1), NUMENTRY_REFUSED);
	assert_string_equal(b, "7,2");
	/* A meter without decimals takes no comma. */
	b[0] = '\0';
	assert_int_equal(type(b, sizeof b, "42,", 5, 0), NUMENTRY_REFUSED);
	assert_string_equal(b, "42");
}

static void test_whole_digits(void **st)
{
	(void)st;
	char b[16] = "";
	type(b, sizeof b, "12345", 5, 3);
	assert_int_equal(type(b, sizeof b, "6", 5, 3), NUMENTRY_REFUSED);
	assert_string_equal(b, "12345");
	assert_int_equal(type(b, sizeof b, ",1", 5, 3), NUMENTRY_CHANGED);
	assert_string_equal(b, "12345,1");
	/* No leading zeros; a comma first reads "0,". */
	b[0] = '\0';
	type(b, sizeof b, "0", 5, 3);
	assert_string_equal(b, "0");
	type(b, sizeof b, "7", 5, 3);
	assert_string_equal(b, "7");
	b[0] = '\0';
	type(b, sizeof b, ",05", 5, 3);
	assert_string_equal(b, "0,05");
	int64_t v = 0;
	assert_int_equal(numentry_milli(b, 3, &v), 0);
	assert_int_equal(v, 50);
	/* The buffer's capacity is a limit too. */
	char small[4] = "";
	assert_int_equal(type(small, sizeof small, "123", 9, 3), NUMENTRY_CHANGED);
	assert_int_equal(type(small, sizeof small, "4", 9, 3), NUMENTRY_REFUSED);
	assert_int_equal(type(small, sizeof small, ",", 9, 3), NUMENTRY_REFUSED);
	assert_string_equal(small, "123");
}

static void test_del(void **st)
{
	(void)st;
	char b[16] = "";
	type(b, sizeof b, "125,5", 6, 1);
	assert_int_equal(type(b, sizeof b, "d", 6, 1), NUMENTRY_CHANGED);
	assert_string_equal(b, "125,");
	type(b, sizeof b, "d", 6, 1);
	assert_string_equal(b, "125"); /* over the comma */
	type(b, sizeof b, "6", 6, 1);
	assert_string_equal(b, "1256"); /* whole again */
	type(b, sizeof b, "dddd", 6, 1);
	assert_string_equal(b, "");
	assert_int_equal(type(b, sizeof b, "d", 6, 1), NUMENTRY_REFUSED);
	assert_int_equal(numentry_key(b, sizeof b, "ok", 6, 1), NUMENTRY_NOT_KEY);
	assert_int_equal(numentry_key(b, sizeof b, "12", 6, 1), NUMENTRY_NOT_KEY);
}

static void test_milli(void **st)
{
	(void)st;
	int64_t v = 99;
	assert_int_equal(numentry_milli("125,", 1, &v), 0);
	assert_int_equal(v, 125000);
	assert_int_equal(numentry_milli("0,123", 3, &v), 0);
	assert_int_equal(v, 123);
	assert_int_equal(numentry_milli("99999,999", 3, &v), 0);
	assert_int_equal(v, 99999999);
	v = 99;
	assert_int_equal(numentry_milli("", 3, &v), -1);
	assert_int_equal(numentry_milli(",", 3, &v), -1);
	assert_int_equal(numentry_milli("1,2,3", 3, &v), -1);
	assert_int_equal(numentry_milli("1,25", 1, &v), -1);   /* more decimals than the meter */
	assert_int_equal(numentry_milli("1,2345", 6, &v), -1); /* past thousandths */
	assert_int_equal(numentry_milli("12a", 3, &v), -1);
	assert_int_equal(numentry_milli("9223372036854775807", 3, &v), -1); /* × 1000 overflows */
	assert_int_equal(numentry_milli("99999999999999999999", 3, &v), -1);
	assert_int_equal(v, 99); /* untouched on failure */
}

static void test_money(void **st)
{
	(void)st;
	char b[64];
	assert_string_equal(numentry_money(4523, "{} руб. {} коп.", b, sizeof b), "45 руб. 23 коп.");
	assert_string_equal(numentry_money(452316, "{} rub. {} kop.", b, sizeof b), "4\u202f523 rub. 16 kop.");
	assert_string_equal(numentry_money(5, "{} руб. {} коп.", b, sizeof b), "0 руб. 05 коп.");
	assert_string_equal(numentry_money(100, "[{}|{}]", b, sizeof b), "[1|00]");
	assert_string_equal(numentry_money(9999999999, "{}+{}", b, sizeof b), "99\u202f999\u202f999+99");
	/* A template without its two places is shown as it is, never read past. */
	assert_string_equal(numentry_money(4523, "{} only", b, sizeof b), "{} only");
	char small[8];
	assert_string_equal(numentry_money(452316, "{} руб. {} коп.", small, sizeof small), "4\u202f523"); /* cut, terminated */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_typing),
		cmocka_unit_test(test_second_comma_and_decimals),
		cmocka_unit_test(test_whole_digits),
		cmocka_unit_test(test_del),
		cmocka_unit_test(test_milli),
		cmocka_unit_test(test_money),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
