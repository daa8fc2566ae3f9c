#ifndef KIOSK_FLOW_STATE_H
#define KIOSK_FLOW_STATE_H
/* The flow's state (part of flow.h's contract: include flow.h): what the screens and the
 * voice read to draw and say.  Only the flow's functions change it; the shell holds one
 * struct flow and hands it to them. */
#ifndef KIOSK_FLOW_H
#error "include kiosk/flow/flow.h"
#endif

#define FLOW_MAX_BASKET 5
#define FLOW_ACCOUNT_DIGITS 8
#define FLOW_LOCKS 8

struct flow_line {
	struct account acct;    /* the account as shown (suppliers for the confirmation) */
	kopecks amount;
	char payee_inn[13];
	char payee_name[161];
	bool from_bill;         /* scanned (vs typed) */
};

struct flow_reading {
	char typed[16];         /* as typed: digits and at most one ',' (kiosk/flow/numentry.h) */
	int64_t value_milli;
	bool entered;
	bool confirm_rollover;  /* the resident confirmed a lower value is a rollover */
	bool confirm_jump;      /* ... or a value above the plausibility limit */
};

/* Everything about the current resident; wiped (memset) when the flow returns to attract. */
struct flow_session {
	bool readings_mode;     /* came for readings, not payment */
	char error_key[48];     /* a message to show on the current screen (strings key) */
	char error_text[160];   /* or a literal message (decoder text) */
	bool looking_up;
	char lookup[16];        /* account number being looked up (digits) */
	bool lookup_typed;
	kopecks bill_sum;       /* from the scanned bill, -1 when none */
	char bill_period[8];
	char bill_payee_inn[13];
	char bill_payee_name[161];
	char typed[16];         /* account number typed on enter_account */
	char answer[16];        /* control answer typed (kopecks digits) */
	int attempts_left;
	int64_t lock_until_wall_ms; /* error.account_locked: until when (UTC ms, shown local) */
	struct account acct;    /* the account on screen */
	bool acct_from_cache;
	bool acct_from_bill;    /* offline and not cached: the bill's own data */
	int open_service;       /* service whose supplier details are shown, -1 none */
	kopecks amount;         /* to pay for acct */
	char amount_typed[16];
	int nlines;
	struct flow_line lines[FLOW_MAX_BASKET];
	kopecks total;
	int pay_progress;       /* enum flow_pay_progress, 0 before the first event */
	int64_t pay_started_ms; /* FA_PAY sent (the flow's clock): the bank's elapsed time */
	int64_t pay_progress_ms;/* pay_progress since: the card's countdown */
	bool pay_cancel_sent;
	bool confirm_from_account; /* one bill: confirm was opened by the account's `pay` */
	bool notice_printed;    /* FA_PRINT_NOTICE sent for s.pay */
	struct flow_pay_result pay;
	int print_status;       /* enum flow_print_status, -1 while printing */
	int focus_meter;        /* readings: meter being typed, -1 none */
	bool reading_refused;   /* the last key did not fit the meter's digits (said, shown) */
	struct flow_reading readings[ACCOUNT_MAX_METERS];
	bool readings_saved;
	/* E-receipt and typed requests (flow_contact.c). */
	bool contact_email;     /* e-mail, else phone */
	char contact[72];       /* phone digits after +7, or the e-mail typed */
	bool kb_cyrillic;       /* the on-screen keyboard's layout */
	bool ereceipt_sent;
	bool ereceipt_before;   /* the e-receipt screen was opened from `confirm` (before the card) */
	bool ereceipt_given;    /* ... and the contact was given: it goes with the fiscal receipt */
	int request_kind;       /* 0 question, 1 change of subscriber data */
	int request_field;      /* 0 account number, 1 text */
	char request_acc[16];
	char request_text[256];
	bool request_sent;
	bool sending;
	bool history_loading;   /* FA_LOOKUP_HISTORY sent, no answer yet */
	int history_months;     /* the period filter: 3, 6 or 12 */
	struct payhist history;
	struct flow_staff_session staff; /* cashier / technician (flow_staff.c) */
	bool rdhist_loading;    /* FA_LOOKUP_RDHIST sent, no answer yet */
	int rdhist_months;      /* the period filter: 3, 6 or 12 */
	struct rdhist rdhist;
};

struct flow_lock {
	char pers_acc[16];
	int64_t until_ms;
	int wrong;
};

struct flow {
	struct flow_config cfg;
	enum screen_id screen;
	enum lang lang;
	bool large_text;
	bool high_contrast;
	bool voice;          /* voice guidance (kiosk/flow/voice.h): off when the session ends */
	int speech_rate;     /* words per minute, and volume in percent: the technician's */
	int speech_volume;
	bool online;         /* billing center reachable */
	bool pinpad_ok;
	int64_t pinpad_down_ms; /* when pinpad_ok last went false */
	bool cards_down;     /* card payments unavailable for FLOW_CARDS_GRACE_MS: attract is the
			      * out-of-service screen (not for a start-up's handshake) */
	int printer_state;   /* enum flow_printer_state */
	bool busy;           /* payment or device operation in flight: no timeouts */
	int64_t last_input_ms;
	int64_t prompt_since_ms; /* 0: no prompt */
	int64_t wall_ms;         /* UTC now, from the last event (readings window) */
	struct flow_lock locks[FLOW_LOCKS]; /* typed accounts locked on this kiosk */
	struct flow_session s;
	struct flow_staff_state staff;    /* out of service: survives the session */
	uint64_t changes;    /* flow_changes() */
};

#endif
