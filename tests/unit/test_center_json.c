/* Billing-center messages: every encoder round-trips through its decoder, exact wire bytes
 * for the envelope, and bad input (missing fields, wrong types, huge numbers, truncated
 * bodies) fails with a message naming the field and leaves the output untouched. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "offline/center_json.h"
#include "offline/center_sign.h"

#define DEC(fn, s, out, err) fn((s), strlen(s), (out), (err))

static void test_hello(void **st)
{
	(void)st;
	struct cjson_hello_req rq, back;
	memset(&rq, 0, sizeof rq);
	memset(rq.epoch, 0xAB, 16);
	rq.last_seq = 1041;
	memset(rq.chain_head, 0x01, 32);
	strcpy(rq.sw, "1.0.0");
	rq.device_time_ms = 1795600000000;
	strcpy(rq.boot_id, "b-1");
	strcpy(rq.health.pinpad, "ok");
	strcpy(rq.health.printer, "paper_low");
	strcpy(rq.health.scanner, "ok");
	rq.health.queue = 3;
	rq.health.oldest_unsent_s = 5400;
	char *s = cjson_hello_req_encode(&rq), err[CJSON_ERR_MAX];
	assert_string_equal(s, "{\"epoch\":\"q6urq6urq6urq6urq6urqw==\",\"last_seq\":1041,"
			    "\"chain_head\":\"AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=\",\"sw\":\"1.0.0\","
			    "\"device_time_ms\":1795600000000,\"boot_id\":\"b-1\",\"health\":{\"pinpad\":\"ok\","
			    "\"printer\":\"paper_low\",\"scanner\":\"ok\",\"queue\":3,\"oldest_unsent_s\":5400}}");
	assert_int_equal(DEC(cjson_hello_req_decode, s, &back, err), 0);
	assert_memory_equal(&back, &rq, sizeof rq);
	free(s);

	struct cjson_hello_resp rs, rb;
	memset(&rs, 0, sizeof rs);
	rs.server_time_ms = 1795600000123;
	strcpy(rs.status, "ok");
	rs.nepochs = 1;
	memcpy(rs.epochs[0].epoch, rq.epoch, 16);
	rs.epochs[0].watermark = 1038;
	rs.batch_max_records = 100;
	rs.batch_max_bytes = 65536;
	rs.ncommands = 1;
	strcpy(rs.commands[0], "snapshot");
	s = cjson_hello_resp_encode(&rs);
	assert_int_equal(DEC(cjson_hello_resp_decode, s, &rb, err), 0);
	assert_memory_equal(&rb, &rs, sizeof rs);
	assert_non_null(cjson_hello_epoch(&rb, rq.epoch));
	assert_int_equal(cjson_hello_epoch(&rb, rq.epoch)->watermark, 1038);
	uint8_t other[16] = { 0 };
	assert_null(cjson_hello_epoch(&rb, other));
	free(s);
}

static void expect_bad(int rc, const char *err, const char *field)
{
	assert_int_equal(rc, CJSON_EBAD);
	if (!strstr(err, field))
		fail_msg("error '%s' does not name '%s'", err, field);
}

static void test_hello_bad(void **st)
{
	(void)st;
	struct cjson_hello_resp r;
	char err[CJSON_ERR_MAX];
	memset(&r, 0x77, sizeof r);
	expect_bad(DEC(cjson_hello_resp_decode, "{\"status\":\"ok\"}", &r, err), err, "server_time_ms");
	expect_bad(DEC(cjson_hello_resp_decode, "{\"server_time_ms\":\"1\",\"status\":\"ok\"}", &r, err), err, "server_time_ms");
	expect_bad(DEC(cjson_hello_resp_decode, "{\"server_time_ms\":1,\"status\":\"maybe\"}", &r, err), err, "status");
	expect_bad(DEC(cjson_hello_resp_decode, "{\"server_time_ms\":1.5,\"status\":\"ok\"}", &r, err), err, "server_time_ms");
	expect_bad(DEC(cjson_hello_resp_decode, "{\"server_time_ms\":99999999999999999999999,\"status\":\"ok\"}", &r, err), err, "JSON");
	expect_bad(DEC(cjson_hello_resp_decode, "{\"server_time_ms\":-5,\"status\":\"ok\"}", &r, err), err, "out of range");
	expect_bad(DEC(cjson_hello_resp_decode, "{\"server_time_ms\":1,\"status\":\"ok\",\"epochs\":{\"AAAA\":{\"watermark\":1}}}", &r, err), err, "epochs");
	expect_bad(DEC(cjson_hello_resp_decode, "{\"server_time_ms\":1,\"status\":\"ok\",\"limits\":{\"batch_max_records\":0}}", &r, err), err, "batch_max_records");
	expect_bad(DEC(cjson_hello_resp_decode, "{\"server_time_ms\":1,\"status\":\"ok\",\"commands\":[1]}", &r, err), err, "commands");
	expect_bad(DEC(cjson_hello_resp_decode, "{\"server_time_ms\":1,\"sta", &r, err), err, "JSON");
	expect_bad(DEC(cjson_hello_resp_decode, "[1,2]", &r, err), err, "object");
	expect_bad(cjson_hello_resp_decode("", 0, &r, err), err, "empty");
	expect_bad(DEC(cjson_hello_resp_decode, "{\"server_time_ms\":1,\"server_time_ms\":2,\"status\":\"ok\"}", &r, err), err, "JSON");
	/* output untouched after every failure */
	struct cjson_hello_resp ref;
	memset(&ref, 0x77, sizeof ref);
	assert_memory_equal(&r, &ref, sizeof r);
}

static uint8_t bodies[3][64];

static void mkbatch(struct outbox_batch *b, struct outbox_record *recs)
{
	memset(b, 0, sizeof *b);
	memset(b->epoch, 0x11, 16);
	b->first_seq = 1039;
	b->last_seq = 1041;
	b->n = 3;
	b->recs = recs;
	uint8_t prev[32] = { 0 };
	for (int i = 0; i < 3; i++) {
		memset(&recs[i], 0, sizeof recs[i]);
		recs[i].seq = 1039 + i;
		memset(recs[i].idem_key, 0x20 + i, 16);
		strcpy(recs[i].kind, i == 1 ? "reading" : "payment");
		int n = snprintf((char *)bodies[i], sizeof bodies[i], "{\"n\":%d,\"bin\":\"\x01\"}", i);
		recs[i].body = bodies[i];
		recs[i].body_len = (size_t)n;
		csign_chain_hash(prev, recs[i].body, recs[i].body_len, recs[i].chain_hash);
		memcpy(prev, recs[i].chain_hash, 32);
	}
}

static void test_batch(void **st)
{
	(void)st;
	struct outbox_record recs[3];
	struct outbox_batch b, back;
	char err[CJSON_ERR_MAX];
	mkbatch(&b, recs);
	char *s = cjson_batch_req_encode(&b);
	assert_int_equal(DEC(cjson_batch_req_decode, s, &back, err), 0);
	assert_int_equal(back.n, 3);
	assert_int_equal(back.first_seq, 1039);
	assert_memory_equal(back.epoch, b.epoch, 16);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(back.recs[i].seq, recs[i].seq);
		assert_string_equal(back.recs[i].kind, recs[i].kind);
		assert_int_equal(back.recs[i].body_len, recs[i].body_len);
		assert_memory_equal(back.recs[i].body, recs[i].body, recs[i].body_len); /* exact bytes */
		assert_memory_equal(back.recs[i].chain_hash, recs[i].chain_hash, 32);
		assert_memory_equal(back.recs[i].idem_key, recs[i].idem_key, 16);
	}
	/* deterministic: the same batch encodes to the same bytes (resend the same bytes) */
	char *s2 = cjson_batch_req_encode(&b);
	assert_string_equal(s, s2);
	free(s2);
	cjson_batch_clear(&back);
	free(s);

	struct outbox_result res[2];
	memset(res, 0, sizeof res);
	res[0].seq = 1039;
	memset(res[0].idem_key, 0x20, 16);
	res[0].disposition = OUTBOX_CREATED;
	strcpy(res[0].server_ref, "L-88412");
	res[1].seq = 1040;
	memset(res[1].idem_key, 0x21, 16);
	res[1].disposition = OUTBOX_REJECTED;
	strcpy(res[1].server_ref, "R-311");
	strcpy(res[1].reason, "meter_unknown");
	struct cjson_batch_resp r = { .watermark = 1040, .server_time_ms = 5, .n = 2, .results = res }, rb;
	memset(r.epoch, 0x11, 16);
	s = cjson_batch_resp_encode(&r);
	assert_string_equal(s, "{\"epoch\":\"EREREREREREREREREREREQ==\",\"watermark\":1040,\"server_time_ms\":5,"
			    "\"results\":[{\"seq\":1039,\"idem_key\":\"ICAgICAgICAgICAgICAgIA==\",\"disposition\":\"created\","
			    "\"server_ref\":\"L-88412\"},{\"seq\":1040,\"idem_key\":\"ISEhISEhISEhISEhISEhIQ==\","
			    "\"disposition\":\"rejected\",\"server_ref\":\"R-311\",\"reason\":\"meter_unknown\"}]}");
	assert_int_equal(DEC(cjson_batch_resp_decode, s, &rb, err), 0);
	assert_int_equal(rb.n, 2);
	assert_memory_equal(rb.results, res, sizeof res);
	cjson_batch_resp_clear(&rb);
	free(s);
}

static void test_batch_bad(void **st)
{
	(void)st;
	char err[CJSON_ERR_MAX];
	struct outbox_batch b;
	struct cjson_batch_resp r;
	const char *E = "\"epoch\":\"EREREREREREREREREREREQ==\"";
	const char *H = "\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"";
	char buf[1024];
	memset(&b, 0x33, sizeof b);
	snprintf(buf, sizeof buf, "{%s,\"first_seq\":1,\"last_seq\":2,\"prev_chain_hash\":%s,\"records\":["
		 "{\"seq\":1,\"idem_key\":\"ICAgICAgICAgICAgICAgIA==\",\"kind\":\"payment\",\"body\":\"e30=\",\"chain_hash\":%s}]}", E, H, H);
	expect_bad(DEC(cjson_batch_req_decode, buf, &b, err), err, "count");
	snprintf(buf, sizeof buf, "{%s,\"first_seq\":1,\"last_seq\":1,\"prev_chain_hash\":%s,\"records\":["
		 "{\"seq\":2,\"idem_key\":\"ICAgICAgICAgICAgICAgIA==\",\"kind\":\"payment\",\"body\":\"e30=\",\"chain_hash\":%s}]}", E, H, H);
	expect_bad(DEC(cjson_batch_req_decode, buf, &b, err), err, "contiguous");
	snprintf(buf, sizeof buf, "{%s,\"first_seq\":1,\"last_seq\":1,\"prev_chain_hash\":%s,\"records\":["
		 "{\"seq\":1,\"idem_key\":\"ICAg\",\"kind\":\"payment\",\"body\":\"e30=\",\"chain_hash\":%s}]}", E, H, H);
	expect_bad(DEC(cjson_batch_req_decode, buf, &b, err), err, "idem_key");
	snprintf(buf, sizeof buf, "{%s,\"first_seq\":1,\"last_seq\":1,\"prev_chain_hash\":%s,\"records\":["
		 "{\"seq\":1,\"idem_key\":\"ICAgICAgICAgICAgICAgIA==\",\"kind\":\"bitcoin\",\"body\":\"e30=\",\"chain_hash\":%s}]}", E, H, H);
	expect_bad(DEC(cjson_batch_req_decode, buf, &b, err), err, "kind");
	snprintf(buf, sizeof buf, "{%s,\"first_seq\":1,\"last_seq\":1,\"prev_chain_hash\":%s,\"records\":["
		 "{\"seq\":1,\"idem_key\":\"ICAgICAgICAgICAgICAgIA==\",\"kind\":\"payment\",\"body\":\"e30\",\"chain_hash\":%s}]}", E, H, H);
	expect_bad(DEC(cjson_batch_req_decode, buf, &b, err), err, "body");
	snprintf(buf, sizeof buf, "{%s,\"first_seq\":1,\"last_seq\":1,\"prev_chain_hash\":%s,\"records\":[]}", E, H);
	expect_bad(DEC(cjson_batch_req_decode, buf, &b, err), err, "count");
	snprintf(buf, sizeof buf, "{%s,\"first_seq\":0,\"last_seq\":1,\"prev_chain_hash\":%s,\"records\":[]}", E, H);
	expect_bad(DEC(cjson_batch_req_decode, buf, &b, err), err, "first_seq");
	struct outbox_batch ref;
	memset(&ref, 0x33, sizeof ref);
	assert_memory_equal(&b, &ref, sizeof b);

	memset(&r, 0x44, sizeof r);
	snprintf(buf, sizeof buf, "{%s,\"watermark\":1,\"server_time_ms\":1,\"results\":[{\"seq\":1,"
		 "\"idem_key\":\"ICAgICAgICAgICAgICAgIA==\",\"disposition\":\"maybe\",\"server_ref\":\"L-1\"}]}", E);
	expect_bad(DEC(cjson_batch_resp_decode, buf, &r, err), err, "disposition");
	snprintf(buf, sizeof buf, "{%s,\"watermark\":1,\"server_time_ms\":1,\"results\":[{\"seq\":1,"
		 "\"idem_key\":\"ICAgICAgICAgICAgICAgIA==\",\"disposition\":\"created\"}]}", E);
	expect_bad(DEC(cjson_batch_resp_decode, buf, &r, err), err, "server_ref");
	snprintf(buf, sizeof buf, "{%s,\"watermark\":1,\"server_time_ms\":1,\"results\":{}}", E);
	expect_bad(DEC(cjson_batch_resp_decode, buf, &r, err), err, "results");
	snprintf(buf, sizeof buf, "{%s,\"watermark\":1,\"server_time_ms\":1,\"results\":[{\"seq\":1,"
		 "\"idem_key\":\"ICAgICAgICAgICAgICAgIA==\",\"disposition\":\"created\",\"server_ref\":\"%s\"}]}", E,
		 "L-0123456789012345678901234567890123456789");
	expect_bad(DEC(cjson_batch_resp_decode, buf, &r, err), err, "server_ref");
	struct cjson_batch_resp rr;
	memset(&rr, 0x44, sizeof rr);
	assert_memory_equal(&r, &rr, sizeof r);
}

static void test_errors(void **st)
{
	(void)st;
	struct cjson_error e = { .watermark = 1038, .server_time_ms = 7, .attempts_left = -1,
				 .retry_after_s = -1 }, d;
	char err[CJSON_ERR_MAX];
	strcpy(e.error, "gap");
	char *s = cjson_error_encode(&e);
	assert_string_equal(s, "{\"error\":\"gap\",\"watermark\":1038,\"server_time_ms\":7}");
	assert_int_equal(DEC(cjson_error_decode, s, &d, err), 0);
	assert_string_equal(d.error, "gap");
	assert_int_equal(d.watermark, 1038);
	assert_int_equal(d.attempts_left, -1);
	assert_int_equal(cjson_server_time(s, strlen(s)), 7);
	free(s);
	assert_int_equal(cjson_server_time("{}", 2), -1);
	assert_int_equal(cjson_server_time("nope", 4), -1);
	expect_bad(DEC(cjson_error_decode, "{\"watermark\":1}", &d, err), err, "error");
	expect_bad(DEC(cjson_error_decode, "{\"error\":\"wrong_answer\",\"attempts_left\":\"2\"}", &d, err), err, "attempts_left");
}

static struct account *demo_account(void)
{
	struct account *a = calloc(1, sizeof *a);
	strcpy(a->pers_acc, "50012345");
	strcpy(a->owner_masked, "И***в И. И.");
	strcpy(a->address_masked, "г. Подольск, ул. Л*****, д. 5, кв. **");
	strcpy(a->period, "2026-10");
	a->due = a->accrued = 452316;
	a->details = true;
	a->nservices = 1;
	strcpy(a->services[0].code, "hvs");
	strcpy(a->services[0].name, "Холодное водоснабжение");
	strcpy(a->services[0].supplier_id, "s2");
	a->services[0].accrued = a->services[0].due = 51230;
	a->nsuppliers = 1;
	strcpy(a->suppliers[0].id, "s2");
	strcpy(a->suppliers[0].name, "МУП «Водоканал-Подмосковье»");
	strcpy(a->suppliers[0].inn, "5038004564");
	strcpy(a->suppliers[0].phone, "+7 (495) 993-40-12");
	strcpy(a->suppliers[0].address, "г. Пушкино");
	a->nmeters = 1;
	strcpy(a->meters[0].id, "m1");
	strcpy(a->meters[0].serial, "0412334");
	strcpy(a->meters[0].service, "hvs");
	strcpy(a->meters[0].name, "ХВС, кухня");
	strcpy(a->meters[0].unit, "м³");
	a->meters[0].digits = 5;
	a->meters[0].decimals = 3;
	a->meters[0].last_value_milli = 123456;
	strcpy(a->meters[0].last_date, "2026-10-20");
	a->meters[0].max_monthly_milli = 30000;
	a->updated_at_ms = 1792454400000;
	return a;
}

static void test_account(void **st)
{
	(void)st;
	struct account *a = demo_account(), *b = calloc(1, sizeof *b);
	char err[CJSON_ERR_MAX];
	char *s = cjson_account_encode(a, "accrued_last_period", 9);
	assert_int_equal(DEC(cjson_account_decode, s, b, err), 0);
	assert_memory_equal(a, b, sizeof *a);
	free(s);
	/* without details: amounts and lists absent, details false */
	a->details = false;
	s = cjson_account_encode(a, NULL, -1);
	assert_null(strstr(s, "services"));
	assert_null(strstr(s, "accrued\""));
	assert_int_equal(DEC(cjson_account_decode, s, b, err), 0);
	assert_false(b->details);
	assert_int_equal(b->nservices, 0);
	assert_int_equal(b->accrued, 0);
	free(s);

	memset(b, 0x55, sizeof *b);
	struct account *ref = malloc(sizeof *ref);
	memcpy(ref, b, sizeof *b);
	const char *pre = "{\"pers_acc\":\"50012345\",\"address_masked\":\"x\",\"period\":\"2026-10\",\"updated_at_ms\":1,"
			  "\"details\":true,\"owner_masked\":\"o\",\"due\":1,\"accrued\":1,\"paid\":0,\"debt\":0,";
	char buf[1024];
	snprintf(buf, sizeof buf, "%s\"services\":[],\"suppliers\":[{\"id\":\"s1\",\"name\":\"n\",\"inn\":\"12AB\"}],\"meters\":[]}", pre);
	expect_bad(DEC(cjson_account_decode, buf, b, err), err, "inn");
	snprintf(buf, sizeof buf, "%s\"services\":[],\"suppliers\":[],\"meters\":[{\"id\":\"m1\",\"service\":\"h\","
		 "\"name\":\"n\",\"unit\":\"u\",\"digits\":5,\"decimals\":4,\"last_value_milli\":1,\"max_monthly_milli\":1}]}", pre);
	expect_bad(DEC(cjson_account_decode, buf, b, err), err, "decimals");
	snprintf(buf, sizeof buf, "%s\"services\":[],\"suppliers\":[]}", pre);
	expect_bad(DEC(cjson_account_decode, buf, b, err), err, "meters");
	snprintf(buf, sizeof buf, "%s\"services\":[{\"code\":\"x\",\"name\":\"n\",\"supplier_id\":\"s\",\"accrued\":1e3,\"due\":1}],"
		 "\"suppliers\":[],\"meters\":[]}", pre);
	expect_bad(DEC(cjson_account_decode, buf, b, err), err, "accrued");
	expect_bad(DEC(cjson_account_decode, "{\"pers_acc\":\"5001-2345\",\"address_masked\":\"x\",\"period\":\"p\",\"updated_at_ms\":1}", b, err), err, "pers_acc");
	expect_bad(DEC(cjson_account_decode, "{\"pers_acc\":\"50012345\",\"address_masked\":\"x\",\"period\":\"2026-10-01\",\"updated_at_ms\":1}", b, err), err, "period");
	/* 17 services: over the fixed capacity */
	char big[4096];
	int n = snprintf(big, sizeof big, "%s\"services\":[", pre);
	for (int i = 0; i < 17; i++)
		n += snprintf(big + n, sizeof big - (size_t)n, "%s{\"code\":\"c\",\"name\":\"n\",\"supplier_id\":\"s\",\"accrued\":1,\"due\":1}", i ? "," : "");
	snprintf(big + n, sizeof big - (size_t)n, "],\"suppliers\":[],\"meters\":[]}");
	expect_bad(DEC(cjson_account_decode, big, b, err), err, "services");
	assert_memory_equal(b, ref, sizeof *b);
	free(ref);
	free(a);
	free(b);
}

static void test_verify_history_snapshot(void **st)
{
	(void)st;
	char err[CJSON_ERR_MAX];
	kopecks k = 0;
	char *s = cjson_verify_req_encode(498000);
	assert_string_equal(s, "{\"answer_accrued\":498000}");
	assert_int_equal(DEC(cjson_verify_req_decode, s, &k, err), 0);
	assert_int_equal(k, 498000);
	free(s);
	expect_bad(DEC(cjson_verify_req_decode, "{\"answer_accrued\":-1}", &k, err), err, "answer_accrued");
	expect_bad(DEC(cjson_verify_req_decode, "{\"answer_accrued\":\"498000\"}", &k, err), err, "answer_accrued");
	struct cjson_verify_resp v = { .ttl_s = 600 }, vb;
	strcpy(v.token, "abc");
	s = cjson_verify_resp_encode(&v, 1);
	assert_int_equal(DEC(cjson_verify_resp_decode, s, &vb, err), 0);
	assert_string_equal(vb.token, "abc");
	free(s);
	expect_bad(DEC(cjson_verify_resp_decode, "{\"token\":\"\",\"ttl_s\":600}", &vb, err), err, "token");

	struct cjson_readings *r = calloc(1, sizeof *r), *rb = calloc(1, sizeof *rb);
	strcpy(r->pers_acc, "50012345");
	r->n = 2;
	strcpy(r->r[0].meter_id, "m1");
	strcpy(r->r[0].date, "2026-10-20");
	r->r[0].value_milli = 123456;
	strcpy(r->r[0].source, "center");
	strcpy(r->r[0].status, "accepted");
	r->r[1] = r->r[0];
	strcpy(r->r[1].status, "suspect_jump");
	s = cjson_readings_encode(r, 3);
	assert_int_equal(DEC(cjson_readings_decode, s, rb, err), 0);
	assert_memory_equal(r, rb, sizeof *r);
	free(s);
	expect_bad(DEC(cjson_readings_decode, "{\"pers_acc\":\"1\",\"readings\":[{\"meter_id\":\"m1\"}]}", rb, err), err, "date");

	struct cjson_payments *p = calloc(1, sizeof *p), *pb = calloc(1, sizeof *pb);
	strcpy(p->pers_acc, "50012345");
	p->n = 1;
	p->p[0].date_ms = 1;
	strcpy(p->p[0].period, "2026-09");
	p->p[0].amount = 441000;
	strcpy(p->p[0].source, "bank");
	strcpy(p->p[0].status, "accepted");
	strcpy(p->p[0].ref, "B-1");
	s = cjson_payments_encode(p, 3);
	assert_int_equal(DEC(cjson_payments_decode, s, pb, err), 0);
	assert_memory_equal(p, pb, sizeof *p);
	free(s);
	expect_bad(DEC(cjson_payments_decode, "{\"pers_acc\":\"1\",\"payments\":[{\"date_ms\":1,\"amount\":0,\"source\":\"b\",\"status\":\"a\"}]}", pb, err), err, "amount");
	/* The list's shape, the same for both: an element that is not an object, no list, no
	 * pers_acc; a refused answer leaves what the caller holds as it was. */
	expect_bad(DEC(cjson_payments_decode, "{\"pers_acc\":\"1\",\"payments\":[7]}", pb, err), err, "payments[0]: not an object");
	expect_bad(DEC(cjson_readings_decode, "{\"pers_acc\":\"1\",\"readings\":[{\"meter_id\":\"m1\",\"date\":\"2026-10-20\",\"value_milli\":1,\"source\":\"c\",\"status\":\"a\"},\"x\"]}", rb, err), err, "readings[1]: not an object");
	expect_bad(DEC(cjson_readings_decode, "{\"pers_acc\":\"1\"}", rb, err), err, "readings");
	expect_bad(DEC(cjson_payments_decode, "{\"payments\":[]}", pb, err), err, "pers_acc");
	assert_memory_equal(p, pb, sizeof *p);
	assert_memory_equal(r, rb, sizeof *r);

	struct cjson_snapshot_page pg = { .n = 1, .more = true, .server_time_ms = 4 }, pgb;
	pg.accounts = demo_account();
	strcpy(pg.next_cursor, "1792454400000:50012345");
	s = cjson_snapshot_encode(&pg);
	assert_int_equal(DEC(cjson_snapshot_decode, s, &pgb, err), 0);
	assert_int_equal(pgb.n, 1);
	assert_true(pgb.more);
	assert_string_equal(pgb.next_cursor, pg.next_cursor);
	assert_memory_equal(&pgb.accounts[0], pg.accounts, sizeof *pg.accounts);
	cjson_snapshot_clear(&pgb);
	/* truncated snapshot: nothing returned */
	memset(&pgb, 0, sizeof pgb);
	assert_int_equal(cjson_snapshot_decode(s, strlen(s) - 10, &pgb, err), CJSON_EBAD);
	assert_null(pgb.accounts);
	free(s);
	expect_bad(DEC(cjson_snapshot_decode, "{\"accounts\":[{\"pers_acc\":\"1\",\"address_masked\":\"a\",\"period\":\"p\",\"updated_at_ms\":1}],"
		       "\"next_cursor\":\"\",\"more\":false,\"server_time_ms\":1}", &pgb, err), err, "without details");
	free(pg.accounts);
	free(r); free(rb); free(p); free(pb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hello),
		cmocka_unit_test(test_hello_bad),
		cmocka_unit_test(test_batch),
		cmocka_unit_test(test_batch_bad),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_account),
		cmocka_unit_test(test_verify_history_snapshot),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
