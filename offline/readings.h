#ifndef OFFLINE_READINGS_H
#define OFFLINE_READINGS_H
/* Meter readings submitted at the kiosk (docs/api.md §7): each is an immutable fact,
 * stored with its outbox `reading` record in one transaction.  A correction is a new
 * reading that supersedes an earlier one (by key).  Validation against the meter (digits,
 * decimals, the submission window) is the caller's; this module refuses only what can
 * never be right (negative values, a lower value without rollover, an unknown supersedes). */
#include <stdbool.h>
#include <stdint.h>

struct store;

#define READINGS_KEY_LEN 16

struct reading {
	uint8_t key[READINGS_KEY_LEN];   /* also the outbox idem_key */
	char pers_acc[33];
	char meter_id[16];
	int64_t value_milli, prev_milli; /* thousandths of the unit */
	bool rollover;                   /* the resident confirmed the register wrapped */
	bool has_supersedes;
	uint8_t supersedes[READINGS_KEY_LEN];
	int64_t submitted_ms;
};

/* Stores the reading and its outbox record (body: compact JSON, sorted keys:
 * {"meter_id","pers_acc","prev_milli","rollover","submitted_ms","supersedes","value_milli"},
 * supersedes being the earlier key as 32 lowercase hex or null).  On success ret_key holds
 * the new key. */
int readings_submit(struct store *s, const char *pers_acc, const char *meter_id,
		    int64_t value_milli, int64_t prev_milli, bool rollover,
		    const uint8_t *supersedes_key_or_null, int64_t now_ms,
		    uint8_t ret_key[READINGS_KEY_LEN]);

/* The readings submitted here for an account (meter_id NULL: every meter), newest first:
 * up to cap into ret; returns the count or a negative store_rc. */
int readings_list(struct store *s, const char *pers_acc, const char *meter_id,
		  struct reading *ret, int cap);

#endif
