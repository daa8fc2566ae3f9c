/* Outbox: seq and hash chain, batching by count and bytes, results applied atomically,
 * attempts, epoch renumbering (fork recovery), immutable bodies, pending counts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "offline/outbox.h"
#include "offline/store.h"
#include "offline/store_internal.h"
#include "tests/lib/test_tmp.h"
#include "offline/crypto_lib.h"

static char dir[TEST_TMP_DIR_LEN];
static char path[TEST_TMP_PATH_LEN];

static int setup(void **state)
{
	test_tmp_dir("test_outbox", dir, path);
	struct store *s = NULL;
	assert_int_equal(store_open(path, &s), STORE_OK);
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	store_close(*state);
	return test_tmp_remove(dir);
}

static void add_n(struct store *s, int n, uint8_t keys[][16], int64_t t0)
{
	for (int i = 0; i < n; i++) {
		char body[64];
		int len = snprintf(body, sizeof body, "{\"event\":\"e%d\"}", i);
		assert_int_equal(outbox_add(s, "event", (const uint8_t *)body, (size_t)len, t0 + i,
					    keys[i]), STORE_OK);
	}
}

/* Recomputes the chain of an epoch from zero and compares every stored hash. */
static void check_chain(struct store *s, const uint8_t epoch[16], int64_t want_last)
{
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(store_db(s), "SELECT seq, body, chain_hash FROM outbox "
					    "WHERE epoch = ?1 ORDER BY seq", -1, &q, NULL), SQLITE_OK);
	sqlite3_bind_blob(q, 1, epoch, 16, SQLITE_STATIC);
	uint8_t prev[32] = { 0 };
	int64_t seq = 0;
	while (sqlite3_step(q) == SQLITE_ROW) {
		assert_int_equal(sqlite3_column_int64(q, 0), ++seq);
		uint8_t h[32];
		crypto_sha256(prev, 32, sqlite3_column_blob(q, 1),
			       (size_t)sqlite3_column_bytes(q, 1), h);
		assert_memory_equal(h, sqlite3_column_blob(q, 2), 32);
		memcpy(prev, h, 32);
	}
	sqlite3_finalize(q);
	assert_int_equal(seq, want_last);
}

static void test_add_chain_batch(void **state)
{
	struct store *s = *state;
	uint8_t keys[5][16];
	add_n(s, 5, keys, 1000);
	assert_memory_not_equal(keys[0], keys[1], 16);
	uint8_t epoch[16], head[32];
	int64_t last;
	assert_int_equal(outbox_current_epoch(s, epoch, &last, head), STORE_OK);
	assert_int_equal(last, 5);
	check_chain(s, epoch, 5);

	struct outbox_batch b;
	assert_int_equal(outbox_next_batch(s, 3, 65536, &b), STORE_OK);
	assert_int_equal(b.n, 3);
	assert_int_equal(b.first_seq, 1);
	assert_int_equal(b.last_seq, 3);
	uint8_t zero[32] = { 0 };
	assert_memory_equal(b.prev_chain_hash, zero, 32);
	assert_memory_equal(b.epoch, epoch, 16);
	assert_memory_equal(b.recs[2].idem_key, keys[2], 16);
	assert_string_equal(b.recs[1].kind, "event");
	assert_int_equal(b.recs[1].body_len, strlen("{\"event\":\"e1\"}"));
	assert_memory_equal(b.recs[1].body, "{\"event\":\"e1\"}", b.recs[1].body_len);
	assert_int_equal(b.recs[0].created_ms, 1000);
	uint8_t h1[32];
	crypto_sha256(zero, 32, b.recs[0].body, b.recs[0].body_len, h1);
	assert_memory_equal(b.recs[0].chain_hash, h1, 32);

	assert_int_equal(outbox_note_attempt(s, &b, 2000), STORE_OK);
	assert_int_equal(outbox_note_attempt(s, &b, 2001), STORE_OK);

	/* Ack the batch: created, duplicate, rejected. */
	struct outbox_result r[3] = { 0 };
	for (int i = 0; i < 3; i++) {
		r[i].seq = b.recs[i].seq;
		memcpy(r[i].idem_key, b.recs[i].idem_key, 16);
		snprintf(r[i].server_ref, sizeof r[i].server_ref, "L-%d", i);
	}
	r[1].disposition = OUTBOX_DUPLICATE;
	r[2].disposition = OUTBOX_REJECTED;
	snprintf(r[2].reason, sizeof r[2].reason, "meter_unknown");
	assert_int_equal(outbox_apply_results(s, r, 3, 3000), STORE_OK);
	outbox_batch_free(&b);

	/* Only a byte budget of one body: still one record. */
	assert_int_equal(outbox_next_batch(s, 10, 1, &b), STORE_OK);
	assert_int_equal(b.n, 1);
	assert_int_equal(b.first_seq, 4);
	assert_memory_equal(b.prev_chain_hash, head, 0);
	uint8_t h3[32];
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(store_db(s), "SELECT chain_hash FROM outbox WHERE seq = 3",
					    -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	memcpy(h3, sqlite3_column_blob(q, 0), 32);
	sqlite3_finalize(q);
	assert_memory_equal(b.prev_chain_hash, h3, 32);
	outbox_batch_free(&b);
	assert_int_equal(outbox_next_batch(s, 10, 65536, &b), STORE_OK);
	assert_int_equal(b.n, 2);
	assert_int_equal(b.recs[0].attempts, 0);
	outbox_batch_free(&b);

	/* What landed in the rows. */
	assert_int_equal(sqlite3_prepare_v2(store_db(s), "SELECT seq, attempts, acked_at, disposition, "
		"server_ref, quarantined, coalesce(rejected_reason, '') FROM outbox ORDER BY seq",
		-1, &q, NULL), SQLITE_OK);
	const char *disp[] = { "created", "duplicate", "rejected" };
	for (int i = 0; i < 3; i++) {
		assert_int_equal(sqlite3_step(q), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(q, 1), 2);
		assert_int_equal(sqlite3_column_int64(q, 2), 3000);
		assert_string_equal(sqlite3_column_text(q, 3), disp[i]);
		char ref[16];
		snprintf(ref, sizeof ref, "L-%d", i);
		assert_string_equal(sqlite3_column_text(q, 4), ref);
		assert_int_equal(sqlite3_column_int(q, 5), i == 2);
		assert_string_equal(sqlite3_column_text(q, 6), i == 2 ? "meter_unknown" : "");
	}
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_int_equal(sqlite3_column_type(q, 2), SQLITE_NULL);
	sqlite3_finalize(q);

	int cnt;
	int64_t age;
	assert_int_equal(outbox_pending(s, 5000, &cnt, &age), STORE_OK);
	assert_int_equal(cnt, 2);
	assert_int_equal(age, 5000 - 1003);
}

static void test_results_all_or_nothing(void **state)
{
	struct store *s = *state;
	uint8_t keys[3][16];
	add_n(s, 3, keys, 10);
	struct outbox_result r[2] = { 0 };
	r[0].seq = 1;
	memcpy(r[0].idem_key, keys[0], 16);
	r[0].disposition = OUTBOX_CREATED;
	snprintf(r[0].server_ref, sizeof r[0].server_ref, "L-1");
	r[1].seq = 2;
	memcpy(r[1].idem_key, keys[2], 16); /* wrong key for seq 2 */
	r[1].disposition = OUTBOX_CREATED;
	assert_int_equal(outbox_apply_results(s, r, 2, 20), STORE_ENOTFOUND);
	int cnt;
	int64_t age;
	assert_int_equal(outbox_pending(s, 20, &cnt, &age), STORE_OK);
	assert_int_equal(cnt, 3);
	r[1].disposition = (enum outbox_disposition)9;
	memcpy(r[1].idem_key, keys[1], 16);
	assert_int_equal(outbox_apply_results(s, r, 2, 20), STORE_EINVAL);
	r[1].disposition = OUTBOX_CONFLICT;
	assert_int_equal(outbox_apply_results(s, r, 2, 20), STORE_OK);
	/* A repeated reply changes nothing (first result kept). */
	r[0].disposition = OUTBOX_REJECTED;
	assert_int_equal(outbox_apply_results(s, r, 1, 30), STORE_OK);
	assert_int_equal(outbox_pending(s, 20, &cnt, &age), STORE_OK);
	assert_int_equal(cnt, 1);
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(store_db(s), "SELECT disposition, acked_at, quarantined "
		"FROM outbox WHERE seq = 1", -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_string_equal(sqlite3_column_text(q, 0), "created");
	assert_int_equal(sqlite3_column_int(q, 1), 20);
	assert_int_equal(sqlite3_column_int(q, 2), 0);
	sqlite3_finalize(q);
}

static void test_new_epoch_renumbers(void **state)
{
	struct store *s = *state;
	uint8_t keys[6][16];
	add_n(s, 6, keys, 100);
	struct outbox_result r[2] = { 0 };
	for (int i = 0; i < 2; i++) {
		r[i].seq = i + 1;
		memcpy(r[i].idem_key, keys[i], 16);
		snprintf(r[i].server_ref, sizeof r[i].server_ref, "L-%d", i);
	}
	assert_int_equal(outbox_apply_results(s, r, 2, 200), STORE_OK);
	uint8_t e1[16], e2[16], head[32];
	int64_t last;
	assert_int_equal(outbox_current_epoch(s, e1, &last, head), STORE_OK);
	assert_int_equal(outbox_new_epoch(s), STORE_OK);
	assert_int_equal(outbox_current_epoch(s, e2, &last, head), STORE_OK);
	assert_memory_not_equal(e1, e2, 16);
	assert_int_equal(last, 4);
	check_chain(s, e2, 4);
	check_chain(s, e1, 2); /* the acked rows stay where they were */

	struct outbox_batch b;
	assert_int_equal(outbox_next_batch(s, 10, 65536, &b), STORE_OK);
	assert_int_equal(b.n, 4);
	assert_int_equal(b.first_seq, 1);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(b.recs[i].seq, i + 1);
		assert_memory_equal(b.recs[i].idem_key, keys[i + 2], 16);
		char body[64];
		int len = snprintf(body, sizeof body, "{\"event\":\"e%d\"}", i + 2);
		assert_int_equal(b.recs[i].body_len, (size_t)len);
		assert_memory_equal(b.recs[i].body, body, (size_t)len);
	}
	outbox_batch_free(&b);
	/* New records continue the new epoch's chain. */
	uint8_t k[16];
	assert_int_equal(outbox_add(s, "request", (const uint8_t *)"{}", 2, 300, k), STORE_OK);
	check_chain(s, e2, 5);
}

static void test_body_immutable_and_kinds(void **state)
{
	struct store *s = *state;
	uint8_t key[16], k2[16] = { 1 };
	assert_int_equal(outbox_add(s, "event", (const uint8_t *)"{\"a\":1}", 7, 1, key), STORE_OK);
	assert_int_equal(outbox_add(s, "bogus", (const uint8_t *)"{}", 2, 1, k2), STORE_EINVAL);
	assert_int_not_equal(sqlite3_exec(store_db(s), "UPDATE outbox SET body = x'00'",
					  NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(store_db(s), "UPDATE outbox SET idem_key = zeroblob(16)",
					  NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(store_db(s), "DELETE FROM outbox", NULL, NULL, NULL),
			     SQLITE_OK);
	/* acked without a result is refused by the table itself */
	assert_int_not_equal(sqlite3_exec(store_db(s), "UPDATE outbox SET acked_at = 5",
					  NULL, NULL, NULL), SQLITE_OK);
	struct outbox_batch b;
	assert_int_equal(outbox_next_batch(s, 10, 100, &b), STORE_OK);
	assert_int_equal(b.n, 1);
	assert_memory_equal(b.recs[0].body, "{\"a\":1}", 7);
	outbox_batch_free(&b);
}

static void test_empty(void **state)
{
	struct store *s = *state;
	struct outbox_batch b;
	assert_int_equal(outbox_next_batch(s, 10, 100, &b), STORE_OK);
	assert_int_equal(b.n, 0);
	assert_null(b.recs);
	outbox_batch_free(&b);
	int cnt = -1;
	int64_t age = -1;
	assert_int_equal(outbox_pending(s, 5, &cnt, &age), STORE_OK);
	assert_int_equal(cnt, 0);
	assert_int_equal(age, 0);
	uint8_t e[16], head[32], zero[32] = { 0 };
	int64_t last = -1;
	assert_int_equal(outbox_current_epoch(s, e, &last, head), STORE_OK);
	assert_int_equal(last, 0);
	assert_memory_equal(head, zero, 32);
	assert_int_equal(outbox_new_epoch(s), STORE_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_add_chain_batch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_results_all_or_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_new_epoch_renumbers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_body_immutable_and_kinds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
