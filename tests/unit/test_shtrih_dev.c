/* The fiscal register's operations against the simulated register: the preflight and each
 * fix it makes (open shift, cancel a receipt left open, Z after 24 h, continue print,
 * out of service on paper and a closed drive), the receipt with its "closing" step, a
 * refused close cancelled, and the resolution of a close in doubt — reply held, register
 * power-cycled, close never executed, close refused on the resend — each ending with
 * exactly one document or none. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "drivers/shtrih_dev.h"
#include "drivers/shtrih_state.h"
#include "kiosk/conf/config.h"
#include "drivers/fiscal_receipt.h"
#include "tests/sim/kkt/kkt_pump.h"

#define T0 1741942800000LL /* 2025-03-14T09:00Z */
#define HOUR (3600 * 1000LL)
#define DAY (24 * HOUR)

static struct kkt_pump *pump;
static struct shtrih_dev dev;

static int setup(void **state)
{
	(void)state;
	struct transport *t;
	pump = kkt_pump_start(true, T0, &t);
	shtrih_dev_attach(&dev, t, true, 20, 30);
	dev.link.exec_timeout_ms = 400;
	dev.link.tries = 4;
	dev.busy_wait_ms = 10;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	shtrih_dev_close(&dev);
	kkt_pump_stop(pump);
	return 0;
}

struct peek {
	uint8_t mode, submode;
	uint32_t last_fd;
	uint16_t shift_no, receipt_no;
	int receipts;
};

static void do_peek(struct kkt_core *k, void *arg)
{
	struct peek *p = arg;
	p->mode = k->mode;
	p->submode = k->submode;
	p->last_fd = k->last_fd;
	p->shift_no = k->shift_no;
	p->receipt_no = k->receipt_no;
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

static int build(struct shtrih_req *q, kopecks amount)
{
	struct config c;
	struct fiscal_conf fc;
	struct journal_payment p;
	char err[256];
	const char *key;
	config_defaults(&c);
	config_set(&c, "fiscal.device", "shtrih", err, sizeof err);
	config_set(&c, "fiscal.tax_system", "usn_income", err, sizeof err);
	config_set(&c, "fiscal.operator_phone", "+74957654321", err, sizeof err);
	config_set(&c, "fiscal.supplier_phones", "5012345672=+74951234567", err, sizeof err);
	assert_int_equal(fiscal_conf_from_config(&c, &fc, &key, err, sizeof err), 0);
	memset(&p, 0, sizeof p);
	p.nlines = 1;
	snprintf(p.lines[0].pers_acc, sizeof p.lines[0].pers_acc, "123");
	snprintf(p.lines[0].payee_inn, sizeof p.lines[0].payee_inn, "5012345672");
	snprintf(p.lines[0].payee_name, sizeof p.lines[0].payee_name, "ООО Ромашка");
	p.lines[0].amount = p.total = amount;
	int n = fiscal_receipt_build(&fc, &p, NULL, q, FISCAL_RECEIPT_MAX_CMDS);
	assert_true(n > 0);
	return n;
}

static int closing_calls;
static uint8_t mode_at_closing;

static int on_closing(void *ctx)
{
	(void)ctx;
	closing_calls++;
	mode_at_closing = peek().mode;
	return 0;
}

static void test_preflight_opens_shift_and_reads(void **state)
{
	(void)state;
	struct shtrih_snapshot s;
	assert_int_equal(shtrih_dev_preflight(&dev, false, &s), 0);
	assert_int_equal(s.st.mode, SHTRIH_MODE_SHIFT_CLOSED); /* not asked to open */
	assert_int_equal(shtrih_dev_preflight(&dev, true, &s), 0);
	assert_int_equal(s.st.mode, SHTRIH_MODE_SHIFT_OPEN);
	assert_int_equal(s.fn.last_fd, 1);
	assert_int_equal(s.fn.phase, 3);
	assert_string_equal(s.fn.serial, "9999078900007903");
	assert_int_equal(s.shift.open, 1);
	assert_int_equal(s.shift.shift_no, 1);
	assert_int_equal(s.days_to_expiry, 300);
	assert_int_equal(s.unsent, 0);
	assert_int_equal(s.unsent_days, 0);
}

static void test_receipt_and_counters(void **state)
{
	(void)state;
	struct shtrih_snapshot s;
	struct shtrih_req q[FISCAL_RECEIPT_MAX_CMDS];
	struct shtrih_fd_result r;
	int n = build(q, 4200);
	assert_int_equal(shtrih_dev_preflight(&dev, true, &s), 0);
	closing_calls = 0;
	assert_int_equal(shtrih_dev_receipt(&dev, q, n, on_closing, NULL, &r), 0);
	assert_int_equal(closing_calls, 1);
	assert_int_equal(mode_at_closing, SHTRIH_MODE_DOCUMENT);
	assert_int_equal(r.fd, 2);
	struct shtrih_fn_doc doc;
	assert_int_equal(shtrih_dev_doc(&dev, 2, &doc), 0);
	assert_int_equal(doc.fp, r.fp);
	assert_int_equal(doc.sum, 4200);
	struct peek p = peek();
	assert_int_equal(p.receipt_no, 1);
	assert_int_equal(p.mode, SHTRIH_MODE_SHIFT_OPEN);
	/* a refused close (tax system not registered): cancelled, no document */
	assert_int_equal(kkt_pump_knobs(pump, "tax_systems=1"), 0);
	closing_calls = 0;
	assert_int_equal(shtrih_dev_receipt(&dev, q, n, on_closing, NULL, &r), SHTRIH_DEV_EDEVICE);
	assert_int_equal(dev.err_code, 0x33);
	assert_non_null(strstr(dev.err_text, "FF45: ошибка 33h"));
	assert_int_equal(closing_calls, 1);
	p = peek();
	assert_int_equal(p.mode, SHTRIH_MODE_SHIFT_OPEN);
	assert_int_equal(p.last_fd, 2);
	/* refused before the close: the closing step never comes */
	assert_int_equal(kkt_pump_knobs(pump, "tax_systems=63 agent_bits=1"), 0);
	closing_calls = 0;
	assert_int_equal(shtrih_dev_receipt(&dev, q, n, on_closing, NULL, &r), SHTRIH_DEV_EDEVICE);
	assert_int_equal(dev.err_code, 0x5E);
	assert_int_equal(closing_calls, 0);
	assert_int_equal(peek().mode, SHTRIH_MODE_SHIFT_OPEN);
	/* busy printing twice: retried, executed once */
	assert_int_equal(kkt_pump_knobs(pump, "agent_bits=5 busy=2"), 0);
	assert_int_equal(shtrih_dev_receipt(&dev, q, n, NULL, NULL, &r), 0);
	assert_int_equal(r.fd, 3);
	assert_int_equal(peek().receipts, 2);
}

static void test_preflight_fixes(void **state)
{
	(void)state;
	struct shtrih_snapshot s;
	struct shtrih_req q[FISCAL_RECEIPT_MAX_CMDS];
	struct shtrih_fd_result r;
	int n = build(q, 100);
	assert_int_equal(shtrih_dev_preflight(&dev, true, &s), 0);
	/* a receipt left open (the kiosk died before the close) is cancelled */
	uint8_t body[SHTRIH_BODY_MAX];
	struct shtrih_reply rp;
	for (int i = 0; i < n - 1; i++)
		assert_int_equal(shtrih_dev_cmd(&dev, &q[i], body, &rp), 0);
	assert_int_equal(peek().mode, SHTRIH_MODE_DOCUMENT);
	assert_int_equal(shtrih_dev_preflight(&dev, true, &s), 0);
	assert_int_equal(s.st.mode, SHTRIH_MODE_SHIFT_OPEN);
	assert_int_equal(s.fn.last_fd, 1);
	/* the shift passes 24 h: Z, then a new shift */
	kkt_pump_set_wall(pump, T0 + DAY + HOUR);
	assert_int_equal(shtrih_dev_preflight(&dev, true, &s), 0);
	assert_int_equal(s.shift.shift_no, 2);
	assert_int_equal(s.fn.last_fd, 3);
	/* paper out: out of service with the reason */
	assert_int_equal(kkt_pump_knobs(pump, "paper=0"), 0);
	assert_int_equal(shtrih_dev_preflight(&dev, true, &s), SHTRIH_DEV_EOUT);
	assert_string_equal(dev.err_text, "нет бумаги");
	/* paper breaks after a close: the document exists; reloaded, B0h reprints it */
	assert_int_equal(kkt_pump_knobs(pump, "paper=1 paper_break=1"), 0);
	assert_int_equal(shtrih_dev_receipt(&dev, q, n, NULL, NULL, &r), 0);
	assert_int_equal(shtrih_dev_preflight(&dev, true, &s), SHTRIH_DEV_EOUT);
	assert_string_equal(dev.err_text, "бумага кончилась во время печати");
	assert_int_equal(kkt_pump_knobs(pump, "paper=1"), 0);
	assert_int_equal(peek().submode, SHTRIH_SUB_WAIT_CONTINUE);
	assert_int_equal(shtrih_dev_preflight(&dev, true, &s), 0);
	assert_int_equal(s.st.submode, 0);
	assert_int_equal(peek().receipts, 1);
	/* a closed fiscal drive */
	assert_int_equal(kkt_pump_knobs(pump, "phase=7"), 0);
	assert_int_equal(shtrih_dev_preflight(&dev, true, &s), SHTRIH_DEV_EOUT);
	assert_string_equal(dev.err_text, "фискальный режим ФН закрыт");
}

static void test_unsent_age(void **state)
{
	(void)state;
	struct shtrih_snapshot s;
	assert_int_equal(kkt_pump_knobs(pump, "ofd=0"), 0);
	assert_int_equal(shtrih_dev_preflight(&dev, true, &s), 0);
	assert_int_equal(s.unsent, 1);
	kkt_pump_set_wall(pump, T0 + 5 * DAY);
	assert_int_equal(shtrih_dev_status(&dev, &s), 0);
	assert_int_equal(s.unsent_days, 5);
	assert_int_equal(s.ofd.first_fd, 1);
	assert_int_equal(s.days_to_expiry, 295);
	assert_int_equal(kkt_pump_knobs(pump, "ofd=1"), 0);
	assert_int_equal(shtrih_dev_status(&dev, &s), 0);
	assert_int_equal(s.unsent, 0);
	assert_int_equal(s.unsent_days, 0);
}

/* A close in doubt, resolved; want: DONE or NOT_MADE, and the receipts in the archive. */
static void doubt(const char *knob, const char *knob_before_resolve, int want, int receipts)
{
	struct shtrih_snapshot s;
	struct shtrih_req q[FISCAL_RECEIPT_MAX_CMDS];
	struct shtrih_fd_result r, rr;
	int n = build(q, 777);
	assert_int_equal(shtrih_dev_preflight(&dev, true, &s), 0);
	uint32_t fd0 = s.fn.last_fd;
	assert_int_equal(kkt_pump_knobs(pump, knob), 0);
	assert_int_equal(shtrih_dev_receipt(&dev, q, n, NULL, NULL, &r), SHTRIH_DEV_EUNKNOWN);
	kkt_pump_reconnect(pump);
	shtrih_link_reset(&dev.link);
	if (knob_before_resolve)
		assert_int_equal(kkt_pump_knobs(pump, knob_before_resolve), 0);
	assert_int_equal(shtrih_dev_resolve(&dev, fd0, 777, &q[n - 1], &rr), want);
	struct peek p = peek();
	assert_int_equal(p.receipts, receipts);
	assert_int_equal(p.mode, SHTRIH_MODE_SHIFT_OPEN);
	if (want == SHTRIH_RESOLVED_DONE) {
		struct shtrih_fn_doc doc;
		assert_int_equal(rr.fd, p.last_fd);
		assert_int_equal(shtrih_dev_doc(&dev, rr.fd, &doc), 0);
		assert_int_equal(rr.fp, doc.fp);
		assert_int_equal(doc.sum, 777);
	}
	/* resolving again finds the same answer and makes nothing */
	if (want == SHTRIH_RESOLVED_DONE) {
		assert_int_equal(shtrih_dev_resolve(&dev, fd0, 777, &q[n - 1], &r), SHTRIH_RESOLVED_DONE);
		assert_int_equal(r.fd, rr.fd);
		assert_int_equal(peek().receipts, receipts);
	}
}

static void test_resolve_reply_held(void **state)
{
	(void)state;
	doubt("drop=after", NULL, SHTRIH_RESOLVED_DONE, 1);
}

static void test_resolve_power_cycle(void **state)
{
	(void)state;
	doubt("drop=power", NULL, SHTRIH_RESOLVED_DONE, 1);
}

static void test_resolve_close_never_ran(void **state)
{
	(void)state;
	doubt("drop=before", NULL, SHTRIH_RESOLVED_DONE, 1);
}

static void test_resolve_close_refused_on_resend(void **state)
{
	(void)state;
	doubt("drop=before", "paper=0", SHTRIH_RESOLVED_NOT_MADE, 0);
}

static void test_resolve_nothing_made(void **state)
{
	(void)state;
	struct shtrih_snapshot s;
	struct shtrih_req q[FISCAL_RECEIPT_MAX_CMDS];
	struct shtrih_fd_result r;
	int n = build(q, 500);
	assert_int_equal(shtrih_dev_preflight(&dev, true, &s), 0);
	/* the receipt of another amount exists after FD0: not ours */
	assert_int_equal(shtrih_dev_receipt(&dev, q, n, NULL, NULL, &r), 0);
	build(q, 501);
	assert_int_equal(shtrih_dev_resolve(&dev, s.fn.last_fd, 501, &q[n - 1], &r),
			 SHTRIH_RESOLVED_NOT_MADE);
	assert_int_equal(peek().receipts, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_preflight_opens_shift_and_reads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_receipt_and_counters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_preflight_fixes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unsent_age, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resolve_reply_held, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resolve_power_cycle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resolve_close_never_ran, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resolve_close_refused_on_resend, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resolve_nothing_made, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
