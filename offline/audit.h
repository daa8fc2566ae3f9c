#ifndef OFFLINE_AUDIT_H
#define OFFLINE_AUDIT_H
/* The audit trail: who did what on the kiosk (staff logins, voids, configuration changes,
 * out-of-service).  Append-only (the table's triggers refuse UPDATE and DELETE) and
 * hash-chained: each row carries SHA-256(prev_hash || content), the first chaining from 32
 * zero bytes, so an edited or removed row is detected by audit_verify even when someone
 * bypassed the triggers.  (Cutting rows off the end leaves a valid shorter chain: that
 * needs an anchor outside the file, e.g. the head hash sent to the center in an event.) */
#include <stdint.h>

struct store;

#define AUDIT_FIELD_MAX 512

/* Appends one row in its own transaction; fields longer than AUDIT_FIELD_MAX are refused
 * (STORE_EINVAL).  Never pass card data or PINs. */
int audit_append(struct store *s, const char *actor, const char *action, const char *detail,
		 int64_t now_ms);
/* Walks the whole chain.  STORE_OK when every row verifies; STORE_ESTATE when one does not,
 * with its id (or, for a deleted row, the id of the first row after the gap) in *ret_bad_id. */
int audit_verify(struct store *s, int64_t *ret_bad_id);
/* The same, also telling how many rows verified (all of them on STORE_OK; the staff screen
 * says «журнал аудита цел, записей: N»). */
int audit_verify_rows(struct store *s, int64_t *ret_bad_id, int64_t *ret_rows);

#endif
