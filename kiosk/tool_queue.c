/* kiosk-tool queue: the outbox records not yet acknowledged by the billing center, one per
 * line, tab-separated, oldest first:  kind  seq  age_s  attempts  */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kiosk/tool.h"
#include "offline/outbox.h"
#include "offline/store.h"

int tool_queue(struct tool_ctx *ctx, int argc, char **argv);

#define QUEUE_CAP 100000

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The store named by --store, else by the configuration; never creates one. */
static int open_store(struct tool_ctx *ctx, int argc, char **argv, struct store **ret)
{
	const char *path = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--store") == 0 && i + 1 < argc) {
			path = argv[++i];
		} else {
			fprintf(stderr, "kiosk-tool %s: unknown argument %s\n", argv[0], argv[i]);
			return 2;
		}
	}
	if (!path) {
		if (tool_need_config(ctx) != 0)
			return 1;
		path = ctx->cfg.store_path;
	}
	if (access(path, R_OK | W_OK) != 0) {
		fprintf(stderr, "kiosk-tool %s: no store at %s\n", argv[0], path);
		return 1;
	}
	int rc = store_open(path, ret);
	if (rc) {
		fprintf(stderr, "kiosk-tool %s: %s: %s\n", argv[0], path, store_strerror(rc));
		return 1;
	}
	return 0;
}

int tool_queue(struct tool_ctx *ctx, int argc, char **argv)
{
	struct store *s = NULL;
	int ret = open_store(ctx, argc, argv, &s);
	if (ret)
		return ret;
	struct outbox_record *recs = calloc(QUEUE_CAP, sizeof *recs);
	int n = recs ? outbox_list_unacked(s, recs, QUEUE_CAP) : STORE_EFAILED;
	if (n < 0) {
		fprintf(stderr, "kiosk-tool queue: %s\n", store_strerror(n));
		ret = 1;
	} else {
		int64_t now = now_ms();
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
