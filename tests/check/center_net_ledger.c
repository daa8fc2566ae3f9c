/* The billing center's ledger rules over the network (center_net.c runs them): a batch's
 * dispositions and reasons, duplicates, a conflict stored apart, gap and fork refusals, a
 * new epoch's duplicates, rejections kept with their reasons, corrections. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "offline/center_client.h"
#include "offline/center_json.h"
#include "offline/center_sign.h"
#include "tests/check/center_net.h"

static void key_of(int k, uint8_t out[16])
{
	memset(out, 0, 16);
	out[0] = 0xA5;
	out[15] = (uint8_t)k;
}

void net_mkbatch(struct net_batch *s, const uint8_t ep[16], int64_t first, const uint8_t prev[32],
		 int n, const int *keys, const char *const *kinds, const char *const *bodies)
{
	uint8_t h[32];
	memset(s, 0, sizeof *s);
	memcpy(s->b.epoch, ep, 16);
	memcpy(s->b.prev_chain_hash, prev, 32);
	memcpy(h, prev, 32);
	s->b.first_seq = first;
	s->b.last_seq = first + n - 1;
	s->b.n = n;
	s->b.recs = s->r;
	for (int i = 0; i < n; i++) {
		struct outbox_record *r = &s->r[i];
		r->seq = first + i;
		key_of(keys[i], r->idem_key);
		snprintf(r->kind, sizeof r->kind, "%s", kinds[i]);
		snprintf(s->bodies[i], sizeof s->bodies[i], "%s", bodies[i]);
		r->body = (uint8_t *)s->bodies[i];
		r->body_len = strlen(s->bodies[i]);
		csign_chain_hash(h, r->body, r->body_len, r->chain_hash);
		memcpy(h, r->chain_hash, 32);
	}
}

int net_send_batch(struct center_client *c, const struct outbox_batch *b,
		   struct cjson_batch_resp *resp, struct center_reply *rep)
{
	char *json = cjson_batch_req_encode(b);
	memset(resp, 0, sizeof *resp);
	int rc = center_batch(c, json, strlen(json), resp, rep);
	free(json);
	return rc;
}

static const char PAY1[] = "{\"txn_id\":\"a5000000000000000000000000000001\",\"lines\":[{\"pers_acc\":\"50012345\","
	"\"period\":\"2026-10\",\"amount\":452316,\"payee_inn\":\"5037008735\"}],\"total\":452316,"
	"\"currency\":\"RUB\",\"card\":{\"masked_pan\":\"220000******0004\",\"rrn\":\"000000123456\"},"
	"\"created_ms\":1795600000000,\"recorded_ms\":1795600005000,\"offline\":false}";
static const char READ1[] = "{\"pers_acc\":\"50012345\",\"meter_id\":\"m1\",\"value_milli\":130000,"
	"\"prev_milli\":123456,\"rollover\":false,\"supersedes\":null,\"submitted_ms\":1795600000000}";
static const char READ_BAD[] = "{\"pers_acc\":\"50012345\",\"meter_id\":\"m9\",\"value_milli\":1000,"
	"\"prev_milli\":0,\"rollover\":false,\"supersedes\":null,\"submitted_ms\":1795600000000}";
static const char READ_DEC[] = "{\"pers_acc\":\"50012345\",\"meter_id\":\"m2\",\"value_milli\":40000,"
	"\"prev_milli\":45120,\"rollover\":false,\"supersedes\":null,\"submitted_ms\":1795600000000}";
static const char READ_JUMP[] = "{\"pers_acc\":\"50022222\",\"meter_id\":\"m5\",\"value_milli\":990000,"
	"\"prev_milli\":900000,\"rollover\":false,\"supersedes\":null,\"submitted_ms\":1795600000000}";

static uint8_t EP1[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
static const uint8_t ZERO[32];

/* The first batch: keys 1..5, a payment and four readings. */
static const int keys[] = { 1, 2, 3, 4, 5 };
static const char *const kinds[] = { "payment", "reading", "reading", "reading", "reading" };
static const char *const bodies[] = { PAY1, READ1, READ_BAD, READ_DEC, READ_JUMP };

/* Hello on a fresh epoch, the first batch with each disposition and reason, and the same
 * batch again as duplicates.  s: the batch sent (its chain goes on in ledger_refusals). */
static void ledger_first_batch(struct center_client *c, struct cjson_hello_req *hq, struct net_batch *s)
{
	struct center_reply rep = { 0 };
	struct cjson_hello_resp hr;
	struct cjson_batch_resp br;
	int rc = center_hello(c, hq, &hr, &rep);
	CHECK(rc == CENTER_OK && strcmp(hr.status, "ok") == 0 && hr.batch_max_records == 100 &&
	      cjson_hello_epoch(&hr, EP1) == NULL, "hello on a fresh epoch: ok, no watermark (rc=%d)", rc);
	center_reply_clear(&rep);

	net_mkbatch(s, EP1, 1, ZERO, 5, keys, kinds, bodies);
	rc = net_send_batch(c, &s->b, &br, &rep);
	CHECK(rc == CENTER_OK && br.n == 5 && br.watermark == 5, "batch 1..5 accepted, watermark %" PRId64, br.watermark);
	if (rc == CENTER_OK && br.n == 5) {
		CHECK(br.results[0].disposition == OUTBOX_CREATED && strcmp(br.results[0].server_ref, "L-88001") == 0,
		      "payment created L-88001 (%s)", br.results[0].server_ref);
		CHECK(br.results[1].disposition == OUTBOX_CREATED && br.results[1].reason[0] == '\0',
		      "reading created, no flag");
		CHECK(br.results[2].disposition == OUTBOX_REJECTED && strcmp(br.results[2].reason, "meter_unknown") == 0 &&
		      strncmp(br.results[2].server_ref, "R-", 2) == 0, "unknown meter rejected (%s %s)",
		      br.results[2].reason, br.results[2].server_ref);
		CHECK(br.results[3].disposition == OUTBOX_CREATED && strcmp(br.results[3].reason, "suspect_decrease") == 0,
		      "decrease without rollover stored with suspect_decrease");
		CHECK(br.results[4].disposition == OUTBOX_CREATED && strcmp(br.results[4].reason, "suspect_jump") == 0,
		      "jump over max_monthly stored with suspect_jump");
	}
	CHECK(net_db_int("SELECT count(*) FROM ledger WHERE device_id='K0001'") == 5, "ledger holds 5 rows");
	CHECK(net_db_int("SELECT count(*) FROM ledger WHERE disposition='rejected'") == 1, "one rejected row in the ledger");
	CHECK(net_db_int("SELECT last_value_milli FROM meters WHERE id='m1'") == 130000, "accepted reading moved m1's last value");
	CHECK(net_db_int("SELECT last_value_milli FROM meters WHERE id='m2'") == 45120, "suspect reading left m2's last value");
	char ref0[40];
	snprintf(ref0, sizeof ref0, "%s", br.n ? br.results[0].server_ref : "");
	cjson_batch_resp_clear(&br);
	center_reply_clear(&rep);

	rc = net_send_batch(c, &s->b, &br, &rep);
	bool alldup = rc == CENTER_OK && br.n == 5;
	for (int i = 0; alldup && i < 5; i++)
		alldup = br.results[i].disposition == OUTBOX_DUPLICATE;
	CHECK(alldup && strcmp(br.results[0].server_ref, ref0) == 0 && br.watermark == 5,
	      "same batch again: 5 duplicates with the original refs");
	CHECK(net_db_int("SELECT count(*) FROM ledger") == 5, "duplicates add no ledger rows");
	cjson_batch_resp_clear(&br);
	center_reply_clear(&rep);
}

/* What the center refuses or keeps apart after that batch: a known key with other bytes
 * (conflict), a gap, a fork, and a hello behind the watermark. */
static void ledger_refusals(struct center_client *c, struct cjson_hello_req *hq, const struct net_batch *s)
{
	struct center_reply rep = { 0 };
	struct cjson_hello_resp hr;
	struct cjson_batch_resp br;
	int rc;
	/* seq 6 reuses key 1 with other bytes: conflict, stored apart, the ledger row unchanged */
	struct net_batch s2;
	const int k6[] = { 1 };
	const char *kk[] = { "payment" };
	const char *b6[] = { "{\"txn_id\":\"a5000000000000000000000000000001\",\"changed\":true}" };
	net_mkbatch(&s2, EP1, 6, s->r[4].chain_hash, 1, k6, kk, b6);
	rc = net_send_batch(c, &s2.b, &br, &rep);
	CHECK(rc == CENTER_OK && br.n == 1 && br.results[0].disposition == OUTBOX_CONFLICT &&
	      strncmp(br.results[0].server_ref, "C-", 2) == 0, "changed body under a known key: conflict");
	CHECK(net_db_int("SELECT count(*) FROM conflicts") == 1 &&
	      net_db_int("SELECT count(*) FROM ledger WHERE body LIKE '%changed%'") == 0,
	      "conflict stored apart, ledger never overwritten");
	cjson_batch_resp_clear(&br);
	center_reply_clear(&rep);

	/* gap: first_seq 10 > watermark 6 + 1 */
	const char *b10[] = { "{\"kind\":\"x\"}" };
	const char *ke[] = { "event" };
	const int k10[] = { 10 };
	net_mkbatch(&s2, EP1, 10, ZERO, 1, k10, ke, b10);
	rc = net_send_batch(c, &s2.b, &br, &rep);
	CHECK(rc == CENTER_EHTTP && rep.status == 409 && strcmp(rep.err.error, "gap") == 0 && rep.err.watermark == 6,
	      "gap: 409 {\"error\":\"gap\",\"watermark\":6} (status %ld wm %" PRId64 ")", rep.status, rep.err.watermark);
	center_reply_clear(&rep);

	/* fork: seq 2 again with another key (a kiosk restored from backup) */
	const int k2[] = { 20 };
	const char *b2[] = { READ1 };
	const char *kr[] = { "reading" };
	net_mkbatch(&s2, EP1, 2, s->r[0].chain_hash, 1, k2, kr, b2);
	rc = net_send_batch(c, &s2.b, &br, &rep);
	CHECK(rc == CENTER_EHTTP && rep.status == 409 && strcmp(rep.err.error, "fork") == 0,
	      "fork: seq <= watermark with another key -> 409 fork");
	center_reply_clear(&rep);
	CHECK(net_db_int("SELECT count(*) FROM ledger") == 5, "gap and fork applied nothing");
	hq->last_seq = 2;
	memcpy(hq->chain_head, s->r[1].chain_hash, 32);
	rc = center_hello(c, hq, &hr, &rep);
	const struct cjson_epoch_state *es = rc == CENTER_OK ? cjson_hello_epoch(&hr, EP1) : NULL;
	CHECK(rc == CENTER_OK && strcmp(hr.status, "fork") == 0 && es && es->watermark == 6,
	      "hello behind the watermark: status fork, epoch watermark 6");
	center_reply_clear(&rep);
}

/* A new epoch: the same keys and bodies are duplicates; a foreign payee and a bad total
 * are rejected with their reasons; a correction supersedes a reading. */
static void ledger_new_epoch(struct center_client *c)
{
	struct center_reply rep = { 0 };
	struct cjson_batch_resp br;
	struct net_batch s2;
	int rc;
	/* a new epoch carrying the same keys and bodies is recognised as duplicates */
	uint8_t ep2[16];
	memset(ep2, 0x22, 16);
	net_mkbatch(&s2, ep2, 1, ZERO, 2, keys, kinds, bodies);
	rc = net_send_batch(c, &s2.b, &br, &rep);
	CHECK(rc == CENTER_OK && br.n == 2 && br.results[0].disposition == OUTBOX_DUPLICATE &&
	      br.results[1].disposition == OUTBOX_DUPLICATE && br.watermark == 2,
	      "renumbered in a new epoch: duplicates, no new ledger rows");
	cjson_batch_resp_clear(&br);
	center_reply_clear(&rep);

	/* payee not the center's, and a total that does not add up: both stored as rejected */
	const int kp[] = { 70, 71 };
	const char *kpay[] = { "payment", "payment" };
	const char *bp[] = {
		"{\"txn_id\":\"a5000000000000000000000000000046\",\"lines\":[{\"pers_acc\":\"50012345\",\"amount\":100,"
		"\"payee_inn\":\"7707083893\"}],\"total\":100,\"created_ms\":1}",
		"{\"txn_id\":\"a5000000000000000000000000000047\",\"lines\":[{\"pers_acc\":\"50012345\",\"amount\":100,"
		"\"payee_inn\":\"5037008735\"}],\"total\":101,\"created_ms\":1}",
	};
	uint8_t prev2[32];
	memcpy(prev2, s2.r[1].chain_hash, 32);  /* mkbatch clears s2 */
	net_mkbatch(&s2, ep2, 3, prev2, 2, kp, kpay, bp);
	rc = net_send_batch(c, &s2.b, &br, &rep);
	CHECK(rc == CENTER_OK && br.n == 2 && br.results[0].disposition == OUTBOX_REJECTED &&
	      strcmp(br.results[0].reason, "payee_unknown") == 0 && br.results[1].disposition == OUTBOX_REJECTED &&
	      strcmp(br.results[1].reason, "total_mismatch") == 0, "foreign payee and bad total: rejected with reasons");
	CHECK(net_db_int("SELECT count(*) FROM ledger_notes WHERE note IN ('payee_unknown','total_mismatch')") == 2,
	      "rejection reasons kept in ledger_notes");
	cjson_batch_resp_clear(&br);
	center_reply_clear(&rep);

	/* a correction supersedes reading key 2 (m1 130,000 -> 129,000); a rollover is not a
	 * decrease (and on the demo meters, far from wrapping, it is a jump) */
	const int kc[] = { 72, 73 };
	const char *kr2[] = { "reading", "reading" };
	const char *bc[] = {
		"{\"pers_acc\":\"50012345\",\"meter_id\":\"m1\",\"value_milli\":129000,\"prev_milli\":123456,"
		"\"rollover\":false,\"supersedes\":\"a5000000000000000000000000000002\",\"submitted_ms\":1795600100000}",
		"{\"pers_acc\":\"50022222\",\"meter_id\":\"m5\",\"value_milli\":1000,\"prev_milli\":900000,"
		"\"rollover\":true,\"supersedes\":null,\"submitted_ms\":1795600100000}",
	};
	memcpy(prev2, s2.r[1].chain_hash, 32);
	net_mkbatch(&s2, ep2, 5, prev2, 2, kc, kr2, bc);
	rc = net_send_batch(c, &s2.b, &br, &rep);
	CHECK(rc == CENTER_OK && br.n == 2 && br.results[0].disposition == OUTBOX_CREATED &&
	      br.results[0].reason[0] == '\0' && br.results[1].disposition == OUTBOX_CREATED &&
	      strcmp(br.results[1].reason, "suspect_jump") == 0, "correction accepted; rollover flagged as a jump, not a decrease");
	CHECK(net_db_int("SELECT count(*) FROM history_readings WHERE meter_id='m1' AND status='superseded' AND value_milli=130000") == 1 &&
	      net_db_int("SELECT last_value_milli FROM meters WHERE id='m1'") == 129000,
	      "the superseded reading is marked, the meter shows the correction");
	cjson_batch_resp_clear(&br);
	center_reply_clear(&rep);
}

void test_ledger(int port)
{
	struct center_client *c = net_client(port);
	struct cjson_hello_req hq = { .last_seq = 0, .device_time_ms = 1795600000000, .sw = "1.0.0" };
	struct net_batch s;
	memcpy(hq.epoch, EP1, 16);
	strcpy(hq.health.pinpad, "ok");
	ledger_first_batch(c, &hq, &s);
	ledger_refusals(c, &hq, &s);
	ledger_new_epoch(c);
	center_client_free(c);
}
