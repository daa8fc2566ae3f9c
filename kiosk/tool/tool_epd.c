/* kiosk-tool epd decode [--hex]: the decoder on the command line (docs/epd.md, Command line). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/bill/epd.h"
#include "kiosk/base/hex.h"
#include "kiosk/tool/tool.h"

int tool_epd(struct tool_ctx *ctx, int argc, char **argv);

/* Anything longer is rejected as too_long whatever follows: no QR holds it. */
#define INPUT_CAP (64 * 1024)

/* Reads stdin into buf (cap bytes); hex: digit pairs, whitespace ignored.  Returns the
 * length, cap + 1 when the input is longer, or -1 on bad hex. */
static long read_input(uint8_t *buf, size_t cap, int hex)
{
	size_t n = 0;
	int c, hi = -1;
	while ((c = getchar()) != EOF) {
		if (!hex) {
			if (n == cap)
				return (long)cap + 1;
			buf[n++] = (uint8_t)c;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			continue;
		int v = hex_digit(c);
		if (v < 0)
			return -1;
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n == cap)
			return (long)cap + 1;
		buf[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	return hi >= 0 ? -1 : (long)n;
}

static void usage(void)
{
	fprintf(stderr, "usage: kiosk-tool epd decode [--hex]\n");
}

int tool_epd(struct tool_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	int hex = 0;
	if (argc < 2 || strcmp(argv[1], "decode") != 0) {
		usage();
		return 2;
	}
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--hex") == 0) {
			hex = 1;
		} else {
			usage();
			return 2;
		}
	}
	static uint8_t buf[INPUT_CAP];
	long n = read_input(buf, sizeof buf, hex);
	if (n < 0) {
		fprintf(stderr, "kiosk-tool epd: input is not an even number of hex digits\n");
		return 2;
	}
	struct epd_bill *bill = malloc(sizeof *bill);
	if (!bill)
		return 1;
	epd_log_payload(buf, (size_t)n);
	/* An over-long input still gets the header rules first: decode what fits, and report
	 * too_long unless an earlier rule already rejected it. */
	int rc = epd_decode(buf, (size_t)n > sizeof buf ? sizeof buf : (size_t)n, bill);
	char *out = rc == 0 ? epd_to_json(bill) : epd_error_json(rc, "ru");
	printf("%s\n", out);
	free(out);
	free(bill);
	return rc == 0 ? 0 : 1;
}
