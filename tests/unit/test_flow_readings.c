/* Readings in the pure flow core: values typed as people write them (a whole part, the
 * comma key, the meter's decimals), the exact value kept, a lower value asked as a
 * rollover with «Нет, исправить» (fix_<id>) first, the plausibility question. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "kiosk/flow/flow.h"
#include "tests/lib/flow_drive.h"
#include "tests/lib/test_zone.h"

static void del(int n)
{
	while (n-- > 0)
		tap("key_del");
}

static void meter(struct account_meter *m, const char *id, int digits, int decimals, int64_t last, int64_t max)
{
	snprintf(m->id, sizeof m->id, "%s", id);
	m->digits = digits;
	m->decimals = decimals;
	m->last_value_milli = last;
	m->max_monthly_milli = max;
}

/* The demo's 50098765: day and night electricity, 6 digits and 1 decimal; and a water
 * meter of 5 digits and 3 decimals. */
static void open_readings(void)
{
	struct flow_config cfg = { .inactivity_ms = 60000, .prompt_ms = 20000, .lang = LANG_RU,
				   .max_amount = 50000000, .readings_from_day = 15, .readings_to_day = 25 };
	now = 1000;
	flow_init(&f, &cfg, now);
	f.online = true;
	f.pinpad_ok = true;
	flow_set_wall(&f, 1795165200000); /* 2026-11-20 12:00 Moscow */
	tap("submit_readings");
	assert_int_equal(f.screen, SCREEN_SCAN);
	struct flow_account_result r = { .status = LOOKUP_FOUND };
	strcpy(r.acct.pers_acc, "50098765");
	r.acct.details = true;
	r.acct.nmeters = 3;
	meter(&r.acct.meters[0], "m3", 6, 1, 10234500, 2000000);
	meter(&r.acct.meters[1], "m4", 6, 1, 4321000, 2000000);
	meter(&r.acct.meters[2], "w1", 5, 3, 123456, 30000);
	f.s.looking_up = true;
	send((struct flow_event){ .type = FE_ACCOUNT, .payload = &r });
	assert_int_equal(f.screen, SCREEN_READINGS);
	assert_int_equal(f.s.focus_meter, 0);
}

static void test_comma_entry(void **st)
{
	(void)st;
	open_readings();
	type("10240,5");
	assert_string_equal(f.s.readings[0].typed, "10240,5");
	type(",");  /* a second comma is ignored */
	type("7");  /* one decimal on this meter: refused */
	assert_string_equal(f.s.readings[0].typed, "10240,5");
	assert_true(f.s.reading_refused);
	tap("key_ok");
	assert_true(f.s.readings[0].entered);
	assert_int_equal(f.s.readings[0].value_milli, 10240500);
	assert_false(f.s.reading_refused);
	assert_int_equal(f.s.focus_meter, 1);
	/* A whole number needs no comma: 4400 is 4 400,0 kWh, not 440,0. */
	type("4400");
	tap("key_ok");
	assert_int_equal(f.s.readings[1].value_milli, 4400000);
	assert_int_equal(f.s.focus_meter, 2);
	/* Water: 5 digits before the comma, 3 after. */
	type("1234567");
	assert_string_equal(f.s.readings[2].typed, "12345");
	del(5);
	type("125,5");
	assert_string_equal(f.s.readings[2].typed, "125,5");
	del(2); /* back over the comma */
	assert_string_equal(f.s.readings[2].typed, "125");
	type("6,75");
	tap("key_ok");
	assert_int_equal(f.s.readings[2].value_milli, 1256750);
	assert_int_equal(flow_reading_check(&f.s.acct.meters[2], &f.s.readings[2]), 2); /* 1 133 m³ in a month */
	tap("send");
	assert_false(emitted(FA_SUBMIT_READINGS));
	tap("reading_w1");
	del(5);
	type("9");
	tap("send");
	assert_int_equal(f.s.readings[2].value_milli, 129000);
	assert_true(emitted(FA_SUBMIT_READINGS));
}

static void test_rollover_fix(void **st)
{
	(void)st;
	open_readings();
	/* Typed 1-2-5 the old way: 125 kWh, lower than 10 234,5: asked, not taken. */
	type("125");
	tap("key_ok");
	assert_true(f.s.readings[0].entered);
	assert_int_equal(f.s.readings[0].value_milli, 125000);
	assert_int_equal(flow_reading_check(&f.s.acct.meters[0], &f.s.readings[0]), 1);
	tap("send");
	assert_false(emitted(FA_SUBMIT_READINGS));
	/* «Нет, исправить»: the value goes, this meter is typed again. */
	tap("fix_m3");
	assert_int_equal(f.s.focus_meter, 0);
	assert_false(f.s.readings[0].entered);
	assert_string_equal(f.s.readings[0].typed, "");
	type("10250");
	tap("send");
	assert_true(emitted(FA_SUBMIT_READINGS));
	assert_int_equal(f.s.readings[0].value_milli, 10250000);
	assert_false(f.s.readings[0].confirm_rollover);
}

static void test_rollover_confirmed(void **st)
{
	(void)st;
	open_readings();
	tap("reading_m4");
	type("100");
	tap("key_ok");
	assert_int_equal(flow_reading_check(&f.s.acct.meters[1], &f.s.readings[1]), 1);
	tap("confirm_rollover_m4");
	/* 999 999,9 → 100: 995 779 kWh across zero, far above the limit: a second question. */
	assert_int_equal(flow_reading_check(&f.s.acct.meters[1], &f.s.readings[1]), 2);
	tap("confirm_jump_m4");
	assert_int_equal(flow_reading_check(&f.s.acct.meters[1], &f.s.readings[1]), 0);
	tap("send");
	assert_true(emitted(FA_SUBMIT_READINGS));
	assert_true(f.s.readings[1].confirm_rollover);
	/* fix_ on the other meter, or an unknown one, changes nothing here. */
	assert_false(f.s.readings[0].entered);
}

static void test_fix_other_meter_keeps_focus_value(void **st)
{
	(void)st;
	open_readings();
	type("50");
	tap("key_ok"); /* lower than 10 234,5 */
	type("4500,5");
	tap("fix_m3"); /* the night meter's value is kept (committed), the day meter retyped */
	assert_true(f.s.readings[1].entered);
	assert_int_equal(f.s.readings[1].value_milli, 4500500);
	assert_int_equal(f.s.focus_meter, 0);
	assert_false(f.s.readings[0].entered);
	tap("fix_nope");
	assert_int_equal(f.s.focus_meter, 0);
	/* A comma first reads "0,": zero, a value like any other (here lower than the last). */
	type(",");
	assert_string_equal(f.s.readings[0].typed, "0,");
	tap("key_ok");
	assert_true(f.s.readings[0].entered);
	assert_int_equal(f.s.readings[0].value_milli, 0);
	assert_int_equal(flow_reading_check(&f.s.acct.meters[0], &f.s.readings[0]), 1);
}

int main(void)
{
	test_zone("Europe/Moscow");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_comma_entry),
		cmocka_unit_test(test_rollover_fix),
		cmocka_unit_test(test_rollover_confirmed),
		cmocka_unit_test(test_fix_other_meter_keeps_focus_value),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
