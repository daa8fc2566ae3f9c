#ifndef CENTER_DB_PRIV_H
#define CENTER_DB_PRIV_H
/* Internal to center_db*.c. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

struct cdb {
	sqlite3 *db;
};

struct epoch_row {
	int64_t watermark;
	uint8_t head[32];
	bool known;
};

/* A failing SQLite call is fatal in the simulator (see cdb_die). */
void cdb_die(struct cdb *db, const char *what) __attribute__((noreturn));
sqlite3_stmt *cdb_prep(struct cdb *db, const char *sql);
int cdb_exec(struct cdb *db, const char *sql);
char *cdb_error_detail(const char *error, const char *detail, int64_t now_ms);
/* The next "PREFIX-n" from the counters table (inside the caller's transaction). */
void cdb_next_ref(struct cdb *db, const char *prefix, char *out, size_t cap);
/* The center's state of (device, epoch hex); known false when it has none. */
void cdb_load_epoch(struct cdb *db, const char *dev, const char *ep, struct epoch_row *r);

#endif
