/* The simulator's wire output (see sim_core.h): the frames the link emits, shaped by the
 * link-fault knobs, queued in write units and handed out as split/coalesce say. */
#include "tests/sim/pinpad/sim_core.h"

#include <string.h>

static void out_append(struct sim_core *s, const uint8_t *p, size_t n, bool new_unit)
{
	if (SIM_OUT_MAX - s->out_len < n || s->nbounds == 64) {
		s->n_dropped++; /* the host is not reading; its timers recover */
		return;
	}
	memcpy(s->out + s->out_len, p, n);
	s->out_len += n;
	if (new_unit || s->nbounds == 0)
		s->bounds[s->nbounds++] = s->out_len;
	else
		s->bounds[s->nbounds - 1] = s->out_len;
}

/* Every frame the link emits passes here: the link-fault knobs act on frames. */
void sim_core_emit(void *ctx, uint8_t kind, uint8_t seq, const uint8_t *frame, size_t len)
{
	struct sim_core *s = ctx;
	(void)seq;
	if (s->now < s->dead_until)
		return;
	uint8_t f[KPP_FRAME_MAX];
	memcpy(f, frame, len);
	if (kind == KPP_KIND_ACK) {
		s->n_ack_out++;
		if (s->k.drop_ack > 0 && --s->k.drop_ack == 0) {
			s->n_dropped++;
			return;
		}
	} else if (kind == KPP_KIND_DATA) {
		s->n_data_out++;
		if (s->k.drop_data > 0 && --s->k.drop_data == 0) {
			s->n_dropped++;
			return;
		}
		if (s->k.corrupt > 0 && --s->k.corrupt == 0)
			f[len - 1] ^= 0x5A;
	}
	if (s->k.garbage > 0) {
		/* includes STX bytes with impossible headers, so the host must resync */
		static const uint8_t g[] = { 0xFF, 0x02, 0x09, 0x13, 0x37, 0x02, 0x01, 0x07 };
		uint8_t buf[256];
		int n = s->k.garbage > 256 ? 256 : s->k.garbage;
		for (int i = 0; i < n; i++)
			buf[i] = g[i % sizeof g];
		out_append(s, buf, (size_t)n, true);
		s->k.garbage = 0;
		out_append(s, f, len, false);
		return;
	}
	out_append(s, f, len, true);
}

size_t sim_core_take_output(struct sim_core *s, uint8_t *buf, size_t cap)
{
	if (!s->out_len)
		return 0;
	size_t n = s->k.coalesce ? s->out_len : s->bounds[0];
	if (s->k.split > 0 && n > (size_t)s->k.split)
		n = (size_t)s->k.split;
	if (n > cap)
		n = cap;
	memcpy(buf, s->out, n);
	memmove(s->out, s->out + n, s->out_len - n);
	s->out_len -= n;
	int j = 0;
	for (int i = 0; i < s->nbounds; i++)
		if (s->bounds[i] > n)
			s->bounds[j++] = s->bounds[i] - n;
	s->nbounds = j;
	return n;
}
