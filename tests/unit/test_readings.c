/* Readings: the row and its outbox record together, the body bytes, supersedes, refusals. */
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
#include "offline/readings.h"
#include "offline/store.h"
#include "offline/store_internal.h"
#include "tests/lib/test_tmp.h"

static char dir[TEST_TMP_DIR_LEN];
static char path[TEST_TMP_PATH_LEN];

static int setup(void **state)
{
	test_tmp_dir("test_readings", dir, path);
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

static void test_submit_and_list(void **state)
{
	struct store *s = *state;
	uint8_t k1[16], k2[16], k3[16];
	assert_int_equal(readings_submit(s, "12345678", "m1", 125000, 123456, false, NULL, 1000, k1),
			 STORE_OK);
	assert_int_equal(readings_submit(s, "12345678", "m1", 124000, 123456, false, k1, 2000, k2),
			 STORE_OK);
	assert_int_equal(readings_submit(s, "12345678", "m2", 10, 99999000, true, NULL, 3000, k3),
			 STORE_OK);

	struct reading r[4];
	int n = readings_list(s, "12345678", NULL, r, 4);
	assert_int_equal(n, 3);
	assert_memory_equal(r[0].key, k3, 16);
	assert_true(r[0].rollover);
	assert_memory_equal(r[1].key, k2, 16);
	assert_true(r[1].has_supersedes);
	assert_memory_equal(r[1].supersedes, k1, 16);
	assert_false(r[2].has_supersedes);
	assert_int_equal(r[2].value_milli, 125000);
	assert_int_equal(r[2].prev_milli, 123456);
	assert_string_equal(r[2].meter_id, "m1");
	assert_int_equal(readings_list(s, "12345678", "m2", r, 4), 1);
	assert_int_equal(readings_list(s, "999", NULL, r, 4), 0);

	struct outbox_batch b;
	assert_int_equal(outbox_next_batch(s, 10, 65536, &b), STORE_OK);
	assert_int_equal(b.n, 3);
	assert_string_equal(b.recs[0].kind, "reading");
	assert_memory_equal(b.recs[0].idem_key, k1, 16);
	assert_memory_equal(b.recs[1].idem_key, k2, 16);
	assert_string_equal((const char *)b.recs[0].body,
		"{\"meter_id\":\"m1\",\"pers_acc\":\"12345678\",\"prev_milli\":123456,\"rollover\":false,"
		"\"submitted_ms\":1000,\"supersedes\":null,\"value_milli\":125000}");
	char hex[33], want[256];
	store_hex(k1, 16, hex);
	snprintf(want, sizeof want,
		 "{\"meter_id\":\"m1\",\"pers_acc\":\"12345678\",\"prev_milli\":123456,"
		 "\"rollover\":false,\"submitted_ms\":2000,\"supersedes\":\"%s\",\"value_milli\":124000}",
		 hex);
	assert_string_equal((const char *)b.recs[1].body, want);
	outbox_batch_free(&b);
}

static void test_refusals(void **state)
{
	struct store *s = *state;
	uint8_t k[16], unknown[16] = { 9 };
	assert_int_equal(readings_submit(s, "12345678", "m1", 100, 200, false, NULL, 1, k),
			 STORE_EINVAL);
	assert_int_equal(readings_submit(s, "12345678", "m1", -1, 0, true, NULL, 1, k), STORE_EINVAL);
	assert_int_equal(readings_submit(s, "12a45678", "m1", 1, 0, false, NULL, 1, k), STORE_EINVAL);
	assert_int_equal(readings_submit(s, "12345678", "", 1, 0, false, NULL, 1, k), STORE_EINVAL);
	assert_int_equal(readings_submit(s, "12345678", "m1", 1, 0, false, unknown, 1, k),
			 STORE_EINVAL);
	int cnt;
	int64_t age;
	assert_int_equal(outbox_pending(s, 1, &cnt, &age), STORE_OK);
	assert_int_equal(cnt, 0); /* nothing half-written */
	struct reading r[1];
	assert_int_equal(readings_list(s, "12345678", NULL, r, 1), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_submit_and_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
