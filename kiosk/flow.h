#ifndef KIOSK_FLOW_H
#define KIOSK_FLOW_H
/* The flow core: a pure state machine, (state, event, now) -> (state', actions).
 * No SDL, curl, libusb or sqlite here: the shell (kiosk/main.c) feeds it events (taps,
 * scans, device and center reports, clock ticks) and performs the actions it returns.
 * Screens are table entries (flow_screens.c) with stable ids listed in docs/screens.md.
 *
 * Inactivity: after the screen's timeout without input the flow raises the "Вы ещё
 * здесь?" prompt; when the prompt times out it clears every personal detail and returns to
 * attract.  Never while f->busy (a payment or device operation in flight). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kiosk/lang.h"

enum screen_id {
	SCREEN_ATTRACT,
	SCREEN_HELP,
	SCREEN_COUNT
};

enum flow_event_type {
	FE_TAP,            /* a widget released after a press: widget, held_ms */
	FE_TICK,           /* time passed */
	FE_SCAN,           /* a scanned symbol: data, len */
	FE_CENTER_STATUS,  /* code: 1 online, 0 offline */
	FE_PINPAD_STATUS,  /* code: 1 ready, 0 unavailable */
};

struct flow_event {
	enum flow_event_type type;
	const char *widget;
	int64_t held_ms;
	const uint8_t *data;
	size_t len;
	int code;
};

enum flow_action_type {
	FA_SCREEN_CHANGED, /* arg: the new screen */
	FA_WIPE_SESSION,   /* personal details cleared (shell wipes its copies too) */
	FA_STAFF_ENTRY,    /* the hidden corner was held long enough */
};

struct flow_action {
	enum flow_action_type type;
	int arg;
};

#define FLOW_MAX_ACTIONS 8

struct flow_out {
	int n;
	struct flow_action a[FLOW_MAX_ACTIONS];
};

struct flow_config {
	int inactivity_ms;   /* default per-screen idle time before the prompt */
	int prompt_ms;       /* how long the prompt waits */
	enum lang lang;      /* the language attract returns to */
};

struct flow {
	struct flow_config cfg;
	enum screen_id screen;
	enum lang lang;
	bool large_text;
	bool high_contrast;
	bool online;         /* billing center reachable */
	bool pinpad_ok;
	bool busy;           /* payment or device operation in flight: no timeouts */
	int64_t last_input_ms;
	int64_t prompt_since_ms; /* 0: no prompt */
};

void flow_init(struct flow *f, const struct flow_config *cfg, int64_t now);
/* Handles one event; appends actions to out (which the caller zeroes). */
void flow_handle(struct flow *f, const struct flow_event *ev, int64_t now, struct flow_out *out);
/* Milliseconds until the flow needs a tick (for the shell's sleep); -1: none pending. */
int64_t flow_next_deadline(const struct flow *f, int64_t now);

const char *screen_name(enum screen_id id);
int screen_parse(const char *name); /* -1 when unknown */

/* Internal to the flow files: the screen table and helpers. */
struct flow_screen {
	enum screen_id id;
	const char *name;
	int timeout_s;       /* 0: the configured default; -1: never times out */
	void (*enter)(struct flow *f, struct flow_out *out, int64_t now);
	void (*event)(struct flow *f, const struct flow_event *ev, struct flow_out *out, int64_t now);
};
const struct flow_screen *flow_screen(enum screen_id id);
void flow_go(struct flow *f, enum screen_id to, struct flow_out *out, int64_t now);
void flow_emit(struct flow_out *out, enum flow_action_type type, int arg);
bool flow_tapped(const struct flow_event *ev, const char *widget);

#endif
