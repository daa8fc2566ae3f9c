/* libFuzzer target for the DLE EOT status parser: any four bytes. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include "drivers/printer_status.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 4)
		return 0;
	struct printer_status s;
	int r = printer_status_parse(data, &s);
	bool valid = true;
	for (int i = 0; i < 4; i++)
		valid &= printer_status_byte_valid(data[i]);
	assert((r == 0) == valid);
	if (r == 0) {
		enum printer_state st = printer_status_state(&s);
		assert(st >= PRINTER_OK && st < PRINTER_OFFLINE);
		assert(!s.cover_open || st == PRINTER_COVER_OPEN);
	}
	return 0;
}
