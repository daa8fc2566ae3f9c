/* DLE EOT parsing and the printer service against a fake ESC/POS printer on a socketpair. */
#include <SDL.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "drivers/printer_escpos.h"
#include "drivers/printer_service.h"
#include "drivers/printer_status.h"
#include "kiosk/base/log.h"
#include "kiosk/base/pngio.h"
#include "tests/lib/test_fd_transport.h"

/* ---------------------------------------------------------------- pure parsing */

static void test_parse_ok(void **state)
{
	(void)state;
	struct printer_status s;
	assert_int_equal(printer_status_parse((const uint8_t[]){ 0x12, 0x12, 0x12, 0x12 }, &s), 0);
	assert_false(s.offline || s.cover_open || s.paper_out || s.near_end || s.error);
	assert_int_equal(printer_status_state(&s), PRINTER_OK);
}

static void test_parse_causes(void **state)
{
	(void)state;
	struct printer_status s;
	/* paper out: offline, "printing stopped by paper end", roll sensor bits 5,6 */
	assert_int_equal(printer_status_parse((const uint8_t[]){ 0x1A, 0x32, 0x12, 0x72 }, &s), 0);
	assert_true(s.offline);
	assert_true(s.paper_end_stop);
	assert_true(s.paper_out);
	assert_false(s.near_end);
	assert_int_equal(printer_status_state(&s), PRINTER_PAPER_OUT);
	/* near end only (bits 2,3 of n=4): still prints */
	assert_int_equal(printer_status_parse((const uint8_t[]){ 0x12, 0x12, 0x12, 0x1E }, &s), 0);
	assert_true(s.near_end);
	assert_int_equal(printer_status_state(&s), PRINTER_NEAR_END);
	/* cover open wins over paper out */
	assert_int_equal(printer_status_parse((const uint8_t[]){ 0x1A, 0x36, 0x12, 0x72 }, &s), 0);
	assert_true(s.cover_open);
	assert_int_equal(printer_status_state(&s), PRINTER_COVER_OPEN);
	/* cutter error (n=3 bit 3) with the error bit of n=2 */
	assert_int_equal(printer_status_parse((const uint8_t[]){ 0x1A, 0x52, 0x1A, 0x12 }, &s), 0);
	assert_true(s.cutter_error);
	assert_true(s.error);
	assert_int_equal(printer_status_state(&s), PRINTER_ERROR);
	/* unrecoverable and auto-recoverable */
	assert_int_equal(printer_status_parse((const uint8_t[]){ 0x12, 0x12, 0x32, 0x12 }, &s), 0);
	assert_true(s.unrecoverable);
	assert_int_equal(printer_status_state(&s), PRINTER_ERROR);
	assert_int_equal(printer_status_parse((const uint8_t[]){ 0x12, 0x12, 0x52, 0x12 }, &s), 0);
	assert_true(s.auto_recoverable);
	/* offline with no cause is not printable; offline while feeding by button is */
	assert_int_equal(printer_status_parse((const uint8_t[]){ 0x1A, 0x12, 0x12, 0x12 }, &s), 0);
	assert_int_equal(printer_status_state(&s), PRINTER_ERROR);
	assert_int_equal(printer_status_parse((const uint8_t[]){ 0x1A, 0x1A, 0x12, 0x12 }, &s), 0);
	assert_int_equal(printer_status_state(&s), PRINTER_OK);
}

static void test_parse_malformed(void **state)
{
	(void)state;
	struct printer_status s;
	memset(&s, 0xAB, sizeof s);
	/* bit 0 set, bit 7 set, bit 1 clear, bit 4 clear: each rejected, s untouched */
	static const uint8_t bad[][4] = {
		{ 0x13, 0x12, 0x12, 0x12 }, { 0x12, 0x92, 0x12, 0x12 },
		{ 0x12, 0x12, 0x10, 0x12 }, { 0x12, 0x12, 0x12, 0x02 }, { 0, 0, 0, 0 },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(printer_status_parse(bad[i], &s), -1);
	assert_int_equal(s.raw[0], 0xAB);
	assert_true(printer_status_byte_valid(0x12));
	assert_false(printer_status_byte_valid(0xFF));
	assert_string_equal(printer_state_name(PRINTER_PAPER_OUT), "paper_out");
}

/* ---------------------------------------------------------------- fake printer */

enum paper { P_OK, P_NEAR, P_OUT, P_COVER };

struct fake {
	int fd;
	pthread_t th;
	pthread_mutex_t mu;
	bool answer;
	enum paper paper;
	long out_after;       /* >= 0: the paper ends after this many more printed bytes */
	uint8_t printed[1 << 16];
	size_t nprinted;
	int queries;
	bool stop;
};

static uint8_t reply(struct fake *f, int n)
{
	bool out = f->paper == P_OUT, cover = f->paper == P_COVER;
	switch (n) {
	case 1: return 0x12 | ((out || cover) ? 0x08 : 0);
	case 2: return 0x12 | (cover ? 0x04 : 0) | (out ? 0x20 : 0);
	case 3: return 0x12;
	default: return 0x12 | (f->paper == P_NEAR ? 0x0C : 0) | (out ? 0x60 : 0);
	}
}

static void *fake_main(void *arg)
{
	struct fake *f = arg;
	int st = 0;
	for (;;) {
		pthread_mutex_lock(&f->mu);
		bool stop = f->stop;
		pthread_mutex_unlock(&f->mu);
		if (stop)
			break;
		struct pollfd p = { .fd = f->fd, .events = POLLIN };
		if (poll(&p, 1, 10) <= 0)
			continue;
		uint8_t buf[4096];
		ssize_t n = read(f->fd, buf, sizeof buf);
		if (n <= 0)
			break;
		pthread_mutex_lock(&f->mu);
		for (ssize_t i = 0; i < n; i++) {
			uint8_t c = buf[i];
			if (st == 2) {
				f->queries++;
				uint8_t r = reply(f, c);
				if (f->answer && write(f->fd, &r, 1) != 1)
					break;
				st = 0;
				continue;
			}
			if (st == 1) {
				if (c == 0x04) {
					st = 2;
					continue;
				}
				st = 0; /* a lone DLE was data */
			}
			if (c == 0x10) {
				st = 1;
				continue;
			}
			if (f->paper == P_OUT || f->paper == P_COVER)
				continue; /* the printer stopped; data is lost */
			if (f->out_after == 0) {
				f->paper = P_OUT;
				f->out_after = -1;
				continue;
			}
			if (f->out_after > 0)
				f->out_after--;
			if (f->nprinted < sizeof f->printed)
				f->printed[f->nprinted++] = c;
		}
		pthread_mutex_unlock(&f->mu);
	}
	return NULL;
}

struct events {
	pthread_mutex_t mu;
	enum printer_state states[64];
	int nstates;
	uint64_t job_id[16];
	enum printer_outcome outcome[16];
	int attempts[16];
	int njobs;
};

static void on_state(void *ud, enum printer_state st)
{
	struct events *e = ud;
	pthread_mutex_lock(&e->mu);
	if (e->nstates < 64)
		e->states[e->nstates++] = st;
	pthread_mutex_unlock(&e->mu);
}

static void on_job(void *ud, uint64_t id, enum printer_outcome o, int attempts)
{
	struct events *e = ud;
	pthread_mutex_lock(&e->mu);
	if (e->njobs < 16) {
		e->job_id[e->njobs] = id;
		e->outcome[e->njobs] = o;
		e->attempts[e->njobs] = attempts;
		e->njobs++;
	}
	pthread_mutex_unlock(&e->mu);
}

static bool saw_state(struct events *e, enum printer_state st)
{
	pthread_mutex_lock(&e->mu);
	bool r = false;
	for (int i = 0; i < e->nstates; i++)
		r |= e->states[i] == st;
	pthread_mutex_unlock(&e->mu);
	return r;
}

static int jobs(struct events *e)
{
	pthread_mutex_lock(&e->mu);
	int n = e->njobs;
	pthread_mutex_unlock(&e->mu);
	return n;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* Polls cond for up to 5 s. */
#define WAIT_FOR(cond) do { int waited_ = 0; \
	while (!(cond) && waited_ < 5000) { sleep_ms(5); waited_ += 5; } \
	assert_true(cond); } while (0)

struct rig {
	struct fake f;
	struct events ev;
	struct printer_service *svc;
	struct transport *t;
};

static const char *rig_logo; /* logo PNG for the next rig, or NULL */

static struct rig *rig_start(enum paper paper, bool answer, int paper_wait_ms)
{
	struct rig *r = calloc(1, sizeof *r);
	int sv[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	r->f.fd = sv[1];
	r->f.answer = answer;
	r->f.paper = paper;
	r->f.out_after = -1;
	pthread_mutex_init(&r->f.mu, NULL);
	pthread_mutex_init(&r->ev.mu, NULL);
	assert_int_equal(pthread_create(&r->f.th, NULL, fake_main, &r->f), 0);

	r->t = test_fd_transport_new(sv[0]);
	struct printer_escpos_cfg pc;
	printer_escpos_cfg_default(&pc);
	pc.reply_timeout_ms = 100;
	pc.settle_ms = 30;
	pc.logo_path = rig_logo;
	struct printer_service_cfg c;
	printer_service_cfg_default(&c);
	c.dev = printer_escpos_new(r->t, &pc);
	c.poll_ms = 40;
	c.paper_wait_ms = paper_wait_ms;
	c.on_state = on_state;
	c.on_job = on_job;
	c.ud = &r->ev;
	r->svc = printer_service_start(&c);
	assert_non_null(r->svc);
	return r;
}

static void rig_stop(struct rig *r)
{
	printer_service_stop(r->svc);
	pthread_mutex_lock(&r->f.mu);
	r->f.stop = true;
	pthread_mutex_unlock(&r->f.mu);
	pthread_join(r->f.th, NULL);
	close(r->f.fd);
	pthread_mutex_destroy(&r->f.mu);
	pthread_mutex_destroy(&r->ev.mu);
	free(r);
}

static void make_doc(struct receipt_doc *d, const char *title)
{
	receipt_doc_init(d);
	receipt_doc_text(d, RDOC_CENTER, RDOC_BOLD, title);
	receipt_doc_pair(d, 0, "Лицевой счёт", "1234567890");
	receipt_doc_pair(d, RDOC_BOLD, "Итого", "1 234,56 ₽");
	receipt_doc_separator(d);
	receipt_doc_cut(d, true);
}

static void expected_bytes(const char *title, struct escpos_buf *b)
{
	struct receipt_doc d;
	make_doc(&d, title);
	struct escpos_opts o;
	escpos_opts_default(&o);
	escpos_buf_init(b, 0);
	assert_int_equal(escpos_render(b, &d, &o), 0);
	receipt_doc_free(&d);
}

static size_t printed(struct rig *r, uint8_t *out, size_t cap)
{
	pthread_mutex_lock(&r->f.mu);
	size_t n = r->f.nprinted < cap ? r->f.nprinted : cap;
	memcpy(out, r->f.printed, n);
	pthread_mutex_unlock(&r->f.mu);
	return n;
}

static void set_paper(struct rig *r, enum paper p)
{
	pthread_mutex_lock(&r->f.mu);
	r->f.paper = p;
	pthread_mutex_unlock(&r->f.mu);
}

static void test_service_prints(void **state)
{
	(void)state;
	struct rig *r = rig_start(P_OK, true, 2000);
	struct receipt_doc d;
	make_doc(&d, "Квитанция");
	uint64_t id = printer_service_submit(r->svc, &d, "K1-0001");
	assert_true(id > 0);
	assert_int_equal(d.n, 0); /* taken over */
	WAIT_FOR(jobs(&r->ev) == 1);
	assert_int_equal(r->ev.job_id[0], id);
	assert_int_equal(r->ev.outcome[0], PRINTER_PRINTED);
	assert_int_equal(r->ev.attempts[0], 1);
	struct escpos_buf want;
	expected_bytes("Квитанция", &want);
	static uint8_t got[1 << 16];
	size_t n = printed(r, got, sizeof got);
	assert_int_equal(n, want.len);
	assert_memory_equal(got, want.data, n);
	assert_int_equal(printer_service_state(r->svc), PRINTER_OK);
	assert_false(saw_state(&r->ev, PRINTER_PAPER_OUT));
	escpos_buf_free(&want);
	rig_stop(r);
}

static void test_paper_out_mid_job_reprints_whole(void **state)
{
	(void)state;
	struct rig *r = rig_start(P_OK, true, 5000);
	WAIT_FOR(saw_state(&r->ev, PRINTER_OK));
	pthread_mutex_lock(&r->f.mu);
	r->f.out_after = 40; /* the roll ends 40 bytes into the receipt */
	pthread_mutex_unlock(&r->f.mu);
	struct receipt_doc d;
	make_doc(&d, "Чек");
	assert_true(printer_service_submit(r->svc, &d, "K1-0002") > 0);
	WAIT_FOR(saw_state(&r->ev, PRINTER_PAPER_OUT));
	sleep_ms(150);
	assert_int_equal(jobs(&r->ev), 0);  /* not "success": still waiting for paper */
	set_paper(r, P_OK);
	WAIT_FOR(jobs(&r->ev) == 1);
	assert_int_equal(r->ev.outcome[0], PRINTER_PRINTED);
	assert_int_equal(r->ev.attempts[0], 2);
	struct escpos_buf want;
	expected_bytes("Чек", &want);
	static uint8_t got[1 << 16];
	size_t n = printed(r, got, sizeof got);
	/* the torn first 40 bytes, then the whole receipt again from ESC @ */
	assert_int_equal(n, 40 + want.len);
	assert_memory_equal(got, want.data, 40);
	assert_memory_equal(got + 40, want.data, want.len);
	assert_true(saw_state(&r->ev, PRINTER_OK));
	escpos_buf_free(&want);
	rig_stop(r);
}

static void test_paper_never_back_fails(void **state)
{
	(void)state;
	struct rig *r = rig_start(P_OUT, true, 200);
	WAIT_FOR(saw_state(&r->ev, PRINTER_PAPER_OUT));
	struct receipt_doc d;
	make_doc(&d, "Чек");
	assert_true(printer_service_submit(r->svc, &d, "K1-0003") > 0);
	WAIT_FOR(jobs(&r->ev) == 1);
	assert_int_equal(r->ev.outcome[0], PRINTER_FAILED_PAPER_OUT);
	assert_int_equal(r->ev.attempts[0], 0);
	uint8_t got[16];
	assert_int_equal(printed(r, got, sizeof got), 0);
	rig_stop(r);
}

static void test_paper_out_before_job_waits(void **state)
{
	(void)state;
	struct rig *r = rig_start(P_COVER, true, 5000);
	struct receipt_doc d;
	make_doc(&d, "Копия");
	assert_true(printer_service_submit(r->svc, &d, "copy") > 0);
	WAIT_FOR(saw_state(&r->ev, PRINTER_COVER_OPEN));
	sleep_ms(100);
	assert_int_equal(jobs(&r->ev), 0);
	set_paper(r, P_NEAR);
	WAIT_FOR(jobs(&r->ev) == 1);
	assert_int_equal(r->ev.outcome[0], PRINTER_PRINTED);
	assert_int_equal(r->ev.attempts[0], 1);
	assert_int_equal(printer_service_state(r->svc), PRINTER_NEAR_END);
	struct escpos_buf want;
	expected_bytes("Копия", &want);
	static uint8_t got[1 << 16];
	assert_int_equal(printed(r, got, sizeof got), want.len);
	escpos_buf_free(&want);
	rig_stop(r);
}

static void test_offline_no_answer(void **state)
{
	(void)state;
	struct rig *r = rig_start(P_OK, false, 2000);
	WAIT_FOR(saw_state(&r->ev, PRINTER_OFFLINE));
	struct receipt_doc d;
	make_doc(&d, "Чек");
	assert_true(printer_service_submit(r->svc, &d, "K1-0004") > 0);
	WAIT_FOR(jobs(&r->ev) == 1);
	assert_int_equal(r->ev.outcome[0], PRINTER_FAILED_OFFLINE);
	uint8_t got[16];
	assert_int_equal(printed(r, got, sizeof got), 0);
	/* it answers again: the idle poll brings the state back */
	pthread_mutex_lock(&r->f.mu);
	r->f.answer = true;
	pthread_mutex_unlock(&r->f.mu);
	WAIT_FOR(printer_service_state(r->svc) == PRINTER_OK);
	rig_stop(r);
}

static void test_peer_gone_is_offline(void **state)
{
	(void)state;
	struct rig *r = rig_start(P_OK, true, 2000);
	WAIT_FOR(saw_state(&r->ev, PRINTER_OK));
	pthread_mutex_lock(&r->f.mu);
	r->f.stop = true;
	pthread_mutex_unlock(&r->f.mu);
	pthread_join(r->f.th, NULL);
	shutdown(r->f.fd, SHUT_RDWR);
	WAIT_FOR(printer_service_state(r->svc) == PRINTER_OFFLINE);
	/* reopen fails while the device is away */
	test_fd_transport_fail_open(r->t, TRANSPORT_ENODEV);
	struct receipt_doc d;
	make_doc(&d, "Чек");
	assert_true(printer_service_submit(r->svc, &d, "K1-0005") > 0);
	WAIT_FOR(jobs(&r->ev) == 1);
	assert_int_equal(r->ev.outcome[0], PRINTER_FAILED_OFFLINE);
	printer_service_stop(r->svc);
	close(r->f.fd);
	pthread_mutex_destroy(&r->f.mu);
	pthread_mutex_destroy(&r->ev.mu);
	free(r);
}

static void test_logo_raster(void **state)
{
	(void)state;
	/* a 100x30 PNG: left 50 columns black */
	char path[] = "/tmp/test_printer_logo.XXXXXX.png";
	int fd = mkstemps(path, 4);
	assert_true(fd >= 0);
	close(fd);
	SDL_Surface *img = SDL_CreateRGBSurfaceWithFormat(0, 100, 30, 32, SDL_PIXELFORMAT_RGBA32);
	SDL_FillRect(img, NULL, SDL_MapRGBA(img->format, 255, 255, 255, 255));
	SDL_Rect half = { 0, 0, 50, 30 };
	SDL_FillRect(img, &half, SDL_MapRGBA(img->format, 0, 0, 0, 255));
	assert_int_equal(pngio_save(img, path), 0);
	SDL_FreeSurface(img);

	rig_logo = path;
	struct rig *r = rig_start(P_OK, true, 2000);
	rig_logo = NULL;
	struct receipt_doc d;
	receipt_doc_init(&d);
	receipt_doc_logo(&d);
	receipt_doc_text(&d, RDOC_CENTER, 0, "x");
	assert_true(printer_service_submit(r->svc, &d, "logo") > 0);
	WAIT_FOR(jobs(&r->ev) == 1);
	assert_int_equal(r->ev.outcome[0], PRINTER_PRINTED);
	static uint8_t got[1 << 16];
	size_t n = printed(r, got, sizeof got);
	/* ESC @, ESC t 17, ESC a 1, then GS v 0 with 13 bytes per row and 30 rows */
	static const uint8_t head[] = { 0x1B, '@', 0x1B, 't', 17, 0x1B, 'a', 1,
					0x1D, 'v', '0', 0, 13, 0, 30, 0 };
	assert_true(n > sizeof head + 13 * 30);
	assert_memory_equal(got, head, sizeof head);
	const uint8_t *row = got + sizeof head;
	for (int y = 0; y < 30; y++) {
		for (int x = 0; x < 6; x++)
			assert_int_equal(row[y * 13 + x], 0xFF);      /* dots 0..47 black */
		assert_int_equal(row[y * 13 + 6], 0xC0);          /* 48, 49 black */
		for (int x = 7; x < 13; x++)
			assert_int_equal(row[y * 13 + x], 0x00);
	}
	rig_stop(r);
	unlink(path);
}

static void test_stop_reports_queued_jobs(void **state)
{
	(void)state;
	struct rig *r = rig_start(P_OUT, true, 60000);
	struct receipt_doc d;
	uint64_t ids[3];
	for (int i = 0; i < 3; i++) {
		make_doc(&d, "Чек");
		ids[i] = printer_service_submit(r->svc, &d, "q");
		assert_true(ids[i] > 0);
	}
	assert_true(ids[0] < ids[1] && ids[1] < ids[2]);
	WAIT_FOR(saw_state(&r->ev, PRINTER_PAPER_OUT));
	struct events *ev = &r->ev;
	printer_service_stop(r->svc);
	r->svc = NULL;
	assert_int_equal(ev->njobs, 3);
	/* the first job was waiting for paper, or (if stop came before the thread took it
	 * from the inbox) still queued: a failure either way, never "printed" */
	assert_true(ev->outcome[0] == PRINTER_FAILED_PAPER_OUT || ev->outcome[0] == PRINTER_FAILED_OFFLINE);
	assert_int_equal(ev->job_id[0], ids[0]);
	assert_int_equal(ev->outcome[1], PRINTER_FAILED_OFFLINE);
	assert_int_equal(ev->outcome[2], PRINTER_FAILED_OFFLINE);
	assert_int_equal(ev->job_id[2], ids[2]);
	rig_stop(r);
}

static void test_inbox_cap(void **state)
{
	(void)state;
	struct rig *r = rig_start(P_OUT, true, 60000);
	struct receipt_doc d;
	int accepted = 0;
	for (int i = 0; i < PRINTER_INBOX_MAX + 5; i++) {
		receipt_doc_init(&d);
		receipt_doc_text(&d, RDOC_LEFT, 0, "x");
		if (printer_service_submit(r->svc, &d, "cap"))
			accepted++;
		else
			receipt_doc_free(&d);
	}
	/* the service may have taken one job out of the inbox already */
	assert_in_range(accepted, PRINTER_INBOX_MAX, PRINTER_INBOX_MAX + 1);
	rig_stop(r);
}

int main(void)
{
	log_set_level(LOG_LVL_ERROR);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_ok),
		cmocka_unit_test(test_parse_causes),
		cmocka_unit_test(test_parse_malformed),
		cmocka_unit_test(test_service_prints),
		cmocka_unit_test(test_paper_out_mid_job_reprints_whole),
		cmocka_unit_test(test_paper_never_back_fails),
		cmocka_unit_test(test_paper_out_before_job_waits),
		cmocka_unit_test(test_offline_no_answer),
		cmocka_unit_test(test_peer_gone_is_offline),
		cmocka_unit_test(test_logo_raster),
		cmocka_unit_test(test_stop_reports_queued_jobs),
		cmocka_unit_test(test_inbox_cap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
