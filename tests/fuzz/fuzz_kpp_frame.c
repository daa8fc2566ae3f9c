/* Fuzzes the KPP/1 frame decoder and, for every good DATA frame, the message decoder.  The
 * first input byte picks the chunk size so splits are exercised too; time advances by the
 * second byte per chunk so T_BYTE fires sometimes.  Checks invariants, not just crashes:
 * a decoded frame re-encodes to a frame that decodes to itself, and a decoded message
 * re-encodes to one that decodes to the same struct. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/kpp_frame.h"
#include "drivers/kpp_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct kpp_decoder dec, dec2;
static struct kpp_frame f, f2;
static struct kpp_msg m, m2;
static uint8_t enc[KPP_FRAME_MAX];

static void check_frame(void)
{
	size_t n = kpp_frame_encode(f.kind, f.seq, f.payload, f.len, enc, sizeof enc);
	if (n != (size_t)f.len + KPP_FRAME_OVERHEAD)
		abort();
	kpp_decoder_init(&dec2);
	int ev;
	size_t used = kpp_decoder_feed(&dec2, enc, n, 0, &f2, &ev);
	if (used != n || ev != KPP_DEC_FRAME || f2.len != f.len || f2.seq != f.seq ||
	    memcmp(f2.payload, f.payload, f.len) != 0)
		abort();
	if (f.kind != KPP_KIND_DATA)
		return;
	if (kpp_msg_decode(f.payload, f.len, &m) != KPP_MSG_OK)
		return;
	int k = kpp_msg_encode(&m, enc, sizeof enc);
	if (k < 1 || (size_t)k > f.len)
		abort(); /* known tags only, never longer than the input */
	if (kpp_msg_decode(enc, (size_t)k, &m2) != KPP_MSG_OK || memcmp(&m, &m2, sizeof m) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	size_t chunk = (size_t)data[0] + 1;
	int64_t step = data[1] * 4, now = 0;
	data += 2;
	size -= 2;
	kpp_decoder_init(&dec);
	for (size_t off = 0; off < size; off += chunk, now += step) {
		size_t c = size - off < chunk ? size - off : chunk, used = 0;
		for (;;) {
			int ev;
			used += kpp_decoder_feed(&dec, data + off + used, c - used, now, &f, &ev);
			if (ev == KPP_DEC_NONE)
				break;
			if (ev == KPP_DEC_FRAME)
				check_frame();
		}
		if (used != c || dec.have > KPP_FRAME_MAX)
			abort();
	}
	/* the message decoder on the raw input as well */
	kpp_msg_decode(data, size, &m);
	return 0;
}
