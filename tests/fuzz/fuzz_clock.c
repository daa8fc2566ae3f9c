/* The instant parser (tests/e2e/run --now, KIOSK_NOW) never crashes or reads past its input;
 * what it accepts prints back to the same instant: the date is a real one, after 1970, and
 * the offset within ±14 h. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kiosk/base/clock.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char s[64];
	if (size >= sizeof s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	int64_t ms = -1;
	if (clock_parse_instant(s, &ms) != 0)
		return 0;
	if (ms < -14 * 3600 * 1000LL || ms % 1000 != 0)
		abort();
	/* The UTC date and time, shifted back by the offset, are the ones written. */
	time_t t = (time_t)(ms / 1000);
	int sign = 0, oh = 0, om = 0;
	if (s[16] == ':' ? s[19] != 'Z' : s[16] != 'Z') {
		const char *o = s + (s[16] == ':' ? 19 : 16);
		sign = *o == '-' ? -1 : 1;
		oh = (o[1] - '0') * 10 + (o[2] - '0');
		om = (o[4] - '0') * 10 + (o[5] - '0');
	}
	t += sign * (oh * 3600 + om * 60);
	struct tm tm;
	gmtime_r(&t, &tm);
	char back[80]; /* room for any int the compiler imagines */
	snprintf(back, sizeof back, "%04d-%02d-%02d%c%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, s[10],
		 tm.tm_hour, tm.tm_min);
	if (strncmp(back, s, 16) != 0)
		abort();
	return 0;
}
