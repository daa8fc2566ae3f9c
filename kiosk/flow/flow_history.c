/* The account's payment history and the printed copy of its bill: two buttons on the
 * account screen, a history screen with a period filter, and a screen that follows the
 * bill copy to the printer.  Both need the account's details: a scanned bill or a typed
 * number after the right control answer (the account screen is only reached that way;
 * the checks here keep it so). */
#include <string.h>

#include "kiosk/flow/flow_internal.h"

/* What proves the resident may see this account's payments. */
static bool may_see(const struct flow *f)
{
	return f->s.acct.details || f->s.acct_from_bill;
}

bool flow_history_account_tap(struct flow *f, const struct flow_event *ev, struct flow_out *out, int64_t now)
{
	if (flow_tapped(ev, "history")) {
		if (may_see(f) && !f->s.readings_mode)
			flow_go(f, SCREEN_HISTORY, out, now);
		return true;
	}
	if (flow_tapped(ev, "print_bill")) {
		/* The copy lists the services: only with the account's details. */
		if (f->s.acct.details && !f->s.readings_mode) {
			f->s.print_status = -1;
			flow_go(f, SCREEN_BILL_COPY, out, now);
			flow_emit_bill(f, out);
		}
		return true;
	}
	return false;
}

static void history_enter(struct flow *f, struct flow_out *out, int64_t now)
{
	(void)now;
	memset(&f->s.history, 0, sizeof f->s.history);
	f->s.history_months = PAYHIST_MONTHS;
	f->s.history_loading = true;
	flow_emit_lookup(f, out, FA_LOOKUP_HISTORY);
}

static void history_event(struct flow *f, const struct flow_event *ev, struct flow_out *out, int64_t now)
{
	if (ev->type == FE_HISTORY) {
		if (!f->s.history_loading || !ev->payload)
			return;
		f->s.history = *(const struct payhist *)ev->payload;
		f->s.history_loading = false;
	} else if (flow_tapped(ev, "period_3")) {
		f->s.history_months = 3;
	} else if (flow_tapped(ev, "period_6")) {
		f->s.history_months = 6;
	} else if (flow_tapped(ev, "period_12")) {
		f->s.history_months = 12;
	} else if (flow_tapped(ev, "back")) {
		f->s.history_loading = false;
		memset(&f->s.history, 0, sizeof f->s.history);
		flow_go(f, SCREEN_ACCOUNT, out, now);
	}
}

static void bill_copy_event(struct flow *f, const struct flow_event *ev, struct flow_out *out, int64_t now)
{
	if (ev->type == FE_PRINT_RESULT)
		f->s.print_status = ev->code;
	else if (flow_tapped(ev, "back"))
		flow_go(f, SCREEN_ACCOUNT, out, now);
	else if (flow_tapped(ev, "done"))
		flow_go(f, SCREEN_ATTRACT, out, now);
}

const struct flow_screen flow_history_screens[] = {
	{ .id = SCREEN_HISTORY, .name = "history", .enter = history_enter, .event = history_event },
	{ .id = SCREEN_BILL_COPY, .name = "bill_copy", .timeout_s = 45, .event = bill_copy_event },
	{ .id = SCREEN_COUNT },
};
