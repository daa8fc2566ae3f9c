/* libFuzzer target: the center's readings reply (bytes from the network) as the readings
 * history decodes and merges it with this kiosk's own readings.  Properties: at most
 * RDHIST_MAX entries, newest first, none before the window, every meter id terminated; each
 * local reading in the window is shown exactly once as this kiosk's (matched or not), and
 * a date parsed from the input is -1 or the start of a Moscow day. */
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "kiosk/svc/rdhist_merge.h"
#include "kiosk/base/tz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int zone_set;
	char tzerr[256];
	if (!zone_set && tz_set("Europe/Moscow", tzerr, sizeof tzerr) != 0) {
		fprintf(stderr, "fuzz_rdhist: %s\n", tzerr);
		abort();
	}
	zone_set = 1;
	if (size > 65536)
		return 0;
	static struct cjson_readings c;
	static struct rdhist h;
	char err[CJSON_ERR_MAX];
	char day[16] = "";
	memcpy(day, data, size < 15 ? size : 15);
	int64_t d = rdhist_day_ms(day);
	if (d != -1 && d != tz_day_start(d))
		abort();
	memset(&c, 0, sizeof c);
	if (cjson_readings_decode((const char *)data, size, &c, err) != 0)
		return 0;
	const int64_t since = 1764536400000LL; /* 2025-12-01 00:00 MSK */
	const struct rdhist_local local[] = {
		{ "m1", 125000, 1795680000000LL, false },
		{ "m1", 123456, 1792483200000LL, true },
		{ "m2", 45120, 1760000000000LL, true }, /* before the window */
	};
	rdhist_merge(&c, local, 3, since, &h);
	if (h.n < 0 || h.n > RDHIST_MAX || !h.online)
		abort();
	int here = 0;
	for (int i = 0; i < h.n; i++) {
		if (!memchr(h.e[i].meter_id, '\0', sizeof h.e[i].meter_id))
			abort();
		if (h.e[i].date_ms < since || (i > 0 && h.e[i - 1].date_ms < h.e[i].date_ms))
			abort();
		here += h.e[i].source == RDHIST_HERE;
	}
	if (here != 2)
		abort();
	int idx[RDHIST_MAX];
	if (rdhist_filter(&h, "m1", since, idx, RDHIST_MAX) < 1)
		abort();
	return 0;
}
