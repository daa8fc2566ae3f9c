/* kiosk-tool: dispatch to the subcommand table. */
#include "kiosk/base/clock.h"
#include "kiosk/tool/tool.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kiosk/base/log.h"
#include "offline/store.h"

static int tool_version(struct tool_ctx *ctx, int argc, char **argv);

static const struct tool_cmd commands[] = {
	{ .name = "version", .usage = "version", .summary = "print the version", .run = tool_version },
	{ .name = "config", .usage = "config", .summary = "print the configuration as loaded", .run = tool_config },
	{ .name = "config-doc", .usage = "config-doc", .summary = "print the table of configuration keys (docs/config.md)",
	  .run = tool_config_doc },
	{ .name = "epd", .usage = "epd decode [--hex]", .summary = "decode a bill QR payload (stdin) to JSON", .run = tool_epd },
	{ .name = "center-status", .usage = "center-status", .summary = "signed probe of the billing center: online, clock offset, pins", .run = tool_center_status },
	{ .name = "sync-now", .usage = "sync-now", .summary = "deliver the outbox to the billing center now (one pass)", .run = tool_sync_now },
	{ .name = "queue", .usage = "queue [--store PATH]", .summary = "outbox records not yet acknowledged (kind, seq, age, attempts)", .run = tool_queue },
	{ .name = "journal", .usage = "journal [--store PATH]", .summary = "card payments not yet confirmed (txn id, state, total, age)", .run = tool_journal },
	{ .name = "pinpad", .usage = "pinpad status|reconcile|txn ID", .summary = "ask the PIN-pad (pinpad.transport/address)", .run = tool_pinpad },
	{ .name = "fiscal", .usage = "fiscal status|open-shift|x-report|z-report|last-doc|doc N|refund TXN",
	  .summary = "ask the fiscal register (fiscal.transport/address): state, shift, reports, documents", .run = tool_fiscal },
	{ .name = "printer", .usage = "printer test|status", .summary = "print a test page / show the printer's state", .run = tool_printer },
	{ .name = "doctor", .usage = "doctor", .summary = "check configuration, secrets, certificates, devices, clock, disk", .run = tool_doctor },
	{ .name = "udev-rules", .usage = "udev-rules", .summary = "print udev rules for the configured USB devices", .run = tool_udev_rules },
	{ .name = "passwd", .usage = "passwd cashier|technician NAME", .summary = "set a staff PIN (4-8 digits read from stdin)", .run = tool_passwd },
	{ .name = "staff-unlock", .usage = "staff-unlock [--store PATH]", .summary = "lift the staff PIN lockout (audited, sent to the center)",
	  .run = tool_staff_unlock },
};

#define DEFAULT_CONFIG "/etc/kiosk/kiosk.conf"

static int tool_version(struct tool_ctx *ctx, int argc, char **argv)
{
	(void)ctx; (void)argc; (void)argv;
	printf("kiosk-tool %s\n", KIOSK_VERSION);
	return 0;
}

int tool_need_config(struct tool_ctx *ctx)
{
	if (ctx->cfg_loaded)
		return 0;
	char err[512];
	config_defaults(&ctx->cfg);
	if (access(ctx->config_path, R_OK) != 0 && strcmp(ctx->config_path, DEFAULT_CONFIG) == 0) {
		ctx->cfg_loaded = true; /* no system config: defaults */
		return 0;
	}
	if (config_load(ctx->config_path, &ctx->cfg, err, sizeof err) != 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	ctx->cfg_loaded = true;
	return 0;
}

int tool_open_store(struct tool_ctx *ctx, int argc, char **argv, struct store **ret)
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

static void usage(FILE *f)
{
	fprintf(f, "usage: kiosk-tool [--config FILE] COMMAND [ARGS]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-34s %s\n", commands[i].usage, commands[i].summary);
}

int main(int argc, char **argv)
{
	struct tool_ctx ctx = { .config_path = DEFAULT_CONFIG };
	char err[256];
	if (clock_attach_env(err, sizeof err) != 0) { /* a test stack's clock (kiosk/base/clock.h) */
		fprintf(stderr, "kiosk-tool: %s\n", err);
		return 2;
	}
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
			ctx.config_path = argv[++i];
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "kiosk-tool: unknown option %s\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return 2;
	}
	log_set_level(LOG_LVL_WARN);
	for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++)
		if (strcmp(argv[i], commands[k].name) == 0)
			return commands[k].run(&ctx, argc - i, argv + i);
	fprintf(stderr, "kiosk-tool: unknown command '%s'\n", argv[i]);
	usage(stderr);
	return 2;
}
