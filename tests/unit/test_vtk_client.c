/* The VTK adapter against the simulated terminal over loopback TCP (timers scaled 100x):
 * sale, decline, cancel, the races, and the recovery paths after a dropped link and after a
 * kiosk restart — each checked against the terminal's operation table (what it charged) and
 * the kiosk's operation map. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "drivers/pinpad_adapter.h"
#include "drivers/transports.h"
#include "drivers/vtk_client.h"
#include "kiosk/base/clock.h"
#include "offline/store.h"
#include "offline/vtk_map.h"
#include "tests/lib/test_tmp.h"
#include "tests/sim/pinpad/vtksim.h"

/* ---------------------------------------------------------------- the terminal's thread */

static struct vtksim sim;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_t th;
static volatile int stop;
static int lfd;
static char addr[64];
static char lines[16][320];
static int nlines;

static void on_finished(void *ctx, const char *line)
{
	(void)ctx;
	if (nlines < 16)
		snprintf(lines[nlines++], sizeof lines[0], "%s", line);
}

static void *serve(void *arg)
{
	(void)arg;
	int conn = -1;
	static uint8_t buf[65536];
	while (!stop) {
		struct pollfd p = { .fd = conn >= 0 ? conn : lfd, .events = POLLIN };
		poll(&p, 1, 5);
		pthread_mutex_lock(&mu);
		int64_t now = clock_mono_ms();
		if (conn < 0 && (p.revents & POLLIN)) {
			conn = accept(lfd, NULL, NULL);
			vtksim_connected(&sim, now);
		} else if (conn >= 0 && (p.revents & (POLLIN | POLLHUP))) {
			ssize_t n = read(conn, buf, sizeof buf);
			if (n > 0) {
				vtksim_input(&sim, buf, (size_t)n, now);
			} else {
				close(conn);
				conn = -1;
			}
		}
		vtksim_tick(&sim, now);
		bool hangup = false;
		size_t n;
		while (conn >= 0 && (n = vtksim_take_output(&sim, now, buf, sizeof buf, &hangup)) > 0)
			if (write(conn, buf, n) != (ssize_t)n)
				hangup = true;
		if (hangup && conn >= 0) {
			close(conn);
			conn = -1;
		}
		pthread_mutex_unlock(&mu);
	}
	if (conn >= 0)
		close(conn);
	return NULL;
}

static void knobs(const char *k)
{
	char err[64];
	pthread_mutex_lock(&mu);
	assert_int_equal(vtksim_knobs(&sim, k, err, sizeof err), 0);
	pthread_mutex_unlock(&mu);
}

static struct vtksim_op sim_op(uint32_t op)
{
	pthread_mutex_lock(&mu);
	const struct vtksim_op *o = vtksim_find(&sim, op);
	struct vtksim_op r = o ? *o : (struct vtksim_op){ .op = 0 };
	pthread_mutex_unlock(&mu);
	return r;
}

/* ---------------------------------------------------------------- the kiosk's side */

static char dir[TEST_TMP_DIR_LEN], path[TEST_TMP_PATH_LEN];
static struct store *st;
static struct pinpad_adapter *ad;
static struct kpp_msg m;

static struct pinpad_adapter *new_adapter(void)
{
	struct pinpad_adapter *a = vtk_client_adapter(transport_tcp_new(addr), VTK_LINK_TCP, st, 10);
	assert_non_null(a);
	assert_string_equal(a->protocol, "vtk");
	return a;
}

static int setup(void **state)
{
	(void)state;
	test_tmp_dir("vtk-client", dir, path);
	assert_int_equal(store_open(path, &st), 0);
	vtksim_init(&sim, VTK_LINK_TCP);
	sim.finished = on_finished;
	nlines = 0;
	knobs("delay=50 fin_after_ms=100000");
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET };
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	socklen_t len = sizeof a;
	assert_int_equal(bind(lfd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(listen(lfd, 4), 0);
	getsockname(lfd, (struct sockaddr *)&a, &len);
	snprintf(addr, sizeof addr, "127.0.0.1:%u", ntohs(a.sin_port));
	stop = 0;
	assert_int_equal(pthread_create(&th, NULL, serve, NULL), 0);
	ad = new_adapter();
	assert_int_equal(ad->ops->open(ad->impl), KPP_OK);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	pinpad_adapter_free(ad);
	stop = 1;
	pthread_join(th, NULL);
	close(lfd);
	store_close(st);
	return test_tmp_remove(dir);
}

static int authorize(const char *txn, int64_t amount)
{
	struct kpp_sale_req rq = { .txn_id = txn, .amount = amount, .currency = "643" };
	return ad->ops->authorize(ad->impl, &rq, NULL, NULL, &m);
}

static struct vtk_map_row map(const char *txn)
{
	struct vtk_map_row r;
	assert_int_equal(vtk_map_get(st, txn, &r), 0);
	return r;
}

static void expect(int result, int txn_state)
{
	assert_int_equal(m.result, result);
	assert_int_equal(m.txn_state, txn_state);
}

static void test_sale_confirm(void **state)
{
	(void)state;
	assert_int_equal(authorize("T1", 452316), KPP_OK);
	expect(KPP_RES_OK, KPP_TS_APPROVED_PENDING_CONFIRM);
	assert_string_equal(m.amount, "452316");
	assert_string_equal(m.rrn, "000000000001");
	assert_string_equal(m.auth_code, "A1B2C3");
	assert_string_equal(m.masked_pan, "************1234");
	assert_non_null(strstr(m.receipt_text, "RESULT:APPROVED"));
	struct vtk_map_row r = map("T1");
	assert_int_equal(r.op, 1);
	assert_int_equal(r.state, VTK_MAP_APPROVED);
	assert_int_equal(ad->ops->confirm(ad->impl, "T1", &m), KPP_OK);
	expect(KPP_RES_OK, KPP_TS_APPROVED_CONFIRMED);
	assert_int_equal(map("T1").state, VTK_MAP_DONE);
	assert_int_equal(sim_op(1).fin_reply, 452316);
	/* confirming again sends nothing new and says the same */
	assert_int_equal(ad->ops->confirm(ad->impl, "T1", &m), KPP_OK);
	expect(KPP_RES_OK, KPP_TS_APPROVED_CONFIRMED);
	assert_int_equal(nlines, 1);
	assert_non_null(strstr(lines[0], "\"charged\":452316"));
	/* a void after the FIN is refused plainly */
	assert_int_equal(ad->ops->void_auth(ad->impl, "VT1", "T1", NULL, NULL, &m), KPP_OK);
	assert_int_equal(m.result, KPP_RES_NOT_SUPPORTED);
	/* the next sale takes the next number; a receipt over 255 bytes (82 hh ll) arrives whole */
	knobs("receipt=over255");
	assert_int_equal(authorize("T2", 100), KPP_OK);
	assert_int_equal(map("T2").op, 2);
	assert_true(strlen(m.receipt_text) > 255);
	assert_string_equal(map("T2").receipt, m.receipt_text);
	assert_non_null(strstr(m.receipt_text, "\nTVR:0000008000 AID:A*********1010")); /* 13 digits: masked */
	assert_string_equal(m.rrn, "000000000002");
	/* without a receipt there is no RRN: the slip names the terminal's operation */
	knobs("receipt=none");
	assert_int_equal(authorize("T3", 100), KPP_OK);
	assert_string_equal(m.receipt_text, "VTK OP:3");
	assert_string_equal(m.rrn, "");
	knobs("receipt=short");
	assert_int_equal(ad->ops->void_auth(ad->impl, "VT3", "T3", NULL, NULL, &m), KPP_OK);
	expect(KPP_RES_OK, KPP_TS_REVERSED);
}

static void *cancel_later(void *arg)
{
	(void)arg;
	usleep(30000);
	ad->ops->cancel(ad->impl);
	return NULL;
}

/* authorize with a cancel from another thread 30 ms into the card dialogue */
static int authorize_cancelled(const char *txn, int64_t amount)
{
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, cancel_later, NULL), 0);
	int rc = authorize(txn, amount);
	pthread_join(t, NULL);
	return rc;
}

static void test_decline_cancel_and_races(void **state)
{
	(void)state;
	knobs("decline");
	assert_int_equal(authorize("D1", 100), KPP_OK);
	expect(KPP_RES_DECLINED, KPP_TS_DECLINED);
	assert_int_equal(map("D1").state, VTK_MAP_DECLINED);
	/* cancel from the kiosk: ABR honoured */
	knobs("approve delay=3000");
	assert_int_equal(authorize_cancelled("C1", 100), KPP_OK);
	expect(KPP_RES_CANCELLED, KPP_TS_CANCELLED);
	/* the approval races the ABR: voided with FIN 0, reported cancelled */
	knobs("abr=race");
	assert_int_equal(authorize_cancelled("C2", 100), KPP_OK);
	expect(KPP_RES_CANCELLED, KPP_TS_CANCELLED);
	struct vtksim_op o = sim_op(map("C2").op);
	assert_string_equal(o.final, "voided");
	/* another amount approved: voided */
	knobs("abr=honour delay=10 approve_amount=50");
	assert_int_equal(authorize("A1", 100), KPP_OK);
	expect(KPP_RES_DECLINED, KPP_TS_DECLINED);
	assert_string_equal(sim_op(map("A1").op).final, "voided");
	for (int i = 0; i < nlines; i++)
		assert_non_null(strstr(lines[i], "\"charged\":0"));
}

/* The link drops after the approval, before its reply: the outcome is unknown (never
 * declined); after the reconnect the identical VRP replays the approval, then FIN. */
static void test_drop_after_approval(void **state)
{
	(void)state;
	knobs("drop=after_approval");
	int rc = authorize("R1", 700);
	assert_true(rc == KPP_EGONE || rc == KPP_ELINK || rc == KPP_EIO);
	assert_int_equal(map("R1").state, VTK_MAP_VRP_SENT);
	assert_int_equal(ad->ops->open(ad->impl), KPP_OK);
	assert_int_equal(ad->ops->status(ad->impl, "R1", &m), KPP_OK);
	expect(KPP_RES_OK, KPP_TS_APPROVED_PENDING_CONFIRM);
	assert_string_equal(m.amount, "700");
	assert_int_equal(ad->ops->confirm(ad->impl, "R1", &m), KPP_OK);
	expect(KPP_RES_OK, KPP_TS_APPROVED_CONFIRMED);
	assert_int_equal(nlines, 1);
	assert_non_null(strstr(lines[0], "\"charged\":700"));
}

/* The link drops before the FIN reply and the kiosk restarts: the new adapter finds fin_sent
 * in the store and sends the same FIN; the terminal replays, nothing is charged twice. */
static void test_drop_before_fin_reply_and_restart(void **state)
{
	(void)state;
	assert_int_equal(authorize("F1", 900), KPP_OK);
	knobs("drop=before_fin_reply");
	int rc = ad->ops->confirm(ad->impl, "F1", &m);
	assert_true(rc != KPP_OK);
	assert_int_equal(map("F1").state, VTK_MAP_FIN_SENT);
	pinpad_adapter_free(ad);
	ad = new_adapter();
	assert_int_equal(ad->ops->open(ad->impl), KPP_OK);
	assert_int_equal(ad->ops->status(ad->impl, "F1", &m), KPP_OK);
	expect(KPP_RES_OK, KPP_TS_APPROVED_CONFIRMED);
	assert_int_equal(nlines, 1);
	assert_non_null(strstr(lines[0], "\"charged\":900"));
	assert_int_equal(map("F1").state, VTK_MAP_DONE);
}

/* The VRP never reached the terminal (dropped before it): P < N, never charged. */
static void test_vrp_never_arrived(void **state)
{
	(void)state;
	knobs("drop=before_vrp");
	assert_true(authorize("N1", 100) != KPP_OK);
	assert_int_equal(ad->ops->open(ad->impl), KPP_OK);
	assert_int_equal(ad->ops->status(ad->impl, "N1", &m), KPP_OK);
	assert_int_equal(m.result, KPP_RES_UNKNOWN_TXN);
	assert_int_equal(map("N1").state, VTK_MAP_DECLINED);
	assert_int_equal(ad->ops->status(ad->impl, "nope", &m), KPP_OK);
	assert_int_equal(m.result, KPP_RES_UNKNOWN_TXN);
	/* the number is not reused for the next sale: the terminal may have stored it */
	assert_int_equal(authorize("N2", 100), KPP_OK);
	assert_int_equal(map("N2").op, 2);
}

/* No reply within To (a late reply): unknown, then the stored result by replay. */
static void test_late_reply_is_unknown(void **state)
{
	(void)state;
	knobs("late=2000");
	assert_true(authorize("L1", 100) != KPP_OK); /* To = 60 s / 100 */
	knobs("late=0");
	assert_int_equal(ad->ops->open(ad->impl), KPP_OK);
	assert_int_equal(ad->ops->status(ad->impl, "L1", &m), KPP_OK);
	expect(KPP_RES_OK, KPP_TS_APPROVED_PENDING_CONFIRM);
	assert_int_equal(ad->ops->void_auth(ad->impl, "VL1", "L1", NULL, NULL, &m), KPP_OK);
	expect(KPP_RES_OK, KPP_TS_REVERSED);
	assert_non_null(strstr(lines[0], "\"final\":\"voided\",\"charged\":0"));
}

/* A terminal that stops answering IDL is lost after 3·Tk + 8 s (here Tk = 2 s: 140 ms). */
static void test_silence_is_link_loss(void **state)
{
	(void)state;
	knobs("tk=2");
	assert_int_equal(ad->ops->health(ad->impl, &m), KPP_OK); /* learns Tk = 2 */
	knobs("idl=ignore");
	int64_t t0 = clock_mono_ms();
	int rc = ad->ops->health(ad->impl, &m);
	int64_t took = clock_mono_ms() - t0;
	assert_int_equal(rc, KPP_ETIMEDOUT);
	assert_true(took >= 140 && took < 3000);
	/* closed: nothing more is sent until it is opened again */
	assert_int_equal(authorize("S1", 100), KPP_ELINK);
	knobs("idl=answer");
	assert_int_equal(ad->ops->open(ad->impl), KPP_OK);
	assert_int_equal(authorize("S2", 100), KPP_OK);
	expect(KPP_RES_OK, KPP_TS_APPROVED_PENDING_CONFIRM);
}

/* Frames split into 3-byte writes, and several frames per write, change nothing; garbage on
 * a TCP stream breaks it: the link is closed, the outcome unknown, and the replay recovers. */
static void test_link_faults(void **state)
{
	(void)state;
	knobs("split=3 receipt=over255");
	assert_int_equal(authorize("P1", 300), KPP_OK);
	expect(KPP_RES_OK, KPP_TS_APPROVED_PENDING_CONFIRM);
	assert_true(strlen(m.receipt_text) > 255);
	knobs("split=0 coalesce");
	assert_int_equal(ad->ops->confirm(ad->impl, "P1", &m), KPP_OK); /* FIN + IDL replies */
	expect(KPP_RES_OK, KPP_TS_APPROVED_CONFIRMED);
	knobs("coalesce=0 garbage=5");
	assert_true(authorize("P2", 400) != KPP_OK);
	assert_int_equal(map("P2").state, VTK_MAP_VRP_SENT);
	assert_int_equal(ad->ops->open(ad->impl), KPP_OK);
	assert_int_equal(ad->ops->status(ad->impl, "P2", &m), KPP_OK);
	expect(KPP_RES_OK, KPP_TS_APPROVED_PENDING_CONFIRM);
	assert_int_equal(ad->ops->confirm(ad->impl, "P2", &m), KPP_OK);
	assert_int_equal(nlines, 2);
	assert_non_null(strstr(lines[1], "\"op\":2,\"requested\":400"));
	assert_non_null(strstr(lines[1], "\"charged\":400"));
}

/* A terminal that reports a 1970 clock gets ours in every IDL until it reports a real one. */
static void test_clock_for_the_terminal(void **state)
{
	(void)state;
	knobs("timereq");
	assert_int_equal(ad->ops->health(ad->impl, &m), KPP_OK); /* the reply says 1970... */
	assert_int_equal(ad->ops->health(ad->impl, &m), KPP_OK); /* ...so this IDL carries ours */
	pthread_mutex_lock(&mu);
	char got[32];
	snprintf(got, sizeof got, "%s", sim.vmc_time);
	sim.vmc_time[0] = 0;
	pthread_mutex_unlock(&mu);
	/* the stack's clock starts at 2026-11-20T10:00:00+03:00 (main) */
	assert_int_equal(strlen(got), 20);
	assert_memory_equal(got, "20261120T07", 11);
	assert_string_equal(got + 15, "+0000");
	/* the next IDL reply has no time tag: the kiosk keeps sending until told otherwise; a
	 * plausible time from the terminal stops it (vtk_conn learns from tag 11 only) */
	assert_int_equal(ad->ops->health(ad->impl, &m), KPP_OK);
	pthread_mutex_lock(&mu);
	assert_int_equal(strlen(sim.vmc_time), 20);
	pthread_mutex_unlock(&mu);
}

int main(void)
{
	char dirc[TEST_TMP_DIR_LEN], clk[TEST_TMP_PATH_LEN + 8], err[128];
	test_tmp_dir("vtk-client-clock", dirc, NULL);
	snprintf(clk, sizeof clk, "%s/clock", dirc);
	if (clock_attach(clk, "2026-11-20T10:00:00+03:00", err, sizeof err) != 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sale_confirm, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decline_cancel_and_races, setup, teardown),
		cmocka_unit_test_setup_teardown(test_drop_after_approval, setup, teardown),
		cmocka_unit_test_setup_teardown(test_drop_before_fin_reply_and_restart, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vrp_never_arrived, setup, teardown),
		cmocka_unit_test_setup_teardown(test_late_reply_is_unknown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_silence_is_link_loss, setup, teardown),
		cmocka_unit_test_setup_teardown(test_link_faults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clock_for_the_terminal, setup, teardown),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	test_tmp_remove(dirc);
	return rc;
}
