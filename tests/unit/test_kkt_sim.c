/* The simulated fiscal register: a whole receipt made from fiscal_receipt_build's commands
 * and checked in its archive and JSON line, the shift's documents and counters, the checks
 * a real register makes (4Eh after 24 h, 6Bh, 45h, 4Dh, 33h, 5Eh, 4Fh, 73h), and the link
 * end served to the real host link over a socketpair (kkt_pump): a drop after the close with the reply
 * held, a power cycle that loses the reply but keeps the document, NAKs and bad LRCs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "drivers/shtrih_link.h"
#include "drivers/shtrih_state.h"
#include "drivers/transports.h"
#include "kiosk/conf/config.h"
#include "drivers/fiscal_receipt.h"
#include "tests/sim/kkt/kkt_pump.h"

#define T0 1741942800000LL /* 2025-03-14T09:00Z: 12:00 on the register's Moscow clock */
#define HOUR (3600 * 1000LL)

static char last_json[8192];
static int ndocs_seen;

static void sink(void *ctx, const struct kkt_doc *d, const char *serial)
{
	(void)ctx;
	char *s = kkt_doc_json(d, serial);
	snprintf(last_json, sizeof last_json, "%s", s);
	free(s);
	ndocs_seen++;
}

static struct shtrih_reply run(struct kkt_core *k, const struct shtrih_req *q, int64_t now,
			       uint8_t *buf)
{
	uint8_t body[SHTRIH_BODY_MAX];
	size_t cl = shtrih_cmd_len(q->cmd), n = 0;
	if (cl == 2)
		body[n++] = 0xFF;
	body[n++] = (uint8_t)q->cmd;
	memcpy(body + n, q->data, q->len);
	n += q->len;
	size_t rn = kkt_core_exec(k, body, n, now, buf);
	struct shtrih_reply rp;
	assert_int_equal(shtrih_reply_parse(buf, rn, &rp), 0);
	assert_int_equal(rp.cmd, q->cmd);
	return rp;
}

static uint8_t simple(struct kkt_core *k, uint16_t cmd, uint32_t pw, int64_t now)
{
	struct shtrih_req q;
	uint8_t buf[SHTRIH_BODY_MAX + 8];
	shtrih_req_pw(&q, cmd, pw);
	return run(k, &q, now, buf).err;
}

static void conf(struct fiscal_conf *fc)
{
	struct config c;
	char err[256];
	const char *key;
	config_defaults(&c);
	assert_int_equal(config_set(&c, "fiscal.device", "shtrih", err, sizeof err), 0);
	assert_int_equal(config_set(&c, "fiscal.tax_system", "usn_income", err, sizeof err), 0);
	assert_int_equal(config_set(&c, "fiscal.operator_phone", "+74957654321", err, sizeof err), 0);
	assert_int_equal(config_set(&c, "fiscal.supplier_phones", "5012345672=+74951234567",
				    err, sizeof err), 0);
	assert_int_equal(fiscal_conf_from_config(&c, fc, &key, err, sizeof err), 0);
}

static void payment(struct journal_payment *p, kopecks a, kopecks b)
{
	memset(p, 0, sizeof *p);
	p->nlines = b ? 2 : 1;
	for (int i = 0; i < p->nlines; i++) {
		snprintf(p->lines[i].pers_acc, sizeof p->lines[i].pers_acc, "12345%d", i);
		snprintf(p->lines[i].period, sizeof p->lines[i].period, "2025-03");
		snprintf(p->lines[i].payee_inn, sizeof p->lines[i].payee_inn, "5012345672");
		snprintf(p->lines[i].payee_name, sizeof p->lines[i].payee_name, "ООО Ромашка");
	}
	p->lines[0].amount = a;
	p->lines[1].amount = b;
	p->total = a + b;
}

/* Runs a whole receipt; returns the close's error (0: *ret has FD and FP). */
static uint8_t sell(struct kkt_core *k, const struct journal_payment *p, const char *contact,
		    int64_t now, struct shtrih_fd_result *ret)
{
	struct fiscal_conf fc;
	struct shtrih_req q[FISCAL_RECEIPT_MAX_CMDS];
	uint8_t buf[SHTRIH_BODY_MAX + 8];
	conf(&fc);
	int n = fiscal_receipt_build(&fc, p, contact, q, FISCAL_RECEIPT_MAX_CMDS);
	assert_true(n > 0);
	for (int i = 0; i < n; i++) {
		struct shtrih_reply rp = run(k, &q[i], now, buf);
		if (rp.err)
			return rp.err;
		if (i == n - 1)
			assert_int_equal(shtrih_parse_close_result(&rp, ret), 0);
	}
	return 0;
}

static void test_receipt_made(void **state)
{
	(void)state;
	static struct kkt_core k;
	kkt_core_init(&k, T0);
	k.on_doc = sink;
	ndocs_seen = 0;
	assert_int_equal(simple(&k, SHTRIH_OPEN_SHIFT, 30, T0), 0);
	assert_int_equal(k.mode, SHTRIH_MODE_SHIFT_OPEN);
	assert_int_equal(k.last_fd, 1);
	struct journal_payment p;
	struct shtrih_fd_result cr;
	payment(&p, 123456, 100);
	assert_int_equal(sell(&k, &p, "+79161234567", T0 + 60000, &cr), 0);
	assert_int_equal(cr.fd, 2);
	assert_int_equal(cr.change, 0);
	const struct kkt_doc *d = kkt_core_doc(&k, 2);
	assert_non_null(d);
	assert_int_equal(cr.fp, d->fp);
	assert_int_equal(d->fp, kkt_core_fp(&k, 2, d->dt, 123556));
	assert_int_equal(d->sum, 123556);
	assert_int_equal(d->card, 123556);
	assert_int_equal(d->receipt_no, 1);
	assert_int_equal(ndocs_seen, 2);
	/* the JSON line, tag by tag */
	json_error_t je;
	json_t *o = json_loads(last_json, 0, &je);
	assert_non_null(o);
	assert_int_equal(json_integer_value(json_object_get(o, "type")), 3);
	assert_int_equal(json_integer_value(json_object_get(o, "1020")), 123556);
	assert_int_equal(json_integer_value(json_object_get(o, "1081")), 123556);
	assert_int_equal(json_integer_value(json_object_get(o, "1031")), 0);
	assert_int_equal(json_integer_value(json_object_get(o, "1055")), 2);
	assert_int_equal(json_integer_value(json_object_get(o, "1057")), 4);
	assert_string_equal(json_string_value(json_object_get(o, "1008")), "+79161234567");
	assert_string_equal(json_string_value(json_object_get(o, "datetime")), "2025-03-14T12:01");
	json_t *items = json_object_get(o, "items");
	assert_int_equal(json_array_size(items), 2);
	json_t *it = json_array_get(items, 0);
	assert_string_equal(json_string_value(json_object_get(it, "1030")), "Оплата ЖКУ ЛС 123450 03.2025");
	assert_int_equal(json_integer_value(json_object_get(it, "1043")), 123456);
	assert_int_equal(json_integer_value(json_object_get(it, "1222")), 4);
	assert_string_equal(json_string_value(json_object_get(it, "1226")), "5012345672  ");
	json_t *s1224 = json_object_get(it, "1224");
	assert_string_equal(json_string_value(json_object_get(s1224, "1225")), "ООО Ромашка");
	assert_string_equal(json_string_value(json_object_get(s1224, "1171")), "+74951234567");
	json_t *s1223 = json_object_get(it, "1223");
	assert_string_equal(json_string_value(json_object_get(s1223, "1073")), "+78005550769");
	assert_string_equal(json_string_value(json_object_get(s1223, "1074")), "+74957654321");
	char qr[128];
	snprintf(qr, sizeof qr, "t=20250314T1201&s=1235.56&fn=9999078900007903&i=2&fp=%u&n=1", d->fp);
	assert_string_equal(json_string_value(json_object_get(o, "qr")), qr);
	json_decref(o);
	/* the lookup the recovery uses */
	struct shtrih_req q;
	uint8_t buf[SHTRIH_BODY_MAX + 8];
	struct shtrih_fn_doc doc;
	shtrih_req_fd(&q, SHTRIH_FN_FIND_DOC, 30, 2);
	struct shtrih_reply rp = run(&k, &q, T0, buf);
	assert_int_equal(shtrih_parse_fn_doc(&rp, &doc), 0);
	assert_int_equal(doc.type, SHTRIH_DOC_RECEIPT);
	assert_int_equal(doc.sum, 123556);
	assert_int_equal(doc.fp, d->fp);
	shtrih_req_fd(&q, SHTRIH_FN_FIND_DOC, 30, 9);
	assert_int_equal(run(&k, &q, T0, buf).err, 0x08);
	/* Z: the shift's count and sum */
	assert_int_equal(simple(&k, SHTRIH_Z_REPORT, 30, T0 + HOUR), 0);
	o = json_loads(last_json, 0, &je);
	assert_int_equal(json_integer_value(json_object_get(o, "type")), 5);
	assert_int_equal(json_integer_value(json_object_get(o, "receipts")), 1);
	assert_int_equal(json_integer_value(json_object_get(o, "sum")), 123556);
	json_decref(o);
	assert_int_equal(k.mode, SHTRIH_MODE_SHIFT_CLOSED);
	kkt_core_free(&k);
}

static void test_checks(void **state)
{
	(void)state;
	static struct kkt_core k;
	char err[128];
	kkt_core_init(&k, T0);
	struct journal_payment p;
	struct shtrih_fd_result cr;
	payment(&p, 1000, 0);
	assert_int_equal(sell(&k, &p, NULL, T0, &cr), 0x73);      /* shift closed */
	assert_int_equal(simple(&k, SHTRIH_OPEN_SHIFT, 31, T0), 0x4F);
	assert_int_equal(simple(&k, SHTRIH_FN_STATUS, 1, T0), 0x4F); /* СА only */
	assert_int_equal(simple(&k, SHTRIH_OPEN_SHIFT, 30, T0), 0);
	assert_int_equal(simple(&k, SHTRIH_OPEN_SHIFT, 30, T0), 0x73);
	/* paper out before the receipt, then during it: the receipt stays open */
	assert_int_equal(kkt_core_knobs(&k, "paper=0", T0, err, sizeof err), 0);
	assert_int_equal(sell(&k, &p, NULL, T0, &cr), 0x6B);
	assert_int_equal(k.mode, SHTRIH_MODE_SHIFT_OPEN);
	assert_int_equal(kkt_core_knobs(&k, "paper=1", T0, err, sizeof err), 0);
	struct fiscal_conf fc;
	struct shtrih_req q[FISCAL_RECEIPT_MAX_CMDS];
	uint8_t buf[SHTRIH_BODY_MAX + 8];
	conf(&fc);
	int n = fiscal_receipt_build(&fc, &p, NULL, q, FISCAL_RECEIPT_MAX_CMDS);
	for (int i = 0; i < n - 1; i++)
		assert_int_equal(run(&k, &q[i], T0, buf).err, 0);
	assert_int_equal(kkt_core_knobs(&k, "paper=0", T0, err, sizeof err), 0);
	assert_int_equal(run(&k, &q[n - 1], T0, buf).err, 0x6B);
	assert_int_equal(k.mode, SHTRIH_MODE_DOCUMENT);
	assert_int_equal(k.last_fd, 1);
	assert_int_equal(simple(&k, SHTRIH_CANCEL_RECEIPT, 30, T0), 0);
	assert_int_equal(k.mode, SHTRIH_MODE_SHIFT_OPEN);
	assert_int_equal(kkt_core_knobs(&k, "paper=1", T0, err, sizeof err), 0);
	/* an agent bit not registered */
	assert_int_equal(kkt_core_knobs(&k, "agent_bits=1", T0, err, sizeof err), 0);
	assert_int_equal(sell(&k, &p, NULL, T0, &cr), 0x5E);
	simple(&k, SHTRIH_CANCEL_RECEIPT, 30, T0);
	assert_int_equal(kkt_core_knobs(&k, "agent_bits=5", T0, err, sizeof err), 0);
	/* the ФН fails */
	assert_int_equal(kkt_core_knobs(&k, "fn_error=0x14", T0, err, sizeof err), 0);
	assert_int_equal(sell(&k, &p, NULL, T0, &cr), 0x14);
	assert_int_equal(kkt_core_knobs(&k, "fn_error=0", T0, err, sizeof err), 0);
	/* the shift passes 24 h: only Z */
	assert_int_equal(sell(&k, &p, NULL, T0 + 24 * HOUR, &cr), 0x4E);
	assert_int_equal(k.mode, SHTRIH_MODE_SHIFT_OVER);
	assert_int_equal(simple(&k, SHTRIH_Z_REPORT, 30, T0 + 24 * HOUR), 0);
	assert_int_equal(simple(&k, SHTRIH_OPEN_SHIFT, 30, T0 + 24 * HOUR), 0);
	assert_int_equal(sell(&k, &p, NULL, T0 + 24 * HOUR, &cr), 0);
	assert_int_equal(k.receipt_no, 1);
	assert_int_equal(k.shift_no, 2);
	/* malformed: knobs and payments */
	assert_int_equal(kkt_core_knobs(&k, "paper", T0, err, sizeof err), -1);
	assert_int_equal(kkt_core_knobs(&k, "nope=1", T0, err, sizeof err), -1);
	assert_int_equal(kkt_core_knobs(&k, "busy=x", T0, err, sizeof err), -1);
	kkt_core_free(&k);
}

static void test_close_payment_errors(void **state)
{
	(void)state;
	static struct kkt_core k;
	kkt_core_init(&k, T0);
	uint8_t buf[SHTRIH_BODY_MAX + 8];
	struct shtrih_req q;
	struct shtrih_item it = { .op_type = 1, .qty_micro = 1000000, .price = 500, .amount = 500,
				  .tax_amount = SHTRIH_AMOUNT_NONE, .tax = 0x08, .department = 1,
				  .method = 4, .object = 4, .name = "x", .name_len = 1 };
	simple(&k, SHTRIH_OPEN_SHIFT, 30, T0);
	shtrih_req_open_receipt(&q, 30, 0);
	assert_int_equal(run(&k, &q, T0, buf).err, 0);
	it.amount = 502; /* more than a kopeck off price x qty */
	shtrih_req_item(&q, 30, &it);
	assert_int_equal(run(&k, &q, T0, buf).err, 0x33);
	it.amount = 501;
	it.tax = 0x03; /* two rate bits */
	shtrih_req_item(&q, 30, &it);
	assert_int_equal(run(&k, &q, T0, buf).err, 0x33);
	it.tax = 0x08;
	shtrih_req_item(&q, 30, &it);
	assert_int_equal(run(&k, &q, T0, buf).err, 0);
	uint8_t tlv[] = { 0xCA, 0x04, 0x0A, 0x00, '5', '0', '1', '2', '3', '4', '5', '6', '7', '2' };
	shtrih_req_tlv(&q, SHTRIH_FN_ITEM_TAG, 30, tlv, sizeof tlv); /* 1226 of 10 characters */
	assert_int_equal(run(&k, &q, T0, buf).err, 0x33);
	struct shtrih_close c = { .tax_system = 0x02 };
	c.pay[1] = 500;
	shtrih_req_close(&q, 30, &c);
	assert_int_equal(run(&k, &q, T0, buf).err, 0x45);
	c.pay[1] = 502;
	shtrih_req_close(&q, 30, &c);
	assert_int_equal(run(&k, &q, T0, buf).err, 0x4D);
	c.pay[1] = 501;
	shtrih_req_close(&q, 30, &c);
	q.data[4 + 80 + 1 + 30] = 0x03; /* two tax-system bits */
	assert_int_equal(run(&k, &q, T0, buf).err, 0x33);
	shtrih_req_close(&q, 30, &c);
	assert_int_equal(run(&k, &q, T0, buf).err, 0);
	assert_int_equal(kkt_core_doc(&k, 2)->sum, 501);
	/* a request cut short */
	uint8_t body[] = { 0xFF, 0x45, 0x1E, 0, 0, 0 };
	size_t rn = kkt_core_exec(&k, body, sizeof body, T0, buf);
	assert_int_equal(rn, 3);
	assert_int_equal(buf[2], 0x01);
	kkt_core_free(&k);
}

/* ---- the link end against the host link */

static struct shtrih_link hl;
static struct transport *ht;

struct snap { uint32_t last_fd, fp2, n_exec; uint16_t shift_no; };

static void do_snap(struct kkt_core *k, void *arg)
{
	struct snap *s = arg;
	const struct kkt_doc *d = kkt_core_doc(k, 2);
	s->last_fd = k->last_fd;
	s->fp2 = d ? d->fp : 0;
	s->n_exec = k->n_exec;
	s->shift_no = k->shift_no;
}

static struct snap snap(struct kkt_pump *p)
{
	struct snap s;
	kkt_pump_with(p, do_snap, &s);
	return s;
}

static struct kkt_pump *pump_start(bool tcp)
{
	struct kkt_pump *p = kkt_pump_start(tcp, T0, &ht);
	assert_non_null(p);
	shtrih_link_init(&hl, ht, 20, tcp);
	hl.exec_timeout_ms = 300;
	hl.tries = 4;
	return p;
}

static void pump_stop(struct kkt_pump *p)
{
	kkt_pump_stop(p);
	transport_destroy(ht);
}

static void knob(struct kkt_pump *p, const char *line)
{
	if (kkt_pump_knobs(p, line))
		fail_msg("%s", line);
}

static int host(uint16_t cmd, struct shtrih_reply *rp, uint8_t *body)
{
	struct shtrih_req q;
	size_t n;
	shtrih_req_pw(&q, cmd, 30);
	if (cmd == SHTRIH_OPEN_RECEIPT)
		shtrih_req_open_receipt(&q, 30, 0);
	int rc = shtrih_link_exec(&hl, &q, body, SHTRIH_BODY_MAX, &n);
	if (rc == 0)
		assert_int_equal(shtrih_reply_parse(body, n, rp), 0);
	return rc;
}

static int host_close(uint8_t *body, size_t *n)
{
	struct shtrih_close c = { .tax_system = 0x02 };
	struct shtrih_req q;
	struct shtrih_item it = { .op_type = 1, .qty_micro = 1000000, .price = 700, .amount = 700,
				  .tax_amount = SHTRIH_AMOUNT_NONE, .tax = 0x08, .department = 1,
				  .method = 4, .object = 4, .name = "x", .name_len = 1 };
	struct shtrih_reply rp;
	assert_int_equal(host(SHTRIH_OPEN_RECEIPT, &rp, body), 0);
	assert_int_equal(rp.err, 0);
	shtrih_req_item(&q, 30, &it);
	assert_int_equal(shtrih_link_exec(&hl, &q, body, SHTRIH_BODY_MAX, n), 0);
	c.pay[1] = 700;
	shtrih_req_close(&q, 30, &c);
	return shtrih_link_exec(&hl, &q, body, SHTRIH_BODY_MAX, n);
}

static void test_link_drop_after_close_reply_held(void **state)
{
	(void)state;
	struct kkt_pump *p = pump_start(true);
	uint8_t body[SHTRIH_BODY_MAX];
	size_t n;
	struct shtrih_reply rp;
	assert_int_equal(host(SHTRIH_OPEN_SHIFT, &rp, body), 0);
	assert_int_equal(hl.n_ff, 1);
	knob(p, "drop=after");
	assert_int_equal(host_close(body, &n), SHTRIH_LINK_EUNKNOWN);
	assert_int_equal(snap(p).last_fd, 2); /* the receipt exists */
	/* the line comes back: the held reply tells FD and FP */
	kkt_pump_reconnect(p);
	shtrih_link_reset(&hl);
	assert_int_equal(shtrih_link_probe(&hl), 1);
	struct shtrih_fd_result cr;
	assert_int_equal(shtrih_reply_parse(hl.held, hl.held_len, &rp), 0);
	assert_int_equal(rp.cmd, SHTRIH_FN_CLOSE_RECEIPT);
	assert_int_equal(shtrih_parse_close_result(&rp, &cr), 0);
	assert_int_equal(cr.fd, 2);
	assert_int_equal(cr.fp, snap(p).fp2);
	assert_int_equal(shtrih_link_probe(&hl), 0);
	pump_stop(p);
}

static void test_link_power_cycle_keeps_document(void **state)
{
	(void)state;
	struct kkt_pump *p = pump_start(false);
	uint8_t body[SHTRIH_BODY_MAX];
	size_t n;
	struct shtrih_reply rp;
	struct shtrih_fn_status fs;
	assert_int_equal(host(SHTRIH_OPEN_SHIFT, &rp, body), 0);
	knob(p, "drop=power");
	assert_int_equal(host_close(body, &n), SHTRIH_LINK_EUNKNOWN);
	kkt_pump_reconnect(p);
	shtrih_link_reset(&hl);
	assert_int_equal(shtrih_link_probe(&hl), 0); /* nothing held */
	assert_int_equal(host(SHTRIH_SHORT_STATUS, &rp, body), 0);
	struct shtrih_short_status st;
	assert_int_equal(shtrih_parse_short_status(&rp, &st), 0);
	assert_int_equal(st.mode, SHTRIH_MODE_SHIFT_OPEN); /* not 8: the close ran */
	assert_int_equal(host(SHTRIH_FN_STATUS, &rp, body), 0);
	assert_int_equal(shtrih_parse_fn_status(&rp, &fs), 0);
	assert_int_equal(fs.last_fd, 2);
	pump_stop(p);
}

static void test_link_drop_before_close(void **state)
{
	(void)state;
	struct kkt_pump *p = pump_start(false);
	uint8_t body[SHTRIH_BODY_MAX];
	size_t n;
	struct shtrih_reply rp;
	struct shtrih_short_status st;
	assert_int_equal(host(SHTRIH_OPEN_SHIFT, &rp, body), 0);
	knob(p, "drop=before");
	int rc = host_close(body, &n);
	assert_true(rc == SHTRIH_LINK_EUNKNOWN || rc == SHTRIH_LINK_EDOWN);
	kkt_pump_reconnect(p);
	shtrih_link_reset(&hl);
	assert_int_equal(host(SHTRIH_SHORT_STATUS, &rp, body), 0);
	assert_int_equal(shtrih_parse_short_status(&rp, &st), 0);
	assert_int_equal(st.mode, SHTRIH_MODE_DOCUMENT); /* still open: resend the same FF45 */
	assert_int_equal(snap(p).last_fd, 1);
	pump_stop(p);
}

static void test_link_faults(void **state)
{
	(void)state;
	struct kkt_pump *p = pump_start(true);
	uint8_t body[SHTRIH_BODY_MAX];
	struct shtrih_reply rp;
	knob(p, "nak=2 corrupt=1 garbage=3 paper=1");
	assert_int_equal(host(SHTRIH_OPEN_SHIFT, &rp, body), 0);
	assert_int_equal(rp.err, 0);
	assert_int_equal(snap(p).last_fd, 1);
	assert_int_equal(snap(p).shift_no, 1);
	assert_int_equal(hl.n_nak_rx, 2);
	assert_int_equal(hl.n_nak_tx, 1);
	knob(p, "lose_ack=1 slow_ms=60");
	assert_int_equal(host(SHTRIH_X_REPORT, &rp, body), 0);
	assert_int_equal(rp.err, 0);
	assert_int_equal(host(SHTRIH_SHORT_STATUS, &rp, body), 0);
	assert_int_equal(snap(p).n_exec, 3);
	assert_int_equal(kkt_pump_knobs(p, "drop=sideways"), -1);
	assert_int_equal(kkt_pump_knobs(p, "drop_cmd=1FF"), -1);
	assert_int_equal(kkt_pump_knobs(p, "nak=x"), -1);
	pump_stop(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_receipt_made),
		cmocka_unit_test(test_checks),
		cmocka_unit_test(test_close_payment_errors),
		cmocka_unit_test(test_link_drop_after_close_reply_held),
		cmocka_unit_test(test_link_power_cycle_keeps_document),
		cmocka_unit_test(test_link_drop_before_close),
		cmocka_unit_test(test_link_faults),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
