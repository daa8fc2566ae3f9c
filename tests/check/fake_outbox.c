/* In-memory outbox (see fake_outbox.h). */
#include "tests/check/fake_outbox.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "kiosk/xalloc.h"
#include "offline/center_sign.h"

/* The sync thread and the test thread share the double (a real store gives each its own
 * connection); one lock keeps it coherent. */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
#define LOCKED(expr) do { pthread_mutex_lock(&mu); int rc_ = (expr); pthread_mutex_unlock(&mu); return rc_; } while (0)

struct store *fake_store_new(void)
{
	struct store *s = xcalloc(1, sizeof *s);
	RAND_bytes(s->epoch, 16);
	return s;
}

static void head(const struct store *s, int64_t *ret_seq, uint8_t ret_chain[32])
{
	*ret_seq = 0;
	memset(ret_chain, 0, 32);
	for (int i = 0; i < s->n; i++)
		if (memcmp(s->rows[i].epoch, s->epoch, 16) == 0 && s->rows[i].seq > *ret_seq) {
			*ret_seq = s->rows[i].seq;
			memcpy(ret_chain, s->rows[i].chain, 32);
		}
}

static int add(struct store *s, const char *kind, const uint8_t *body, size_t len,
	       const uint8_t *key, int64_t now_ms)
{
	if (s->n == FAKE_MAX || len >= sizeof s->rows[0].body)
		return -1;
	struct fake_row *r = &s->rows[s->n];
	uint8_t prev[32];
	memset(r, 0, sizeof *r);
	head(s, &r->seq, prev);
	r->seq++;
	memcpy(r->epoch, s->epoch, 16);
	memcpy(r->key, key, OUTBOX_KEY_LEN);
	snprintf(r->kind, sizeof r->kind, "%s", kind);
	memcpy(r->body, body, len);
	r->len = len;
	csign_chain_hash(prev, body, len, r->chain);
	r->created_ms = now_ms;
	s->n++;
	return 0;
}

static int fake_add_locked(struct store *s, const char *kind, const char *body, int key_byte)
{
	uint8_t key[OUTBOX_KEY_LEN];
	if (key_byte) {
		memset(key, 0, sizeof key);
		key[0] = 0xF0;
		key[15] = (uint8_t)key_byte;
	} else {
		RAND_bytes(key, sizeof key);
	}
	return add(s, kind, (const uint8_t *)body, strlen(body), key, 1795600000000);
}

static int fake_acked_locked(const struct store *s)
{
	int n = 0;
	for (int i = 0; i < s->n; i++)
		n += s->rows[i].acked;
	return n;
}

const struct fake_row *fake_find(const struct store *s, int key_byte)
{
	for (int i = s->n - 1; i >= 0; i--)
		if (s->rows[i].key[0] == 0xF0 && s->rows[i].key[15] == key_byte)
			return &s->rows[i];
	return NULL;
}

static int outbox_add_locked(struct store *s, const char *kind, const uint8_t *body, size_t len,
	       int64_t now_ms, uint8_t ret_key[OUTBOX_KEY_LEN])
{
	uint8_t key[OUTBOX_KEY_LEN];
	RAND_bytes(key, sizeof key);
	if (add(s, kind, body, len, key, now_ms) != 0)
		return -1;
	memcpy(ret_key, key, sizeof key);
	return 0;
}

static int outbox_next_batch_locked(struct store *s, int max_records, size_t max_bytes, struct outbox_batch *ret)
{
	struct outbox_batch b;
	size_t bytes = 0;
	memset(&b, 0, sizeof b);
	memcpy(b.epoch, s->epoch, 16);
	b.recs = xcalloc((size_t)max_records + 1, sizeof *b.recs);
	uint8_t prev[32] = { 0 };
	for (int i = 0; i < s->n && b.n < max_records; i++) {
		struct fake_row *r = &s->rows[i];
		if (memcmp(r->epoch, s->epoch, 16) != 0)
			continue;
		if (r->acked) {
			memcpy(prev, r->chain, 32);
			continue;
		}
		if (b.n > 0 && bytes + r->len > max_bytes)
			break;
		if (b.n == 0) {
			b.first_seq = r->seq;
			memcpy(b.prev_chain_hash, prev, 32);
		}
		struct outbox_record *x = &b.recs[b.n++];
		x->seq = r->seq;
		memcpy(x->idem_key, r->key, OUTBOX_KEY_LEN);
		snprintf(x->kind, sizeof x->kind, "%s", r->kind);
		x->body = xmalloc(r->len);
		memcpy(x->body, r->body, r->len);
		x->body_len = r->len;
		memcpy(x->chain_hash, r->chain, 32);
		x->attempts = r->attempts;
		x->created_ms = r->created_ms;
		b.last_seq = r->seq;
		bytes += r->len;
	}
	*ret = b;
	return 0;
}

void outbox_batch_free(struct outbox_batch *b)
{
	for (int i = 0; i < b->n; i++)
		free(b->recs[i].body);
	free(b->recs);
	memset(b, 0, sizeof *b);
}

static int outbox_apply_results_locked(struct store *s, const struct outbox_result *res, int n, int64_t now_ms)
{
	(void)now_ms;
	for (int k = 0; k < n; k++)
		for (int i = 0; i < s->n; i++) {
			struct fake_row *r = &s->rows[i];
			if (memcmp(r->epoch, s->epoch, 16) == 0 && r->seq == res[k].seq &&
			    memcmp(r->key, res[k].idem_key, OUTBOX_KEY_LEN) == 0) {
				r->acked = true;
				r->disposition = (int)res[k].disposition;
				snprintf(r->ref, sizeof r->ref, "%s", res[k].server_ref);
				snprintf(r->reason, sizeof r->reason, "%s", res[k].reason);
			}
		}
	return 0;
}

static int outbox_note_attempt_locked(struct store *s, const struct outbox_batch *b, int64_t now_ms)
{
	(void)now_ms;
	for (int k = 0; k < b->n; k++)
		for (int i = 0; i < s->n; i++)
			if (memcmp(s->rows[i].epoch, s->epoch, 16) == 0 && s->rows[i].seq == b->recs[k].seq)
				s->rows[i].attempts++;
	return 0;
}

static int outbox_new_epoch_locked(struct store *s)
{
	uint8_t prev[32] = { 0 };
	uint8_t old[16];
	int64_t seq = 0;
	memcpy(old, s->epoch, 16);
	RAND_bytes(s->epoch, 16);
	for (int i = 0; i < s->n; i++) {
		struct fake_row *r = &s->rows[i];
		if (memcmp(r->epoch, old, 16) != 0 || r->acked)
			continue;
		memcpy(r->epoch, s->epoch, 16);
		r->seq = ++seq;
		csign_chain_hash(prev, (const uint8_t *)r->body, r->len, r->chain);
		memcpy(prev, r->chain, 32);
	}
	s->new_epochs++;
	return 0;
}

static int outbox_current_epoch_locked(struct store *s, uint8_t ret_epoch[16], int64_t *ret_last_seq,
			 uint8_t ret_chain_head[OUTBOX_HASH_LEN])
{
	memcpy(ret_epoch, s->epoch, 16);
	head(s, ret_last_seq, ret_chain_head);
	return 0;
}

static int outbox_pending_locked(struct store *s, int64_t now_ms, int *ret_count, int64_t *ret_oldest_age_ms)
{
	int n = 0;
	int64_t oldest = 0;
	for (int i = 0; i < s->n; i++)
		if (!s->rows[i].acked) {
			n++;
			if (now_ms - s->rows[i].created_ms > oldest)
				oldest = now_ms - s->rows[i].created_ms;
		}
	*ret_count = n;
	*ret_oldest_age_ms = oldest;
	return 0;
}

int fake_add(struct store *s, const char *kind, const char *body, int key_byte)
{
	LOCKED(fake_add_locked(s, kind, body, key_byte));
}

int fake_acked(const struct store *s)
{
	LOCKED(fake_acked_locked(s));
}

int outbox_add(struct store *s, const char *kind, const uint8_t *body, size_t len,
	       int64_t now_ms, uint8_t ret_key[OUTBOX_KEY_LEN])
{
	LOCKED(outbox_add_locked(s, kind, body, len, now_ms, ret_key));
}

int outbox_next_batch(struct store *s, int max_records, size_t max_bytes, struct outbox_batch *ret)
{
	LOCKED(outbox_next_batch_locked(s, max_records, max_bytes, ret));
}

int outbox_apply_results(struct store *s, const struct outbox_result *res, int n, int64_t now_ms)
{
	LOCKED(outbox_apply_results_locked(s, res, n, now_ms));
}

int outbox_note_attempt(struct store *s, const struct outbox_batch *b, int64_t now_ms)
{
	LOCKED(outbox_note_attempt_locked(s, b, now_ms));
}

int outbox_new_epoch(struct store *s)
{
	LOCKED(outbox_new_epoch_locked(s));
}

int outbox_current_epoch(struct store *s, uint8_t ret_epoch[16], int64_t *ret_last_seq,
			 uint8_t ret_chain_head[OUTBOX_HASH_LEN])
{
	LOCKED(outbox_current_epoch_locked(s, ret_epoch, ret_last_seq, ret_chain_head));
}

int outbox_pending(struct store *s, int64_t now_ms, int *ret_count, int64_t *ret_oldest_age_ms)
{
	LOCKED(outbox_pending_locked(s, now_ms, ret_count, ret_oldest_age_ms));
}
