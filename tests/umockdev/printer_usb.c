/* umockdev test of the ESC/POS printer over libusb bulk endpoints: status by DLE EOT
 * (bulk OUT query, bulk IN answer), receipt bytes by bulk OUT, paper out (before and in the
 * middle of a receipt: reprinted whole), unplug, replug; GET_PORT_STATUS over endpoint 0.
 * The transport is the shared drivers/transport_usb.c (transports.h).
 * Run under umockdev-wrapper (tests/check/printer_usb.sh).  Prints "N passed, N failed". */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "drivers/printer_escpos.h"
#include "drivers/printer_service.h"
#include "kiosk/base/log.h"
#include "drivers/transports.h"
#include "tests/umockdev/usbmock.h"

#define VID 0x0416
#define PID 0x5011

/* 0416:5011, interface 0 class 07 (printer) protocol 2 (bidirectional), bulk IN 0x81 and
 * bulk OUT 0x02, 64 bytes. */
static const char descriptors[] =
	"120100020000004016041150000101020301"
	"090220000101008032"
	"090400000207010200"
	"07058102400000"
	"07050202400000";

static struct transport *make_transport(void)
{
	struct transport_usb_cfg c = { .vid = VID, .pid = PID, .classes = { TRANSPORT_USB_PRINTER } };
	return transport_usb_new(&c);
}

static int passed, failed;
#define CHECK(cond) do { if (cond) passed++; else { failed++; \
	fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); } } while (0)

/* ---------------------------------------------------------------- fake printer core */

struct fake {
	pthread_mutex_t mu;
	bool paper_out;
	long out_after;       /* >= 0: the roll ends after this many more printed bytes */
	int st;               /* DLE EOT parser state */
	uint8_t printed[1 << 16];
	size_t nprinted;
	int queries;
};

static size_t fake_out(void *ud, const uint8_t *d, size_t n, uint8_t *reply, size_t cap)
{
	struct fake *f = ud;
	size_t r = 0;
	pthread_mutex_lock(&f->mu);
	for (size_t i = 0; i < n; i++) {
		uint8_t c = d[i];
		if (f->st == 2) {
			f->queries++;
			uint8_t b = 0x12;
			if (f->paper_out)
				b |= c == 1 ? 0x08 : c == 2 ? 0x20 : c == 4 ? 0x60 : 0;
			if (r < cap)
				reply[r++] = b;
			f->st = 0;
			continue;
		}
		if (f->st == 1 && c == 0x04) {
			f->st = 2;
			continue;
		}
		f->st = 0;
		if (c == 0x10) {
			f->st = 1;
			continue;
		}
		if (f->paper_out)
			continue;
		if (f->out_after == 0) {
			f->paper_out = true;
			f->out_after = -1;
			continue;
		}
		if (f->out_after > 0)
			f->out_after--;
		if (f->nprinted < sizeof f->printed)
			f->printed[f->nprinted++] = c;
	}
	pthread_mutex_unlock(&f->mu);
	return r;
}

/* Endpoint 0, printer class requests (USB printer class 1.1 §4.2); the standard ones, such
 * as the GET_STATUS with which the transport checks an idle device is still there, are
 * answered by usbmock. */
static int fake_control(void *ud, const uint8_t setup[8], uint8_t *data, size_t len)
{
	struct fake *f = ud;
	static const char id[] = "MFG:Kiosk Test;CMD:ESC/POS;MDL:TP-80;CLS:PRINTER;";
	int r = -1;
	pthread_mutex_lock(&f->mu);
	if (setup[0] == 0xA1 && setup[1] == 0x00 && setup[5] == 0) {
		/* GET_DEVICE_ID (wIndex: interface << 8 | alternate setting): IEEE 1284 device
		 * ID, a big-endian length that counts itself first */
		uint8_t b[2 + sizeof id - 1] = { 0, (uint8_t)(sizeof b) };
		memcpy(b + 2, id, sizeof id - 1);
		r = (int)(len < sizeof b ? len : sizeof b);
		memcpy(data, b, (size_t)r);
	} else if (setup[0] == 0xA1 && setup[1] == 0x01 && setup[4] == 0 && len >= 1) {
		/* GET_PORT_STATUS: selected; not error (bit 3) unless the paper is out (bit 5) */
		data[0] = f->paper_out ? 0x30 : 0x18;
		r = 1;
	} else if ((setup[0] == 0x21 || setup[0] == 0x23) && setup[1] == 0x02) {
		f->st = 0; /* SOFT_RESET */
		r = 0;
	}
	pthread_mutex_unlock(&f->mu);
	return r;
}

/* ---------------------------------------------------------------- observations */

struct seen {
	pthread_mutex_t mu;
	enum printer_state state;
	bool saw[PRINTER_OFFLINE + 1];
	int njobs;
	enum printer_outcome outcome;
};

static void on_state(void *ud, enum printer_state st)
{
	struct seen *s = ud;
	pthread_mutex_lock(&s->mu);
	s->state = st;
	s->saw[st] = true;
	pthread_mutex_unlock(&s->mu);
}

static void on_job(void *ud, uint64_t id, enum printer_outcome o, int attempts)
{
	struct seen *s = ud;
	(void)id; (void)attempts;
	pthread_mutex_lock(&s->mu);
	s->njobs++;
	s->outcome = o;
	pthread_mutex_unlock(&s->mu);
}

static struct seen seen;
static struct printer_service *svc;

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

static bool wait_state(enum printer_state st, int ms)
{
	for (int t = 0; t <= ms; t += 10) {
		if (printer_service_state(svc) == st)
			return true;
		sleep_ms(10);
	}
	return false;
}

static bool wait_jobs(int n, int ms)
{
	for (int t = 0; t <= ms; t += 10) {
		pthread_mutex_lock(&seen.mu);
		int k = seen.njobs;
		pthread_mutex_unlock(&seen.mu);
		if (k >= n)
			return true;
		sleep_ms(10);
	}
	return false;
}

static void receipt(struct receipt_doc *d)
{
	receipt_doc_init(d);
	receipt_doc_text(d, RDOC_CENTER, RDOC_BOLD, "Квитанция №1");
	receipt_doc_pair(d, 0, "Итого", "512,00 ₽");
	receipt_doc_qr(d, "ST00012|Name=Test");
	receipt_doc_cut(d, false);
}

static void set_paper_out(struct fake *f, bool out)
{
	pthread_mutex_lock(&f->mu);
	f->paper_out = out;
	pthread_mutex_unlock(&f->mu);
}

/* The printer service over ESC/POS on the USB transport, with short waits; pc: the
 * driver's options, which the test renders its expected bytes with. */
static void start_service(struct printer_escpos_cfg *pc)
{
	printer_escpos_cfg_default(pc);
	pc->reply_timeout_ms = 200;
	pc->settle_ms = 20;
	struct printer_service_cfg c;
	printer_service_cfg_default(&c);
	c.dev = printer_escpos_new(make_transport(), pc);
	c.poll_ms = 50;
	c.paper_wait_ms = 1500;
	c.on_state = on_state;
	c.on_job = on_job;
	c.ud = &seen;
	svc = printer_service_start(&c);
}

/* The printer class port status over endpoint 0, as the transport reads it: selected, no
 * error (0x18); then paper out (0x30). */
static void check_port_status(struct fake *f)
{
	struct transport *t = make_transport();
	uint8_t st = 0;
	CHECK(transport_open(t) == 0);
	CHECK(transport_usb_printer_status(t, &st) == 0 && st == 0x18);
	set_paper_out(f, true);
	CHECK(transport_usb_printer_status(t, &st) == 0 && st == 0x30);
	transport_destroy(t);
}

int main(void)
{
	log_set_level(LOG_LVL_ERROR);
	const char *pre = getenv("LD_PRELOAD");
	if (!pre || !strstr(pre, "umockdev")) {
		fprintf(stderr, "run me under umockdev-wrapper\n");
		return 2;
	}
	static struct fake f;
	pthread_mutex_init(&f.mu, NULL);
	f.out_after = -1;
	pthread_mutex_init(&seen.mu, NULL);
	struct usbmock *m = usbmock_new(descriptors);
	usbmock_set_out_hook(m, fake_out, &f, 0x81);
	usbmock_set_control_hook(m, fake_control, &f);
	usbmock_plug(m);

	struct printer_escpos_cfg pc;
	start_service(&pc);

	CHECK(wait_state(PRINTER_OK, 5000));
	CHECK(usbmock_claims(m) == 1);

	/* a receipt: exactly its ESC/POS bytes went out by bulk OUT */
	struct receipt_doc d;
	receipt(&d);
	CHECK(printer_service_submit(svc, &d, "K1-0001") > 0);
	CHECK(wait_jobs(1, 5000));
	CHECK(seen.outcome == PRINTER_PRINTED);
	struct receipt_doc want_doc;
	receipt(&want_doc);
	struct escpos_buf want;
	escpos_buf_init(&want, 0);
	escpos_render(&want, &want_doc, &pc.opts);
	pthread_mutex_lock(&f.mu);
	CHECK(f.nprinted == want.len && memcmp(f.printed, want.data, want.len) == 0);
	CHECK(f.queries >= 8); /* four before and four after the receipt */
	pthread_mutex_unlock(&f.mu);

	/* paper out is read through bulk IN, and a job then fails after paper_wait_ms */
	set_paper_out(&f, true);
	CHECK(wait_state(PRINTER_PAPER_OUT, 5000));
	receipt(&d);
	CHECK(printer_service_submit(svc, &d, "K1-0002") > 0);
	CHECK(wait_jobs(2, 5000));
	CHECK(seen.outcome == PRINTER_FAILED_PAPER_OUT);
	set_paper_out(&f, false);
	CHECK(wait_state(PRINTER_OK, 5000));

	/* the roll ends 30 bytes into a receipt: reported, and once paper is back the receipt
	 * is printed again from its first byte */
	pthread_mutex_lock(&f.mu);
	f.nprinted = 0;
	f.out_after = 30;
	pthread_mutex_unlock(&f.mu);
	receipt(&d);
	CHECK(printer_service_submit(svc, &d, "K1-0003") > 0);
	CHECK(wait_state(PRINTER_PAPER_OUT, 5000));
	sleep_ms(100);
	pthread_mutex_lock(&seen.mu);
	CHECK(seen.njobs == 2); /* not reported as printed */
	pthread_mutex_unlock(&seen.mu);
	set_paper_out(&f, false);
	CHECK(wait_jobs(3, 5000));
	CHECK(seen.outcome == PRINTER_PRINTED);
	pthread_mutex_lock(&f.mu);
	CHECK(f.nprinted == 30 + want.len && memcmp(f.printed, want.data, 30) == 0 &&
	      memcmp(f.printed + 30, want.data, want.len) == 0);
	pthread_mutex_unlock(&f.mu);

	/* unplugged: offline, and a job fails offline instead of "printing" into nothing */
	usbmock_unplug(m);
	CHECK(wait_state(PRINTER_OFFLINE, 5000));
	receipt(&d);
	CHECK(printer_service_submit(svc, &d, "K1-0004") > 0);
	CHECK(wait_jobs(4, 5000));
	CHECK(seen.outcome == PRINTER_FAILED_OFFLINE);

	/* plugged back: the transport is reopened and claimed again */
	usbmock_plug(m);
	CHECK(wait_state(PRINTER_OK, 5000));
	CHECK(usbmock_claims(m) == 2);

	printer_service_stop(svc);

	check_port_status(&f);

	escpos_buf_free(&want);
	receipt_doc_free(&want_doc);
	usbmock_free(m);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
