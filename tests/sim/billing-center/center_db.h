#ifndef CENTER_DB_H
#define CENTER_DB_H
/* The billing-center simulator's SQLite database: demo data (docs/demo.md, seeded on a
 * fresh file), the ledger of delivered outbox records and the per-device epochs.
 * Functions return an HTTP status and a malloc'd JSON body in *ret_json (every body carries
 * server_time_ms).  Not thread-safe: the HTTP layer serialises calls. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cdb;

struct cdb *cdb_open(const char *path, char *err, size_t errcap);
void cdb_close(struct cdb *db);

/* POST /v1/devices/{id}/hello */
int cdb_hello(struct cdb *db, const char *device_id, const char *body, size_t len,
	      int64_t now_ms, char **ret_json);
/* POST /v1/devices/{id}/batches: one transaction, committed before this returns.  twice:
 * the batch is applied a second time after the commit (a duplicated request) and the
 * second answer is returned. */
int cdb_batch(struct cdb *db, const char *device_id, const char *body, size_t len,
	      int64_t now_ms, bool twice, char **ret_json);
/* GET /v1/accounts/{pers_acc}; details when the caller proved access. */
int cdb_account(struct cdb *db, const char *pers_acc, bool details, int64_t now_ms,
		char **ret_json);
/* Whether a scanned bill's sum proves the account (equals its due or accrued). */
bool cdb_bill_sum_ok(struct cdb *db, const char *pers_acc, int64_t sum);
/* The period's accrued sum (control question); -1 when the account is unknown. */
int64_t cdb_accrued(struct cdb *db, const char *pers_acc);
int cdb_readings(struct cdb *db, const char *pers_acc, const char *from, const char *to,
		 int64_t now_ms, char **ret_json);
int cdb_payments(struct cdb *db, const char *pers_acc, const char *from, const char *to,
		 int64_t now_ms, char **ret_json);
int cdb_snapshot(struct cdb *db, const char *since, int limit, int64_t now_ms, char **ret_json);

/* A JSON error body {"error":…,"server_time_ms":…}. */
char *cdb_error_json(const char *error, int64_t now_ms);

#endif
