#ifndef TESTS_SIM_PINPAD_VTKSIM_H
#define TESTS_SIM_PINPAD_VTKSIM_H
/* The simulated Vendotek terminal (the POS side of VTK, docs/pinpad.md "vtk-sim"): bytes in,
 * bytes out, time from the caller.  No I/O, no threads: tests/sim/vtk/main.c serves it over
 * TCP or a pty; unit tests drive it directly.
 *
 * It keeps what a real terminal keeps in non-volatile memory: the last operation number and
 * a table of operations (op -> request, VRP result, FIN result, receipt), so that a repeated
 * VRP or FIN with the same number replays the stored result, also after a restart (the
 * shell saves the table whenever vtksim_dirty says so).  Every finished operation (declined,
 * finalized, voided, auto-reversed, auto-completed) is reported once through the `finished`
 * callback as one JSON line.
 *
 * Knobs ("name[=value] ...", vtksim_knobs; the table is vtksim_knobs_print): outcome knobs
 * stay until changed, the fault knobs marked once clear themselves. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "drivers/vtk_frame.h"
#include "drivers/vtk_msg.h"

#define VTKSIM_OPS 128
#define VTKSIM_OUTQ 16

enum vtksim_outcome { VTKSIM_APPROVE, VTKSIM_DECLINE, VTKSIM_NOCARD, VTKSIM_CANCEL };
enum vtksim_abr { VTKSIM_ABR_HONOUR, VTKSIM_ABR_IGNORE, VTKSIM_ABR_RACE };
enum vtksim_fin { VTKSIM_FIN_ACCEPT, VTKSIM_FIN_REFUSE, VTKSIM_FIN_REFUSE_PARTIAL };
enum vtksim_policy { VTKSIM_POLICY_NONE, VTKSIM_POLICY_REVERSE, VTKSIM_POLICY_COMPLETE };
/* When a once-only link fault fires. */
enum vtksim_when {
	VTKSIM_W_NONE, VTKSIM_W_BEFORE_VRP, VTKSIM_W_AFTER_APPROVAL, VTKSIM_W_AFTER_VRP_REPLY,
	VTKSIM_W_BEFORE_FIN_REPLY,
};

struct vtksim_knobs {
	enum vtksim_outcome outcome;
	char decline_rc[4];      /* RESPONSE CODE in a declined VRP's receipt */
	int delay_ms;            /* VRP -> the customer's decision (card delay) */
	int pos_timeout_ms;      /* nocard: the terminal's own timeout */
	int receipt;             /* 0 none, 1 short (< 128 B), 2 over 127 B, 3 over 255 B */
	int64_t approve_amount;  /* > 0: approve this amount instead of the requested one */
	int late_ms;             /* the VRP reply goes out this long after the decision */
	bool noreply;            /* VRP replies are never sent (the result is still stored) */
	enum vtksim_abr abr;
	enum vtksim_fin fin;
	enum vtksim_policy policy; /* what happens to an approval when FIN never arrives */
	int policy_ms;           /* ... after this long */
	bool repeat_new;         /* a repeated VRP of an op cut by a restart starts a new dialogue */
	bool idl_ignore;         /* stop answering IDL/DIS */
	int tk_s, to_s;          /* tags 05 / 06 in IDL replies (05 left out when 0) */
	/* once */
	enum vtksim_when drop;   /* close the connection at that point */
	enum vtksim_when mute;   /* stop sending at that point, until the next connection */
	int garbage;             /* N garbage bytes before the next frame */
	int corrupt;             /* serial: a bad CRC on the Nth frame from now */
	int64_t sta;             /* send STA with this maximum amount (-1: none) */
	char mgmt;               /* send IDL with tag 10 = this ('L', 'R') */
	bool mfr, timereq, con;  /* send MFR / a 1970 local time / CON */
	/* output shaping for the shell */
	int split;               /* > 0: write at most N bytes per write */
	bool coalesce;           /* write all queued frames at once */
};

enum vtksim_op_state {
	VTKSIM_AUTHORIZING, VTKSIM_APPROVED, VTKSIM_DECLINED, VTKSIM_FINISHED, VTKSIM_CUT,
};

struct vtksim_op {
	uint32_t op;
	int64_t requested;       /* VRP amount */
	int64_t approved;        /* VRP reply amount (0: not approved) */
	int64_t fin_req;         /* FIN amount asked (-1: no FIN yet) */
	int64_t fin_reply;       /* FIN reply amount */
	int state;               /* enum vtksim_op_state */
	char result[16];         /* approved, declined, nocard, cancelled, aborted, interrupted */
	char final[16];          /* completed, voided, refused, auto_reversed, auto_completed */
	int receipt;             /* receipt kind used in the replies */
	char rc[4];              /* RESPONSE CODE printed on the receipt */
	int64_t decide_at, approved_ms;
};

struct vtksim_out {
	uint8_t bytes[VTK_FRAME_MAX > 8192 ? 8192 : VTK_FRAME_MAX];
	size_t len;
	int64_t not_before;      /* late replies */
};

typedef void (*vtksim_finished_fn)(void *ctx, const char *json_line);

struct vtksim {
	enum vtk_link link;
	struct vtksim_knobs k;
	struct vtk_decoder dec;
	/* non-volatile */
	uint32_t last_op;
	struct vtksim_op ops[VTKSIM_OPS];
	int nops;
	bool dirty;
	/* session */
	int state;               /* 0 INACTIVE, 1 IDLE, 2 DISABLED */
	int running;             /* index of the op in its card dialogue, -1 none */
	uint32_t last_event;
	char vmc_time[32];       /* tag 11 of the kiosk's last IDL/DIS */
	bool muted, hangup, hangup_after_flush;
	struct vtksim_out outq[VTKSIM_OUTQ];
	int nout;
	int64_t now;
	vtksim_finished_fn finished;
	void *ctx;
	/* counters for tests and the log */
	uint32_t n_vrp, n_fin, n_abr, n_idl, n_idl_during_op, n_bad_msg, n_frames_out;
};

void vtksim_init(struct vtksim *s, enum vtk_link link);
void vtksim_knobs_defaults(struct vtksim_knobs *k);
void vtksim_knobs_print(FILE *out);
/* Applies "name[=value] ..." (all or none); 0, or -1 with a message in err. */
int vtksim_knobs(struct vtksim *s, const char *line, char *err, size_t errcap);

/* A new connection (TCP accept, or the shell's start): decoder, session state and queued
 * output are reset; the operation table stays. */
void vtksim_connected(struct vtksim *s, int64_t now_ms);
void vtksim_input(struct vtksim *s, const uint8_t *in, size_t n, int64_t now_ms);
void vtksim_tick(struct vtksim *s, int64_t now_ms);
/* The next write's bytes (shaped by split/coalesce); 0: nothing now.  *ret_hangup is set
 * when the shell must close the connection (a drop knob fired); queued output is lost. */
size_t vtksim_take_output(struct vtksim *s, int64_t now_ms, uint8_t *buf, size_t cap,
			  bool *ret_hangup);

const struct vtksim_op *vtksim_find(const struct vtksim *s, uint32_t op);

/* The operation table file: loads (a missing file is an empty table; an op cut in its card
 * dialogue becomes `interrupted`) / saves atomically; 0 or -1. */
int vtksim_load(struct vtksim *s, const char *path);
int vtksim_save(struct vtksim *s, const char *path);

/* Internal, shared by vtksim.c and vtksim_knobs.c. */
void vtksim_finish(struct vtksim *s, struct vtksim_op *o, const char *final);

#endif
