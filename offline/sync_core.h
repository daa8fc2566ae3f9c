#ifndef OFFLINE_SYNC_CORE_H
#define OFFLINE_SYNC_CORE_H
/* The sync engine's decisions (docs/api.md §4, client rules), pure: no I/O, no clock, no
 * randomness of its own (callers pass a random 64-bit value and the monotonic time).
 * offline/sync.c is the thread that performs what these functions decide. */
#include <stdbool.h>
#include <stdint.h>

#include "offline/center_json.h"
#include "offline/outbox.h"

#define SYNC_BACKOFF_BASE_MS 1000
#define SYNC_BACKOFF_CAP_MS 300000
#define SYNC_RETRY_AFTER_MAX_S 3600

/* Full jitter: uniform(0, min(cap, base * 2^attempt)) from rnd; attempt 0 is the first retry. */
int64_t sync_backoff_ms(int attempt, uint64_t rnd);

enum sync_step {
	SYNC_APPLY,        /* 200: apply every result in one transaction, go on at once */
	SYNC_RETRY_SAME,   /* transport error, timeout, 5xx, 429: the same bytes after delay_ms */
	SYNC_REWIND,       /* 409 gap: resend from the center's watermark + 1 */
	SYNC_NEW_EPOCH,    /* 409 fork: new epoch, unacked rows renumbered, then hello */
	SYNC_PIN_ALERT,    /* pin mismatch: alert, wait the cap, never unpinned */
	SYNC_HOLD,         /* a refusal retrying cannot fix (400, 401, 403, 404 …): alert, cap */
};

/* What one exchange produced (from struct center_reply). */
struct sync_outcome {
	int cls;                  /* enum center_class */
	long status;              /* HTTP status or 0 */
	const char *error;        /* JSON "error" of a non-2xx reply or "" */
	int64_t retry_after_s;    /* -1 when absent */
	int64_t watermark;        /* of a gap/fork reply, -1 when absent */
};

struct sync_decision {
	enum sync_step step;
	int64_t delay_ms;         /* before the next attempt */
	int attempt;              /* the retry counter to keep (0 after success) */
	bool online;              /* the center answered over TLS with HTTP */
	bool alert;               /* tell the technician (pin, hold, fork) */
	bool rehello;             /* say hello before the next batch */
	const char *why;          /* short reason for the log and the status callback */
};

struct sync_decision sync_decide(const struct sync_outcome *o, int attempt, uint64_t rnd);

/* Checks a 200 answer against the batch it answers: same epoch, one result per record, seqs
 * and keys matching.  0, or -1 (then nothing is applied and the batch is retried). */
int sync_check_results(const struct outbox_batch *b, const struct cjson_batch_resp *r);

struct sync_tally {
	int created, duplicate, conflict, rejected;
};
void sync_tally_results(const struct outbox_result *res, int n, struct sync_tally *ret);

/* After a hello. */
enum sync_hello_step {
	SYNC_HELLO_SEND,          /* send batches */
	SYNC_HELLO_NEW_EPOCH,     /* status fork: a restored kiosk, renumber first */
	SYNC_HELLO_STOP,          /* status revoked: send nothing more, alert */
};
enum sync_hello_step sync_after_hello(const struct cjson_hello_resp *r);

/* A 409 gap: whether the outbox can resend from watermark + 1.  first_unacked is the seq of
 * the first record outbox_next_batch would send.  When the center's watermark is below
 * records the kiosk already holds as acknowledged, they cannot be resent from this epoch: the
 * engine alerts and starts a new epoch so the unacked rows flow again (the center dedupes by
 * key), and the technician reconciles the lost ones from the center's ledger. */
enum sync_gap_step { SYNC_GAP_RESEND, SYNC_GAP_NEW_EPOCH };
enum sync_gap_step sync_on_gap(int64_t center_watermark, int64_t first_unacked);

/* When the next hello is due (monotonic ms): heartbeat after a success, at once after a
 * reconnect (the previous exchange failed and this one succeeded). */
int64_t sync_next_hello(int64_t now_ms, int heartbeat_s);

#endif
