/* Scripted usbfs device for umockdev (see usbmock.h). */
#include <errno.h>
#include <linux/ioctl.h>
#include <linux/usbdevice_fs.h>
#include <pthread.h>
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

struct usbmock {
	UMockdevTestbed *tb;
	UMockdevIoctlBase *handler;
	char *descriptors;
	pthread_mutex_t mu;
	int plugged;
	int claims;
	UMockdevIoctlData *flying[MAX_URBS]; /* submitted IN URBs */
	UMockdevIoctlData *flying_buf[MAX_URBS]; /* their buffers, resolved at submit */
	int nflying;
	UMockdevIoctlData *ready[MAX_URBS];  /* completed (OUT, discarded, killed), to reap */
	int nready;
	struct queued q[MAX_QUEUED];
	int nq;
	uint8_t *out;
	size_t nout;
	usbmock_out_hook *hook;
	void *hook_ud;
	uint8_t reply_ep;
};

#define DEVNODE "/dev/bus/usb/001/002"
#define SYSPATH "/sys/devices/pci0000:00/usb1/1-1"

static void push_ready(struct usbmock *m, UMockdevIoctlData *urb_data)
{
	if (m->nready < MAX_URBS)
		m->ready[m->nready++] = urb_data;
}

static struct usbdevfs_urb *urb_of(UMockdevIoctlData *d)
{
	return (struct usbdevfs_urb *)d->data;
}

static void drop_flying(struct usbmock *m, int i)
{
	memmove(&m->flying[i], &m->flying[i + 1], (size_t)(m->nflying - i - 1) * sizeof m->flying[0]);
	memmove(&m->flying_buf[i], &m->flying_buf[i + 1], (size_t)(m->nflying - i - 1) * sizeof m->flying_buf[0]);
	m->nflying--;
}

/* Fills the oldest flying IN URB whose endpoint has queued data. */
static UMockdevIoctlData *answer_in(struct usbmock *m)
{
	for (int i = 0; i < m->nflying; i++) {
		struct usbdevfs_urb *u = urb_of(m->flying[i]);
		for (int k = 0; k < m->nq; k++) {
			if (m->q[k].ep != u->endpoint)
				continue;
			UMockdevIoctlData *urb_data = m->flying[i], *buf = m->flying_buf[i];
			size_t n = m->q[k].n < (size_t)u->buffer_length ? m->q[k].n : (size_t)u->buffer_length;
			/* Through the child of the URB resolved at submit: the reap's completion
			 * writes the URB and its buffer back to the client. */
			if (buf) {
				memcpy(buf->data, m->q[k].data, n);
				umockdev_ioctl_data_unref(buf);
			}
			u->actual_length = (int)n;
			u->status = 0;
			free(m->q[k].data);
			memmove(&m->q[k], &m->q[k + 1], (size_t)(m->nq - k - 1) * sizeof m->q[0]);
			m->nq--;
			drop_flying(m, i);
			return urb_data;
		}
	}
	return NULL;
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

	if (req == USBDEVFS_REAPURB || req == USBDEVFS_REAPURBNDELAY) {
		UMockdevIoctlData *done = NULL;
		if (m->nready) {
			done = m->ready[0];
			memmove(&m->ready[0], &m->ready[1], (size_t)(m->nready - 1) * sizeof m->ready[0]);
			m->nready--;
		} else if (m->plugged) {
			done = answer_in(m);
		}
		if (done) {
			UMockdevIoctlData *ptr = umockdev_ioctl_data_resolve(arg, 0, sizeof(void *), NULL);
			umockdev_ioctl_data_set_ptr(ptr, 0, done);
			umockdev_ioctl_data_unref(ptr);
			umockdev_ioctl_data_unref(done);
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
	case USBDEVFS_SUBMITURB: {
		UMockdevIoctlData *urb_data = umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_urb), NULL);
		struct usbdevfs_urb *u = urb_of(urb_data);
		if (u->endpoint & 0x80) {
			if (m->nflying == MAX_URBS) {
				umockdev_ioctl_data_unref(urb_data);
				res = -1;
				err = ENOMEM;
				break;
			}
			m->flying_buf[m->nflying] = umockdev_ioctl_data_resolve(urb_data,
				offsetof(struct usbdevfs_urb, buffer), (gsize)u->buffer_length, NULL);
			m->flying[m->nflying++] = urb_data; /* keeps the references */
		} else {
			UMockdevIoctlData *buf = umockdev_ioctl_data_resolve(urb_data,
				offsetof(struct usbdevfs_urb, buffer), (gsize)u->buffer_length, NULL);
			size_t n = (size_t)u->buffer_length;
			if (buf && m->hook) {
				uint8_t reply[512];
				size_t rn = m->hook(m->hook_ud, buf->data, n, reply, sizeof reply);
				if (rn && m->nq < MAX_QUEUED) {
					m->q[m->nq].ep = m->reply_ep;
					m->q[m->nq].data = malloc(rn);
					memcpy(m->q[m->nq].data, reply, rn);
					m->q[m->nq].n = rn;
					m->nq++;
				}
			} else if (buf && m->nout + n <= OUT_CAP) {
				memcpy(m->out + m->nout, buf->data, n);
				m->nout += n;
			}
			if (buf)
				umockdev_ioctl_data_unref(buf);
			/* a control transfer's buffer starts with the 8-byte setup packet, which
			 * is not part of what was transferred */
			u->actual_length = u->type == USBDEVFS_URB_TYPE_CONTROL
				? (u->buffer_length > 8 ? u->buffer_length - 8 : 0) : u->buffer_length;
			u->status = 0;
			push_ready(m, urb_data);
		}
		break;
	}
	case USBDEVFS_DISCARDURB: {
		void *addr = *(void **)arg->data;
		int found = -1;
		for (int i = 0; i < m->nflying; i++)
			if ((void *)m->flying[i]->client_addr == addr)
				found = i;
		if (found < 0) {
			res = -1;
			err = EINVAL;
			break;
		}
		UMockdevIoctlData *d = m->flying[found];
		if (m->flying_buf[found])
			umockdev_ioctl_data_unref(m->flying_buf[found]);
		drop_flying(m, found);
		urb_of(d)->status = -ENOENT;
		urb_of(d)->actual_length = 0;
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
		urb_of(m->flying[i])->status = -ESHUTDOWN;
		urb_of(m->flying[i])->actual_length = 0;
		if (m->flying_buf[i])
			umockdev_ioctl_data_unref(m->flying_buf[i]);
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
	for (int i = 0; i < m->nflying; i++) {
		umockdev_ioctl_data_unref(m->flying[i]);
		if (m->flying_buf[i])
			umockdev_ioctl_data_unref(m->flying_buf[i]);
	}
	for (int i = 0; i < m->nready; i++)
		umockdev_ioctl_data_unref(m->ready[i]);
	for (int i = 0; i < m->nq; i++)
		free(m->q[i].data);
	pthread_mutex_destroy(&m->mu);
	free(m->out);
	free(m->descriptors);
	free(m);
}
