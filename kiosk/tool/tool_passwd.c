/* kiosk-tool passwd ROLE NAME: sets a staff member's PIN, read from stdin (one line, 4-8
 * digits), in the store named by the configuration (created when absent).  The PIN is
 * never echoed, logged or stored: only its salted PBKDF2 hash (offline/staff.h).  The
 * change is written to the audit trail (actor "kiosk-tool"); not sent to the center. */
#include <errno.h>
#include <sys/stat.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "kiosk/base/clock.h"
#include "kiosk/tool/tool.h"
#include "offline/audit.h"
#include "offline/staff.h"
#include "offline/store.h"

/* The store's directory, as the kiosk would need it (a fresh demo has no build/demo yet). */
static void make_parent(const char *path)
{
	char dir[512];
	snprintf(dir, sizeof dir, "%s", path);
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST)
			return;
		*p = '/';
	}
}

int tool_passwd(struct tool_ctx *ctx, int argc, char **argv)
{
	if (argc != 3 || staff_role_parse(argv[1]) < 0) {
		fprintf(stderr, "usage: kiosk-tool passwd cashier|technician NAME  (the PIN on stdin)\n");
		return 2;
	}
	if (tool_need_config(ctx) != 0)
		return 1;
	char pin[32] = "";
	if (!fgets(pin, sizeof pin, stdin)) {
		fprintf(stderr, "kiosk-tool passwd: no PIN on stdin\n");
		return 1;
	}
	pin[strcspn(pin, "\r\n")] = '\0';
	if (!staff_pin_valid(pin)) {
		explicit_bzero(pin, sizeof pin);
		fprintf(stderr, "kiosk-tool passwd: the PIN must be 4 to 8 digits\n");
		return 1;
	}
	struct store *s = NULL;
	make_parent(ctx->cfg.store_path);
	int rc = store_open(ctx->cfg.store_path, &s);
	if (rc != 0) {
		explicit_bzero(pin, sizeof pin);
		fprintf(stderr, "kiosk-tool passwd: store %s: %s\n", ctx->cfg.store_path, store_strerror(rc));
		return 1;
	}
	int64_t now = clock_wall_ms();
	rc = staff_set_pin(s, (enum staff_role)staff_role_parse(argv[1]), argv[2], pin, now);
	explicit_bzero(pin, sizeof pin);
	if (rc == STAFF_EBADNAME) {
		fprintf(stderr, "kiosk-tool passwd: a name is 1-31 of [A-Za-z0-9._-]\n");
	} else if (rc != 0) {
		fprintf(stderr, "kiosk-tool passwd: %s\n", store_strerror(rc));
	} else {
		char detail[96];
		snprintf(detail, sizeof detail, "role=%s name=%s", argv[1], argv[2]);
		rc = audit_append(s, "kiosk-tool", "passwd", detail, now);
		if (rc == 0)
			printf("PIN set for %s %s\n", argv[1], argv[2]);
	}
	store_close(s);
	return rc == 0 ? 0 : 1;
}
