/* Numbers in words (kiosk/base/words): amounts with the Russian noun forms after 1, 2, 5,
 * 11-14, 21, 22, 101, 111, thousands, millions, kopecks alone and zero, in both languages;
 * meter readings with their decimals; dates and periods; digits and phone numbers; what
 * does not fit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "kiosk/base/words.h"

#define RUB(r) ((kopecks)(r) * 100)

static void amount_is(kopecks v, const char *ru, const char *en)
{
	char buf[WORDS_MAX];
	assert_int_equal(words_kopecks(v, LANG_RU, buf, sizeof buf), 0);
	if (strcmp(buf, ru) != 0)
		fail_msg("%lld kopecks in Russian: expected «%s», got «%s»", (long long)v, ru, buf);
	assert_int_equal(words_kopecks(v, LANG_EN, buf, sizeof buf), 0);
	if (strcmp(buf, en) != 0)
		fail_msg("%lld kopecks in English: expected \"%s\", got \"%s\"", (long long)v, en, buf);
}

static void test_rubles(void **st)
{
	(void)st;
	amount_is(RUB(1), "один рубль", "one ruble");
	amount_is(RUB(2), "два рубля", "two rubles");
	amount_is(RUB(3), "три рубля", "three rubles");
	amount_is(RUB(4), "четыре рубля", "four rubles");
	amount_is(RUB(5), "пять рублей", "five rubles");
	amount_is(RUB(10), "десять рублей", "ten rubles");
	amount_is(RUB(11), "одиннадцать рублей", "eleven rubles");
	amount_is(RUB(12), "двенадцать рублей", "twelve rubles");
	amount_is(RUB(13), "тринадцать рублей", "thirteen rubles");
	amount_is(RUB(14), "четырнадцать рублей", "fourteen rubles");
	amount_is(RUB(20), "двадцать рублей", "twenty rubles");
	amount_is(RUB(21), "двадцать один рубль", "twenty-one rubles");
	amount_is(RUB(22), "двадцать два рубля", "twenty-two rubles");
	amount_is(RUB(25), "двадцать пять рублей", "twenty-five rubles");
	amount_is(RUB(100), "сто рублей", "one hundred rubles");
	amount_is(RUB(101), "сто один рубль", "one hundred one rubles");
	amount_is(RUB(111), "сто одиннадцать рублей", "one hundred eleven rubles");
	amount_is(RUB(112), "сто двенадцать рублей", "one hundred twelve rubles");
	amount_is(RUB(214), "двести четырнадцать рублей", "two hundred fourteen rubles");
	amount_is(RUB(999), "девятьсот девяносто девять рублей", "nine hundred ninety-nine rubles");
}

static void test_thousands_and_millions(void **st)
{
	(void)st;
	amount_is(RUB(1000), "одна тысяча рублей", "one thousand rubles");
	amount_is(RUB(2000), "две тысячи рублей", "two thousand rubles");
	amount_is(RUB(3000), "три тысячи рублей", "three thousand rubles");
	amount_is(RUB(5000), "пять тысяч рублей", "five thousand rubles");
	amount_is(RUB(11000), "одиннадцать тысяч рублей", "eleven thousand rubles");
	amount_is(RUB(12000), "двенадцать тысяч рублей", "twelve thousand rubles");
	amount_is(RUB(21000), "двадцать одна тысяча рублей", "twenty-one thousand rubles");
	amount_is(RUB(22000), "двадцать две тысячи рублей", "twenty-two thousand rubles");
	amount_is(RUB(101000), "сто одна тысяча рублей", "one hundred one thousand rubles");
	amount_is(RUB(111000), "сто одиннадцать тысяч рублей", "one hundred eleven thousand rubles");
	amount_is(RUB(1001), "одна тысяча один рубль", "one thousand one rubles");
	amount_is(RUB(2002), "две тысячи два рубля", "two thousand two rubles");
	amount_is(RUB(1000000), "один миллион рублей", "one million rubles");
	amount_is(RUB(2000000), "два миллиона рублей", "two million rubles");
	amount_is(RUB(5000000), "пять миллионов рублей", "five million rubles");
	amount_is(RUB(11000000), "одиннадцать миллионов рублей", "eleven million rubles");
	amount_is(RUB(21000000), "двадцать один миллион рублей", "twenty-one million rubles");
	amount_is(RUB(1001000), "один миллион одна тысяча рублей", "one million one thousand rubles");
	amount_is(RUB(1000001), "один миллион один рубль", "one million one rubles");
	amount_is(RUB(2000000000), "два миллиарда рублей", "two billion rubles");
	amount_is(RUB(500000), "пятьсот тысяч рублей", "five hundred thousand rubles");
}

static void test_kopecks(void **st)
{
	(void)st;
	amount_is(1, "одна копейка", "one kopeck");
	amount_is(2, "две копейки", "two kopecks");
	amount_is(5, "пять копеек", "five kopecks");
	amount_is(11, "одиннадцать копеек", "eleven kopecks");
	amount_is(12, "двенадцать копеек", "twelve kopecks");
	amount_is(13, "тринадцать копеек", "thirteen kopecks");
	amount_is(14, "четырнадцать копеек", "fourteen kopecks");
	amount_is(21, "двадцать одна копейка", "twenty-one kopecks");
	amount_is(22, "двадцать две копейки", "twenty-two kopecks");
	amount_is(99, "девяносто девять копеек", "ninety-nine kopecks");
	amount_is(0, "ноль рублей", "zero rubles");
	amount_is(101, "один рубль одна копейка", "one ruble one kopeck");
	amount_is(452316, "четыре тысячи пятьсот двадцать три рубля шестнадцать копеек",
		  "four thousand five hundred twenty-three rubles sixteen kopecks");
	amount_is(121000, "одна тысяча двести десять рублей", "one thousand two hundred ten rubles");
	amount_is(200002, "две тысячи рублей две копейки", "two thousand rubles two kopecks");
	amount_is(-RUB(5), "минус пять рублей", "minus five rubles");
	/* the largest amount there is, and beyond */
	char buf[WORDS_MAX];
	assert_int_equal(words_kopecks(MONEY_MAX, LANG_RU, buf, sizeof buf), 0);
	assert_non_null(strstr(buf, "квадриллион"));
	assert_int_equal(words_kopecks(INT64_MIN, LANG_EN, buf, sizeof buf), 0);
	assert_non_null(strstr(buf, "minus ninety-two quadrillion"));
	assert_non_null(strstr(buf, "eight kopecks"));
}

static void test_cardinal(void **st)
{
	(void)st;
	char buf[WORDS_MAX];
	assert_int_equal(words_cardinal(1, WORDS_MASC, LANG_RU, buf, sizeof buf), 0);
	assert_string_equal(buf, "один");
	assert_int_equal(words_cardinal(2, WORDS_FEM, LANG_RU, buf, sizeof buf), 0);
	assert_string_equal(buf, "две");
	assert_int_equal(words_cardinal(0, WORDS_FEM, LANG_RU, buf, sizeof buf), 0);
	assert_string_equal(buf, "ноль");
	assert_int_equal(words_cardinal(1000, WORDS_MASC, LANG_RU, buf, sizeof buf), 0);
	assert_string_equal(buf, "одна тысяча");
	assert_int_equal(words_cardinal(40, WORDS_MASC, LANG_EN, buf, sizeof buf), 0);
	assert_string_equal(buf, "forty");
	assert_int_equal(words_cardinal(-7, WORDS_MASC, LANG_RU, buf, sizeof buf), 0);
	assert_string_equal(buf, "минус семь");
	assert_int_equal(words_cardinal(INT64_MAX, WORDS_MASC, LANG_RU, buf, sizeof buf), 0);
	assert_true(strncmp(buf, "девять квинтиллионов", strlen("девять квинтиллионов")) == 0);
	assert_int_equal(words_cardinal(INT64_MAX, WORDS_MASC, LANG_EN, buf, sizeof buf), 0);
	assert_true(strncmp(buf, "nine quintillion two hundred twenty-three quadrillion",
			    strlen("nine quintillion two hundred twenty-three quadrillion")) == 0);
}

static void reading_is(int64_t milli, int dec, const char *ru, const char *en)
{
	char buf[WORDS_MAX];
	assert_int_equal(words_reading(milli, dec, LANG_RU, buf, sizeof buf), 0);
	if (strcmp(buf, ru) != 0)
		fail_msg("reading %lld/%d: expected «%s», got «%s»", (long long)milli, dec, ru, buf);
	assert_int_equal(words_reading(milli, dec, LANG_EN, buf, sizeof buf), 0);
	if (strcmp(buf, en) != 0)
		fail_msg("reading %lld/%d: expected \"%s\", got \"%s\"", (long long)milli, dec, en, buf);
}

static void test_readings(void **st)
{
	(void)st;
	reading_is(123456, 3, "сто двадцать три целых четыреста пятьдесят шесть тысячных",
		   "one hundred twenty-three point four five six");
	reading_is(123456, 0, "сто двадцать три", "one hundred twenty-three");
	reading_is(1100, 1, "одна целая одна десятая", "one point one");
	reading_is(2200, 1, "две целых две десятых", "two point two");
	reading_is(21500, 1, "двадцать одна целая пять десятых", "twenty-one point five");
	reading_is(50, 2, "ноль целых пять сотых", "zero point zero five");
	reading_is(11110, 2, "одиннадцать целых одиннадцать сотых", "eleven point one one");
	reading_is(1021, 3, "одна целая двадцать одна тысячная", "one point zero two one");
	reading_is(102400000, 0, "сто две тысячи четыреста", "one hundred two thousand four hundred");
	/* the screen's digits only: 12,3456 with one decimal is 12,3 */
	reading_is(12345, 1, "двенадцать целых три десятых", "twelve point three");
	reading_is(5000, 2, "пять целых ноль сотых", "five point zero zero");
}

static void date_is(int y, int m, int d, const char *ru, const char *en)
{
	char buf[WORDS_MAX];
	assert_int_equal(words_date(y, m, d, LANG_RU, buf, sizeof buf), 0);
	if (strcmp(buf, ru) != 0)
		fail_msg("date %d-%d-%d: expected «%s», got «%s»", y, m, d, ru, buf);
	assert_int_equal(words_date(y, m, d, LANG_EN, buf, sizeof buf), 0);
	if (strcmp(buf, en) != 0)
		fail_msg("date %d-%d-%d: expected \"%s\", got \"%s\"", y, m, d, en, buf);
}

static void test_dates(void **st)
{
	(void)st;
	date_is(0, 10, 20, "двадцатое октября", "the twentieth of October");
	date_is(0, 1, 1, "первое января", "the first of January");
	date_is(0, 3, 3, "третье марта", "the third of March");
	date_is(0, 2, 2, "второе февраля", "the second of February");
	date_is(0, 5, 11, "одиннадцатое мая", "the eleventh of May");
	date_is(0, 6, 12, "двенадцатое июня", "the twelfth of June");
	date_is(0, 8, 23, "двадцать третье августа", "the twenty-third of August");
	date_is(0, 12, 31, "тридцать первое декабря", "the thirty-first of December");
	date_is(0, 11, 30, "тридцатое ноября", "the thirtieth of November");
	date_is(2026, 10, 20, "двадцатое октября две тысячи двадцать шестого года",
		"the twentieth of October twenty twenty-six");
	date_is(2000, 1, 1, "первое января двухтысячного года", "the first of January two thousand");
	date_is(2005, 4, 7, "седьмое апреля две тысячи пятого года", "the seventh of April two thousand five");
	date_is(2011, 7, 4, "четвёртое июля две тысячи одиннадцатого года", "the fourth of July twenty eleven");
	date_is(2040, 9, 9, "девятое сентября две тысячи сорокового года", "the ninth of September twenty forty");
	date_is(2100, 9, 9, "девятое сентября две тысячи сотого года", "the ninth of September twenty-one hundred");
	date_is(2123, 9, 9, "девятое сентября две тысячи сто двадцать третьего года",
		"the ninth of September twenty-one twenty-three");
	char buf[WORDS_MAX];
	assert_int_equal(words_date(2026, 13, 1, LANG_RU, buf, sizeof buf), WORDS_ETOOLONG);
	assert_string_equal(buf, "");
	assert_int_equal(words_date(2026, 1, 0, LANG_EN, buf, sizeof buf), WORDS_ETOOLONG);
	assert_int_equal(words_period(2026, 10, LANG_RU, buf, sizeof buf), 0);
	assert_string_equal(buf, "октябрь две тысячи двадцать шестого года");
	assert_int_equal(words_period(2026, 10, LANG_EN, buf, sizeof buf), 0);
	assert_string_equal(buf, "October twenty twenty-six");
	assert_int_equal(words_period(2027, 1, LANG_RU, buf, sizeof buf), 0);
	assert_string_equal(buf, "январь две тысячи двадцать седьмого года");
}

static void test_digits_and_phones(void **st)
{
	(void)st;
	char buf[WORDS_MAX];
	assert_int_equal(words_digits("50012-345", LANG_RU, buf, sizeof buf), 0);
	assert_string_equal(buf, "пять ноль ноль один два, три четыре пять");
	assert_int_equal(words_digits("50012345", LANG_EN, buf, sizeof buf), 0);
	assert_string_equal(buf, "five zero zero one two three four five");
	assert_int_equal(words_digits("", LANG_RU, buf, sizeof buf), 0);
	assert_string_equal(buf, "");
	assert_int_equal(words_phone("8-800-555-07-69", LANG_RU, buf, sizeof buf), 0);
	assert_string_equal(buf, "восемь, восемьсот, пятьсот пятьдесят пять, ноль семь, шестьдесят девять");
	assert_int_equal(words_phone("8-800-555-07-69", LANG_EN, buf, sizeof buf), 0);
	assert_string_equal(buf, "eight, eight hundred, five hundred fifty-five, zero seven, sixty-nine");
	assert_int_equal(words_phone("+7 (495) 123-45-67", LANG_RU, buf, sizeof buf), 0);
	assert_string_equal(buf, "плюс семь, четыреста девяносто пять, сто двадцать три, сорок пять, шестьдесят семь");
	assert_int_equal(words_phone("+7 (4967) 55-01-07", LANG_RU, buf, sizeof buf), 0);
	assert_string_equal(buf, "плюс семь, сорок девять шестьдесят семь, пятьдесят пять, ноль один, ноль семь");
	assert_int_equal(words_phone("2005", LANG_EN, buf, sizeof buf), 0);
	assert_string_equal(buf, "twenty zero five");
}

static void test_counted(void **st)
{
	(void)st;
	static const char *const ru[3] = { "секунда", "секунды", "секунд" };
	static const char *const en[3] = { "second", "seconds", NULL };
	char buf[WORDS_MAX];
	assert_int_equal(words_counted(20, WORDS_FEM, ru, LANG_RU, buf, sizeof buf), 0);
	assert_string_equal(buf, "двадцать секунд");
	assert_int_equal(words_counted(21, WORDS_FEM, ru, LANG_RU, buf, sizeof buf), 0);
	assert_string_equal(buf, "двадцать одна секунда");
	assert_int_equal(words_counted(2, WORDS_FEM, ru, LANG_RU, buf, sizeof buf), 0);
	assert_string_equal(buf, "две секунды");
	assert_int_equal(words_counted(1, WORDS_FEM, en, LANG_EN, buf, sizeof buf), 0);
	assert_string_equal(buf, "one second");
	assert_int_equal(words_counted(12, WORDS_FEM, en, LANG_EN, buf, sizeof buf), 0);
	assert_string_equal(buf, "twelve seconds");
}

static void test_too_long(void **st)
{
	(void)st;
	char buf[16];
	memset(buf, 'x', sizeof buf);
	assert_int_equal(words_kopecks(452316, LANG_RU, buf, sizeof buf), WORDS_ETOOLONG);
	assert_string_equal(buf, "");
	assert_int_equal(words_kopecks(1, LANG_RU, buf, 0), WORDS_ETOOLONG);
	/* exactly fitting: "one ruble" is 9 bytes + NUL */
	assert_int_equal(words_kopecks(100, LANG_EN, buf, 10), 0);
	assert_string_equal(buf, "one ruble");
	assert_int_equal(words_kopecks(100, LANG_EN, buf, 9), WORDS_ETOOLONG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rubles),
		cmocka_unit_test(test_thousands_and_millions),
		cmocka_unit_test(test_kopecks),
		cmocka_unit_test(test_cardinal),
		cmocka_unit_test(test_readings),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_digits_and_phones),
		cmocka_unit_test(test_counted),
		cmocka_unit_test(test_too_long),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
