#ifndef TESTS_SIM_KKT_KKT_LINK_H
#define TESTS_SIM_KKT_KKT_LINK_H
/* The device end of the Shtrih-M link over a kkt_core: bytes and time in, bytes out.
 * ENQ is answered NAK when idle and ACK while a reply is held (not yet ACKed by the host)
 * or still being made; the held reply is sent again after each such ACK; a good frame is
 * ACKed and executed, a bad LRC NAKed, a frame cut by the byte timeout dropped; over TCP an
 * FF follows the host's ACK.  No I/O: build/kkt-sim and the unit tests move the bytes.
 *
 * Link knobs ("name=value"; others go to the core): nak=N (refuse the next N frames),
 * corrupt=N (the next N replies with a bad LRC), lose_ack=N (execute but send no ACK),
 * garbage=N (bytes before the next reply), slow_ms=N (execution time), drop=before|after|
 * power with drop_cmd=HEX (default FF45): on that command the connection is dropped before
 * it runs, after it runs with the reply held, or after it runs with the register power-
 * cycled (the reply is lost, the document exists). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drivers/shtrih_frame.h"
#include "tests/sim/kkt/kkt_core.h"

#define KKT_BYTE_TIMEOUT_MS 50

enum kkt_drop { KKT_DROP_NONE, KKT_DROP_BEFORE, KKT_DROP_AFTER, KKT_DROP_POWER };

struct kkt_link {
	struct kkt_core *core;
	bool tcp_ff;
	struct shtrih_decoder dec;
	bool holding;               /* a reply not yet ACKed by the host */
	bool sent;                  /* ...and it went out at least once */
	int64_t ready_ms;           /* when the held reply is made (slow execution) */
	uint8_t held[SHTRIH_FRAME_MAX];
	size_t held_len;
	uint8_t out[4 * SHTRIH_FRAME_MAX];
	size_t out_len;
	bool want_close;            /* the shell drops the connection */
	/* knobs */
	int nak, corrupt, lose_ack, garbage, slow_ms;
	enum kkt_drop drop;
	uint16_t drop_cmd;
	/* counters */
	uint32_t n_frames, n_bad, n_enq, n_resent;
};

void kkt_link_init(struct kkt_link *l, struct kkt_core *core, bool tcp_ff);
void kkt_link_input(struct kkt_link *l, const uint8_t *in, size_t n, int64_t now_ms,
		    int64_t wall_ms);
/* Sends a reply whose execution time has passed. */
void kkt_link_tick(struct kkt_link *l, int64_t now_ms);
size_t kkt_link_take_output(struct kkt_link *l, uint8_t *buf, size_t cap);
/* A new connection: a partial frame is forgotten; the held reply stays. */
void kkt_link_reconnect(struct kkt_link *l);
/* Link knobs, the rest to kkt_core_knobs; 0 or -1 with err. */
int kkt_link_knobs(struct kkt_link *l, const char *line, int64_t wall_ms, char *err, size_t cap);

#endif
