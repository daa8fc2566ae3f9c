#ifndef DRIVERS_KPP_LINK_H
#define DRIVERS_KPP_LINK_H
/* KPP/1 stop-and-wait link (docs/kpp1.md, Link layer), one end of it, as a pure state machine:
 * bytes and time go in; bytes to write and delivered payloads come out.  Used by the host
 * (kpp_client) and by the simulated terminal (tests/sim/pinpad).
 *
 *  - send: at most one unacknowledged DATA frame; it is retransmitted identically (same
 *    SEQ) on NAK(SEQ) or after t_ack_ms without ACK(SEQ), at most max_retx times; after
 *    that the link is down (kpp_link_is_down) until kpp_link_reset.
 *  - receive: good DATA is ACKed; a DATA frame with the SEQ last accepted is ACKed again
 *    and not delivered; a DATA frame with a bad CRC is NAKed.  On the terminal end
 *    (hello_resets) a HELLO request is always accepted and resets both SEQ states.
 *  - time comes from the caller (ms, any monotonic origin).
 * Not thread-safe: the owner serialises calls. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drivers/kpp_frame.h"

#define KPP_T_ACK_MS 1000
#define KPP_MAX_RETX 3
#define KPP_LINK_OUT_MAX (3 * KPP_FRAME_MAX)

/* Frame sink: every frame the link emits passes through it when set (the simulator uses
 * this to drop, corrupt or delay frames); otherwise frames go to the link's out buffer. */
typedef void (*kpp_emit_fn)(void *ctx, uint8_t kind, uint8_t seq, const uint8_t *frame,
			    size_t len);
/* Delivery of an accepted DATA payload. */
typedef void (*kpp_deliver_fn)(void *ctx, const uint8_t *payload, size_t len);

/* Incoming-frame hook for fault injection (the simulator's "lost ACK"): return false to
 * act as if the frame never arrived. */
typedef bool (*kpp_rx_filter_fn)(void *ctx, const struct kpp_frame *f);

struct kpp_link {
	/* configuration (kpp_link_init sets defaults) */
	int t_ack_ms;
	int max_retx;
	bool hello_resets;        /* terminal end */
	kpp_emit_fn emit;
	void *emit_ctx;
	kpp_rx_filter_fn rx_filter; /* ctx: emit_ctx */
	/* sender */
	uint8_t tx_seq;           /* SEQ of the next new DATA frame */
	bool tx_pending;
	uint8_t tx_frame[KPP_FRAME_MAX];
	size_t tx_len;
	int tx_retx;
	int64_t tx_deadline;
	bool down;
	/* receiver */
	bool rx_have_last;
	uint8_t rx_last_seq;
	struct kpp_decoder dec;
	struct kpp_frame rx_frame;    /* kpp_link_input's (not thread-local: see kpp_client.c) */
	/* bytes waiting to be written (when emit is NULL) */
	uint8_t out[KPP_LINK_OUT_MAX];
	size_t out_len;
	/* counters */
	uint32_t n_retx, n_dup, n_nak_sent, n_out_dropped;
};

void kpp_link_init(struct kpp_link *l);
/* Forgets both SEQ states, the pending frame, partial input and queued output (reopen). */
void kpp_link_reset(struct kpp_link *l);

/* Queues payload as the next DATA frame.  Returns 0, -1 when a frame is still unacked or
 * the link is down, -2 when the payload is too long. */
int kpp_link_send(struct kpp_link *l, const uint8_t *payload, size_t len, int64_t now_ms);
bool kpp_link_busy(const struct kpp_link *l);   /* a DATA frame awaits its ACK */
bool kpp_link_is_down(const struct kpp_link *l);

/* Processes bytes received at now_ms; calls deliver for each new DATA payload. */
void kpp_link_input(struct kpp_link *l, const uint8_t *in, size_t n, int64_t now_ms,
		    kpp_deliver_fn deliver, void *ctx);
/* Retransmits or declares the link down when the ACK timer ran out; applies T_BYTE. */
void kpp_link_tick(struct kpp_link *l, int64_t now_ms);
/* Earliest time kpp_link_tick has work to do (INT64_MAX when none). */
int64_t kpp_link_next_deadline(const struct kpp_link *l);

/* Moves up to cap queued output bytes into buf; returns the count. */
size_t kpp_link_take_output(struct kpp_link *l, uint8_t *buf, size_t cap);

#endif
