#ifndef KIOSK_TOOL_H
#define KIOSK_TOOL_H
/* kiosk-tool: the technicians' and tests' command line.  Each subcommand lives in
 * kiosk/tool_NAME.c and is one entry of the table in kiosk/tool/tool.c.
 * Exit status: 0 success, 1 the operation failed (or the input was rejected), 2 usage. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kiosk/conf/config.h"

struct tool_ctx {
	const char *config_path;  /* --config, or the default */
	struct config cfg;        /* loaded from it (defaults when the file is absent) */
	bool cfg_loaded;
};

struct tool_cmd {
	const char *name;
	const char *usage;        /* "decode [--hex]" */
	const char *summary;      /* one line for --help */
	int (*run)(struct tool_ctx *ctx, int argc, char **argv); /* argv[0] is the subcommand */
};

/* The subcommands (kiosk/tool_NAME.c). */
int tool_config(struct tool_ctx *ctx, int argc, char **argv);
int tool_config_doc(struct tool_ctx *ctx, int argc, char **argv);
int tool_epd(struct tool_ctx *ctx, int argc, char **argv);
int tool_center_status(struct tool_ctx *ctx, int argc, char **argv);
int tool_sync_now(struct tool_ctx *ctx, int argc, char **argv);
int tool_queue(struct tool_ctx *ctx, int argc, char **argv);
int tool_journal(struct tool_ctx *ctx, int argc, char **argv);
int tool_pinpad(struct tool_ctx *ctx, int argc, char **argv);
int tool_printer(struct tool_ctx *ctx, int argc, char **argv);
int tool_fiscal(struct tool_ctx *ctx, int argc, char **argv);
/* kiosk-tool doctor's fiscal line: 0 ok, 1 warn, 2 fail; detail and a fix for warn/fail. */
int tool_fiscal_check(const struct config *c, char *detail, size_t cap, const char **ret_fix);
int tool_doctor(struct tool_ctx *ctx, int argc, char **argv);
int tool_udev_rules(struct tool_ctx *ctx, int argc, char **argv);

/* Parses a USB id "1d6b:0104" (exactly 4 hex digits, ':', 4 hex digits); 0 or -1. */
int tool_usb_id(const char *s, unsigned *ret_vid, unsigned *ret_pid);
/* A sysfs attribute DIR/NAME read as hex (a USB device's idVendor, idProduct); false when
 * it cannot be read or is not hex. */
bool tool_sysfs_hex(const char *dir, const char *name, unsigned *ret);
int tool_passwd(struct tool_ctx *ctx, int argc, char **argv);
int tool_staff_unlock(struct tool_ctx *ctx, int argc, char **argv);

/* The store named by `--store PATH` (the only option argv may hold), else by the
 * configuration; never creates one.  0, or the exit status to return (1, 2 for usage). */
struct store;
int tool_open_store(struct tool_ctx *ctx, int argc, char **argv, struct store **ret);

/* Loads ctx->cfg once; prints the config error and returns -1 when it is bad. */
int tool_need_config(struct tool_ctx *ctx);

#endif
