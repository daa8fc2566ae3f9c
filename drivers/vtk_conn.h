#ifndef DRIVERS_VTK_CONN_H
#define DRIVERS_VTK_CONN_H
/* The kiosk's end of a VTK link to a Vendotek terminal: a transport (TCP: the terminal
 * listens; serial/CDC-ACM: 0x1F framing with CRC), frames reassembled from their length,
 * messages sent and waited for by name and operation number, and the terminal's timers.
 *
 *  - Every terminal message updates P (its operation number, tag 03) and, when non-zero,
 *    Tk (05, keepalive) and To (06, operation timeout).  Defaults: Tk 10 s, To 60 s.
 *  - An IDL exchange waits at most 3·Tk + 8 s (the link-loss time); a VRP or FIN reply at
 *    most To.  A wait that runs out, a transport error or a broken TCP stream closes the
 *    link (the terminal forgets nothing: the caller reconnects and replays).
 *  - A terminal whose local time (tag 11) does not start with '2' has lost its clock: until it
 *    reports a plausible one, every IDL carries ours (UTC, "YYYYMMDDThhmmss+0000").
 *  - Unsolicited messages are dealt with while waiting: CON is answered with status 00 (this
 *    kiosk lends no network), STA, MFR, events and the terminal's management requests are
 *    ignored (no download is ever allowed).
 *  - A cancel request (any thread) is sent as ABR with the running operation's number,
 *    once, while a VRP reply is awaited.
 * Time comes from kiosk/base/clock (monotonic); ms_per_s scales every timer for tests. */
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "drivers/transport.h"
#include "drivers/vtk_frame.h"
#include "drivers/vtk_msg.h"

struct vtk_conn {
	struct transport *t;         /* owned */
	enum vtk_link link;
	struct vtk_decoder dec;
	uint8_t rbuf[4096];          /* bytes read, not yet decoded */
	size_t rhave, rused;
	bool open;
	uint32_t pos_op;             /* P: the last operation number the terminal reported */
	bool have_pos_op;
	bool send_time;              /* the terminal asked for our clock (tag 11) */
	int tk_s, to_s;
	int ms_per_s;                /* 1000; tests scale */
	atomic_int cancel;           /* set by vtk_conn_cancel, taken by a VRP wait */
	uint32_t n_abr, n_con;       /* counters for logs and tests */
	/* vtk_conn_send's message and frame (one thread sends on a connection).  Here, not
	 * thread-local: 128 KB of TLS is set up, and made resident, in every thread of the
	 * process, whether or not it ever talks to a terminal. */
	uint8_t wtlv[VTK_MSG_MAX], wframe[VTK_FRAME_MAX];
};

/* Takes ownership of t.  link: TCP framing for a "tcp" transport, serial framing otherwise. */
void vtk_conn_init(struct vtk_conn *c, struct transport *t, enum vtk_link link, int ms_per_s);
void vtk_conn_free(struct vtk_conn *c);

/* Opens the transport and runs the IDL exchange.  A KPP_E* code (kpp_client.h). */
int vtk_conn_open(struct vtk_conn *c);
void vtk_conn_close(struct vtk_conn *c);
/* Sends IDL and waits for the terminal's IDL reply (3·Tk + 8 s); refreshes P, Tk, To. */
int vtk_conn_idl(struct vtk_conn *c);
int vtk_conn_send(struct vtk_conn *c, const struct vtk_msg *m);
/* Waits up to timeout_ms for the terminal's message `name` carrying operation number op.
 * abr_op > 0: a cancel request meanwhile sends ABR 03=abr_op (once; *ret_aborted set).
 * KPP_OK with *ret filled, or a KPP_E* code (the link is then closed). */
int vtk_conn_wait(struct vtk_conn *c, const char *name, uint32_t op, int timeout_ms,
		  uint32_t abr_op, bool *ret_aborted, struct vtk_msg *ret);
/* The wait for a VRP or FIN reply: To. */
int vtk_conn_op_timeout_ms(const struct vtk_conn *c);
/* Any thread: asks the running VRP to be aborted.  0. */
int vtk_conn_cancel(struct vtk_conn *c);

#endif
