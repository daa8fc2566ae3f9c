#ifndef OFFLINE_OUTBOX_H
#define OFFLINE_OUTBOX_H
/* The outbox: everything the kiosk must deliver to the billing center, each record holding
 * the exact bytes it will send (docs/api.md §4).  Identity: a random 128-bit idem_key
 * never regenerated; order: a contiguous seq within an epoch (16 random bytes); integrity:
 * chain_hash = SHA-256(prev_chain_hash || body), the first record of an epoch chaining from
 * 32 zero bytes.
 *
 * Records tied to a domain row are written in that row's transaction (journal_record,
 * readings); outbox_add is for standalone records (e-receipt, request, event).  Body bytes
 * are immutable once written. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;

#define OUTBOX_KEY_LEN 16
#define OUTBOX_HASH_LEN 32

struct outbox_record {
	int64_t seq;
	uint8_t idem_key[OUTBOX_KEY_LEN];
	char kind[16];               /* payment, reading, ereceipt, request, event */
	uint8_t *body;               /* owned by the batch */
	size_t body_len;
	uint8_t chain_hash[OUTBOX_HASH_LEN];
	int attempts;
	int64_t created_ms;
};

struct outbox_batch {
	uint8_t epoch[16];
	int64_t first_seq, last_seq;
	uint8_t prev_chain_hash[OUTBOX_HASH_LEN];
	int n;
	struct outbox_record *recs;  /* n records, seq ascending */
};

enum outbox_disposition { OUTBOX_CREATED, OUTBOX_DUPLICATE, OUTBOX_CONFLICT, OUTBOX_REJECTED };

struct outbox_result {
	int64_t seq;
	uint8_t idem_key[OUTBOX_KEY_LEN];
	enum outbox_disposition disposition;
	char server_ref[40];
	char reason[64];             /* rejected/conflict reason */
};

/* Appends a standalone record in its own transaction. */
int outbox_add(struct store *s, const char *kind, const uint8_t *body, size_t len,
	       int64_t now_ms, uint8_t ret_key[OUTBOX_KEY_LEN]);
/* The unacked records from the lowest unacked seq of the current epoch, at most max_records
 * and max_bytes of bodies (always at least one record if any is pending).  ret->n == 0 when
 * nothing is pending.  Free with outbox_batch_free. */
int outbox_next_batch(struct store *s, int max_records, size_t max_bytes, struct outbox_batch *ret);
void outbox_batch_free(struct outbox_batch *b);
/* Applies the center's results for a batch in one transaction: acked_at, disposition,
 * server_ref; conflict and rejected rows are quarantined (acked, flagged).  Increments
 * attempts on nothing here (see outbox_note_attempt). */
int outbox_apply_results(struct store *s, const struct outbox_result *res, int n, int64_t now_ms);
/* Counts one delivery attempt for every record of the batch (for the queue screen). */
int outbox_note_attempt(struct store *s, const struct outbox_batch *b, int64_t now_ms);
/* Fork recovery: a fresh epoch, unacked rows renumbered 1.. with the same keys and bodies and
 * a fresh chain, in one transaction. */
int outbox_new_epoch(struct store *s);
int outbox_current_epoch(struct store *s, uint8_t ret_epoch[16], int64_t *ret_last_seq,
			 uint8_t ret_chain_head[OUTBOX_HASH_LEN]);
/* Every unacked record (any epoch), oldest first, without bodies (body NULL, body_len the
 * stored length): up to cap into ret; returns the count or a negative store_rc.  For the
 * queue screen and `kiosk-tool queue`. */
int outbox_list_unacked(struct store *s, struct outbox_record *ret, int cap);
/* Unacked count and the age in ms of the oldest unacked record (0 when none). */
int outbox_pending(struct store *s, int64_t now_ms, int *ret_count, int64_t *ret_oldest_age_ms);

#endif
