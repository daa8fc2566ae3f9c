/* Fuzzes the VTK frame decoder (both link forms), the message decoder for every frame, and
 * the receipt sanitizer and parser for every receipt.  The first input byte picks the link
 * and the chunk size, the second the time step per chunk (so T_FRAME fires sometimes).
 * Invariants, not just crashes: a decoded frame re-encodes to a frame that decodes to
 * itself; a decoded message re-encodes to one that decodes to the same struct; a sanitized
 * receipt holds no run of 13 or more digits. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/vtk_frame.h"
#include "drivers/vtk_msg.h"
#include "drivers/vtk_receipt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct vtk_decoder dec, dec2;
static struct vtk_msg m, m2;
static uint8_t enc[VTK_FRAME_MAX], tlv[VTK_MSG_MAX];
static char slip[VTK_RECEIPT_MAX + 1];

static void check_receipt(void)
{
	vtk_receipt_sanitize(m.receipt, m.receipt_len, slip, sizeof slip);
	int run = 0;
	for (const char *p = slip; *p; p++) {
		if (isdigit((unsigned char)*p))
			run++;
		else if (!((*p == ' ' || *p == '-') && run && isdigit((unsigned char)p[1])))
			run = 0;
		if (run >= 13)
			abort();
	}
	struct journal_card c;
	memset(&c, 0, sizeof c);
	vtk_receipt_parse(slip, &c);
	if (c.rrn[sizeof c.rrn - 1] || c.masked_pan[sizeof c.masked_pan - 1])
		abort();
}

static void check_msg(const struct vtk_frame *f)
{
	if (vtk_msg_decode(f->payload, f->len, &m) != VTK_MSG_OK)
		return;
	int k = vtk_msg_encode(&m, tlv, sizeof tlv);
	if (k < 5 || (size_t)k > f->len)
		abort(); /* known tags only, first of each, minimal lengths: never longer */
	if (vtk_msg_decode(tlv, (size_t)k, &m2) != VTK_MSG_OK)
		abort();
	/* what was cut on the way in is whole on the way back */
	m2.receipt_cut = m.receipt_cut;
	m2.sysinfo_cut = m.sysinfo_cut;
	if (memcmp(&m, &m2, sizeof m) != 0)
		abort();
	if (VTK_HAS(&m, VTK_T_RECEIPT))
		check_receipt();
}

static void check_frame(const struct vtk_frame *f)
{
	static uint8_t payload[VTK_MAX_PAYLOAD];
	uint16_t disc = f->disc, len = f->len;
	memcpy(payload, f->payload, len);
	size_t n = vtk_frame_encode(dec.link, disc, payload, len, enc, sizeof enc);
	if (n == 0)
		abort();
	vtk_decoder_init(&dec2, dec.link);
	struct vtk_frame f2;
	int ev;
	size_t used = vtk_decoder_feed(&dec2, enc, n, 0, &f2, &ev);
	if (used != n || ev != VTK_DEC_FRAME || f2.len != len || f2.disc != disc ||
	    memcmp(f2.payload, payload, len) != 0)
		abort();
	check_msg(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	enum vtk_link link = data[0] & 1 ? VTK_LINK_SERIAL : VTK_LINK_TCP;
	size_t chunk = (size_t)(data[0] >> 1) + 1;
	int64_t step = data[1] * 64, now = 0;
	data += 2;
	size -= 2;
	vtk_decoder_init(&dec, link);
	for (size_t off = 0; off < size; off += chunk, now += step) {
		size_t c = size - off < chunk ? size - off : chunk, used = 0;
		for (;;) {
			struct vtk_frame f;
			int ev;
			used += vtk_decoder_feed(&dec, data + off + used, c - used, now, &f, &ev);
			if (ev == VTK_DEC_FRAME)
				check_frame(&f);
			else
				break;
		}
		if (used != c || dec.have > VTK_FRAME_MAX)
			abort();
	}
	/* the message decoder on the raw input as well */
	if (vtk_msg_decode(data, size, &m) == VTK_MSG_OK && VTK_HAS(&m, VTK_T_RECEIPT))
		check_receipt();
	return 0;
}
