/* The meter readings history: a button on the readings screen and a screen listing, per
 * meter, the readings of the last months with a period filter.  Shown only with the same
 * proof as the payment history (a scanned bill, or a typed number after the right control
 * answer); the answer lives in the session, wiped on attract like everything personal. */
#include <string.h>

#include "kiosk/flow/flow_internal.h"

static bool may_see(const struct flow *f)
{
	return f->s.acct.details || f->s.acct_from_bill;
}

bool flow_rdhist_readings_tap(struct flow *f, const struct flow_event *ev, struct flow_out *out, int64_t now)
{
	if (!flow_tapped(ev, "readings_history"))
		return false;
	if (may_see(f) && f->s.acct.nmeters > 0)
		flow_go(f, SCREEN_READINGS_HISTORY, out, now);
	return true;
}

static void rdhist_enter(struct flow *f, struct flow_out *out, int64_t now)
{
	(void)now;
	memset(&f->s.rdhist, 0, sizeof f->s.rdhist);
	f->s.rdhist_months = PAYHIST_MONTHS;
	f->s.rdhist_loading = true;
	flow_emit_lookup(f, out, FA_LOOKUP_RDHIST);
}

static void rdhist_event(struct flow *f, const struct flow_event *ev, struct flow_out *out, int64_t now)
{
	if (ev->type == FE_RDHIST) {
		if (!f->s.rdhist_loading || !ev->payload)
			return;
		f->s.rdhist = *(const struct rdhist *)ev->payload;
		f->s.rdhist_loading = false;
	} else if (flow_tapped(ev, "period_3")) {
		f->s.rdhist_months = 3;
	} else if (flow_tapped(ev, "period_6")) {
		f->s.rdhist_months = 6;
	} else if (flow_tapped(ev, "period_12")) {
		f->s.rdhist_months = 12;
	} else if (flow_tapped(ev, "back")) {
		f->s.rdhist_loading = false;
		memset(&f->s.rdhist, 0, sizeof f->s.rdhist);
		flow_go(f, SCREEN_READINGS, out, now);
	}
}

const struct flow_screen flow_rdhist_screens[] = {
	{ .id = SCREEN_READINGS_HISTORY, .name = "readings_history", .enter = rdhist_enter, .event = rdhist_event },
	{ .id = SCREEN_COUNT },
};
