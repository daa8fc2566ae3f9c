/* kiosk-tool queue: the outbox records not yet acknowledged by the billing center, one per
 * line, tab-separated, oldest first:  kind  seq  age_s  attempts  */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/base/clock.h"
#include "kiosk/tool/tool.h"
#include "offline/outbox.h"
#include "offline/store.h"

#define QUEUE_CAP 100000

int tool_queue(struct tool_ctx *ctx, int argc, char **argv)
{
	struct store *s = NULL;
	int ret = tool_open_store(ctx, argc, argv, &s);
	if (ret)
		return ret;
	struct outbox_record *recs = calloc(QUEUE_CAP, sizeof *recs);
	int n = recs ? outbox_list_unacked(s, recs, QUEUE_CAP) : STORE_EFAILED;
	if (n < 0) {
		fprintf(stderr, "kiosk-tool queue: %s\n", store_strerror(n));
		ret = 1;
	} else {
		int64_t now = clock_wall_ms();
		printf("kind\tseq\tage_s\tattempts\n");
		for (int i = 0; i < n; i++) {
			int64_t age = now > recs[i].created_ms ? (now - recs[i].created_ms) / 1000 : 0;
			printf("%s\t%lld\t%lld\t%d\n", recs[i].kind, (long long)recs[i].seq,
			       (long long)age, recs[i].attempts);
		}
	}
	free(recs);
	store_close(s);
	return ret;
}
