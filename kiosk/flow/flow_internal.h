#ifndef KIOSK_FLOW_INTERNAL_H
#define KIOSK_FLOW_INTERNAL_H
/* Internal to the flow files (kiosk/flow/flow*.c) and their unit tests: the screen table, the
 * screens' entry points into each other, and the helpers that emit actions and move between
 * screens.  The shell and the ui use flow.h only. */
#include "kiosk/flow/flow.h"

/* The screen table. */
struct flow_screen {
	enum screen_id id;
	const char *name;
	int timeout_s;       /* 0: the configured default; -1: never times out */
	void (*enter)(struct flow *f, struct flow_out *out, int64_t now);
	void (*event)(struct flow *f, const struct flow_event *ev, struct flow_out *out, int64_t now);
};
const struct flow_screen *flow_screen(enum screen_id id);
/* The screen tables of the flow files. */
extern const struct flow_screen flow_pay_screens[];
extern const struct flow_screen flow_payment_screens[]; /* confirm, payment, result */
extern const struct flow_screen flow_readings_screens[];
extern const struct flow_screen flow_contact_screens[];
void flow_open_ereceipt(struct flow *f, struct flow_out *out, int64_t now);
/* From `confirm` when cfg.ereceipt_first: the contact is kept for the payment, not queued. */
void flow_open_ereceipt_first(struct flow *f, struct flow_out *out, int64_t now);
void flow_open_request(struct flow *f, int kind, struct flow_out *out, int64_t now);
extern const struct flow_screen flow_history_screens[];
/* The account screen's history and bill-copy buttons (flow_history.c); true when handled. */
bool flow_history_account_tap(struct flow *f, const struct flow_event *ev, struct flow_out *out, int64_t now);
extern const struct flow_screen flow_staff_screens[];
extern const struct flow_screen flow_rdhist_screens[];
/* The readings screen's history button (flow_rdhist.c); true when handled. */
bool flow_rdhist_readings_tap(struct flow *f, const struct flow_event *ev, struct flow_out *out, int64_t now);
/* Attract's staff part: a staff card scan, and refusing residents while out of service.
 * True when the event was consumed. */
bool flow_staff_attract(struct flow *f, const struct flow_event *ev, struct flow_out *out, int64_t now);
/* Keypad helpers: ATM-style money entry (digits fill from the right). */
bool flow_keypad_digit(const struct flow_event *ev, char *buf, size_t cap, size_t max_digits);
/* The on-screen keyboard: a tap on kb_<key> (kb_a, kb_u0439, kb_space, kb_del) edits buf,
 * keeping at most max_chars characters; true when the event was a keyboard tap. */
bool flow_keyboard_tap(const struct flow_event *ev, char *buf, size_t cap, size_t max_chars);
bool flow_valid_email(const char *s);
void flow_start_readings(struct flow *f, struct flow_out *out, int64_t now);
/* Back or home during an account lookup (the center may take up to 10 s): the resident
 * changed their mind.  The lookup is dropped (FA_LOOKUP_CANCEL: its answer is not shown) and
 * the tap then does what it always does. */
void flow_lookup_leave(struct flow *f, const struct flow_event *ev, struct flow_out *out);
void flow_go(struct flow *f, enum screen_id to, struct flow_out *out, int64_t now);
/* Appends an action with an empty payload; NULL when the queue is full (counted in
 * out->dropped: a bug the shell logs and the tests assert against). */
struct flow_action *flow_emit(struct flow_out *out, enum flow_action_type type, int arg);
struct flow_action *flow_emit2(struct flow_out *out, enum flow_action_type type, int arg, int arg2);
/* The actions with a payload (flow_actions.c): each copies what the shell needs. */
void flow_emit_lookup(struct flow *f, struct flow_out *out, enum flow_action_type type);
void flow_emit_pay(struct flow *f, struct flow_out *out);
void flow_emit_txn(struct flow *f, struct flow_out *out, enum flow_action_type type);
void flow_emit_readings(struct flow *f, struct flow_out *out);
void flow_emit_ereceipt(struct flow *f, struct flow_out *out);
void flow_emit_request(struct flow *f, struct flow_out *out);
void flow_emit_bill(struct flow *f, struct flow_out *out);
void flow_emit_staff(struct flow *f, struct flow_out *out, int op);
bool flow_tapped(const struct flow_event *ev, const char *widget);

#endif
