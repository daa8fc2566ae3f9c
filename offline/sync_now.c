/* kiosk-tool sync-now: one pass of the sync engine without its thread. */
#include "offline/sync_now.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "kiosk/base/clock.h"
#include "offline/center_conf.h"
#include "offline/outbox.h"
#include "offline/store.h"
#include "offline/sync.h"

int sync_now(const struct config *cfg, char *line, size_t cap)
{
	struct sync_opts o;
	struct store *st = NULL;
	struct sync *s = NULL;
	struct sync_report rep;
	char err[256];
	int rc = 2, pending = 0;
	int64_t age = 0;
	memset(&o, 0, sizeof o);
	if (center_conf_opts(cfg, &o.center, err, sizeof err) != 0) {
		snprintf(line, cap, "%s", err);
		return 2;
	}
	int src = store_open(cfg->store_path, &st);
	if (src != STORE_OK) {
		snprintf(line, cap, "store %s: %s", cfg->store_path, store_strerror(src));
		goto out;
	}
	o.store = st;
	o.heartbeat_s = cfg->center_heartbeat_s;
	o.snapshot_s = -1;
	snprintf(o.boot_id, sizeof o.boot_id, "kiosk-tool");
#ifdef KIOSK_VERSION
	snprintf(o.sw, sizeof o.sw, "%s", KIOSK_VERSION);
#endif
	s = sync_new(&o, err, sizeof err);
	if (!s) {
		snprintf(line, cap, "%s", err);
		goto out;
	}
	int r = sync_run_once(s, &rep);
	if (outbox_pending(st, clock_wall_ms(), &pending, &age) != 0)
		pending = -1;
	char head[96];
	if (r == 0)
		snprintf(head, sizeof head, "synced");
	else
		snprintf(head, sizeof head, "not synced: %s", rep.last_error[0] ? rep.last_error : "error");
	snprintf(line, cap, "%s batches=%d created=%d duplicate=%d conflict=%d rejected=%d pending=%d",
		 head, rep.batches, rep.created, rep.duplicate, rep.conflict, rep.rejected, pending);
	rc = r == 0 && pending == 0 ? 0 : 1;
out:
	sync_free(s);
	store_close(st);
	explicit_bzero(&o.center.hmac_key, sizeof o.center.hmac_key);
	return rc;
}
