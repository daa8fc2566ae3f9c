/* Bill QR encoder: the demo bill's payload byte for byte, the round trip through
 * epd_decode() (every field, the period, the sum), optional fields, and refusals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "kiosk/bill/epd.h"
#include "kiosk/bill/epd_encode.h"

static struct epd_payment demo(void)
{
	return (struct epd_payment){
		.name = "ООО «МосОблЕИРЦ»", .personal_acc = "40702810640000012345", .bank_name = "ПАО Сбербанк",
		.bic = "044525225", .corresp_acc = "30101810400000000225", .payee_inn = "5037008735",
		.kpp = "503701001", .pers_acc = "50012345", .period = "2026-10", .sum = 452316,
	};
}

static void test_demo_bytes(void **st)
{
	(void)st;
	struct epd_payment p = demo();
	char out[1024];
	int n = epd_encode(&p, out, sizeof out);
	const char *want = "ST00012|Name=ООО «МосОблЕИРЦ»|PersonalAcc=40702810640000012345|BankName=ПАО Сбербанк|"
			   "BIC=044525225|CorrespAcc=30101810400000000225|PayeeINN=5037008735|KPP=503701001|"
			   "persAcc=50012345|paymPeriod=102026|Sum=452316|";
	assert_string_equal(out, want);
	assert_int_equal(n, (int)strlen(want));
}

static void test_round_trip(void **st)
{
	(void)st;
	struct epd_payment p = demo();
	char out[1024];
	int n = epd_encode(&p, out, sizeof out);
	assert_true(n > 0);
	static struct epd_bill b;
	assert_int_equal(epd_decode((const uint8_t *)out, (size_t)n, &b), 0);
	assert_string_equal(b.enc, "utf-8");
	assert_int_equal(b.separator, '|');
	assert_string_equal(epd_field_id(&b, EPD_NAME), p.name);
	assert_string_equal(epd_field_id(&b, EPD_PERSONAL_ACC), p.personal_acc);
	assert_string_equal(epd_field_id(&b, EPD_BANK_NAME), p.bank_name);
	assert_string_equal(epd_field_id(&b, EPD_BIC), p.bic);
	assert_string_equal(epd_field_id(&b, EPD_CORRESP_ACC), p.corresp_acc);
	assert_string_equal(epd_field_id(&b, EPD_PAYEE_INN), p.payee_inn);
	assert_string_equal(epd_field_id(&b, EPD_KPP), p.kpp);
	assert_string_equal(epd_field_id(&b, EPD_PERS_ACC), "50012345");
	assert_string_equal(epd_pers_acc_digits(&b), "50012345");
	assert_string_equal(epd_field_id(&b, EPD_PAYM_PERIOD), "102026");
	assert_string_equal(b.period, "2026-10");
	assert_true(b.has_sum);
	assert_int_equal(b.sum, 452316);
	assert_int_equal(b.nwarnings, 0);
	assert_int_equal(b.nunknown, 0);
	/* And the kiosk would accept it: the payee is the allow-listed one. */
	struct config_allow allow = { "5037008735", "40702810640000012345", "044525225" };
	assert_int_equal(epd_check_allowed(&b, &allow, 1), 0);
}

/* Every sum the kiosk can print survives the trip, including 0 and the largest. */
static void test_round_trip_sums(void **st)
{
	(void)st;
	const kopecks sums[] = { 0, 1, 99, 100, 150000000, EPD_SUM_MAX };
	for (size_t i = 0; i < sizeof sums / sizeof sums[0]; i++) {
		struct epd_payment p = demo();
		p.sum = sums[i];
		char out[1024];
		int n = epd_encode(&p, out, sizeof out);
		assert_true(n > 0);
		static struct epd_bill b;
		assert_int_equal(epd_decode((const uint8_t *)out, (size_t)n, &b), 0);
		assert_true(b.has_sum);
		assert_int_equal((kopecks)b.sum, sums[i]);
	}
}

static void test_optional_absent(void **st)
{
	(void)st;
	struct epd_payment p = demo();
	p.kpp = NULL;
	p.payee_inn = "";
	p.period = NULL;
	p.sum = -1;
	char out[1024];
	int n = epd_encode(&p, out, sizeof out);
	assert_true(n > 0);
	assert_null(strstr(out, "KPP="));
	assert_null(strstr(out, "PayeeINN="));
	assert_null(strstr(out, "Sum="));
	static struct epd_bill b;
	assert_int_equal(epd_decode((const uint8_t *)out, (size_t)n, &b), 0);
	assert_false(b.has_sum);
	assert_string_equal(b.period, "");
	assert_null(epd_field_id(&b, EPD_KPP));
}

static void test_refusals(void **st)
{
	(void)st;
	char out[1024];
	struct epd_payment p = demo();
	p.name = "A|B"; /* the separator inside a value: no escaping exists */
	assert_int_equal(epd_encode(&p, out, sizeof out), EPD_ENC_EINVAL);
	assert_string_equal(out, "");
	p = demo();
	p.bank_name = NULL;
	assert_int_equal(epd_encode(&p, out, sizeof out), EPD_ENC_EINVAL);
	p = demo();
	p.pers_acc = "500\n12345";
	assert_int_equal(epd_encode(&p, out, sizeof out), EPD_ENC_EINVAL);
	p = demo();
	p.name = " padded";
	assert_int_equal(epd_encode(&p, out, sizeof out), EPD_ENC_EINVAL);
	const char *bad_periods[] = { "2026-13", "2026-1", "10.2026", "2026-10x", "x" };
	for (size_t i = 0; i < sizeof bad_periods / sizeof bad_periods[0]; i++) {
		p = demo();
		p.period = bad_periods[i];
		assert_int_equal(epd_encode(&p, out, sizeof out), EPD_ENC_EINVAL);
	}
	p = demo();
	p.sum = EPD_SUM_MAX + 1; /* 19 digits: the decoder would say bad_sum */
	assert_int_equal(epd_encode(&p, out, sizeof out), EPD_ENC_EINVAL);
	p.sum = MONEY_MAX;
	assert_int_equal(epd_encode(&p, out, sizeof out), EPD_ENC_EINVAL);
	/* Too small a buffer: nothing partial is left behind. */
	p = demo();
	assert_int_equal(epd_encode(&p, out, 40), EPD_ENC_ESPACE);
	assert_string_equal(out, "");
	/* Over the largest symbol. */
	static char big[4000];
	memset(big, 'x', sizeof big - 1);
	p.name = big;
	static char huge[8192];
	assert_int_equal(epd_encode(&p, huge, sizeof huge), EPD_ENC_ESPACE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_demo_bytes),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_round_trip_sums),
		cmocka_unit_test(test_optional_absent),
		cmocka_unit_test(test_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
