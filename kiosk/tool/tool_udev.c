/* kiosk-tool udev-rules: udev rules for the devices this configuration names, so the `kiosk`
 * user may open them and they get stable names (/dev/pinpad, /dev/receipt-printer,
 * /dev/scanner).  Install with
 *   kiosk-tool udev-rules > /etc/udev/rules.d/70-kiosk.rules
 *   udevadm control --reload && udevadm trigger --subsystem-match=usb --subsystem-match=tty
 * assets/udev/70-kiosk.rules is the same shape with example VID:PIDs. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "kiosk/tool/tool.h"

bool tool_sysfs_hex(const char *dir, const char *name, unsigned *ret)
{
	char p[PATH_MAX + 32], buf[16];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	FILE *f = fopen(p, "re");
	if (!f)
		return false;
	bool ok = fgets(buf, sizeof buf, f) != NULL;
	fclose(f);
	char *end;
	*ret = ok ? (unsigned)strtoul(buf, &end, 16) : 0;
	return ok && end != buf;
}

/* The VID:PID of the USB device behind a tty node (or a udev link to one such as
 * /dev/pinpad): the node's major:minor names its sysfs directory, and the USB device is the
 * nearest ancestor with idVendor/idProduct. */
static bool tty_usb_id(const char *node, unsigned *vid, unsigned *pid)
{
	struct stat st;
	char sys[64], dev[PATH_MAX];
	if (stat(node, &st) != 0 || !S_ISCHR(st.st_mode))
		return false;
	snprintf(sys, sizeof sys, "/sys/dev/char/%u:%u", major(st.st_rdev), minor(st.st_rdev));
	if (!realpath(sys, dev))
		return false;
	for (;;) {
		if (tool_sysfs_hex(dev, "idVendor", vid) && tool_sysfs_hex(dev, "idProduct", pid))
			return true;
		char *slash = strrchr(dev, '/');
		if (!slash || slash == dev || strcmp(dev, "/sys/devices") == 0)
			return false;
		*slash = '\0';
	}
}

static int rule(const char *name, const char *link, const char *transport, const char *address)
{
	unsigned vid, pid;
	if (!strcmp(transport, "usb") || !strcmp(transport, "hidpos")) {
		if (tool_usb_id(address, &vid, &pid) != 0) {
			fprintf(stderr, "kiosk-tool: %s.address '%s' is not VID:PID\n", name, address);
			return -1;
		}
		printf("# %s: %s %04x:%04x (libusb opens the USB device node)\n", name, transport, vid, pid);
		printf("SUBSYSTEM==\"usb\", ENV{DEVTYPE}==\"usb_device\", ATTR{idVendor}==\"%04x\", "
		       "ATTR{idProduct}==\"%04x\", GROUP=\"kiosk\", MODE=\"0660\", SYMLINK+=\"%s\"\n", vid, pid, link);
	} else if (!strcmp(transport, "tty")) {
		if (!tty_usb_id(address, &vid, &pid)) {
			printf("# %s: tty %s is not a USB serial device present now: no rule\n", name, address);
			return 0;
		}
		printf("# %s: tty %s is USB %04x:%04x; set %s.address = /dev/%s\n", name, address, vid, pid, name, link);
		printf("SUBSYSTEM==\"tty\", ATTRS{idVendor}==\"%04x\", ATTRS{idProduct}==\"%04x\", GROUP=\"kiosk\", "
		       "MODE=\"0660\", SYMLINK+=\"%s\", ENV{ID_MM_DEVICE_IGNORE}=\"1\"\n", vid, pid, link);
	} else {
		printf("# %s: transport %s needs no device rule\n", name, transport);
	}
	return 0;
}

int tool_udev_rules(struct tool_ctx *ctx, int argc, char **argv)
{
	(void)argc; (void)argv;
	if (tool_need_config(ctx) != 0)
		return 1;
	const struct config *c = &ctx->cfg;
	printf("# /etc/udev/rules.d/70-kiosk.rules for kiosk %s, from %s by kiosk-tool udev-rules.\n"
	       "# Gives the kiosk group the devices and stable names; after a change:\n"
	       "#   udevadm control --reload && udevadm trigger --subsystem-match=usb --subsystem-match=tty\n"
	       "ACTION==\"remove\", GOTO=\"kiosk_end\"\n", c->kiosk_id, ctx->config_path);
	int rc = 0;
	rc |= rule("pinpad", "pinpad", c->pinpad_transport, c->pinpad_address);
	rc |= rule("printer", "receipt-printer", c->printer_transport, c->printer_address);
	rc |= rule("scanner", "scanner", c->scanner_transport, c->scanner_address);
	printf("LABEL=\"kiosk_end\"\n");
	return rc ? 1 : 0;
}
