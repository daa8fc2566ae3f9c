/* The script parser: every command, and clear errors for malformed lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "kiosk/shell/script.h"

static void test_all_commands(void **st)
{
	(void)st;
	struct script s;
	char err[256];
	const char *text =
		"# a comment\n"
		"\n"
		"scan text:ST00012|Name=ООО|Sum=100\n"
		"scan hex:5354ff00\n"
		"tap pay_bill\n"
		"hold staff_entry 3\n"
		"type 125,5\n"
		"wait account 2.5\n"
		"wait attract\n"
		"expect Оплатить квитанцию\n"
		"advance 61\n"
		"shot out/a.png\n"
		"db SELECT count(*) FROM journal WHERE state='CONFIRMED' => 1\n"
		"synced 30\n"
		"synced\n"
		"pinpad decline=51 delay_ms=0\n"
		"   tap   back   \n"
		"expect-speech К оплате: четыре тысячи рублей\n";
	assert_int_equal(script_parse(text, &s, err, sizeof err), 0);
	assert_int_equal(s.n, 16);
	assert_int_equal(s.cmds[0].op, SCRIPT_SCAN);
	assert_int_equal(s.cmds[0].line, 3);
	assert_int_equal(s.cmds[0].len, strlen("ST00012|Name=ООО|Sum=100"));
	assert_memory_equal(s.cmds[1].data, "\x53\x54\xff\x00", 4);
	assert_int_equal(s.cmds[1].len, 4);
	assert_string_equal(s.cmds[2].arg, "pay_bill");
	assert_int_equal(s.cmds[3].ms, 3000);
	assert_string_equal(s.cmds[4].arg, "125,5"); /* the comma is key_comma */
	assert_int_equal(s.cmds[5].ms, 2500);
	assert_int_equal(s.cmds[6].ms, -1);
	assert_string_equal(s.cmds[7].arg, "Оплатить квитанцию");
	assert_int_equal(s.cmds[8].ms, 61000);
	assert_string_equal(s.cmds[10].arg, "SELECT count(*) FROM journal WHERE state='CONFIRMED'");
	assert_string_equal(s.cmds[10].expected, "1");
	assert_int_equal(s.cmds[11].ms, 30000);
	assert_int_equal(s.cmds[12].ms, -1);
	assert_string_equal(s.cmds[13].arg, "decline=51 delay_ms=0");
	assert_string_equal(s.cmds[14].arg, "back");
	assert_int_equal(s.cmds[14].line, 17);
	assert_int_equal(s.cmds[15].op, SCRIPT_EXPECT_SPEECH);
	assert_string_equal(s.cmds[15].arg, "К оплате: четыре тысячи рублей");
	assert_string_equal(script_op_name(SCRIPT_EXPECT_SPEECH), "expect-speech");
	script_free(&s);
}

static void expect_err(const char *text, const char *want)
{
	struct script s;
	char err[256];
	assert_int_equal(script_parse(text, &s, err, sizeof err), -1);
	if (strcmp(err, want) != 0)
		fail_msg("got '%s', want '%s'", err, want);
}

static void test_errors(void **st)
{
	(void)st;
	expect_err("tap a\nfly away\n", "script:2: unknown command: fly");
	expect_err("tap\n", "script:1: missing argument to: tap");
	expect_err("expect-speech\n", "script:1: missing argument to: expect-speech");
	expect_err("expect-speech   \n", "script:1: missing argument to: expect-speech");
	expect_err("expect_speech a\n", "script:1: unknown command: expect_speech");
	expect_err("tap a b\n", "script:1: tap takes one widget id: a b");
	expect_err("hold staff_entry\n", "script:1: hold needs WIDGET_ID SECONDS");
	expect_err("hold x 3s\n", "script:1: bad number of seconds: 3s");
	expect_err("type 12a\n", "script:1: type takes digits and ',' only: 12a");
	expect_err("wait x -1\n", "script:1: bad number of seconds: -1");
	expect_err("advance\n", "script:1: advance needs SECONDS: ");
	expect_err("advance 1.2345\n", "script:1: advance needs SECONDS: 1.2345");
	expect_err("db SELECT 1\n", "script:1: db needs SQL => EXPECTED");
	expect_err("db => 1\n", "script:1: db: empty SQL");
	expect_err("scan 12345\n", "script:1: scan needs text:PAYLOAD or hex:HEX");
	expect_err("scan hex:abc\n", "script:1: scan hex: needs an even number of hex digits");
	expect_err("scan hex:zz\n", "script:1: scan hex: not a hex digit");
	expect_err("synced soon\n", "script:1: synced takes [SECONDS]: soon");
	expect_err("\n\n\nexpect\n", "script:4: missing argument to: expect");
}

static void test_seconds(void **st)
{
	(void)st;
	assert_int_equal(script_parse_seconds("0"), 0);
	assert_int_equal(script_parse_seconds("0.5"), 500);
	assert_int_equal(script_parse_seconds("2.25"), 2250);
	assert_int_equal(script_parse_seconds("86400"), 86400000);
	assert_int_equal(script_parse_seconds("31622400"), 31622400000LL);
	assert_int_equal(script_parse_seconds("31622401"), -1);
	assert_int_equal(script_parse_seconds("1."), -1);
	assert_int_equal(script_parse_seconds(".5"), -1);
	assert_int_equal(script_parse_seconds(""), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_commands),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_seconds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
