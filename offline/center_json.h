#ifndef OFFLINE_CENTER_JSON_H
#define OFFLINE_CENTER_JSON_H
/* Every message of the billing-center API (docs/api.md) to and from JSON, with jansson.
 * One implementation for both sides: the kiosk encodes requests and decodes responses, the
 * billing-center simulator does the opposite.  Pure: no I/O.
 *
 * Decoders are strict: a missing required field, a wrong type, a number out of range, an
 * over-long string or truncated input fails with CJSON_EBAD and a message naming the field
 * in err; the output struct is then untouched (nothing half-applied).  Encoders return a
 * malloc'd compact JSON string (caller frees). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kiosk/bill/account.h"
#include "offline/outbox.h"

#define CJSON_EBAD (-1)
#define CJSON_ERR_MAX 128
#define CJSON_MAX_INPUT (8 * 1024 * 1024)
#define CJSON_MAX_BATCH 1000

/* ---------------------------------------------------------------- hello */
struct cjson_health {
	char pinpad[16], printer[16], scanner[16];
	int64_t queue;
	int64_t oldest_unsent_s;
};

struct cjson_hello_req {
	uint8_t epoch[16];
	int64_t last_seq;
	uint8_t chain_head[OUTBOX_HASH_LEN];
	char sw[32];
	int64_t device_time_ms;
	char boot_id[40];
	struct cjson_health health;
};

#define CJSON_MAX_EPOCHS 8
#define CJSON_MAX_COMMANDS 8

struct cjson_epoch_state {
	uint8_t epoch[16];
	int64_t watermark;
	uint8_t chain_head[OUTBOX_HASH_LEN];
};

struct cjson_hello_resp {
	int64_t server_time_ms;
	char status[12];              /* ok | fork | revoked */
	int nepochs;
	struct cjson_epoch_state epochs[CJSON_MAX_EPOCHS];
	int batch_max_records;
	int64_t batch_max_bytes;
	int ncommands;
	char commands[CJSON_MAX_COMMANDS][32];
};

char *cjson_hello_req_encode(const struct cjson_hello_req *r);
int cjson_hello_req_decode(const char *s, size_t len, struct cjson_hello_req *ret, char *err);
char *cjson_hello_resp_encode(const struct cjson_hello_resp *r);
int cjson_hello_resp_decode(const char *s, size_t len, struct cjson_hello_resp *ret, char *err);
/* The entry for epoch, or NULL. */
const struct cjson_epoch_state *cjson_hello_epoch(const struct cjson_hello_resp *r,
						  const uint8_t epoch[16]);

/* ---------------------------------------------------------------- batches */
/* Encodes an outbox batch (bodies as base64 of the exact bytes). */
char *cjson_batch_req_encode(const struct outbox_batch *b);
/* Decodes into *ret with malloc'd records and bodies; free with cjson_batch_clear.  Checks
 * the shape only: n == last_seq - first_seq + 1, seqs contiguous, 1..CJSON_MAX_BATCH records,
 * 16-byte keys, 32-byte hashes. */
int cjson_batch_req_decode(const char *s, size_t len, struct outbox_batch *ret, char *err);
void cjson_batch_clear(struct outbox_batch *b);

struct cjson_batch_resp {
	uint8_t epoch[16];
	int64_t watermark;
	int64_t server_time_ms;
	int n;
	struct outbox_result *results;   /* malloc'd; free with cjson_batch_resp_clear */
};
char *cjson_batch_resp_encode(const struct cjson_batch_resp *r);
int cjson_batch_resp_decode(const char *s, size_t len, struct cjson_batch_resp *ret, char *err);
void cjson_batch_resp_clear(struct cjson_batch_resp *r);
const char *cjson_disposition_name(enum outbox_disposition d);
int cjson_disposition_parse(const char *s);  /* -1 when unknown */

/* ---------------------------------------------------------------- errors */
/* {"error":"gap","watermark":…,"server_time_ms":…} and friends; absent numbers are -1. */
struct cjson_error {
	char error[32];
	int64_t watermark;
	int64_t server_time_ms;
	int64_t attempts_left;
	int64_t retry_after_s;
	char detail[96];
};
char *cjson_error_encode(const struct cjson_error *e);
int cjson_error_decode(const char *s, size_t len, struct cjson_error *ret, char *err);
/* server_time_ms from any response object (every response carries it), or -1. */
int64_t cjson_server_time(const char *s, size_t len);

/* ---------------------------------------------------------------- accounts */
/* details false: only pers_acc, address_masked, period, control_hint, updated_at_ms.
 * server_time_ms < 0 omits it. */
char *cjson_account_encode(const struct account *a, const char *control_hint,
			   int64_t server_time_ms);
int cjson_account_decode(const char *s, size_t len, struct account *ret, char *err);

struct cjson_verify_resp {
	char token[72];
	int64_t ttl_s;
};
char *cjson_verify_req_encode(kopecks answer_accrued);
int cjson_verify_req_decode(const char *s, size_t len, kopecks *ret, char *err);
char *cjson_verify_resp_encode(const struct cjson_verify_resp *r, int64_t server_time_ms);
int cjson_verify_resp_decode(const char *s, size_t len, struct cjson_verify_resp *ret, char *err);

/* ---------------------------------------------------------------- history */
#define CJSON_MAX_HISTORY 64

struct cjson_reading {
	char meter_id[16];
	char date[11];                   /* YYYY-MM-DD */
	int64_t value_milli;
	char source[12];                 /* center | kiosk */
	char status[20];                 /* accepted | suspect_decrease | suspect_jump */
};
struct cjson_readings {
	char pers_acc[16];
	int n;
	struct cjson_reading r[CJSON_MAX_HISTORY];
};
char *cjson_readings_encode(const struct cjson_readings *h, int64_t server_time_ms);
int cjson_readings_decode(const char *s, size_t len, struct cjson_readings *ret, char *err);

struct cjson_payment {
	int64_t date_ms;
	char period[8];
	kopecks amount;
	char source[12];                 /* bank | kiosk | office */
	char status[16];                 /* accepted */
	char ref[40];
};
struct cjson_payments {
	char pers_acc[16];
	int n;
	struct cjson_payment p[CJSON_MAX_HISTORY];
};
char *cjson_payments_encode(const struct cjson_payments *h, int64_t server_time_ms);
int cjson_payments_decode(const char *s, size_t len, struct cjson_payments *ret, char *err);

/* ---------------------------------------------------------------- snapshot */
#define CJSON_MAX_PAGE 100
struct cjson_snapshot_page {
	int n;
	struct account *accounts;        /* malloc'd, n entries, details true */
	char next_cursor[64];
	bool more;
	int64_t server_time_ms;
};
char *cjson_snapshot_encode(const struct cjson_snapshot_page *p);
int cjson_snapshot_decode(const char *s, size_t len, struct cjson_snapshot_page *ret, char *err);
void cjson_snapshot_clear(struct cjson_snapshot_page *p);

#endif
