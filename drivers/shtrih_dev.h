#ifndef DRIVERS_SHTRIH_DEV_H
#define DRIVERS_SHTRIH_DEV_H
/* The fiscal register as the kiosk uses it (docs/fiscal.md): blocking operations over
 * shtrih_link, each a few commands.  One thread at a time (the fiscal service, or
 * kiosk-tool).
 *
 *  - shtrih_dev_cmd: one command; a "busy printing" answer (50h, not executed) is retried.
 *  - shtrih_dev_preflight: puts the register in a state to make a receipt (continue an
 *    interrupted print, cancel a receipt left open, close a shift past 24 h, open a shift)
 *    and reads what the alarms need; out of service with a reason when a person must act.
 *  - shtrih_dev_receipt: runs a receipt's commands; calls `closing` (the caller persists
 *    that the close is about to go) before the close; any refusal before or of the close
 *    cancels the receipt (it surely was not made); a link failure on the close is UNKNOWN.
 *  - shtrih_dev_resolve: the answer for an UNKNOWN close: the held reply, else mode 8
 *    (resend the same close), else the archive between FD0 and the last FD.  A receipt is
 *    never made twice. */
#include <stdbool.h>
#include <stdint.h>

#include "drivers/shtrih_cmd.h"
#include "drivers/shtrih_link.h"
#include "drivers/shtrih_plan.h"

enum {
	SHTRIH_DEV_OK = 0,
	SHTRIH_DEV_EDEVICE = -10,  /* the register refused: dev->err_code, dev->err_text */
	SHTRIH_DEV_ELINK = -11,    /* no link (open failed, down, I/O): nothing was done */
	SHTRIH_DEV_EUNKNOWN = -12, /* a command may have run without its reply reaching us */
	SHTRIH_DEV_EOUT = -13,     /* out of service: dev->err_text says why */
	SHTRIH_DEV_EPROTO = -14,   /* a reply too short for its command */
};

struct shtrih_dev {
	struct transport *t;
	struct shtrih_link link;
	uint32_t pw;
	bool tcp;
	int byte_timeout_ms;
	uint8_t err_code;          /* the last refusal */
	char err_text[160];
	int busy_retries;          /* 50h answers retried per command (10) */
	int busy_wait_ms;          /* between them (300) */
};

struct shtrih_snapshot {
	struct shtrih_short_status st;
	struct shtrih_long_status ls;
	struct shtrih_fn_status fn;
	struct shtrih_shift_status shift;
	uint8_t expiry[3];         /* YY MM DD */
	int days_to_expiry;        /* by the register's own date */
	uint16_t unsent;
	struct shtrih_ofd_status ofd;
	int unsent_days;           /* age of the oldest unsent document, 0 when none */
};

/* transport: tcp | tty | usb; address as in the configuration.  0 or SHTRIH_DEV_ELINK
 * (err_text says why).  shtrih_dev_close(NULL-opened) is safe. */
int shtrih_dev_open(struct shtrih_dev *d, const char *transport, const char *address, int baud,
		    int byte_timeout_ms, uint32_t pw);
/* Over an already open transport (tests); d owns it from now on. */
void shtrih_dev_attach(struct shtrih_dev *d, struct transport *t, bool tcp, int byte_timeout_ms,
		       uint32_t pw);
void shtrih_dev_close(struct shtrih_dev *d);

/* One command: 0 (rp parsed from body, err 0) or a negative SHTRIH_DEV_E* code. */
int shtrih_dev_cmd(struct shtrih_dev *d, const struct shtrih_req *q, uint8_t *body,
		   struct shtrih_reply *rp);
/* A password-only command (E0h, 40h, 41h, 88h, B0h, ...). */
int shtrih_dev_simple(struct shtrih_dev *d, uint16_t cmd);

/* Reads every status the alarms and the technician need (10h, 11h, FF01, FF40, FF03,
 * FF3F, FF39). */
int shtrih_dev_status(struct shtrih_dev *d, struct shtrih_snapshot *ret);
/* Fixes the state and reads the status; open_shift: open a closed shift. */
int shtrih_dev_preflight(struct shtrih_dev *d, bool open_shift, struct shtrih_snapshot *ret);

typedef int (*shtrih_closing_fn)(void *ctx);
int shtrih_dev_receipt(struct shtrih_dev *d, const struct shtrih_req *cmds, int n,
		       shtrih_closing_fn closing, void *ctx, struct shtrih_fd_result *ret);

enum { SHTRIH_RESOLVED_DONE = 1, SHTRIH_RESOLVED_NOT_MADE = 2 };
/* close: the identical FF45 that was in doubt; fd0: the last FD before the receipt.
 * Returns SHTRIH_RESOLVED_DONE with *ret (FD, FP, and the time from the archive when the
 * reply was lost), SHTRIH_RESOLVED_NOT_MADE, or a negative code (still unknown). */
int shtrih_dev_resolve(struct shtrih_dev *d, uint32_t fd0, int64_t amount,
		       const struct shtrih_req *close, struct shtrih_fd_result *ret);
int shtrih_dev_doc(struct shtrih_dev *d, uint32_t fd, struct shtrih_fn_doc *ret);

#endif
