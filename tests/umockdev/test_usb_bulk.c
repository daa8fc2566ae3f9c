/* Test-only libusb bulk transport (see test_usb_bulk.h). */
#include "tests/umockdev/test_usb_bulk.h"

#include <libusb.h>
#include <stdio.h>
#include <stdlib.h>

struct bulk {
	uint16_t vid, pid;
	uint8_t cls;
	libusb_context *ctx;
	libusb_device_handle *h;
	int iface;
	uint8_t ep_in, ep_out;
};

static int map(int r)
{
	return r == LIBUSB_ERROR_NO_DEVICE ? TRANSPORT_EGONE : TRANSPORT_EIO;
}

static int find(libusb_device *dev, struct bulk *b)
{
	struct libusb_config_descriptor *cd;
	if (libusb_get_active_config_descriptor(dev, &cd) != 0)
		return -1;
	int rc = -1;
	for (int i = 0; i < cd->bNumInterfaces && rc; i++) {
		const struct libusb_interface_descriptor *id = &cd->interface[i].altsetting[0];
		if (id->bInterfaceClass != b->cls)
			continue;
		b->ep_in = b->ep_out = 0;
		for (int e = 0; e < id->bNumEndpoints; e++) {
			const struct libusb_endpoint_descriptor *ep = &id->endpoint[e];
			if ((ep->bmAttributes & 3) != LIBUSB_TRANSFER_TYPE_BULK)
				continue;
			if (ep->bEndpointAddress & LIBUSB_ENDPOINT_IN)
				b->ep_in = ep->bEndpointAddress;
			else
				b->ep_out = ep->bEndpointAddress;
		}
		if (b->ep_in && b->ep_out) {
			b->iface = id->bInterfaceNumber;
			rc = 0;
		}
	}
	libusb_free_config_descriptor(cd);
	return rc;
}

static int bulk_open(struct transport *t)
{
	struct bulk *b = t->impl;
	if (!b->ctx && libusb_init(&b->ctx) != 0)
		return TRANSPORT_EIO;
	libusb_device **list;
	ssize_t n = libusb_get_device_list(b->ctx, &list);
	int rc = TRANSPORT_ENODEV;
	for (ssize_t i = 0; i < n && rc; i++) {
		struct libusb_device_descriptor dd;
		if (libusb_get_device_descriptor(list[i], &dd) || dd.idVendor != b->vid || dd.idProduct != b->pid)
			continue;
		if (find(list[i], b) || libusb_open(list[i], &b->h))
			continue;
		libusb_set_auto_detach_kernel_driver(b->h, 1);
		if (libusb_claim_interface(b->h, b->iface)) {
			libusb_close(b->h);
			b->h = NULL;
			continue;
		}
		rc = 0;
	}
	if (n >= 0)
		libusb_free_device_list(list, 1);
	return rc;
}

static int bulk_read(struct transport *t, uint8_t *buf, size_t cap, int timeout_ms)
{
	struct bulk *b = t->impl;
	if (!b->h)
		return TRANSPORT_EGONE;
	int got = 0;
	int r = libusb_bulk_transfer(b->h, b->ep_in, buf, (int)cap, &got, timeout_ms > 0 ? (unsigned)timeout_ms : 1);
	if (r == 0 || r == LIBUSB_ERROR_TIMEOUT)
		return got;
	return map(r);
}

static int bulk_write(struct transport *t, const uint8_t *buf, size_t n, int timeout_ms)
{
	struct bulk *b = t->impl;
	if (!b->h)
		return TRANSPORT_EGONE;
	int sent = 0;
	int r = libusb_bulk_transfer(b->h, b->ep_out, (uint8_t *)buf, (int)n, &sent, timeout_ms > 0 ? (unsigned)timeout_ms : 1);
	if (r == LIBUSB_ERROR_TIMEOUT)
		return TRANSPORT_ETIMEDOUT;
	if (r)
		return map(r);
	return (size_t)sent == n ? 0 : TRANSPORT_EIO;
}

static void bulk_close(struct transport *t)
{
	struct bulk *b = t->impl;
	if (!b->h)
		return;
	libusb_release_interface(b->h, b->iface);
	libusb_close(b->h);
	b->h = NULL;
}

static void bulk_destroy(struct transport *t)
{
	struct bulk *b = t->impl;
	bulk_close(t);
	if (b->ctx)
		libusb_exit(b->ctx);
	free(b);
	free(t);
}

static const struct transport_ops bulk_ops = {
	.name = "test_usb_bulk", .open = bulk_open, .read = bulk_read, .write = bulk_write,
	.close = bulk_close, .destroy = bulk_destroy,
};

struct transport *test_usb_bulk_new(uint16_t vid, uint16_t pid, uint8_t iface_class)
{
	struct transport *t = calloc(1, sizeof *t);
	struct bulk *b = calloc(1, sizeof *b);
	b->vid = vid;
	b->pid = pid;
	b->cls = iface_class;
	t->ops = &bulk_ops;
	t->impl = b;
	snprintf(t->desc, sizeof t->desc, "test-usb %04x:%04x", vid, pid);
	return t;
}
