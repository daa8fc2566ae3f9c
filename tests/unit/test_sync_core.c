/* Sync decisions: full-jitter bounds, Retry-After, the step for every kind of answer, the
 * results check against the batch, gap handling. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "offline/center_client.h"
#include "offline/sync_core.h"

static void test_backoff_bounds(void **st)
{
	(void)st;
	/* the ceiling doubles from 1 s and stops at 300 s */
	const int64_t ceil[] = { 1000, 2000, 4000, 8000, 16000, 32000, 64000, 128000, 256000, 300000, 300000 };
	for (int a = 0; a < 11; a++) {
		assert_int_equal(sync_backoff_ms(a, 0), 0);
		assert_int_equal(sync_backoff_ms(a, (uint64_t)ceil[a]), ceil[a]);
		assert_int_equal(sync_backoff_ms(a, (uint64_t)ceil[a] + 1), 0);
		for (uint64_t r = 1; r < 2000000; r = r * 7 + 13)
			assert_true(sync_backoff_ms(a, r * 0x9e3779b97f4a7c15ULL) <= ceil[a]);
	}
	assert_int_equal(sync_backoff_ms(1000, UINT64_MAX), (int64_t)(UINT64_MAX % 300001));
	assert_true(sync_backoff_ms(INT32_MAX, 12345) <= 300000);
	/* spread: full jitter is not a fixed delay */
	int64_t lo = INT64_MAX, hi = 0;
	for (uint64_t r = 0; r < 1000; r++) {
		int64_t d = sync_backoff_ms(5, r * 0x2545F4914F6CDD1DULL);
		lo = d < lo ? d : lo;
		hi = d > hi ? d : hi;
	}
	assert_true(lo < 3000);
	assert_true(hi > 29000);
}

static struct sync_decision dec(int cls, long status, const char *err, int64_t ra, int attempt)
{
	struct sync_outcome o = { .cls = cls, .status = status, .error = err, .retry_after_s = ra,
				  .watermark = -1 };
	return sync_decide(&o, attempt, 500);
}

static void test_decisions(void **st)
{
	(void)st;
	struct sync_decision d = dec(CENTER_OK, 200, "", -1, 4);
	assert_int_equal(d.step, SYNC_APPLY);
	assert_int_equal(d.attempt, 0);
	assert_true(d.online);

	d = dec(CENTER_ENET, 0, "", -1, 0);
	assert_int_equal(d.step, SYNC_RETRY_SAME);
	assert_int_equal(d.attempt, 1);
	assert_int_equal(d.delay_ms, 500);
	assert_false(d.online);
	assert_true(d.rehello);

	d = dec(CENTER_ETIMEOUT, 0, "", -1, 3);
	assert_int_equal(d.step, SYNC_RETRY_SAME);
	assert_string_equal(d.why, "timeout");

	d = dec(CENTER_EHTTP, 504, "gateway_timeout", -1, 0);
	assert_int_equal(d.step, SYNC_RETRY_SAME);
	assert_true(d.online);

	/* Retry-After longer than the jitter wins; shorter does not shorten it */
	d = dec(CENTER_EHTTP, 503, "busy", 30, 0);
	assert_int_equal(d.delay_ms, 30000);
	d = dec(CENTER_EHTTP, 429, "busy", 0, 0);
	assert_int_equal(d.delay_ms, 500);
	d = dec(CENTER_EHTTP, 503, "busy", 99999, 0);
	assert_int_equal(d.delay_ms, SYNC_RETRY_AFTER_MAX_S * 1000);

	d = dec(CENTER_EHTTP, 409, "gap", -1, 2);
	assert_int_equal(d.step, SYNC_REWIND);
	assert_int_equal(d.delay_ms, 0);
	d = dec(CENTER_EHTTP, 409, "fork", -1, 0);
	assert_int_equal(d.step, SYNC_NEW_EPOCH);
	assert_true(d.alert);
	assert_true(d.rehello);

	d = dec(CENTER_EPIN, 0, "", -1, 0);
	assert_int_equal(d.step, SYNC_PIN_ALERT);
	assert_int_equal(d.delay_ms, SYNC_BACKOFF_CAP_MS);
	assert_true(d.alert);
	assert_false(d.online);

	d = dec(CENTER_EHTTP, 401, "bad_signature", -1, 0);
	assert_int_equal(d.step, SYNC_HOLD);
	assert_true(d.alert);
	d = dec(CENTER_EHTTP, 400, "bad_request", -1, 0);
	assert_int_equal(d.step, SYNC_HOLD);
	d = dec(CENTER_EHTTP, 401, "clock_skew", -1, 0);
	assert_int_equal(d.step, SYNC_RETRY_SAME);
	d = dec(CENTER_EHTTP, 401, "replay", -1, 0);
	assert_int_equal(d.step, SYNC_RETRY_SAME);
	assert_string_equal(d.why, "replay");
	d = dec(CENTER_EHTTP, 503, "busy", -1, 0);
	assert_string_equal(d.why, "busy");
	d = dec(CENTER_EHTTP, 502, "", -1, 0);
	assert_string_equal(d.why, "server_error");
	d = dec(CENTER_ETLS, 0, "", -1, 0);
	assert_int_equal(d.step, SYNC_HOLD);
	d = dec(CENTER_EREPLY, 200, "", -1, 0);
	assert_int_equal(d.step, SYNC_RETRY_SAME);
}

static void test_results_check(void **st)
{
	(void)st;
	struct outbox_record recs[2];
	struct outbox_batch b = { .first_seq = 7, .last_seq = 8, .n = 2, .recs = recs };
	struct outbox_result res[2];
	memset(recs, 0, sizeof recs);
	memset(res, 0, sizeof res);
	memset(b.epoch, 9, 16);
	for (int i = 0; i < 2; i++) {
		recs[i].seq = 7 + i;
		memset(recs[i].idem_key, i + 1, 16);
		res[i].seq = 7 + i;
		memset(res[i].idem_key, i + 1, 16);
		strcpy(res[i].server_ref, "L-1");
	}
	res[1].disposition = OUTBOX_CONFLICT;
	struct cjson_batch_resp r = { .watermark = 8, .n = 2, .results = res };
	memset(r.epoch, 9, 16);
	assert_int_equal(sync_check_results(&b, &r), 0);
	r.watermark = 7;
	assert_int_equal(sync_check_results(&b, &r), -1);
	r.watermark = 8;
	res[1].idem_key[3] = 0;
	assert_int_equal(sync_check_results(&b, &r), -1);
	res[1].idem_key[3] = 2;
	r.epoch[0] = 1;
	assert_int_equal(sync_check_results(&b, &r), -1);
	r.epoch[0] = 9;
	r.n = 1;
	assert_int_equal(sync_check_results(&b, &r), -1);
	r.n = 2;
	res[0].server_ref[0] = '\0';
	assert_int_equal(sync_check_results(&b, &r), -1);
	strcpy(res[0].server_ref, "L-1");
	struct sync_tally t;
	sync_tally_results(res, 2, &t);
	assert_int_equal(t.created, 1);
	assert_int_equal(t.conflict, 1);
	assert_int_equal(t.duplicate + t.rejected, 0);
}

static void test_hello_gap_timers(void **st)
{
	(void)st;
	struct cjson_hello_resp r;
	memset(&r, 0, sizeof r);
	strcpy(r.status, "ok");
	assert_int_equal(sync_after_hello(&r), SYNC_HELLO_SEND);
	strcpy(r.status, "fork");
	assert_int_equal(sync_after_hello(&r), SYNC_HELLO_NEW_EPOCH);
	strcpy(r.status, "revoked");
	assert_int_equal(sync_after_hello(&r), SYNC_HELLO_STOP);
	assert_int_equal(sync_on_gap(10, 11), SYNC_GAP_RESEND);
	assert_int_equal(sync_on_gap(10, 5), SYNC_GAP_RESEND);
	assert_int_equal(sync_on_gap(10, 12), SYNC_GAP_NEW_EPOCH);
	assert_int_equal(sync_next_hello(1000, 60), 61000);
	assert_int_equal(sync_next_hello(1000, 0), 61000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backoff_bounds),
		cmocka_unit_test(test_decisions),
		cmocka_unit_test(test_results_check),
		cmocka_unit_test(test_hello_gap_timers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
