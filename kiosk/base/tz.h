#ifndef KIOSK_TZ_H
#define KIOSK_TZ_H
/* Local time: the one place that turns the UTC ms the kiosk stores into the civil time it
 * shows and counts days and months in, and back.  The zone is a tzdata name
 * (kiosk.timezone, e.g. Europe/Moscow), read from $TZDIR or /usr/share/zoneinfo, so
 * historic offsets and daylight saving time are those of tzdata, never a fixed offset.
 *
 *  - tz_set() runs once at start, before any thread: it sets the process TZ.  The other
 *    functions only convert (localtime_r, mktime) and are thread-safe after it.
 *  - A function that needs the zone, called before tz_set() succeeded, prints a message to
 *    stderr and aborts: the host's TZ is never used silently.  tz_utc() needs no zone.
 *  - Months are 1-12, weekdays 0-6 from Sunday.  Every int64_t UTC ms has a civil time. */
#include <stddef.h>
#include <stdint.h>

#define TZ_ZONE_MAX 64    /* longest zone name accepted, with the NUL */
#define TZ_FMT_MAX 32     /* room for any tz_fmt_* result */
#define TZ_NONE INT64_MIN /* "no such moment" from the civil -> UTC functions */

struct tz_civil {
	int year, month, day;
	int hour, min, sec;
	int wday;
};

/* Makes ZONE the kiosk's time zone: it must name a regular TZif file under $TZDIR (or
 * /usr/share/zoneinfo); empty names, absolute ones and ".." are refused.  0, or -1 with a
 * sentence naming the zone in err (the zone in force, if any, stays).  Not thread-safe. */
int tz_set(const char *zone, char *err, int errcap);
/* The zone tz_set() accepted. */
const char *tz_zone(void);

/* The local civil time of UTC_MS. */
void tz_local(int64_t utc_ms, struct tz_civil *ret);
/* The civil time of UTC_MS in UTC itself (pure arithmetic). */
void tz_utc(int64_t utc_ms, struct tz_civil *ret);
/* Local civil time -> UTC ms.  Fields out of range carry over (31 April is 1 May); a time
 * skipped or repeated by a clock change resolves as mktime() does with tm_isdst = -1.
 * TZ_NONE when the moment does not fit. */
int64_t tz_utc_ms(int year, int month, int day, int hour, int min, int sec);
/* The first moment of the local day YEAR-MONTH-DAY (carried over like tz_utc_ms()), as UTC
 * ms: its 00:00, or the end of a clock change that skips midnight, or the first of two
 * midnights.  TZ_NONE when it does not fit. */
int64_t tz_date_start(int year, int month, int day);
/* The first moment of the local day of UTC_MS. */
int64_t tz_day_start(int64_t utc_ms);
/* The first moment of the local month BACK months before that of UTC_MS (0: its own):
 * for 10 January 2027 and 2, 1 November 2026 00:00 local. */
int64_t tz_month_start(int64_t utc_ms, int back);

/* UTC_MS in local time as "26.11.2026", "26.11.2026 13:05" (receipts) or "13:05";
 * each returns buf (cap TZ_FMT_MAX holds any of them). */
const char *tz_fmt_date(int64_t utc_ms, char *buf, size_t cap);
const char *tz_fmt_datetime(int64_t utc_ms, char *buf, size_t cap);
const char *tz_fmt_hm(int64_t utc_ms, char *buf, size_t cap);

#endif
