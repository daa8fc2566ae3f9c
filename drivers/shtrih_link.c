#include "drivers/shtrih_link.h"

#include <string.h>

#include "kiosk/base/clock.h"

enum { RX_TIMEOUT = 0, RX_GOOD = 1, RX_BAD = 2 };

void shtrih_link_init(struct shtrih_link *l, struct transport *t, int byte_timeout_ms, bool tcp)
{
	memset(l, 0, sizeof *l);
	l->t = t;
	l->byte_timeout_ms = byte_timeout_ms > 0 ? byte_timeout_ms : SHTRIH_BYTE_TIMEOUT_MS;
	l->tries = SHTRIH_TRIES;
	l->tcp = tcp;
	shtrih_decoder_init(&l->dec, l->byte_timeout_ms);
}

void shtrih_link_reset(struct shtrih_link *l)
{
	l->rx_len = l->rx_off = 0;
	l->have_held = false;
	l->held_len = 0;
	shtrih_decoder_reset(&l->dec);
}

/* One byte before deadline (monotonic ms): 1, 0 on timeout, or SHTRIH_LINK_EIO. */
static int get_byte(struct shtrih_link *l, int64_t deadline, uint8_t *b)
{
	if (l->rx_off == l->rx_len) {
		int64_t left = deadline - clock_mono_ms();
		if (left <= 0)
			return 0;
		int n = transport_read(l->t, l->rx, sizeof l->rx, (int)(left > 600000 ? 600000 : left));
		if (n < 0)
			return SHTRIH_LINK_EIO;
		if (n == 0)
			return 0;
		l->rx_len = (size_t)n;
		l->rx_off = 0;
	}
	*b = l->rx[l->rx_off++];
	return 1;
}

static int put_byte(struct shtrih_link *l, uint8_t b)
{
	return transport_write(l->t, &b, 1, 1000) < 0 ? SHTRIH_LINK_EIO : 0;
}

/* Waits for ACK or NAK; anything else (FF after a previous ACK on TCP, line noise) is
 * skipped.  Returns the control byte, 0 on silence, or SHTRIH_LINK_EIO. */
static int wait_control(struct shtrih_link *l, int timeout_ms)
{
	int64_t deadline = clock_mono_ms() + timeout_ms;
	for (;;) {
		uint8_t b;
		int r = get_byte(l, deadline, &b);
		if (r <= 0)
			return r;
		if (b == SHTRIH_ACK || b == SHTRIH_NAK)
			return b;
		if (b == 0xFF)
			l->n_ff++;
		else
			l->n_noise++;
	}
}

/* After our ACK of a reply over TCP the device sends one FF: take it now so that it is not
 * mistaken later; anything else stays buffered. */
static int drain_ff(struct shtrih_link *l)
{
	uint8_t b;
	int r = get_byte(l, clock_mono_ms() + l->byte_timeout_ms, &b);
	if (r <= 0)
		return r;
	if (b == 0xFF)
		l->n_ff++;
	else
		l->rx_off--;
	return 0;
}

/* Reads one reply frame: STX within timeout_ms, then each byte within the byte timeout.
 * A good frame is ACKed, a bad or cut one NAKed.  Returns RX_GOOD (body in the decoder),
 * RX_BAD, RX_TIMEOUT or SHTRIH_LINK_EIO. */
static int read_reply(struct shtrih_link *l, int timeout_ms)
{
	int64_t deadline = clock_mono_ms() + timeout_ms;
	shtrih_decoder_reset(&l->dec);
	for (;;) {
		uint8_t b;
		int r = get_byte(l, deadline, &b);
		if (r < 0)
			return r;
		if (r == 0) {
			if (!shtrih_decoder_busy(&l->dec))
				return RX_TIMEOUT;
			shtrih_decoder_reset(&l->dec);
			l->n_nak_tx++;
			return put_byte(l, SHTRIH_NAK) ? SHTRIH_LINK_EIO : RX_BAD;
		}
		int ev = shtrih_decoder_feed(&l->dec, b, clock_mono_ms());
		if (ev == SHTRIH_DEC_NOISE) {
			l->n_noise += b != 0xFF;
			l->n_ff += b == 0xFF;
		} else if (ev == SHTRIH_DEC_BAD_LRC) {
			l->n_nak_tx++;
			return put_byte(l, SHTRIH_NAK) ? SHTRIH_LINK_EIO : RX_BAD;
		} else if (ev == SHTRIH_DEC_FRAME) {
			if (put_byte(l, SHTRIH_ACK))
				return SHTRIH_LINK_EIO;
			if (l->tcp && drain_ff(l) < 0)
				return SHTRIH_LINK_EIO;
			return RX_GOOD;
		}
		if (shtrih_decoder_busy(&l->dec))
			deadline = clock_mono_ms() + l->byte_timeout_ms;
	}
}

static uint16_t body_cmd(const uint8_t *body, size_t n)
{
	struct shtrih_reply rp;
	return shtrih_reply_parse(body, n, &rp) == 0 ? rp.cmd : 0;
}

static int send_enq(struct shtrih_link *l)
{
	l->n_enq++;
	if (put_byte(l, SHTRIH_ENQ))
		return SHTRIH_LINK_EIO;
	/* the device waits at least one byte timeout before it answers */
	return wait_control(l, 3 * l->byte_timeout_ms);
}

int shtrih_link_probe(struct shtrih_link *l)
{
	for (int silent = 0; silent < l->tries; silent++) {
		int c = send_enq(l);
		if (c < 0)
			return c;
		if (c == SHTRIH_NAK)
			return 0;
		if (c != SHTRIH_ACK)
			continue;
		int r = read_reply(l, l->exec_timeout_ms > 0 ? l->exec_timeout_ms : shtrih_cmd_timeout_ms(0));
		if (r < 0)
			return r;
		if (r == RX_GOOD) {
			memcpy(l->held, l->dec.body, l->dec.n);
			l->held_len = l->dec.n;
			l->have_held = true;
			l->n_held++;
			return 1;
		}
	}
	return SHTRIH_LINK_EDOWN;
}

struct exec_state {
	const struct shtrih_req *req;
	const uint8_t *frame;
	size_t flen;
	bool sent;      /* the frame went out at least once since the device was last idle */
	bool taken;     /* the device ACKed it */
	int silent, tx, rx, stale;
};

/* The device answered ACK to ENQ: read what it holds.  Returns 1 when it is req's reply
 * (copied out), 0 to go on, or a negative code. */
static int take_held(struct shtrih_link *l, struct exec_state *s, int timeout_ms,
		     uint8_t *reply, size_t *ret_len)
{
	int r = read_reply(l, timeout_ms);
	if (r < 0)
		return r;
	if (r != RX_GOOD)
		return ++s->rx >= l->tries ? SHTRIH_LINK_EUNKNOWN : 0;
	if (s->sent && body_cmd(l->dec.body, l->dec.n) == s->req->cmd) {
		memcpy(reply, l->dec.body, l->dec.n);
		*ret_len = l->dec.n;
		return 1;
	}
	memcpy(l->held, l->dec.body, l->dec.n);
	l->held_len = l->dec.n;
	l->have_held = true;
	l->n_held++;
	return ++s->stale >= l->tries ? SHTRIH_LINK_EDOWN : 0;
}

/* The device is idle: send the frame (again, when it never took it).  Returns 1 when the
 * reply came, 0 to go on with ENQ, or a negative code. */
static int send_frame(struct shtrih_link *l, struct exec_state *s, int timeout_ms,
		      uint8_t *reply, size_t *ret_len)
{
	if (s->taken)
		return SHTRIH_LINK_EUNKNOWN; /* it took the frame, and no reply is held */
	if (s->tx++ >= l->tries)
		return SHTRIH_LINK_ENOTSENT;
	l->n_frame_tx++;
	if (transport_write(l->t, s->frame, s->flen, 1000) < 0)
		return SHTRIH_LINK_EIO;
	s->sent = true;
	int c = wait_control(l, 3 * l->byte_timeout_ms);
	if (c < 0)
		return c;
	if (c == SHTRIH_NAK)
		l->n_nak_rx++;
	if (c != SHTRIH_ACK)
		return 0;
	s->taken = true;
	int r = read_reply(l, timeout_ms);
	if (r < 0)
		return r;
	if (r == RX_GOOD && body_cmd(l->dec.body, l->dec.n) == s->req->cmd) {
		memcpy(reply, l->dec.body, l->dec.n);
		*ret_len = l->dec.n;
		return 1;
	}
	if (r != RX_TIMEOUT)
		s->rx++;
	return s->rx >= l->tries ? SHTRIH_LINK_EUNKNOWN : 0;
}

int shtrih_link_exec(struct shtrih_link *l, const struct shtrih_req *req, uint8_t *reply,
		     size_t cap, size_t *ret_len)
{
	uint8_t frame[SHTRIH_FRAME_MAX];
	struct exec_state s = { .req = req, .frame = frame };
	if (cap < SHTRIH_BODY_MAX)
		return SHTRIH_LINK_EARG;
	s.flen = shtrih_frame_encode(req->cmd, req->data, req->len, frame, sizeof frame);
	if (s.flen == 0)
		return SHTRIH_LINK_EARG;
	int timeout_ms = l->exec_timeout_ms > 0 ? l->exec_timeout_ms : shtrih_cmd_timeout_ms(req->cmd);
	for (;;) {
		int c = send_enq(l), r;
		if (c < 0)
			return c;
		if (c == 0) {
			if (++s.silent >= l->tries)
				return s.sent ? SHTRIH_LINK_EUNKNOWN : SHTRIH_LINK_EDOWN;
			continue;
		}
		if (c == SHTRIH_ACK)
			r = take_held(l, &s, timeout_ms, reply, ret_len);
		else
			r = send_frame(l, &s, timeout_ms, reply, ret_len);
		if (r != 0)
			return r < 0 ? r : SHTRIH_LINK_OK;
	}
}
