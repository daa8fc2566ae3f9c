/* The VTK worked examples (docs/pinpad.md, "VTK worked examples"), shared by the VTK unit
 * tests: each as its TCP frame and the CRC its serial frame ends with.  All use operation 42;
 * the terminal's IDL reply says the last operation was 41. */
#ifndef TESTS_UNIT_VTK_EXAMPLES_H
#define TESTS_UNIT_VTK_EXAMPLES_H
#include <stdint.h>
#include <stdio.h>

/* The 143-byte receipt of E4 ('\n' between lines). */
#define VTK_E4_RECEIPT \
	"ACTION:SALE\nTOTAL:4523.16 RUB\nRESULT:APPROVED\nCARD:MIR\nPAN:************1234\n" \
	"AUTH ID:A1B2C3\nRRN:123456789012\nTERMINAL:00000001\nRESPONSE CODE:000"

struct vtk_example {
	const char *id;
	const char *tcp_hex;   /* E4: the header and fixed tags; the receipt follows */
	uint16_t crc;          /* of the serial frame */
};

static const struct vtk_example VTK_EXAMPLES[] = {
	{ "E1", "00 07 96 FB 01 03 49 44 4C", 0x714E },
	{ "E2", "00 17 97 FB 01 03 49 44 4C 03 02 34 31 05 02 31 30 06 03 31 32 30 08 01 30", 0xA037 },
	{ "E3", "00 1E 96 FB 01 03 56 52 50 03 02 34 32 04 06 34 35 32 33 31 36 09 01 37 0F 06 D0 96"
		" D0 9A D0 A3", 0xFA50 },
	{ "E4", "00 A5 97 FB 01 03 56 52 50 03 02 34 32 04 06 34 35 32 33 31 36 13 81 8F", 0x0B51 },
	{ "E5", "00 0E 97 FB 01 03 56 52 50 03 02 34 32 04 01 30", 0x0D30 },
	{ "E6", "00 13 96 FB 01 03 46 49 4E 03 02 34 32 04 06 34 35 32 33 31 36", 0x9730 },
	{ "E7", "00 13 97 FB 01 03 46 49 4E 03 02 34 32 04 06 34 35 32 33 31 36", 0x492F },
	{ "E8", "00 0E 96 FB 01 03 46 49 4E 03 02 34 32 04 01 30", 0x1627 },
	{ "E9", "00 0B 96 FB 01 03 41 42 52 03 02 34 32", 0xDB53 },
};
#define VTK_NEXAMPLES (sizeof VTK_EXAMPLES / sizeof VTK_EXAMPLES[0])

/* The vendor's good serial vector: a kiosk IDL reporting a CSAPP event. */
#define VTK_VENDOR_GOOD "1F 00 26 96 FB 01 03 49 44 4C 08 01 31 07 05 43 53 41 50 50 09 03 31" \
	" 32 33 0F 08 D0 9A D0 9E D0 A4 D0 95 04 04 39 30 30 30 C1 CB"
/* The vendor's bad serial vector: its CRC matches, but tag 04 has no length byte. */
#define VTK_VENDOR_BAD "1F 00 0F 96 FB 01 03 56 52 50 03 01 35 04 39 39 30 30 F4 04"

static inline size_t vtk_unhex(const char *s, uint8_t *out)
{
	size_t n = 0;
	unsigned v;
	int k;
	while (sscanf(s, " %2x%n", &v, &k) == 1) {
		out[n++] = (uint8_t)v;
		s += k;
	}
	return n;
}

/* The whole TCP frame of example i into out; returns its length. */
static inline size_t vtk_example_tcp(size_t i, uint8_t *out)
{
	size_t n = vtk_unhex(VTK_EXAMPLES[i].tcp_hex, out);
	if (VTK_EXAMPLES[i].id[1] == '4') {
		const char *r = VTK_E4_RECEIPT;
		for (size_t k = 0; r[k]; k++)
			out[n++] = (uint8_t)r[k];
	}
	return n;
}
#endif
