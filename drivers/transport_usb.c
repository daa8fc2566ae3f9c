/* libusb bulk transport: see transports.h.  Generic over interface classes so the PIN-pad
 * (vendor 0xFF or CDC data 0x0A) and the receipt printer (class 7) share it.
 *
 * One bulk IN transfer is kept pending at all times (docs/kpp1.md, Transports); its
 * completions go into a ring that read() drains.  read() is also the thread that runs libusb's
 * event handling; write() uses synchronous bulk transfers (libusb arbitrates the event lock
 * between them). */
#include "drivers/transports.h"

#include <libusb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kiosk/base/log.h"
#include "kiosk/base/xalloc.h"

struct usb_impl {
	struct transport_usb_cfg cfg;
	libusb_context *ctx;
	libusb_device_handle *h;
	int iface, comm_iface;      /* comm_iface -1 unless CDC */
	uint8_t cls;
	uint8_t ep_in, ep_out;      /* ep_in 0: none (printer without back channel) */
	struct libusb_transfer *xfer;
	uint8_t *xbuf;
	bool xfer_pending;
	pthread_mutex_t mu;         /* ring, flags: the callback runs in whoever handles events */
	uint8_t *ring;
	size_t ring_cap, ring_head, ring_len;
	bool gone, in_error;
	int64_t last_probe_ms;
};

/* How often an idle read() checks that the device is still there.  libusb learns of an
 * unplug from POLLERR on the usbfs fd, which not every environment delivers (umockdev
 * cannot); a GET_STATUS that fails with NO_DEVICE is unambiguous. */
#define PROBE_MS 250

bool transport_usb_parse_id(const char *s, struct transport_usb_cfg *cfg)
{
	unsigned vid, pid;
	int n = 0;
	if (!s || sscanf(s, "%4x:%4x%n", &vid, &pid, &n) != 2 || s[n] != 0 || n != 9)
		return false;
	cfg->vid = (uint16_t)vid;
	cfg->pid = (uint16_t)pid;
	return true;
}

static int map_usb(int e)
{
	switch (e) {
	case LIBUSB_SUCCESS: return 0;
	case LIBUSB_ERROR_NO_DEVICE: return TRANSPORT_EGONE;
	case LIBUSB_ERROR_NOT_FOUND: return TRANSPORT_ENODEV;
	case LIBUSB_ERROR_ACCESS: return TRANSPORT_EACCES;
	case LIBUSB_ERROR_TIMEOUT: return TRANSPORT_ETIMEDOUT;
	default: return TRANSPORT_EIO;
	}
}

static void LIBUSB_CALL in_done(struct libusb_transfer *x)
{
	struct usb_impl *im = x->user_data;
	pthread_mutex_lock(&im->mu);
	im->xfer_pending = false;
	switch (x->status) {
	case LIBUSB_TRANSFER_COMPLETED: {
		size_t n = (size_t)x->actual_length;
		/* read() resubmits only with room for a whole transfer, so this always fits */
		for (size_t i = 0; i < n && im->ring_len < im->ring_cap; i++) {
			im->ring[(im->ring_head + im->ring_len) % im->ring_cap] = x->buffer[i];
			im->ring_len++;
		}
		break;
	}
	case LIBUSB_TRANSFER_NO_DEVICE:
		im->gone = true;
		break;
	case LIBUSB_TRANSFER_TIMED_OUT:
	case LIBUSB_TRANSFER_CANCELLED:
		break;
	default: /* STALL, ERROR, OVERFLOW */
		im->in_error = true;
		break;
	}
	pthread_mutex_unlock(&im->mu);
}

/* Keeps the IN transfer pending when there is room for what it may bring.  Called with mu
 * held. */
static int in_submit(struct usb_impl *im)
{
	if (!im->ep_in || im->xfer_pending || im->gone ||
	    im->ring_cap - im->ring_len < (size_t)im->cfg.in_transfer_size)
		return 0;
	libusb_fill_bulk_transfer(im->xfer, im->h, im->ep_in, im->xbuf, im->cfg.in_transfer_size,
				  in_done, im, 0);
	int r = libusb_submit_transfer(im->xfer);
	if (r == 0) {
		im->xfer_pending = true;
		return 0;
	}
	if (r == LIBUSB_ERROR_NO_DEVICE)
		im->gone = true;
	return map_usb(r);
}

/* Finds an interface of class cls with bulk endpoints; 0 or -1. */
static int find_iface(const struct libusb_config_descriptor *cd, uint8_t cls, int *ret_iface,
		      uint8_t *ret_in, uint8_t *ret_out)
{
	for (int i = 0; i < cd->bNumInterfaces; i++) {
		const struct libusb_interface *it = &cd->interface[i];
		for (int a = 0; a < it->num_altsetting; a++) {
			const struct libusb_interface_descriptor *d = &it->altsetting[a];
			if (d->bInterfaceClass != cls)
				continue;
			uint8_t in = 0, out = 0;
			for (int e = 0; e < d->bNumEndpoints; e++) {
				const struct libusb_endpoint_descriptor *ep = &d->endpoint[e];
				if ((ep->bmAttributes & 3) != LIBUSB_TRANSFER_TYPE_BULK)
					continue;
				if (ep->bEndpointAddress & LIBUSB_ENDPOINT_IN) {
					if (!in)
						in = ep->bEndpointAddress;
				} else if (!out) {
					out = ep->bEndpointAddress;
				}
			}
			if (out && (in || cls == TRANSPORT_USB_PRINTER)) {
				*ret_iface = d->bInterfaceNumber;
				*ret_in = in;
				*ret_out = out;
				return 0;
			}
		}
	}
	return -1;
}

static int find_comm_iface(const struct libusb_config_descriptor *cd)
{
	for (int i = 0; i < cd->bNumInterfaces; i++)
		if (cd->interface[i].num_altsetting > 0 &&
		    cd->interface[i].altsetting[0].bInterfaceClass == LIBUSB_CLASS_COMM)
			return cd->interface[i].altsetting[0].bInterfaceNumber;
	return -1;
}

static void usb_close(struct transport *t);

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int usb_open(struct transport *t)
{
	struct usb_impl *im = t->impl;
	if (im->h)
		return 0;
	int rc = TRANSPORT_ENODEV, r;
	if (!im->ctx && libusb_init(&im->ctx) != 0) {
		im->ctx = NULL;
		return TRANSPORT_EIO;
	}
	libusb_device **list = NULL;
	ssize_t n = libusb_get_device_list(im->ctx, &list);
	libusb_device *dev = NULL;
	for (ssize_t i = 0; i < n; i++) {
		struct libusb_device_descriptor dd;
		if (libusb_get_device_descriptor(list[i], &dd) == 0 && dd.idVendor == im->cfg.vid &&
		    dd.idProduct == im->cfg.pid) {
			dev = list[i];
			break;
		}
	}
	if (!dev)
		goto out;
	r = libusb_open(dev, &im->h);
	if (r != 0) {
		im->h = NULL;
		rc = map_usb(r);
		goto out;
	}
	struct libusb_config_descriptor *cd = NULL;
	r = libusb_get_active_config_descriptor(dev, &cd);
	if (r != 0) {
		rc = map_usb(r);
		goto out_close;
	}
	im->iface = -1;
	for (int k = 0; k < 4 && im->cfg.classes[k]; k++)
		if (find_iface(cd, im->cfg.classes[k], &im->iface, &im->ep_in, &im->ep_out) == 0) {
			im->cls = im->cfg.classes[k];
			break;
		}
	im->comm_iface = im->cls == TRANSPORT_USB_CDC_DATA ? find_comm_iface(cd) : -1;
	libusb_free_config_descriptor(cd);
	if (im->iface < 0)
		goto out_close;
	libusb_set_auto_detach_kernel_driver(im->h, 1);
	r = libusb_claim_interface(im->h, im->iface);
	if (r != 0) {
		rc = map_usb(r);
		goto out_close;
	}
	if (im->comm_iface >= 0) {
		/* cdc_acm may hold the comm interface; DTR|RTS tells the device a host is there. */
		if (libusb_claim_interface(im->h, im->comm_iface) != 0)
			im->comm_iface = -1;
		r = libusb_control_transfer(im->h, 0x21, 0x22, 3,
					    (uint16_t)(im->comm_iface >= 0 ? im->comm_iface : 0),
					    NULL, 0, 1000);
		if (r < 0)
			log_warn("usb", "line_state", "dev=%s err=%s", t->desc, libusb_error_name(r));
	}
	im->xfer = libusb_alloc_transfer(0);
	im->xbuf = xmalloc((size_t)im->cfg.in_transfer_size);
	im->gone = im->in_error = false;
	im->last_probe_ms = mono_ms();
	im->ring_head = im->ring_len = 0;
	pthread_mutex_lock(&im->mu);
	rc = in_submit(im);
	pthread_mutex_unlock(&im->mu);
	libusb_free_device_list(list, 1);
	if (rc != 0) {
		usb_close(t);
		return rc;
	}
	log_info("usb", "open", "dev=%s iface=%d class=0x%02x in=0x%02x out=0x%02x", t->desc,
		 im->iface, im->cls, im->ep_in, im->ep_out);
	return 0;
out_close:
	libusb_close(im->h);
	im->h = NULL;
out:
	if (list)
		libusb_free_device_list(list, 1);
	return rc;
}


static int usb_read(struct transport *t, uint8_t *buf, size_t cap, int timeout_ms)
{
	struct usb_impl *im = t->impl;
	if (!im->h)
		return TRANSPORT_EGONE;
	int64_t deadline = mono_ms() + (timeout_ms < 0 ? 0 : timeout_ms);
	for (;;) {
		pthread_mutex_lock(&im->mu);
		if (im->ring_len) {
			size_t n = 0;
			while (n < cap && im->ring_len) {
				buf[n++] = im->ring[im->ring_head];
				im->ring_head = (im->ring_head + 1) % im->ring_cap;
				im->ring_len--;
			}
			in_submit(im);
			pthread_mutex_unlock(&im->mu);
			return (int)n;
		}
		bool halted = im->in_error && !im->xfer_pending;
		im->in_error = false;
		if (!halted)
			in_submit(im);
		bool gone = im->gone;
		pthread_mutex_unlock(&im->mu);
		if (gone)
			return TRANSPORT_EGONE;
		if (halted) {
			/* outside mu: a sync control transfer may run our callback */
			libusb_clear_halt(im->h, im->ep_in);
			continue;
		}
		int64_t now = mono_ms(), left = deadline - now;
		if (now - im->last_probe_ms >= PROBE_MS) {
			unsigned char st[2];
			im->last_probe_ms = now;
			int pr = libusb_control_transfer(im->h, 0x80, LIBUSB_REQUEST_GET_STATUS, 0, 0,
							 st, sizeof st, 200);
			if (pr == LIBUSB_ERROR_NO_DEVICE) {
				im->gone = true;
				return TRANSPORT_EGONE;
			}
		}
		if (left <= 0)
			return 0;
		/* libusb polls under umockdev; short slices keep a reply's latency low either way */
		struct timeval tv = { .tv_sec = 0, .tv_usec = (left > 50 ? 50 : left) * 1000 };
		int r = libusb_handle_events_timeout_completed(im->ctx, &tv, NULL);
		if (r == LIBUSB_ERROR_NO_DEVICE)
			return TRANSPORT_EGONE;
		if (r != 0 && r != LIBUSB_ERROR_INTERRUPTED && r != LIBUSB_ERROR_TIMEOUT)
			return TRANSPORT_EIO;
	}
}

static int usb_write(struct transport *t, const uint8_t *buf, size_t n, int timeout_ms)
{
	struct usb_impl *im = t->impl;
	if (!im->h || im->gone)
		return TRANSPORT_EGONE;
	size_t off = 0;
	while (off < n) {
		int done = 0, chunk = n - off > 16384 ? 16384 : (int)(n - off);
		int r = libusb_bulk_transfer(im->h, im->ep_out, (unsigned char *)buf + off, chunk,
					     &done, (unsigned)(timeout_ms > 0 ? timeout_ms : 1));
		off += (size_t)(done > 0 ? done : 0);
		if (r == LIBUSB_ERROR_PIPE) {
			libusb_clear_halt(im->h, im->ep_out);
			return TRANSPORT_EIO;
		}
		if (r == LIBUSB_ERROR_NO_DEVICE) {
			im->gone = true;
			return TRANSPORT_EGONE;
		}
		if (r != 0)
			return map_usb(r);
	}
	return 0;
}

static void usb_close(struct transport *t)
{
	struct usb_impl *im = t->impl;
	if (!im->h)
		return;
	if (im->xfer_pending) {
		/* The cancelled transfer should complete before it is freed, also when the
		 * device is gone (a failed write or probe noticed it first): usbfs still reaps
		 * its URB (-ESHUTDOWN), and libusb frees the URB's memory only on completion.
		 * A transfer that never completes is dropped from libusb's lists by
		 * libusb_close. */
		libusb_cancel_transfer(im->xfer);
		for (int i = 0; i < 50 && im->xfer_pending; i++) {
			struct timeval tv = { 0, 10000 };
			libusb_handle_events_timeout_completed(im->ctx, &tv, NULL);
		}
	}
	if (!im->gone) {
		libusb_release_interface(im->h, im->iface);
		if (im->comm_iface >= 0)
			libusb_release_interface(im->h, im->comm_iface);
	}
	libusb_close(im->h);
	libusb_free_transfer(im->xfer);
	im->xfer = NULL;
	im->xfer_pending = false;
	free(im->xbuf);
	im->xbuf = NULL;
	im->h = NULL;
}

static void usb_destroy(struct transport *t)
{
	struct usb_impl *im = t->impl;
	usb_close(t);
	if (im->ctx)
		libusb_exit(im->ctx);
	pthread_mutex_destroy(&im->mu);
	free(im->ring);
	free(im);
	free(t);
}

static const struct transport_ops usb_ops;

int transport_usb_printer_status(struct transport *t, uint8_t *ret_status)
{
	if (!t || t->ops != &usb_ops)
		return TRANSPORT_EIO;
	struct usb_impl *im = t->impl;
	if (!im->h || im->cls != TRANSPORT_USB_PRINTER)
		return im->h ? TRANSPORT_EIO : TRANSPORT_EGONE;
	unsigned char st;
	int r = libusb_control_transfer(im->h, 0xA1, 0x01 /* GET_PORT_STATUS */, 0,
					(uint16_t)im->iface, &st, 1, 1000);
	if (r == 1) {
		*ret_status = st;
		return 0;
	}
	if (r == LIBUSB_ERROR_NO_DEVICE)
		im->gone = true;
	return r < 0 ? map_usb(r) : TRANSPORT_EIO;
}

static const struct transport_ops usb_ops = {
	.name = "usb", .open = usb_open, .read = usb_read, .write = usb_write,
	.close = usb_close, .destroy = usb_destroy,
};

struct transport *transport_usb_new(const struct transport_usb_cfg *cfg)
{
	if (!cfg)
		return NULL;
	struct transport *t = xcalloc(1, sizeof *t);
	struct usb_impl *im = xcalloc(1, sizeof *im);
	im->cfg = *cfg;
	if (!im->cfg.classes[0]) {
		im->cfg.classes[0] = TRANSPORT_USB_VENDOR;
		im->cfg.classes[1] = TRANSPORT_USB_CDC_DATA;
	}
	if (im->cfg.in_transfer_size < 512)
		im->cfg.in_transfer_size = 512;
	if (im->cfg.ring_size < 4096)
		im->cfg.ring_size = 16384;
	if (im->cfg.ring_size < im->cfg.in_transfer_size)
		im->cfg.ring_size = im->cfg.in_transfer_size * 2;
	im->ring_cap = (size_t)im->cfg.ring_size;
	im->ring = xmalloc(im->ring_cap);
	im->iface = im->comm_iface = -1;
	pthread_mutex_init(&im->mu, NULL);
	t->ops = &usb_ops;
	t->impl = im;
	snprintf(t->desc, sizeof t->desc, "usb %04x:%04x", cfg->vid, cfg->pid);
	return t;
}
