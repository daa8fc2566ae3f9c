/* The payment service over the simulator (socketpair, in-process) with a journal double:
 * the order of journal writes against device commands, sale outcomes, unknown outcomes
 * resolved forward (docs/kpp1.md, Recovery), and start-up recovery of rows left by a "crash". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "drivers/pinpad_service.h"
#include "drivers/transports.h"
#include "tests/sim/pinpad/sim_run.h"
#include "kiosk/base/clock.h"
#include "kiosk/base/log.h"

/* ---------------------------------------------------------------- journal double */

#define MAXROWS 16
struct fake_journal {
	pthread_mutex_t mu;
	int n, counter;
	struct journal_payment rows[MAXROWS];
	char history[MAXROWS][128];
	int fail_authorize;
};
static struct fake_journal J;
static struct sim_run *sim;

static const char *stname(enum journal_state s)
{
	static const char *const n[] = { "INTENT", "AUTHORIZED", "RECORDED", "CONFIRMED",
		"DECLINED", "CANCELLED", "VOIDED", "REVERSED_AUTO", "NEEDS_OPERATOR" };
	return n[s];
}

static bool can_move(enum journal_state a, enum journal_state b)
{
	switch (a) {
	case JOURNAL_INTENT: return b != JOURNAL_INTENT && b != JOURNAL_RECORDED && b != JOURNAL_CONFIRMED;
	case JOURNAL_AUTHORIZED: return b == JOURNAL_RECORDED || b == JOURNAL_VOIDED ||
		b == JOURNAL_REVERSED_AUTO || b == JOURNAL_NEEDS_OPERATOR;
	case JOURNAL_RECORDED: return b == JOURNAL_CONFIRMED || b == JOURNAL_NEEDS_OPERATOR;
	default: return false;
	}
}

static int find(const char *id)
{
	for (int i = 0; i < J.n; i++)
		if (!strcmp(J.rows[i].txn_id, id))
			return i;
	return -1;
}

static void hist(int i, enum journal_state st)
{
	size_t l = strlen(J.history[i]);
	snprintf(J.history[i] + l, sizeof J.history[i] - l, "%s%s", l ? " " : "", stname(st));
}

static int add_row(const char *id, enum journal_state st, kopecks total, kopecks line)
{
	int i = J.n++;
	memset(&J.rows[i], 0, sizeof J.rows[i]);
	snprintf(J.rows[i].txn_id, sizeof J.rows[i].txn_id, "%s", id);
	J.rows[i].state = st;
	J.rows[i].total = total;
	J.rows[i].created_ms = clock_wall_ms();
	J.rows[i].nlines = 1;
	strcpy(J.rows[i].lines[0].pers_acc, "100200300");
	J.rows[i].lines[0].amount = line;
	J.history[i][0] = 0;
	hist(i, st);
	return i;
}

/* what the terminal knows about id right now (0xFF: nothing) */
static void find_fn(struct sim_core *s, void *arg)
{
	const struct sim_txn *t = sim_core_find(s, ((char **)arg)[0]);
	*(int *)((char **)arg)[1] = t ? t->state : 0xFF;
}
static int sim_state(const char *id)
{
	int st;
	char *args[2] = { (char *)id, (char *)&st };
	sim_run_with(sim, find_fn, args);
	return st;
}

static int f_begin(void *j, const struct journal_line *lines, int nlines, int64_t now, char *ret)
{
	(void)j; (void)now;
	pthread_mutex_lock(&J.mu);
	char id[33];
	snprintf(id, sizeof id, "%032x", ++J.counter);
	kopecks total = 0;
	for (int k = 0; k < nlines; k++)
		total += lines[k].amount;
	int i = add_row(id, JOURNAL_INTENT, total, 0);
	J.rows[i].nlines = nlines;
	memcpy(J.rows[i].lines, lines, sizeof *lines * (size_t)nlines);
	strcpy(ret, id);
	pthread_mutex_unlock(&J.mu);
	/* INTENT is written before the terminal hears of the id */
	assert_int_equal(sim_state(id), 0xFF);
	return 0;
}

static int f_move_locked(const char *id, enum journal_state to, const char *reason)
{
	int i = find(id);
	if (i < 0 || !can_move(J.rows[i].state, to))
		return -1;
	J.rows[i].state = to;
	if (reason)
		snprintf(J.rows[i].reason, sizeof J.rows[i].reason, "%s", reason);
	hist(i, to);
	return 0;
}

static int f_authorize(void *j, const char *id, const struct journal_card *card, int64_t now)
{
	(void)j; (void)now;
	if (J.fail_authorize)
		return -1;
	pthread_mutex_lock(&J.mu);
	int rc = f_move_locked(id, JOURNAL_AUTHORIZED, NULL);
	if (rc == 0)
		J.rows[find(id)].card = *card;
	pthread_mutex_unlock(&J.mu);
	return rc;
}

static int f_record(void *j, const char *id, bool offline, int64_t now)
{
	(void)j; (void)now; (void)offline;
	/* RECORDED is written before CONFIRM reaches the terminal */
	assert_int_equal(sim_state(id), KPP_TS_APPROVED_PENDING_CONFIRM);
	pthread_mutex_lock(&J.mu);
	int rc = f_move_locked(id, JOURNAL_RECORDED, NULL);
	pthread_mutex_unlock(&J.mu);
	return rc;
}

static int f_move(void *j, const char *id, enum journal_state to, const char *reason, int64_t now)
{
	(void)j; (void)now;
	pthread_mutex_lock(&J.mu);
	int rc = f_move_locked(id, to, reason);
	pthread_mutex_unlock(&J.mu);
	return rc;
}

static int f_get(void *j, const char *id, struct journal_payment *ret)
{
	(void)j;
	pthread_mutex_lock(&J.mu);
	int i = find(id);
	if (i >= 0)
		*ret = J.rows[i];
	pthread_mutex_unlock(&J.mu);
	return i >= 0 ? 0 : -1;
}

static int f_unfinished(void *j, struct journal_payment *ret, int cap)
{
	(void)j;
	int n = 0;
	pthread_mutex_lock(&J.mu);
	for (int i = 0; i < J.n && n < cap; i++)
		if (J.rows[i].state <= JOURNAL_RECORDED)
			ret[n++] = J.rows[i];
	pthread_mutex_unlock(&J.mu);
	return n;
}

static const struct pinpad_journal_ops fake_ops = {
	.begin = f_begin, .authorize = f_authorize, .record = f_record, .move = f_move,
	.get = f_get, .unfinished = f_unfinished,
};

/* ---------------------------------------------------------------- events */

struct evq {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int n;
	struct pinpad_event ev[64];
	char auth[64][8];
};
static struct evq Q;

static void on_event(void *ctx, const struct pinpad_event *ev)
{
	(void)ctx;
	pthread_mutex_lock(&Q.mu);
	if (Q.n < 64) {
		Q.ev[Q.n] = *ev;
		Q.ev[Q.n].msg = NULL;
		snprintf(Q.auth[Q.n], 8, "%s", ev->msg ? ev->msg->auth_code : "");
		Q.n++;
	}
	pthread_cond_broadcast(&Q.cv);
	pthread_mutex_unlock(&Q.mu);
}

/* Waits (up to 10 s) for the next event of kind after index *from; returns its index. */
static int wait_event(enum pinpad_event_kind kind, int *from)
{
	struct timespec ts = clock_deadline(CLOCK_REALTIME, 10000);
	pthread_mutex_lock(&Q.mu);
	int found = -1;
	for (;;) {
		for (int i = *from; i < Q.n; i++)
			if (Q.ev[i].kind == kind) {
				found = i;
				break;
			}
		if (found >= 0 || pthread_cond_timedwait(&Q.cv, &Q.mu, &ts) != 0)
			break;
	}
	pthread_mutex_unlock(&Q.mu);
	assert_true(found >= 0);
	*from = found + 1;
	return found;
}

/* ---------------------------------------------------------------- fixture */

static char state_path[64];
static struct pinpad_service *svc;
static int sv[2];

static void start_sim(void)
{
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	sim = sim_run_start(sv[1], -1, state_path);
	assert_non_null(sim);
	char err[64];
	assert_int_equal(sim_run_knobs(sim, "delay=100 event_ms=30 t_ack_ms=400", err, sizeof err), 0);
}

static struct kpp_client *new_client(int fd)
{
	struct kpp_timeouts to;
	kpp_timeouts_default(&to);
	to.t_ack_ms = 300;
	to.t_resp_ms = 1500;
	to.silence_ms = 800;
	to.online_extra_ms = 1000;
	to.ms_per_s = 10;
	return kpp_client_new(transport_fd_new(fd), &to);
}

static void start_service(void)
{
	struct pinpad_service_cfg cfg = {
		.client = new_client(sv[0]), .jops = &fake_ops, .journal = &J,
		.on_event = on_event, .poll_ms = 100, .max_polls = 30, .backoff_min_ms = 50,
		.backoff_max_ms = 200,
	};
	svc = pinpad_service_start(&cfg);
	assert_non_null(svc);
}

static int setup(void **state)
{
	(void)state;
	memset(&J, 0, sizeof J);
	pthread_mutex_init(&J.mu, NULL);
	memset(&Q, 0, sizeof Q);
	pthread_mutex_init(&Q.mu, NULL);
	pthread_cond_init(&Q.cv, NULL);
	snprintf(state_path, sizeof state_path, "/tmp/pinpad-svc-test-%d.state", (int)getpid());
	unlink(state_path);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	pinpad_service_stop(svc);
	svc = NULL;
	sim_run_stop(sim);
	sim = NULL;
	unlink(state_path);
	return 0;
}

static struct pinpad_cmd sale_cmd(kopecks a, kopecks b)
{
	struct pinpad_cmd c = { .kind = PINPAD_CMD_SALE, .tag = 7, .nlines = 2 };
	strcpy(c.lines[0].pers_acc, "1001");
	c.lines[0].amount = a;
	strcpy(c.lines[1].pers_acc, "1002");
	c.lines[1].amount = b;
	return c;
}

static void test_sale_confirm(void **state)
{
	(void)state;
	start_sim();
	start_service();
	int at = 0;
	int i = wait_event(PINPAD_EV_READY, &at);
	assert_true(Q.ev[i].ready);
	struct pinpad_cmd c = sale_cmd(100000, 23456);
	assert_int_equal(pinpad_service_submit(svc, &c), 0);
	int p = at;
	i = wait_event(PINPAD_EV_OUTCOME, &at);
	wait_event(PINPAD_EV_PROGRESS, &p);
	assert_int_equal(Q.ev[i].outcome, PINPAD_OUT_APPROVED);
	assert_int_equal(Q.ev[i].tag, 7);
	assert_true(Q.auth[i][0] != 0);
	char id[33];
	strcpy(id, Q.ev[i].txn_id);
	struct journal_payment row;
	assert_int_equal(f_get(NULL, id, &row), 0);
	assert_int_equal(row.state, JOURNAL_AUTHORIZED);
	assert_int_equal(row.total, 123456);
	assert_string_equal(row.card.masked_pan, "220220******1234");
	assert_string_equal(row.card.auth_code, Q.auth[i]);
	assert_non_null(strstr(row.card.slip, "ОДОБРЕНО"));
	struct pinpad_cmd cc = { .kind = PINPAD_CMD_CONFIRM };
	strcpy(cc.txn_id, id);
	assert_int_equal(pinpad_service_submit(svc, &cc), 0);
	i = wait_event(PINPAD_EV_OUTCOME, &at);
	assert_int_equal(Q.ev[i].outcome, PINPAD_OUT_PAID);
	assert_string_equal(J.history[0], "INTENT AUTHORIZED RECORDED CONFIRMED");
	assert_int_equal(sim_state(id), KPP_TS_APPROVED_CONFIRMED);
}

static void test_decline_and_cancel(void **state)
{
	(void)state;
	start_sim();
	start_service();
	int at = 0;
	wait_event(PINPAD_EV_READY, &at);
	char err[64];
	sim_run_knobs(sim, "decline=51", err, sizeof err);
	struct pinpad_cmd c = sale_cmd(500, 500);
	pinpad_service_submit(svc, &c);
	int i = wait_event(PINPAD_EV_OUTCOME, &at);
	assert_int_equal(Q.ev[i].outcome, PINPAD_OUT_DECLINED);
	assert_string_equal(J.history[0], "INTENT DECLINED");
	assert_non_null(strstr(J.rows[0].reason, "51"));
	/* host cancel while the customer has not presented a card */
	sim_run_knobs(sim, "approve delay=4000 event_ms=700", err, sizeof err);
	pinpad_service_submit(svc, &c);
	int p = at;
	wait_event(PINPAD_EV_PROGRESS, &p);
	assert_int_equal(pinpad_service_cancel(svc), 0);
	i = wait_event(PINPAD_EV_OUTCOME, &at);
	assert_int_equal(Q.ev[i].outcome, PINPAD_OUT_CANCELLED);
	assert_string_equal(J.history[1], "INTENT CANCELLED");
}

static void test_lost_response_completed_forward(void **state)
{
	(void)state;
	start_sim();
	start_service();
	int at = 0;
	wait_event(PINPAD_EV_READY, &at);
	char err[64];
	sim_run_knobs(sim, "drop_resp", err, sizeof err);
	struct pinpad_cmd c = sale_cmd(4000, 200);
	pinpad_service_submit(svc, &c);
	int r = at;
	int i = wait_event(PINPAD_EV_OUTCOME, &at);
	assert_int_equal(Q.ev[i].outcome, PINPAD_OUT_PAID);
	wait_event(PINPAD_EV_RECOVERED, &r);
	assert_string_equal(J.history[0], "INTENT AUTHORIZED RECORDED CONFIRMED");
	assert_string_equal(J.rows[0].card.masked_pan, "220220******1234");
}

/* The kiosk "crashed" with three rows unfinished; the terminal knows two of them. */
static void test_startup_recovery(void **state)
{
	(void)state;
	start_sim();
	/* before the crash: the terminal approved A (complete basket) and C (basket lost) */
	struct kpp_client *cl = new_client(sv[0]);
	assert_int_equal(kpp_client_open(cl), KPP_OK);
	static struct kpp_msg m;
	const char *A = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", *B = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
		   *C = "cccccccccccccccccccccccccccccccc", *D = "dddddddddddddddddddddddddddddddd";
	struct kpp_sale_req rq = { .txn_id = A, .amount = 777, .currency = "643" };
	assert_int_equal(kpp_client_sale(cl, &rq, NULL, NULL, &m), KPP_OK);
	rq.txn_id = C;
	assert_int_equal(kpp_client_sale(cl, &rq, NULL, NULL, &m), KPP_OK);
	rq.txn_id = D;
	assert_int_equal(kpp_client_sale(cl, &rq, NULL, NULL, &m), KPP_OK);
	assert_int_equal(kpp_client_confirm(cl, D, &m), KPP_OK);
	kpp_client_free(cl); /* closes our end */
	sim_run_stop(sim);
	/* restart both, the terminal from its state file */
	start_sim();
	add_row(A, JOURNAL_INTENT, 777, 777);   /* approved, complete: record forward */
	add_row(B, JOURNAL_INTENT, 100, 100);   /* never reached the terminal */
	add_row(C, JOURNAL_INTENT, 777, 0);     /* approved, incomplete basket: VOID */
	add_row(D, JOURNAL_RECORDED, 777, 777); /* confirmed on the terminal already */
	start_service();
	int at = 0;
	int i = wait_event(PINPAD_EV_READY, &at);
	assert_true(Q.ev[i].ready);
	/* every row was resolved before READY */
	int nrec = 0;
	for (int k = 0; k < i; k++)
		nrec += Q.ev[k].kind == PINPAD_EV_RECOVERED;
	assert_int_equal(nrec, 4);
	assert_string_equal(J.history[0], "INTENT AUTHORIZED RECORDED CONFIRMED");
	assert_string_equal(J.history[1], "INTENT CANCELLED");
	assert_string_equal(J.history[2], "INTENT AUTHORIZED VOIDED");
	assert_string_equal(J.history[3], "RECORDED CONFIRMED");
	assert_int_equal(sim_state(A), KPP_TS_APPROVED_CONFIRMED);
	assert_int_equal(sim_state(C), KPP_TS_REVERSED);
	assert_int_equal(sim_state(B), 0xFF);
	assert_string_equal(J.rows[2].card.masked_pan, "220220******1234"); /* evidence kept */
}


static int listen_on(int port, int *ret_port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(listen(fd, 2), 0);
	socklen_t len = sizeof a;
	getsockname(fd, (struct sockaddr *)&a, &len);
	*ret_port = ntohs(a.sin_port);
	return fd;
}

/* The PIN-pad goes away while idle (the ping notices: not ready), a row is left unfinished
 * meanwhile, and when the PIN-pad is back the service reconnects and resolves the row
 * before it reports ready again. */
static void test_reconnect_then_recover(void **state)
{
	(void)state;
	int port;
	sim = sim_run_start(-1, listen_on(0, &port), state_path);
	char hp[32];
	snprintf(hp, sizeof hp, "127.0.0.1:%d", port);
	struct pinpad_service_cfg cfg = {
		.client = NULL, .jops = &fake_ops, .journal = &J, .on_event = on_event,
		.poll_ms = 100, .max_polls = 30, .backoff_min_ms = 50, .backoff_max_ms = 200,
		.idle_ping_ms = 150,
	};
	struct kpp_timeouts to;
	kpp_timeouts_default(&to);
	to.t_ack_ms = 200;
	to.t_resp_ms = 1000;
	cfg.client = kpp_client_new(transport_tcp_new(hp), &to);
	svc = pinpad_service_start(&cfg);
	int at = 0;
	int i = wait_event(PINPAD_EV_READY, &at);
	assert_true(Q.ev[i].ready);
	log_set_level(LOG_LVL_ERROR); /* the reconnect attempts warn; expected here */
	sim_run_stop(sim);
	i = wait_event(PINPAD_EV_READY, &at);
	assert_false(Q.ev[i].ready);
	assert_false(pinpad_service_ready(svc));
	/* a sale asked for meanwhile is refused at once, before any journal write */
	struct pinpad_cmd early = sale_cmd(100, 100);
	pinpad_service_submit(svc, &early);
	i = wait_event(PINPAD_EV_OUTCOME, &at);
	assert_int_equal(Q.ev[i].outcome, PINPAD_OUT_UNAVAILABLE);
	assert_int_equal(J.n, 0);
	pthread_mutex_lock(&J.mu);
	add_row("eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee", JOURNAL_INTENT, 100, 100);
	pthread_mutex_unlock(&J.mu);
	usleep(300 * 1000); /* a few failed attempts with backoff */
	sim = sim_run_start(-1, listen_on(port, &port), state_path);
	i = wait_event(PINPAD_EV_READY, &at);
	assert_true(Q.ev[i].ready);
	log_set_level(LOG_LVL_INFO);
	int r = 0;
	i = wait_event(PINPAD_EV_RECOVERED, &r);
	assert_true(i < at); /* recovered before ready */
	assert_string_equal(J.history[0], "INTENT CANCELLED");
	/* and it takes payments again */
	struct pinpad_cmd c = sale_cmd(100, 200);
	pinpad_service_submit(svc, &c);
	i = wait_event(PINPAD_EV_OUTCOME, &at);
	assert_int_equal(Q.ev[i].outcome, PINPAD_OUT_APPROVED);
}

/* Recovery always ends: with no terminal to ask, a row unresolved past the recovery limit
 * goes to the cashier (NEEDS_OPERATOR, with a RECOVERED event) and a newer one stays. */
static void test_unreachable_rows_expire(void **state)
{
	(void)state;
	int port;
	int fd = listen_on(0, &port);
	close(fd); /* nothing listens there */
	char hp[32];
	snprintf(hp, sizeof hp, "127.0.0.1:%d", port);
	pthread_mutex_lock(&J.mu);
	int old = add_row("abababababababababababababababab", JOURNAL_AUTHORIZED, 100, 100);
	J.rows[old].created_ms -= 3600 * 1000;
	add_row("cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd", JOURNAL_INTENT, 100, 100);
	pthread_mutex_unlock(&J.mu);
	struct pinpad_service_cfg cfg = {
		.client = NULL, .jops = &fake_ops, .journal = &J, .on_event = on_event,
		.poll_ms = 100, .max_polls = 30, .backoff_min_ms = 50, .backoff_max_ms = 200,
		.idle_ping_ms = 150, .recovery_limit_s = 600,
	};
	struct kpp_timeouts to;
	kpp_timeouts_default(&to);
	cfg.client = kpp_client_new(transport_tcp_new(hp), &to);
	log_set_level(LOG_LVL_ERROR); /* the reconnect attempts warn; expected here */
	svc = pinpad_service_start(&cfg);
	int at = 0;
	int i = wait_event(PINPAD_EV_RECOVERED, &at);
	log_set_level(LOG_LVL_INFO);
	assert_string_equal(Q.ev[i].txn_id, "abababababababababababababababab");
	assert_int_equal(Q.ev[i].outcome, PINPAD_OUT_NEEDS_OPERATOR);
	pthread_mutex_lock(&J.mu);
	assert_string_equal(J.history[old], "AUTHORIZED NEEDS_OPERATOR");
	assert_string_equal(J.history[old + 1], "INTENT");
	pthread_mutex_unlock(&J.mu);
	assert_false(pinpad_service_ready(svc));
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_sale_confirm), T(test_decline_and_cancel),
		T(test_lost_response_completed_forward), T(test_startup_recovery),
		T(test_reconnect_then_recover), T(test_unreachable_rows_expire),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
