#ifndef DRIVERS_SHTRIH_LINK_H
#define DRIVERS_SHTRIH_LINK_H
/* The host end of the Shtrih-M link (docs/fiscal.md), blocking, over a byte transport:
 *
 *  1. ENQ, wait one byte timeout.  NAK: the device is idle.  ACK: it holds (or is still
 *     making) a reply; the reply is read, acknowledged and kept as the "held" reply, and the
 *     probe starts again.  Silence: the probe is repeated; `tries` silences = link down.
 *  2. The frame; ACK: go on.  NAK or silence: back to 1 — an ENQ answered ACK then means
 *     the device did take the frame, and the reply read is ours; NAK means it did not.
 *  3. The reply within the command's execution timeout; good LRC: ACK (over TCP the device
 *     then sends one FF, drained); bad LRC: NAK, and the ENQ of step 1 fetches it again.
 *
 * A 0xFF byte where a control byte is expected is skipped (TCP).  The link never resends a
 * command the device may have taken: such a command ends in SHTRIH_LINK_EUNKNOWN and the
 * caller resolves it (the held reply, the device's state).  One thread at a time. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drivers/shtrih_cmd.h"
#include "drivers/shtrih_frame.h"
#include "drivers/transport.h"

enum {
	SHTRIH_LINK_OK = 0,
	SHTRIH_LINK_EDOWN = -1,    /* no answer to ENQ: the command was not sent */
	SHTRIH_LINK_ENOTSENT = -2, /* the device refused the frame every time: not executed */
	SHTRIH_LINK_EUNKNOWN = -3, /* the device took the frame, no good reply came */
	SHTRIH_LINK_EIO = -4,      /* the transport failed (reopen it) */
	SHTRIH_LINK_EARG = -5,     /* the request does not fit a frame */
};

#define SHTRIH_BYTE_TIMEOUT_MS 50
#define SHTRIH_TRIES 10

struct shtrih_link {
	struct transport *t;
	int byte_timeout_ms;
	int tries;
	bool tcp;                  /* drain the FF the device sends after our ACK */
	/* execution timeout override (tests); 0: shtrih_cmd_timeout_ms() */
	int exec_timeout_ms;
	struct shtrih_decoder dec;
	uint8_t rx[256];
	size_t rx_len, rx_off;
	/* the last reply found held by a probe (not for the command being sent) */
	bool have_held;
	uint8_t held[SHTRIH_BODY_MAX];
	size_t held_len;
	/* counters for logs and tests */
	uint32_t n_enq, n_frame_tx, n_nak_rx, n_nak_tx, n_held, n_ff, n_noise;
};

/* byte_timeout_ms <= 0 means SHTRIH_BYTE_TIMEOUT_MS.  t stays the caller's (opened). */
void shtrih_link_init(struct shtrih_link *l, struct transport *t, int byte_timeout_ms, bool tcp);
/* Forgets buffered input and the held reply (after a reopen). */
void shtrih_link_reset(struct shtrih_link *l);

/* Sends req and reads its reply body into reply (cap >= SHTRIH_BODY_MAX).  Returns 0 with
 * *ret_len, or a negative SHTRIH_LINK_E* code.  A reply body for another command (a stale
 * one) is never returned as req's. */
int shtrih_link_exec(struct shtrih_link *l, const struct shtrih_req *req, uint8_t *reply,
		     size_t cap, size_t *ret_len);

/* Step 1 alone: 0 the device is idle, 1 a held reply was read into l->held, or a negative
 * code.  The recovery of an unknown close uses it to look for the close's reply. */
int shtrih_link_probe(struct shtrih_link *l);

#endif
