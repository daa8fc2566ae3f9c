/* Local time through tzdata (tz.h).  The C library does the zone arithmetic (localtime_r,
 * mktime); this file checks the zone exists, finds the first moment of local days and
 * months (midnight is not always there), and keeps the calendar of UTC itself pure. */
#include "kiosk/base/tz.h"

#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DAY_S 86400
#define DEFAULT_TZDIR "/usr/share/zoneinfo"

static char zone[TZ_ZONE_MAX]; /* empty until tz_set() succeeds */

static void need_zone(const char *fn)
{
	if (zone[0])
		return;
	fprintf(stderr, "tz: %s() called before tz_set(): the host's time zone is not used\n", fn);
	abort();
}

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Days since 1970-01-01 of a proleptic Gregorian date, and back (H. Hinnant's algorithms). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = floor_div(y, 400);
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *ret_y, int *ret_m, int *ret_d)
{
	z += 719468;
	int64_t era = floor_div(z, 146097);
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*ret_d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*ret_m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*ret_y = yoe + era * 400 + (*ret_m <= 2);
}

static bool name_ok(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n >= TZ_ZONE_MAX || name[0] == '/' || strstr(name, ".."))
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '/' || c == '_' || c == '-' || c == '+' || c == '.'))
			return false;
	}
	return true;
}

/* 0 when PATH is a regular file starting with the TZif magic; else -1 and why in err. */
static int tzif_check(const char *name, const char *path, char *err, int errcap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, (size_t)errcap, "unknown time zone '%s' (no %s)", name, path);
		return -1;
	}
	struct stat st;
	char magic[4];
	int rc = -1;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && read(fd, magic, sizeof magic) == (ssize_t)sizeof magic &&
	    memcmp(magic, "TZif", sizeof magic) == 0)
		rc = 0;
	else
		snprintf(err, (size_t)errcap, "unknown time zone '%s' (%s is not a tzdata file)", name, path);
	close(fd);
	return rc;
}

int tz_set(const char *name, char *err, int errcap)
{
	char path[PATH_MAX];
	if (!name_ok(name)) {
		snprintf(err, (size_t)errcap, "unknown time zone '%.*s' (a tzdata name like Europe/Moscow)",
			 TZ_ZONE_MAX, name);
		return -1;
	}
	const char *dir = getenv("TZDIR");
	if (!dir || !dir[0])
		dir = DEFAULT_TZDIR;
	if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path) {
		snprintf(err, (size_t)errcap, "unknown time zone '%s' (path too long)", name);
		return -1;
	}
	if (tzif_check(name, path, err, errcap) != 0)
		return -1;
	/* The C library looks NAME up in the same $TZDIR (or its default, the same directory). */
	if (setenv("TZ", name, 1) != 0) {
		snprintf(err, (size_t)errcap, "time zone '%s': cannot set TZ", name);
		return -1;
	}
	tzset();
	snprintf(zone, sizeof zone, "%s", name);
	return 0;
}

const char *tz_zone(void)
{
	need_zone(__func__);
	return zone;
}

static int sec_of_day(const struct tz_civil *c)
{
	return c->hour * 3600 + c->min * 60 + c->sec;
}

static bool on_day(const struct tz_civil *c, int64_t y, int m, int d)
{
	return c->year == y && c->month == m && c->day == d;
}

static void local_s(int64_t s, struct tz_civil *ret)
{
	time_t t = (time_t)s;
	struct tm tm;
	if (!localtime_r(&t, &tm)) { /* not with a 64-bit time_t and a ms input */
		tz_utc(s * 1000, ret);
		return;
	}
	*ret = (struct tz_civil){ .year = tm.tm_year + 1900, .month = tm.tm_mon + 1, .day = tm.tm_mday,
				  .hour = tm.tm_hour, .min = tm.tm_min, .sec = tm.tm_sec, .wday = tm.tm_wday };
}

void tz_local(int64_t utc_ms, struct tz_civil *ret)
{
	need_zone(__func__);
	local_s(floor_div(utc_ms, 1000), ret);
}

void tz_utc(int64_t utc_ms, struct tz_civil *ret)
{
	int64_t s = floor_div(utc_ms, 1000);
	int64_t days = floor_div(s, DAY_S);
	int sod = (int)(s - days * DAY_S);
	int64_t y;
	civil_from_days(days, &y, &ret->month, &ret->day);
	ret->year = (int)y; /* |y| < 3e8 for any int64_t ms */
	ret->hour = sod / 3600;
	ret->min = sod / 60 % 60;
	ret->sec = sod % 60;
	ret->wday = (int)(days - floor_div(days + 4, 7) * 7 + 4); /* 1970-01-01 was a Thursday */
}

/* mktime() of a local civil time, in seconds; TZ_NONE when it does not fit. */
static int64_t mk(int64_t year, int64_t month, int day, int hour, int min, int sec)
{
	if (year - 1900 < INT_MIN || year - 1900 > INT_MAX || month - 1 < INT_MIN || month - 1 > INT_MAX)
		return TZ_NONE;
	struct tm tm = { .tm_year = (int)(year - 1900), .tm_mon = (int)(month - 1), .tm_mday = day,
			 .tm_hour = hour, .tm_min = min, .tm_sec = sec, .tm_isdst = -1, .tm_wday = -1 };
	time_t t = mktime(&tm);
	if (tm.tm_wday == -1 || t > INT64_MAX / 1000 || t < INT64_MIN / 1000 + 1)
		return TZ_NONE; /* mktime sets tm_wday only on success */
	return (int64_t)t;
}

int64_t tz_utc_ms(int year, int month, int day, int hour, int min, int sec)
{
	need_zone(__func__);
	int64_t s = mk(year, month, day, hour, min, sec);
	return s == TZ_NONE ? TZ_NONE : s * 1000;
}

int64_t tz_date_start(int year, int month, int day)
{
	need_zone(__func__);
	int64_t mm = (int64_t)month - 1;
	int64_t ym = floor_div(mm, 12);
	int64_t y;
	int m, d;
	civil_from_days(days_from_civil(year + ym, (int)(mm - ym * 12) + 1, 1) + day - 1, &y, &m, &d);
	int64_t s = mk(y, m, d, 0, 0, 0);
	if (s == TZ_NONE)
		return TZ_NONE;
	struct tz_civil c;
	local_s(s, &c);
	/* Midnight skipped by a clock change: mktime may answer an hour of the day before, whose
	 * day ends at the change. */
	if (!on_day(&c, y, m, d) && (c.year < y || (c.year == y && (c.month < m || (c.month == m && c.day < d)))))
		s += DAY_S - sec_of_day(&c);
	/* Midnight repeated: the day began at the first one. */
	for (int i = 0; i < 2; i++) {
		local_s(s - 1, &c);
		if (!on_day(&c, y, m, d))
			break;
		s -= 1 + sec_of_day(&c);
	}
	return s * 1000;
}

int64_t tz_day_start(int64_t utc_ms)
{
	need_zone(__func__);
	struct tz_civil c;
	tz_local(utc_ms, &c);
	return tz_date_start(c.year, c.month, c.day);
}

int64_t tz_month_start(int64_t utc_ms, int back)
{
	need_zone(__func__);
	struct tz_civil c;
	tz_local(utc_ms, &c);
	int64_t idx = (int64_t)c.year * 12 + (c.month - 1) - back;
	int64_t y = floor_div(idx, 12);
	if (y < INT_MIN || y > INT_MAX)
		return TZ_NONE;
	return tz_date_start((int)y, (int)(idx - y * 12) + 1, 1);
}

const char *tz_fmt_date(int64_t utc_ms, char *buf, size_t cap)
{
	struct tz_civil c;
	tz_local(utc_ms, &c);
	snprintf(buf, cap, "%02d.%02d.%04d", c.day, c.month, c.year);
	return buf;
}

const char *tz_fmt_datetime(int64_t utc_ms, char *buf, size_t cap)
{
	struct tz_civil c;
	tz_local(utc_ms, &c);
	snprintf(buf, cap, "%02d.%02d.%04d %02d:%02d", c.day, c.month, c.year, c.hour, c.min);
	return buf;
}

const char *tz_fmt_hm(int64_t utc_ms, char *buf, size_t cap)
{
	struct tz_civil c;
	tz_local(utc_ms, &c);
	snprintf(buf, cap, "%02d:%02d", c.hour, c.min);
	return buf;
}
