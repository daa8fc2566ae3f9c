#ifndef OFFLINE_STAFF_H
#define OFFLINE_STAFF_H
/* Staff on the kiosk: cashiers and technicians, their PINs, the PIN lockout, the shift and
 * the out-of-service state, and the trail every staff action leaves.
 *
 * PINs (4-8 digits) are never stored: each row keeps a 16-byte random salt and
 * PBKDF2-HMAC-SHA256(pin, salt, iterations >= STAFF_PBKDF2_ITER) (32 bytes), compared in
 * constant time.  STAFF_MAX_WRONG wrong PINs in a row lock every staff login, longer each
 * time while no login succeeds in between: STAFF_LOCK_MS, then STAFF_LOCK2_MS, then until a
 * technician runs staff_unlock (`kiosk-tool staff-unlock`).  A successful login resets the
 * escalation.  The count, the end of the lock and the level live in settings, so a restart
 * resets none of them.  Each lock is alerted: an event `staff_lockout` (below) in the same
 * transaction as the lock.  Times are the caller's wall clock (UTC ms): the kiosk passes
 * its own clock, which the script's `advance` moves.
 *
 * staff_event() is the one way a staff action is remembered: a row in the hash-chained
 * audit (offline/audit.h) and an outbox `event` record for the center, in one transaction. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kiosk/base/money.h"

struct store;
struct journal_payment;

#define STAFF_PBKDF2_ITER 100000
#define STAFF_SALT_LEN 16
#define STAFF_HASH_LEN 32
#define STAFF_NAME_MAX 31
#define STAFF_MAX_WRONG 5
#define STAFF_LOCK_MS (15 * 60 * 1000)   /* the first lock */
#define STAFF_LOCK2_MS (60 * 60 * 1000)  /* the second, with no login since the first */
#define STAFF_LOCK_LEVELS 3              /* the third lasts until staff_unlock */
#define STAFF_LOCKED_FOREVER INT64_MAX   /* locked_until_ms of the third */

enum staff_role { STAFF_NONE = 0, STAFF_CASHIER = 1, STAFF_TECHNICIAN = 2 };

enum staff_rc {
	STAFF_OK = 0,
	STAFF_EWRONG = -100,  /* no staff member has this PIN (or this name has another) */
	STAFF_ELOCKED = -101, /* too many wrong PINs: refused without looking at the PIN */
	STAFF_EBADPIN = -102, /* not 4-8 digits */
	STAFF_EBADROLE = -103,
	STAFF_EBADNAME = -104,
};

const char *staff_role_name(enum staff_role r);
int staff_role_parse(const char *name); /* -1 when unknown */
/* 4 to 8 ASCII digits, nothing else. */
bool staff_pin_valid(const char *pin);
/* PBKDF2-HMAC-SHA256 (OpenSSL); 0 or -1. */
int staff_pbkdf2(const char *pin, size_t pin_len, const uint8_t *salt, size_t salt_len,
		 int iterations, uint8_t *out, size_t out_len);

/* Creates or replaces NAME's PIN and role. 0 or a STAFF_E* / store code. */
int staff_set_pin(struct store *s, enum staff_role role, const char *name, const char *pin,
		  int64_t now_ms);

struct staff_login {
	enum staff_role role;
	char name[STAFF_NAME_MAX + 1];
	int attempts_left;      /* after a wrong PIN */
	int64_t locked_until_ms;/* STAFF_ELOCKED: when logins open again (or STAFF_LOCKED_FOREVER) */
	int lock_level;         /* STAFF_ELOCKED: 1, 2 or STAFF_LOCK_LEVELS */
	bool lock_new;          /* STAFF_ELOCKED: this wrong PIN imposed the lock */
};

/* Checks PIN for NAME (NULL or "": whoever has that PIN, the technician first) and keeps
 * the lockout count.  STAFF_OK with role and name (the escalation reset); STAFF_EWRONG with
 * attempts_left; the 5th wrong PIN imposes the next level's lock, writes the event
 * `staff_lockout` (actor "kiosk", detail "level=N wrong_pins=5 until_ms=T" or
 * "... until=technician") and returns STAFF_ELOCKED with lock_new; STAFF_ELOCKED while the
 * lock lasts, without looking at the PIN. */
int staff_verify(struct store *s, const char *name, const char *pin, int64_t now_ms,
		 struct staff_login *ret);
/* The lock's end (0: not locked; STAFF_LOCKED_FOREVER) and the wrong PINs counted so far.
 * A lock that ran out is cleared here (its level is kept). */
int staff_lock_state(struct store *s, int64_t now_ms, int64_t *ret_until_ms, int *ret_wrong);
/* Locks since the last successful login (0 to STAFF_LOCK_LEVELS). */
int staff_lock_level(struct store *s, int *ret_level);

/* What staff_unlock cleared. */
struct staff_unlocked {
	int level;
	int wrong;
	int64_t locked_until_ms; /* 0, a time, or STAFF_LOCKED_FOREVER */
};
/* A technician's reset: no lock, no wrong PINs, level 0, and the event `staff_unlock`
 * (ACTOR, detail "was_level=N was_wrong_pins=N was_locked_until=T|technician") in the same
 * transaction.  Works (and is recorded) whether or not a lock was on. */
int staff_unlock(struct store *s, const char *actor, int64_t now_ms, struct staff_unlocked *ret);

/* Shift: opened at the last close; before the first close, at the first payment (or at
 * the first call when there is none). */
int staff_shift_opened(struct store *s, int64_t now_ms, int64_t *ret_opened_ms);
int staff_shift_close(struct store *s, int64_t now_ms);

/* Out of service: reason "" when in service. */
int staff_out_of_service(struct store *s, char *reason, int cap);
int staff_set_out_of_service(struct store *s, const char *reason);

/* Audit row + outbox `event` {"event":ACTION,"actor":ACTOR,"role":ROLE,"detail":DETAIL,
 * "at_ms":NOW}, one transaction.  Never pass PINs or card data. */
int staff_event(struct store *s, const char *actor, const char *role, const char *action,
		const char *detail, int64_t now_ms);
/* The same inside the caller's transaction (store_begin/commit are the caller's). */
int staff_event_in_txn(struct store *s, const char *actor, const char *role, const char *action,
		       const char *detail, int64_t now_ms);

/* Shift totals: CONFIRMED payments grouped by card scheme (pure).  Returns the number of
 * schemes, or -1 when the totals cannot be told truly: a sum overflows, or there are more
 * than cap schemes.  Never a total with payments silently left out. */
#define STAFF_MAX_SCHEMES 8
struct staff_total {
	char scheme[24];
	int count;
	kopecks sum;
};
int staff_totals(const struct journal_payment *p, int n, struct staff_total *ret, int cap);
/* The grand total of nt scheme totals: the payment count, or -1 when the sum overflows. */
int staff_totals_sum(const struct staff_total *t, int nt, kopecks *ret_sum);

/* The PIN-pad's RECONCILE TOTALS (docs/kpp1.md, Tags: one `scheme;currency;count;amount;op`
 * per line) against the journal's totals (currency 643, op "sale").  Pure.  Each output row
 * is one scheme, the terminal's schemes first, then those only the journal has: both sides'
 * count and sum and whether they agree (the staff screen words them).  Returns the number
 * of mismatched schemes (0: all match), or -1 when TOTALS is malformed (rows untouched). */
struct staff_recon_row {
	char scheme[24];
	int pinpad_count, journal_count;
	kopecks pinpad_sum, journal_sum;
	bool ok;
};
int staff_reconcile(const char *totals, const struct staff_total *journal, int njournal,
		    struct staff_recon_row *rows, int cap, int *ret_nrows);

#endif
