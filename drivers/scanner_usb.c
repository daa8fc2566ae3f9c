/* libusb interrupt-IN transport for HID scanners. */
#include "drivers/scanner_usb.h"

#include <libusb.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/base/log.h"
#include "kiosk/base/xalloc.h"

struct usb_scan {
	struct scanner_usb_cfg cfg;
	libusb_context *ctx;
	libusb_device_handle *h;
	int iface;
	uint8_t ep_in;
};

int scanner_usb_parse_id(const char *s, uint16_t *ret_vid, uint16_t *ret_pid)
{
	unsigned v, p;
	int used = 0;
	if (!s || sscanf(s, "%4x:%4x%n", &v, &p, &used) != 2 || s[used] != 0)
		return -1;
	*ret_vid = (uint16_t)v;
	*ret_pid = (uint16_t)p;
	return 0;
}

static bool is_boot_keyboard(const struct libusb_interface_descriptor *id)
{
	return id->bInterfaceSubClass == 1 && id->bInterfaceProtocol == 1;
}

/* Finds the interface of the wanted class with an interrupt IN endpoint: for a keyboard
 * the boot keyboard, otherwise preferably not one (see scanner_usb_cfg.keyboard). */
static int find_iface(libusb_device *dev, const struct scanner_usb_cfg *c, int *ret_iface,
		      uint8_t *ret_ep, bool *ret_boot)
{
	struct libusb_config_descriptor *cd;
	if (libusb_get_active_config_descriptor(dev, &cd) != 0 &&
	    libusb_get_config_descriptor(dev, 0, &cd) != 0)
		return -1;
	int best = -1; /* 2 = the kind we want, 1 = acceptable */
	for (int i = 0; i < cd->bNumInterfaces; i++) {
		const struct libusb_interface *in = &cd->interface[i];
		for (int a = 0; a < in->num_altsetting; a++) {
			const struct libusb_interface_descriptor *id = &in->altsetting[a];
			if (id->bInterfaceClass != c->iface_class)
				continue;
			int score = is_boot_keyboard(id) == c->keyboard ? 2 : c->keyboard ? -1 : 1;
			if (score <= best)
				continue;
			for (int e = 0; e < id->bNumEndpoints; e++) {
				const struct libusb_endpoint_descriptor *ep = &id->endpoint[e];
				if ((ep->bEndpointAddress & LIBUSB_ENDPOINT_IN) &&
				    (ep->bmAttributes & 3) == LIBUSB_TRANSFER_TYPE_INTERRUPT) {
					*ret_iface = id->bInterfaceNumber;
					*ret_ep = ep->bEndpointAddress;
					*ret_boot = is_boot_keyboard(id);
					best = score;
					break;
				}
			}
		}
	}
	libusb_free_config_descriptor(cd);
	return best > 0 ? 0 : -1;
}

static int map_err(int e)
{
	switch (e) {
	case LIBUSB_ERROR_NO_DEVICE:
	case LIBUSB_ERROR_NOT_FOUND:
		return TRANSPORT_EGONE;
	case LIBUSB_ERROR_ACCESS:
		return TRANSPORT_EACCES;
	default:
		return TRANSPORT_EIO;
	}
}

static int us_open(struct transport *t)
{
	struct usb_scan *u = t->impl;
	if (!u->ctx && libusb_init(&u->ctx) != 0) {
		u->ctx = NULL;
		return TRANSPORT_EIO;
	}
	libusb_device **list;
	ssize_t n = libusb_get_device_list(u->ctx, &list);
	if (n < 0)
		return TRANSPORT_EIO;
	int rc = TRANSPORT_ENODEV;
	for (ssize_t i = 0; i < n; i++) {
		struct libusb_device_descriptor dd;
		if (libusb_get_device_descriptor(list[i], &dd) != 0 ||
		    dd.idVendor != u->cfg.vid || dd.idProduct != u->cfg.pid)
			continue;
		bool boot = false;
		if (find_iface(list[i], &u->cfg, &u->iface, &u->ep_in, &boot) != 0) {
			log_warn("scanner", "no_interface", "dev=\"%s\" class=%02x", t->desc, u->cfg.iface_class);
			rc = TRANSPORT_ENODEV;
			continue;
		}
		int r = libusb_open(list[i], &u->h);
		if (r != 0) {
			rc = r == LIBUSB_ERROR_ACCESS ? TRANSPORT_EACCES : TRANSPORT_ENODEV;
			u->h = NULL;
			continue;
		}
		/* The kernel's usbhid owns the interface (and would type the wedge's keys
		 * into the console): let libusb detach it at claim and reattach at release. */
		libusb_set_auto_detach_kernel_driver(u->h, 1);
		r = libusb_claim_interface(u->h, u->iface);
		if (r != 0) {
			log_warn("scanner", "claim_failed", "dev=\"%s\" err=%s", t->desc, libusb_error_name(r));
			libusb_close(u->h);
			u->h = NULL;
			rc = r == LIBUSB_ERROR_ACCESS ? TRANSPORT_EACCES : TRANSPORT_EIO;
			continue;
		}
		if (boot) {
			/* HID SET_PROTOCOL(boot): 8-byte reports whatever the report descriptor
			 * says, which is what scanner_wedge decodes.  Devices that ignore it keep
			 * sending boot-compatible reports anyway. */
			r = libusb_control_transfer(u->h, 0x21, 0x0B, 0, (uint16_t)u->iface, NULL, 0, 1000);
			if (r < 0)
				log_warn("scanner", "set_protocol_failed", "dev=\"%s\" err=%s", t->desc,
					 libusb_error_name(r));
		}
		rc = 0;
		break;
	}
	libusb_free_device_list(list, 1);
	if (rc == 0)
		log_info("scanner", "usb_open", "dev=\"%s\" iface=%d ep=%02x", t->desc, u->iface, u->ep_in);
	return rc;
}

static int us_read(struct transport *t, uint8_t *buf, size_t cap, int timeout_ms)
{
	struct usb_scan *u = t->impl;
	if (!u->h)
		return TRANSPORT_EGONE;
	int got = 0;
	/* libusb treats timeout 0 as "forever"; our contract's 0 means "do not wait". */
	int r = libusb_interrupt_transfer(u->h, u->ep_in, buf, (int)(cap > 4096 ? 4096 : cap), &got,
					  timeout_ms > 0 ? (unsigned)timeout_ms : 1);
	if (r == 0 || r == LIBUSB_ERROR_TIMEOUT)
		return got;
	if (r == LIBUSB_ERROR_OVERFLOW)
		return TRANSPORT_EIO;
	return map_err(r);
}

static int us_write(struct transport *t, const uint8_t *buf, size_t n, int timeout_ms)
{
	(void)t; (void)buf; (void)n; (void)timeout_ms;
	return TRANSPORT_EIO;
}

static void us_close(struct transport *t)
{
	struct usb_scan *u = t->impl;
	if (!u->h)
		return;
	libusb_release_interface(u->h, u->iface); /* fails harmlessly when unplugged */
	libusb_close(u->h);
	u->h = NULL;
}

static void us_destroy(struct transport *t)
{
	struct usb_scan *u = t->impl;
	us_close(t);
	if (u->ctx)
		libusb_exit(u->ctx);
	free(u);
	free(t);
}

static const struct transport_ops usb_scan_ops = {
	.name = "scanner_usb",
	.open = us_open,
	.read = us_read,
	.write = us_write,
	.close = us_close,
	.destroy = us_destroy,
};

struct transport *scanner_usb_new(const struct scanner_usb_cfg *c)
{
	struct transport *t = xcalloc(1, sizeof *t);
	struct usb_scan *u = xcalloc(1, sizeof *u);
	u->cfg = *c;
	if (!u->cfg.iface_class)
		u->cfg.iface_class = LIBUSB_CLASS_HID;
	t->ops = &usb_scan_ops;
	t->impl = u;
	snprintf(t->desc, sizeof t->desc, "usb %04x:%04x", c->vid, c->pid);
	return t;
}
