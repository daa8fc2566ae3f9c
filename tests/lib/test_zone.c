/* The time zone of a test program. */
#include "tests/lib/test_zone.h"

#include <stdio.h>
#include <stdlib.h>

#include "kiosk/base/tz.h"

void test_zone(const char *name)
{
	char err[256];
	if (tz_set(name, err, sizeof err) != 0) {
		fprintf(stderr, "test_zone: %s\n", err);
		abort();
	}
}
