/* The screen table: id, stable name (docs/screens.md), timeout, enter and event handlers. */
#include "kiosk/flow.h"

static void attract_event(struct flow *f, const struct flow_event *ev, struct flow_out *out, int64_t now)
{
	if (flow_tapped(ev, "help"))
		flow_go(f, SCREEN_HELP, out, now);
}

static void help_event(struct flow *f, const struct flow_event *ev, struct flow_out *out, int64_t now)
{
	if (flow_tapped(ev, "back"))
		flow_go(f, SCREEN_ATTRACT, out, now);
}

static const struct flow_screen screens[SCREEN_COUNT] = {
	[SCREEN_ATTRACT] = { .id = SCREEN_ATTRACT, .name = "attract",
			     .event = attract_event },
	[SCREEN_HELP] = { .id = SCREEN_HELP, .name = "help", .event = help_event },
};

const struct flow_screen *flow_screen(enum screen_id id)
{
	return (unsigned)id < SCREEN_COUNT ? &screens[id] : NULL;
}
