#ifndef KIOSK_FLOW_STAFF_H
#define KIOSK_FLOW_STAFF_H
/* The staff part of the flow core (flow_staff.c): cashier maintenance mode and the
 * technician's service menu.  Pure data here (flow.h includes it): what the shell reports
 * (FE_STAFF_* payloads) and what the flow keeps (struct flow_staff_session inside the
 * resident session, so that going to attract ends the staff session and wipes it;
 * struct flow_staff_state, the out-of-service state, survives it).
 *
 * The flow asks with FA_STAFF (arg: enum staff_op), reading its request from
 * f->s.staff (PIN, selected payment, reason, log filter); the shell answers with
 * FE_STAFF_AUTH (login), FE_STAFF_DATA (what the current screen shows) and FE_STAFF_DONE
 * (an operation's outcome).  FE_STAFF_STATE sets the out-of-service state at any time. */
#include <stdbool.h>
#include <stdint.h>

#include "kiosk/base/money.h"

enum staff_op {
	SOP_LOGIN,          /* check s.staff.pin (for s.staff.card_name when a card was scanned) */
	SOP_REFRESH,        /* FE_STAFF_DATA for the current screen */
	SOP_X_REPORT,
	SOP_RECONCILE,
	SOP_CLOSE_SHIFT,
	SOP_REPRINT,        /* s.staff.d.pay[s.staff.sel] */
	SOP_VOID,           /* s.staff.d.pay[s.staff.sel] */
	SOP_OUT_OF_SERVICE, /* s.staff.reason */
	SOP_BACK_IN_SERVICE,
	SOP_TEST_PRINTER,
	SOP_TEST_PINPAD,
	SOP_FORCE_SYNC,
	SOP_RESTART,
	SOP_SPEECH,         /* keep the voice's rate and volume (f->speech_rate, f->speech_volume) */
};

enum staff_auth_status { STAFF_AUTH_OK, STAFF_AUTH_WRONG, STAFF_AUTH_LOCKED, STAFF_AUTH_ERROR };

/* Out-of-service reasons (strings oos.reason.NAME, stored by name). */
#define STAFF_REASONS 4
/* Touch test grid: columns x rows of cells touch_0 … touch_23. */
#define STAFF_TOUCH_COLS 4
#define STAFF_TOUCH_ROWS 6
extern const char *const flow_staff_reasons[STAFF_REASONS];

/* locked_until_ms of the lock only a technician lifts (offline/staff.h STAFF_LOCKED_FOREVER). */
#define FS_LOCKED_FOREVER INT64_MAX

struct flow_staff_auth {
	enum staff_auth_status status;
	int role;                /* enum staff_role (offline/staff.h): 1 cashier, 2 technician */
	char name[32];
	int attempts_left;
	int64_t locked_until_ms; /* UTC, or FS_LOCKED_FOREVER */
	int lock_minutes;        /* STAFF_AUTH_LOCKED: the length of this lock (15, 60) */
};

#define FS_MAX_PAY 40
#define FS_MAX_LINES 200
#define FS_LINE 128
#define FS_MAX_TOTALS 8

struct fs_payment {
	char txn_id[33];
	int state;               /* enum journal_state */
	kopecks total;
	char scheme[24];
	char masked_pan[24];
	char pers_acc[16];
	char reason[64];
	int64_t created_ms;
	bool has_receipt;
};

struct fs_total {
	char scheme[24];
	int count;
	kopecks sum;
};

/* What the current staff screen shows (replaced whole by each FE_STAFF_DATA). */
struct flow_staff_data {
	int screen;              /* the screen it was made for (enum screen_id) */
	int64_t shift_opened_ms;
	int ntotals;
	struct fs_total totals[FS_MAX_TOTALS];
	int total_count;          /* -1: the totals overflowed (shown as not counted) */
	kopecks total_sum;
	int npay;
	struct fs_payment pay[FS_MAX_PAY];
	int nlines;
	char lines[FS_MAX_LINES][FS_LINE];
	int64_t locked_until_ms; /* 0, UTC, or FS_LOCKED_FOREVER */
	int wrong_pins;
};

struct flow_staff_done {
	enum staff_op op;
	bool ok;
	char key[48];            /* strings key of the message */
	char text[160];          /* and a literal detail (may be empty) */
};

struct flow_staff_state {
	bool out_of_service;
	char reason[24];         /* a flow_staff_reasons name */
};

struct flow_staff_session {
	int role;                /* 0: nobody logged in */
	char name[32];
	char card_name[32];      /* from a staff card scan */
	char pin[9];             /* typed, cleared as soon as it was checked */
	bool pending;            /* a request is out */
	char msg_key[48];
	char msg_text[160];
	bool msg_ok;
	char print_key[32];      /* how the last print order went, shown under the message */
	bool print_ok;
	int sel;                 /* payment chosen on cashier_payments */
	int reason;              /* out-of-service reason chosen */
	int log_level;           /* enum log_level: the logs screen's filter */
	bool confirm_restart;
	uint32_t touched;        /* touch test: cells tapped (bit i: touch_<i>) */
	struct flow_staff_data d;
};

#endif
