/* kiosk-tool sync-now: one delivery pass of the outbox to the billing center (offline/sync_now.h
 * prints the line and picks the exit status: 0 nothing pending, 1 something is, 2 config). */
#include <stdio.h>

#include "kiosk/tool/tool.h"
#include "offline/sync_now.h"

int tool_sync_now(struct tool_ctx *ctx, int argc, char **argv)
{
	char line[256];
	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "usage: kiosk-tool sync-now\n");
		return 2;
	}
	if (tool_need_config(ctx) != 0)
		return 2;
	int rc = sync_now(&ctx->cfg, line, sizeof line);
	fprintf(rc == 2 ? stderr : stdout, "%s%s\n", rc == 2 ? "kiosk-tool: " : "", line);
	return rc;
}
