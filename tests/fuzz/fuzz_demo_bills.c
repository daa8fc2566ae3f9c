/* libFuzzer target for the demo's bill file (kiosk/bill/demo_bills.h).  Property: no crash; on
 * success 1..DEMO_BILLS_MAX bills, each payload a line of the input and each label
 * NUL-terminated inside its field; on failure a message that names a line. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/bill/demo_bills.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REQUIRE(c) do { if (!(c)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	static struct demo_bills b;
	char err[256];
	if (demo_bills_parse(text, &b, err, sizeof err) == 0) {
		REQUIRE(b.n >= 1 && b.n <= DEMO_BILLS_MAX);
		for (int i = 0; i < b.n; i++) {
			REQUIRE(memchr(b.bill[i].label, '\0', sizeof b.bill[i].label));
			REQUIRE(memchr(b.bill[i].payload, '\0', sizeof b.bill[i].payload));
			REQUIRE(strstr(text, b.bill[i].payload));
		}
	} else {
		REQUIRE(strncmp(err, "line ", 5) == 0);
	}
	free(text);
	return 0;
}
