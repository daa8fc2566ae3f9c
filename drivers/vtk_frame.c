/* VTK framing: see vtk_frame.h. */
#include "drivers/vtk_frame.h"
#include "drivers/crc16.h"

#include <string.h>

#define SER_HDR 5   /* 1F LEN LEN DISC DISC */
#define TCP_HDR 4   /* LEN LEN DISC DISC */

size_t vtk_frame_encode(enum vtk_link link, uint16_t disc, const uint8_t *payload, size_t len,
			uint8_t *out, size_t cap)
{
	size_t hdr = link == VTK_LINK_SERIAL ? SER_HDR : TCP_HDR;
	size_t total = hdr + len + (link == VTK_LINK_SERIAL ? 2 : 0);
	if (len > VTK_MAX_PAYLOAD || cap < total)
		return 0;
	uint8_t *p = out;
	if (link == VTK_LINK_SERIAL)
		*p++ = VTK_STX;
	*p++ = (uint8_t)((len + 2) >> 8);
	*p++ = (uint8_t)(len + 2);
	*p++ = (uint8_t)(disc >> 8);
	*p++ = (uint8_t)disc;
	if (len)
		memcpy(p, payload, len);
	if (link == VTK_LINK_SERIAL) {
		uint16_t crc = crc16_ccitt(out, hdr + len);
		out[hdr + len] = (uint8_t)(crc >> 8);
		out[hdr + len + 1] = (uint8_t)crc;
	}
	return total;
}

void vtk_decoder_init(struct vtk_decoder *d, enum vtk_link link)
{
	memset(d, 0, sizeof *d);
	d->link = link;
	d->t_frame_ms = VTK_T_FRAME_MS;
}

/* Drops the first n buffered bytes. */
static void drop(struct vtk_decoder *d, size_t n)
{
	memmove(d->buf, d->buf + n, d->have - n);
	d->have -= n;
}

/* The previous call's frame is still at the head of the buffer: its payload pointer had to
 * stay valid until now. */
static void release(struct vtk_decoder *d)
{
	if (d->done) {
		drop(d, d->done);
		d->done = 0;
	}
}

void vtk_decoder_tick(struct vtk_decoder *d, int64_t now_ms)
{
	release(d);
	if (d->link == VTK_LINK_SERIAL && d->have && now_ms - d->start_ms > d->t_frame_ms) {
		d->have = 0;
		d->n_timeouts++;
	}
}

static bool ours(uint16_t disc)
{
	return disc == VTK_DISC_VMC || disc == VTK_DISC_POS;
}

/* Reports the complete frame of total bytes at the head of the buffer (header hdr). */
static int deliver(struct vtk_decoder *d, size_t hdr, size_t total, struct vtk_frame *f)
{
	f->disc = (uint16_t)(d->buf[hdr - 2] << 8 | d->buf[hdr - 1]);
	f->len = (uint16_t)((d->buf[hdr - 4] << 8 | d->buf[hdr - 3]) - 2);
	f->payload = d->buf + hdr;
	d->done = total;
	return VTK_DEC_FRAME;
}

/* Serial: skip to 0x1F, check LEN, then the CRC once the frame is complete.  Returns an event,
 * or VTK_DEC_NONE with *need = the bytes the buffer must hold before anything more can be
 * decided. */
static int scan_serial(struct vtk_decoder *d, int64_t now_ms, struct vtk_frame *f, size_t *need)
{
	for (;;) {
		size_t skip = 0;
		while (skip < d->have && d->buf[skip] != VTK_STX)
			skip++;
		if (skip) {
			d->n_garbage += (uint32_t)skip;
			drop(d, skip);
			d->start_ms = now_ms;
		}
		if (d->have < 3) {
			*need = d->have ? 3 : 1;
			return VTK_DEC_NONE;
		}
		size_t len = (size_t)d->buf[1] << 8 | d->buf[2];
		if (len < 2) {
			d->n_garbage++;
			drop(d, 1);
			d->start_ms = now_ms;
			continue;
		}
		size_t total = 3 + len + 2;
		if (d->have < total) {
			*need = total;
			return VTK_DEC_NONE;
		}
		uint16_t want = (uint16_t)(d->buf[3 + len] << 8 | d->buf[3 + len + 1]);
		if (crc16_ccitt(d->buf, 3 + len) != want) {
			d->n_bad_crc++;
			drop(d, 1);
			d->start_ms = now_ms;
			continue;
		}
		if (!ours((uint16_t)(d->buf[3] << 8 | d->buf[4]))) {
			d->n_foreign++;
			drop(d, total);
			continue;
		}
		return deliver(d, SER_HDR, total, f);
	}
}

/* A discriminator VTK defines (ours, or the NFC sub-protocol's, which is dropped). */
static bool known(const uint8_t *p)
{
	return (p[0] == 0x96 || p[0] == 0x97) && (p[1] == 0xFB || p[1] == 0xFC);
}

static int scan_tcp(struct vtk_decoder *d, struct vtk_frame *f, size_t *need)
{
	for (;;) {
		if (d->have < TCP_HDR) {
			*need = TCP_HDR;
			return VTK_DEC_NONE;
		}
		size_t len = (size_t)d->buf[0] << 8 | d->buf[1];
		/* TCP has no marker to resync on: garbage shows as an impossible LEN or an unknown
		 * discriminator, and waiting for LEN bytes of it would only stall the link */
		if (len < 2 || !known(d->buf + 2)) {
			d->broken = true;
			d->have = 0;
			return VTK_DEC_BROKEN;
		}
		size_t total = 2 + len;
		if (d->have < total) {
			*need = total;
			return VTK_DEC_NONE;
		}
		if (!ours((uint16_t)(d->buf[2] << 8 | d->buf[3]))) {
			d->n_foreign++;
			drop(d, total);
			continue;
		}
		return deliver(d, TCP_HDR, total, f);
	}
}

size_t vtk_decoder_feed(struct vtk_decoder *d, const uint8_t *in, size_t n, int64_t now_ms,
			struct vtk_frame *ret_frame, int *ret_event)
{
	size_t used = 0;
	vtk_decoder_tick(d, now_ms);
	if (d->broken) {
		*ret_event = VTK_DEC_NONE;
		return n;
	}
	for (;;) {
		size_t need = 0;
		int ev = d->link == VTK_LINK_SERIAL ? scan_serial(d, now_ms, ret_frame, &need)
						    : scan_tcp(d, ret_frame, &need);
		if (ev == VTK_DEC_BROKEN) {
			*ret_event = ev;
			return n;
		}
		if (ev != VTK_DEC_NONE) {
			*ret_event = ev;
			return used;
		}
		if (used == n) {
			*ret_event = VTK_DEC_NONE;
			return used;
		}
		/* Take no more than the frame in progress needs, so the next frame's bytes are left
		 * with the caller after an event. */
		size_t take = need - d->have;
		if (take > n - used)
			take = n - used;
		if (d->have == 0)
			d->start_ms = now_ms;
		memcpy(d->buf + d->have, in + used, take);
		d->have += take;
		used += take;
	}
}
