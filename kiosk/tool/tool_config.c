/* kiosk-tool config | config-doc: the configuration as loaded, and the key table. */
#include <stdio.h>

#include "kiosk/tool/tool.h"

int tool_config(struct tool_ctx *ctx, int argc, char **argv)
{
	(void)argc; (void)argv;
	if (tool_need_config(ctx) != 0)
		return 1;
	config_print(&ctx->cfg, stdout);
	return 0;
}

int tool_config_doc(struct tool_ctx *ctx, int argc, char **argv)
{
	(void)ctx; (void)argc; (void)argv;
	config_print_doc(stdout);
	return 0;
}
