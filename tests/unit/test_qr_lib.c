/* kiosk/base/qr_lib: libqrencode through the library loaded on first use gives the codes
 * the linked library gives (same size, same modules), and NULL for what cannot be encoded. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "kiosk/base/qr_lib.h"

static void test_same_as_linked(void **st)
{
	(void)st;
	const char *text = "ST00012|Name=ООО «МосОблЕИРЦ»|PersonalAcc=40702810640000012345|Sum=452316";
	QRcode *a = qr_encode_string(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	QRcode *b = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(a->width, b->width);
	assert_true(a->width > 21);
	assert_memory_equal(a->data, b->data, (size_t)(a->width * a->width));
	qr_free(a);
	QRcode_free(b);
	const unsigned char raw[] = { 0x00, 0xff, 0x10, 0x20 };
	a = qr_encode_data(sizeof raw, raw, 0, QR_ECLEVEL_M);
	assert_non_null(a);
	assert_int_equal(a->width, 21);
	qr_free(a);
	qr_free(NULL);
}

static void test_too_long(void **st)
{
	(void)st;
	static char big[8000];
	memset(big, 'x', sizeof big - 1);
	assert_null(qr_encode_string(big, 0, QR_ECLEVEL_M, QR_MODE_8, 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_as_linked),
		cmocka_unit_test(test_too_long),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
