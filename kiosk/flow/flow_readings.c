/* Meter readings: one keypad entry per meter, typed as people write it (whole part, comma,
 * the meter's decimals: kiosk/flow/numentry.h), validation against the previous value (a lower
 * value is asked about: «Нет, исправить» retypes it, or it is confirmed as a rollover) and
 * the plausibility limit (a second confirmation above it), inside the configured days. */
#include <stdio.h>
#include <string.h>

#include "kiosk/flow/flow_internal.h"
#include "kiosk/flow/numentry.h"
#include "kiosk/base/tz.h"

static int64_t pow10_i(int n)
{
	int64_t v = 1;
	while (n-- > 0)
		v *= 10;
	return v;
}

bool flow_readings_open(const struct flow *f)
{
	struct tz_civil c;
	tz_local(f->wall_ms, &c);
	return c.day >= f->cfg.readings_from_day && c.day <= f->cfg.readings_to_day;
}

void flow_start_readings(struct flow *f, struct flow_out *out, int64_t now)
{
	memset(f->s.readings, 0, sizeof f->s.readings);
	f->s.readings_saved = false;
	f->s.focus_meter = f->s.acct.nmeters > 0 ? 0 : -1;
	flow_go(f, SCREEN_READINGS, out, now);
}

/* Consumption since the last reading in thousandths, across a rollover when confirmed. */
static int64_t consumption(const struct account_meter *m, const struct flow_reading *r)
{
	if (r->value_milli >= m->last_value_milli)
		return r->value_milli - m->last_value_milli;
	int64_t span = pow10_i(m->digits) * 1000;
	return span - m->last_value_milli + r->value_milli;
}

int flow_reading_check(const struct account_meter *m, const struct flow_reading *r)
{
	if (r->value_milli < m->last_value_milli && !r->confirm_rollover)
		return 1;
	if (m->max_monthly_milli > 0 && consumption(m, r) > m->max_monthly_milli && !r->confirm_jump)
		return 2;
	return 0;
}

static int meter_index(const struct flow *f, const char *id)
{
	for (int i = 0; i < f->s.acct.nmeters; i++)
		if (strcmp(f->s.acct.meters[i].id, id) == 0)
			return i;
	return -1;
}

static void commit(struct flow *f, int i)
{
	const struct account_meter *m = &f->s.acct.meters[i];
	struct flow_reading *r = &f->s.readings[i];
	if (!r->typed[0])
		return;
	if (numentry_milli(r->typed, m->decimals, &r->value_milli) != 0)
		return; /* past what the keypad allows: never a wrapped or truncated value */
	r->entered = true;
	r->confirm_rollover = false;
	r->confirm_jump = false;
}

/* «Нет, исправить»: the value is typed again from scratch, this meter in focus. */
static void fix(struct flow *f, int i)
{
	if (f->s.focus_meter >= 0 && f->s.focus_meter != i)
		commit(f, f->s.focus_meter);
	memset(&f->s.readings[i], 0, sizeof f->s.readings[i]);
	f->s.focus_meter = i;
}

/* A keypad key for the focused meter: digits and a comma as the meter allows (its digits
 * before the comma, its decimals after).  True when it was a key the entry takes. */
static bool key(struct flow *f, const char *k)
{
	const struct account_meter *m = &f->s.acct.meters[f->s.focus_meter];
	struct flow_reading *r = &f->s.readings[f->s.focus_meter];
	int decimals = m->decimals < 0 ? 0 : m->decimals > 3 ? 3 : m->decimals;
	enum numentry_result res = numentry_key(r->typed, sizeof r->typed, k, m->digits > 0 ? m->digits : 1, decimals);
	if (res == NUMENTRY_NOT_KEY)
		return false;
	f->s.reading_refused = res == NUMENTRY_REFUSED;
	if (res == NUMENTRY_CHANGED)
		r->entered = false;
	return true;
}

static bool all_valid(const struct flow *f)
{
	int entered = 0;
	for (int i = 0; i < f->s.acct.nmeters; i++) {
		if (!f->s.readings[i].entered)
			continue;
		entered++;
		if (flow_reading_check(&f->s.acct.meters[i], &f->s.readings[i]) != 0)
			return false;
	}
	return entered > 0;
}

static void readings_event(struct flow *f, const struct flow_event *ev, struct flow_out *out, int64_t now)
{
	if (ev->type == FE_READINGS_SAVED) {
		f->busy = false;
		if (ev->code == 0) {
			f->s.readings_saved = true;
			f->s.print_status = -1;
			flow_go(f, SCREEN_READINGS_DONE, out, now);
			flow_emit(out, FA_PRINT_READINGS, 0);
		} else {
			snprintf(f->s.error_key, sizeof f->s.error_key, "error.store_failed");
		}
		return;
	}
	if (f->busy)
		return;
	if (ev->type == FE_TAP)
		f->s.reading_refused = false;
	if (flow_rdhist_readings_tap(f, ev, out, now))
		return;
	if (flow_tapped(ev, "back")) {
		flow_go(f, f->s.readings_mode ? SCREEN_SCAN : SCREEN_ACCOUNT, out, now);
		return;
	}
	if (!flow_readings_open(f) || f->s.acct.nmeters == 0)
		return;
	const char *w = ev->type == FE_TAP ? ev->widget : NULL;
	int i;
	if (w && strncmp(w, "reading_", 8) == 0 && (i = meter_index(f, w + 8)) >= 0) {
		if (f->s.focus_meter >= 0)
			commit(f, f->s.focus_meter);
		f->s.focus_meter = i;
	} else if (w && strncmp(w, "confirm_rollover_", 17) == 0 && (i = meter_index(f, w + 17)) >= 0) {
		f->s.readings[i].confirm_rollover = true;
	} else if (w && strncmp(w, "confirm_jump_", 13) == 0 && (i = meter_index(f, w + 13)) >= 0) {
		f->s.readings[i].confirm_jump = true;
	} else if (w && strncmp(w, "fix_", 4) == 0 && (i = meter_index(f, w + 4)) >= 0) {
		fix(f, i);
	} else if (f->s.focus_meter >= 0 && w && strncmp(w, "key_", 4) == 0 && key(f, w + 4)) {
		/* typed into the focused meter */
	} else if (flow_tapped(ev, "key_ok") && f->s.focus_meter >= 0) {
		int cur = f->s.focus_meter;
		commit(f, cur);
		/* Move on to the next meter without a value. */
		f->s.focus_meter = -1;
		for (int k = 1; k <= f->s.acct.nmeters; k++) {
			int j = (cur + k) % f->s.acct.nmeters;
			if (!f->s.readings[j].entered) {
				f->s.focus_meter = j;
				break;
			}
		}
	} else if (flow_tapped(ev, "send")) {
		if (f->s.focus_meter >= 0)
			commit(f, f->s.focus_meter);
		if (all_valid(f)) {
			f->busy = true;
			flow_emit_readings(f, out);
		}
	}
}

static void readings_done_event(struct flow *f, const struct flow_event *ev, struct flow_out *out, int64_t now)
{
	if (ev->type == FE_PRINT_RESULT)
		f->s.print_status = ev->code;
	else if (flow_tapped(ev, "done"))
		flow_go(f, SCREEN_ATTRACT, out, now);
}

const struct flow_screen flow_readings_screens[] = {
	{ .id = SCREEN_READINGS, .name = "readings", .event = readings_event },
	{ .id = SCREEN_READINGS_DONE, .name = "readings_done", .timeout_s = 45, .event = readings_done_event },
	{ .id = SCREEN_COUNT },
};
