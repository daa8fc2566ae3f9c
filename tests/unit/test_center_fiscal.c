/* The reference center's check of a payment's fiscal receipt: absent is fine, a complete
 * one is fine, and each malformed field is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "tests/sim/billing-center/center_fiscal.h"

static const char *check(const char *text)
{
	json_error_t e;
	json_t *f = json_loads(text, JSON_DECODE_ANY, &e);
	assert_non_null(f);
	const char *r = center_fiscal_check(f);
	json_decref(f);
	return r;
}

static void test_fiscal(void **state)
{
	(void)state;
	assert_string_equal(center_fiscal_check(NULL), "");
	assert_string_equal(check("{\"fn\":\"9999078900007903\",\"fd\":2,\"fp\":3235333502,"
				  "\"time\":\"2026-11-20T10:00\",\"shift\":1,\"number\":1}"), "");
	const char *bad[] = {
		"[]",
		"{\"fn\":\"999907890000790\",\"fd\":2,\"fp\":1,\"time\":\"2026-11-20T10:00\",\"shift\":1,\"number\":1}",
		"{\"fn\":\"9999078900007903\",\"fd\":0,\"fp\":1,\"time\":\"2026-11-20T10:00\",\"shift\":1,\"number\":1}",
		"{\"fn\":\"9999078900007903\",\"fd\":4294967296,\"fp\":1,\"time\":\"2026-11-20T10:00\",\"shift\":1,\"number\":1}",
		"{\"fn\":\"9999078900007903\",\"fd\":2,\"fp\":-1,\"time\":\"2026-11-20T10:00\",\"shift\":1,\"number\":1}",
		"{\"fn\":\"9999078900007903\",\"fd\":2,\"fp\":1,\"time\":\"2026-11-20 10:00\",\"shift\":1,\"number\":1}",
		"{\"fn\":\"9999078900007903\",\"fd\":2,\"fp\":1,\"time\":\"2026-11-20T10:00\",\"number\":1}",
		"{\"fn\":\"9999078900007903\",\"fd\":\"2\",\"fp\":1,\"time\":\"2026-11-20T10:00\",\"shift\":1,\"number\":1}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_string_equal(check(bad[i]), "fiscal_invalid");
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(test_fiscal) };
	return cmocka_run_group_tests(tests, NULL, NULL);
}
