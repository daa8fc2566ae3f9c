#ifndef TESTS_SIM_PINPAD_SIM_CORE_H
#define TESTS_SIM_PINPAD_SIM_CORE_H
/* The simulated KPP/1 terminal (docs/kpp1.md, Terminal rules; knobs in docs/pinpad.md): bytes
 * in, bytes out, time from the caller.  No I/O and no threads: sim_run.c wraps it for a
 * socket/pty and the umockdev harness answers USB transfers from it.  The transaction store is
 * saved and loaded by the shell (sim_core_save/load) whenever sim_core_dirty says so; it keeps
 * the last SIM_TXN_MAX (>= 100) transactions.
 *
 * Knobs (sim_core_knobs, "name=value ..."; docs/pinpad.md lists them): outcome knobs
 * (approve, decline, timeout, cancel, silent, delay, event_ms, too_late, confirm_timeout_ms)
 * stay until changed; fault knobs (drop_resp, reboot, drop_ack, drop_data, corrupt,
 * garbage, busy, status_busy) fire once and clear themselves. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "drivers/kpp_link.h"
#include "drivers/kpp_msg.h"

#define SIM_TXN_MAX 128
#define SIM_OUT_MAX (4 * KPP_FRAME_MAX)
#define SIM_APPQ_MAX 8

enum sim_outcome { SIM_APPROVE, SIM_DECLINE, SIM_TIMEOUT, SIM_CANCEL };

struct sim_knobs {
	enum sim_outcome outcome;
	char decline_rc[4];     /* HOST_RC of a decline ("51") */
	int cancel_step;        /* EVENT_CODE at which the customer cancels */
	int delay_ms;           /* from SALE to its result */
	int event_ms;           /* EVENT interval */
	bool silent;            /* no EVENTs */
	bool too_late;          /* CANCEL always answered TOO_LATE */
	int confirm_timeout_ms; /* > 0: overrides CONFIRM_TIMEOUT_S */
	int reboot_ms;          /* how long a reboot keeps the terminal deaf */
	/* one-shot faults */
	bool drop_resp;         /* persist the outcome, never send the response */
	bool reboot;            /* "reboot" after approving, before SALE_RESP */
	bool power_cycle;       /* the same, and the link is closed while it lasts (TCP) */
	int drop_ack, drop_data, corrupt; /* the Nth ACK / DATA frame from now: drop / bad CRC */
	int ignore_ack;         /* the Nth ACK received from now is lost (the host's ACK) */
	int garbage;            /* N garbage bytes before the next frame */
	int busy;               /* answer the next N financial requests BUSY */
	int status_busy;        /* answer the next N TXN_STATUS BUSY */
	/* output shaping, read by the shell through sim_core_take_output */
	int split;              /* > 0: write at most N bytes per write */
	bool coalesce;          /* write everything queued in one write */
};

struct sim_txn {
	char txn_id[KPP_TXN_ID_MAX + 1];
	uint8_t type;           /* KPP_MSG_SALE, _VOID, _RECONCILE */
	uint8_t state;          /* enum kpp_txn_state */
	int64_t confirm_deadline_ms;
	uint16_t resp_len;      /* the stored response (encoded payload), RESULT as sent */
	uint8_t resp[KPP_MAX_PAYLOAD];
};

struct sim_core {
	struct sim_knobs k;
	struct kpp_link link;
	/* transactions: a ring, oldest evicted first */
	struct sim_txn txns[SIM_TXN_MAX];
	int ntxn, txn_head;
	int last_fin;           /* index of the last financial txn, -1 none */
	uint32_t stan, batch_no;
	bool dirty;
	/* the running online operation */
	bool running;
	int run_idx;
	int64_t run_result_at, run_next_event_at;
	int run_step;
	bool run_cancel_req;
	char run_orig[KPP_TXN_ID_MAX + 1]; /* VOID: the original */
	/* outgoing application messages waiting for the link */
	uint8_t appq[SIM_APPQ_MAX][KPP_MAX_PAYLOAD];
	uint16_t appq_len[SIM_APPQ_MAX];
	int appq_n;
	/* bytes for the wire, with frame boundaries for write shaping */
	uint8_t out[SIM_OUT_MAX];
	size_t out_len;
	size_t bounds[64];
	int nbounds;
	uint32_t n_ack_out, n_data_out;
	int64_t dead_until;
	bool hung_up;           /* power_cycle: the shell closes the link until dead_until */
	int64_t now;
	/* counters for tests */
	uint32_t n_sales, n_reboots, n_dropped, n_cancels;
};

void sim_core_init(struct sim_core *s);
void sim_knobs_defaults(struct sim_knobs *k);
/* The knob table as "  name  help" lines (for --help). */
void sim_knobs_print(FILE *out);
/* Applies "name[=value] ..."; returns 0, or -1 with a message in err. */
int sim_core_knobs(struct sim_core *s, const char *line, char *err, size_t errcap);

void sim_core_input(struct sim_core *s, const uint8_t *in, size_t n, int64_t now_ms);
void sim_core_tick(struct sim_core *s, int64_t now_ms);
int64_t sim_core_next_deadline(const struct sim_core *s);
/* The link's emit callback (ctx: the core): every frame the link sends, through the
 * link-fault knobs, into the output (sim_wire.c). */
void sim_core_emit(void *ctx, uint8_t kind, uint8_t seq, const uint8_t *frame, size_t len);
/* The next write's bytes (shaped by split/coalesce); returns the count (0: nothing). */
size_t sim_core_take_output(struct sim_core *s, uint8_t *buf, size_t cap);

/* Looks a transaction up (NULL when unknown). */
const struct sim_txn *sim_core_find(const struct sim_core *s, const char *txn_id);

/* The store file: loads (a missing file is an empty store) / saves atomically; 0 or -1. */
int sim_core_load(struct sim_core *s, const char *path);
int sim_core_save(struct sim_core *s, const char *path);

#endif
