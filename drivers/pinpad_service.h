#ifndef DRIVERS_PINPAD_SERVICE_H
#define DRIVERS_PINPAD_SERVICE_H
/* The payment service: one thread that owns the PIN-pad (behind the protocol seam of
 * pinpad_adapter.h: KPP/1 or VTK) and the payment journal's card transitions.  Commands go into an inbox; progress and outcomes come back
 * through a callback on the service thread (the kiosk queues them as reports for the flow;
 * no SDL here).
 *
 * Promises:
 *  - every journal transition is written (journal ops) before the next device command:
 *    INTENT before SALE, AUTHORIZED before anything else, RECORDED before CONFIRM;
 *  - at start and after every reconnect: the handshake (KPP/1 HELLO, VTK IDL; retried with
 *    backoff; the service reports ready=false meanwhile), then every unfinished journal row
 *    is resolved with the adapter's status (KPP/1 TXN_STATUS) and pinpad_recovery_decide (docs/kpp1.md, Recovery) before a new SALE is accepted;
 *  - a SALE whose outcome is unknown (silence, link loss) is resolved the same way, with
 *    the same txn id; a new SALE is never started while a row is unresolved;
 *  - on TRANSPORT_EGONE / link down the transport is closed and reopened with backoff; an
 *    idle service pings (KPP/1 STATUS, VTK IDL) every idle_ping_ms so that a lost PIN-pad is noticed (and
 *    reported not ready) before a customer needs it.
 * The journal is reached through pinpad_journal_ops so that the service can run over the
 * store (pinpad_journal_store, offline/journal.h) or a test double. */
#include <stdbool.h>
#include <stdint.h>

#include "drivers/kpp_client.h"
#include "offline/journal.h"

struct pinpad_journal_ops {
	int (*begin)(void *j, const struct journal_line *lines, int nlines, int64_t now_ms,
		     char *ret_txn_id);
	int (*authorize)(void *j, const char *txn_id, const struct journal_card *card,
			 int64_t now_ms);
	int (*record)(void *j, const char *txn_id, bool offline, int64_t now_ms);
	int (*move)(void *j, const char *txn_id, enum journal_state to, const char *reason,
		    int64_t now_ms);
	int (*get)(void *j, const char *txn_id, struct journal_payment *ret);
	int (*unfinished)(void *j, struct journal_payment *ret, int cap);
};
/* offline/journal.h over a struct store * (pinpad_journal.c). */
extern const struct pinpad_journal_ops pinpad_journal_store;

enum pinpad_cmd_kind {
	PINPAD_CMD_SALE, PINPAD_CMD_CONFIRM, PINPAD_CMD_VOID, PINPAD_CMD_STATUS,
	PINPAD_CMD_TXN_STATUS, PINPAD_CMD_RECONCILE,
};

enum pinpad_outcome {
	PINPAD_OUT_OK,             /* STATUS / TXN_STATUS / RECONCILE answered */
	PINPAD_OUT_APPROVED,       /* SALE approved: row AUTHORIZED; send CONFIRM when fulfilled */
	PINPAD_OUT_PAID,           /* CONFIRM done (or recovery completed it): row CONFIRMED */
	PINPAD_OUT_DECLINED,       /* row DECLINED (host code in msg) */
	PINPAD_OUT_CANCELLED,      /* customer / host cancel or no card: row CANCELLED */
	PINPAD_OUT_NOT_PAID,       /* reversed / voided / never started: the customer owes */
	PINPAD_OUT_NEEDS_OPERATOR, /* row flagged NEEDS_OPERATOR */
	PINPAD_OUT_UNAVAILABLE,    /* PIN-pad not ready (out of service, recovering) */
	PINPAD_OUT_BUSY,           /* the terminal or the service is busy */
	PINPAD_OUT_FAILED,         /* journal write failed or bad request: nothing sent */
	PINPAD_OUT_NOT_RECORDED,   /* approved, but the journal could not record it: reversed
				    * on the terminal before anything was said (not paid) */
};
const char *pinpad_outcome_name(enum pinpad_outcome o);

enum pinpad_event_kind {
	PINPAD_EV_READY,     /* .ready changed (true: sales accepted) */
	PINPAD_EV_PROGRESS,  /* .event_code: an EVENT of the running SALE/VOID */
	PINPAD_EV_OUTCOME,   /* a command finished: .cmd, .outcome, .txn_id, .msg */
	PINPAD_EV_RECOVERED, /* recovery resolved a row: .txn_id, .outcome, .text = reason */
};

struct pinpad_event {
	enum pinpad_event_kind kind;
	enum pinpad_cmd_kind cmd;
	enum pinpad_outcome outcome;
	bool ready;
	int event_code;
	uint32_t tag;                 /* the command's tag, echoed */
	char txn_id[JOURNAL_TXN_ID_LEN + 1];
	char text[128];
	const struct kpp_msg *msg;    /* the terminal's answer, valid during the callback */
};

typedef void (*pinpad_event_fn)(void *ctx, const struct pinpad_event *ev);

struct pinpad_adapter;
struct pinpad_service_cfg {
	/* The terminal: exactly one of the two, owned by the service from now on.  client is a
	 * KPP/1 terminal; adapter any protocol behind drivers/pinpad_adapter.h. */
	struct kpp_client *client;
	struct pinpad_adapter *adapter;
	const struct pinpad_journal_ops *jops;
	void *journal;                    /* first argument of every jops call */
	pinpad_event_fn on_event;
	void *ctx;
	int timeout_s;                    /* SALE TIMEOUT_S */
	int confirm_timeout_s;            /* SALE CONFIRM_TIMEOUT_S */
	/* scaled in tests; 0: the defaults in parentheses */
	int poll_ms;                      /* between TXN_STATUS polls in recovery (2000) */
	int max_polls;                    /* polls before a row is left for later (90) */
	int backoff_min_ms, backoff_max_ms; /* reconnect backoff (500, 30000) */
	int idle_ping_ms;                 /* STATUS when idle this long, to notice loss (10000) */
	int64_t (*now_ms)(void);          /* UTC ms; NULL: clock_wall_ms() */
	/* An unfinished row older than this (by its created time) is handed to the cashier
	 * (NEEDS_OPERATOR) instead of being retried for ever: 0 = 900 s. */
	int recovery_limit_s;
};

struct pinpad_cmd {
	enum pinpad_cmd_kind kind;
	uint32_t tag;                     /* free for the caller, echoed in the outcome */
	/* SALE */
	int nlines;
	struct journal_line lines[JOURNAL_MAX_LINES];
	char order_ref[33];
	/* CONFIRM, VOID, TXN_STATUS (empty: last) */
	char txn_id[JOURNAL_TXN_ID_LEN + 1];
	bool offline;                     /* CONFIRM: recorded while the center is unreachable */
};

struct pinpad_service;

struct pinpad_service *pinpad_service_start(const struct pinpad_service_cfg *cfg);
/* Queues a command (copied); 0, or -1 when the inbox is full (16) or the service stops. */
int pinpad_service_submit(struct pinpad_service *s, const struct pinpad_cmd *cmd);
/* Cancels the SALE that is running or still in the inbox (any thread).  0 when it will be
 * cancelled: a CANCEL is sent now, or at its first progress event if the terminal is being
 * asked at this very moment, or it ends CANCELLED before the terminal is asked at all.
 * -1 when there is no sale to cancel. */
int pinpad_service_cancel(struct pinpad_service *s);
bool pinpad_service_ready(struct pinpad_service *s);
/* Stops the thread after the running command; frees everything (the client too). */
void pinpad_service_stop(struct pinpad_service *s);

#endif
