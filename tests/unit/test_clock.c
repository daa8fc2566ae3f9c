/* The process clock: instants parsed exactly (offsets, leap days, malformed input), and a
 * clock file that starts at the given instant whatever the system's date, is shared with
 * another process (an advance there is seen here) and is joined, not reset, by a later
 * attach. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kiosk/base/clock.h"
#include "tests/lib/test_tmp.h"

static int64_t instant(const char *s)
{
	int64_t v = 0;
	assert_int_equal(clock_parse_instant(s, &v), 0);
	return v;
}

static void test_parse_instant(void **state)
{
	(void)state;
	/* 2026-11-20 07:00:00 UTC = 1795158000 s */
	assert_int_equal(instant("2026-11-20T10:00:00+03:00"), 1795158000000LL);
	assert_int_equal(instant("2026-11-20T07:00:00Z"), 1795158000000LL);
	assert_int_equal(instant("2026-11-20T07:00Z"), 1795158000000LL);
	assert_int_equal(instant("2026-11-20 02:00:00-05:00"), 1795158000000LL);
	/* 31 December 23:59 in Moscow is 20:59 UTC the same day. */
	assert_int_equal(instant("2026-12-31T23:59:00+03:00"), instant("2026-12-31T20:59:00Z"));
	/* A leap day, and the day after. */
	assert_int_equal(instant("2028-03-01T00:00:00Z") - instant("2028-02-29T00:00:00Z"), 86400000LL);
	assert_int_equal(instant("1970-01-01T00:00:00Z"), 0);
}

static void test_parse_rejects(void **state)
{
	(void)state;
	static const char *bad[] = {
		"", "2026-11-20", "2026-11-20T10:00:00", /* no offset: would depend on the machine */
		"2026-11-20T10:00:00+0300", "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z",
		"2026-04-31T00:00:00Z", "2026-11-20T24:00:00Z", "2026-11-20T10:60:00Z",
		"2026-11-20T10:00:00Zjunk", "26-11-20T10:00:00Z", "2026-11-20T10:00:00+15:00",
		"1969-12-31T23:59:59Z", "2026-1a-20T10:00:00Z",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int64_t v = 42;
		if (clock_parse_instant(bad[i], &v) != -1)
			fail_msg("accepted '%s'", bad[i]);
		assert_int_equal(v, 42);
	}
}

static void test_attach_errors(void **state)
{
	(void)state;
	char dir[TEST_TMP_DIR_LEN], path[TEST_TMP_PATH_LEN + 16], err[256];
	test_tmp_dir("clock", dir, NULL);
	snprintf(path, sizeof path, "%s/clock", dir);
	/* Missing, and no instant to create it at. */
	assert_int_equal(clock_attach(path, NULL, err, sizeof err), -1);
	assert_non_null(strstr(err, "does not exist"));
	assert_int_equal(clock_attach(path, "tomorrow", err, sizeof err), -1);
	assert_non_null(strstr(err, "bad instant"));
	assert_int_equal(access(path, F_OK), -1);
	/* Not a clock file. */
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("hello\n", f);
	fclose(f);
	assert_int_equal(clock_attach(path, "2026-11-20T10:00:00+03:00", err, sizeof err), -1);
	assert_non_null(strstr(err, "not a clock file"));
	assert_false(clock_is_injected());
	assert_int_equal(test_tmp_remove(dir), 0);
}

static void test_shared_clock(void **state)
{
	(void)state;
	char dir[TEST_TMP_DIR_LEN], path[TEST_TMP_PATH_LEN + 16], err[256];
	test_tmp_dir("clock", dir, NULL);
	snprintf(path, sizeof path, "%s/clock", dir);
	int64_t start = instant("2028-02-29T23:59:00+03:00");
	assert_int_equal(clock_attach(path, "2028-02-29T23:59:00+03:00", err, sizeof err), 0);
	assert_true(clock_is_injected());
	int64_t w = clock_wall_ms();
	assert_true(w >= start && w < start + 5000);
	int64_t m0 = clock_mono_ms();
	clock_advance(60000);
	assert_true(clock_wall_ms() >= start + 60000 && clock_wall_ms() < start + 65000);
	assert_true(clock_mono_ms() - m0 >= 60000);

	/* Another process of the stack advances: this one sees it. */
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		clock_advance(3600 * 1000);
		_exit(0);
	}
	int st = 0;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_int_equal(st, 0);
	w = clock_wall_ms();
	assert_true(w >= start + 3660000 && w < start + 3665000);

	/* A later attach (a restarted kiosk) joins the clock; its instant is ignored. */
	assert_int_equal(clock_attach(path, "2020-01-01T00:00:00Z", err, sizeof err), 0);
	w = clock_wall_ms();
	assert_true(w >= start + 3660000 && w < start + 3665000);
	assert_int_equal(test_tmp_remove(dir), 0);
}

static void test_deadline(void **state)
{
	(void)state;
	struct timespec now, d;
	clock_gettime(CLOCK_MONOTONIC, &now);
	d = clock_deadline(CLOCK_MONOTONIC, 1999);
	int64_t diff = ((int64_t)d.tv_sec - now.tv_sec) * 1000 + (d.tv_nsec - now.tv_nsec) / 1000000;
	assert_true(diff >= 1999 && diff < 2100); /* 1999 ms on, whatever the nanoseconds were */
	assert_true(d.tv_nsec >= 0 && d.tv_nsec < 1000000000L);
	d = clock_deadline(CLOCK_MONOTONIC, -5); /* a deadline already past is now */
	assert_true(d.tv_sec >= now.tv_sec && d.tv_nsec < 1000000000L);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deadline),
		cmocka_unit_test(test_parse_instant),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_attach_errors),
		cmocka_unit_test(test_shared_clock),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
