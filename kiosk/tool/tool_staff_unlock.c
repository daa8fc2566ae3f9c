/* kiosk-tool staff-unlock [--store PATH]: a technician lifts the staff PIN lockout, the one
 * that after three locks with no login in between lasts until someone does (offline/staff.h).
 * Clears the lock, the wrong-PIN count and the escalation level, and records it: an audit
 * row and an outbox `event` staff_unlock (actor "kiosk-tool"), so the center that was
 * alerted of the lock learns it was lifted.  Prints one line:
 *   staff login unlocked: was lock level N, N wrong PINs, locked until a technician|DATE|not locked */
#include <stdio.h>

#include "kiosk/base/clock.h"
#include "kiosk/receipt/receipt.h"
#include "kiosk/tool/tool.h"
#include "offline/staff.h"
#include "offline/store.h"

int tool_staff_unlock(struct tool_ctx *ctx, int argc, char **argv)
{
	struct store *s = NULL;
	int ret = tool_open_store(ctx, argc, argv, &s);
	if (ret)
		return ret;
	int64_t now = clock_wall_ms();
	struct staff_unlocked was;
	int rc = staff_unlock(s, "kiosk-tool", now, &was);
	store_close(s);
	if (rc) {
		fprintf(stderr, "kiosk-tool staff-unlock: %s\n", store_strerror(rc));
		return 1;
	}
	char lock[64];
	if (was.locked_until_ms == STAFF_LOCKED_FOREVER) {
		snprintf(lock, sizeof lock, "locked until a technician");
	} else if (was.locked_until_ms > now) {
		char when[32];
		receipt_time(was.locked_until_ms, when, sizeof when);
		snprintf(lock, sizeof lock, "locked until %s Moscow time", when);
	} else {
		snprintf(lock, sizeof lock, "not locked");
	}
	printf("staff login unlocked: was lock level %d, %d wrong PINs, %s\n", was.level, was.wrong, lock);
	return 0;
}
