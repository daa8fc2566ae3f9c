#ifndef OFFLINE_JOURNAL_INTERNAL_H
#define OFFLINE_JOURNAL_INTERNAL_H
/* Private to the journal's files (journal.c, journal_read.c, journal_record.c,
 * journal_fiscal.c) and tests. */
#include <stddef.h>

#include "offline/journal.h"

bool journal_txn_id_valid(const char *id);
/* At most the first 6 and last 4 positions stay digits; anything else becomes '*'. */
void journal_mask_pan(const char *in, char *out, size_t cap);
/* Inside the caller's transaction: the current state; a checked move plus history row. */
int journal_state_in_txn(struct store *s, const char *txn_id, enum journal_state *ret);
int journal_set_state_in_txn(struct store *s, const char *txn_id, enum journal_state to,
			     const char *reason, int64_t now_ms);
/* journal_record's work inside the caller's transaction (journal_fiscal adds the fiscal
 * receipt to the same transaction). */
int journal_record_in_txn(struct store *s, const char *txn_id, bool offline, int64_t now_ms);
/* The outbox `payment` body for a loaded payment (malloc'd, compact JSON, sorted keys). */
char *journal_payment_body(const struct journal_payment *p, int64_t recorded_ms, bool offline,
			   size_t *ret_len);
/* The same with the payment's fiscal receipt as "fiscal":{fn, fd, fp, time, shift, number}
 * when f is a made one (docs/api.md §5). */
struct journal_fiscal;
char *journal_payment_body_fiscal(const struct journal_payment *p, int64_t recorded_ms, bool offline,
				  const struct journal_fiscal *f, size_t *ret_len);

#endif
