#ifndef OFFLINE_CENTER_CONF_H
#define OFFLINE_CENTER_CONF_H
/* The [center] section of the configuration as center_client options: one place that
 * reads the signing key file, so kiosk, sync thread and kiosk-tool agree. */
#include <stddef.h>

#include "kiosk/conf/config.h"
#include "offline/center_client.h"

/* Fills *ret (pointers into cfg, which must outlive it) and reads the HMAC key file.
 * 0, or -1 with a message in err (no URL: the kiosk runs offline only; unreadable key). */
int center_conf_opts(const struct config *cfg, struct center_client_opts *ret, char *err, size_t cap);

/* The kiosk's choice: the exchange in a kiosk-link process that logs where the kiosk does. */
void center_conf_link(const struct config *cfg, struct center_client_opts *o);

#endif
