/* The configuration parser never crashes on any input, and either accepts it (every value
 * then within its key's rules) or names a line with "name:LINE: ". */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config c;
	char err[512];
	config_defaults(&c);
	if (config_parse_text((const char *)data, size, "fuzz.conf", &c, err, sizeof err) != 0) {
		if (strncmp(err, "fuzz.conf:", 10) != 0)
			abort();
		return 0;
	}
	if (c.width < 320 || c.width > 7680 || c.height < 240 || c.height > 7680 || c.max_amount <= 0 ||
	    c.nallow < 0 || c.nallow > CONFIG_MAX_ALLOW || c.readings_from_day > c.readings_to_day)
		abort();
	for (int i = 0; i < c.nallow; i++)
		if (strlen(c.allow[i].account) != 20 || strlen(c.allow[i].bic) != 9)
			abort();
	return 0;
}
