#ifndef OFFLINE_SYNC_NOW_H
#define OFFLINE_SYNC_NOW_H
/* One synchronous delivery pass for `kiosk-tool sync-now`: opens the store named by the
 * configuration, says hello and sends batches until the outbox is empty or an attempt fails,
 * and writes one line:
 *
 *   synced batches=N created=N duplicate=N conflict=N rejected=N pending=0
 *   not synced: <reason> batches=N … pending=N
 *
 * Returns 0 when nothing is left pending, 1 when something is, 2 on a configuration or
 * store error (message in line).  Uses its own store connection and center client, so it
 * can run beside a live kiosk (the center dedupes whatever both send). */
#include <stddef.h>

#include "kiosk/conf/config.h"

int sync_now(const struct config *cfg, char *line, size_t cap);

#endif
