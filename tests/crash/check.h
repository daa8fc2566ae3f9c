#ifndef TESTS_CRASH_CHECK_H
#define TESTS_CRASH_CHECK_H
/* The parent's side of the crash suites: a model of what the child acknowledged (fed the
 * child's ack lines, workload.h) and the invariants checked on the reopened store:
 *   integrity_check ok and no foreign-key violation; every acknowledged payment present in
 *   its acknowledged state (or the in-flight op's target); at most one in-flight extra row;
 *   exactly one outbox `payment` row per payment that reached RECORDED and none for the
 *   others; one `reading` row per reading; contiguous seq from 1 and a valid hash chain in
 *   every epoch, unacked rows only in the current one; unique keys; no row acked without a
 *   server result, every acknowledged ack applied, an in-flight ack all or nothing; the
 *   audit chain verifies; and no acknowledgement after an injected error or a failure. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kmap {
	uint8_t (*keys)[16];
	int8_t *vals;         /* -1 empty */
	size_t cap, n;
};

struct model {
	struct kmap pay;      /* txn -> acknowledged journal state */
	struct kmap acked;    /* keys acknowledged as applied center results */
	int64_t payments, readings, events, audits, base_acked;
	int64_t track_from_ms;/* journal rows created before this are not tracked one by one */
	char in_op;           /* the op announced and not acknowledged ('\0': none) */
	uint8_t in_txn[16];
	int in_state;
	uint8_t (*in_keys)[16];
	int in_nkeys;
	bool failed, injected;
	int acks_after_fail, acks_after_inject, nacks, syncs;
	int shim_counts[4];
	bool inflight_landed;
	/* Where the last check's chain walk ended (light checks resume there). */
	uint8_t chk_epoch[16], chk_hash[32];
	int64_t chk_seq;
	bool chk_valid; /* set by a check: the unacknowledged op's effect is in the store */   /* read, write, sync, truncate calls (the child's Q line) */
};

void model_init(struct model *m);
void model_free(struct model *m);
/* One line from the child. */
void model_feed(struct model *m, const char *line);
/* Feeds every complete line of buf (returns bytes consumed). */
size_t model_feed_buf(struct model *m, const char *buf, size_t len);
/* Starts from an existing store's content (prefilled, all final): counts only. */
int model_from_store(struct model *m, const char *path);

/* Checks the invariants on PATH (opened with the real VFS); returns the number of
 * violations, describing the first in why.  With integrity (the full check) every row is
 * examined; without it rows older than track_from_ms (a prefill, immutable) are only
 * counted and the hash chain is walked on from where the last check ended.  With adopt, the model then takes the in-flight
 * op's actual outcome so a later run can continue from this store. */
int model_check(struct model *m, const char *path, bool integrity, bool adopt,
		char *why, size_t cap);
/* The same on a store the caller has just opened (and closes). */
struct store;
int model_check_store(struct model *m, struct store *s, bool integrity, bool adopt,
		      char *why, size_t cap);

#endif
