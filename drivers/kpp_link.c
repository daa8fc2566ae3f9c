/* KPP/1 stop-and-wait link: see kpp_link.h. */
#include "drivers/kpp_link.h"

#include <string.h>

#include "drivers/kpp_msg.h"

void kpp_link_init(struct kpp_link *l)
{
	memset(l, 0, sizeof *l);
	l->t_ack_ms = KPP_T_ACK_MS;
	l->max_retx = KPP_MAX_RETX;
	kpp_decoder_init(&l->dec);
}

void kpp_link_reset(struct kpp_link *l)
{
	int t_byte = l->dec.t_byte_ms;
	l->tx_seq = 0;
	l->tx_pending = false;
	l->tx_len = 0;
	l->tx_retx = 0;
	l->down = false;
	l->rx_have_last = false;
	l->out_len = 0;
	kpp_decoder_init(&l->dec);
	l->dec.t_byte_ms = t_byte;
}

static void emit(struct kpp_link *l, uint8_t kind, uint8_t seq, const uint8_t *frame, size_t n)
{
	if (l->emit) {
		l->emit(l->emit_ctx, kind, seq, frame, n);
		return;
	}
	if (sizeof l->out - l->out_len < n) {
		/* The writer is not keeping up; the peer's timers recover a lost frame. */
		l->n_out_dropped++;
		return;
	}
	memcpy(l->out + l->out_len, frame, n);
	l->out_len += n;
}

static void emit_ctl(struct kpp_link *l, uint8_t kind, uint8_t seq)
{
	uint8_t f[KPP_FRAME_OVERHEAD];
	size_t n = kpp_frame_encode(kind, seq, NULL, 0, f, sizeof f);
	emit(l, kind, seq, f, n);
}

int kpp_link_send(struct kpp_link *l, const uint8_t *payload, size_t len, int64_t now_ms)
{
	if (l->tx_pending || l->down)
		return -1;
	size_t n = kpp_frame_encode(KPP_KIND_DATA, l->tx_seq, payload, len, l->tx_frame,
				    sizeof l->tx_frame);
	if (!n)
		return -2;
	l->tx_len = n;
	l->tx_pending = true;
	l->tx_retx = 0;
	l->tx_deadline = now_ms + l->t_ack_ms;
	emit(l, KPP_KIND_DATA, l->tx_seq, l->tx_frame, n);
	return 0;
}

bool kpp_link_busy(const struct kpp_link *l) { return l->tx_pending; }
bool kpp_link_is_down(const struct kpp_link *l) { return l->down; }

static void retransmit(struct kpp_link *l, int64_t now_ms)
{
	if (l->tx_retx >= l->max_retx) {
		l->tx_pending = false;
		l->down = true;
		return;
	}
	l->tx_retx++;
	l->n_retx++;
	l->tx_deadline = now_ms + l->t_ack_ms;
	emit(l, KPP_KIND_DATA, l->tx_frame[3], l->tx_frame, l->tx_len);
}

static void on_frame(struct kpp_link *l, const struct kpp_frame *f, int64_t now_ms,
		     kpp_deliver_fn deliver, void *ctx)
{
	if (f->kind == KPP_KIND_ACK || f->kind == KPP_KIND_NAK) {
		if (!l->tx_pending || f->seq != l->tx_frame[3])
			return; /* stale: for a frame already settled */
		if (f->kind == KPP_KIND_ACK) {
			l->tx_pending = false;
			l->tx_seq++;
		} else {
			retransmit(l, now_ms);
		}
		return;
	}
	bool hello = l->hello_resets && f->len >= 1 && f->payload[0] == KPP_MSG_HELLO;
	if (hello) {
		/* A new session: forget what we were sending and which SEQs we saw. */
		l->tx_seq = 0;
		l->tx_pending = false;
		l->down = false;
	} else if (l->rx_have_last && f->seq == l->rx_last_seq) {
		l->n_dup++;
		emit_ctl(l, KPP_KIND_ACK, f->seq);
		return;
	}
	l->rx_have_last = true;
	l->rx_last_seq = f->seq;
	emit_ctl(l, KPP_KIND_ACK, f->seq);
	if (deliver)
		deliver(ctx, f->payload, f->len);
}

void kpp_link_input(struct kpp_link *l, const uint8_t *in, size_t n, int64_t now_ms,
		    kpp_deliver_fn deliver, void *ctx)
{
	struct kpp_frame *f = &l->rx_frame;
	size_t used = 0;
	for (;;) {
		int ev;
		used += kpp_decoder_feed(&l->dec, in + used, n - used, now_ms, f, &ev);
		if (ev == KPP_DEC_NONE)
			break;
		if (ev == KPP_DEC_BAD_DATA) {
			l->n_nak_sent++;
			emit_ctl(l, KPP_KIND_NAK, f->seq);
		} else if (!l->rx_filter || l->rx_filter(l->emit_ctx, f)) {
			on_frame(l, f, now_ms, deliver, ctx);
		}
	}
}

void kpp_link_tick(struct kpp_link *l, int64_t now_ms)
{
	kpp_decoder_tick(&l->dec, now_ms);
	if (l->tx_pending && now_ms >= l->tx_deadline)
		retransmit(l, now_ms);
}

int64_t kpp_link_next_deadline(const struct kpp_link *l)
{
	int64_t t = INT64_MAX;
	if (l->tx_pending)
		t = l->tx_deadline;
	if (l->dec.have && l->dec.last_byte_ms + l->dec.t_byte_ms + 1 < t)
		t = l->dec.last_byte_ms + l->dec.t_byte_ms + 1;
	return t;
}

size_t kpp_link_take_output(struct kpp_link *l, uint8_t *buf, size_t cap)
{
	size_t n = l->out_len < cap ? l->out_len : cap;
	memcpy(buf, l->out, n);
	memmove(l->out, l->out + n, l->out_len - n);
	l->out_len -= n;
	return n;
}
