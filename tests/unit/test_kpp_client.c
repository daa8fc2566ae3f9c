/* kpp_client against the simulator core over a socketpair (the sim runs on its own
 * thread): payment scenarios and link faults, with timeouts scaled down so the suite runs
 * in seconds.  Scaled: T_ACK 300 ms, T_RESP 1.5 s, silence 800 ms, TIMEOUT_S 1 s = 10 ms
 * (generous enough for a loaded 2-core machine under ASan). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "drivers/kpp_client.h"
#include "drivers/pinpad_recovery.h"
#include "drivers/transports.h"
#include "kiosk/base/log.h"
#include "tests/sim/pinpad/sim_run.h"

static struct sim_run *sim;
static struct kpp_client *cl;
static struct kpp_msg r;
static char state_path[64];

struct evs {
	int n, ncancel;
	uint8_t codes[64];
	uint8_t cancel_result;
	atomic_int seen;
};

static void on_event(void *ctx, const struct kpp_msg *m)
{
	struct evs *e = ctx;
	if (!e)
		return;
	if (m->code == (KPP_MSG_CANCEL | KPP_MSG_RESP)) {
		e->ncancel++;
		e->cancel_result = m->result;
		return;
	}
	if (e->n < 64)
		e->codes[e->n++] = m->event_code;
	atomic_fetch_add(&e->seen, 1);
}

static void knobs(const char *line)
{
	char err[128];
	assert_int_equal(sim_run_knobs(sim, line, err, sizeof err), 0);
}

static int setup(void **state)
{
	(void)state;
	int sv[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	snprintf(state_path, sizeof state_path, "/tmp/kpp-client-test-%d.state", (int)getpid());
	unlink(state_path);
	sim = sim_run_start(sv[1], -1, state_path);
	assert_non_null(sim);
	knobs("delay=150 event_ms=40 t_ack_ms=400");
	struct kpp_timeouts to;
	kpp_timeouts_default(&to);
	to.t_ack_ms = 300;
	to.t_byte_ms = 200;
	to.t_resp_ms = 1500;
	to.silence_ms = 800;
	to.online_extra_ms = 1000;
	to.ms_per_s = 10;
	cl = kpp_client_new(transport_fd_new(sv[0]), &to);
	assert_int_equal(kpp_client_open(cl), KPP_OK);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	kpp_client_free(cl);
	sim_run_stop(sim);
	unlink(state_path);
	return 0;
}

static int sale(const char *id, int64_t amount, struct evs *e)
{
	struct kpp_sale_req rq = { .txn_id = id, .amount = amount, .currency = "643",
				   .order_ref = "order-1", .timeout_s = 60 };
	return kpp_client_sale(cl, &rq, on_event, e, &r);
}

struct probe { uint32_t n_sales, link_retx, link_dup, n_cancels; uint8_t state; char id[40]; };
static void probe_fn(struct sim_core *s, void *arg)
{
	struct probe *p = arg;
	p->n_sales = s->n_sales;
	p->link_retx = s->link.n_retx;
	p->link_dup = s->link.n_dup;
	p->n_cancels = s->n_cancels;
	const struct sim_txn *t = sim_core_find(s, p->id);
	p->state = t ? t->state : 0xFF;
}
static struct probe probe(const char *id)
{
	struct probe p = { 0 };
	snprintf(p.id, sizeof p.id, "%s", id ? id : "");
	sim_run_with(sim, probe_fn, &p);
	return p;
}

/* ---------------------------------------------------------------- payments */

static void test_hello_status(void **state)
{
	(void)state;
	assert_int_equal(kpp_client_hello(cl, &r), KPP_OK);
	assert_int_equal(r.code, KPP_MSG_HELLO | KPP_MSG_RESP);
	assert_int_equal(r.result, KPP_RES_OK);
	assert_string_equal(r.tid, "12345678");
	assert_true(kpp_msg_has(&r, KPP_TAG_TERM_INFO));
	assert_false(kpp_msg_has(&r, KPP_TAG_CURRENT_TXN_ID));
	assert_int_equal(kpp_client_status(cl, &r), KPP_OK);
	assert_int_equal(r.term_state, KPP_TERM_IDLE);
}

static void test_approve_confirm(void **state)
{
	(void)state;
	struct evs e = { 0 };
	assert_int_equal(sale("T-approve", 450000, &e), KPP_OK);
	assert_int_equal(r.code, KPP_MSG_SALE | KPP_MSG_RESP);
	assert_int_equal(r.result, KPP_RES_OK);
	assert_int_equal(r.txn_state, KPP_TS_APPROVED_PENDING_CONFIRM);
	assert_string_equal(r.txn_id, "T-approve");
	assert_string_equal(r.amount, "450000");
	assert_string_equal(r.order_ref, "order-1");
	assert_string_equal(r.masked_pan, "220220******1234");
	assert_int_equal(strlen(r.rrn), 12);
	assert_true(r.auth_code[0] != 0);
	assert_true(strstr(r.receipt_text, "ОДОБРЕНО") != NULL);
	assert_true(e.n >= 1);
	assert_int_equal(e.codes[0], KPP_EV_PRESENT_CARD);
	assert_int_equal(kpp_client_confirm(cl, "T-approve", &r), KPP_OK);
	assert_int_equal(r.result, KPP_RES_OK);
	assert_int_equal(r.txn_state, KPP_TS_APPROVED_CONFIRMED);
	assert_true(pinpad_confirm_paid(r.txn_state));
	assert_int_equal(kpp_client_txn_status(cl, "T-approve", &r), KPP_OK);
	assert_int_equal(r.txn_state, KPP_TS_APPROVED_CONFIRMED);
	assert_true(strstr(r.receipt_text, "ОДОБРЕНО") != NULL);
	assert_int_equal(kpp_client_txn_status(cl, NULL, &r), KPP_OK); /* last txn */
	assert_string_equal(r.txn_id, "T-approve");
	assert_int_equal(kpp_client_txn_status(cl, "T-nope", &r), KPP_OK);
	assert_int_equal(r.result, KPP_RES_UNKNOWN_TXN);
}

static void test_decline_51(void **state)
{
	(void)state;
	knobs("decline=51");
	assert_int_equal(sale("T-decl", 100, NULL), KPP_OK);
	assert_int_equal(r.result, KPP_RES_DECLINED);
	assert_int_equal(r.txn_state, KPP_TS_DECLINED);
	assert_string_equal(r.host_rc, "51");
	assert_false(kpp_msg_has(&r, KPP_TAG_AUTH_CODE));
}

static void test_customer_timeout_and_cancel(void **state)
{
	(void)state;
	knobs("timeout");
	assert_int_equal(sale("T-to", 100, NULL), KPP_OK);
	assert_int_equal(r.result, KPP_RES_TIMEOUT);
	assert_int_equal(r.txn_state, KPP_TS_CANCELLED);
	knobs("cancel=2");
	struct evs e = { 0 };
	assert_int_equal(sale("T-cc", 100, &e), KPP_OK);
	assert_int_equal(r.result, KPP_RES_CANCELLED);
	assert_int_equal(r.txn_state, KPP_TS_CANCELLED);
	assert_int_equal(e.n, 2); /* PRESENT_CARD, READING, then the customer pressed cancel */
}

struct canceller { struct evs *e; int rc; };
static void *cancel_thread(void *arg)
{
	struct canceller *c = arg;
	while (atomic_load(&c->e->seen) < 1)
		usleep(2000);
	c->rc = kpp_client_cancel(cl);
	return NULL;
}

static void test_host_cancel_from_thread(void **state)
{
	(void)state;
	assert_int_equal(kpp_client_cancel(cl), -1); /* nothing running */
	knobs("delay=4000 event_ms=700");
	struct evs e = { 0 };
	struct canceller c = { .e = &e, .rc = 99 };
	pthread_t th;
	pthread_create(&th, NULL, cancel_thread, &c);
	assert_int_equal(sale("T-hc", 100, &e), KPP_OK);
	pthread_join(th, NULL);
	assert_int_equal(c.rc, 0);
	assert_int_equal(e.ncancel, 1);
	assert_int_equal(e.cancel_result, KPP_RES_OK);
	assert_int_equal(r.result, KPP_RES_CANCELLED);
	assert_int_equal(probe("T-hc").state, KPP_TS_CANCELLED);
}

static void test_cancel_too_late(void **state)
{
	(void)state;
	knobs("too_late delay=400");
	struct evs e = { 0 };
	struct canceller c = { .e = &e, .rc = 99 };
	pthread_t th;
	pthread_create(&th, NULL, cancel_thread, &c);
	assert_int_equal(sale("T-tl", 100, &e), KPP_OK);
	pthread_join(th, NULL);
	assert_int_equal(e.ncancel, 1);
	assert_int_equal(e.cancel_result, KPP_RES_TOO_LATE);
	assert_int_equal(r.result, KPP_RES_OK); /* the sale went on and was approved */
	assert_int_equal(r.txn_state, KPP_TS_APPROVED_PENDING_CONFIRM);
}

static void test_confirm_after_auto_reversal(void **state)
{
	(void)state;
	knobs("confirm_timeout_ms=100");
	assert_int_equal(sale("T-ar", 777, NULL), KPP_OK);
	assert_int_equal(r.txn_state, KPP_TS_APPROVED_PENDING_CONFIRM);
	usleep(300 * 1000);
	assert_int_equal(kpp_client_confirm(cl, "T-ar", &r), KPP_OK);
	assert_int_equal(r.txn_state, KPP_TS_REVERSED_AUTO);
	assert_false(pinpad_confirm_paid(r.txn_state)); /* not paid */
	assert_int_equal(kpp_client_txn_status(cl, "T-ar", &r), KPP_OK);
	assert_int_equal(r.txn_state, KPP_TS_REVERSED_AUTO);
}

static void test_duplicate_txn_id(void **state)
{
	(void)state;
	assert_int_equal(sale("T-dup", 500, NULL), KPP_OK);
	char auth[8];
	strcpy(auth, r.auth_code);
	assert_int_equal(kpp_client_confirm(cl, "T-dup", &r), KPP_OK);
	assert_int_equal(sale("T-dup", 500, NULL), KPP_OK);
	assert_int_equal(r.result, KPP_RES_DUPLICATE);
	assert_int_equal(r.txn_state, KPP_TS_APPROVED_CONFIRMED);
	assert_string_equal(r.auth_code, auth);
	assert_int_equal(probe(NULL).n_sales, 1); /* nothing new started */
}

static void test_busy(void **state)
{
	(void)state;
	knobs("busy=1");
	assert_int_equal(sale("T-busy", 500, NULL), KPP_OK);
	assert_int_equal(r.result, KPP_RES_BUSY);
	assert_int_equal(probe("T-busy").state, 0xFF); /* never recorded */
	assert_int_equal(sale("T-busy", 500, NULL), KPP_OK);
	assert_int_equal(r.result, KPP_RES_OK);
}

/* ---------------------------------------------------------------- link faults */

static void test_corrupted_crc(void **state)
{
	(void)state;
	knobs("corrupt=1");
	assert_int_equal(kpp_client_status(cl, &r), KPP_OK);
	assert_int_equal(r.result, KPP_RES_OK);
	assert_int_equal(probe(NULL).link_retx, 1); /* NAKed, resent with the same SEQ */
}

static void test_lost_ack(void **state)
{
	(void)state;
	knobs("drop_ack=1");
	assert_int_equal(kpp_client_txn_status(cl, "x", &r), KPP_OK);
	assert_int_equal(r.result, KPP_RES_UNKNOWN_TXN);
	/* the answer came before our retransmission; the next request first settles it */
	assert_int_equal(kpp_client_status(cl, &r), KPP_OK);
	struct probe p = probe(NULL);
	assert_int_equal(p.link_dup, 1);  /* our retransmission was ACKed, not delivered again */
	/* a SALE whose ACK is lost is not started twice (the result comes after the resend) */
	knobs("drop_ack=1 delay=900");
	assert_int_equal(sale("T-la", 100, NULL), KPP_OK);
	assert_int_equal(r.result, KPP_RES_OK);
	assert_int_equal(probe(NULL).n_sales, 1);
	assert_int_equal(probe(NULL).link_dup, 2);
}

/* Our ACK of a SALE_RESP is lost: the terminal sends the SALE_RESP again; the copy is ACKed
 * and dropped by SEQ, and the next sale gets its own answer. */
static void test_lost_host_ack_response_not_twice(void **state)
{
	(void)state;
	uint32_t retx, dup, nak;
	knobs("silent ignore_ack=1"); /* silent: the first DATA we ACK is the SALE_RESP */
	assert_int_equal(sale("T-h1", 111, NULL), KPP_OK);
	assert_string_equal(r.txn_id, "T-h1");
	knobs("silent=0 delay=900");
	assert_int_equal(sale("T-h2", 222, NULL), KPP_OK);
	assert_string_equal(r.txn_id, "T-h2");
	assert_string_equal(r.amount, "222");
	kpp_client_link_stats(cl, &retx, &dup, &nak);
	assert_int_equal(dup, 1);
	assert_int_equal(nak, 0);
}

static void test_lost_data_retransmitted(void **state)
{
	(void)state;
	knobs("drop_data=1");
	assert_int_equal(kpp_client_status(cl, &r), KPP_OK);
	assert_int_equal(probe(NULL).link_retx, 1);
}

static void test_garbage_split_coalesce(void **state)
{
	(void)state;
	knobs("garbage=40");
	assert_int_equal(kpp_client_status(cl, &r), KPP_OK);
	knobs("split=3");
	assert_int_equal(sale("T-split", 100, NULL), KPP_OK);
	assert_int_equal(r.result, KPP_RES_OK);
	knobs("split=0 coalesce=1 garbage=7");
	assert_int_equal(sale("T-coal", 100, NULL), KPP_OK);
	assert_int_equal(r.result, KPP_RES_OK);
	assert_int_equal(kpp_client_txn_status(cl, "T-split", &r), KPP_OK);
	assert_int_equal(r.txn_state, KPP_TS_APPROVED_PENDING_CONFIRM);
}

static void test_lost_response(void **state)
{
	(void)state;
	knobs("drop_resp");
	assert_int_equal(sale("T-lost", 4200, NULL), KPP_EUNKNOWN);
	assert_int_equal(kpp_client_txn_status(cl, "T-lost", &r), KPP_OK);
	assert_int_equal(r.result, KPP_RES_OK);
	assert_int_equal(r.txn_state, KPP_TS_APPROVED_PENDING_CONFIRM);
	assert_true(r.auth_code[0] != 0);
	assert_true(strstr(r.receipt_text, "ОДОБРЕНО") != NULL);
	int64_t a;
	assert_true(kpp_msg_amount(&r, &a));
	assert_int_equal(a, 4200);
}

static void test_silence_then_status(void **state)
{
	(void)state;
	knobs("silent delay=2500");
	struct evs e = { 0 };
	assert_int_equal(sale("T-silent", 100, &e), KPP_EUNKNOWN);
	assert_int_equal(e.n, 0);
	assert_int_equal(kpp_client_txn_status(cl, "T-silent", &r), KPP_OK);
	assert_int_equal(r.txn_state, KPP_TS_IN_PROGRESS);
	assert_int_equal(kpp_client_status(cl, &r), KPP_OK);
	assert_int_equal(r.term_state, KPP_TERM_BUSY_TXN);
	/* a new sale meanwhile is refused */
	assert_int_equal(sale("T-other", 100, NULL), KPP_OK);
	assert_int_equal(r.result, KPP_RES_BUSY);
	/* the terminal finishes on its own: poll as recovery does */
	for (int i = 0; i < 50; i++) {
		assert_int_equal(kpp_client_txn_status(cl, "T-silent", &r), KPP_OK);
		if (r.txn_state != KPP_TS_IN_PROGRESS)
			break;
		usleep(100 * 1000);
	}
	assert_int_equal(r.txn_state, KPP_TS_APPROVED_PENDING_CONFIRM);
}

static void test_reboot_after_approval(void **state)
{
	(void)state;
	knobs("reboot reboot_ms=300");
	assert_int_equal(sale("T-reboot", 100, NULL), KPP_EUNKNOWN);
	/* the host reopens its link and says HELLO, as after any link loss */
	kpp_client_close(cl);
	assert_int_equal(kpp_client_open(cl), KPP_OK);
	assert_int_equal(kpp_client_hello(cl, &r), KPP_OK);
	assert_string_equal(r.current_txn_id, "T-reboot");
	assert_int_equal(r.txn_state, KPP_TS_APPROVED_PENDING_CONFIRM);
	assert_int_equal(kpp_client_txn_status(cl, "T-reboot", &r), KPP_OK);
	assert_int_equal(r.txn_state, KPP_TS_APPROVED_PENDING_CONFIRM);
}

static void test_state_survives_restart(void **state)
{
	(void)state;
	assert_int_equal(sale("T-persist", 100, NULL), KPP_OK);
	sim_run_restart(sim);
	assert_int_equal(kpp_client_hello(cl, &r), KPP_OK);
	assert_int_equal(kpp_client_txn_status(cl, "T-persist", &r), KPP_OK);
	assert_int_equal(r.result, KPP_RES_OK);
	assert_int_equal(r.txn_state, KPP_TS_APPROVED_PENDING_CONFIRM);
	/* a sale cut by the restart is a technical failure afterwards */
	knobs("delay=5000");
	assert_int_equal(sale("T-cut", 5, NULL), KPP_EUNKNOWN);
	sim_run_restart(sim);
	assert_int_equal(kpp_client_txn_status(cl, "T-cut", &r), KPP_OK);
	assert_int_equal(r.txn_state, KPP_TS_FAILED);
}

static void test_void(void **state)
{
	(void)state;
	assert_int_equal(sale("T-v", 300, NULL), KPP_OK);
	assert_int_equal(kpp_client_void(cl, "T-v-void", "T-v", NULL, NULL, &r), KPP_OK);
	assert_int_equal(r.result, KPP_RES_OK);
	assert_string_equal(r.orig_txn_id, "T-v");
	assert_int_equal(r.txn_state, KPP_TS_REVERSED);
	assert_int_equal(kpp_client_txn_status(cl, "T-v", &r), KPP_OK);
	assert_int_equal(r.txn_state, KPP_TS_REVERSED);
	assert_int_equal(kpp_client_void(cl, "T-v-void2", "T-none", NULL, NULL, &r), KPP_OK);
	assert_int_equal(r.result, KPP_RES_UNKNOWN_TXN);
}

static void test_reconcile(void **state)
{
	(void)state;
	assert_int_equal(sale("T-r1", 300, NULL), KPP_OK);
	assert_int_equal(kpp_client_confirm(cl, "T-r1", &r), KPP_OK);
	assert_int_equal(sale("T-r2", 50, NULL), KPP_OK); /* left pending: reversed by RECONCILE */
	assert_int_equal(kpp_client_reconcile(cl, "R-1", NULL, NULL, &r), KPP_OK);
	assert_int_equal(r.result, KPP_RES_OK);
	assert_string_equal(r.totals, "MIR;643;1;300;sale\n");
	assert_string_equal(r.batch_no, "1");
	assert_int_equal(kpp_client_txn_status(cl, "T-r2", &r), KPP_OK);
	assert_int_equal(r.txn_state, KPP_TS_REVERSED_AUTO);
}

static void test_peer_gone(void **state)
{
	(void)state;
	sim_run_stop(sim);
	sim = NULL;
	int rc = kpp_client_status(cl, &r);
	assert_true(rc == KPP_EGONE || rc == KPP_ELINK);
	sim = sim_run_start(-1, -1, NULL); /* for teardown */
}

static void test_frame_log_redacts(void **state)
{
	(void)state;
	log_set_level(LOG_LVL_DEBUG);
	log_capture(1 << 20);
	assert_int_equal(sale("T-log", 100, NULL), KPP_OK);
	const char *log = log_captured();
	assert_non_null(strstr(log, "msg=SALE_RESP"));
	assert_non_null(strstr(log, "MASKED_PAN=220220******1234"));
	assert_non_null(strstr(log, "RECEIPT_TEXT=<"));
	assert_null(strstr(log, "СИМУЛЯТОР")); /* the slip itself never reaches the log */
	log_capture(0);
	log_set_level(LOG_LVL_INFO);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_hello_status), T(test_approve_confirm), T(test_decline_51),
		T(test_customer_timeout_and_cancel), T(test_host_cancel_from_thread),
		T(test_cancel_too_late), T(test_confirm_after_auto_reversal),
		T(test_duplicate_txn_id), T(test_busy), T(test_corrupted_crc), T(test_lost_ack),
		T(test_lost_host_ack_response_not_twice), T(test_lost_data_retransmitted), T(test_garbage_split_coalesce),
		T(test_lost_response), T(test_silence_then_status), T(test_reboot_after_approval),
		T(test_state_survives_restart), T(test_void), T(test_reconcile),
		T(test_peer_gone), T(test_frame_log_redacts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
