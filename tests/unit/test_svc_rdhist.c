/* The readings history's local side on a real store (center_client NULL: offline): this
 * kiosk's readings of one account with their outbox state (acked once the center's result
 * is applied, in transit before), other accounts left out, no store and no center -> no
 * answer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/svc/svc_rdhist.h"
#include "offline/outbox.h"
#include "offline/readings.h"
#include "offline/store.h"
#include "tests/lib/test_tmp.h"
#include "tests/lib/test_zone.h"

static char dir[TEST_TMP_DIR_LEN];
static char path[TEST_TMP_PATH_LEN];

static int setup(void **state)
{
	test_tmp_dir("test_svc_rdhist", dir, path);
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

#define NOW ((int64_t)1795680000000) /* 2026-11-26 08:00 UTC */
#define DAY ((int64_t)86400000)

static const struct rdhist_entry *find(const struct rdhist *h, const char *meter, int64_t v)
{
	for (int i = 0; i < h->n; i++)
		if (strcmp(h->e[i].meter_id, meter) == 0 && h->e[i].value_milli == v)
			return &h->e[i];
	return NULL;
}

static void test_local_acked_and_in_transit(void **state)
{
	struct store *s = *state;
	uint8_t k1[READINGS_KEY_LEN], k2[READINGS_KEY_LEN], k3[READINGS_KEY_LEN], k4[READINGS_KEY_LEN];
	assert_int_equal(readings_submit(s, "50012345", "m1", 120000, 114300, false, NULL, NOW - 40 * DAY, k1), STORE_OK);
	assert_int_equal(readings_submit(s, "50012345", "m2", 45120, 41500, false, NULL, NOW - 39 * DAY, k2), STORE_OK);
	assert_int_equal(readings_submit(s, "50098765", "m3", 10240000, 10234500, false, NULL, NOW - DAY, k3), STORE_OK);
	/* The center acknowledges the first two records (m1 and m2's). */
	struct outbox_batch b;
	assert_int_equal(outbox_next_batch(s, 2, 1 << 20, &b), STORE_OK);
	assert_int_equal(b.n, 2);
	struct outbox_result res[2];
	memset(res, 0, sizeof res);
	for (int i = 0; i < 2; i++) {
		res[i].seq = b.recs[i].seq;
		memcpy(res[i].idem_key, b.recs[i].idem_key, OUTBOX_KEY_LEN);
		res[i].disposition = OUTBOX_CREATED;
		snprintf(res[i].server_ref, sizeof res[i].server_ref, "R-%d", i);
	}
	assert_memory_equal(b.recs[0].idem_key, k1, OUTBOX_KEY_LEN);
	assert_int_equal(outbox_apply_results(s, res, 2, NOW - 38 * DAY), STORE_OK);
	outbox_batch_free(&b);
	assert_int_equal(readings_submit(s, "50012345", "m1", 125000, 123456, false, NULL, NOW - 3600000, k4), STORE_OK);

	static struct rdhist h;
	memset(&h, 0x5a, sizeof h);
	svc_rdhist_fetch(NULL, s, "50012345", "", -1, NOW, &h);
	assert_int_equal(h.status, 0);
	assert_false(h.online);
	assert_false(h.refused);
	assert_int_equal(h.as_of_ms, NOW);
	assert_int_equal(h.n, 3);
	assert_null(find(&h, "m3", 10240000)); /* another account's */
	const struct rdhist_entry *e = find(&h, "m1", 125000);
	assert_non_null(e);
	assert_int_equal(e->status, RDHIST_IN_TRANSIT);
	assert_int_equal(e->source, RDHIST_HERE);
	assert_int_equal(e->date_ms, NOW - 3600000);
	assert_ptr_equal(e, &h.e[0]); /* newest first */
	e = find(&h, "m1", 120000);
	assert_non_null(e);
	assert_int_equal(e->status, RDHIST_ACCEPTED);
	e = find(&h, "m2", 45120);
	assert_non_null(e);
	assert_int_equal(e->status, RDHIST_ACCEPTED);

	/* Neither a store nor a center: nothing to show. */
	memset(&h, 0, sizeof h);
	svc_rdhist_fetch(NULL, NULL, "50012345", "", -1, NOW, &h);
	assert_int_equal(h.status, -1);
	assert_int_equal(h.n, 0);
}

int main(void)
{
	test_zone("Europe/Moscow");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_local_acked_and_in_transit, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
