/* kiosk-tool journal: card payments not yet CONFIRMED (unfinished ones, then those parked
 * for an operator), one per line, tab-separated, oldest first:
 *   txn_id  state  total_kop  age_s  */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/base/clock.h"
#include "kiosk/tool/tool.h"
#include "offline/journal.h"
#include "offline/store.h"

#define JOURNAL_CAP 1000

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
	int ret = tool_open_store(ctx, argc, argv, &s);
	if (ret)
		return ret;
	struct journal_payment *p = calloc(JOURNAL_CAP, sizeof *p);
	int64_t now = clock_wall_ms();
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
