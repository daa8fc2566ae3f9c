#ifndef TESTS_LIB_TEST_ZONE_H
#define TESTS_LIB_TEST_ZONE_H
/* The time zone a test program runs in: kiosk/base/tz.h aborts until one is set, so a test that
 * shows or counts local time calls this first. */

/* tz_set(name); on failure (tzdata without it) prints why and aborts. */
void test_zone(const char *name);

#endif
