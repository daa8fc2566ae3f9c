/* The journal's fiscal step over a real store, the fiscal service and the simulated
 * register: an approved payment is recorded only with its receipt (attributes and RECORDED
 * in one transaction, the outbox record beside them); a refused receipt leaves it
 * AUTHORIZED (the payment service then reverses the card); and a kiosk that died at each
 * point of the receipt — before the closing row, after it with the receipt still open,
 * after the close ran — finds exactly one receipt on the next try.  An answer that comes
 * after the wait gave up is reported as an orphan receipt. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <unistd.h>

#include "drivers/shtrih_dev.h"
#include "drivers/shtrih_state.h"
#include "kiosk/conf/config.h"
#include "kiosk/svc/fiscal_refund.h"
#include "kiosk/svc/fiscal_step.h"
#include "offline/journal.h"
#include "offline/journal_fiscal.h"
#include "offline/outbox.h"
#include "offline/store.h"
#include "offline/store_internal.h"
#include "tests/lib/test_tmp.h"
#include "tests/sim/kkt/kkt_pump.h"

#define T0 1741942800000LL

static char dir[TEST_TMP_DIR_LEN], path[TEST_TMP_PATH_LEN];
static struct store *st, *st2;
static struct kkt_pump *pump;
static struct transport *host;
static struct fiscal_step *fs;
static struct fiscal_service *svc;
static int orphans;
static char orphan_txn[40];

struct peek { uint8_t mode; uint32_t last_fd; int receipts; };

static void do_peek(struct kkt_core *k, void *arg)
{
	struct peek *p = arg;
	p->mode = k->mode;
	p->last_fd = k->last_fd;
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

static int count(struct store *s, const char *sql)
{
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(store_db(s), sql, -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	int n = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	return n;
}

static void on_orphan(void *ctx, const char *txn, const char *text)
{
	(void)ctx;
	(void)text;
	orphans++;
	snprintf(orphan_txn, sizeof orphan_txn, "%s", txn);
}

static void on_event(void *ctx, const struct fiscal_event *ev)
{
	fiscal_step_on_event(ctx, ev);
}

static void conf(struct fiscal_conf *fc)
{
	struct config c;
	char err[256];
	const char *key;
	config_defaults(&c);
	config_set(&c, "fiscal.device", "shtrih", err, sizeof err);
	config_set(&c, "fiscal.tax_system", "usn_income", err, sizeof err);
	config_set(&c, "fiscal.operator_phone", "+74957654321", err, sizeof err);
	config_set(&c, "fiscal.supplier_phones", "5012345672=+74951234567", err, sizeof err);
	assert_int_equal(fiscal_conf_from_config(&c, fc, &key, err, sizeof err), 0);
}

static void start_service(int wait_ms)
{
	struct fiscal_step_cfg c = { .store = st, .closing_store = st2, .wait_ms = wait_ms,
				     .on_orphan = on_orphan };
	conf(&c.fc);
	fs = fiscal_step_new(&c);
	struct fiscal_service_cfg sc = {
		.byte_timeout_ms = 20, .password = 30, .attach = host, .attach_tcp = true,
		.on_event = on_event, .closing = fiscal_step_closing, .ctx = fs,
		.shift_close_hour = 3, .unsent_alarm_days = 3, .unsent_stop_days = 25,
		.fn_warn_days = 30, .poll_ms = 60000, .backoff_ms = 40,
	};
	svc = fiscal_service_start(&sc);
	fiscal_step_attach(fs, svc);
}

static void stop_service(void)
{
	fiscal_service_stop(svc);
	fiscal_step_free(fs);
	svc = NULL;
	fs = NULL;
}

static int setup(void **state)
{
	(void)state;
	test_tmp_dir("test_fiscal_step", dir, path);
	assert_int_equal(store_open(path, &st), STORE_OK);
	assert_int_equal(store_open(path, &st2), STORE_OK);
	pump = kkt_pump_start(true, T0, &host);
	orphans = 0;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	stop_service();
	kkt_pump_stop(pump);
	transport_destroy(host);
	store_close(st2);
	store_close(st);
	return test_tmp_remove(dir);
}

/* An approved payment: INTENT, AUTHORIZED. */
static void approved(kopecks amount, char *txn)
{
	struct journal_line l;
	struct journal_card card;
	memset(&l, 0, sizeof l);
	memset(&card, 0, sizeof card);
	snprintf(l.pers_acc, sizeof l.pers_acc, "1234567890");
	snprintf(l.period, sizeof l.period, "2025-03");
	snprintf(l.payee_inn, sizeof l.payee_inn, "5012345672");
	snprintf(l.payee_name, sizeof l.payee_name, "ООО Ромашка");
	l.amount = amount;
	snprintf(card.masked_pan, sizeof card.masked_pan, "220220******1234");
	assert_int_equal(journal_begin(st, &l, 1, T0, txn), STORE_OK);
	assert_int_equal(journal_authorize(st, txn, &card, T0), STORE_OK);
}

static enum journal_state state_of(const char *txn)
{
	struct journal_payment p;
	assert_int_equal(journal_get(st, txn, &p), STORE_OK);
	return p.state;
}

static void check_made(const char *txn, int receipts)
{
	struct journal_fiscal f;
	assert_int_equal(state_of(txn), JOURNAL_RECORDED);
	assert_int_equal(journal_fiscal_get(st, txn, &f), STORE_OK);
	assert_int_equal(f.state, JOURNAL_FISCAL_MADE);
	assert_string_equal(f.fn_serial, "9999078900007903");
	struct peek p = peek();
	assert_int_equal(f.fd, p.last_fd);
	assert_int_equal(p.receipts, receipts);
	assert_string_equal(f.doc_time, "2025-03-14T12:00");
	assert_int_equal(f.shift_no, 1);
	assert_int_equal(f.number, receipts);
	int n;
	int64_t age;
	assert_int_equal(outbox_pending(st, T0, &n, &age), STORE_OK);
	assert_true(n >= 1);
}

static void test_recorded_with_receipt(void **state)
{
	(void)state;
	char txn[JOURNAL_TXN_ID_LEN + 1];
	start_service(5000);
	approved(123456, txn);
	assert_int_equal(fiscal_step_journal_ops.record(fs, txn, false, T0), 0);
	check_made(txn, 1);
	struct journal_fiscal f;
	assert_int_equal(journal_fiscal_get(st, txn, &f), STORE_OK);
	assert_int_equal(f.fd0, 1); /* the shift-open report before it */
	assert_int_equal(f.fd, 2);
	/* the outbox record for the center carries the receipt */
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(store_db(st), "SELECT CAST(body AS TEXT) FROM outbox "
					    "WHERE kind = 'payment'", -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	char want[160];
	snprintf(want, sizeof want, "\"fiscal\":{\"fd\":2,\"fn\":\"9999078900007903\",\"fp\":%u,"
		 "\"number\":1,\"shift\":1,\"time\":\"2025-03-14T12:00\"}", f.fp);
	assert_non_null(strstr((const char *)sqlite3_column_text(q, 0), want));
	sqlite3_finalize(q);
	/* a second record is refused by the journal and makes nothing */
	assert_int_not_equal(fiscal_step_journal_ops.record(fs, txn, false, T0), 0);
	assert_int_equal(peek().receipts, 1);
}

static void test_refused_stays_authorized(void **state)
{
	(void)state;
	char txn[JOURNAL_TXN_ID_LEN + 1];
	struct journal_fiscal f;
	start_service(5000);
	assert_int_equal(kkt_pump_knobs(pump, "tax_systems=1"), 0);
	approved(500, txn);
	assert_int_equal(fiscal_step_journal_ops.record(fs, txn, false, T0), -1);
	assert_int_equal(state_of(txn), JOURNAL_AUTHORIZED);
	assert_int_equal(journal_fiscal_get(st, txn, &f), STORE_OK);
	assert_int_equal(f.state, JOURNAL_FISCAL_NONE); /* the closing row went */
	assert_int_equal(peek().receipts, 0);
	/* journal rules */
	assert_int_equal(journal_fiscal_closing(st, "00000000000000000000000000000000", 1, T0),
			 STORE_ENOTFOUND);
	struct journal_fiscal bad = { .fd = 0 };
	assert_int_equal(journal_record_fiscal(st, txn, false, &bad, T0), STORE_EINVAL);
}

/* The dead kiosk's part of a receipt, done through the same line before the restart:
 * stage 0 open receipt only; 1 closing row stored, receipt open; 2 the close ran too. */
static void died_at(int stage, const char *txn, kopecks amount)
{
	struct shtrih_dev d;
	struct shtrih_snapshot s;
	struct fiscal_conf fc;
	struct journal_payment p;
	struct shtrih_req q[FISCAL_RECEIPT_MAX_CMDS];
	uint8_t body[SHTRIH_BODY_MAX];
	struct shtrih_reply rp;
	(void)amount;
	shtrih_dev_attach(&d, host, true, 20, 30);
	assert_int_equal(shtrih_dev_preflight(&d, true, &s), 0);
	conf(&fc);
	assert_int_equal(journal_get(st, txn, &p), STORE_OK);
	int n = fiscal_receipt_build(&fc, &p, NULL, q, FISCAL_RECEIPT_MAX_CMDS);
	for (int i = 0; i < n - 1; i++)
		assert_int_equal(shtrih_dev_cmd(&d, &q[i], body, &rp), 0);
	if (stage >= 1)
		assert_int_equal(journal_fiscal_closing(st, txn, s.fn.last_fd, T0), STORE_OK);
	if (stage >= 2)
		assert_int_equal(shtrih_dev_cmd(&d, &q[n - 1], body, &rp), 0);
}

static void restart_after(int stage)
{
	char txn[JOURNAL_TXN_ID_LEN + 1];
	approved(777, txn);
	died_at(stage, txn, 777);
	assert_int_equal(peek().receipts, stage >= 2 ? 1 : 0);
	start_service(5000);
	assert_int_equal(fiscal_step_journal_ops.record(fs, txn, false, T0), 0);
	check_made(txn, 1);
}

static void test_died_with_receipt_open(void **state)
{
	(void)state;
	restart_after(0); /* the open receipt is cancelled, a new one made */
}

static void test_died_after_closing_row(void **state)
{
	(void)state;
	restart_after(1); /* mode 8: the same close is sent */
}

static void test_died_after_close(void **state)
{
	(void)state;
	restart_after(2); /* found in the archive */
}

static void do_last_1008(struct kkt_core *k, void *arg)
{
	char *ret = arg;
	ret[0] = '\0';
	const struct kkt_doc *d = &k->docs[k->ndocs - 1];
	for (size_t off = 0; off + 4 <= d->tlv_len;) {
		size_t len = (size_t)(d->tlv[off + 2] | d->tlv[off + 3] << 8);
		if ((d->tlv[off] | d->tlv[off + 1] << 8) == 1008)
			snprintf(ret, 72, "%.*s", (int)len, (const char *)d->tlv + off + 4);
		off += 4 + len;
	}
}

/* The address given before the card: stored by the sale's begin, put on its receipt as
 * 1008, and one sale's only. */
static void test_contact_on_receipt(void **state)
{
	(void)state;
	char txn[JOURNAL_TXN_ID_LEN + 1], got[80];
	struct journal_line l = { .amount = 4500 };
	struct journal_card card = { .masked_pan = "220220******1234" };
	snprintf(l.pers_acc, sizeof l.pers_acc, "1234567890");
	snprintf(l.period, sizeof l.period, "2025-03");
	snprintf(l.payee_inn, sizeof l.payee_inn, "5012345672");
	snprintf(l.payee_name, sizeof l.payee_name, "ООО Ромашка");
	start_service(5000);
	for (int i = 0; i < 2; i++) {
		if (i == 0)
			fiscal_step_next_contact(fs, "+79161234567");
		assert_int_equal(fiscal_step_journal_ops.begin(fs, &l, 1, T0, txn), 0);
		assert_int_equal(journal_contact_get(st, txn, got, sizeof got), STORE_OK);
		assert_string_equal(got, i == 0 ? "+79161234567" : "");
		assert_int_equal(journal_authorize(st, txn, &card, T0), STORE_OK);
		assert_int_equal(fiscal_step_journal_ops.record(fs, txn, false, T0), 0);
		check_made(txn, i + 1);
		kkt_pump_with(pump, do_last_1008, got);
		assert_string_equal(got, i == 0 ? "+79161234567" : "");
	}
	assert_int_equal(journal_contact_put(st, txn, ""), STORE_EINVAL);
}

static void test_answer_after_the_wait(void **state)
{
	(void)state;
	char txn[JOURNAL_TXN_ID_LEN + 1];
	start_service(300);
	approved(900, txn);
	assert_int_equal(kkt_pump_knobs(pump, "drop=after"), 0);
	assert_int_equal(fiscal_step_journal_ops.record(fs, txn, false, T0), -1);
	assert_int_equal(state_of(txn), JOURNAL_AUTHORIZED);
	struct journal_fiscal f;
	assert_int_equal(journal_fiscal_get(st, txn, &f), STORE_OK);
	assert_int_equal(f.state, JOURNAL_FISCAL_CLOSING);
	kkt_pump_reconnect(pump);
	for (int i = 0; i < 200 && !orphans; i++)
		usleep(20000);
	assert_int_equal(orphans, 1);
	assert_string_equal(orphan_txn, txn);
	assert_int_equal(peek().receipts, 1);
	/* stored, and told to staff (audit) and the center (outbox event) exactly once */
	struct journal_fiscal_orphan o;
	assert_int_equal(journal_fiscal_orphan_get(st, txn, &o), STORE_OK);
	assert_int_equal(o.fd, peek().last_fd);
	assert_string_equal(o.fn_serial, "9999078900007903");
	assert_int_equal(o.refund_fd, 0);
	assert_int_equal(count(st, "SELECT count(*) FROM outbox WHERE kind = 'event' AND "
			       "CAST(body AS TEXT) LIKE '%\"event\":\"fiscal_alarm\"%' AND "
			       "CAST(body AS TEXT) LIKE '%alarm=orphan txn=%'"), 1);
	assert_int_equal(count(st, "SELECT count(*) FROM audit WHERE action = 'fiscal_alarm' AND "
			       "detail LIKE 'alarm=orphan txn=%'"), 1);
	/* the same receipt reported again (a second resolution, a restart): nothing new */
	struct fiscal_event again = { .kind = FISCAL_EV_OUTCOME, .outcome = FISCAL_OUT_MADE };
	snprintf(again.txn_id, sizeof again.txn_id, "%s", txn);
	snprintf(again.receipt.fn_serial, sizeof again.receipt.fn_serial, "9999078900007903");
	again.receipt.fd = o.fd;
	fiscal_step_on_event(fs, &again);
	assert_int_equal(orphans, 1);
	assert_int_equal(count(st, "SELECT count(*) FROM outbox WHERE kind = 'event'"), 1);
	assert_int_equal(count(st, "SELECT count(*) FROM audit"), 1);
}

static void do_last_doc(struct kkt_core *k, void *arg)
{
	struct kkt_doc *ret = arg;
	*ret = k->docs[k->ndocs - 1];
}

/* The orphan of test_answer_after_the_wait, with the service stopped: the register is the
 * test's (as the tool's). */
static void orphan_of(kopecks amount, char *txn)
{
	start_service(300);
	approved(amount, txn);
	assert_int_equal(kkt_pump_knobs(pump, "drop=after"), 0);
	assert_int_equal(fiscal_step_journal_ops.record(fs, txn, false, T0), -1);
	assert_int_equal(journal_move(st, txn, JOURNAL_REVERSED_AUTO, "approved but not recorded", T0),
			 STORE_OK);
	kkt_pump_reconnect(pump);
	for (int i = 0; i < 200 && !orphans; i++)
		usleep(20000);
	assert_int_equal(orphans, 1);
	stop_service();
}

/* kiosk-tool fiscal refund: the refund receipt mirrors the sale (operation 2, the same
 * item and sum), is stored with its event, and is never made twice — also when its close
 * was in doubt (found in the archive on the next run). */
static void test_refund_receipt(void **state)
{
	(void)state;
	char txn[JOURNAL_TXN_ID_LEN + 1], msg[256];
	struct fiscal_conf fc;
	struct fiscal_refund_result r;
	struct shtrih_dev d;
	struct kkt_doc doc;
	conf(&fc);
	orphan_of(900, txn);
	shtrih_dev_attach(&d, host, true, 20, 30);
	assert_int_equal(fiscal_refund_make(&d, st, &fc, "00000000000000000000000000000000", "t", &r,
					    msg, sizeof msg), FISCAL_REFUND_ENONE);
	/* the close is lost with the power: in doubt */
	assert_int_equal(kkt_pump_knobs(pump, "drop=power"), 0);
	assert_int_equal(fiscal_refund_make(&d, st, &fc, txn, "t", &r, msg, sizeof msg),
			 FISCAL_REFUND_EUNKNOWN);
	assert_int_equal(peek().receipts, 2);
	kkt_pump_reconnect(pump);
	shtrih_dev_attach(&d, host, true, 20, 30);
	assert_int_equal(fiscal_refund_make(&d, st, &fc, txn, "t", &r, msg, sizeof msg), 0);
	assert_true(r.found); /* the one made before, not a new one */
	assert_int_equal(peek().receipts, 2);
	kkt_pump_with(pump, do_last_doc, &doc);
	assert_int_equal(doc.op, 2);        /* возврат прихода */
	assert_int_equal(doc.sum, 900);
	assert_int_equal(doc.nitems, 1);
	assert_int_equal(doc.items[0].amount, 900);
	assert_int_equal(r.fd, doc.fd);
	assert_int_equal(r.sale_fd, doc.fd - 1);
	struct journal_fiscal_orphan o;
	assert_int_equal(journal_fiscal_orphan_get(st, txn, &o), STORE_OK);
	assert_int_equal(o.refund_fd, doc.fd);
	assert_int_equal(o.refund_fp, doc.fp);
	assert_int_equal(count(st, "SELECT count(*) FROM outbox WHERE kind = 'event' AND "
			       "CAST(body AS TEXT) LIKE '%\"event\":\"fiscal_refund\"%'"), 1);
	assert_int_equal(fiscal_refund_make(&d, st, &fc, txn, "t", &r, msg, sizeof msg),
			 FISCAL_REFUND_EDONE);
	assert_int_equal(peek().receipts, 2);
}

/* The plain way: no doubt, the refund made at once. */
static void test_refund_at_once(void **state)
{
	(void)state;
	char txn[JOURNAL_TXN_ID_LEN + 1], msg[256];
	struct fiscal_conf fc;
	struct fiscal_refund_result r;
	struct shtrih_dev d;
	conf(&fc);
	orphan_of(1500, txn);
	shtrih_dev_attach(&d, host, true, 20, 30);
	assert_int_equal(fiscal_refund_make(&d, st, &fc, txn, "t", &r, msg, sizeof msg), 0);
	assert_false(r.found);
	assert_int_equal(peek().receipts, 2);
	assert_int_equal(r.fd, peek().last_fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_recorded_with_receipt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_stays_authorized, setup, teardown),
		cmocka_unit_test_setup_teardown(test_contact_on_receipt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refund_receipt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refund_at_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_died_with_receipt_open, setup, teardown),
		cmocka_unit_test_setup_teardown(test_died_after_closing_row, setup, teardown),
		cmocka_unit_test_setup_teardown(test_died_after_close, setup, teardown),
		cmocka_unit_test_setup_teardown(test_answer_after_the_wait, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
