/* The store's connection: open, pragmas, migrations, the fail-stop latch, transactions,
 * a small prepared-statement cache and the settings table. */
#include "offline/store.h"
#include "kiosk/base/hex.h"
#include "offline/store_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kiosk/base/log.h"
#include "kiosk/base/xalloc.h"

#define STMT_CACHE 128
#define BUSY_TIMEOUT_MS 5000

struct stmt_slot {
	const char *sql;
	sqlite3_stmt *st;
};

struct store {
	sqlite3 *db;
	bool failed;
	int nstmts;
	struct stmt_slot stmts[STMT_CACHE];
};

sqlite3 *store_db(struct store *s)
{
	return s->db;
}

bool store_failed(const struct store *s)
{
	return s && s->failed;
}

static bool is_fatal(int rc)
{
	int prim = rc & 0xff;
	return prim == SQLITE_IOERR || prim == SQLITE_FULL || prim == SQLITE_CORRUPT ||
	       prim == SQLITE_NOTADB;
}

int store_rc(struct store *s, int rc)
{
	if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE)
		return STORE_OK;
	if (is_fatal(rc)) {
		if (!s->failed)
			log_error("store", "failed", "rc=%d err=%s", rc, sqlite3_errstr(rc));
		s->failed = true;
		return STORE_EFAILED;
	}
	switch (rc) {
	case SQLITE_CONSTRAINT_UNIQUE:
	case SQLITE_CONSTRAINT_PRIMARYKEY:
		return STORE_EEXISTS;
	case SQLITE_BUSY:
	case SQLITE_BUSY_SNAPSHOT:
	case SQLITE_BUSY_RECOVERY:
	case SQLITE_LOCKED:
		return STORE_EBUSY;
	case SQLITE_TOOBIG:
	case SQLITE_MISMATCH:
	case SQLITE_RANGE:
		return STORE_EINVAL;
	default:
		if ((rc & 0xff) == SQLITE_CONSTRAINT)
			return STORE_EINVAL;
		/* SQL errors and misuse are bugs, not data: refuse without latching. */
		log_error("store", "sqlite_error", "rc=%d err=%s", rc, sqlite3_errstr(rc));
		return STORE_EFAILED;
	}
}

const char *store_strerror(int rc)
{
	switch (rc) {
	case STORE_OK: return "ok";
	case STORE_EFAILED: return "store failed (I/O error, disk full or corruption)";
	case STORE_ENOTFOUND: return "no such record";
	case STORE_ESTATE: return "transition refused";
	case STORE_EINVAL: return "invalid argument";
	case STORE_EBUSY: return "store busy";
	case STORE_EEXISTS: return "already exists";
	case STORE_ELOST:
		return "the store file is empty (0 bytes) or only its -wal is left: lost in a crash or a "
		       "bad copy, so not a first start; restore it from a backup, or remove it (and its "
		       "-wal) to start an empty store";
	default: return "unknown store error";
	}
}

int store_stmt(struct store *s, const char *sql, sqlite3_stmt **ret)
{
	if (s->failed)
		return STORE_EFAILED;
	for (int i = 0; i < s->nstmts; i++) {
		if (s->stmts[i].sql == sql) {
			sqlite3_reset(s->stmts[i].st);
			sqlite3_clear_bindings(s->stmts[i].st);
			*ret = s->stmts[i].st;
			return STORE_OK;
		}
	}
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
	if (rc != SQLITE_OK)
		return store_rc(s, rc);
	if (s->nstmts < STMT_CACHE) {
		s->stmts[s->nstmts].sql = sql;
		s->stmts[s->nstmts].st = st;
		s->nstmts++;
	} else {
		/* Full cache: evict the oldest statement nobody is stepping through (an outer
		 * loop may still hold a busy one). */
		int i = 0;
		while (i < STMT_CACHE - 1 && sqlite3_stmt_busy(s->stmts[i].st))
			i++;
		sqlite3_finalize(s->stmts[i].st);
		memmove(&s->stmts[i], &s->stmts[i + 1], sizeof s->stmts[0] * (size_t)(STMT_CACHE - 1 - i));
		s->stmts[STMT_CACHE - 1].sql = sql;
		s->stmts[STMT_CACHE - 1].st = st;
	}
	*ret = st;
	return STORE_OK;
}

int store_step_done(struct store *s, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		rc = SQLITE_DONE;
	return store_rc(s, rc);
}

int store_exec(struct store *s, const char *sql)
{
	if (s->failed)
		return STORE_EFAILED;
	return store_rc(s, sqlite3_exec(s->db, sql, NULL, NULL, NULL));
}

int store_begin(struct store *s)
{
	sqlite3_stmt *st;
	int rc = store_stmt(s, "BEGIN IMMEDIATE", &st);
	if (rc)
		return rc;
	return store_step_done(s, st);
}

void store_rollback(struct store *s)
{
	if (sqlite3_get_autocommit(s->db))
		return; /* SQLite already rolled back (I/O error, full) or nothing open */
	int rc = sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		store_rc(s, rc);
}

int store_commit(struct store *s)
{
	sqlite3_stmt *st;
	int rc = store_stmt(s, "COMMIT", &st);
	if (rc == STORE_OK)
		rc = store_step_done(s, st);
	if (rc != STORE_OK)
		store_rollback(s);
	return rc;
}

void store_hex(const uint8_t *b, int n, char *out)
{
	hex_encode(b, (size_t)(n > 0 ? n : 0), out);
}

bool store_unhex(const char *hex, uint8_t *out, int n)
{
	/* Keys and txn ids are written lowercase: another spelling is not ours. */
	size_t len = hex ? strlen(hex) : 0;
	return hex && n >= 0 && len == (size_t)n * 2 && strspn(hex, "0123456789abcdef") == len &&
	       hex_decode(hex, len, out, (size_t)n) == n;
}

void store_col_text(sqlite3_stmt *st, int col, char *buf, size_t cap)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	snprintf(buf, cap, "%s", t ? (const char *)t : "");
}

void store_random(uint8_t *buf, int n)
{
	int done = 0;
	while (done < n) {
		ssize_t r = getrandom(buf + done, (size_t)(n - done), 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			/* Ids must never repeat; without the OS generator there is no safe id. */
			log_error("store", "getrandom_failed", "errno=%d", errno);
			abort();
		}
		done += (int)r;
	}
}

int store_schema_version(void)
{
	return store_nmigrations;
}

/* One migration step in one transaction: the SQL, its C part, then user_version. */
static int migrate_step(struct store *s, int from)
{
	const struct store_migration *m = &store_migrations[from];
	int rc = store_begin(s);
	if (rc)
		return rc;
	rc = store_exec(s, m->sql);
	if (rc == STORE_OK && m->fn)
		rc = store_rc(s, m->fn(s->db));
	if (rc == STORE_OK) {
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d", from + 1);
		rc = store_exec(s, sql);
	}
	if (rc) {
		store_rollback(s);
		log_error("store", "migration_failed", "from=%d rc=%d err=%s", from, rc,
			  sqlite3_errmsg(s->db));
		return rc;
	}
	rc = store_commit(s);
	if (rc == STORE_OK)
		log_info("store", "migrated", "version=%d", from + 1);
	return rc;
}

static int pragma_text(struct store *s, const char *sql, char *buf, size_t cap)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			store_col_text(st, 0, buf, cap);
			rc = SQLITE_OK;
		}
	}
	sqlite3_finalize(st);
	return store_rc(s, rc);
}

/* The file this process last found sound.  The kiosk opens five connections to one store
 * in its first moments, and quick_check reads every page: a connection opened while the
 * file is as it was when a check passed (same device, inode, size and times) trusts that
 * check.  The stat is taken before the check, so a write during it means a new one. */
static pthread_mutex_t checked_mu = PTHREAD_MUTEX_INITIALIZER;
static struct stat checked;
static bool checked_set;

static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	       a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

/* Whether the file at path was found sound by this process as it is now; *now gets its stat
 * (st_ino 0 when it cannot be read). */
static bool checked_already(const char *path, struct stat *now)
{
	if (stat(path, now) != 0) {
		memset(now, 0, sizeof *now);
		return false;
	}
	pthread_mutex_lock(&checked_mu);
	bool same = checked_set && same_file(&checked, now);
	pthread_mutex_unlock(&checked_mu);
	return same;
}

static void remember_checked(const struct stat *st)
{
	if (st->st_ino == 0)
		return;
	pthread_mutex_lock(&checked_mu);
	checked = *st;
	checked_set = true;
	pthread_mutex_unlock(&checked_mu);
}

static int open_and_check(struct store *s, const char *path)
{
	struct stat before;
	bool trusted = checked_already(path, &before);
	int rc = store_rc(s, sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE, NULL));
	if (rc)
		return rc;
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
	char mode[16];
	rc = pragma_text(s, "PRAGMA journal_mode = WAL", mode, sizeof mode);
	if (rc)
		return rc;
	if (strcmp(mode, "wal") != 0) {
		log_error("store", "no_wal", "mode=%s", mode);
		return STORE_EFAILED;
	}
	/* Page cache 512 KiB a connection (SQLite's default is 2 MiB): the kiosk holds five
	 * connections (screens, PIN-pad, sync, lookups, staff), the operating system caches the
	 * file anyway, and lookups and journal writes touch a few pages each. */
	rc = store_exec(s, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -512;");
	if (rc)
		return rc;
	if (trusted) {
		log_debug("store", "quick_check", "result=ok reused=1");
		return STORE_OK;
	}
	char ok[64];
	rc = pragma_text(s, "PRAGMA quick_check", ok, sizeof ok);
	if (rc)
		return rc;
	if (strcmp(ok, "ok") != 0) {
		log_error("store", "quick_check", "result=%s", ok);
		s->failed = true;
		return STORE_EFAILED;
	}
	log_debug("store", "quick_check", "result=ok reused=0");
	remember_checked(&before);
	/* The check read every page into this connection's cache, where it would stay: most
	 * connections touch a few pages afterwards (five of them, up to cache_size each). */
	sqlite3_db_release_memory(s->db);
	return STORE_OK;
}

/* PATH-wal with data: SQLite would replay it onto a new database, or delete it when PATH
 * has 0 bytes; either way what it holds would be gone. */
static bool wal_has_data(const char *path)
{
	char wal[PATH_MAX];
	struct stat st;
	return snprintf(wal, sizeof wal, "%s-wal", path) < (int)sizeof wal && stat(wal, &st) == 0 &&
	       st.st_size > 0;
}

/* The new link must survive a power cut: sync the directory that holds it. */
static void sync_dir(const char *path)
{
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (!slash)
		snprintf(dir, sizeof dir, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fsync(fd) != 0)
		log_warn("store", "dir_sync_failed", "dir=%s errno=%d", dir, errno);
	if (fd >= 0)
		close(fd);
}

/* First start: an empty database (the switch to WAL writes its first page) is made under a
 * temporary name (mkstemp: 0600 whatever the umask), synced, and linked to PATH.  A crash
 * before the link leaves only PATH.new-XXXXXX behind (the next start makes another); after
 * it, a valid store at version 0 that the migrations take on.  When another process linked
 * PATH first, its store is the one opened. */
static int create_fresh(const char *path)
{
	char tmp[PATH_MAX];
	if (snprintf(tmp, sizeof tmp, "%s.new-XXXXXX", path) >= (int)sizeof tmp)
		return STORE_EINVAL;
	int fd = mkstemp(tmp);
	if (fd < 0) {
		log_error("store", "open_failed", "path=%s errno=%d", path, errno);
		return STORE_EFAILED;
	}
	close(fd);
	sqlite3 *db = NULL;
	int r = sqlite3_open_v2(tmp, &db, SQLITE_OPEN_READWRITE, NULL);
	if (r == SQLITE_OK)
		r = sqlite3_exec(db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
	/* The last connection's close checkpoints and removes TMP-wal and TMP-shm. */
	if (sqlite3_close(db) != SQLITE_OK && r == SQLITE_OK)
		r = SQLITE_IOERR;
	int rc = STORE_OK;
	fd = r == SQLITE_OK ? open(tmp, O_RDONLY | O_CLOEXEC) : -1;
	if (fd < 0 || fsync(fd) != 0) {
		log_error("store", "create_failed", "path=%s rc=%d errno=%d", path, r, errno);
		rc = STORE_EFAILED;
	} else if (link(tmp, path) != 0 && errno != EEXIST) {
		log_error("store", "create_failed", "path=%s errno=%d", path, errno);
		rc = STORE_EFAILED;
	}
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	if (rc == STORE_OK) {
		sync_dir(path);
		log_info("store", "created", "path=%s", path);
	}
	return rc;
}

int store_open_version(const char *path, int target, struct store **ret)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		if (errno != ENOENT) {
			log_error("store", "open_failed", "path=%s errno=%d", path, errno);
			return STORE_EFAILED;
		}
		if (wal_has_data(path)) {
			log_error("store", "lost", "path=%s why=only_wal", path);
			return STORE_ELOST;
		}
		int rc = create_fresh(path);
		if (rc)
			return rc;
	} else if (S_ISREG(st.st_mode) && st.st_size == 0) {
		/* Nothing of ours is ever 0 bytes (create_fresh): this store was lost, and an
		 * empty one in its place would take payments as if nothing had come before. */
		log_error("store", "lost", "path=%s why=empty_file", path);
		return STORE_ELOST;
	}
	int fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		log_error("store", "open_failed", "path=%s errno=%d", path, errno);
		return STORE_EFAILED;
	}
	/* An existing file someone made group- or world-readable is tightened (the -wal and
	 * -shm files SQLite creates copy the database file's mode). */
	if (fstat(fd, &st) == 0 && (st.st_mode & 077) && fchmod(fd, st.st_mode & 0700) != 0)
		log_warn("store", "chmod_failed", "path=%s errno=%d", path, errno);
	close(fd);

	struct store *s = xcalloc(1, sizeof *s);
	int rc = open_and_check(s, path);
	if (rc)
		goto out;
	char buf[16];
	rc = pragma_text(s, "PRAGMA user_version", buf, sizeof buf);
	if (rc)
		goto out;
	int version = atoi(buf);
	if (version > store_nmigrations || version < 0) {
		/* A newer build wrote this file: never guess at its schema. */
		log_error("store", "schema_too_new", "version=%d known=%d", version,
			  store_nmigrations);
		rc = STORE_EINVAL;
		goto out;
	}
	for (int v = version; v < target && v < store_nmigrations; v++) {
		rc = migrate_step(s, v);
		if (rc)
			goto out;
	}
	log_info("store", "opened", "path=%s version=%d", path,
		 version > target ? version : target);
	*ret = s;
	return STORE_OK;
out:
	store_close(s);
	return rc;
}

int store_open(const char *path, struct store **ret)
{
	return store_open_version(path, store_nmigrations, ret);
}

void store_close(struct store *s)
{
	if (!s)
		return;
	for (int i = 0; i < s->nstmts; i++)
		sqlite3_finalize(s->stmts[i].st);
	sqlite3_close(s->db);
	free(s);
}

int store_checkpoint(struct store *s)
{
	if (s->failed)
		return STORE_EFAILED;
	return store_rc(s, sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_TRUNCATE,
						      NULL, NULL));
}

int store_setting_get(struct store *s, const char *key, char *buf, int cap)
{
	sqlite3_stmt *st;
	int rc = store_stmt(s, "SELECT value FROM settings WHERE key = ?1", &st);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	int r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(st, 0);
		int len = sqlite3_column_bytes(st, 0);
		if (len >= cap) {
			rc = STORE_EINVAL;
		} else {
			memcpy(buf, v ? v : "", (size_t)len);
			buf[len] = '\0';
		}
	} else {
		rc = r == SQLITE_DONE ? STORE_ENOTFOUND : store_rc(s, r);
	}
	sqlite3_reset(st);
	return rc;
}

int store_setting_set_in_txn(struct store *s, const char *key, const char *value)
{
	sqlite3_stmt *st;
	int rc = store_stmt(s, "INSERT INTO settings(key, value) VALUES(?1, ?2) "
			       "ON CONFLICT(key) DO UPDATE SET value = excluded.value", &st);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	return store_step_done(s, st);
}

int store_setting_set(struct store *s, const char *key, const char *value)
{
	int rc = store_begin(s);
	if (rc)
		return rc;
	rc = store_setting_set_in_txn(s, key, value);
	if (rc) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s);
}
