/* Local time from tzdata: Moscow around a year's end, leap days, month ends and months back
 * across a year; Moscow's historic offsets (tzdata, not +3); day starts across daylight
 * saving changes (Berlin) and where midnight is skipped or repeated (Havana); the zone
 * names refused; the host's TZ ignored; $TZDIR; and the abort when no zone was set. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kiosk/base/tz.h"
#include "tests/lib/test_tmp.h"

#define H (3600 * (int64_t)1000)

/* UTC ms of a UTC civil time. */
static int64_t utc(int y, int m, int d, int h, int min)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = h, .tm_min = min };
	return (int64_t)timegm(&tm) * 1000;
}

static void zone(const char *name)
{
	char err[256];
	if (tz_set(name, err, sizeof err) != 0)
		fail_msg("%s", err);
}

static const char *dt(int64_t ms)
{
	static char buf[TZ_FMT_MAX];
	return tz_fmt_datetime(ms, buf, sizeof buf);
}

/* Runs first, while no zone is set: a child asking for local time aborts with a message. */
static void test_unset_aborts(void **st)
{
	(void)st;
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fds[1], 2);
		struct tz_civil c;
		tz_local(0, &c);
		_exit(0);
	}
	close(fds[1]);
	char msg[256] = "";
	ssize_t n = read(fds[0], msg, sizeof msg - 1);
	msg[n > 0 ? n : 0] = '\0';
	close(fds[0]);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
	assert_non_null(strstr(msg, "tz_local() called before tz_set()"));
}

static void test_year_end(void **st)
{
	(void)st;
	zone("Europe/Moscow");
	assert_string_equal(tz_zone(), "Europe/Moscow");
	assert_string_equal(dt(utc(2026, 12, 31, 20, 59)), "31.12.2026 23:59");
	assert_string_equal(dt(utc(2026, 12, 31, 21, 0)), "01.01.2027 00:00");
	char buf[TZ_FMT_MAX];
	assert_string_equal(tz_fmt_date(utc(2026, 12, 31, 20, 59), buf, sizeof buf), "31.12.2026");
	assert_string_equal(tz_fmt_date(utc(2026, 12, 31, 21, 0), buf, sizeof buf), "01.01.2027");
	assert_string_equal(tz_fmt_hm(utc(2026, 11, 26, 10, 5), buf, sizeof buf), "13:05");
	struct tz_civil c;
	tz_local(utc(2026, 12, 31, 21, 0) + 59999, &c);
	assert_int_equal(c.year, 2027);
	assert_int_equal(c.month, 1);
	assert_int_equal(c.day, 1);
	assert_int_equal(c.hour, 0);
	assert_int_equal(c.min, 0);
	assert_int_equal(c.sec, 59);
	assert_int_equal(c.wday, 5); /* a Friday */
	assert_int_equal(tz_utc_ms(2027, 1, 1, 0, 0, 0), utc(2026, 12, 31, 21, 0));
	assert_int_equal(tz_utc_ms(2026, 11, 26, 13, 5, 0), utc(2026, 11, 26, 10, 5));
	assert_int_equal(tz_day_start(utc(2026, 12, 31, 20, 59)), utc(2026, 12, 30, 21, 0));
	assert_int_equal(tz_day_start(utc(2026, 12, 31, 21, 0)), utc(2026, 12, 31, 21, 0));
}

static void test_leap_and_month_ends(void **st)
{
	(void)st;
	zone("Europe/Moscow");
	assert_int_equal(tz_date_start(2028, 2, 29), utc(2028, 2, 28, 21, 0));
	assert_string_equal(dt(utc(2028, 2, 29, 20, 59)), "29.02.2028 23:59");
	assert_string_equal(dt(utc(2028, 2, 29, 21, 0)), "01.03.2028 00:00");
	assert_int_equal(tz_date_start(2027, 2, 29), tz_date_start(2027, 3, 1)); /* carried over */
	assert_int_equal(tz_date_start(2027, 4, 31), tz_date_start(2027, 5, 1));
	assert_int_equal(tz_date_start(2026, 13, 1), tz_date_start(2027, 1, 1));
	assert_int_equal(tz_date_start(2027, 0, 1), tz_date_start(2026, 12, 1));
	/* The last minute of 31 January, 28 February, 30 April, 31 December. */
	assert_int_equal(tz_day_start(utc(2027, 1, 31, 20, 59)), utc(2027, 1, 30, 21, 0));
	assert_int_equal(tz_day_start(utc(2027, 2, 28, 20, 59)), utc(2027, 2, 27, 21, 0));
	assert_int_equal(tz_day_start(utc(2027, 4, 30, 20, 59)), utc(2027, 4, 29, 21, 0));
	assert_int_equal(tz_month_start(utc(2027, 1, 31, 20, 59), 0), utc(2026, 12, 31, 21, 0));
	assert_int_equal(tz_month_start(utc(2027, 1, 31, 21, 0), 0), utc(2027, 1, 31, 21, 0)); /* 1 Feb */
	assert_int_equal(tz_month_start(utc(2027, 4, 30, 20, 59), 1), utc(2027, 2, 28, 21, 0)); /* 1 Mar */
	/* Months back across a year: January 2027 minus 2 is November 2026. */
	assert_int_equal(tz_month_start(utc(2027, 1, 10, 9, 0), 2), utc(2026, 10, 31, 21, 0));
	assert_int_equal(tz_month_start(utc(2027, 1, 10, 9, 0), 12), utc(2025, 12, 31, 21, 0)); /* 1 Jan 2026 */
	assert_int_equal(tz_month_start(utc(2027, 1, 10, 9, 0), 25), utc(2024, 11, 30, 21, 0)); /* 1 Dec 2024 */
	/* 1 January 00:30 in Moscow is still 31 December in UTC: Moscow's month counts. */
	assert_int_equal(tz_month_start(utc(2026, 12, 31, 21, 30), 0), utc(2026, 12, 31, 21, 0));
}

/* tzdata's history of Moscow, not a fixed +3. */
static void test_moscow_history(void **st)
{
	(void)st;
	zone("Europe/Moscow");
	assert_string_equal(dt(utc(2011, 7, 1, 12, 0)), "01.07.2011 16:00");  /* UTC+4 (summer time kept) */
	assert_string_equal(dt(utc(2013, 1, 15, 12, 0)), "15.01.2013 16:00"); /* UTC+4 all year */
	assert_string_equal(dt(utc(2010, 1, 15, 12, 0)), "15.01.2010 15:00"); /* UTC+3 in winter */
	assert_string_equal(dt(utc(2010, 7, 15, 12, 0)), "15.07.2010 16:00"); /* UTC+4 in summer */
	assert_string_equal(dt(utc(2015, 7, 15, 12, 0)), "15.07.2015 15:00"); /* UTC+3 since 2014 */
	assert_int_equal(tz_date_start(2011, 7, 1), utc(2011, 6, 30, 20, 0));
}

static void test_dst_day_start(void **st)
{
	(void)st;
	zone("Europe/Berlin");
	/* 29 March 2026: 02:00 CET -> 03:00 CEST, a 23-hour day. */
	int64_t d = tz_day_start(utc(2026, 3, 29, 12, 0));
	assert_int_equal(d, utc(2026, 3, 28, 23, 0));
	assert_int_equal(tz_day_start(utc(2026, 3, 30, 12, 0)) - d, 23 * H);
	assert_string_equal(dt(utc(2026, 3, 29, 1, 0)), "29.03.2026 03:00");
	/* 25 October 2026: 03:00 CEST -> 02:00 CET, a 25-hour day. */
	d = tz_day_start(utc(2026, 10, 25, 12, 0));
	assert_int_equal(d, utc(2026, 10, 24, 22, 0));
	assert_int_equal(tz_day_start(utc(2026, 10, 26, 12, 0)) - d, 25 * H);
	assert_int_equal(tz_month_start(utc(2026, 11, 15, 12, 0), 1), utc(2026, 9, 30, 22, 0)); /* 1 Oct CEST */
	/* Havana moves its clocks at midnight: on 8 March 2026 the day starts at 01:00 CDT; on
	 * 1 November 00:00-01:00 happens twice and the day starts at the first. */
	zone("America/Havana");
	assert_int_equal(tz_date_start(2026, 3, 8), utc(2026, 3, 8, 5, 0));
	assert_int_equal(tz_day_start(utc(2026, 3, 8, 18, 0)), utc(2026, 3, 8, 5, 0));
	assert_int_equal(tz_date_start(2026, 3, 7), utc(2026, 3, 7, 5, 0));
	assert_int_equal(tz_date_start(2026, 11, 1), utc(2026, 11, 1, 4, 0));
	assert_int_equal(tz_day_start(utc(2026, 11, 1, 5, 30)), utc(2026, 11, 1, 4, 0));
	assert_int_equal(tz_date_start(2026, 11, 2), utc(2026, 11, 2, 5, 0));
	zone("America/New_York");
	assert_string_equal(dt(utc(2026, 7, 4, 16, 0)), "04.07.2026 12:00");
	assert_string_equal(dt(utc(2026, 12, 4, 17, 0)), "04.12.2026 12:00");
}

static void test_rejected(void **st)
{
	(void)st;
	zone("Europe/Moscow");
	static const char *const bad[] = { "Mars/Olympus", "../etc/passwd", "", "/etc/localtime", "Europe",
					   "zone.tab", "Europe/../Europe/Moscow", "Europe/Moscow\n", "Europe Moscow" };
	char err[256];
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err[0] = '\0';
		assert_int_equal(tz_set(bad[i], err, sizeof err), -1);
		assert_non_null(strstr(err, "unknown time zone '"));
	}
	assert_int_equal(tz_set("Mars/Olympus", err, sizeof err), -1);
	assert_true(strncmp(err, "unknown time zone 'Mars/Olympus' (no /", 38) == 0);
	assert_non_null(strstr(err, "/Mars/Olympus)"));
	/* The zone in force stays. */
	assert_string_equal(tz_zone(), "Europe/Moscow");
	assert_string_equal(dt(utc(2026, 12, 31, 21, 0)), "01.01.2027 00:00");
}

static void test_host_tz_ignored(void **st)
{
	(void)st;
	setenv("TZ", "America/New_York", 1);
	tzset();
	zone("Europe/Moscow");
	assert_string_equal(dt(utc(2026, 12, 31, 21, 0)), "01.01.2027 00:00");
	assert_int_equal(tz_day_start(utc(2026, 12, 31, 21, 0)), utc(2026, 12, 31, 21, 0));
	assert_int_equal(tz_utc_ms(2027, 1, 1, 0, 0, 0), utc(2026, 12, 31, 21, 0));
}

/* $TZDIR is where zones are looked up, for the check and for the C library alike. */
static void test_tzdir(void **st)
{
	(void)st;
	char dir[TEST_TMP_DIR_LEN], path[TEST_TMP_PATH_LEN + 16];
	test_tmp_dir("test_tz", dir, NULL);
	FILE *in = fopen("/usr/share/zoneinfo/Asia/Tokyo", "rb");
	assert_non_null(in);
	snprintf(path, sizeof path, "%s/Here", dir);
	FILE *out = fopen(path, "wb");
	assert_non_null(out);
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		assert_int_equal(fwrite(buf, 1, n, out), n);
	fclose(in);
	fclose(out);
	snprintf(path, sizeof path, "%s/Fake", dir);
	out = fopen(path, "w");
	assert_non_null(out);
	fputs("not a zone\n", out);
	fclose(out);

	setenv("TZDIR", dir, 1);
	char err[256];
	assert_int_equal(tz_set("Fake", err, sizeof err), -1);
	assert_non_null(strstr(err, "is not a tzdata file"));
	assert_int_equal(tz_set("Europe/Moscow", err, sizeof err), -1);
	zone("Here");
	assert_string_equal(dt(utc(2026, 12, 31, 15, 0)), "01.01.2027 00:00"); /* Tokyo, UTC+9 */
	unsetenv("TZDIR");
	zone("Europe/Moscow");
	assert_string_equal(dt(utc(2026, 12, 31, 21, 0)), "01.01.2027 00:00");
	assert_int_equal(test_tmp_remove(dir), 0);
}

static void test_utc_calendar(void **st)
{
	(void)st;
	struct tz_civil c;
	tz_utc(-1, &c); /* 1969-12-31 23:59:59.999 */
	assert_int_equal(c.year, 1969);
	assert_int_equal(c.month, 12);
	assert_int_equal(c.day, 31);
	assert_int_equal(c.hour, 23);
	assert_int_equal(c.min, 59);
	assert_int_equal(c.sec, 59);
	assert_int_equal(c.wday, 3);
	/* Every day 1900-2100 against the C library's UTC. */
	for (int64_t s = -2208988800LL; s < 4102444800LL; s += 86400 + 3661) {
		time_t t = (time_t)s;
		struct tm tm;
		gmtime_r(&t, &tm);
		tz_utc(s * 1000 + 999, &c);
		assert_int_equal(c.year, tm.tm_year + 1900);
		assert_int_equal(c.month, tm.tm_mon + 1);
		assert_int_equal(c.day, tm.tm_mday);
		assert_int_equal(c.hour, tm.tm_hour);
		assert_int_equal(c.min, tm.tm_min);
		assert_int_equal(c.sec, tm.tm_sec);
		assert_int_equal(c.wday, tm.tm_wday);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unset_aborts),
		cmocka_unit_test(test_year_end),
		cmocka_unit_test(test_leap_and_month_ends),
		cmocka_unit_test(test_moscow_history),
		cmocka_unit_test(test_dst_day_start),
		cmocka_unit_test(test_rejected),
		cmocka_unit_test(test_host_tz_ignored),
		cmocka_unit_test(test_tzdir),
		cmocka_unit_test(test_utc_calendar),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
