#ifndef OFFLINE_SYNC_H
#define OFFLINE_SYNC_H
/* The sync engine: delivers the outbox to the billing center (docs/api.md §4) and keeps
 * the accounts cache fresh (§6).  A thin shell around sync_core's decisions:
 *   - hello at start, after every reconnect and as the heartbeat;
 *   - one batch in flight; a retry resends the same bytes after full-jitter backoff
 *     (CLOCK_MONOTONIC), honouring Retry-After;
 *   - a 200 is checked against the batch and applied with outbox_apply_results (one
 *     transaction); conflicts and rejections are quarantined there and alerted here;
 *   - gap: resend from watermark + 1 (or a new epoch when the center lost acked rows);
 *     fork (or hello status fork): outbox_new_epoch;
 *   - pin mismatch: alert and back off to the cap, never an unpinned connection;
 *   - sync_kick wakes an idle engine when a new outbox row exists;
 *   - online/offline changes and alerts are reported through callbacks (called on the sync
 *     thread: post an event, do not block);
 *   - snapshot pages are handed to apply_page (the caller writes them into the cache in one
 *     transaction and keeps the cursor).
 * The engine uses its own store connection and its own center client. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "offline/center_client.h"
#include "offline/center_json.h"

struct store;

struct sync_callbacks {
	void (*status)(void *ud, bool online, const char *why);
	void (*alert)(void *ud, const char *what, const char *detail);
	/* 0 when the page was applied; non-zero stops this snapshot run (retried later). */
	int (*apply_page)(void *ud, const struct cjson_snapshot_page *page);
	/* Fills the device health for hello (may be NULL). */
	void (*health)(void *ud, struct cjson_health *ret);
	void *ud;
};

struct sync_opts {
	struct store *store;                 /* the sync thread's own connection */
	struct center_client_opts center;
	int heartbeat_s;                     /* hello interval, 0: 60 */
	int snapshot_s;                      /* snapshot interval, 0: 3600; < 0: never */
	int snapshot_page;                   /* accounts per page, 0: 100 */
	char snapshot_cursor[64];            /* where the cache left off ("" from the start) */
	char sw[32];                         /* software version for hello (KIOSK_VERSION) */
	char boot_id[40];
	int max_wait_ms;                     /* > 0 caps every wait of the thread (backoff,
					      * Retry-After, hold): center.retry_max_s, which
					      * the tests set so that they finish in seconds */
	struct sync_callbacks cb;
};

struct sync_report {
	int batches, created, duplicate, conflict, rejected;
	bool online;
	char last_error[64];
};

struct sync;

/* Creates the engine (and its center client); NULL with err on bad options. */
struct sync *sync_new(const struct sync_opts *o, char *err, size_t cap);
/* Runs the engine on its own thread until sync_free. 0 or -1. */
int sync_start(struct sync *s);
/* A new outbox row exists: wake the engine if it is idle (not during a backoff). */
void sync_kick(struct sync *s);
/* Stops the thread (if started) and frees everything.  NULL is fine. */
void sync_free(struct sync *s);
/* Without the thread (kiosk-tool sync-now): hello, then batches until the outbox is empty
 * or an attempt fails.  0 when everything pending was acknowledged, -1 otherwise; *ret
 * says what happened. */
int sync_run_once(struct sync *s, struct sync_report *ret);
/* Downloads snapshot pages from the cursor into apply_page until the last one.  0 or -1. */
int sync_snapshot_now(struct sync *s);
bool sync_online(struct sync *s);
/* UTC ms of the last hello the center answered ok (0: none yet); any thread.  For the
 * technician's network screen. */
int64_t sync_last_hello_ms(struct sync *s);

#endif
