#ifndef OFFLINE_STORE_INTERNAL_H
#define OFFLINE_STORE_INTERNAL_H
/* Private to offline/ (and its tests): the SQLite handle behind a struct store, the
 * transaction helpers every writer uses, and the error mapping that latches fail-stop.
 * Nothing outside offline/ and tests/ includes this. */
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "offline/store.h"

/* The connection (tests use it for raw SQL; modules prepare through store_stmt). */
sqlite3 *store_db(struct store *s);

/* Maps a SQLite result code to a store_rc; latches the store as failed on SQLITE_IOERR*,
 * SQLITE_FULL, SQLITE_CORRUPT and SQLITE_NOTADB.  SQLITE_OK/ROW/DONE map to STORE_OK. */
int store_rc(struct store *s, int sqlite_rc);

/* BEGIN IMMEDIATE (STORE_EFAILED when latched, STORE_EBUSY past the busy timeout). */
int store_begin(struct store *s);
/* COMMIT; on any error the transaction is rolled back (if SQLite left it open) and the
 * code returned: an error here means the outcome is unknown and the store is latched when
 * the error was an I/O one. */
int store_commit(struct store *s);
/* ROLLBACK if a transaction is open; never fails the caller (errors latch). */
void store_rollback(struct store *s);

/* A prepared statement for SQL (a string literal: the cache is keyed by its address),
 * reset and with its bindings cleared.  Returns a store_rc. */
int store_stmt(struct store *s, const char *sql, sqlite3_stmt **ret);
/* Steps a statement expected to finish (INSERT/UPDATE/DELETE) and resets it. */
int store_step_done(struct store *s, sqlite3_stmt *st);
/* Runs SQL with no result rows (schema, pragmas). */
int store_exec(struct store *s, const char *sql);

/* Opens PATH migrating only up to schema version TARGET (tests of the migrations). */
int store_open_version(const char *path, int target, struct store **ret);

/* Lowercase hex of n bytes into out (2n+1 bytes); parse back (false on anything else). */
void store_hex(const uint8_t *b, int n, char *out);
bool store_unhex(const char *hex, uint8_t *out, int n);
/* Copies a text column into a fixed buffer (truncating, always NUL-terminated). */
void store_col_text(sqlite3_stmt *st, int col, char *buf, size_t cap);

/* Migrations (migrations.c): the steps in order; step i takes user_version i to i+1. */
struct store_migration {
	const char *sql;
	int (*fn)(sqlite3 *db); /* optional C part, run after sql in the same transaction */
};
extern const struct store_migration store_migrations[];
extern const int store_nmigrations;

/* store_setting_set inside the caller's open transaction (several settings, or settings and
 * the rows that record their change, in one commit). */
int store_setting_set_in_txn(struct store *s, const char *key, const char *value);

/* audit_append inside the caller's open transaction (audit.h). */
int audit_append_in_txn(struct store *s, const char *actor, const char *action, const char *detail,
			int64_t now_ms);

/* Appends an outbox record inside the caller's open transaction (journal_record, readings):
 * next seq of the current epoch, chained.  key is the record's idem_key. */
int outbox_append_in_txn(struct store *s, const char *kind, const uint8_t key[16],
			 const uint8_t *body, size_t len, int64_t now_ms);

#endif
