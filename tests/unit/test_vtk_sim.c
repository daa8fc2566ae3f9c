/* The simulated Vendotek terminal (tests/sim/pinpad/vtksim): driven byte for byte as the kiosk
 * would, it must answer by the protocol's rules (IDL first, op numbers, replays), play every
 * knob, keep its operation table across a restart and report each finished operation once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "tests/sim/pinpad/vtksim.h"

static struct vtksim sim;
static struct vtk_decoder host;
static int64_t now;
static char lines[16][320];
static int nlines;
static bool hung;

static void on_finished(void *ctx, const char *line)
{
	(void)ctx;
	assert_true(nlines < 16);
	snprintf(lines[nlines++], sizeof lines[0], "%s", line);
}

static int setup(void **state)
{
	(void)state;
	vtksim_init(&sim, VTK_LINK_TCP);
	sim.finished = on_finished;
	vtk_decoder_init(&host, VTK_LINK_TCP);
	now = 1000;
	nlines = 0;
	hung = false;
	vtksim_connected(&sim, now);
	return 0;
}

static void send(const char *name, int64_t op, int64_t amount)
{
	struct vtk_msg m;
	uint8_t tlv[256], fr[300];
	vtk_msg_init(&m, name);
	if (op >= 0)
		vtk_msg_set_num(&m, VTK_T_OP, op);
	if (amount >= 0)
		vtk_msg_set_num(&m, VTK_T_AMOUNT, amount);
	int k = vtk_msg_encode(&m, tlv, sizeof tlv);
	size_t n = vtk_frame_encode(VTK_LINK_TCP, VTK_DISC_VMC, tlv, (size_t)k, fr, sizeof fr);
	vtksim_input(&sim, fr, n, now);
}

/* Advances time by ms and reads the next message the terminal sends (false: none). */
static bool recv_msg(int64_t ms, struct vtk_msg *ret)
{
	static uint8_t out[65536];
	now += ms;
	vtksim_tick(&sim, now);
	bool hangup;
	size_t n = vtksim_take_output(&sim, now, out, sizeof out, &hangup);
	hung = hung || hangup;
	size_t used = 0;
	while (used < n) {
		struct vtk_frame f;
		int ev;
		used += vtk_decoder_feed(&host, out + used, n - used, now, &f, &ev);
		if (ev == VTK_DEC_FRAME) {
			assert_int_equal(f.disc, VTK_DISC_POS);
			assert_int_equal(vtk_msg_decode(f.payload, f.len, ret), VTK_MSG_OK);
			assert_int_equal(used, n); /* one frame per write unless coalesced */
			return true;
		}
	}
	return false;
}

static struct vtk_msg r;

/* The next message, after ms more. */
static void expect_after(int64_t ms, const char *name, int64_t op, int64_t amount)
{
	assert_true(recv_msg(ms, &r));
	assert_string_equal(r.name, name);
	assert_int_equal(r.op, op);
	if (amount >= 0)
		assert_int_equal(r.amount, amount);
}

static void expect(const char *name, int64_t op, int64_t amount)
{
	expect_after(0, name, op, amount);
}

static void idl(uint32_t last)
{
	send("IDL", -1, -1);
	expect("IDL", last, -1);
	assert_int_equal(r.timeout_s, 60);
	assert_int_equal(r.keepalive_s, 10);
	assert_true(VTK_HAS(&r, VTK_T_EVENT_NO));
}

static void test_sale_approved_and_finalized(void **state)
{
	(void)state;
	send("VRP", 1, 1000);
	expect("VRP", 1, 0); /* before the first IDL: refused */
	idl(0);
	send("VRP", 1, 452316);
	assert_false(recv_msg(299, &r));
	expect_after(1, "VRP", 1, 452316);
	assert_true(r.receipt_len > 127 && r.receipt_len < 256);
	assert_non_null(strstr(r.receipt, "RRN:000000000001"));
	send("VRP", 1, 452316); /* a retry: the stored result, no new dialogue */
	expect("VRP", 1, 452316);
	assert_int_equal(nlines, 0);
	send("FIN", 1, 452316);
	expect("FIN", 1, 452316);
	send("FIN", 1, 452316);
	expect("FIN", 1, 452316);
	assert_int_equal(nlines, 1);
	assert_string_equal(lines[0], "{\"op\":1,\"requested\":452316,\"result\":\"approved\","
		"\"approved\":452316,\"fin\":452316,\"final\":\"completed\",\"charged\":452316,"
		"\"at_ms\":1300}");
	idl(1);
	send("VRP", 1, 5000); /* the same number, another amount: refused, nothing stored */
	expect("VRP", 1, 0);
	assert_int_equal(vtksim_find(&sim, 1)->requested, 452316);
}

static void test_declines_and_void(void **state)
{
	(void)state;
	const char *knobs[] = { "decline", "nocard pos_timeout_ms=900", "cancel" };
	const char *result[] = { "declined", "nocard", "cancelled" };
	idl(0);
	char err[64];
	for (int i = 0; i < 3; i++) {
		assert_int_equal(vtksim_knobs(&sim, knobs[i], err, sizeof err), 0);
		send("VRP", i + 1, 100);
		assert_false(recv_msg(i == 1 ? 899 : 299, &r));
		assert_true(recv_msg(1, &r));
		assert_int_equal(r.amount, 0);
		assert_non_null(strstr(lines[i], result[i]));
		assert_non_null(strstr(lines[i], "\"charged\":0"));
	}
	/* approved, then voided with FIN 0 */
	vtksim_knobs(&sim, "approve receipt=none", err, sizeof err);
	send("VRP", 4, 700);
	expect_after(300, "VRP", 4, 700);
	assert_false(VTK_HAS(&r, VTK_T_RECEIPT));
	send("FIN", 4, 0);
	expect("FIN", 4, 0);
	assert_non_null(strstr(lines[3], "\"final\":\"voided\",\"charged\":0"));
	assert_int_equal(vtksim_knobs(&sim, "bogus", err, sizeof err), -1);
	assert_int_equal(vtksim_knobs(&sim, "decline delay=x", err, sizeof err), -1);
	assert_int_equal(sim.k.outcome, VTKSIM_APPROVE); /* all or nothing */
}

static void test_abr(void **state)
{
	(void)state;
	char err[64];
	idl(0);
	send("VRP", 1, 100);
	send("ABR", 1, -1);
	expect("VRP", 1, 0); /* honoured at once */
	vtksim_knobs(&sim, "abr=race", err, sizeof err);
	send("VRP", 2, 100);
	send("ABR", 2, -1);
	expect("VRP", 2, 100); /* the approval won */
	vtksim_knobs(&sim, "abr=ignore delay=500", err, sizeof err);
	send("FIN", 2, 0);
	expect("FIN", 2, 0);
	send("VRP", 3, 100);
	send("ABR", 3, -1);
	assert_false(recv_msg(499, &r));
	expect_after(1, "VRP", 3, 100);
}

static void test_faults(void **state)
{
	(void)state;
	char err[64];
	idl(0);
	vtksim_knobs(&sim, "drop=after_approval", err, sizeof err);
	send("VRP", 1, 100);
	assert_false(recv_msg(300, &r));
	assert_true(hung);
	/* reconnect: the stored approval replays */
	vtksim_connected(&sim, now);
	vtk_decoder_init(&host, VTK_LINK_TCP);
	hung = false;
	idl(1);
	send("VRP", 1, 100);
	expect("VRP", 1, 100);
	vtksim_knobs(&sim, "drop=before_fin_reply", err, sizeof err);
	send("FIN", 1, 100);
	assert_false(recv_msg(0, &r));
	assert_true(hung);
	assert_int_equal(nlines, 1); /* finalized even though the reply was lost */
	vtksim_connected(&sim, now);
	send("FIN", 1, 100);
	expect("FIN", 1, 100);
	assert_int_equal(nlines, 1);
	/* a late reply and an unanswered IDL */
	vtksim_knobs(&sim, "late=5000 idl=ignore", err, sizeof err);
	send("IDL", -1, -1);
	assert_false(recv_msg(100, &r));
	vtksim_knobs(&sim, "idl=answer", err, sizeof err);
	idl(1);
	send("VRP", 2, 100);
	assert_false(recv_msg(300, &r)); /* decided: the reply waits 5 s */
	assert_false(recv_msg(4999, &r));
	expect_after(1, "VRP", 2, 100);
	/* garbage breaks a TCP stream: the kiosk's decoder says so */
	vtksim_knobs(&sim, "late=0 garbage=5", err, sizeof err);
	send("FIN", 2, 100);
	static uint8_t out[4096];
	bool hangup;
	size_t n = vtksim_take_output(&sim, now, out, sizeof out, &hangup);
	assert_int_equal(n, 5 + 2 + (size_t)(out[5] << 8 | out[6]));
	assert_memory_equal(out + 7, "\x97\xFB\x01\x03" "FIN", 7);
	assert_memory_equal(out, "\x1F\xA5\xA5\x1F\xA5", 5);
}

static void test_fin_policies(void **state)
{
	(void)state;
	char err[64];
	idl(0);
	vtksim_knobs(&sim, "fin_policy=reverse fin_after_ms=10000", err, sizeof err);
	send("VRP", 1, 100);
	expect_after(300, "VRP", 1, 100);
	recv_msg(9999, &r);
	assert_int_equal(nlines, 0);
	recv_msg(1, &r);
	assert_int_equal(nlines, 1);
	assert_non_null(strstr(lines[0], "\"final\":\"auto_reversed\",\"charged\":0"));
	send("FIN", 1, 100); /* the late FIN learns: refused (04 = 0) */
	expect("FIN", 1, 0);
	vtksim_knobs(&sim, "fin_policy=complete", err, sizeof err);
	send("VRP", 2, 300);
	expect_after(300, "VRP", 2, 300);
	recv_msg(10000, &r);
	assert_non_null(strstr(lines[1], "\"final\":\"auto_completed\",\"charged\":300"));
	send("FIN", 2, 0); /* too late to void: refused (04 = 300) */
	expect("FIN", 2, 300);
	vtksim_knobs(&sim, "fin_policy=none fin=refuse_partial", err, sizeof err);
	send("VRP", 3, 300);
	expect_after(300, "VRP", 3, 300);
	send("FIN", 3, 200);
	expect("FIN", 3, 0);
	assert_non_null(strstr(lines[2], "\"final\":\"refused\",\"charged\":0"));
	assert_int_equal(nlines, 3);
}

static void test_restart_keeps_the_table(void **state)
{
	(void)state;
	char path[] = "/tmp/vtksim-test-XXXXXX", err[64];
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	idl(0);
	send("VRP", 1, 100);
	expect_after(300, "VRP", 1, 100);
	send("VRP", 2, 100); /* a new op while op 1 awaits its FIN: allowed */
	send("VRP", 3, 200); /* refused: op 2 is in its dialogue */
	expect("VRP", 3, 0);
	assert_int_equal(vtksim_save(&sim, path), 0);
	/* restart: op 1 approved stays, op 2 was cut (interrupted, declined) */
	vtksim_init(&sim, VTK_LINK_TCP);
	sim.finished = on_finished;
	assert_int_equal(vtksim_load(&sim, path), 0);
	assert_int_equal(sim.last_op, 2);
	assert_int_equal(vtksim_find(&sim, 1)->state, VTKSIM_APPROVED);
	assert_int_equal(vtksim_find(&sim, 2)->state, VTKSIM_DECLINED);
	assert_non_null(strstr(lines[nlines - 1], "\"op\":2,\"requested\":100,\"result\":\"interrupted\""));
	vtksim_connected(&sim, now);
	vtk_decoder_init(&host, VTK_LINK_TCP);
	idl(2);
	send("VRP", 2, 100);
	expect("VRP", 2, 0);
	send("FIN", 1, 100);
	expect("FIN", 1, 100);
	/* repeat_vrp=new: a cut dialogue starts again */
	assert_int_equal(vtksim_save(&sim, path), 0);
	send("VRP", 3, 100);
	assert_int_equal(vtksim_save(&sim, path), 0);
	vtksim_init(&sim, VTK_LINK_TCP);
	vtksim_knobs(&sim, "repeat_vrp=new", err, sizeof err);
	assert_int_equal(vtksim_load(&sim, path), 0);
	assert_int_equal(vtksim_find(&sim, 3)->state, VTKSIM_CUT);
	vtksim_connected(&sim, now);
	vtk_decoder_init(&host, VTK_LINK_TCP);
	idl(3);
	send("VRP", 3, 100);
	assert_false(recv_msg(299, &r));
	expect_after(1, "VRP", 3, 100);
	unlink(path);
}

static void test_serial_and_unsolicited(void **state)
{
	(void)state;
	char err[64];
	static uint8_t out[4096];
	bool hangup;
	vtksim_init(&sim, VTK_LINK_SERIAL);
	vtksim_connected(&sim, now);
	vtk_decoder_init(&host, VTK_LINK_SERIAL);
	sim.last_op = 41;
	assert_int_equal(vtksim_knobs(&sim, "to=120", err, sizeof err), 0);
	/* E1 in its serial form: 1F 00 07 96 FB 01 03 49 44 4C 71 4E */
	vtksim_input(&sim, (const uint8_t *)"\x1F\x00\x07\x96\xFB\x01\x03IDL\x71\x4E", 12, now);
	size_t n = vtksim_take_output(&sim, now, out, sizeof out, &hangup);
	/* E2's serial form, byte for byte */
	assert_int_equal(n, 1 + 25 + 2);
	assert_memory_equal(out, "\x1F\x00\x17\x97\xFB\x01\x03IDL\x03\x02" "41\x05\x02" "10"
			    "\x06\x03" "120\x08\x01" "0\xA0\x37", 28);
	vtksim_knobs(&sim, "sta=5000 mfr con split=3", err, sizeof err);
	vtksim_tick(&sim, now);
	int frames = 0;
	struct vtk_frame f;
	int ev;
	while ((n = vtksim_take_output(&sim, now, out, sizeof out, &hangup)) > 0) {
		assert_true(n <= 3);
		size_t used = 0;
		while (used < n) {
			used += vtk_decoder_feed(&host, out + used, n - used, now, &f, &ev);
			if (ev == VTK_DEC_FRAME && vtk_msg_decode(f.payload, f.len, &r) == 0) {
				frames++;
				if (!strcmp(r.name, "STA"))
					assert_int_equal(r.amount, 5000);
				if (!strcmp(r.name, "CON"))
					assert_int_equal(r.tcpip_len, 8);
			}
		}
	}
	assert_int_equal(frames, 3); /* STA, MFR, CON */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_sale_approved_and_finalized, setup),
		cmocka_unit_test_setup(test_declines_and_void, setup),
		cmocka_unit_test_setup(test_abr, setup),
		cmocka_unit_test_setup(test_faults, setup),
		cmocka_unit_test_setup(test_fin_policies, setup),
		cmocka_unit_test_setup(test_restart_keeps_the_table, setup),
		cmocka_unit_test_setup(test_serial_and_unsolicited, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
