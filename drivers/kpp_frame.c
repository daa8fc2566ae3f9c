/* KPP/1 framing: see kpp_frame.h. */
#include "drivers/kpp_frame.h"
#include "drivers/crc16.h"

#include <string.h>

size_t kpp_frame_encode(uint8_t kind, uint8_t seq, const uint8_t *payload, size_t len,
			uint8_t *out, size_t cap)
{
	if (kind > KPP_KIND_NAK || len > KPP_MAX_PAYLOAD || (kind != KPP_KIND_DATA && len) ||
	    cap < len + KPP_FRAME_OVERHEAD)
		return 0;
	out[0] = KPP_STX;
	out[1] = KPP_VER;
	out[2] = kind;
	out[3] = seq;
	out[4] = (uint8_t)(len >> 8);
	out[5] = (uint8_t)len;
	if (len)
		memcpy(out + KPP_HDR_LEN, payload, len);
	uint16_t crc = crc16_ccitt(out + 1, KPP_HDR_LEN - 1 + len);
	out[KPP_HDR_LEN + len] = (uint8_t)(crc >> 8);
	out[KPP_HDR_LEN + len + 1] = (uint8_t)crc;
	return len + KPP_FRAME_OVERHEAD;
}

void kpp_decoder_init(struct kpp_decoder *d)
{
	memset(d, 0, sizeof *d);
	d->t_byte_ms = KPP_T_BYTE_MS;
}

void kpp_decoder_tick(struct kpp_decoder *d, int64_t now_ms)
{
	if (d->have && now_ms - d->last_byte_ms > d->t_byte_ms) {
		d->have = 0;
		d->n_timeouts++;
	}
}

/* Drops the first n buffered bytes. */
static void drop(struct kpp_decoder *d, size_t n)
{
	memmove(d->buf, d->buf + n, d->have - n);
	d->have -= n;
}

/* Looks at the buffer: skips to an STX, validates the header, and once the whole frame is
 * there checks the CRC.  Returns an event, or KPP_DEC_NONE with *need set to the number of
 * bytes the buffer must hold before anything more can be decided. */
static int scan(struct kpp_decoder *d, struct kpp_frame *ret_frame, size_t *need)
{
	for (;;) {
		size_t skip = 0;
		while (skip < d->have && d->buf[skip] != KPP_STX)
			skip++;
		if (skip) {
			d->n_garbage += (uint32_t)skip;
			drop(d, skip);
		}
		if (d->have < KPP_HDR_LEN) {
			*need = d->have ? KPP_HDR_LEN : 1;
			return KPP_DEC_NONE;
		}
		uint8_t kind = d->buf[2];
		size_t len = (size_t)d->buf[4] << 8 | d->buf[5];
		if (d->buf[1] != KPP_VER || kind > KPP_KIND_NAK || len > KPP_MAX_PAYLOAD ||
		    (kind != KPP_KIND_DATA && len != 0)) {
			d->n_garbage++;
			drop(d, 1);
			continue;
		}
		size_t total = len + KPP_FRAME_OVERHEAD;
		if (d->have < total) {
			*need = total;
			return KPP_DEC_NONE;
		}
		uint16_t want = (uint16_t)(d->buf[KPP_HDR_LEN + len] << 8 | d->buf[KPP_HDR_LEN + len + 1]);
		if (crc16_ccitt(d->buf + 1, KPP_HDR_LEN - 1 + len) == want) {
			ret_frame->kind = kind;
			ret_frame->seq = d->buf[3];
			ret_frame->len = (uint16_t)len;
			memcpy(ret_frame->payload, d->buf + KPP_HDR_LEN, len);
			drop(d, total);
			return KPP_DEC_FRAME;
		}
		d->n_bad_crc++;
		uint8_t seq = d->buf[3];
		drop(d, 1);
		if (kind == KPP_KIND_DATA) {
			ret_frame->kind = kind;
			ret_frame->seq = seq;
			ret_frame->len = 0;
			return KPP_DEC_BAD_DATA;
		}
	}
}

size_t kpp_decoder_feed(struct kpp_decoder *d, const uint8_t *in, size_t n, int64_t now_ms,
			struct kpp_frame *ret_frame, int *ret_event)
{
	size_t used = 0;
	kpp_decoder_tick(d, now_ms);
	for (;;) {
		size_t need = 0;
		int ev = scan(d, ret_frame, &need);
		if (ev != KPP_DEC_NONE) {
			*ret_event = ev;
			return used;
		}
		if (used == n) {
			*ret_event = KPP_DEC_NONE;
			return used;
		}
		/* Take no more than the frame in progress needs, so the next frame's bytes are
		 * left with the caller after an event. */
		size_t take = need - d->have;
		if (take > n - used)
			take = n - used;
		memcpy(d->buf + d->have, in + used, take);
		d->have += take;
		used += take;
		d->last_byte_ms = now_ms;
	}
}
