/* The screen table: id, stable name (docs/screens.md), timeout, enter and event handlers.
 * The resident's payment and readings screens live in flow_pay.c and flow_readings.c. */
#include "kiosk/flow/flow_internal.h"

#include <string.h>

static void attract_event(struct flow *f, const struct flow_event *ev, struct flow_out *out, int64_t now)
{
	if (flow_staff_attract(f, ev, out, now))
		return;
	if (flow_tapped(ev, "help")) {
		flow_go(f, SCREEN_HELP, out, now);
	} else if (flow_tapped(ev, "pay_bill")) {
		if (f->pinpad_ok)
			flow_go(f, SCREEN_SCAN, out, now);
	} else if (flow_tapped(ev, "submit_readings")) {
		f->s.readings_mode = true;
		flow_go(f, SCREEN_SCAN, out, now);
	} else if (ev->type == FE_SCAN) {
		/* The scanner is live on attract: a bill held up opens its account (paying it
		 * needs the card terminal; readings do not). */
		f->s.readings_mode = false;
		flow_go(f, SCREEN_SCAN, out, now);
		flow_screen(SCREEN_SCAN)->event(f, ev, out, now);
	}
}

const char *flow_oos_why_key(const struct flow *f)
{
	static const struct { const char *reason, *key; } why[] = {
		{ "maintenance", "oos.why.maintenance" }, { "no_paper", "oos.why.no_paper" },
		{ "pinpad", "oos.why.pinpad" }, { "network", "oos.why.network" },
	};
	if (f->staff.out_of_service) {
		for (size_t i = 0; i < sizeof why / sizeof why[0]; i++)
			if (strcmp(f->staff.reason, why[i].reason) == 0)
				return why[i].key;
		return "oos.why.maintenance";
	}
	return f->cards_down ? "oos.why.pinpad_down" : NULL;
}

static void help_event(struct flow *f, const struct flow_event *ev, struct flow_out *out, int64_t now)
{
	if (flow_tapped(ev, "back"))
		flow_go(f, SCREEN_ATTRACT, out, now);
	else if (flow_tapped(ev, "ask_question"))
		flow_open_request(f, 0, out, now);
	else if (flow_tapped(ev, "change_data"))
		flow_open_request(f, 1, out, now);
}

static const struct flow_screen home_screens[] = {
	{ .id = SCREEN_ATTRACT, .name = "attract", .event = attract_event },
	{ .id = SCREEN_HELP, .name = "help", .event = help_event },
	{ .id = SCREEN_COUNT },
};

const struct flow_screen *flow_screen(enum screen_id id)
{
	static const struct flow_screen *const tables[] = {
		home_screens, flow_pay_screens, flow_payment_screens, flow_readings_screens,
		flow_contact_screens, flow_history_screens, flow_staff_screens,
		flow_rdhist_screens,
	};
	for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
		for (const struct flow_screen *s = tables[t]; s->id != SCREEN_COUNT; s++)
			if (s->id == id)
				return s;
	return NULL;
}
