/* umockdev test of the HID-POS scanner over real libusb (drivers/scanner_usb.c) and the
 * scanner service: enumeration by VID:PID, claim, a multi-report symbol by interrupt IN,
 * unplug (ABSENT, half a symbol forgotten), reconnect after replug.
 * Run under umockdev-wrapper (tests/check/scanner_usb.sh).  Prints "N passed, N failed". */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <umockdev.h>

#include "drivers/scanner_hidpos.h"
#include "drivers/scanner_service.h"
#include "drivers/scanner_usb.h"
#include "kiosk/base/log.h"
#include "tests/umockdev/usbmock.h"

#define VID 0x0c2e
#define PID 0x0b61
#define EP_IN 0x81

/* Device 0c2e:0b61, a composite scanner: interface 0 a HID boot keyboard (interrupt IN
 * 0x82, 8 bytes), interface 1 HID-POS (interrupt IN 0x81, 64 bytes). */
static const char descriptors[] =
	"12010002000000402e0c610b000101020301"
	"09023b000201008032"
	"090400000103010100" "092111010001223f00" "0705820308000a"
	"090401000103000000" "092111010001223000" "07058103400001";

#define EP_KBD 0x82

static int passed, failed;

#define CHECK(cond) do { if (cond) passed++; else { failed++; \
	fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); } } while (0)

struct seen {
	pthread_mutex_t mu;
	char sym[8][512];
	int nsym;
	enum scanner_state state;
	int nstates;
};

static void on_symbol(void *ud, const uint8_t *d, size_t n, const char *aim)
{
	struct seen *s = ud;
	(void)aim;
	pthread_mutex_lock(&s->mu);
	if (s->nsym < 8 && n < 512) {
		memcpy(s->sym[s->nsym], d, n);
		s->sym[s->nsym][n] = 0;
		s->nsym++;
	}
	pthread_mutex_unlock(&s->mu);
}

static void on_state(void *ud, enum scanner_state st)
{
	struct seen *s = ud;
	pthread_mutex_lock(&s->mu);
	s->state = st;
	s->nstates++;
	pthread_mutex_unlock(&s->mu);
}

static int nsym(struct seen *s)
{
	pthread_mutex_lock(&s->mu);
	int n = s->nsym;
	pthread_mutex_unlock(&s->mu);
	return n;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

static bool wait_for(bool (*cond)(void *), void *arg, int ms)
{
	for (int t = 0; t < ms; t += 10) {
		if (cond(arg))
			return true;
		sleep_ms(10);
	}
	return cond(arg);
}

static enum scanner_state want_state;
static struct scanner_service *svc;
static bool state_is(void *arg) { (void)arg; return scanner_service_state(svc) == want_state; }
static int want_nsym;
static bool nsym_is(void *arg) { return nsym(arg) >= want_nsym; }

static void report(struct usbmock *m, const char *data, size_t l, const char *aim, int more)
{
	uint8_t r[64] = { HIDPOS_REPORT_ID, (uint8_t)l };
	memcpy(r + 2, data, l);
	if (aim)
		memcpy(r + 60, aim, 3);
	r[63] = (uint8_t)more;
	usbmock_queue_in(m, EP_IN, r, sizeof r);
}

/* A 130-byte EPD payload + CRLF in three interrupt transfers: one symbol, whole. */
static void check_long_symbol(struct usbmock *m, struct seen *s)
{
	char sym[133];
	memset(sym, 'z', sizeof sym);
	memcpy(sym, "ST00012|Name=TSZh|PersonalAcc=40702810000000000001|", 51);
	memcpy(sym + 130, "\r\n", 2);
	sym[132] = 0;
	report(m, sym, 58, "]Q1", 1);
	report(m, sym + 58, 58, NULL, 1);
	report(m, sym + 116, 16, NULL, 0);
	want_nsym = 1;
	CHECK(wait_for(nsym_is, s, 5000));
	CHECK(nsym(s) == 1 && strlen(s->sym[0]) == 130 && memcmp(s->sym[0], sym, 130) == 0);
}

int main(void)
{
	log_set_level(LOG_LVL_WARN);
	const char *pre = getenv("LD_PRELOAD");
	if (!pre || !strstr(pre, "umockdev")) {
		fprintf(stderr, "run me under umockdev-wrapper\n");
		return 2;
	}
	struct usbmock *m = usbmock_new(descriptors);
	usbmock_plug(m);

	static struct seen s;
	pthread_mutex_init(&s.mu, NULL);
	struct scanner_usb_cfg uc = { .vid = VID, .pid = PID, .iface_class = 0x03 };
	uint16_t v = 0, p = 0;
	CHECK(scanner_usb_parse_id("0c2e:0b61", &v, &p) == 0 && v == VID && p == PID);
	CHECK(scanner_usb_parse_id("0c2e-0b61", &v, &p) == -1);
	struct scanner_service_cfg c;
	scanner_service_cfg_default(&c);
	c.t = scanner_usb_new(&uc);
	c.mode = SCANNER_MODE_HIDPOS;
	c.suffix[0] = '\r';
	c.suffix[1] = '\n';
	c.suffix_len = 2;
	c.backoff_min_ms = 20;
	c.backoff_max_ms = 200;
	c.on_symbol = on_symbol;
	c.on_state = on_state;
	c.ud = &s;
	svc = scanner_service_start(&c);

	want_state = SCANNER_STATE_OK;
	CHECK(wait_for(state_is, NULL, 5000));
	CHECK(usbmock_claims(m) == 1);

	/* a 130-byte EPD payload + CRLF in three interrupt transfers */
	check_long_symbol(m, &s);

	/* half a symbol, then the cable is pulled */
	report(m, "HALF", 4, NULL, 1);
	sleep_ms(200);
	CHECK(usbmock_pending_in(m, EP_IN) == 0);
	usbmock_unplug(m);
	want_state = SCANNER_STATE_ABSENT;
	CHECK(wait_for(state_is, NULL, 5000));
	sleep_ms(300); /* a few reconnect attempts against no device */
	CHECK(scanner_service_state(svc) == SCANNER_STATE_ABSENT);

	/* plugged back: the service reopens and claims again; the half symbol is gone */
	usbmock_plug(m);
	want_state = SCANNER_STATE_OK;
	CHECK(wait_for(state_is, NULL, 5000));
	CHECK(usbmock_claims(m) == 2);
	report(m, "]E04600000000000\r\n", 18, NULL, 0);
	want_nsym = 2;
	CHECK(wait_for(nsym_is, &s, 5000));
	CHECK(nsym(&s) == 2 && strcmp(s.sym[1], "4600000000000") == 0);

	scanner_service_stop(svc);

	/* The wedge fallback on the same device: the boot keyboard interface is chosen and
	 * switched to the boot protocol; keys come from its endpoint, not the HID-POS one. */
	uint8_t junk[4096];
	usbmock_take_out(m, junk, sizeof junk);
	report(m, "POS", 3, NULL, 0);   /* must stay unread: wrong interface for a wedge */
	uc.keyboard = true;
	c.t = scanner_usb_new(&uc);
	c.mode = SCANNER_MODE_WEDGE;
	c.suffix_len = 0;
	svc = scanner_service_start(&c);
	want_state = SCANNER_STATE_OK;
	CHECK(wait_for(state_is, NULL, 5000));
	CHECK(usbmock_claims(m) == 3);
	uint8_t out[4096];
	size_t nout = usbmock_take_out(m, out, sizeof out);
	static const uint8_t set_boot[8] = { 0x21, 0x0B, 0, 0, 0, 0, 0, 0 }; /* SET_PROTOCOL boot, iface 0 */
	CHECK(nout >= 8 && memmem(out, nout, set_boot, 8) != NULL);
	static const uint8_t keys[][8] = {
		{ 0x02, 0, 0x16 }, { 0 }, { 0, 0, 0x1E }, { 0 }, { 0, 0, 0x1F }, { 0 }, { 0, 0, 0x28 }, { 0 },
	};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		usbmock_queue_in(m, EP_KBD, keys[i], 8);
	want_nsym = 3;
	CHECK(wait_for(nsym_is, &s, 5000));
	CHECK(nsym(&s) == 3 && strcmp(s.sym[2], "S12") == 0);
	CHECK(usbmock_pending_in(m, EP_IN) == 1);
	scanner_service_stop(svc);

	usbmock_free(m);
	pthread_mutex_destroy(&s.mu);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
