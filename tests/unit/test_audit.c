/* Audit: append-only by trigger, hash chain verified, tampering (after dropping the
 * triggers from a raw connection) detected and located. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "offline/audit.h"
#include "offline/store.h"
#include "tests/lib/test_tmp.h"

static char dir[TEST_TMP_DIR_LEN];
static char path[TEST_TMP_PATH_LEN];

static int setup(void **state)
{
	test_tmp_dir("test_audit", dir, path);
	struct store *s = NULL;
	assert_int_equal(store_open(path, &s), STORE_OK);
	for (int i = 0; i < 10; i++) {
		char detail[32];
		snprintf(detail, sizeof detail, "n=%d", i);
		assert_int_equal(audit_append(s, i % 2 ? "cashier" : "tech", "login", detail,
					      1000 + i), STORE_OK);
	}
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	store_close(*state);
	return test_tmp_remove(dir);
}

/* Tampers through a separate raw connection, the way an attacker with the file would. */
static void tamper(const char *sql)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	/* The triggers refuse it first. */
	assert_int_not_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;",
				      NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_changes(db), 1);
	sqlite3_close(db);
}

static void test_clean_chain(void **state)
{
	struct store *s = *state;
	int64_t bad = -1;
	assert_int_equal(audit_verify(s, &bad), STORE_OK);
	assert_int_equal(bad, -1);
	assert_int_equal(audit_append(s, "x", "y", "", 5), STORE_OK);
	assert_int_equal(audit_verify(s, &bad), STORE_OK);
	char big[AUDIT_FIELD_MAX + 2];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = 0;
	assert_int_equal(audit_append(s, "x", "y", big, 5), STORE_EINVAL);
	assert_int_equal(audit_append(s, NULL, "y", "z", 5), STORE_EINVAL);
}

static void test_modified_detail(void **state)
{
	struct store *s = *state;
	tamper("UPDATE audit SET detail = 'n=99' WHERE id = 4");
	int64_t bad = 0;
	assert_int_equal(audit_verify(s, &bad), STORE_ESTATE);
	assert_int_equal(bad, 4);
}

static void test_modified_time(void **state)
{
	struct store *s = *state;
	tamper("UPDATE audit SET at_ms = at_ms + 1 WHERE id = 9");
	int64_t bad = 0;
	assert_int_equal(audit_verify(s, &bad), STORE_ESTATE);
	assert_int_equal(bad, 9);
}

static void test_deleted_row(void **state)
{
	struct store *s = *state;
	tamper("DELETE FROM audit WHERE id = 2");
	int64_t bad = 0;
	assert_int_equal(audit_verify(s, &bad), STORE_ESTATE);
	assert_int_equal(bad, 3);
}

static void test_rehashed_row(void **state)
{
	struct store *s = *state;
	/* A replaced hash no longer matches the content it covers. */
	tamper("UPDATE audit SET hash = zeroblob(32) WHERE id = 1");
	int64_t bad = 0;
	assert_int_equal(audit_verify(s, &bad), STORE_ESTATE);
	assert_int_equal(bad, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_clean_chain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_modified_detail, setup, teardown),
		cmocka_unit_test_setup_teardown(test_modified_time, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deleted_row, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rehashed_row, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
