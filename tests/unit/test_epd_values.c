/* Bill QR decoder: docs/epd.md, Decoding rules 13-24 (the mandatory fields, the bank
 * details and their check digits, the sum, INN, KPP, period and account), the order of
 * the warnings, each error code and the allow-list.  Rules 1-12: test_epd.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kiosk/bill/epd.h"
#include "kiosk/bill/epd_internal.h"
#include "kiosk/base/log.h"
#include "tests/unit/test_epd.h"

/* ---------------------------------------------------------------- rules 13-14 */

static void test_each_mandatory_missing(void **state)
{
	(void)state;
	static const char *const k[] = { "Name", "PersonalAcc", "BankName", "BIC", "CorrespAcc" };
	for (int i = 0; i < 5; i++)
		assert_int_equal(mand_with(k[i], NULL), EPD_EMISSING_MANDATORY);
	/* Order is not enforced. */
	assert_int_equal(dec("ST00012|CorrespAcc=0|BIC=044525225|BankName=Б|"
			     "PersonalAcc=40702810640000012345|Name=Н"), 0);
}

static void test_field_too_long(void **state)
{
	(void)state;
	char v[512] = "";
	/* 45 Cyrillic letters (90 bytes) are within BankName's 45 characters. */
	for (int i = 0; i < 45; i++)
		strcat(v, "Б");
	assert_int_equal(mand_with("BankName", v), 0);
	assert_int_equal(bill.nwarnings, 0);
	strcat(v, "Б");
	assert_int_equal(mand_with("BankName", v), 0);
	assert_int_equal(bill.nwarnings, 1);
	assert_string_equal(bill.warnings[0], "field_too_long:BankName");
	assert_string_equal(epd_field(&bill, "BankName"), v);
	assert_int_equal(with("DrawerStatus=123|TaxPaytKind=12|lastName=ЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖ"), 0);
	assert_int_equal(bill.nwarnings, 1);
	assert_string_equal(bill.warnings[0], "field_too_long:DrawerStatus");
}

/* ---------------------------------------------------------------- rules 15-17: bank */

static void test_bad_bic(void **state)
{
	(void)state;
	static const char *const bad[] = { "44525225", "144525225", "04452522A", "0445252250",
					   "04452 5225", "044525225.", "0" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(mand_with("BIC", bad[i]), EPD_EBAD_BIC);
}

static void test_account(void **state)
{
	(void)state;
	assert_int_equal(mand_with("PersonalAcc", "4070281064000001234"), EPD_EBAD_ACCOUNT);
	assert_int_equal(mand_with("PersonalAcc", "407028106400000123456"), EPD_EBAD_ACCOUNT);
	assert_int_equal(mand_with("PersonalAcc", "4070281064000001234A"), EPD_EBAD_ACCOUNT);
	/* The examples of docs/epd.md, Check digits. */
	assert_int_equal(mand_with("PersonalAcc", "40702810338360027201"), 0);
	assert_int_equal(mand_with("PersonalAcc", "40702810438360027201"), EPD_EBAD_ACCOUNT_KEY);
	assert_int_equal(mand_with("PersonalAcc", "40702810640000012346"), EPD_EBAD_ACCOUNT_KEY);
	assert_true(epd_account_key_ok("044525225", "40702810338360027201", false));
	assert_false(epd_account_key_ok("044525225", "40702810438360027201", false));
}

static void test_account_rkc_rule(void **state)
{
	(void)state;
	/* BIC digits 7-9 of 000: the conditional number is 0 + digits 5-6 ("025"). */
	assert_true(epd_account_key_ok("044525000", "40702810000000012345", false));
	assert_false(epd_account_key_ok("044525225", "40702810000000012345", false));
	assert_int_equal(dec("ST00012|Name=Н|PersonalAcc=40702810000000012345|BankName=Б|"
			     "BIC=044525000|CorrespAcc=0"), 0);
	assert_int_equal(dec("ST00012|Name=Н|PersonalAcc=40702810000000012345|BankName=Б|"
			     "BIC=044525001|CorrespAcc=0"), 0);
	assert_int_equal(dec("ST00012|Name=Н|PersonalAcc=40702810000000012345|BankName=Б|"
			     "BIC=044525003|CorrespAcc=0"), EPD_EBAD_ACCOUNT_KEY);
}

static void test_treasury_account(void **state)
{
	(void)state;
	assert_int_equal(dec("ST00012|Name=УФК по г. Москве|PersonalAcc=03100643000000017300|"
			     "BankName=ГУ Банка России по ЦФО|BIC=004525988|"
			     "CorrespAcc=40102810545370000003|PayeeINN=7707083893"), 0);
	assert_int_equal(bill.nwarnings, 1);
	assert_string_equal(bill.warnings[0], "key_check_skipped");
	/* The ЕКС key is checked under the РКЦ rule. */
	assert_int_equal(dec("ST00012|Name=УФК|PersonalAcc=03100643000000017300|BankName=ГУ|"
			     "BIC=004525988|CorrespAcc=40102810645370000003"), EPD_EBAD_CORRESP_ACC);
}

static void test_corresp_acc(void **state)
{
	(void)state;
	assert_int_equal(mand_with("CorrespAcc", "0"), 0);
	assert_true(has_warning("corresp_acc_zero"));
	assert_int_equal(bill.nwarnings, 1);
	/* Last three digits must be BIC digits 7-9. */
	assert_int_equal(mand_with("CorrespAcc", "30101810400000000226"), EPD_EBAD_CORRESP_ACC);
	/* Key under the РКЦ rule: this one is valid under the plain rule only. */
	assert_true(epd_account_key_ok("044525225", "30101810600000000225", false));
	assert_int_equal(mand_with("CorrespAcc", "30101810600000000225"), EPD_EBAD_CORRESP_ACC);
	assert_int_equal(mand_with("CorrespAcc", "30101810500000000225"), EPD_EBAD_CORRESP_ACC);
	assert_true(epd_account_key_ok("044525225", "30101810400000000225", true));
	assert_false(epd_account_key_ok("044525225", "30101810400000000225", false));
	static const char *const bad[] = { "00", "3010181040000000022", "301018104000000002250",
					   "40702810640000012345", "4010281054537000000X", "x" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(mand_with("CorrespAcc", bad[i]), EPD_EBAD_CORRESP_ACC);
}

/* ---------------------------------------------------------------- rules 18-24 */

static void test_sum(void **state)
{
	(void)state;
	assert_int_equal(with("Sum=5234.16"), EPD_EBAD_SUM);
	assert_int_equal(with("Sum=5234,16"), EPD_EBAD_SUM);
	assert_int_equal(with("Sum=-1"), EPD_EBAD_SUM);
	assert_int_equal(with("Sum=+1"), EPD_EBAD_SUM);
	assert_int_equal(with("Sum=1 000"), EPD_EBAD_SUM);
	assert_int_equal(with("Sum=1234567890123456789"), EPD_EBAD_SUM);   /* 19 digits */
	assert_int_equal(with("Sum=999999999999999999"), 0);               /* 18 digits */
	assert_int_equal(bill.sum, 999999999999999999ULL);
	assert_int_equal(with("Sum=0"), 0);
	assert_true(bill.has_sum);
	assert_int_equal(bill.sum, 0);
	assert_int_equal(with("Sum= 61069 "), 0);
	assert_int_equal(bill.sum, 61069);
	assert_string_equal(epd_field(&bill, "Sum"), "61069");
	assert_int_equal(with("Purpose=x"), 0);
	assert_false(bill.has_sum);
}

static void test_inn(void **state)
{
	(void)state;
	assert_true(epd_inn_ok("5037008735"));
	assert_true(epd_inn_ok("7707083893"));
	assert_true(epd_inn_ok("500100732259"));
	assert_false(epd_inn_ok("5037008736"));
	assert_false(epd_inn_ok("500100732258"));
	assert_false(epd_inn_ok("500100732269"));
	assert_false(epd_inn_ok("50370087351"));
	assert_false(epd_inn_ok("503700873"));
	assert_false(epd_inn_ok("503700873A"));
	assert_int_equal(with("PayeeINN=5037008736"), EPD_EBAD_INN);
	assert_int_equal(with("PayeeINN=50370087"), EPD_EBAD_INN);
	assert_int_equal(with("PayeeINN=500100732258"), EPD_EBAD_INN);
	assert_int_equal(with("PayeeINN=500100732259"), 0);
	/* A bad payer INN is dropped with a warning. */
	assert_int_equal(with("PayerINN=123|PayeeINN=5037008735"), 0);
	assert_null(epd_field(&bill, "PayerINN"));
	assert_true(has_warning("bad_payer_inn"));
	assert_int_equal(with("PayerINN=500100732259"), 0);
	assert_string_equal(epd_field(&bill, "PayerINN"), "500100732259");
	assert_int_equal(bill.nwarnings, 0);
}

static void test_kpp(void **state)
{
	(void)state;
	assert_int_equal(with("KPP=0"), 0);
	assert_null(epd_field(&bill, "KPP"));
	assert_int_equal(bill.nwarnings, 0);
	assert_int_equal(with("KPP=5037AB001"), 0);
	assert_string_equal(epd_field(&bill, "KPP"), "5037AB001");
	static const char *const bad[] = { "50370100", "5037010011", "5037ab001", "50370100A",
					   "A03701001" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char e[64];
		snprintf(e, sizeof e, "KPP=%s", bad[i]);
		assert_int_equal(with(e), 0);
		assert_null(epd_field(&bill, "KPP"));
		assert_true(has_warning("bad_kpp"));
	}
}

static void test_period(void **state)
{
	(void)state;
	static const struct { const char *in, *out; } cases[] = {
		{ "022021", "2021-02" }, { "02.2021", "2021-02" }, { "0521", "2021-05" },
		{ "202102", "2021-02" }, { "02.21", "2021-02" }, { "52021", "2021-05" },
		{ "102026", "2026-10" }, { "122019", "2019-12" }, { "201912", "2019-12" },
		{ "СЕНТЯБРЬ 2015", "" }, { "132021", "" }, { "2021", "" }, { "00.2021", "" },
		{ "02-2021", "" }, { "2021-02", "" }, { "02.2O21", "" }, { "02202", "" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char e[64];
		snprintf(e, sizeof e, "PaymPeriod=%s", cases[i].in);
		assert_int_equal(with(e), 0);
		assert_string_equal(bill.period, cases[i].out);
		assert_string_equal(epd_field(&bill, "PaymPeriod"), cases[i].in);
	}
	assert_int_equal(with("Purpose=x"), 0);
	assert_string_equal(bill.period, "");
}

static void test_pers_acc_digits(void **state)
{
	(void)state;
	assert_int_equal(with("PersAcc=12345-678"), 0);
	assert_string_equal(epd_field(&bill, "PersAcc"), "12345-678");
	assert_string_equal(epd_pers_acc_digits(&bill), "12345678");
	assert_int_equal(with("PersAcc=ЛС № 50 012 345"), 0);
	assert_string_equal(epd_pers_acc_digits(&bill), "50012345");
	/* PersonalAccount is a different key: not the lookup number. */
	assert_int_equal(with("PersonalAccount=777"), 0);
	assert_string_equal(epd_pers_acc_digits(&bill), "");
	/* TechCode, UIN and the rest are not validated. */
	assert_int_equal(with("TechCode=zz|UIN=абв|Phone=+7 (800)"), 0);
	assert_string_equal(epd_field(&bill, "UIN"), "абв");
}

static void test_warnings_sorted(void **state)
{
	(void)state;
	char p[1024];
	snprintf(p, sizeof p, "ST00011|Name=ООО|PersonalAcc=40702810640000012345|"
		 "BankName=БББББББББББББББББББББББББББББББББББББББББББББББ|BIC=044525225|"
		 "CorrespAcc=0|KPP=1|PayerINN=2|DrawerStatus=123");
	assert_int_equal(dec(p), 0);
	static const char *const want[] = {
		"bad_kpp", "bad_payer_inn", "corresp_acc_zero", "encoding_mismatch",
		"field_too_long:BankName", "field_too_long:DrawerStatus",
	};
	assert_int_equal(bill.nwarnings, 6);
	for (int i = 0; i < 6; i++)
		assert_string_equal(bill.warnings[i], want[i]);
}

/* ---------------------------------------------------------------- codes, allow-list */

static void test_error_codes(void **state)
{
	(void)state;
	static const char *const names[EPD_ERROR_COUNT] = {
		"ok", "empty_payload", "truncated_header", "bad_format_id", "unsupported_version",
		"bad_encoding_flag", "bad_separator", "too_long", "bad_encoding", "mojibake",
		"malformed_field", "control_char", "duplicate_key", "missing_mandatory", "bad_bic",
		"bad_account", "bad_account_key", "bad_corresp_acc", "bad_sum", "bad_inn",
		"not_allowed",
	};
	for (int i = 0; i < EPD_ERROR_COUNT; i++) {
		assert_string_equal(epd_error_code(-i), names[i]);
		assert_true(strlen(epd_error_message(-i, "ru")) > 0);
		assert_true(strlen(epd_error_message(-i, "en")) > 0);
		assert_string_not_equal(epd_error_message(-i, "ru"), epd_error_message(-i, "en"));
	}
	assert_string_equal(epd_error_code(-EPD_ERROR_COUNT), "unknown");
	assert_string_equal(epd_error_code(1), "unknown");
	assert_string_equal(epd_error_message(EPD_EBAD_FORMAT_ID, "en"), "This is not a payment QR code");
	assert_string_equal(epd_error_message(EPD_ENOT_ALLOWED, "ru"), "Этот документ нельзя оплатить здесь");
	assert_string_equal(epd_error_message(EPD_ENOT_ALLOWED, "en"), "This document cannot be paid here");
	assert_string_equal(epd_key_name(EPD_PERS_ACC), "PersAcc");
	assert_string_equal(epd_key_name(EPD_TECH_CODE), "TechCode");
	assert_null(epd_key_name(EPD_KEY_COUNT));
}

static void test_allow_list(void **state)
{
	(void)state;
	struct config_allow allow[2] = {
		{ .inn = "7707083893", .account = "40702810338360027201", .bic = "044525225" },
		{ .inn = "5037008735", .account = "40702810640000012345", .bic = "044525225" },
	};
	assert_int_equal(dec(DEMO), 0);
	assert_int_equal(epd_check_allowed(&bill, allow, 2), 0);
	assert_int_equal(epd_check_allowed(&bill, allow, 1), EPD_ENOT_ALLOWED);
	assert_int_equal(epd_check_allowed(&bill, allow, 0), EPD_ENOT_ALLOWED);
	struct config_allow one = allow[1];
	strcpy(one.inn, "7707083893");
	assert_int_equal(epd_check_allowed(&bill, &one, 1), EPD_ENOT_ALLOWED);
	one = allow[1];
	strcpy(one.account, "40702810338360027201");
	assert_int_equal(epd_check_allowed(&bill, &one, 1), EPD_ENOT_ALLOWED);
	one = allow[1];
	strcpy(one.bic, "044525000");
	assert_int_equal(epd_check_allowed(&bill, &one, 1), EPD_ENOT_ALLOWED);
	/* No PayeeINN on the bill: never allowed, even against an empty entry. */
	assert_int_equal(with("Purpose=x"), 0);
	struct config_allow blank = { .inn = "", .account = "40702810640000012345", .bic = "044525225" };
	assert_int_equal(epd_check_allowed(&bill, &blank, 1), EPD_ENOT_ALLOWED);
	assert_string_equal(epd_error_code(EPD_ENOT_ALLOWED), "not_allowed");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_mandatory_missing),
		cmocka_unit_test(test_field_too_long),
		cmocka_unit_test(test_bad_bic),
		cmocka_unit_test(test_account),
		cmocka_unit_test(test_account_rkc_rule),
		cmocka_unit_test(test_treasury_account),
		cmocka_unit_test(test_corresp_acc),
		cmocka_unit_test(test_sum),
		cmocka_unit_test(test_inn),
		cmocka_unit_test(test_kpp),
		cmocka_unit_test(test_period),
		cmocka_unit_test(test_pers_acc_digits),
		cmocka_unit_test(test_warnings_sorted),
		cmocka_unit_test(test_error_codes),
		cmocka_unit_test(test_allow_list),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
