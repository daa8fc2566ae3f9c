#include "drivers/shtrih_frame.h"

#include <string.h>

uint8_t shtrih_lrc(const uint8_t *body, size_t n)
{
	uint8_t x = (uint8_t)n;
	for (size_t i = 0; i < n; i++)
		x ^= body[i];
	return x;
}

size_t shtrih_cmd_len(uint16_t cmd)
{
	return cmd > 0xFF ? 2 : 1;
}

size_t shtrih_frame_encode(uint16_t cmd, const uint8_t *data, size_t len, uint8_t *out,
			   size_t cap)
{
	if (cmd > 0xFF && cmd < 0xFF00)
		return 0;
	size_t cl = shtrih_cmd_len(cmd), n = cl + len;
	if (n > SHTRIH_BODY_MAX || cap < n + 3 || (len && !data))
		return 0;
	out[0] = SHTRIH_STX;
	out[1] = (uint8_t)n;
	if (cl == 2) {
		out[2] = 0xFF;
		out[3] = (uint8_t)(cmd & 0xFF);
	} else {
		out[2] = (uint8_t)cmd;
	}
	if (len)
		memcpy(out + 2 + cl, data, len);
	out[2 + n] = shtrih_lrc(out + 2, n);
	return n + 3;
}

int shtrih_reply_parse(const uint8_t *body, size_t n, struct shtrih_reply *ret)
{
	size_t cl = n && body[0] == 0xFF ? 2 : 1;
	if (n < cl + 1)
		return -1;
	ret->cmd = cl == 2 ? (uint16_t)(0xFF00 | body[1]) : body[0];
	ret->err = body[cl];
	ret->data = body + cl + 1;
	ret->len = n - cl - 1;
	return 0;
}

void shtrih_decoder_init(struct shtrih_decoder *d, int byte_timeout_ms)
{
	memset(d, 0, sizeof *d);
	d->byte_timeout_ms = byte_timeout_ms;
}

void shtrih_decoder_reset(struct shtrih_decoder *d)
{
	d->state = 0;
	d->n = d->have = 0;
}

bool shtrih_decoder_busy(const struct shtrih_decoder *d)
{
	return d->state != 0;
}

int shtrih_decoder_feed(struct shtrih_decoder *d, uint8_t b, int64_t now_ms)
{
	if (d->state != 0 && now_ms - d->last_ms > d->byte_timeout_ms) {
		d->n_timeouts++;
		shtrih_decoder_reset(d);
	}
	d->last_ms = now_ms;
	switch (d->state) {
	case 0:
		if (b == SHTRIH_STX) {
			d->state = 1;
			return SHTRIH_DEC_MORE;
		}
		d->n_noise++;
		return SHTRIH_DEC_NOISE;
	case 1:
		if (b == 0) {
			d->n_noise++;
			shtrih_decoder_reset(d);
			return SHTRIH_DEC_NOISE;
		}
		d->n = b;
		d->have = 0;
		d->state = 2;
		return SHTRIH_DEC_MORE;
	case 2:
		d->body[d->have++] = b;
		if (d->have == d->n)
			d->state = 3;
		return SHTRIH_DEC_MORE;
	default:
		d->state = 0;
		if (shtrih_lrc(d->body, d->n) != b) {
			d->n_bad_lrc++;
			return SHTRIH_DEC_BAD_LRC;
		}
		return SHTRIH_DEC_FRAME;
	}
}
