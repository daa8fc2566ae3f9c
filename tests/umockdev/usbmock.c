/* Scripted usbfs device for umockdev (see usbmock.h). */
#include <errno.h>
#include <linux/ioctl.h>
#include <linux/usbdevice_fs.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <umockdev.h>

#include "tests/umockdev/usbmock.h"

#define MAX_URBS 64
#define MAX_QUEUED 64
#define OUT_CAP (1 << 20)

struct queued {
	uint8_t ep;
	uint8_t *data;
	size_t n;
};

/* A URB belongs to the open usbfs file that submitted it (one UMockdevIoctlClient per
 * open()): only that file reaps or discards it, and closing the file drops it, as the
 * kernel does (usbdev_release kills the file's URBs).  Holds a reference to each. */
struct urb {
	UMockdevIoctlData *data;
	UMockdevIoctlData *buf;    /* its buffer while the URB flies (IN); NULL once completed */
	UMockdevIoctlClient *client;
};

struct usbmock {
	UMockdevTestbed *tb;
	UMockdevIoctlBase *handler;
	char *descriptors;
	pthread_mutex_t mu;
	int plugged;
	int claims;
	struct urb flying[MAX_URBS];  /* submitted IN URBs */
	int nflying;
	struct urb ready[MAX_URBS];   /* completed (OUT, control, discarded, killed), to reap */
	int nready;
	uint8_t *desc;                /* binary device + configuration descriptors */
	size_t ndesc;
	struct queued q[MAX_QUEUED];
	int nq;
	uint8_t *out;
	size_t nout;
	usbmock_out_hook *hook;
	void *hook_ud;
	uint8_t reply_ep;
	usbmock_control_hook *ctl_hook;
	void *ctl_ud;
	int trace;
};

#define DEVNODE "/dev/bus/usb/001/002"
#define SYSPATH "/sys/devices/pci0000:00/usb1/1-1"

static struct usbdevfs_urb *urb_of(UMockdevIoctlData *d)
{
	return (struct usbdevfs_urb *)d->data;
}

static void urb_release(struct urb *u)
{
	if (u->buf)
		umockdev_ioctl_data_unref(u->buf);
	if (u->data)
		umockdev_ioctl_data_unref(u->data);
	if (u->client)
		g_object_unref(u->client);
	memset(u, 0, sizeof *u);
}

static void push_ready(struct usbmock *m, struct urb u)
{
	if (u.buf) {
		umockdev_ioctl_data_unref(u.buf); /* still a child of the URB */
		u.buf = NULL;
	}
	if (m->nready < MAX_URBS)
		m->ready[m->nready++] = u;
	else
		urb_release(&u);
}

static void drop_at(struct urb *list, int *n, int i)
{
	memmove(&list[i], &list[i + 1], (size_t)(*n - i - 1) * sizeof list[0]);
	(*n)--;
}

/* Drops the URBs of files that were closed: nobody can reap them any more, and a reap by
 * another file must never see them (their memory is gone with the old client). */
static void purge_closed(struct usbmock *m)
{
	struct urb *lists[2] = { m->flying, m->ready };
	int *counts[2] = { &m->nflying, &m->nready };
	for (int l = 0; l < 2; l++)
		for (int i = *counts[l] - 1; i >= 0; i--)
			if (!umockdev_ioctl_client_get_connected(lists[l][i].client)) {
				if (m->trace)
					fprintf(stderr, "usbmock: dropping a URB of a closed file (ep 0x%02x)\n",
						urb_of(lists[l][i].data)->endpoint);
				urb_release(&lists[l][i]);
				drop_at(lists[l], counts[l], i);
			}
}

/* Fills the oldest of this file's flying IN URBs whose endpoint has queued data. */
static bool answer_in(struct usbmock *m, UMockdevIoctlClient *client, struct urb *ret)
{
	for (int i = 0; i < m->nflying; i++) {
		if (m->flying[i].client != client)
			continue;
		struct usbdevfs_urb *u = urb_of(m->flying[i].data);
		for (int k = 0; k < m->nq; k++) {
			if (m->q[k].ep != u->endpoint)
				continue;
			UMockdevIoctlData *buf = m->flying[i].buf;
			size_t n = m->q[k].n < (size_t)u->buffer_length ? m->q[k].n : (size_t)u->buffer_length;
			/* Through the child of the URB resolved at submit: the reap's completion
			 * writes the URB and its buffer back to the client. */
			if (buf)
				memcpy(buf->data, m->q[k].data, n);
			u->actual_length = (int)n;
			u->status = 0;
			free(m->q[k].data);
			memmove(&m->q[k], &m->q[k + 1], (size_t)(m->nq - k - 1) * sizeof m->q[0]);
			m->nq--;
			*ret = m->flying[i];
			if (ret->buf) {
				umockdev_ioctl_data_unref(ret->buf);
				ret->buf = NULL;
			}
			drop_at(m->flying, &m->nflying, i);
			return true;
		}
	}
	return false;
}

/* ---------------------------------------------------------------- endpoint 0 */

static size_t put(uint8_t *data, size_t cap, const void *src, size_t n)
{
	n = n < cap ? n : cap;
	memcpy(data, src, n);
	return n;
}

/* Standard requests, answered as a real device in the configured state answers them
 * (USB 2.0 §9.4); anything else stalls.  Returns the data stage length or -1 (stall). */
static int standard_request(struct usbmock *m, const uint8_t *setup, uint8_t *data, size_t cap)
{
	uint8_t rt = setup[0], req = setup[1];
	unsigned val = setup[2] | setup[3] << 8;
	bool in = rt & 0x80;
	const uint8_t *cfg = m->ndesc > 18 ? m->desc + 18 : NULL;
	size_t ncfg = cfg ? m->ndesc - 18 : 0;
	switch (req) {
	case 0x00: { /* GET_STATUS: device (self-powered from bmAttributes, no remote wakeup),
		      * interface, endpoint (not halted) */
		if (!in)
			return -1;
		uint8_t st[2] = { 0, 0 };
		if ((rt & 0x1f) == 0 && ncfg >= 8 && (cfg[7] & 0x40))
			st[0] = 1;
		return (int)put(data, cap, st, 2);
	}
	case 0x01: /* CLEAR_FEATURE */
	case 0x03: /* SET_FEATURE */
	case 0x09: /* SET_CONFIGURATION */
	case 0x0B: /* SET_INTERFACE */
		return in ? -1 : 0;
	case 0x06: /* GET_DESCRIPTOR: device, configuration; no strings */
		if (!in)
			return -1;
		if (val >> 8 == 1 && m->ndesc >= 18)
			return (int)put(data, cap, m->desc, 18);
		if (val >> 8 == 2 && ncfg >= 4) {
			size_t total = (size_t)(cfg[2] | cfg[3] << 8);
			return (int)put(data, cap, cfg, total < ncfg ? total : ncfg);
		}
		return -1;
	case 0x08: { /* GET_CONFIGURATION */
		uint8_t one = 1;
		return in ? (int)put(data, cap, &one, 1) : -1;
	}
	case 0x0A: { /* GET_INTERFACE: alternate setting 0 */
		uint8_t zero = 0;
		return in ? (int)put(data, cap, &zero, 1) : -1;
	}
	default:
		return -1;
	}
}

/* A control URB: its buffer is the 8-byte setup packet and then the data stage. */
static int control_request(struct usbmock *m, uint8_t *buf, size_t len)
{
	if (len < 8)
		return -1;
	unsigned wlen = buf[6] | buf[7] << 8;
	size_t cap = len - 8 < wlen ? len - 8 : wlen;
	uint8_t *data = buf + 8;
	int r;
	if ((buf[0] & 0x60) == 0)
		r = standard_request(m, buf, data, cap);
	else if (m->ctl_hook)
		r = m->ctl_hook(m->ctl_ud, buf, data, cap);
	else if (!(buf[0] & 0x80) && m->nout + 8 + cap <= OUT_CAP) {
		/* a class or vendor request the test reads back with usbmock_take_out */
		memcpy(m->out + m->nout, buf, 8 + cap);
		m->nout += 8 + cap;
		r = (int)cap;
	} else {
		r = -1;
	}
	if (m->trace)
		fprintf(stderr, "usbmock: control %02x %02x %02x%02x %02x%02x len %u -> %d\n",
			buf[0], buf[1], buf[3], buf[2], buf[5], buf[4], wlen, r);
	return r < 0 ? -1 : r > (int)cap ? (int)cap : r;
}

/* SUBMITURB (mu held): a control URB is answered here; an IN URB flies until the device
 * has data; an OUT URB goes to the device's hook (its reply queued) or to the OUT buffer.
 * 0, or the errno to fail the ioctl with. */
static int submit_urb(struct usbmock *m, UMockdevIoctlClient *client, UMockdevIoctlData *arg)
{
	UMockdevIoctlData *urb_data = umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_urb), NULL);
	struct usbdevfs_urb *u = urb_of(urb_data);
	struct urb e = { urb_data, NULL, g_object_ref(client) }; /* keeps the references */
	e.buf = umockdev_ioctl_data_resolve(urb_data, offsetof(struct usbdevfs_urb, buffer),
					    (gsize)u->buffer_length, NULL);
	if (u->type == USBDEVFS_URB_TYPE_CONTROL) {
		/* endpoint 0: the setup packet is answered here, never given to the
		 * device's data logic (the OUT hook) */
		int r = e.buf ? control_request(m, e.buf->data, (size_t)u->buffer_length) : -1;
		u->actual_length = r < 0 ? 0 : r;
		u->status = r < 0 ? -EPIPE : 0;
		push_ready(m, e);
	} else if (u->endpoint & 0x80) {
		if (m->nflying == MAX_URBS) {
			urb_release(&e);
			return ENOMEM;
		}
		m->flying[m->nflying++] = e;
	} else {
		size_t n = (size_t)u->buffer_length;
		if (e.buf && m->hook) {
			uint8_t reply[512];
			size_t rn = m->hook(m->hook_ud, e.buf->data, n, reply, sizeof reply);
			if (rn && m->nq < MAX_QUEUED) {
				m->q[m->nq].ep = m->reply_ep;
				m->q[m->nq].data = malloc(rn);
				memcpy(m->q[m->nq].data, reply, rn);
				m->q[m->nq].n = rn;
				m->nq++;
			}
		} else if (e.buf && m->nout + n <= OUT_CAP) {
			memcpy(m->out + m->nout, e.buf->data, n);
			m->nout += n;
		}
		u->actual_length = u->buffer_length;
		u->status = 0;
		push_ready(m, e);
	}
	return 0;
}

static gboolean on_ioctl(UMockdevIoctlBase *h, UMockdevIoctlClient *client, gpointer ud)
{
	struct usbmock *m = ud;
	(void)h;
	gulong req = umockdev_ioctl_client_get_request(client);
	UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(client);
	pthread_mutex_lock(&m->mu);
	gboolean handled = TRUE;
	long res = 0;
	int err = 0;

	purge_closed(m);
	if (req == USBDEVFS_REAPURB || req == USBDEVFS_REAPURBNDELAY) {
		struct urb done = { 0 };
		for (int i = 0; i < m->nready && !done.data; i++)
			if (m->ready[i].client == client) {
				done = m->ready[i];
				drop_at(m->ready, &m->nready, i);
			}
		if (!done.data && m->plugged)
			answer_in(m, client, &done);
		if (done.data) {
			UMockdevIoctlData *ptr = umockdev_ioctl_data_resolve(arg, 0, sizeof(void *), NULL);
			umockdev_ioctl_data_set_ptr(ptr, 0, done.data);
			umockdev_ioctl_data_unref(ptr);
			urb_release(&done);
		} else {
			res = -1;
			err = m->plugged ? EAGAIN : ENODEV;
		}
		goto out;
	}
	if (!m->plugged) {
		res = -1;
		err = ENODEV;
		goto out;
	}
	switch (req) {
	case USBDEVFS_GET_CAPABILITIES: {
		UMockdevIoctlData *d = umockdev_ioctl_data_resolve(arg, 0, sizeof(guint32), NULL);
		*(guint32 *)d->data = USBDEVFS_CAP_ZERO_PACKET | USBDEVFS_CAP_BULK_CONTINUATION |
				      USBDEVFS_CAP_NO_PACKET_SIZE_LIM | USBDEVFS_CAP_REAP_AFTER_DISCONNECT;
		umockdev_ioctl_data_unref(d);
		break;
	}
	case USBDEVFS_DISCONNECT_CLAIM:
	case USBDEVFS_CLAIMINTERFACE:
		m->claims++;
		break;
	case USBDEVFS_RELEASEINTERFACE:
	case USBDEVFS_IOCTL:          /* (re)connect the kernel driver: nothing to do */
	case USBDEVFS_CLEAR_HALT:
	case USBDEVFS_RESET:
	case USBDEVFS_RESETEP:
	case USBDEVFS_SETINTERFACE:
	case USBDEVFS_SETCONFIGURATION:
		break;
	case USBDEVFS_GETDRIVER:
		res = -1;
		err = ENODATA;
		break;
	case USBDEVFS_SUBMITURB:
		err = submit_urb(m, client, arg);
		res = err ? -1 : 0;
		break;
	case USBDEVFS_DISCARDURB: {
		/* a URB of this file: another file's may sit at the same address */
		void *addr = *(void **)arg->data;
		int found = -1;
		for (int i = 0; i < m->nflying; i++)
			if (m->flying[i].client == client && (void *)m->flying[i].data->client_addr == addr)
				found = i;
		if (found < 0) {
			res = -1;
			err = EINVAL;
			break;
		}
		struct urb d = m->flying[found];
		drop_at(m->flying, &m->nflying, found);
		urb_of(d.data)->status = -ENOENT;
		urb_of(d.data)->actual_length = 0;
		push_ready(m, d);
		break;
	}
	default:
		handled = FALSE;
		break;
	}
out:
	pthread_mutex_unlock(&m->mu);
	if (handled)
		umockdev_ioctl_client_complete(client, res, err);
	return handled;
}

struct usbmock *usbmock_new(const char *descriptors_hex)
{
	struct usbmock *m = calloc(1, sizeof *m);
	pthread_mutex_init(&m->mu, NULL);
	m->out = malloc(OUT_CAP);
	m->descriptors = strdup(descriptors_hex);
	size_t nhex = strlen(descriptors_hex);
	m->desc = malloc(nhex / 2 + 1);
	for (size_t i = 0; i + 1 < nhex; i += 2) {
		unsigned b;
		if (sscanf(descriptors_hex + i, "%2x", &b) != 1)
			break;
		m->desc[m->ndesc++] = (uint8_t)b;
	}
	m->trace = getenv("USBMOCK_TRACE") != NULL;
	m->tb = umockdev_testbed_new();
	m->handler = umockdev_ioctl_base_new();
	g_signal_connect(m->handler, "handle-ioctl", G_CALLBACK(on_ioctl), m);
	return m;
}

void usbmock_plug(struct usbmock *m)
{
	pthread_mutex_lock(&m->mu);
	m->plugged = 1;
	pthread_mutex_unlock(&m->mu);
	/* The handler goes on the node before the device appears, so an open racing the
	 * "add" uevent already talks to us. */
	umockdev_testbed_attach_ioctl(m->tb, DEVNODE, m->handler, NULL);
	char *s = g_strdup_printf(
		"P: /devices/pci0000:00/usb1/1-1\n"
		"N: bus/usb/001/002\n"
		"E: SUBSYSTEM=usb\n"
		"E: DEVTYPE=usb_device\n"
		"E: DRIVER=usb\n"
		"E: BUSNUM=001\n"
		"E: DEVNUM=002\n"
		"E: DEVNAME=" DEVNODE "\n"
		"A: busnum=1\\n\n"
		"A: devnum=2\\n\n"
		"A: speed=12\\n\n"
		"A: bConfigurationValue=1\\n\n"
		"H: descriptors=%s\n", m->descriptors);
	GError *e = NULL;
	if (!umockdev_testbed_add_from_string(m->tb, s, &e)) {
		fprintf(stderr, "usbmock: add failed: %s\n", e ? e->message : "?");
		g_clear_error(&e);
	}
	g_free(s);
}

void usbmock_unplug(struct usbmock *m)
{
	pthread_mutex_lock(&m->mu);
	m->plugged = 0;
	/* As the kernel does: URBs in flight complete with -ESHUTDOWN. */
	for (int i = 0; i < m->nflying; i++) {
		urb_of(m->flying[i].data)->status = -ESHUTDOWN;
		urb_of(m->flying[i].data)->actual_length = 0;
		push_ready(m, m->flying[i]);
	}
	m->nflying = 0;
	pthread_mutex_unlock(&m->mu);
	umockdev_testbed_uevent(m->tb, SYSPATH, "remove");
	umockdev_testbed_remove_device(m->tb, SYSPATH);
	umockdev_testbed_detach_ioctl(m->tb, DEVNODE, NULL);
}

void usbmock_queue_in(struct usbmock *m, uint8_t ep, const void *data, size_t n)
{
	pthread_mutex_lock(&m->mu);
	if (m->nq < MAX_QUEUED) {
		m->q[m->nq].ep = ep;
		m->q[m->nq].data = malloc(n ? n : 1);
		memcpy(m->q[m->nq].data, data, n);
		m->q[m->nq].n = n;
		m->nq++;
	}
	pthread_mutex_unlock(&m->mu);
}

int usbmock_pending_in(struct usbmock *m, uint8_t ep)
{
	pthread_mutex_lock(&m->mu);
	int n = 0;
	for (int i = 0; i < m->nq; i++)
		n += m->q[i].ep == ep;
	pthread_mutex_unlock(&m->mu);
	return n;
}

size_t usbmock_take_out(struct usbmock *m, uint8_t *buf, size_t cap)
{
	pthread_mutex_lock(&m->mu);
	size_t n = m->nout < cap ? m->nout : cap;
	memcpy(buf, m->out, n);
	memmove(m->out, m->out + n, m->nout - n);
	m->nout -= n;
	pthread_mutex_unlock(&m->mu);
	return n;
}

void usbmock_set_out_hook(struct usbmock *m, usbmock_out_hook *hook, void *ud, uint8_t reply_ep)
{
	pthread_mutex_lock(&m->mu);
	m->hook = hook;
	m->hook_ud = ud;
	m->reply_ep = reply_ep;
	pthread_mutex_unlock(&m->mu);
}

void usbmock_set_control_hook(struct usbmock *m, usbmock_control_hook *hook, void *ud)
{
	pthread_mutex_lock(&m->mu);
	m->ctl_hook = hook;
	m->ctl_ud = ud;
	pthread_mutex_unlock(&m->mu);
}

int usbmock_claims(struct usbmock *m)
{
	pthread_mutex_lock(&m->mu);
	int n = m->claims;
	pthread_mutex_unlock(&m->mu);
	return n;
}

void usbmock_free(struct usbmock *m)
{
	if (!m)
		return;
	g_object_unref(m->handler);
	g_object_unref(m->tb);
	for (int i = 0; i < m->nflying; i++)
		urb_release(&m->flying[i]);
	for (int i = 0; i < m->nready; i++)
		urb_release(&m->ready[i]);
	for (int i = 0; i < m->nq; i++)
		free(m->q[i].data);
	pthread_mutex_destroy(&m->mu);
	free(m->out);
	free(m->descriptors);
	free(m->desc);
	free(m);
}
