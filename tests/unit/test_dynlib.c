/* kiosk/base/dynlib: a library's functions found all or nothing, and a clear reason when
 * the library or one function is missing (no slot written then); loaded once on first
 * need, a failure said every time it is asked. */
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

static double (*lazy_cos)(double);
static const struct dynlib_fn lazy_fns[] = { { "cos", &lazy_cos } };
static struct dynlib_lazy lazy_m = DYNLIB_LAZY("libm.so.6", lazy_fns, "test");
static void (*lazy_none)(void);
static const struct dynlib_fn none_fns[] = { { "kiosk_no_such_function", &lazy_none } };
static struct dynlib_lazy lazy_bad = DYNLIB_LAZY("libm.so.6", none_fns, "test");

static void test_lazy(void **st)
{
	(void)st;
	assert_null(lazy_cos);
	assert_int_equal(dynlib_lazy_load(&lazy_m, NULL, 0), 0);
	assert_non_null(lazy_cos);
	double (*first)(double) = lazy_cos;
	assert_int_equal(dynlib_lazy_load(&lazy_m, NULL, 0), 0);
	assert_ptr_equal(lazy_cos, first);
	/* A failure is said every time it is asked, with the same reason. */
	char err[128] = "", err2[128] = "";
	assert_int_equal(dynlib_lazy_load(&lazy_bad, err, sizeof err), -1);
	assert_int_equal(dynlib_lazy_load(&lazy_bad, err2, sizeof err2), -1);
	assert_string_equal(err, "libm.so.6 has no kiosk_no_such_function");
	assert_string_equal(err2, err);
	assert_null(lazy_none);
	assert_int_equal(dynlib_lazy_load(&lazy_bad, NULL, 0), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_found),
		cmocka_unit_test(test_missing_library),
		cmocka_unit_test(test_missing_function),
		cmocka_unit_test(test_lazy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
