#ifndef DRIVERS_FISCAL_SERVICE_H
#define DRIVERS_FISCAL_SERVICE_H
/* The fiscal service: one thread that owns the fiscal register (shtrih_dev).  Requests go
 * into an inbox; outcomes, readiness and alarms come back through a callback on the
 * service thread (no SDL, no store here: the caller persists).
 *
 * Promises:
 *  - PREFLIGHT (before a card is armed) fixes the register's state and opens the shift
 *    at the first payment; the service is ready only when a receipt can be made now
 *    (link up, drive in fiscal mode, paper, no document older than unsent_stop_days
 *    waiting for the OFD, no close in doubt).
 *  - RECEIPT runs the commands of fiscal_receipt_build; `closing` is called with FD0 (the
 *    last document before the receipt) right before the close, so the caller can store
 *    CLOSING; the outcome is MADE (FD, FP, time, drive serial, shift, number in shift),
 *    NOT_MADE (the register refused: surely no receipt) or UNKNOWN.
 *  - After UNKNOWN nothing else is sent but the resolution (retried until it answers);
 *    RESOLVE does the same for a CLOSING row found after a restart.  A receipt is never
 *    made twice.
 *  - Idle, every poll_ms: the status; the shift is closed (Z) at the quiet hour and always
 *    before 24 h; alarms for paper, the drive's expiry and warnings, unsent documents.
 *  - X, Z and OPEN_SHIFT for the cashier's menu.
 *  - PRINT: lines of text (the kiosk's own receipt and the bank slip, after the fiscal
 *    receipt), each cut to SHTRIH_LINE_MAX WIN1251 bytes, then a full cut; OK, or
 *    REFUSED (no paper: the paper state turns 0) / UNAVAILABLE.  Never touches a receipt. */
#include <stdbool.h>
#include <stdint.h>

#include "drivers/shtrih_dev.h"
#include "drivers/fiscal_receipt.h"

#define FISCAL_PRINT_MAX 8192

enum fiscal_req_kind {
	FISCAL_REQ_PREFLIGHT, FISCAL_REQ_RECEIPT, FISCAL_REQ_RESOLVE, FISCAL_REQ_X,
	FISCAL_REQ_Z, FISCAL_REQ_OPEN_SHIFT, FISCAL_REQ_STATUS,
	FISCAL_REQ_PRINT,   /* non-fiscal text: .text's lines (17h each), then a cut */
};

enum fiscal_outcome {
	FISCAL_OUT_OK,          /* PREFLIGHT ready; X, Z, OPEN_SHIFT, STATUS done */
	FISCAL_OUT_MADE,        /* the receipt exists: .receipt */
	FISCAL_OUT_NOT_MADE,    /* surely no receipt (refused and cancelled, or not found) */
	FISCAL_OUT_UNKNOWN,     /* the close is in doubt: resolution goes on */
	FISCAL_OUT_UNAVAILABLE, /* out of service / no link: .text says why */
	FISCAL_OUT_REFUSED,     /* the register refused a report: .text */
};
const char *fiscal_outcome_name(enum fiscal_outcome o);

struct fiscal_request {
	enum fiscal_req_kind kind;
	uint32_t tag;                     /* the caller's, echoed */
	char txn_id[JOURNAL_TXN_ID_LEN + 1];
	int64_t amount;                   /* RECEIPT, RESOLVE: the card amount */
	uint32_t fd0;                     /* RESOLVE: stored with CLOSING */
	int ncmds;                        /* RECEIPT, RESOLVE: fiscal_receipt_build's output */
	struct shtrih_req cmds[FISCAL_RECEIPT_MAX_CMDS];
	char text[FISCAL_PRINT_MAX];      /* PRINT: UTF-8 lines separated by '\n' */
};

struct fiscal_receipt_attrs {
	char fn_serial[17];
	uint32_t fd, fp;
	struct shtrih_dt dt;              /* the register's local time */
	uint16_t shift_no, number;        /* shift, number in the shift */
};

enum fiscal_event_kind {
	FISCAL_EV_READY,    /* .ready, .text */
	FISCAL_EV_OUTCOME,  /* .req, .tag, .txn_id, .outcome, .receipt, .text */
	FISCAL_EV_ALARM,    /* .alarm, .text: paper, drive, OFD */
	FISCAL_EV_SHIFT,    /* .text: the shift closed by the service (quiet hour, 24 h) */
};

enum fiscal_alarm { FISCAL_ALARM_PAPER, FISCAL_ALARM_FN, FISCAL_ALARM_UNSENT };

struct fiscal_event {
	enum fiscal_event_kind kind;
	enum fiscal_req_kind req;
	uint32_t tag;
	char txn_id[JOURNAL_TXN_ID_LEN + 1];
	enum fiscal_outcome outcome;
	bool ready;
	enum fiscal_alarm alarm;
	struct fiscal_receipt_attrs receipt;
	const struct shtrih_snapshot *status; /* STATUS, during the callback */
	char text[256];
};

typedef void (*fiscal_event_fn)(void *ctx, const struct fiscal_event *ev);
/* Persist CLOSING with fd0 for txn_id; non-zero stops the receipt (it is cancelled). */
typedef int (*fiscal_closing_fn)(void *ctx, const char *txn_id, uint32_t fd0);

struct fiscal_service_cfg {
	char transport[8];
	char address[128];
	int baud, byte_timeout_ms;
	uint32_t password;
	struct transport *attach;         /* tests: an open transport instead of the address */
	bool attach_tcp;
	fiscal_event_fn on_event;
	fiscal_closing_fn closing;
	void *ctx;
	int shift_close_hour;             /* on the register's clock */
	int unsent_alarm_days, unsent_stop_days, fn_warn_days;
	int poll_ms;                      /* idle status interval; 0: 60000 */
	int backoff_ms;                   /* reconnect and resolution retry; 0: 5000 */
};

struct fiscal_service;

struct fiscal_service *fiscal_service_start(const struct fiscal_service_cfg *cfg);
/* Queues a request (copied); 0, or -1 when the inbox (8) is full or the service stops. */
int fiscal_service_submit(struct fiscal_service *s, const struct fiscal_request *r);
bool fiscal_service_ready(struct fiscal_service *s);
/* The register's paper as last seen (status poll, a print): 1 present, 0 out, -1 not
 * known (no link yet, or the link is down). */
int fiscal_service_paper(struct fiscal_service *s);
/* Stops after the running request; frees everything.  NULL is a no-op. */
void fiscal_service_stop(struct fiscal_service *s);

#endif
