/* Staff screen lines (kiosk/flow/staff_lines): a keyed line built and split back, a plain line
 * left alone, values cut at the line's size; log lines taken apart into time, level,
 * module/event and readable pairs, and what is not a log line refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "drivers/pinpad_service.h"
#include "kiosk/flow/staff_lines.h"
#include "kiosk/svc/svc_staff_lines.h"

static void test_keyed(void **st)
{
	(void)st;
	char line[128], key[48], scratch[128];
	const char *v[STAFF_LINE_VALS];
	staff_line(line, sizeof line, "staff.net.queue", "3", NULL);
	assert_string_equal(line, "staff.net.queue" STAFF_SEP "3");
	assert_int_equal(staff_line_split(line, key, sizeof key, v, scratch, sizeof scratch), 1);
	assert_string_equal(key, "staff.net.queue");
	assert_string_equal(v[0], "3");

	staff_line(line, sizeof line, "staff.rec.ok", "MIR", "3", "13 569,48 ₽", "", NULL);
	assert_int_equal(staff_line_split(line, key, sizeof key, v, scratch, sizeof scratch), 4);
	assert_string_equal(v[0], "MIR");
	assert_string_equal(v[2], "13 569,48 ₽");
	assert_string_equal(v[3], "");

	/* no values: the separator still marks the key */
	staff_line(line, sizeof line, "staff.net.online_yes", NULL);
	assert_string_equal(line, "staff.net.online_yes" STAFF_SEP);
	assert_int_equal(staff_line_split(line, key, sizeof key, v, scratch, sizeof scratch), 1);
	assert_string_equal(key, "staff.net.online_yes");
	assert_string_equal(v[0], "");
	/* plain text, and a line starting with the separator, are shown as they are */
	assert_int_equal(staff_line_split("center.url = https://x", key, sizeof key, v, scratch, sizeof scratch), -1);
	assert_int_equal(staff_line_split(STAFF_SEP "x", key, sizeof key, v, scratch, sizeof scratch), -1);
	/* more values than STAFF_LINE_VALS: the rest stay in the last one's tail, never beyond */
	staff_line(line, sizeof line, "k", "1", "2", "3", "4", "5", "6", "7", "8", "9", NULL);
	assert_int_equal(staff_line_split(line, key, sizeof key, v, scratch, sizeof scratch), STAFF_LINE_VALS);
	assert_string_equal(v[7], "8" STAFF_SEP "9");
	/* cut at the buffer */
	staff_line(line, 8, "staff.long.key", "v", NULL);
	assert_string_equal(line, "staff.l");
	staff_line(line, 2, "x", NULL);
	assert_string_equal(line, "x");
	staff_line(line, 1, "x", NULL);
	assert_string_equal(line, "");
}

static void test_logline(void **st)
{
	(void)st;
	struct staff_logline l;
	assert_int_equal(staff_logline_parse("ts=2026-11-20T07:00:05.123Z level=info mod=staff event=login "
					     "actor=test-tech detail=\"by=hold card=\" rc=0",
					     &l),
			 0);
	/* 2026-11-20 07:00:05.123 UTC */
	assert_true(l.utc_ms == INT64_C(1795158005123));
	assert_int_equal(l.level, 1);
	assert_string_equal(l.what, "staff/login");
	assert_string_equal(l.pairs, "actor: test-tech, detail: by=hold card=, rc: 0");

	assert_int_equal(staff_logline_parse("ts=2026-01-01T00:00:00.000Z level=error mod=pinpad event=timeout", &l), 0);
	assert_int_equal(l.level, 3);
	assert_string_equal(l.what, "pinpad/timeout");
	assert_string_equal(l.pairs, "");
	assert_true(l.utc_ms == INT64_C(1767225600000));

	assert_int_equal(staff_logline_parse("ts=2028-02-29T23:59:59.999Z level=debug mod=ui event=frame ms=16", &l), 0);
	assert_int_equal(l.level, 0);
	assert_string_equal(l.pairs, "ms: 16");

	/* a detail cut in the middle of its quotes keeps what there is */
	assert_int_equal(staff_logline_parse("ts=2026-11-20T07:00:00.000Z level=warn mod=m event=e detail=\"abc", &l), 0);
	assert_int_equal(l.level, 2);
	assert_string_equal(l.pairs, "detail: abc");

	/* not a log line */
	assert_int_equal(staff_logline_parse("", &l), -1);
	assert_int_equal(staff_logline_parse("hello world", &l), -1);
	assert_int_equal(staff_logline_parse("ts=yesterday level=info mod=m event=e", &l), -1);
	assert_int_equal(staff_logline_parse("ts=2026-13-20T07:00:00.000Z level=info", &l), -1);
	assert_int_equal(staff_logline_parse("ts=2026-11-20T07:00:00.000Z level=loud mod=m event=e", &l), -1);
	assert_int_equal(staff_logline_parse("ts=2026-11-20T07:00:00.000Z mod=m event=e", &l), -1);
	/* "xts=" is not "ts=" */
	assert_int_equal(staff_logline_parse("xts=2026-11-20T07:00:00.000Z level=info", &l), -1);
}

/* The PIN-pad test's answer: the state picks the words, TERM_INFO gives model, serial, fw. */
static void test_pinpad_status(void **st)
{
	(void)st;
	char text[96];
	assert_string_equal(svc_staff_pinpad_status(0, "model=kpp-sim\nserial=SIM-0001\nfw=1.0\nproto=KPP/1\n", text,
						    sizeof text),
			    "staff.pinpad_ok_idle");
	assert_string_equal(text, " (kpp-sim, SIM-0001, 1.0)");
	/* in any order, only what is there */
	assert_string_equal(svc_staff_pinpad_status(3, "fw=2.1\nmodel=X9", text, sizeof text),
			    "staff.pinpad_ok_needs_reconcile");
	assert_string_equal(text, " (X9, 2.1)");
	assert_string_equal(svc_staff_pinpad_status(1, "", text, sizeof text), "staff.pinpad_ok_busy");
	assert_string_equal(text, "");
	assert_string_equal(svc_staff_pinpad_status(2, "vendor=acme", text, sizeof text),
			    "staff.pinpad_ok_out_of_service");
	assert_string_equal(text, "");
	assert_string_equal(svc_staff_pinpad_status(9, "model=a", text, sizeof text), "staff.pinpad_ok_other");
	/* a long model is cut to the buffer and still ends the string */
	svc_staff_pinpad_status(0, "model=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", text, 16);
	assert_int_equal(strlen(text), 15);
	assert_string_equal(svc_staff_outcome_key(PINPAD_OUT_BUSY), "staff.outcome.busy");
	assert_string_equal(svc_staff_outcome_key(PINPAD_OUT_UNAVAILABLE), "staff.outcome.unavailable");
	assert_string_equal(svc_staff_outcome_key(PINPAD_OUT_FAILED), "staff.outcome.failed");
	assert_string_equal(svc_staff_outcome_key(PINPAD_OUT_NEEDS_OPERATOR), "staff.outcome.failed");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keyed),
		cmocka_unit_test(test_logline),
		cmocka_unit_test(test_pinpad_status),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
