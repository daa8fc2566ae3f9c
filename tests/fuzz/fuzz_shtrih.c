/* Fuzzes the Shtrih-M frame decoder and every reply decoder.  The first input byte sets the
 * time step between bytes so the byte timeout fires sometimes.  Invariants, not just
 * crashes: a decoded frame re-encodes to the very bytes it came from, and a reply decoder
 * either fills its struct or leaves it untouched. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/shtrih_cmd.h"
#include "drivers/shtrih_frame.h"
#include "drivers/shtrih_state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct shtrih_decoder dec;

#define UNTOUCHED(call, var) do { \
	memset(&var, 0xA5, sizeof var); \
	__typeof__(var) copy_; \
	memcpy(&copy_, &var, sizeof var); \
	if ((call) != 0 && memcmp(&copy_, &var, sizeof var) != 0) \
		abort(); \
} while (0)

static void check_reply(const uint8_t *body, size_t n)
{
	struct shtrih_reply rp;
	if (shtrih_reply_parse(body, n, &rp) != 0)
		return;
	if (rp.len + 1 + shtrih_cmd_len(rp.cmd) != n)
		abort();
	struct shtrih_short_status ss;
	struct shtrih_long_status ls;
	struct shtrih_identity id;
	struct shtrih_fn_status fs;
	struct shtrih_shift_status sh;
	struct shtrih_fd_result fr;
	struct shtrih_fn_doc doc;
	struct shtrih_ofd_status ofd;
	UNTOUCHED(shtrih_parse_short_status(&rp, &ss), ss);
	UNTOUCHED(shtrih_parse_long_status(&rp, &ls), ls);
	UNTOUCHED(shtrih_parse_identity(&rp, &id), id);
	UNTOUCHED(shtrih_parse_fn_status(&rp, &fs), fs);
	UNTOUCHED(shtrih_parse_shift_status(&rp, &sh), sh);
	UNTOUCHED(shtrih_parse_shift_result(&rp, &fr), fr);
	UNTOUCHED(shtrih_parse_close_result(&rp, &fr), fr);
	UNTOUCHED(shtrih_parse_fn_doc(&rp, &doc), doc);
	UNTOUCHED(shtrih_parse_ofd_status(&rp, &ofd), ofd);
	char serial[17];
	uint8_t ymd[3];
	uint16_t unsent;
	shtrih_parse_fn_serial(&rp, serial);
	shtrih_parse_fn_expiry(&rp, ymd);
	shtrih_parse_unsent(&rp, &unsent);
	uint16_t tag, tlen;
	if (shtrih_parse_tlv_begin(&rp, &tag, &tlen) == 0 && rp.len < 4)
		abort();
	if (!shtrih_error_text(rp.err) || !shtrih_action_name(shtrih_error_action(rp.err)))
		abort();
	if (fs.phase == 3 && strlen(fs.serial) > 16)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	int64_t step = data[0] & 0x3F, now = 0;
	shtrih_decoder_init(&dec, 50);
	size_t start = 0;
	for (size_t i = 1; i < size; i++, now += step) {
		if (!shtrih_decoder_busy(&dec))
			start = i;
		int ev = shtrih_decoder_feed(&dec, data[i], now);
		if (dec.have > SHTRIH_BODY_MAX)
			abort();
		if (ev != SHTRIH_DEC_FRAME)
			continue;
		uint8_t out[SHTRIH_FRAME_MAX];
		struct shtrih_reply rp;
		if (shtrih_reply_parse(dec.body, dec.n, &rp) == 0) {
			size_t cl = shtrih_cmd_len(rp.cmd);
			size_t m = shtrih_frame_encode(rp.cmd, dec.body + cl, dec.n - cl, out, sizeof out);
			/* a frame decoded from a clean start is exactly the bytes it came from */
			if (m == 0 || (data[start] == SHTRIH_STX && i + 1 - start == m &&
				       memcmp(out, data + start, m) != 0))
				abort();
		}
		check_reply(dec.body, dec.n);
	}
	return 0;
}
