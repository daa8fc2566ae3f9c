#ifndef KIOSK_FLOW_H
#define KIOSK_FLOW_H
/* The flow core: a pure state machine, (state, event, now) -> (state', actions).
 * No SDL, curl, libusb or sqlite here: the shell (kiosk/shell/main.c) feeds it events (taps,
 * scans, device and center reports, clock ticks) and performs the actions it returns.
 * Screens are table entries (flow_screens.c) with stable ids listed in docs/screens.md.
 *
 * Inactivity: after the screen's timeout without input the flow raises the "Вы ещё
 * здесь?" prompt; when the prompt times out it clears every personal detail and returns to
 * attract.  Never while f->busy (a payment or device operation in flight). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kiosk/conf/config.h"
#include "kiosk/flow/flow_staff.h"
#include "kiosk/base/lang.h"
#include "kiosk/base/money.h"
#include "kiosk/flow/payhist.h"
#include "kiosk/flow/rdhist.h"
#include "kiosk/bill/account.h"
#include "kiosk/receipt/journal_model.h"

enum screen_id {
	SCREEN_ATTRACT,
	SCREEN_HELP,
	SCREEN_SCAN,
	SCREEN_ENTER_ACCOUNT,
	SCREEN_CONTROL_QUESTION,
	SCREEN_ACCOUNT,
	SCREEN_AMOUNT,
	SCREEN_BASKET,
	SCREEN_CONFIRM,
	SCREEN_PAYMENT,
	SCREEN_PAYMENT_RESULT,
	SCREEN_READINGS,
	SCREEN_READINGS_DONE,
	SCREEN_ERECEIPT,
	SCREEN_REQUEST,
	SCREEN_HISTORY,
	SCREEN_BILL_COPY,
	SCREEN_STAFF_LOGIN,      /* staff: kiosk/flow/flow_staff.c */
	SCREEN_CASHIER,
	SCREEN_CASHIER_PAYMENTS,
	SCREEN_VOID_CONFIRM,
	SCREEN_RECONCILE,
	SCREEN_NEEDS_OPERATOR,
	SCREEN_OUT_OF_SERVICE,
	SCREEN_SERVICE,
	SCREEN_SERVICE_DEVICES,
	SCREEN_SERVICE_NETWORK,
	SCREEN_SERVICE_LOGS,
	SCREEN_SERVICE_CONFIG,
	SCREEN_SERVICE_TOUCH,
	SCREEN_READINGS_HISTORY, /* flow_rdhist.c */
	SCREEN_COUNT
};

enum flow_event_type {
	FE_TAP,            /* a widget released after a press: widget, held_ms */
	FE_TICK,           /* time passed */
	FE_SCAN,           /* a scanned symbol: data, len */
	FE_CENTER_STATUS,  /* code: 1 online, 0 offline */
	FE_PINPAD_STATUS,  /* code: 1 ready, 0 unavailable */
	FE_ACCOUNT,        /* answer to FA_LOOKUP_ACCOUNT / FA_VERIFY_ANSWER: payload flow_account_result */
	FE_PAY_PROGRESS,   /* code: enum flow_pay_progress */
	FE_PAY_RESULT,     /* payload: struct flow_pay_result */
	FE_PRINT_RESULT,   /* code: enum flow_print_status */
	FE_READINGS_SAVED, /* code: 0 saved, else the store failed */
	FE_QUEUED,         /* an e-receipt or request was queued: code 0, else the store failed */
	FE_PRINTER_STATUS, /* code: enum flow_printer_state */
	FE_HISTORY,        /* answer to FA_LOOKUP_HISTORY: payload struct payhist */
	FE_STAFF_AUTH,     /* payload: struct flow_staff_auth */
	FE_STAFF_DATA,     /* payload: struct flow_staff_data */
	FE_STAFF_DONE,     /* payload: struct flow_staff_done */
	FE_STAFF_STATE,    /* payload: struct flow_staff_state */
	FE_RDHIST,         /* answer to FA_LOOKUP_RDHIST: payload struct rdhist */
	FE_TOUCH,          /* voice mode: a touch that only explored a control (counts as input) */
};

enum flow_lookup_status {
	LOOKUP_FOUND,          /* acct filled (details when scanned or verified) */
	LOOKUP_UNKNOWN,        /* no such account */
	LOOKUP_UNAVAILABLE,    /* center unreachable and not in the cache */
	LOOKUP_WRONG_ANSWER,   /* control question: attempts_left */
	LOOKUP_LOCKED,         /* too many wrong answers: retry_after_s */
};

struct flow_account_result {
	enum flow_lookup_status status;
	struct account acct;
	bool from_cache;       /* offline: "данные на <дата>" */
	int attempts_left;
	int retry_after_s;     /* LOOKUP_LOCKED: the center's lock in seconds; 0 unknown */
};

enum flow_pay_progress { PAY_PRESENT_CARD = 1, PAY_READING, PAY_ENTER_PIN, PAY_ONLINE, PAY_REMOVE_CARD,
			 PAY_SEE_PHONE };

/* PAY_FAILED: surely not charged (nothing started: the terminal never took the card).
 * PAY_UNKNOWN: the sale may have reached the terminal and its answer is not known yet:
 * recovery settles it and a second FE_PAY_RESULT for the same txn follows.
 * PAY_NEEDS_OPERATOR: charged or not, a cashier must settle it.
 * PAY_REVERSED: the terminal approved the sale, then reversed it: nothing is kept, but the
 * bank may hold the amount on the card for a while. */
enum flow_pay_outcome { PAY_APPROVED, PAY_DECLINED, PAY_CANCELLED, PAY_TIMEOUT, PAY_FAILED, PAY_UNKNOWN,
			PAY_NEEDS_OPERATOR, PAY_REVERSED };

struct flow_pay_result {
	enum flow_pay_outcome outcome;
	char host_rc[4];
	char masked_pan[24];
	char scheme[24];
	char auth_code[8];
	char rrn[16];
	char terminal_op[16]; /* the terminal's operation number, when its slip names no RRN */
	char fiscal_qr[96];   /* the fiscal receipt's check QR (t=…&s=…&fn=…&i=…&fp=…&n=1), if any */
	char fiscal_line[80]; /* its attributes as printed: "ФН … · ФД … · ФП …" */
	char txn_id[40];
	char message[128];     /* the terminal's own text, if any */
	char text_key[40];     /* strings key of the explanation; empty: the outcome's own */
};

/* May the resident try again after this outcome?  Only when surely not charged. */
bool flow_pay_retryable(enum flow_pay_outcome o);
/* Did the PIN-pad say nothing was taken (no hold either)?  Only then «Деньги с карты не
 * списаны» is said. */
bool flow_pay_nothing_taken(enum flow_pay_outcome o);
/* Not completed, and the bank may hold the amount for a while (open, for the cashier, or
 * approved then reversed): the operation number, a printed notice, the cashier and the
 * phone. */
bool flow_pay_held(enum flow_pay_outcome o);
/* The operation number told to the resident (screen, voice, printed notice) and asked by
 * the cashier: the first 8 characters of the txn id, upper case. */
#define FLOW_OP_NUMBER_LEN 9
char *flow_pay_op_number(const char *txn_id, char ret[FLOW_OP_NUMBER_LEN]);
/* The strings keys of a result's title and explanation: the screen and the voice say the
 * same.  A decline with no bank response code (a Vendotek terminal cannot tell a decline
 * from a cancel, a missing card or its own timeout) is "not completed", not "the bank
 * declined". */
const char *flow_pay_title_key(const struct flow_pay_result *r);
const char *flow_pay_why_key(const struct flow_pay_result *r);

enum flow_print_status { PRINT_OK, PRINT_PAPER_OUT, PRINT_OFFLINE, PRINT_NONE };
/* The printer as its service last saw it (the order of drivers/printer_status.h). */
enum flow_printer_state { PRINTER_STATE_OK, PRINTER_STATE_NEAR_END, PRINTER_STATE_PAPER_OUT,
			  PRINTER_STATE_COVER_OPEN, PRINTER_STATE_ERROR, PRINTER_STATE_OFFLINE };

/* A printer problem known before the card (no paper, cover open, error, offline), said on the
 * confirmation with the electronic receipt offered: its strings key, or NULL. */
struct flow;
const char *flow_confirm_printer_key(const struct flow *f);

struct flow_event {
	enum flow_event_type type;
	const char *widget;
	int64_t held_ms;
	const uint8_t *data;
	size_t len;
	int code;
	const void *payload;
};

/* The rest of the contract, each part in its header: the actions the flow emits with their
 * payloads (the shell's work orders), and the state the screens draw. */
#include "kiosk/flow/flow_actions.h"

struct flow_config {
	int inactivity_ms;   /* default per-screen idle time before the prompt */
	int prompt_ms;       /* how long the prompt waits */
	enum lang lang;      /* the language attract returns to */
	kopecks max_amount;  /* largest payment */
	int control_attempts;   /* wrong control answers before a typed account locks (0: 3) */
	int64_t control_lock_ms; /* how long it stays locked on this kiosk (0: 15 minutes) */
	int readings_from_day, readings_to_day;
	const struct config_allow *allow;  /* payees that can be paid here */
	int nallow;
	const char *agent_name; /* payee name for a typed account */
	const char *staff_card_prefix; /* a scan starting with it is a staff card ("": none) */
	bool voice_available; /* speech.enabled: the `voice` button is there */
	bool ereceipt_first;  /* a fiscal register: the e-receipt contact is asked on `confirm`,
			       * before the card, so it goes on the fiscal receipt (tag 1008) */
	int speech_rate, speech_volume; /* the voice's settings at start */
	bool pinpad_unknown;    /* the PIN-pad has not reported yet: card payments count as down
				 * until it says it is ready (the shell at start; tests leave it) */
};

#include "kiosk/flow/flow_state.h"

void flow_init(struct flow *f, const struct flow_config *cfg, int64_t now);
/* The voice's rate (words per minute) and volume (percent) a technician saved: they outlive
 * a restart, so the shell hands them over once the store is open. */
void flow_set_speech(struct flow *f, int rate, int volume);
/* The wall clock (UTC ms) for rules that depend on the date; set by the shell. */
void flow_set_wall(struct flow *f, int64_t wall_ms);
/* Handles one event; appends actions to out (which the caller zeroes). */
void flow_handle(struct flow *f, const struct flow_event *ev, int64_t now, struct flow_out *out);
/* A counter the flow moves whenever something the screens show may have changed: every
 * event but a tick, and a tick that changed a screen, the prompt, the view or the card
 * payments' state.  The shell redraws when it moved (and when the clock it shows does). */
uint64_t flow_changes(const struct flow *f);
/* Milliseconds until the flow needs a tick (for the shell's sleep); -1: none pending. */
int64_t flow_next_deadline(const struct flow *f, int64_t now);

#define FLOW_CARDS_GRACE_MS 3000
/* Why the kiosk cannot take payments now, as a strings key (staff put it out of service
 * for a reason, or card payments unavailable for FLOW_CARDS_GRACE_MS); NULL when it can.  Attract's full
 * out-of-service screen and its voice say it. */
const char *flow_oos_why_key(const struct flow *f);

const char *screen_name(enum screen_id id);
int screen_parse(const char *name); /* -1 when unknown */

/* Views of the flow's state for the screens, the voice and the services. */
/* The contact as given ("+7XXXXXXXXXX" or the e-mail) into buf; "" when none was given
 * before the card. */
void flow_ereceipt_contact(const struct flow *f, char *buf, size_t cap);
/* FE_STAFF_STATE on any screen. */
void flow_staff_state(struct flow *f, const struct flow_event *ev);
/* When a typed account's lock (error.account_locked) ends, local time: "10:15" today,
 * "21.11.2026 00:05" on another day. */
const char *flow_lock_until(const struct flow *f, char *buf, size_t cap);
/* The typed digits as kopecks; -1 when they are not digits or exceed MONEY_MAX (a keypad
 * caps the digits long before, but the value is checked, not assumed). */
kopecks flow_typed_kopecks(const char *digits);
/* Readings window: is the local day of wall_ms (kiosk/base/tz.h) inside [from, to]? */
bool flow_readings_open(const struct flow *f);
/* 0 ok; 1 lower than the last reading without a confirmed rollover; 2 above the meter's
 * plausibility limit without a second confirmation. */
int flow_reading_check(const struct account_meter *m, const struct flow_reading *r);

#endif
