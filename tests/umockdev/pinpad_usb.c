/* Tests the real libusb transport (drivers/transport_usb.c) against a scripted USB PIN-pad:
 * umockdev emulates usbfs, and the URBs are answered by the simulator core (docs/kpp1.md,
 * USB under umockdev).
 * Links libumockdev-preload itself (as libusb's own test does), so it runs without
 * umockdev-wrapper and ASan keeps its link order.  Prints "N passed, N failed".
 *
 * Devices: 1209:7001, one interface of class 0xFF with bulk IN 0x81 and OUT 0x02 (full
 * speed, 64-byte packets); 1209:7002, CDC-ACM (comm interface #0, data interface #1 with
 * the same bulk endpoints); 1209:7003, a printer (class 7, bulk OUT only).  OUT URBs are fed to the core at once; IN URBs stay
 * pending until the core has bytes (at most one frame unit per URB, so split/coalesce knobs
 * shape the transfers).  "Unplug" completes the URBs in flight with -ESHUTDOWN and makes
 * every other ioctl fail with ENODEV until "replug". */
#include <linux/ioctl.h>
#include <linux/usbdevice_fs.h>

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <umockdev.h>

#include "drivers/kpp_client.h"
#include "drivers/transports.h"
#include "tests/sim/pinpad/sim_core.h"

#define DEVNODE "/dev/bus/usb/001/002"
#define PRINTER_NODE "/dev/bus/usb/001/004"

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct sim_core *core;
static bool unplugged;
static GList *in_urbs;      /* pending IN URBs (UMockdevIoctlData *) */
static GList *done_urbs;    /* completed OUT / control URBs, reaped first */
static GList *discarded;    /* discarded IN URBs, reaped with -ENOENT */
static int n_out_urbs, n_in_urbs_done, n_control;
static uint8_t last_class_setup[8]; /* the last class request (bmRequestType 0x21) */
static char printed[256];           /* what the printer device received */
static size_t nprinted;
static int pass, fail;

static int64_t wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static gint cmp_addr(gconstpointer a, gconstpointer b)
{
	return ((const UMockdevIoctlData *)a)->client_addr != (gulong)b;
}

static void reap_reply(UMockdevIoctlClient *client, UMockdevIoctlData *arg, UMockdevIoctlData *urb_data)
{
	UMockdevIoctlData *ptr = umockdev_ioctl_data_resolve(arg, 0, sizeof(gpointer), NULL);
	umockdev_ioctl_data_set_ptr(ptr, 0, urb_data);
	umockdev_ioctl_client_complete(client, 0, 0);
	g_object_unref(ptr);
}

/* SUBMITURB (mu held): an OUT URB is fed to the core (or to the printer's buffer) and done
 * at once; an IN URB waits for the core's bytes; a control URB is answered here. */
static void submit_urb(UMockdevIoctlClient *client, UMockdevIoctlData *arg)
{
	UMockdevIoctlData *ud = umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_urb), NULL);
	struct usbdevfs_urb *urb = (struct usbdevfs_urb *)ud->data;
	UMockdevIoctlData *buf = umockdev_ioctl_data_resolve(ud, G_STRUCT_OFFSET(struct usbdevfs_urb, buffer),
							     (gsize)urb->buffer_length, NULL);
	bool printer = strcmp(umockdev_ioctl_client_get_devnode(client), PRINTER_NODE) == 0;
	if (urb->type == USBDEVFS_URB_TYPE_BULK && urb->endpoint == 0x02 && printer) {
		size_t n = (size_t)urb->buffer_length;
		if (n > sizeof printed - nprinted)
			n = sizeof printed - nprinted;
		memcpy(printed + nprinted, buf->data, n);
		nprinted += n;
		urb->actual_length = urb->buffer_length;
		urb->status = 0;
		done_urbs = g_list_append(done_urbs, ud);
	} else if (urb->type == USBDEVFS_URB_TYPE_BULK && urb->endpoint == 0x02) {
		sim_core_input(core, buf->data, (size_t)urb->buffer_length, wall_ms());
		urb->actual_length = urb->buffer_length;
		urb->status = 0;
		n_out_urbs++;
		done_urbs = g_list_append(done_urbs, ud);
	} else if (urb->type == USBDEVFS_URB_TYPE_BULK && urb->endpoint == 0x81) {
		in_urbs = g_list_append(in_urbs, ud);
	} else if (urb->type == USBDEVFS_URB_TYPE_CONTROL) {
		if (urb->buffer_length >= 8 && buf->data[0] == 0x21)
			memcpy(last_class_setup, buf->data, 8);
		urb->actual_length = 0;
		if (urb->buffer_length >= 9 && buf->data[0] == 0xA1 && buf->data[1] == 0x01) {
			buf->data[8] = 0x18; /* GET_PORT_STATUS: selected, no error */
			urb->actual_length = 1;
		}
		urb->status = 0;
		n_control++;
		done_urbs = g_list_append(done_urbs, ud);
	} else {
		g_object_unref(ud);
		g_object_unref(buf);
		umockdev_ioctl_client_complete(client, -1, EINVAL);
		return;
	}
	g_object_unref(buf);
	umockdev_ioctl_client_complete(client, 0, 0);
}

/* REAPURB (mu held): discarded URBs first (-ENOENT), then the done ones, then an IN URB
 * the core has bytes for; EAGAIN when none is ready. */
static void reap_urb(UMockdevIoctlClient *client, UMockdevIoctlData *arg)
{
	UMockdevIoctlData *ud = NULL;
	if (discarded) {
		ud = discarded->data;
		discarded = g_list_delete_link(discarded, discarded);
		((struct usbdevfs_urb *)ud->data)->status = -ENOENT;
		((struct usbdevfs_urb *)ud->data)->actual_length = 0;
	} else if (done_urbs) {
		ud = done_urbs->data;
		done_urbs = g_list_delete_link(done_urbs, done_urbs);
	} else if (in_urbs) {
		sim_core_tick(core, wall_ms());
		struct usbdevfs_urb *urb = (struct usbdevfs_urb *)((UMockdevIoctlData *)in_urbs->data)->data;
		UMockdevIoctlData *buf = umockdev_ioctl_data_resolve(in_urbs->data,
			G_STRUCT_OFFSET(struct usbdevfs_urb, buffer), (gsize)urb->buffer_length, NULL);
		size_t n = sim_core_take_output(core, buf->data, (size_t)urb->buffer_length);
		g_object_unref(buf);
		if (n) {
			ud = in_urbs->data;
			in_urbs = g_list_delete_link(in_urbs, in_urbs);
			urb->actual_length = (int)n;
			urb->status = 0;
			n_in_urbs_done++;
		}
	}
	if (!ud) {
		/* libusb busy-polls here (the usbfs node is a plain file under umockdev);
		 * a short pause keeps the request rate sane for the preload's socket */
		pthread_mutex_unlock(&mu);
		g_usleep(500);
		pthread_mutex_lock(&mu);
		umockdev_ioctl_client_complete(client, -1, EAGAIN);
		return;
	}
	reap_reply(client, arg, ud);
	g_object_unref(ud);
}

static gboolean on_ioctl(UMockdevIoctlBase *h, UMockdevIoctlClient *client, gpointer unused)
{
	(void)h; (void)unused;
	gulong req = umockdev_ioctl_client_get_request(client);
	UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(client);
	gboolean handled = TRUE;
	static int trace = -1;
	if (trace < 0)
		trace = getenv("PINPAD_USB_TRACE") != NULL;
	if (trace)
		fprintf(stderr, "ioctl 0x%lx\n", req);
	pthread_mutex_lock(&mu);
	if (unplugged) {
		/* as usbfs after a disconnect (CAP_REAP_AFTER_DISCONNECT): URBs in flight are
		 * still reaped, with -ESHUTDOWN; everything else fails with ENODEV */
		if ((req == USBDEVFS_REAPURB || req == USBDEVFS_REAPURBNDELAY) && done_urbs) {
			UMockdevIoctlData *ud = done_urbs->data;
			done_urbs = g_list_delete_link(done_urbs, done_urbs);
			reap_reply(client, arg, ud);
			g_object_unref(ud);
		} else {
			umockdev_ioctl_client_complete(client, -1, ENODEV);
		}
		goto out;
	}
	switch (req) {
	case USBDEVFS_GET_CAPABILITIES: {
		UMockdevIoctlData *d = umockdev_ioctl_data_resolve(arg, 0, sizeof(guint32), NULL);
		*(guint32 *)d->data = USBDEVFS_CAP_BULK_CONTINUATION | USBDEVFS_CAP_NO_PACKET_SIZE_LIM |
				      USBDEVFS_CAP_REAP_AFTER_DISCONNECT | USBDEVFS_CAP_ZERO_PACKET;
		umockdev_ioctl_client_complete(client, 0, 0);
		g_object_unref(d);
		break;
	}
	case USBDEVFS_CLAIMINTERFACE:
	case USBDEVFS_RELEASEINTERFACE:
	case USBDEVFS_DISCONNECT_CLAIM:
	case USBDEVFS_CLEAR_HALT:
	case USBDEVFS_RESET:
	case USBDEVFS_RESETEP:
	case USBDEVFS_SETCONFIGURATION:
		umockdev_ioctl_client_complete(client, 0, 0);
		break;
	case USBDEVFS_GETDRIVER:
	case USBDEVFS_IOCTL: /* no kernel driver bound: nothing to detach */
		umockdev_ioctl_client_complete(client, -1, ENODATA);
		break;
	case USBDEVFS_SUBMITURB:
		submit_urb(client, arg);
		break;
	case USBDEVFS_REAPURB:
	case USBDEVFS_REAPURBNDELAY:
		reap_urb(client, arg);
		break;
	case USBDEVFS_DISCARDURB: {
		GList *l = g_list_find_custom(in_urbs, *(void **)arg->data, cmp_addr);
		if (l) {
			discarded = g_list_append(discarded, l->data);
			in_urbs = g_list_delete_link(in_urbs, l);
			umockdev_ioctl_client_complete(client, 0, 0);
		} else {
			umockdev_ioctl_client_complete(client, -1, EINVAL);
		}
		break;
	}
	default:
		fprintf(stderr, "pinpad_usb: unhandled ioctl 0x%lx\n", req);
		handled = FALSE;
		break;
	}
out:
	pthread_mutex_unlock(&mu);
	return handled;
}

static void set_unplugged(bool v)
{
	pthread_mutex_lock(&mu);
	unplugged = v;
	if (v) {
		/* the kernel completes every URB in flight when the device goes */
		for (GList *l = in_urbs; l; l = l->next) {
			struct usbdevfs_urb *urb = (struct usbdevfs_urb *)((UMockdevIoctlData *)l->data)->data;
			urb->status = -ESHUTDOWN;
			urb->actual_length = 0;
		}
		for (GList *l = discarded; l; l = l->next)
			((struct usbdevfs_urb *)((UMockdevIoctlData *)l->data)->data)->status = -ENOENT;
		done_urbs = g_list_concat(g_list_concat(done_urbs, discarded), in_urbs);
		in_urbs = discarded = NULL;
	}
	pthread_mutex_unlock(&mu);
}

static void knobs(const char *line)
{
	char err[128];
	pthread_mutex_lock(&mu);
	if (sim_core_knobs(core, line, err, sizeof err) != 0)
		fprintf(stderr, "knob error: %s\n", err);
	pthread_mutex_unlock(&mu);
}

#define CHECK(cond) do { if (cond) pass++; else { fail++; \
	fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); } } while (0)

static struct kpp_client *new_client(uint16_t vid, uint16_t pid)
{
	struct transport_usb_cfg cfg = { .vid = vid, .pid = pid };
	struct kpp_timeouts to;
	kpp_timeouts_default(&to);
	to.t_ack_ms = 300;
	to.t_resp_ms = 1500;
	to.silence_ms = 800;
	to.online_extra_ms = 2000;
	to.ms_per_s = 10;
	return kpp_client_new(transport_usb_new(&cfg), &to);
}

static void test_enumeration(void)
{
	struct transport_usb_cfg cfg = { .vid = 0x1209, .pid = 0x7fff };
	struct transport *t = transport_usb_new(&cfg);
	CHECK(transport_open(t) == TRANSPORT_ENODEV);
	transport_destroy(t);
	cfg.pid = 0x7001;
	t = transport_usb_new(&cfg);
	CHECK(transport_open(t) == 0);
	CHECK(strcmp(t->desc, "usb 1209:7001") == 0);
	/* nothing arrives: read waits its timeout and returns 0 */
	uint8_t b[64];
	int64_t t0 = wall_ms();
	CHECK(transport_read(t, b, sizeof b, 150) == 0);
	int64_t dt = wall_ms() - t0;
	CHECK(dt >= 140 && dt < 1000);
	transport_close(t);
	/* the IN URB was discarded on close, and reopening works */
	CHECK(transport_open(t) == 0);
	transport_destroy(t);
}

static void test_sale_round_trip(void)
{
	struct kpp_client *c = new_client(0x1209, 0x7001);
	static struct kpp_msg m;
	CHECK(kpp_client_open(c) == KPP_OK);
	CHECK(kpp_client_hello(c, &m) == KPP_OK && m.result == KPP_RES_OK);
	CHECK(strcmp(m.tid, "12345678") == 0);
	struct kpp_sale_req rq = { .txn_id = "U-1", .amount = 12345, .currency = "643" };
	int out_before = n_out_urbs;
	CHECK(kpp_client_sale(c, &rq, NULL, NULL, &m) == KPP_OK);
	CHECK(m.result == KPP_RES_OK && m.txn_state == KPP_TS_APPROVED_PENDING_CONFIRM);
	CHECK(strcmp(m.masked_pan, "220220******1234") == 0);
	CHECK(n_out_urbs > out_before);
	CHECK(kpp_client_confirm(c, "U-1", &m) == KPP_OK && m.txn_state == KPP_TS_APPROVED_CONFIRMED);
	/* frames split across transfers, then several frames in one transfer */
	knobs("split=5");
	int in_before = n_in_urbs_done;
	CHECK(kpp_client_txn_status(c, "U-1", &m) == KPP_OK && m.txn_state == KPP_TS_APPROVED_CONFIRMED);
	CHECK(n_in_urbs_done - in_before > 10);
	knobs("split=0 coalesce=1");
	rq.txn_id = "U-2";
	CHECK(kpp_client_sale(c, &rq, NULL, NULL, &m) == KPP_OK && m.result == KPP_RES_OK);
	knobs("coalesce=0");
	kpp_client_free(c);
}

/* A CDC-ACM PIN-pad driven through libusb: the data interface (class 0x0A, #1) is claimed,
 * and DTR|RTS goes to the comm interface (#0) before any data. */
static void test_cdc_class(void)
{
	struct transport_usb_cfg cfg = { .vid = 0x1209, .pid = 0x7002 };
	struct kpp_timeouts to;
	kpp_timeouts_default(&to);
	to.t_ack_ms = 300;
	to.t_resp_ms = 1500;
	struct kpp_client *c = kpp_client_new(transport_usb_new(&cfg), &to);
	static struct kpp_msg m;
	memset(last_class_setup, 0, sizeof last_class_setup);
	CHECK(kpp_client_open(c) == KPP_OK);
	static const uint8_t want[8] = { 0x21, 0x22, 3, 0, 0, 0, 0, 0 };
	CHECK(memcmp(last_class_setup, want, 8) == 0);
	CHECK(kpp_client_hello(c, &m) == KPP_OK && m.result == KPP_RES_OK);
	kpp_client_free(c);
	/* a printer-only preference does not match a PIN-pad */
	struct transport_usb_cfg pc = { .vid = 0x1209, .pid = 0x7002, .classes = { TRANSPORT_USB_PRINTER } };
	struct transport *t = transport_usb_new(&pc);
	CHECK(transport_open(t) == TRANSPORT_ENODEV);
	transport_destroy(t);
}

/* The same transport as a printer's (class 7, bulk OUT only): bytes out, status by the
 * class request, read() only waits. */
static void test_printer_class(void)
{
	struct transport_usb_cfg cfg = { .vid = 0x1209, .pid = 0x7003, .classes = { TRANSPORT_USB_PRINTER } };
	struct transport *t = transport_usb_new(&cfg);
	CHECK(transport_open(t) == 0);
	nprinted = 0;
	CHECK(transport_write(t, (const uint8_t *)"\x1b@Hello\n", 8, 1000) == 0);
	CHECK(nprinted == 8 && memcmp(printed, "\x1b@Hello\n", 8) == 0);
	uint8_t st = 0;
	CHECK(transport_usb_printer_status(t, &st) == 0 && st == 0x18);
	uint8_t b[16];
	CHECK(transport_read(t, b, sizeof b, 100) == 0);
	transport_destroy(t);
	/* not a printer transport */
	cfg.pid = 0x7001;
	cfg.classes[0] = 0;
	t = transport_usb_new(&cfg);
	CHECK(transport_open(t) == 0);
	CHECK(transport_usb_printer_status(t, &st) == TRANSPORT_EIO);
	transport_destroy(t);
}

struct unplug_arg { int after_ms, for_ms; };
static void *unplugger(void *p)
{
	struct unplug_arg *a = p;
	usleep((useconds_t)a->after_ms * 1000);
	set_unplugged(true);
	usleep((useconds_t)a->for_ms * 1000);
	set_unplugged(false);
	return NULL;
}

static void test_unplug_mid_sale(void)
{
	struct kpp_client *c = new_client(0x1209, 0x7001);
	static struct kpp_msg m;
	CHECK(kpp_client_open(c) == KPP_OK);
	CHECK(kpp_client_hello(c, &m) == KPP_OK);
	knobs("delay=1500 event_ms=100");
	struct unplug_arg a = { 300, 600 };
	pthread_t th;
	pthread_create(&th, NULL, unplugger, &a);
	struct kpp_sale_req rq = { .txn_id = "U-3", .amount = 500, .currency = "643" };
	int rc = kpp_client_sale(c, &rq, NULL, NULL, &m);
	CHECK(rc == KPP_EGONE);
	/* the owner reopens with backoff until the device is back, then HELLO + TXN_STATUS */
	kpp_client_close(c);
	int tries = 0;
	while (kpp_client_open(c) != KPP_OK && tries++ < 40)
		usleep(50 * 1000);
	pthread_join(th, NULL);
	CHECK(tries > 0);
	CHECK(kpp_client_hello(c, &m) == KPP_OK);
	CHECK(strcmp(m.current_txn_id, "U-3") == 0);
	CHECK(kpp_client_txn_status(c, "U-3", &m) == KPP_OK && m.result == KPP_RES_OK);
	CHECK(m.txn_state == KPP_TS_IN_PROGRESS || m.txn_state == KPP_TS_APPROVED_PENDING_CONFIRM);
	usleep(1500 * 1000);
	CHECK(kpp_client_txn_status(c, "U-3", &m) == KPP_OK &&
	      m.txn_state == KPP_TS_APPROVED_PENDING_CONFIRM);
	kpp_client_free(c);
}

int main(void)
{
	core = calloc(1, sizeof *core);
	sim_core_init(core);
	knobs("delay=150 event_ms=50 t_ack_ms=300");
	UMockdevTestbed *tb = umockdev_testbed_new();
	UMockdevIoctlBase *h = umockdev_ioctl_base_new();
	g_signal_connect(h, "handle-ioctl", G_CALLBACK(on_ioctl), NULL);
	GError *err = NULL;
	/* the handler first: libusb may open the node as soon as the device appears */
	if (!umockdev_testbed_attach_ioctl(tb, DEVNODE, h, &err)) {
		fprintf(stderr, "attach_ioctl: %s\n", err->message);
		return 1;
	}
	if (!umockdev_testbed_add_from_string(tb,
		"P: /devices/pci0000:00/usb1/1-1\n"
		"N: bus/usb/001/002\n"
		"E: SUBSYSTEM=usb\n"
		"E: DEVTYPE=usb_device\n"
		"E: BUSNUM=001\n"
		"E: DEVNUM=002\n"
		"E: DEVNAME=/dev/bus/usb/001/002\n"
		"A: busnum=1\\n\n"
		"A: devnum=2\\n\n"
		"A: speed=12\\n\n"
		"A: bConfigurationValue=1\\n\n"
		"H: descriptors=12010002000000400912017000010102030109022000010100803209040000"
		"02ff0000000705810240000007050202400000\n", &err)) {
		fprintf(stderr, "add_from_string: %s\n", err->message);
		return 1;
	}
	if (!umockdev_testbed_attach_ioctl(tb, "/dev/bus/usb/001/003", h, &err) ||
	    !umockdev_testbed_add_from_string(tb,
		"P: /devices/pci0000:00/usb1/1-2\n"
		"N: bus/usb/001/003\n"
		"E: SUBSYSTEM=usb\n"
		"E: DEVTYPE=usb_device\n"
		"E: BUSNUM=001\n"
		"E: DEVNUM=003\n"
		"E: DEVNAME=/dev/bus/usb/001/003\n"
		"A: busnum=1\\n\n"
		"A: devnum=3\\n\n"
		"A: speed=12\\n\n"
		"A: bConfigurationValue=1\\n\n"
		"H: descriptors=120100020200004009120270000101020301"
		"09023000020100803209040000010202010007058303080010"
		"09040100020a0000000705810240000007050202400000\n", &err)) {
		fprintf(stderr, "CDC device: %s\n", err ? err->message : "?");
		return 1;
	}
	if (!umockdev_testbed_attach_ioctl(tb, PRINTER_NODE, h, &err) ||
	    !umockdev_testbed_add_from_string(tb,
		"P: /devices/pci0000:00/usb1/1-3\n"
		"N: bus/usb/001/004\n"
		"E: SUBSYSTEM=usb\n"
		"E: DEVTYPE=usb_device\n"
		"E: BUSNUM=001\n"
		"E: DEVNUM=004\n"
		"E: DEVNAME=/dev/bus/usb/001/004\n"
		"A: busnum=1\\n\n"
		"A: devnum=4\\n\n"
		"A: speed=12\\n\n"
		"A: bConfigurationValue=1\\n\n"
		"H: descriptors=120100020000004009120370000101020301"
		"09021900010100803209040000010701010007050202400000\n", &err)) {
		fprintf(stderr, "printer device: %s\n", err ? err->message : "?");
		return 1;
	}
	test_enumeration();
	test_cdc_class();
	test_printer_class();
	test_sale_round_trip();
	test_unplug_mid_sale();
	printf("control transfers: %d, OUT URBs: %d, IN URBs completed: %d\n", n_control, n_out_urbs,
	       n_in_urbs_done);
	printf("%d passed, %d failed\n", pass, fail);
	g_object_unref(h);
	g_object_unref(tb);
	free(core);
	return fail ? 1 : 0;
}
