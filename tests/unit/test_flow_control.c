/* The control question's lock in the pure flow core: the tries and the lock's length come
 * from configuration (defaults 3 and 15 minutes), the center's own lock length wins, and
 * the lock's end is known as the wall clock will read it ("до 10:05"). */
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

#define WALL_1000 1795158000000LL  /* 2026-11-20 10:00 Moscow (07:00 UTC) */
#define WALL_2355 1795208100000LL  /* 2026-11-20 23:55 Moscow */

static void answer(struct flow_account_result r) { send((struct flow_event){ .type = FE_ACCOUNT, .payload = &r }); }

/* A typed account up to its control question; cfg's tries and lock as given (0: default). */
static void to_question(int attempts, int64_t lock_ms, int64_t wall)
{
	struct flow_config cfg = { .inactivity_ms = 60000, .prompt_ms = 20000, .lang = LANG_RU, .max_amount = 50000000,
				   .control_attempts = attempts, .control_lock_ms = lock_ms };
	now = 1000;
	flow_drive_wall = true; /* the lock's end is read on the wall clock */
	flow_init(&f, &cfg, now);
	f.online = true;
	f.pinpad_ok = true;
	flow_set_wall(&f, wall);
	tap("pay_bill");
	tap("enter_account");
	type("50012345");
	tap("key_ok");
	assert_true(emitted(FA_LOOKUP_ACCOUNT));
	struct flow_account_result r = { .status = LOOKUP_FOUND };
	strcpy(r.acct.pers_acc, "50012345");
	strcpy(r.acct.period, "2026-10");
	answer(r);
	assert_int_equal(f.screen, SCREEN_CONTROL_QUESTION);
}

static void wrong(int center_left)
{
	type("1000");
	tap("key_ok");
	assert_true(emitted(FA_VERIFY_ANSWER));
	answer((struct flow_account_result){ .status = LOOKUP_WRONG_ANSWER, .attempts_left = center_left });
}

static void test_defaults(void **st)
{
	(void)st;
	to_question(0, 0, WALL_1000);
	assert_int_equal(f.s.attempts_left, 3);
	wrong(5); /* the center allows more: this kiosk's count decides */
	assert_int_equal(f.s.attempts_left, 2);
	assert_string_equal(f.s.error_key, "error.wrong_answer");
	wrong(5);
	assert_int_equal(f.s.attempts_left, 1);
	assert_int_equal(f.screen, SCREEN_CONTROL_QUESTION);
	wrong(5);
	assert_int_equal(f.screen, SCREEN_ENTER_ACCOUNT);
	assert_string_equal(f.s.error_key, "error.account_locked");
	char b[32];
	assert_string_equal(flow_lock_until(&f, b, sizeof b), "10:15");
}

static void test_configured(void **st)
{
	(void)st;
	to_question(2, 5 * 60 * 1000, WALL_1000);
	assert_int_equal(f.s.attempts_left, 2);
	wrong(2);
	assert_int_equal(f.s.attempts_left, 1);
	assert_int_equal(f.screen, SCREEN_CONTROL_QUESTION);
	wrong(1);
	assert_int_equal(f.screen, SCREEN_ENTER_ACCOUNT);
	assert_string_equal(f.s.error_key, "error.account_locked");
	char b[32];
	assert_string_equal(flow_lock_until(&f, b, sizeof b), "10:05");
	int64_t until = f.s.lock_until_wall_ms;
	/* Typed again while locked: refused, and the same end is named. */
	now += 4 * 60 * 1000;
	f.wall_ms += 4 * 60 * 1000;
	tap("key_ok");
	assert_false(emitted(FA_LOOKUP_ACCOUNT));
	type("50012345");
	tap("key_ok");
	assert_false(emitted(FA_LOOKUP_ACCOUNT));
	assert_string_equal(f.s.error_key, "error.account_locked");
	assert_true(f.s.lock_until_wall_ms == until);
	assert_string_equal(flow_lock_until(&f, b, sizeof b), "10:05");
	/* After five minutes the account may be typed again. */
	now += 60 * 1000;
	f.wall_ms += 60 * 1000;
	tap("key_ok");
	assert_true(emitted(FA_LOOKUP_ACCOUNT));
}

static void test_center_lock_wins(void **st)
{
	(void)st;
	to_question(3, 5 * 60 * 1000, WALL_1000);
	type("1000");
	tap("key_ok");
	answer((struct flow_account_result){ .status = LOOKUP_LOCKED, .retry_after_s = 900 });
	assert_int_equal(f.screen, SCREEN_ENTER_ACCOUNT);
	char b[32];
	assert_string_equal(flow_lock_until(&f, b, sizeof b), "10:15");
	/* Without a length from the center: the configured one. */
	to_question(3, 5 * 60 * 1000, WALL_1000);
	type("1000");
	tap("key_ok");
	answer((struct flow_account_result){ .status = LOOKUP_LOCKED });
	assert_string_equal(flow_lock_until(&f, b, sizeof b), "10:05");
}

static void test_lock_past_midnight(void **st)
{
	(void)st;
	to_question(1, 15 * 60 * 1000, WALL_2355);
	wrong(2);
	assert_string_equal(f.s.error_key, "error.account_locked");
	char b[32];
	assert_string_equal(flow_lock_until(&f, b, sizeof b), "21.11.2026 00:10");
}

int main(void)
{
	test_zone("Europe/Moscow");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_configured),
		cmocka_unit_test(test_center_lock_wins),
		cmocka_unit_test(test_lock_past_midnight),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
