#ifndef OFFLINE_STORE_H
#define OFFLINE_STORE_H
/* The kiosk's store: one SQLite file (WAL, synchronous=FULL, foreign_keys=ON), schema
 * versioned by PRAGMA user_version with forward-only migrations, created 0600.
 *
 * Error policy (fail-stop): any SQLITE_IOERR*, SQLITE_FULL or SQLITE_CORRUPT on a write
 * path latches the store as failed.  After that every write returns STORE_EFAILED and
 * nothing more is acknowledged; the kiosk goes out of service and restarts, and recovery
 * resolves an unknown COMMIT outcome by looking records up by their pre-generated keys.
 *
 * A struct store is one connection and is used by one thread at a time; the sync thread
 * opens its own.  Writers use BEGIN IMMEDIATE. */
#include <stdbool.h>
#include <stdint.h>

struct store;

enum store_rc {
	STORE_OK = 0,
	STORE_EFAILED = -1,   /* I/O error, disk full or corruption: fail-stop latched */
	STORE_ENOTFOUND = -2, /* no such record */
	STORE_ESTATE = -3,    /* refused journal transition */
	STORE_EINVAL = -4,    /* bad argument (a CHECK constraint, a too-long field) */
	STORE_EBUSY = -5,     /* another writer held the lock past the busy timeout */
	STORE_EEXISTS = -6,   /* unique key already present */
	STORE_ELOST = -7,     /* the file is there with 0 bytes, or only its -wal is: not a first start */
};

/* Opens and migrates PATH; runs PRAGMA quick_check.  Only a missing PATH (with no PATH-wal
 * holding data) is a first start: a new 0600 database is built under a temporary name and
 * linked into place, so PATH never exists empty because of us.  An existing 0-byte PATH (a
 * store lost in a crash or a bad copy) is refused with STORE_ELOST, never recreated.
 * On success *ret is the store; on failure *ret is untouched and the code says why. */
int store_open(const char *path, struct store **ret);
void store_close(struct store *s); /* NULL is fine */
bool store_failed(const struct store *s);
const char *store_strerror(int rc);
/* The schema version this build writes (PRAGMA user_version after migration). */
int store_schema_version(void);

/* Copies the WAL into the database file and truncates it (idle-time maintenance between
 * customers; SQLite's automatic checkpoints never shrink the WAL).  STORE_EBUSY when a
 * reader on another connection holds it back. */
int store_checkpoint(struct store *s);

/* Settings: small key/value strings (shift state, lockouts, counters). */
int store_setting_get(struct store *s, const char *key, char *buf, int cap);
int store_setting_set(struct store *s, const char *key, const char *value);

/* 16 random bytes from the OS (getrandom); used for every id and key. */
void store_random(uint8_t *buf, int n);

#endif
