#ifndef TESTS_CHECK_FAKE_OUTBOX_H
#define TESTS_CHECK_FAKE_OUTBOX_H
/* An in-memory implementation of offline/outbox.h for driving the sync engine against the
 * billing-center simulator before the SQLite store is merged.  It keeps the contract's
 * semantics (contiguous seqs per epoch, chain from 32 zero bytes, same keys and bodies on
 * renumbering) so the engine's behaviour, not the double's, is what the suite observes. */
#include <stdbool.h>
#include <stdint.h>

#include "offline/outbox.h"

#define FAKE_MAX 256

struct fake_row {
	uint8_t epoch[16];
	int64_t seq;
	uint8_t key[OUTBOX_KEY_LEN];
	char kind[16];
	char body[512];
	size_t len;
	uint8_t chain[OUTBOX_HASH_LEN];
	bool acked;
	int disposition;
	char ref[40], reason[64];
	int attempts;
	int64_t created_ms;
};

struct store {
	uint8_t epoch[16];
	int n;
	struct fake_row rows[FAKE_MAX];
	int new_epochs;
};

struct store *fake_store_new(void);
/* Adds a record with a chosen key (0: random). */
int fake_add(struct store *s, const char *kind, const char *body, int key_byte);
int fake_acked(const struct store *s);
/* Not locked: call it while the engine is idle or stopped, or read fields racily. */
const struct fake_row *fake_find(const struct store *s, int key_byte);

#endif
