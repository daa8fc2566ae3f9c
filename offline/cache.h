#ifndef OFFLINE_CACHE_H
#define OFFLINE_CACHE_H
/* The accounts cache: the billing center's accounts (with services, suppliers, meters) kept
 * for offline lookups, keyed by pers_acc.  updated_at_ms is the "data as of" the screens
 * show.  A put replaces the whole account (its services, supplier list and meters);
 * suppliers are shared between accounts and updated in place. */
#include <stdint.h>

#include "kiosk/bill/account.h"

struct store;

/* One account, one transaction. */
int cache_put(struct store *s, const struct account *a);
/* A snapshot page (docs/api.md §6): n accounts in one transaction, all or none. */
int cache_put_many(struct store *s, const struct account *a, int n);
/* STORE_ENOTFOUND when the account is not cached; *ret untouched on failure. */
int cache_get(struct store *s, const char *pers_acc, struct account *ret);
int cache_count(struct store *s, int64_t *ret);

#endif
