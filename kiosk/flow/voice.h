#ifndef KIOSK_VOICE_H
#define KIOSK_VOICE_H
/* What the kiosk says in voice mode (pure: no SDL, no audio; the shell speaks it through
 * ui/speech.h).  Built from the flow's state and the strings (`voice.*` keys), in the
 * resident's language:
 *
 *  - voice_follow(): what changed since it last looked, said — a new screen (its title and
 *    main facts in the order a person needs them), a language switch, an error and what to
 *    do, the lookup under way, the PIN-pad's prompts, the result with the amount in words,
 *    the receipt, a service's supplier lines, the inactivity warning; voice mode switched
 *    on or off.
 *  - voice_gate(): explore by touch.  In voice mode the first touch on a control says what
 *    it is (voice_control()); a second touch on the same control within VOICE_DOUBLE_MS
 *    activates it; touches while the inactivity prompt shows, and a held staff corner, go
 *    through as they are.
 *  - voice_key(): after the keypad typed, the digit and what has been typed so far.
 *
 * Personal data is said only where the screen shows it; the owner's masked name and address
 * are never said, and nothing of a typed account but its number before the control answer. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kiosk/conf/config.h"
#include "kiosk/flow/flow.h"

#define VOICE_TEXT_MAX 3072
#define VOICE_MAX_OUT 4
#define VOICE_DOUBLE_MS 2000
#define VOICE_ID_LEN 40

/* The strings: key -> text in language l (a missing key is the caller's to report). */
struct voice_ctx {
	const char *(*tr)(void *ud, enum lang l, const char *key);
	bool (*has)(void *ud, enum lang l, const char *key);
	void *ud;
	const struct config *cfg;   /* organisation, phones, office hours, agent */
};

struct voice_utt {
	bool cut;                   /* drop what is still being said first */
	char text[VOICE_TEXT_MAX];
};

struct voice_out {
	int n;
	struct voice_utt u[VOICE_MAX_OUT];
};

/* What voice_follow() saw last time. */
struct voice_seen {
	bool voice, prompt, looking_up, cancel_sent, ereceipt_sent, request_sent, large_text, high_contrast;
	bool history_loading, rdhist_loading, sending;
	enum screen_id screen;
	enum lang lang;
	int pay_progress, pay_outcome, print_status, open_service, focus_meter, checks;
	char txn[40];
	uint32_t error;             /* a hash of the error shown, 0: none */
};

void voice_follow(struct voice_seen *seen, const struct flow *f, const struct voice_ctx *c, struct voice_out *out);

/* The current screen said in full (the "say it again" of a touch on no control). */
void voice_screen(const struct flow *f, const struct voice_ctx *c, char *buf, size_t cap);

enum voice_touch { VOICE_PASS, VOICE_EXPLORE, VOICE_ACTIVATE };

struct voice_gate {
	char armed[VOICE_ID_LEN];   /* the control touched first */
	int64_t at_ms;
};

/* A touch on control ID (held HELD_MS) at NOW: what it does. */
enum voice_touch voice_gate(struct voice_gate *g, const struct flow *f, const char *id, int64_t held_ms, int64_t now);

/* What a control is: its spoken name (the strings' voice.w.ID, else LABEL as drawn, else
 * from the flow: a service, a meter, a basket line), its state (on, off, open, unavailable)
 * and how to use it. */
void voice_control(const struct flow *f, const struct voice_ctx *c, const char *id, const char *label, bool enabled,
		   char *buf, size_t cap);

/* After key ID (key_0..key_9, key_del) was activated: the digit and what is typed so far on
 * this screen; empty for any other control. */
void voice_key(const struct flow *f, const struct voice_ctx *c, const char *id, char *buf, size_t cap);

#endif
