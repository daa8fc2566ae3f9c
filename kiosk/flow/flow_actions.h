#ifndef KIOSK_FLOW_ACTIONS_H
#define KIOSK_FLOW_ACTIONS_H
/* The actions the flow emits (part of flow.h's contract: include flow.h).  Each carries
 * what its worker needs, copied out of the flow when it is emitted; the shell acts on the
 * action alone and never reads the flow's state (which the ui thread goes on changing).
 * kiosk/flow/flow_actions.c fills the payloads. */
#ifndef KIOSK_FLOW_H
#error "include kiosk/flow/flow.h"
#endif

enum flow_action_type {
	FA_SCREEN_CHANGED, /* arg: the new screen */
	FA_WIPE_SESSION,   /* personal details cleared (shell wipes its copies too) */
	FA_STAFF_ENTRY,    /* the hidden corner was held long enough */
	FA_LOOKUP_ACCOUNT, /* p.lookup: look it up (scan: with details; typed: without) */
	FA_VERIFY_ANSWER,  /* p.lookup: check the answer; on success deliver the details */
	FA_PAY,            /* p.pay: journal + PIN-pad sale of the basket */
	FA_PAY_CANCEL,     /* ask the PIN-pad to cancel the running sale */
	FA_PRINT_RECEIPT,  /* p.txn: print its receipt */
	FA_SUBMIT_READINGS,/* p.readings: store them as outbox records, print the confirmation */
	FA_PRINT_READINGS, /* print the readings confirmation */
	FA_SEND_ERECEIPT,  /* p.ereceipt: queue an `ereceipt` outbox record */
	FA_SEND_REQUEST,   /* p.request: queue a `request` outbox record */
	FA_LOOKUP_HISTORY, /* p.lookup: the account's payment history (center + this kiosk's store) */
	FA_PRINT_BILL,     /* p.bill: print a copy of the account's bill */
	FA_STAFF,          /* arg and p.staff.op: enum staff_op (kiosk/flow/flow_staff.h) */
	FA_LOOKUP_RDHIST,  /* p.lookup: the account's readings history (center + this kiosk's store) */
	FA_LOOKUP_CANCEL,  /* the resident left during a lookup: drop its answer */
	FA_PRINT_NOTICE,   /* p.txn: print the notice of a sale not completed (flow_pay_held) */
	FA_SCAN_REJECTED,  /* arg: the enum epd_error, or FLOW_SCAN_BAD_STAFF_CARD; arg2: the
			    * payload's length (the shell logs both, never the payload) */
};

#define FLOW_SCAN_BAD_STAFF_CARD 1

/* What an action carries, copied out of the flow when it is emitted: the shell and its
 * workers act on these and never read the flow's state (which the ui thread goes on
 * changing).  kiosk/flow/flow_actions.c fills them. */
struct fa_lookup {          /* FA_LOOKUP_ACCOUNT, FA_VERIFY_ANSWER, FA_LOOKUP_HISTORY, FA_LOOKUP_RDHIST */
	char pers_acc[16];
	bool typed;             /* typed by the resident (no details without the control answer) */
	kopecks bill_sum;       /* the scanned bill's Sum (the proof of a scan), -1 when none */
	kopecks answer;         /* FA_VERIFY_ANSWER: the control answer, -1 when not digits */
};
struct fa_pay {             /* FA_PAY: the basket, and the e-receipt contact given before it */
	int nlines;
	struct journal_line lines[JOURNAL_MAX_LINES];
	char contact[80];       /* "+7XXXXXXXXXX" or an e-mail; "" for none (tag 1008) */
};
struct fa_txn {             /* FA_PRINT_RECEIPT, FA_PRINT_NOTICE */
	char txn_id[40];         /* as in struct flow_pay_result */
};
struct fa_reading {
	struct account_meter meter;
	int64_t value_milli;
	bool confirm_rollover;
};
struct fa_readings {        /* FA_SUBMIT_READINGS: the entered readings only */
	char pers_acc[16];
	int n;
	struct fa_reading r[ACCOUNT_MAX_METERS];
};
struct fa_ereceipt {        /* FA_SEND_ERECEIPT */
	char txn_id[40];         /* as in struct flow_pay_result */
	bool email;
	char to[80];            /* "+7XXXXXXXXXX" or the e-mail */
};
struct fa_request {         /* FA_SEND_REQUEST */
	char pers_acc[16];
	int kind;               /* 0 question, 1 change of subscriber data */
	char text[256];
};
struct fa_bill {            /* FA_PRINT_BILL: the account as shown */
	struct account acct;
	bool from_cache;
};
struct fa_staff {           /* FA_STAFF: the operation and what the staff screen holds for it */
	int op;                 /* enum staff_op */
	int screen;             /* enum screen_id: the screen asking (its data comes back) */
	char card_name[32];     /* SOP_LOGIN: the staff card's name, "" for a typed login */
	char pin[9];            /* SOP_LOGIN only; the worker wipes it once checked */
	bool has_payment;       /* SOP_REPRINT, SOP_VOID: the payment chosen */
	struct fs_payment payment;
	int reason;             /* SOP_OUT_OF_SERVICE: index into flow_staff_reasons */
	int log_level;          /* the logs screen's filter */
	int speech_rate, speech_volume; /* SOP_SPEECH */
};

struct flow_action {
	enum flow_action_type type;
	int arg, arg2;
	union {
		struct fa_lookup lookup;
		struct fa_pay pay;
		struct fa_txn txn;
		struct fa_readings readings;
		struct fa_ereceipt ereceipt;
		struct fa_request request;
		struct fa_bill bill;
		struct fa_staff staff;
	} p;
};

#define FLOW_MAX_ACTIONS 8

struct flow_out {
	int n;
	struct flow_action a[FLOW_MAX_ACTIONS];
	int dropped; /* actions that did not fit: a bug (the shell logs it, tests assert 0) */
};

#endif
