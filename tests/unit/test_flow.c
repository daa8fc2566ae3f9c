/* The flow core with a fake clock: navigation, global switches, inactivity prompt and
 * return to attract, staff hold, busy suppression. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "kiosk/flow/flow_internal.h"

static struct flow f;
static struct flow_out out;
static int64_t now;

static void setup_flow(void)
{
	struct flow_config cfg = { .inactivity_ms = 60000, .prompt_ms = 20000, .lang = LANG_RU };
	now = 1000000;
	flow_init(&f, &cfg, now);
}

static void tap_held(const char *id, int64_t held)
{
	memset(&out, 0, sizeof out);
	struct flow_event ev = { .type = FE_TAP, .widget = id, .held_ms = held };
	flow_handle(&f, &ev, now, &out);
	assert_int_equal(out.dropped, 0); /* a full action queue is a bug */
}

static void tap(const char *id) { tap_held(id, 0); }

static void tick_after(int64_t ms)
{
	now += ms;
	memset(&out, 0, sizeof out);
	struct flow_event ev = { .type = FE_TICK };
	flow_handle(&f, &ev, now, &out);
	assert_int_equal(out.dropped, 0); /* a full action queue is a bug */
}

static bool emitted(enum flow_action_type t)
{
	for (int i = 0; i < out.n; i++)
		if (out.a[i].type == t)
			return true;
	return false;
}

static void test_navigation(void **st)
{
	(void)st;
	setup_flow();
	assert_int_equal(f.screen, SCREEN_ATTRACT);
	tap("help");
	assert_int_equal(f.screen, SCREEN_HELP);
	assert_true(emitted(FA_SCREEN_CHANGED));
	tap("back");
	assert_int_equal(f.screen, SCREEN_ATTRACT);
	tap("help");
	tap("home");
	assert_int_equal(f.screen, SCREEN_ATTRACT);
	assert_true(emitted(FA_WIPE_SESSION));
	tap("nonexistent");
	assert_int_equal(f.screen, SCREEN_ATTRACT);
	assert_string_equal(screen_name(SCREEN_HELP), "help");
	assert_int_equal(screen_parse("attract"), SCREEN_ATTRACT);
	assert_int_equal(screen_parse("nope"), -1);
}

static void test_switches(void **st)
{
	(void)st;
	setup_flow();
	tap("lang");
	assert_int_equal(f.lang, LANG_EN);
	tap("lang");
	assert_int_equal(f.lang, LANG_RU);
	tap("large_text");
	tap("contrast");
	assert_true(f.large_text && f.high_contrast);
	tap("lang");
	tap("help");
	/* The same resident going home keeps their view; a timeout resets it. */
	tap("home");
	assert_true(f.large_text && f.high_contrast);
	assert_int_equal(f.lang, LANG_EN);
	tap("help");
	tick_after(60000);
	tick_after(20000);
	assert_int_equal(f.screen, SCREEN_ATTRACT);
	assert_false(f.large_text || f.high_contrast);
	assert_int_equal(f.lang, LANG_RU);
}

static void test_inactivity(void **st)
{
	(void)st;
	setup_flow();
	tap("help");
	assert_int_equal(flow_next_deadline(&f, now), 60000);
	tick_after(59999);
	assert_int_equal(f.prompt_since_ms, 0);
	tick_after(1);
	assert_int_equal(f.prompt_since_ms, now);
	assert_int_equal(f.screen, SCREEN_HELP);
	assert_int_equal(flow_next_deadline(&f, now), 20000);
	/* "Yes, continue" keeps the screen and restarts the clock. */
	tap("still_here");
	assert_int_equal(f.prompt_since_ms, 0);
	assert_int_equal(f.screen, SCREEN_HELP);
	tick_after(60000);
	assert_true(f.prompt_since_ms != 0);
	tick_after(19999);
	assert_int_equal(f.screen, SCREEN_HELP);
	tick_after(1);
	assert_int_equal(f.screen, SCREEN_ATTRACT);
	assert_true(emitted(FA_WIPE_SESSION));
}

/* The redraw counter: every event but a tick moves it; a tick moves it only when it changed
 * what the screens show (the prompt, a screen, the view, the card payments' state), so a
 * screen at rest is not redrawn 20 times a second. */
/* Typed money: digits only, checked against MONEY_MAX and int64 (never assumed from the
 * keypad's digit cap). */
static void test_typed_kopecks(void **st)
{
	(void)st;
	assert_int_equal(flow_typed_kopecks(""), 0);
	assert_int_equal(flow_typed_kopecks("452316"), 452316);
	assert_true(flow_typed_kopecks("2305843009213693951") == MONEY_MAX);
	assert_int_equal(flow_typed_kopecks("2305843009213693952"), -1);   /* MONEY_MAX + 1 */
	assert_int_equal(flow_typed_kopecks("99999999999999999999"), -1);  /* past int64 */
	assert_int_equal(flow_typed_kopecks("12a"), -1);
}

static void test_changes(void **st)
{
	(void)st;
	setup_flow();
	uint64_t c = flow_changes(&f);
	assert_true(c > 0);
	tap("help");
	assert_true(flow_changes(&f) > c);
	c = flow_changes(&f);
	for (int i = 0; i < 100; i++)
		tick_after(500); /* 50 s of quiet ticks */
	assert_int_equal(flow_changes(&f), c);
	tick_after(10000); /* the prompt appears */
	assert_true(f.prompt_since_ms != 0);
	assert_true(flow_changes(&f) > c);
	c = flow_changes(&f);
	tick_after(1000);
	assert_int_equal(flow_changes(&f), c);
	tick_after(19000); /* back to attract */
	assert_int_equal(f.screen, SCREEN_ATTRACT);
	assert_true(flow_changes(&f) > c);
	c = flow_changes(&f);
	/* The PIN-pad lost: nothing to show during the grace, then attract says so. */
	memset(&out, 0, sizeof out);
	flow_handle(&f, &(struct flow_event){ .type = FE_PINPAD_STATUS, .code = 1 }, now, &out);
	flow_handle(&f, &(struct flow_event){ .type = FE_PINPAD_STATUS, .code = 0 }, now, &out);
	c = flow_changes(&f);
	tick_after(FLOW_CARDS_GRACE_MS - 1);
	assert_int_equal(flow_changes(&f), c);
	tick_after(1);
	assert_true(f.cards_down);
	assert_true(flow_changes(&f) > c);
	/* The attract's quiet reset of the view is a change too. */
	tap("large_text");
	c = flow_changes(&f);
	tick_after(60000);
	assert_false(f.large_text);
	assert_true(flow_changes(&f) > c);
}

static void test_attract_resets_quietly(void **st)
{
	(void)st;
	setup_flow();
	tap("lang");
	tap("large_text");
	tick_after(60000);
	assert_int_equal(f.prompt_since_ms, 0); /* no prompt on attract */
	assert_int_equal(f.lang, LANG_RU);
	assert_false(f.large_text);
}

static void test_busy_never_times_out(void **st)
{
	(void)st;
	setup_flow();
	tap("help");
	f.busy = true;
	assert_int_equal(flow_next_deadline(&f, now), -1);
	tick_after(600000);
	assert_int_equal(f.screen, SCREEN_HELP);
	assert_int_equal(f.prompt_since_ms, 0);
	f.busy = false;
	/* The idle clock starts when the operation ends, not before. */
	tick_after(59000);
	assert_int_equal(f.prompt_since_ms, 0);
}

static void test_staff_hold(void **st)
{
	(void)st;
	setup_flow();
	tap_held("staff_entry", 2999);
	assert_false(emitted(FA_STAFF_ENTRY));
	tap_held("staff_entry", 3000);
	assert_true(emitted(FA_STAFF_ENTRY));
	tap("help");
	tap_held("staff_entry", 5000);
	assert_false(emitted(FA_STAFF_ENTRY)); /* only from attract */
}

static void test_status_events(void **st)
{
	(void)st;
	setup_flow();
	struct flow_event ev = { .type = FE_CENTER_STATUS, .code = 1 };
	flow_handle(&f, &ev, now, &out);
	assert_int_equal(out.dropped, 0); /* a full action queue is a bug */
	assert_true(f.online);
	ev = (struct flow_event){ .type = FE_PINPAD_STATUS, .code = 0 };
	flow_handle(&f, &ev, now, &out);
	assert_int_equal(out.dropped, 0); /* a full action queue is a bug */
	assert_false(f.pinpad_ok);
}

static void test_full_action_queue_is_counted(void **st)
{
	(void)st;
	struct flow_out full = { 0 };
	for (int i = 0; i < FLOW_MAX_ACTIONS + 2; i++)
		flow_emit(&full, FA_SCREEN_CHANGED, i);
	assert_int_equal(full.n, FLOW_MAX_ACTIONS);
	assert_int_equal(full.dropped, 2);
	assert_int_equal(full.a[FLOW_MAX_ACTIONS - 1].arg, FLOW_MAX_ACTIONS - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_navigation),
		cmocka_unit_test(test_switches),
		cmocka_unit_test(test_inactivity),
		cmocka_unit_test(test_typed_kopecks),
		cmocka_unit_test(test_changes),
		cmocka_unit_test(test_attract_resets_quietly),
		cmocka_unit_test(test_busy_never_times_out),
		cmocka_unit_test(test_staff_hold),
		cmocka_unit_test(test_status_events),
		cmocka_unit_test(test_full_action_queue_is_counted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
