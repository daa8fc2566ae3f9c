/* The fiscal service thread against the simulated register: the preflight opens the shift
 * and makes the service ready; a receipt's closing step comes with FD0 while the receipt is
 * open; MADE carries FD, FP, time, drive, shift and number; a refusal is NOT_MADE; a close
 * in doubt blocks every other request and is resolved once the line is back (one receipt);
 * a RESOLVE after a restart; alarms and readiness for paper and unsent documents; the shift
 * closed at the quiet hour and before 24 h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <pthread.h>
#include <time.h>

#include "drivers/fiscal_service.h"
#include "drivers/shtrih_state.h"
#include "kiosk/base/clock.h"
#include "kiosk/conf/config.h"
#include "tests/sim/kkt/kkt_pump.h"

#define T0 1741942800000LL /* 2025-03-14T09:00Z: 12:00 on the register */
#define HOUR (3600 * 1000LL)
#define DAY (24 * HOUR)
#define QMAX 64

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static struct fiscal_event q[QMAX];
static int qn;
static uint32_t closing_fd0;
static int closing_calls;
static uint8_t closing_mode;
static struct kkt_pump *pump;
static struct fiscal_service *svc;
static struct transport *host;       /* the service's line; the test owns it */

struct peek { uint8_t mode; uint32_t last_fd; int receipts; uint16_t shift_no; };

static void do_peek(struct kkt_core *k, void *arg)
{
	struct peek *p = arg;
	p->mode = k->mode;
	p->last_fd = k->last_fd;
	p->shift_no = k->shift_no;
	p->receipts = 0;
	for (size_t i = 0; i < k->ndocs; i++)
		p->receipts += k->docs[i].type == 3;
}

static struct peek peek(void)
{
	struct peek p;
	kkt_pump_with(pump, do_peek, &p);
	return p;
}

static void on_event(void *ctx, const struct fiscal_event *ev)
{
	(void)ctx;
	pthread_mutex_lock(&mu);
	if (qn < QMAX)
		q[qn++] = *ev;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
}

static int on_closing(void *ctx, const char *txn, uint32_t fd0)
{
	(void)ctx;
	(void)txn;
	closing_fd0 = fd0;
	closing_calls++;
	closing_mode = peek().mode;
	return 0;
}

/* The next event of kind (earlier ones of other kinds are dropped); fails after 5 s. */
static struct fiscal_event wait_event(enum fiscal_event_kind kind)
{
	struct fiscal_event ev;
	struct timespec ts = clock_deadline(CLOCK_REALTIME, 5000);
	pthread_mutex_lock(&mu);
	for (;;) {
		int i = 0;
		while (i < qn && q[i].kind != kind)
			i++;
		if (i < qn) {
			ev = q[i];
			memmove(q, q + i + 1, (size_t)(qn - i - 1) * sizeof q[0]);
			qn -= i + 1;
			break;
		}
		if (pthread_cond_timedwait(&cv, &mu, &ts) != 0) {
			pthread_mutex_unlock(&mu);
			fail_msg("no event of kind %d", kind);
		}
	}
	pthread_mutex_unlock(&mu);
	return ev;
}

static void start(int close_hour)
{
	struct transport *t;
	qn = 0;
	closing_calls = 0;
	if (!pump)
		pump = kkt_pump_start(true, T0, &t);
	else
		t = NULL;
	if (t)
		host = t;
	struct fiscal_service_cfg c = {
		.byte_timeout_ms = 20, .password = 30, .attach = host, .attach_tcp = true,
		.on_event = on_event, .closing = on_closing, .shift_close_hour = close_hour,
		.unsent_alarm_days = 3, .unsent_stop_days = 25, .fn_warn_days = 30,
		.poll_ms = 40, .backoff_ms = 40,
	};
	svc = fiscal_service_start(&c);
	assert_non_null(svc);
}

static int teardown(void **state)
{
	(void)state;
	fiscal_service_stop(svc);
	svc = NULL;
	kkt_pump_stop(pump);
	pump = NULL;
	transport_destroy(host);
	host = NULL;
	return 0;
}

static void request(enum fiscal_req_kind kind, kopecks amount, uint32_t tag)
{
	static struct fiscal_request r;
	struct config c;
	struct fiscal_conf fc;
	struct journal_payment p;
	char err[256];
	const char *key;
	memset(&r, 0, sizeof r);
	r.kind = kind;
	r.tag = tag;
	snprintf(r.txn_id, sizeof r.txn_id, "T%u", tag);
	if (kind == FISCAL_REQ_RECEIPT || kind == FISCAL_REQ_RESOLVE) {
		config_defaults(&c);
		config_set(&c, "fiscal.device", "shtrih", err, sizeof err);
		config_set(&c, "fiscal.tax_system", "usn_income", err, sizeof err);
		config_set(&c, "fiscal.operator_phone", "+74957654321", err, sizeof err);
		config_set(&c, "fiscal.supplier_phones", "5012345672=+74951234567", err, sizeof err);
		assert_int_equal(fiscal_conf_from_config(&c, &fc, &key, err, sizeof err), 0);
		memset(&p, 0, sizeof p);
		p.nlines = 1;
		snprintf(p.lines[0].pers_acc, sizeof p.lines[0].pers_acc, "42");
		snprintf(p.lines[0].payee_inn, sizeof p.lines[0].payee_inn, "5012345672");
		snprintf(p.lines[0].payee_name, sizeof p.lines[0].payee_name, "ООО Ромашка");
		p.lines[0].amount = p.total = amount;
		r.amount = amount;
		r.ncmds = fiscal_receipt_build(&fc, &p, NULL, r.cmds, FISCAL_RECEIPT_MAX_CMDS);
		assert_true(r.ncmds > 0);
	}
	assert_int_equal(fiscal_service_submit(svc, &r), 0);
}

static char printout[1024];

static void print_sink(void *ctx, const char *kind, const char *text)
{
	(void)ctx;
	pthread_mutex_lock(&mu);
	size_t n = strlen(printout);
	snprintf(printout + n, sizeof printout - n, "%s:%s|", kind, text);
	pthread_mutex_unlock(&mu);
}

static void set_sink(struct kkt_core *k, void *arg)
{
	(void)arg;
	k->on_print = print_sink;
}

/* Text on the receipt tape (17h a line, WIN1251), then a cut; no paper: refused, and the
 * paper state says so. */
static void test_print_text(void **state)
{
	(void)state;
	static struct fiscal_request r;
	start(3);
	wait_event(FISCAL_EV_READY);
	assert_int_equal(fiscal_service_paper(svc), 1);
	kkt_pump_with(pump, set_sink, NULL);
	memset(&r, 0, sizeof r);
	r.kind = FISCAL_REQ_PRINT;
	r.tag = 7;
	snprintf(r.text, sizeof r.text, "Номер операции\nКарта 220220******1234 · 4 523,16");
	assert_int_equal(fiscal_service_submit(svc, &r), 0);
	struct fiscal_event ev = wait_event(FISCAL_EV_OUTCOME);
	assert_int_equal(ev.req, FISCAL_REQ_PRINT);
	assert_int_equal(ev.tag, 7);
	assert_int_equal(ev.outcome, FISCAL_OUT_OK);
	pthread_mutex_lock(&mu);
	assert_string_equal(printout, "line:Номер операции|line:Карта 220220******1234 · 4 523,16|cut:full|");
	printout[0] = '\0';
	pthread_mutex_unlock(&mu);
	assert_int_equal(peek().receipts, 0); /* nothing fiscal */
	assert_int_equal(kkt_pump_knobs(pump, "paper=0"), 0);
	assert_int_equal(fiscal_service_submit(svc, &r), 0);
	ev = wait_event(FISCAL_EV_OUTCOME);
	assert_int_equal(ev.outcome, FISCAL_OUT_REFUSED);
	assert_int_equal(fiscal_service_paper(svc), 0);
	assert_string_equal(printout, "");
}

static void test_preflight_and_receipt(void **state)
{
	(void)state;
	start(3);
	request(FISCAL_REQ_PREFLIGHT, 0, 1);
	struct fiscal_event ev = wait_event(FISCAL_EV_OUTCOME);
	assert_int_equal(ev.outcome, FISCAL_OUT_OK);
	assert_true(fiscal_service_ready(svc));
	assert_int_equal(peek().last_fd, 1);
	request(FISCAL_REQ_RECEIPT, 123456, 2);
	ev = wait_event(FISCAL_EV_OUTCOME);
	assert_int_equal(ev.outcome, FISCAL_OUT_MADE);
	assert_int_equal(ev.tag, 2);
	assert_string_equal(ev.txn_id, "T2");
	assert_int_equal(closing_calls, 1);
	assert_int_equal(closing_fd0, 1);
	assert_int_equal(closing_mode, SHTRIH_MODE_DOCUMENT);
	assert_int_equal(ev.receipt.fd, 2);
	assert_string_equal(ev.receipt.fn_serial, "9999078900007903");
	assert_int_equal(ev.receipt.shift_no, 1);
	assert_int_equal(ev.receipt.number, 1);
	assert_int_equal(ev.receipt.dt.yy, 25);
	assert_int_equal(ev.receipt.dt.hh, 12);
	/* refused: the tax system is not registered */
	assert_int_equal(kkt_pump_knobs(pump, "tax_systems=1"), 0);
	request(FISCAL_REQ_RECEIPT, 500, 3);
	ev = wait_event(FISCAL_EV_OUTCOME);
	assert_int_equal(ev.outcome, FISCAL_OUT_NOT_MADE);
	assert_non_null(strstr(ev.text, "33h"));
	assert_int_equal(peek().receipts, 1);
	assert_int_equal(peek().mode, SHTRIH_MODE_SHIFT_OPEN);
	/* X and Z from the cashier's menu; Z twice is refused */
	request(FISCAL_REQ_X, 0, 4);
	assert_int_equal(wait_event(FISCAL_EV_OUTCOME).outcome, FISCAL_OUT_OK);
	request(FISCAL_REQ_Z, 0, 5);
	assert_int_equal(wait_event(FISCAL_EV_OUTCOME).outcome, FISCAL_OUT_OK);
	request(FISCAL_REQ_Z, 0, 6);
	ev = wait_event(FISCAL_EV_OUTCOME);
	assert_int_equal(ev.outcome, FISCAL_OUT_REFUSED);
	assert_non_null(strstr(ev.text, "73h"));
}

static void test_doubt_blocks_then_resolves(void **state)
{
	(void)state;
	start(3);
	request(FISCAL_REQ_PREFLIGHT, 0, 1);
	wait_event(FISCAL_EV_OUTCOME);
	assert_int_equal(kkt_pump_knobs(pump, "drop=after"), 0);
	request(FISCAL_REQ_RECEIPT, 777, 2);
	struct fiscal_event ev = wait_event(FISCAL_EV_OUTCOME);
	assert_int_equal(ev.outcome, FISCAL_OUT_UNKNOWN);
	assert_false(fiscal_service_ready(svc));
	request(FISCAL_REQ_PREFLIGHT, 0, 3);
	ev = wait_event(FISCAL_EV_OUTCOME);
	assert_int_equal(ev.tag, 3);
	assert_int_equal(ev.outcome, FISCAL_OUT_UNAVAILABLE);
	assert_string_equal(ev.text, "идёт проверка предыдущего чека");
	kkt_pump_reconnect(pump); /* the line is back: the held reply answers */
	ev = wait_event(FISCAL_EV_OUTCOME);
	assert_int_equal(ev.tag, 2);
	assert_int_equal(ev.outcome, FISCAL_OUT_MADE);
	assert_int_equal(ev.receipt.fd, 2);
	assert_int_equal(peek().receipts, 1);
	request(FISCAL_REQ_PREFLIGHT, 0, 4);
	assert_int_equal(wait_event(FISCAL_EV_OUTCOME).outcome, FISCAL_OUT_OK);
	assert_true(fiscal_service_ready(svc));
}

static void test_resolve_after_restart(void **state)
{
	(void)state;
	start(3);
	request(FISCAL_REQ_PREFLIGHT, 0, 1);
	wait_event(FISCAL_EV_OUTCOME);
	assert_int_equal(kkt_pump_knobs(pump, "drop=power"), 0);
	request(FISCAL_REQ_RECEIPT, 900, 2);
	assert_int_equal(wait_event(FISCAL_EV_OUTCOME).outcome, FISCAL_OUT_UNKNOWN);
	/* the kiosk restarts: a new service, the journal's CLOSING row handed to RESOLVE */
	fiscal_service_stop(svc);
	kkt_pump_reconnect(pump);
	start(3);
	request(FISCAL_REQ_RESOLVE, 900, 2);
	struct fiscal_event ev = wait_event(FISCAL_EV_OUTCOME);
	assert_int_equal(ev.req, FISCAL_REQ_RESOLVE);
	assert_int_equal(ev.outcome, FISCAL_OUT_MADE);
	assert_int_equal(ev.receipt.fd, 2);
	assert_int_equal(peek().receipts, 1);
}

static void test_alarms_and_ready(void **state)
{
	(void)state;
	start(3);
	assert_int_equal(kkt_pump_knobs(pump, "ofd=0"), 0);
	request(FISCAL_REQ_PREFLIGHT, 0, 1);
	wait_event(FISCAL_EV_OUTCOME);
	assert_int_equal(kkt_pump_knobs(pump, "paper=0"), 0);
	struct fiscal_event ev = wait_event(FISCAL_EV_ALARM);
	assert_int_equal(ev.alarm, FISCAL_ALARM_PAPER);
	ev = wait_event(FISCAL_EV_READY);
	assert_false(ev.ready);
	assert_string_equal(ev.text, "нет бумаги");
	assert_int_equal(kkt_pump_knobs(pump, "paper=1"), 0);
	ev = wait_event(FISCAL_EV_READY);
	assert_true(ev.ready);
	/* the shift-open document waits for the OFD: 3 days alarm, 25 days stop */
	kkt_pump_set_wall(pump, T0 + 3 * DAY);
	ev = wait_event(FISCAL_EV_ALARM);
	assert_int_equal(ev.alarm, FISCAL_ALARM_UNSENT);
	assert_non_null(strstr(ev.text, "старейший 3 дн."));
	kkt_pump_set_wall(pump, T0 + 25 * DAY);
	ev = wait_event(FISCAL_EV_READY);
	assert_false(ev.ready);
	assert_string_equal(ev.text, "документы слишком долго не переданы в ОФД");
}

static void test_shift_closed_by_service(void **state)
{
	(void)state;
	start(3);
	request(FISCAL_REQ_PREFLIGHT, 0, 1);
	wait_event(FISCAL_EV_OUTCOME);
	/* 02:59 on the register: not yet; 03:00: the quiet hour */
	kkt_pump_set_wall(pump, T0 + 14 * HOUR + 59 * 60000);
	request(FISCAL_REQ_STATUS, 0, 2);
	wait_event(FISCAL_EV_OUTCOME);
	assert_int_equal(peek().mode, SHTRIH_MODE_SHIFT_OPEN);
	kkt_pump_set_wall(pump, T0 + 15 * HOUR);
	struct fiscal_event ev = wait_event(FISCAL_EV_SHIFT);
	assert_non_null(strstr(ev.text, "смена 1 закрыта"));
	assert_int_equal(peek().mode, SHTRIH_MODE_SHIFT_CLOSED);
	/* a shift opened at 04:00 is closed at 03:30 the next day (23.5 h), before the drive
	 * would refuse receipts */
	kkt_pump_set_wall(pump, T0 + 16 * HOUR);
	request(FISCAL_REQ_PREFLIGHT, 0, 3);
	wait_event(FISCAL_EV_OUTCOME);
	assert_int_equal(peek().shift_no, 2);
	fiscal_service_stop(svc);
	start(5); /* a restart: the opening time is found in the archive */
	kkt_pump_set_wall(pump, T0 + 16 * HOUR + 23 * HOUR + 29 * 60000);
	request(FISCAL_REQ_STATUS, 0, 4);
	wait_event(FISCAL_EV_OUTCOME);
	assert_int_equal(peek().mode, SHTRIH_MODE_SHIFT_OPEN);
	kkt_pump_set_wall(pump, T0 + 16 * HOUR + 23 * HOUR + 30 * 60000);
	ev = wait_event(FISCAL_EV_SHIFT);
	assert_non_null(strstr(ev.text, "смена 2 закрыта"));
	assert_non_null(strstr(ev.text, "1410 мин"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_preflight_and_receipt, teardown),
		cmocka_unit_test_teardown(test_doubt_blocks_then_resolves, teardown),
		cmocka_unit_test_teardown(test_resolve_after_restart, teardown),
		cmocka_unit_test_teardown(test_alarms_and_ready, teardown),
		cmocka_unit_test_teardown(test_shift_closed_by_service, teardown),
		cmocka_unit_test_teardown(test_print_text, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
