/* Store: creation 0600, pragmas, migrations from an empty file and from every earlier
 * version, refusal of a newer schema and of a corrupt file, first start versus a lost
 * (0-byte, WAL-only) store, settings, the fail-stop latch. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kiosk/base/log.h"
#include "offline/journal.h"
#include "offline/outbox.h"
#include "offline/store.h"
#include "offline/store_internal.h"
#include "tests/lib/test_tmp.h"

static char dir[TEST_TMP_DIR_LEN];
static char path[TEST_TMP_PATH_LEN];

static int setup(void **state)
{
	(void)state;
	test_tmp_dir("test_store", dir, path);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return test_tmp_remove(dir);
}

static int64_t q_int(struct store *s, const char *sql)
{
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(store_db(s), sql, -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return v;
}

static void q_text(struct store *s, const char *sql, char *buf, size_t cap)
{
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(store_db(s), sql, -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	store_col_text(q, 0, buf, cap);
	sqlite3_finalize(q);
}

static void test_open_fresh(void **state)
{
	(void)state;
	mode_t old = umask(0);
	struct store *s = NULL;
	assert_int_equal(store_open(path, &s), STORE_OK);
	umask(old);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(q_int(s, "PRAGMA user_version"), store_schema_version());
	assert_true(store_schema_version() >= 3);
	char buf[32];
	q_text(s, "PRAGMA journal_mode", buf, sizeof buf);
	assert_string_equal(buf, "wal");
	assert_int_equal(q_int(s, "PRAGMA synchronous"), 2);
	assert_int_equal(q_int(s, "PRAGMA foreign_keys"), 1);
	/* No REAL column anywhere in the schema. */
	assert_int_equal(q_int(s, "SELECT count(*) FROM sqlite_schema s, pragma_table_info(s.name) p "
			      "WHERE s.type = 'table' AND upper(p.type) IN ('REAL','FLOAT','DOUBLE')"), 0);
	assert_false(store_failed(s));
	store_close(s);
	store_close(NULL);
	/* Reopening changes nothing, but tightens a file someone opened up. */
	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(store_open(path, &s), STORE_OK);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(q_int(s, "PRAGMA user_version"), store_schema_version());
	store_close(s);
}

/* Data written at version v must survive the migration to the latest. */
static void fill_at(struct store *s, int v)
{
	if (v >= 1) {
		struct journal_line l = { .amount = 1234 };
		strcpy(l.pers_acc, "12345678");
		char id[33];
		assert_int_equal(journal_begin(s, &l, 1, 5, id), STORE_OK);
		assert_int_equal(store_setting_set(s, "shift", "open"), STORE_OK);
	}
	if (v >= 2)
		assert_int_equal(sqlite3_exec(store_db(s), "INSERT INTO audit(at_ms, actor, action, "
			"detail, hash) VALUES(1, 'a', 'b', 'c', zeroblob(32))", NULL, NULL, NULL),
			SQLITE_OK);
}

static void test_migrate_from_every_version(void **state)
{
	(void)state;
	for (int v = 0; v < store_schema_version(); v++) {
		unlink(path);
		char side[128];
		snprintf(side, sizeof side, "%s-wal", path);
		unlink(side);
		snprintf(side, sizeof side, "%s-shm", path);
		unlink(side);
		struct store *s = NULL;
		assert_int_equal(store_open_version(path, v, &s), STORE_OK);
		assert_int_equal(q_int(s, "PRAGMA user_version"), v);
		fill_at(s, v);
		store_close(s);
		assert_int_equal(store_open(path, &s), STORE_OK);
		assert_int_equal(q_int(s, "PRAGMA user_version"), store_schema_version());
		char ok[16];
		q_text(s, "PRAGMA integrity_check", ok, sizeof ok);
		assert_string_equal(ok, "ok");
		assert_int_equal(q_int(s, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
		assert_int_equal(q_int(s, "SELECT count(*) FROM journal"), v >= 1 ? 1 : 0);
		assert_int_equal(q_int(s, "SELECT count(*) FROM audit"), v >= 2 ? 1 : 0);
		assert_int_equal(q_int(s, "SELECT count(*) FROM accounts"), 0);
		assert_int_equal(q_int(s, "SELECT count(*) FROM outbox_state"), 1);
		char buf[16];
		int rc = store_setting_get(s, "shift", buf, sizeof buf);
		assert_int_equal(rc, v >= 1 ? STORE_OK : STORE_ENOTFOUND);
		store_close(s);
	}
}

static void test_refuses_newer_and_corrupt(void **state)
{
	(void)state;
	struct store *s = NULL;
	assert_int_equal(store_open(path, &s), STORE_OK);
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", store_schema_version() + 1);
	assert_int_equal(sqlite3_exec(store_db(s), sql, NULL, NULL, NULL), SQLITE_OK);
	store_close(s);
	struct store *s2 = (struct store *)0x1;
	assert_int_equal(store_open(path, &s2), STORE_EINVAL);
	assert_ptr_equal(s2, (struct store *)0x1); /* untouched on failure */

	/* Garbage where the database header should be. */
	char bad[128];
	snprintf(bad, sizeof bad, "%s/garbage.db", dir);
	int fd = open(bad, O_WRONLY | O_CREAT, 0600);
	char junk[8192];
	memset(junk, 0x5a, sizeof junk);
	assert_int_equal(write(fd, junk, sizeof junk), (ssize_t)sizeof junk);
	close(fd);
	assert_int_equal(store_open(bad, &s2), STORE_EFAILED);

	/* A damaged b-tree page fails quick_check. */
	snprintf(bad, sizeof bad, "%s/damaged.db", dir);
	assert_int_equal(store_open(bad, &s), STORE_OK);
	struct journal_line l = { .amount = 100 };
	strcpy(l.pers_acc, "1");
	char id[33];
	for (int i = 0; i < 200; i++)
		assert_int_equal(journal_begin(s, &l, 1, i, id), STORE_OK);
	assert_int_equal(sqlite3_wal_checkpoint_v2(store_db(s), NULL, SQLITE_CHECKPOINT_TRUNCATE,
						   NULL, NULL), SQLITE_OK);
	int64_t page = q_int(s, "SELECT rootpage FROM sqlite_schema WHERE name = 'journal_history'");
	int64_t psize = q_int(s, "PRAGMA page_size");
	store_close(s);
	fd = open(bad, O_WRONLY);
	memset(junk, 0xff, sizeof junk);
	assert_int_equal(pwrite(fd, junk, 64, (off_t)((page - 1) * psize + 8)), 64);
	close(fd);
	assert_int_equal(store_open(bad, &s2), STORE_EFAILED);
}

static int count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* Five connections in the first moments read the file once: a connection opened while the
 * file is as a passed check found it reuses that check; a file changed since is checked. */
static void test_one_check_per_file_state(void **state)
{
	(void)state;
	struct store *a = NULL, *b = NULL, *c = NULL;
	assert_int_equal(store_open(path, &a), STORE_OK);
	store_close(a);
	log_set_level(LOG_LVL_DEBUG);
	log_capture(1 << 16);
	assert_int_equal(store_open(path, &a), STORE_OK);   /* as the first open left it? */
	assert_int_equal(store_open(path, &b), STORE_OK);
	const char *log = log_captured();
	assert_int_equal(count(log, "event=quick_check result=ok reused=1"), 1);
	assert_int_equal(count(log, "event=quick_check result=ok reused=0"), 1);
	/* A write and a checkpoint change the file: the next connection checks again. */
	assert_int_equal(store_setting_set(a, "x", "1"), STORE_OK);
	assert_int_equal(sqlite3_wal_checkpoint_v2(store_db(a), NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(store_open(path, &c), STORE_OK);
	log = log_captured();
	assert_int_equal(count(log, "event=quick_check result=ok reused=0"), 2);
	log_capture(0);
	log_set_level(LOG_LVL_INFO);
	store_close(c);
	store_close(b);
	store_close(a);
}

static off_t file_size(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 ? st.st_size : -1;
}

static void write_bytes(const char *p, size_t n)
{
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	char junk[4096];
	memset(junk, 0x11, sizeof junk);
	assert_true(n <= sizeof junk);
	assert_int_equal(write(fd, junk, n), (ssize_t)n);
	close(fd);
}

/* Names in dir, sorted, joined by spaces. */
static void dir_list(char *buf, size_t cap)
{
	struct dirent **ents;
	int n = scandir(dir, &ents, NULL, alphasort);
	assert_true(n >= 0);
	buf[0] = '\0';
	for (int i = 0; i < n; i++) {
		if (ents[i]->d_name[0] != '.') {
			size_t len = strlen(buf);
			snprintf(buf + len, cap - len, "%s%s", len ? " " : "", ents[i]->d_name);
		}
		free(ents[i]);
	}
	free(ents);
}

/* Only a missing file is a first start; a 0-byte file (or a -wal without its database) is a
 * lost store: refused with STORE_ELOST and left exactly as found. */
static void test_first_start_and_lost(void **state)
{
	(void)state;
	char names[512], wal[TEST_TMP_PATH_LEN + 8];
	snprintf(wal, sizeof wal, "%s-wal", path);

	/* Missing: created, migrated, and nothing but the store is left in the directory. */
	struct store *s = NULL;
	assert_int_equal(store_open(path, &s), STORE_OK);
	assert_int_equal(q_int(s, "PRAGMA user_version"), store_schema_version());
	assert_int_equal(store_setting_set(s, "k", "v"), STORE_OK);
	store_close(s);
	dir_list(names, sizeof names);
	assert_string_equal(names, "kiosk.db");
	assert_true(file_size(path) > 0);

	/* Exists with 0 bytes: refused, not recreated, *ret untouched. */
	assert_int_equal(truncate(path, 0), 0);
	struct store *s2 = (struct store *)0x1;
	assert_int_equal(store_open(path, &s2), STORE_ELOST);
	assert_ptr_equal(s2, (struct store *)0x1);
	assert_int_equal(store_open_version(path, 0, &s2), STORE_ELOST);
	assert_int_equal(file_size(path), 0);
	dir_list(names, sizeof names);
	assert_string_equal(names, "kiosk.db");
	assert_string_equal(store_strerror(STORE_ELOST),
			    "the store file is empty (0 bytes) or only its -wal is left: lost in a crash or a "
			    "bad copy, so not a first start; restore it from a backup, or remove it (and its "
			    "-wal) to start an empty store");

	/* 0 bytes with a -wal holding data: refused, and the -wal kept (SQLite would delete it). */
	write_bytes(wal, 1000);
	assert_int_equal(store_open(path, &s2), STORE_ELOST);
	assert_int_equal(file_size(wal), 1000);
	assert_int_equal(file_size(path), 0);

	/* Missing, but its -wal is there: not a first start either. */
	assert_int_equal(unlink(path), 0);
	assert_int_equal(store_open(path, &s2), STORE_ELOST);
	assert_int_equal(file_size(path), -1);
	assert_int_equal(file_size(wal), 1000);

	/* Missing with an empty -wal (nothing in it to lose): a first start. */
	assert_int_equal(truncate(wal, 0), 0);
	assert_int_equal(store_open(path, &s), STORE_OK);
	char buf[8];
	assert_int_equal(store_setting_get(s, "k", buf, sizeof buf), STORE_ENOTFOUND);
	assert_int_equal(q_int(s, "SELECT count(*) FROM outbox_state"), 1);
	store_close(s);
	dir_list(names, sizeof names);
	assert_string_equal(names, "kiosk.db");

	/* A directory that is not there: an error, nothing left behind. */
	char nodir[TEST_TMP_PATH_LEN + 16];
	snprintf(nodir, sizeof nodir, "%s/none/kiosk.db", dir);
	assert_int_equal(store_open(nodir, &s2), STORE_EFAILED);
	assert_ptr_equal(s2, (struct store *)0x1);
}

static void test_settings(void **state)
{
	(void)state;
	struct store *s = NULL;
	assert_int_equal(store_open(path, &s), STORE_OK);
	char buf[8];
	assert_int_equal(store_setting_get(s, "k", buf, sizeof buf), STORE_ENOTFOUND);
	assert_int_equal(store_setting_set(s, "k", "v1"), STORE_OK);
	assert_int_equal(store_setting_set(s, "k", "value2"), STORE_OK);
	assert_int_equal(store_setting_get(s, "k", buf, sizeof buf), STORE_OK);
	assert_string_equal(buf, "value2");
	assert_int_equal(store_setting_set(s, "k", "too long value"), STORE_OK);
	assert_int_equal(store_setting_get(s, "k", buf, sizeof buf), STORE_EINVAL);
	store_close(s);
	assert_int_equal(store_open(path, &s), STORE_OK);
	char big[32];
	assert_int_equal(store_setting_get(s, "k", big, sizeof big), STORE_OK);
	assert_string_equal(big, "too long value");
	store_close(s);
}

static void test_fail_stop_latch(void **state)
{
	(void)state;
	struct store *s = NULL;
	assert_int_equal(store_open(path, &s), STORE_OK);
	int64_t pages = q_int(s, "PRAGMA page_count");
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld", (long long)pages + 2);
	assert_int_equal(sqlite3_exec(store_db(s), sql, NULL, NULL, NULL), SQLITE_OK);
	/* Fill until the disk is "full": the first SQLITE_FULL latches the store. */
	char big[4000];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = 0;
	int rc = STORE_OK, n = 0;
	char key[16];
	while (rc == STORE_OK && n < 100) {
		snprintf(key, sizeof key, "k%d", n++);
		rc = store_setting_set(s, key, big);
	}
	assert_int_equal(rc, STORE_EFAILED);
	assert_true(store_failed(s));
	assert_true(n > 1);
	/* Nothing more is acknowledged, not even a tiny write or a read. */
	assert_int_equal(store_setting_set(s, "x", "y"), STORE_EFAILED);
	uint8_t k[16];
	assert_int_equal(outbox_add(s, "event", (const uint8_t *)"{}", 2, 1, k), STORE_EFAILED);
	struct journal_line l = { .amount = 1 };
	strcpy(l.pers_acc, "1");
	char id[33];
	assert_int_equal(journal_begin(s, &l, 1, 1, id), STORE_EFAILED);
	char buf[8];
	assert_int_equal(store_setting_get(s, "k0", buf, sizeof buf), STORE_EFAILED);
	store_close(s);
	/* A restart recovers: everything acknowledged before is there, the failed one is not. */
	assert_int_equal(store_open(path, &s), STORE_OK);
	assert_false(store_failed(s));
	assert_int_equal(q_int(s, "SELECT count(*) FROM settings"), n - 1);
	store_close(s);
}

static void test_random_and_errors(void **state)
{
	(void)state;
	uint8_t a[16] = { 0 }, b[16] = { 0 }, z[16] = { 0 };
	store_random(a, 16);
	store_random(b, 16);
	assert_memory_not_equal(a, b, 16);
	assert_memory_not_equal(a, z, 16);
	int rcs[] = { STORE_OK, STORE_EFAILED, STORE_ENOTFOUND, STORE_ESTATE, STORE_EINVAL,
		      STORE_EBUSY, STORE_EEXISTS, STORE_ELOST };
	for (size_t i = 0; i < sizeof rcs / sizeof rcs[0]; i++)
		assert_string_not_equal(store_strerror(rcs[i]), "unknown store error");
	assert_string_equal(store_strerror(99), "unknown store error");
	char hex[33];
	uint8_t back[16];
	store_hex(a, 16, hex);
	assert_true(store_unhex(hex, back, 16));
	assert_memory_equal(a, back, 16);
	assert_false(store_unhex("zz", back, 1));
	assert_false(store_unhex("ABCD", back, 2));
	assert_false(store_unhex("abc", back, 2));
}

static void test_busy(void **state)
{
	(void)state;
	struct store *s = NULL;
	assert_int_equal(store_open(path, &s), STORE_OK);
	sqlite3 *other;
	assert_int_equal(sqlite3_open(path, &other), SQLITE_OK);
	assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_busy_timeout(store_db(s), 50);
	assert_int_equal(store_setting_set(s, "a", "b"), STORE_EBUSY);
	assert_false(store_failed(s));
	assert_int_equal(sqlite3_exec(other, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(other);
	assert_int_equal(store_setting_set(s, "a", "b"), STORE_OK);
	store_close(s);
}

/* More distinct statements than the cache holds, while an outer loop steps one of them:
 * the busy one survives eviction and keeps stepping. */
static void test_stmt_cache_eviction(void **state)
{
	(void)state;
	struct store *s = NULL;
	assert_int_equal(store_open(path, &s), STORE_OK);
	for (int i = 0; i < 5; i++) {
		char k[16];
		snprintf(k, sizeof k, "k%d", i);
		assert_int_equal(store_setting_set(s, k, "v"), STORE_OK);
	}
	static const char outer_sql[] = "SELECT key FROM settings ORDER BY key";
	sqlite3_stmt *outer;
	assert_int_equal(store_stmt(s, outer_sql, &outer), STORE_OK);
	assert_int_equal(sqlite3_step(outer), SQLITE_ROW);
	static char sqls[300][48];
	for (int i = 0; i < 300; i++) {
		snprintf(sqls[i], sizeof sqls[i], "SELECT %d", i);
		sqlite3_stmt *q;
		assert_int_equal(store_stmt(s, sqls[i], &q), STORE_OK);
		assert_int_equal(sqlite3_step(q), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(q, 0), i);
		sqlite3_reset(q);
	}
	int rows = 1;
	while (sqlite3_step(outer) == SQLITE_ROW)
		rows++;
	assert_int_equal(rows, 5);
	sqlite3_reset(outer);
	store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_open_fresh, setup, teardown),
		cmocka_unit_test_setup_teardown(test_migrate_from_every_version, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refuses_newer_and_corrupt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_first_start_and_lost, setup, teardown),
		cmocka_unit_test_setup_teardown(test_settings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fail_stop_latch, setup, teardown),
		cmocka_unit_test(test_random_and_errors),
		cmocka_unit_test_setup_teardown(test_busy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stmt_cache_eviction, setup, teardown),
		cmocka_unit_test_setup_teardown(test_one_check_per_file_state, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
