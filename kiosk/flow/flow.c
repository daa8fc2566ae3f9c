/* The flow dispatcher: global controls, inactivity, then the current screen's handler. */
#include "kiosk/flow/flow_internal.h"

#include <string.h>

#define STAFF_HOLD_MS 3000

struct flow_action *flow_emit(struct flow_out *out, enum flow_action_type type, int arg)
{
	return flow_emit2(out, type, arg, 0);
}

struct flow_action *flow_emit2(struct flow_out *out, enum flow_action_type type, int arg, int arg2)
{
	if (out->n >= FLOW_MAX_ACTIONS) {
		out->dropped++;
		return NULL;
	}
	struct flow_action *a = &out->a[out->n++];
	memset(a, 0, sizeof *a);
	a->type = type;
	a->arg = arg;
	a->arg2 = arg2;
	return a;
}

bool flow_tapped(const struct flow_event *ev, const char *widget)
{
	return ev->type == FE_TAP && ev->widget && strcmp(ev->widget, widget) == 0;
}

const char *screen_name(enum screen_id id)
{
	const struct flow_screen *s = flow_screen(id);
	return s ? s->name : "?";
}

int screen_parse(const char *name)
{
	for (int i = 0; i < SCREEN_COUNT; i++)
		if (strcmp(flow_screen((enum screen_id)i)->name, name) == 0)
			return i;
	return -1;
}

void flow_init(struct flow *f, const struct flow_config *cfg, int64_t now)
{
	memset(f, 0, sizeof *f);
	f->changes = 1;
	f->cfg = *cfg;
	if (f->cfg.control_attempts <= 0)
		f->cfg.control_attempts = 3;
	if (f->cfg.control_lock_ms <= 0)
		f->cfg.control_lock_ms = 15 * 60 * 1000;
	f->lang = cfg->lang;
	f->speech_rate = cfg->speech_rate;
	f->speech_volume = cfg->speech_volume;
	f->screen = SCREEN_ATTRACT;
	f->pinpad_ok = !cfg->pinpad_unknown;
	f->last_input_ms = now;
	f->s.bill_sum = -1;
	f->s.open_service = -1;
	f->s.focus_meter = -1;
}

void flow_set_speech(struct flow *f, int rate, int volume)
{
	f->speech_rate = rate;
	f->speech_volume = volume;
	f->changes++;
}

void flow_set_wall(struct flow *f, int64_t wall_ms)
{
	f->wall_ms = wall_ms;
}

/* The next resident's view: default language, normal text, normal contrast. */
static void reset_view(struct flow *f)
{
	f->large_text = false;
	f->high_contrast = false;
	f->lang = f->cfg.lang;
	f->changes++;
}

static void wipe_session(struct flow *f, struct flow_out *out)
{
	/* Personal details live in the session part of struct flow; the shell wipes its own
	 * copies on FA_WIPE_SESSION.  The view (language, text size, contrast) stays while the
	 * same resident goes on; timeouts reset it. */
	memset(&f->s, 0, sizeof f->s);
	f->voice = false; /* the next resident may not want it */
	f->s.bill_sum = -1;
	f->s.open_service = -1;
	f->s.focus_meter = -1;
	flow_emit(out, FA_WIPE_SESSION, 0);
}

void flow_go(struct flow *f, enum screen_id to, struct flow_out *out, int64_t now)
{
	f->changes++;
	f->screen = to;
	f->prompt_since_ms = 0;
	if (to >= SCREEN_STAFF_LOGIN && to <= SCREEN_SERVICE_TOUCH)
		f->voice = false; /* staff screens are not spoken (a PIN is typed there) */
	f->last_input_ms = now;
	if (to == SCREEN_ATTRACT)
		wipe_session(f, out);
	const struct flow_screen *s = flow_screen(to);
	if (s->enter)
		s->enter(f, out, now);
	flow_emit(out, FA_SCREEN_CHANGED, (int)to);
}

static int64_t screen_timeout_ms(const struct flow *f)
{
	const struct flow_screen *s = flow_screen(f->screen);
	if (s->timeout_s < 0)
		return -1;
	return s->timeout_s ? (int64_t)s->timeout_s * 1000 : f->cfg.inactivity_ms;
}

/* Card payments down long enough to say so on attract: a start-up's handshake (or a
 * moment's reconnect) is not "out of service". */
static void cards_check(struct flow *f, int64_t now)
{
	if (!f->pinpad_ok && !f->cards_down && now - f->pinpad_down_ms >= FLOW_CARDS_GRACE_MS) {
		f->cards_down = true;
		f->changes++;
	}
}

static int64_t screen_deadline(const struct flow *f, int64_t now);

uint64_t flow_changes(const struct flow *f)
{
	return f->changes;
}

int64_t flow_next_deadline(const struct flow *f, int64_t now)
{
	int64_t t = screen_deadline(f, now);
	if (!f->pinpad_ok && !f->cards_down) {
		int64_t c = f->pinpad_down_ms + FLOW_CARDS_GRACE_MS - now;
		if (c < 0)
			c = 0;
		if (t < 0 || c < t)
			t = c;
	}
	return t;
}

static int64_t screen_deadline(const struct flow *f, int64_t now)
{
	if (f->busy)
		return -1;
	if (f->prompt_since_ms) {
		int64_t left = f->prompt_since_ms + f->cfg.prompt_ms - now;
		return left > 0 ? left : 0;
	}
	int64_t t = screen_timeout_ms(f);
	if (t < 0)
		return -1;
	int64_t left = f->last_input_ms + t - now;
	return left > 0 ? left : 0;
}

static void on_tick(struct flow *f, struct flow_out *out, int64_t now)
{
	cards_check(f, now);
	if (f->busy) {
		f->last_input_ms = now; /* the clock restarts when the operation ends */
		return;
	}
	if (f->prompt_since_ms) {
		if (now - f->prompt_since_ms >= f->cfg.prompt_ms) {
			reset_view(f);
			flow_go(f, SCREEN_ATTRACT, out, now);
		}
		return;
	}
	int64_t t = screen_timeout_ms(f);
	if (t < 0 || now - f->last_input_ms < t)
		return;
	if (f->screen == SCREEN_ATTRACT) {
		/* Nobody to ask: quietly return the next resident's defaults. */
		if (f->lang != f->cfg.lang || f->large_text || f->high_contrast)
			reset_view(f);
		f->last_input_ms = now;
		return;
	}
	f->prompt_since_ms = now;
	f->changes++;
}

/* Controls present on every screen. */
static bool global_tap(struct flow *f, const struct flow_event *ev, struct flow_out *out, int64_t now)
{
	if (flow_tapped(ev, "lang")) {
		f->lang = (enum lang)((f->lang + 1) % LANG_COUNT);
	} else if (flow_tapped(ev, "large_text")) {
		f->large_text = !f->large_text;
	} else if (flow_tapped(ev, "contrast")) {
		f->high_contrast = !f->high_contrast;
	} else if (flow_tapped(ev, "voice")) {
		if (f->cfg.voice_available && !(f->screen >= SCREEN_STAFF_LOGIN && f->screen <= SCREEN_SERVICE_TOUCH))
			f->voice = !f->voice;
	} else if (flow_tapped(ev, "home")) {
		if (f->busy)
			return true; /* never abandon a payment in flight */
		flow_go(f, SCREEN_ATTRACT, out, now);
	} else {
		return false;
	}
	return true;
}

void flow_handle(struct flow *f, const struct flow_event *ev, int64_t now, struct flow_out *out)
{
	/* Any event but a tick may change what is shown; a tick says so itself (on_tick). */
	if (ev->type != FE_TICK)
		f->changes++;
	switch (ev->type) {
	case FE_TICK:
		on_tick(f, out, now);
		return;
	case FE_CENTER_STATUS:
		f->online = ev->code != 0;
		return;
	case FE_PINPAD_STATUS:
		if (ev->code == 0 && f->pinpad_ok)
			f->pinpad_down_ms = now;
		f->pinpad_ok = ev->code != 0;
		if (f->pinpad_ok)
			f->cards_down = false;
		return;
	case FE_PRINTER_STATUS:
		f->printer_state = ev->code;
		return;
	case FE_STAFF_STATE:
		flow_staff_state(f, ev);
		return;
	case FE_TAP:
		f->last_input_ms = now;
		if (f->prompt_since_ms) {
			/* While the prompt shows only its own button (or any tap) continues. */
			f->prompt_since_ms = 0;
			if (flow_tapped(ev, "still_here"))
				return;
		}
		if (flow_tapped(ev, "staff_entry")) {
			if (f->screen == SCREEN_ATTRACT && ev->held_ms >= STAFF_HOLD_MS && !f->busy) {
				flow_emit(out, FA_STAFF_ENTRY, 0);
				flow_go(f, SCREEN_STAFF_LOGIN, out, now);
			}
			return;
		}
		flow_lookup_leave(f, ev, out);
		if (global_tap(f, ev, out, now))
			return;
		break;
	case FE_SCAN:
		f->last_input_ms = now;
		f->prompt_since_ms = 0;
		break;
	case FE_TOUCH:
		/* exploring is input: it keeps the session and answers the prompt */
		f->last_input_ms = now;
		f->prompt_since_ms = 0;
		return;
	case FE_ACCOUNT:
	case FE_PAY_PROGRESS:
	case FE_PAY_RESULT:
	case FE_PRINT_RESULT:
	case FE_READINGS_SAVED:
	case FE_QUEUED:
	case FE_HISTORY:
	case FE_RDHIST:
	case FE_STAFF_AUTH:
	case FE_STAFF_DATA:
	case FE_STAFF_DONE:
		f->last_input_ms = now; /* the resident is waiting for this: restart the clock */
		break;
	}
	const struct flow_screen *s = flow_screen(f->screen);
	if (s->event)
		s->event(f, ev, out, now);
}
