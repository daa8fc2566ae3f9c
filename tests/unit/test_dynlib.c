/* kiosk/base/dynlib: a library's functions found all or nothing, and a clear reason when
 * the library or one function is missing (no slot written then). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "kiosk/base/dynlib.h"

static void test_found(void **st)
{
	(void)st;
	double (*cosine)(double) = NULL;
	size_t (*length)(const char *) = NULL;
	const struct dynlib_fn fns[] = { { "cos", &cosine } };
	const struct dynlib_fn fns2[] = { { "strlen", &length } };
	char err[128] = "";
	assert_non_null(dynlib_open("libm.so.6", fns, 1, err, sizeof err));
	assert_non_null(cosine);
	assert_true(cosine(0.0) == 1.0);
	assert_non_null(dynlib_open("libc.so.6", fns2, 1, err, sizeof err));
	assert_int_equal(length("kiosk"), 5);
	assert_string_equal(err, "");
}

static void test_missing_library(void **st)
{
	(void)st;
	void (*f)(void) = NULL;
	const struct dynlib_fn fns[] = { { "f", &f } };
	char err[256] = "";
	assert_null(dynlib_open("libkiosk-no-such-library.so.9", fns, 1, err, sizeof err));
	assert_non_null(strstr(err, "cannot load libkiosk-no-such-library.so.9: "));
	assert_null(f);
}

static void test_missing_function(void **st)
{
	(void)st;
	double (*cosine)(double) = NULL;
	void (*none)(void) = NULL;
	const struct dynlib_fn fns[] = { { "cos", &cosine }, { "kiosk_no_such_function", &none } };
	char err[256] = "";
	assert_null(dynlib_open("libm.so.6", fns, 2, err, sizeof err));
	assert_string_equal(err, "libm.so.6 has no kiosk_no_such_function");
	/* All or nothing: the function that was there is not handed out either. */
	assert_null(cosine);
	assert_null(none);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_found),
		cmocka_unit_test(test_missing_library),
		cmocka_unit_test(test_missing_function),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
