/* kiosk-tool journal: card payments not yet CONFIRMED (unfinished ones, then those parked
 * for an operator), one per line, tab-separated, oldest first:
 *   txn_id  state  total_kop  age_s  */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kiosk/tool.h"
#include "offline/journal.h"
#include "offline/store.h"

int tool_journal(struct tool_ctx *ctx, int argc, char **argv);

#define JOURNAL_CAP 1000

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

static void print_rows(const struct journal_payment *p, int n, int64_t now)
{
	for (int i = 0; i < n; i++) {
		int64_t age = now > p[i].created_ms ? (now - p[i].created_ms) / 1000 : 0;
		printf("%s\t%s\t%lld\t%lld\n", p[i].txn_id, journal_state_name(p[i].state),
		       (long long)p[i].total, (long long)age);
	}
}

int tool_journal(struct tool_ctx *ctx, int argc, char **argv)
{
	struct store *s = NULL;
	int ret = open_store(ctx, argc, argv, &s);
	if (ret)
		return ret;
	struct journal_payment *p = calloc(JOURNAL_CAP, sizeof *p);
	int64_t now = now_ms();
	int n = p ? journal_unfinished(s, p, JOURNAL_CAP) : STORE_EFAILED;
	if (n >= 0) {
		printf("txn_id\tstate\ttotal_kop\tage_s\n");
		print_rows(p, n, now);
		n = journal_by_state(s, JOURNAL_NEEDS_OPERATOR, p, JOURNAL_CAP);
		if (n >= 0)
			print_rows(p, n, now);
	}
	if (n < 0) {
		fprintf(stderr, "kiosk-tool journal: %s\n", store_strerror(n));
		ret = 1;
	}
	free(p);
	store_close(s);
	return ret;
}
