/* The written forms (kiosk/base/format): account numbers, readings, phones grouped and joined by
 * non-breaking spaces, ISO dates and periods in the Russian form, card schemes by their own
 * names, abbreviations joined to their values, plural forms, templates; and at each
 * boundary — empty input, odd input copied as it is, a buffer too small cut at a character. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "kiosk/base/format.h"

#define NB FMT_NBSP

static void test_pers_acc(void **st)
{
	(void)st;
	char b[32];
	assert_string_equal(fmt_pers_acc("50012345", b, sizeof b), "50012-345");
	assert_string_equal(fmt_pers_acc("5001234", b, sizeof b), "5001234");
	assert_string_equal(fmt_pers_acc("", b, sizeof b), "");
	assert_string_equal(fmt_reading(123456, 3, b, sizeof b), "123,456");
	assert_string_equal(fmt_reading(123456, 0, b, sizeof b), "123");
	assert_string_equal(fmt_reading(123456, 9, b, sizeof b), "123,456");
}

static void test_phones(void **st)
{
	(void)st;
	char b[64];
	assert_string_equal(fmt_phone("+79161234567", b, sizeof b), "+7" NB "916" NB "123-45-67");
	assert_string_equal(fmt_phone("+7 9161234567", b, sizeof b), "+7" NB "916" NB "123-45-67");
	assert_string_equal(fmt_phone("8 (916) 123 45 67", b, sizeof b), "+7" NB "916" NB "123-45-67");
	assert_string_equal(fmt_phone("+74959934012", b, sizeof b), "+7" NB "(495)" NB "993-40-12");
	assert_string_equal(fmt_phone("+7 (495) 993-40-12", b, sizeof b), "+7" NB "(495)" NB "993-40-12");
	assert_string_equal(fmt_phone("8 (495) 993-40-12", b, sizeof b), "8" NB "(495)" NB "993-40-12");
	assert_string_equal(fmt_phone("8-800-555-07-69", b, sizeof b), "8" NB "800" NB "555-07-69");
	/* a city code of 4 digits: the writer's groups kept, spaces no-break */
	assert_string_equal(fmt_phone("+7 (4967) 55-12-30", b, sizeof b), "+7" NB "(4967)" NB "55-12-30");
	assert_string_equal(fmt_phone("+74967551230", b, sizeof b), "+74967551230");
	assert_string_equal(fmt_phone("+7 (495) 993 40 12", b, sizeof b), "+7" NB "(495)" NB "993" NB "40" NB "12");
	assert_string_equal(fmt_phone("+74999934012", b, sizeof b), "+7" NB "(499)" NB "993-40-12");
	assert_string_equal(fmt_phone("+78005550769", b, sizeof b), "8" NB "800" NB "555-07-69");
	/* not a Russian number of 11 digits: as it is */
	assert_string_equal(fmt_phone("", b, sizeof b), "");
	assert_string_equal(fmt_phone("112", b, sizeof b), "112");
	assert_string_equal(fmt_phone("+3725551234", b, sizeof b), "+3725551234");
	assert_string_equal(fmt_phone("+791612345678", b, sizeof b), "+791612345678");
	assert_string_equal(fmt_phone("+7 916 123-45-67 доб. 5", b, sizeof b), "+7 916 123-45-67 доб. 5");
	assert_string_equal(fmt_phone("99161234567", b, sizeof b), "99161234567");
	/* a buffer too small: cut, still a string */
	assert_string_equal(fmt_phone("+79161234567", b, 4), "+7");
	assert_string_equal(fmt_phone("+79161234567", b, 5), "+7" NB);
	/* typed digit by digit on the e-receipt screen */
	assert_string_equal(fmt_phone_typed("", b, sizeof b), "+7");
	assert_string_equal(fmt_phone_typed("91", b, sizeof b), "+7" NB "91");
	assert_string_equal(fmt_phone_typed("916", b, sizeof b), "+7" NB "916");
	assert_string_equal(fmt_phone_typed("9161", b, sizeof b), "+7" NB "916" NB "1");
	assert_string_equal(fmt_phone_typed("9161234", b, sizeof b), "+7" NB "916" NB "123-4");
	assert_string_equal(fmt_phone_typed("916123456", b, sizeof b), "+7" NB "916" NB "123-45-6");
	assert_string_equal(fmt_phone_typed("9161234567", b, sizeof b), "+7" NB "916" NB "123-45-67");
	assert_string_equal(fmt_phone_typed("91612345678", b, sizeof b), "91612345678");
	assert_string_equal(fmt_phone_typed("91a", b, sizeof b), "91a");
}

static void test_dates(void **st)
{
	(void)st;
	char b[64];
	assert_string_equal(fmt_ymd("2026-10-20", b, sizeof b), "20.10.2026");
	assert_string_equal(fmt_ymd("2026-1-20", b, sizeof b), "2026-1-20");
	assert_string_equal(fmt_ymd("2026-10-2x", b, sizeof b), "2026-10-2x");
	assert_string_equal(fmt_ymd("", b, sizeof b), "");
	assert_string_equal(fmt_ymd("2026-10-20", b, 6), "20.10");
	assert_string_equal(fmt_period("2026-10", LANG_RU, b, sizeof b), "октябрь" NB "2026");
	assert_string_equal(fmt_period("2026-01", LANG_EN, b, sizeof b), "January" NB "2026");
	assert_string_equal(fmt_period("2026-12", LANG_RU, b, sizeof b), "декабрь" NB "2026");
	assert_string_equal(fmt_period("2026-13", LANG_RU, b, sizeof b), "2026-13");
	assert_string_equal(fmt_period("2026-00", LANG_RU, b, sizeof b), "2026-00");
	assert_string_equal(fmt_period("10.2026", LANG_RU, b, sizeof b), "10.2026");
	assert_string_equal(fmt_period("", LANG_RU, b, sizeof b), "");
	/* «октябрь» is 14 bytes: a 4-byte buffer holds «о» and never half of «к» */
	assert_string_equal(fmt_period("2026-10", LANG_RU, b, 4), "о");
	assert_string_equal(fmt_period("2026-10", LANG_RU, b, 1), "");
}

static void test_schemes(void **st)
{
	(void)st;
	char b[32];
	assert_string_equal(fmt_scheme("MIR", LANG_RU, b, sizeof b), "Мир");
	assert_string_equal(fmt_scheme("MIR", LANG_EN, b, sizeof b), "Mir");
	assert_string_equal(fmt_scheme("mir", LANG_RU, b, sizeof b), "Мир");
	assert_string_equal(fmt_scheme("VISA", LANG_RU, b, sizeof b), "Visa");
	assert_string_equal(fmt_scheme("MC", LANG_EN, b, sizeof b), "Mastercard");
	assert_string_equal(fmt_scheme("MASTERCARD", LANG_RU, b, sizeof b), "Mastercard");
	assert_string_equal(fmt_scheme("UPI", LANG_RU, b, sizeof b), "UnionPay");
	assert_string_equal(fmt_scheme("JCB", LANG_RU, b, sizeof b), "JCB");
	assert_string_equal(fmt_scheme("", LANG_RU, b, sizeof b), "");
	assert_string_equal(fmt_scheme("MIR", LANG_RU, b, 3), "М");
}

static void test_nbsp(void **st)
{
	(void)st;
	char b[200];
	assert_string_equal(fmt_nbsp("г. Подольск, ул. Кирова, д. 1, кв. 5", b, sizeof b),
			    "г." NB "Подольск, ул." NB "Кирова, д." NB "1, кв." NB "5");
	assert_string_equal(fmt_nbsp("ул. К***, д. 1, корп. 2, стр. 3, пом. 4", b, sizeof b),
			    "ул." NB "К***, д." NB "1, корп." NB "2, стр." NB "3, пом." NB "4");
	assert_string_equal(fmt_nbsp("л/с 50012-345 № 7", b, sizeof b), "л/с" NB "50012-345 №" NB "7");
	assert_string_equal(fmt_nbsp("г. Мытищи, пр. О***, д. 1", b, sizeof b), "г." NB "Мытищи, пр." NB "О***, д." NB "1");
	/* a string's template: «л/с {}» keeps the value on the abbreviation's line */
	assert_string_equal(fmt_nbsp("Показания, л/с {}", b, sizeof b), "Показания, л/с" NB "{}");
	/* only at a word's start: «обд.» and «Сд.» are not «д.» */
	assert_string_equal(fmt_nbsp("обд. 1 Сд. 2", b, sizeof b), "обд. 1 Сд. 2");
	/* nothing to join: at the end, before another space, or no abbreviation */
	assert_string_equal(fmt_nbsp("д.", b, sizeof b), "д.");
	assert_string_equal(fmt_nbsp("кв. ", b, sizeof b), "кв. ");
	assert_string_equal(fmt_nbsp("д.  1", b, sizeof b), "д.  1");
	assert_string_equal(fmt_nbsp("просто текст", b, sizeof b), "просто текст");
	assert_string_equal(fmt_nbsp("", b, sizeof b), "");
	/* (д. 1) and д. after a no-break space */
	assert_string_equal(fmt_nbsp("(д. 1)", b, sizeof b), "(д." NB "1)");
	/* cut: «д.» then half an NBSP never appears */
	assert_string_equal(fmt_nbsp("д. 1", b, 5), "д.");
}

static void test_count_and_fill(void **st)
{
	(void)st;
	char b[80];
	const char *ru = "рабочего дня|рабочих дней|рабочих дней";
	assert_string_equal(fmt_count(1, ru, LANG_RU, b, sizeof b), "1" NB "рабочего дня");
	assert_string_equal(fmt_count(3, ru, LANG_RU, b, sizeof b), "3" NB "рабочих дней");
	assert_string_equal(fmt_count(21, ru, LANG_RU, b, sizeof b), "21" NB "рабочего дня");
	assert_string_equal(fmt_count(11, ru, LANG_RU, b, sizeof b), "11" NB "рабочих дней");
	assert_string_equal(fmt_count(0, "минута|минуты|минут", LANG_RU, b, sizeof b), "0" NB "минут");
	assert_string_equal(fmt_count(22, "минута|минуты|минут", LANG_RU, b, sizeof b), "22" NB "минуты");
	const char *en = "working day|working days";
	assert_string_equal(fmt_count(1, en, LANG_EN, b, sizeof b), "1" NB "working day");
	assert_string_equal(fmt_count(3, en, LANG_EN, b, sizeof b), "3" NB "working days");
	assert_string_equal(fmt_count(2, "день", LANG_RU, b, sizeof b), "2" NB "день");
	assert_string_equal(fmt_count(5, "", LANG_RU, b, sizeof b), "5" NB);
	assert_string_equal(fmt_count(-1, en, LANG_EN, b, sizeof b), "-1" NB "working day");

	const char *two[] = { "15", "25" };
	assert_string_equal(fmt_fill("с {} по {} число", two, 2, b, sizeof b), "с 15 по 25 число");
	assert_string_equal(fmt_fill("с {} по {} число", two, 1, b, sizeof b), "с 15 по {} число");
	assert_string_equal(fmt_fill("без значений", two, 2, b, sizeof b), "без значений");
	assert_string_equal(fmt_fill("{}{}{}", two, 2, b, sizeof b), "1525{}");
	assert_string_equal(fmt_fill("", two, 2, b, sizeof b), "");
	assert_string_equal(fmt_fill("с {} по {}", two, 2, b, 5), "с 1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pers_acc),
		cmocka_unit_test(test_phones),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_schemes),
		cmocka_unit_test(test_nbsp),
		cmocka_unit_test(test_count_and_fill),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
