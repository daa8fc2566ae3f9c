/* Scanner service over a socketpair: HID-POS reports (SOCK_SEQPACKET keeps each report
 * whole, like interrupt transfers), the serial mode, dedupe, errors, reconnect. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "drivers/scanner_hidpos.h"
#include "drivers/scanner_service.h"
#include "kiosk/base/log.h"
#include "tests/lib/test_fd_transport.h"

struct seen {
	pthread_mutex_t mu;
	char sym[8][256];
	char aim[8][4];
	int nsym;
	int err[8];
	int nerr;
	enum scanner_state states[16];
	int nstates;
	int64_t now;
};

static void on_symbol(void *ud, const uint8_t *d, size_t n, const char *aim)
{
	struct seen *s = ud;
	pthread_mutex_lock(&s->mu);
	if (s->nsym < 8 && n < 256) {
		memcpy(s->sym[s->nsym], d, n);
		s->sym[s->nsym][n] = 0;
		strcpy(s->aim[s->nsym], aim);
		s->nsym++;
	}
	pthread_mutex_unlock(&s->mu);
}

static void on_error(void *ud, int err)
{
	struct seen *s = ud;
	pthread_mutex_lock(&s->mu);
	if (s->nerr < 8)
		s->err[s->nerr++] = err;
	pthread_mutex_unlock(&s->mu);
}

static void on_state(void *ud, enum scanner_state st)
{
	struct seen *s = ud;
	pthread_mutex_lock(&s->mu);
	if (s->nstates < 16)
		s->states[s->nstates++] = st;
	pthread_mutex_unlock(&s->mu);
}

static int64_t fake_now(void *ud)
{
	struct seen *s = ud;
	pthread_mutex_lock(&s->mu);
	int64_t t = s->now;
	pthread_mutex_unlock(&s->mu);
	return t;
}

static int count(struct seen *s, int *field)
{
	pthread_mutex_lock(&s->mu);
	int n = *field;
	pthread_mutex_unlock(&s->mu);
	return n;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

#define WAIT_FOR(cond) do { int waited_ = 0; \
	while (!(cond) && waited_ < 5000) { sleep_ms(5); waited_ += 5; } \
	assert_true(cond); } while (0)

static void send_report(int fd, const char *data, size_t l, const char *aim, int more)
{
	uint8_t r[64] = { HIDPOS_REPORT_ID, (uint8_t)l };
	memcpy(r + 2, data, l);
	if (aim)
		memcpy(r + 60, aim, 3);
	r[63] = (uint8_t)more;
	assert_int_equal(write(fd, r, sizeof r), (ssize_t)sizeof r);
}

static struct scanner_service *start(struct seen *s, int type, enum scanner_mode mode,
				     int *ret_peer, struct transport **ret_t)
{
	memset(s, 0, sizeof *s);
	pthread_mutex_init(&s->mu, NULL);
	s->now = 100000;
	int sv[2];
	assert_int_equal(socketpair(AF_UNIX, type, 0, sv), 0);
	*ret_peer = sv[1];
	struct scanner_service_cfg c;
	scanner_service_cfg_default(&c);
	c.t = test_fd_transport_new(sv[0]);
	if (ret_t)
		*ret_t = c.t;
	c.mode = mode;
	c.suffix[0] = '\r';
	c.suffix[1] = '\n';
	c.suffix_len = 2;
	c.backoff_min_ms = 10;
	c.backoff_max_ms = 40;
	c.now_ms = fake_now;
	c.on_symbol = on_symbol;
	c.on_error = on_error;
	c.on_state = on_state;
	c.ud = s;
	return scanner_service_start(&c);
}

static void test_hidpos_symbols_and_dedupe(void **state)
{
	(void)state;
	static struct seen s;
	int peer;
	struct scanner_service *svc = start(&s, SOCK_SEQPACKET, SCANNER_MODE_HIDPOS, &peer, NULL);
	WAIT_FOR(scanner_service_state(svc) == SCANNER_STATE_OK);
	/* a 100-byte payload with suffix in two reports */
	char sym[102];
	memset(sym, 'x', 100);
	memcpy(sym, "ST00012|", 8);
	memcpy(sym + 100, "\r\n", 2);
	send_report(peer, sym, 58, "]Q1", 1);
	send_report(peer, sym + 58, 44, NULL, 0);
	WAIT_FOR(count(&s, &s.nsym) == 1);
	assert_int_equal(strlen(s.sym[0]), 100);
	assert_memory_equal(s.sym[0], sym, 100);
	assert_string_equal(s.aim[0], "]Q1");
	/* read again 0.5 s later: suppressed; 1 s after the delivery: delivered */
	pthread_mutex_lock(&s.mu);
	s.now += 500;
	pthread_mutex_unlock(&s.mu);
	send_report(peer, sym, 58, "]Q1", 1);
	send_report(peer, sym + 58, 44, NULL, 0);
	send_report(peer, "]C0AB", 5, NULL, 0);  /* AIM prefix inside the data */
	WAIT_FOR(count(&s, &s.nsym) == 2);
	assert_string_equal(s.sym[1], "AB");
	assert_string_equal(s.aim[1], "]C0");
	pthread_mutex_lock(&s.mu);
	s.now += 1000;
	pthread_mutex_unlock(&s.mu);
	send_report(peer, sym, 58, "]Q1", 1);
	send_report(peer, sym + 58, 44, NULL, 0);
	WAIT_FOR(count(&s, &s.nsym) == 3);
	/* a malformed report reaches on_error */
	uint8_t bad[8] = { HIDPOS_REPORT_ID, 9 };
	assert_int_equal(write(peer, bad, sizeof bad), 8);
	WAIT_FOR(count(&s, &s.nerr) == 1);
	assert_int_equal(s.err[0], SCANNER_EMALFORMED);
	/* the peer going away: absent */
	close(peer);
	WAIT_FOR(scanner_service_state(svc) == SCANNER_STATE_ABSENT);
	scanner_service_stop(svc);
	pthread_mutex_destroy(&s.mu);
}

static void test_tty_mode(void **state)
{
	(void)state;
	static struct seen s;
	int peer;
	struct scanner_service *svc = start(&s, SOCK_STREAM, SCANNER_MODE_TTY, &peer, NULL);
	WAIT_FOR(scanner_service_state(svc) == SCANNER_STATE_OK);
	assert_int_equal(write(peer, "]Q1ST0001|A=1\r", 14), 14);
	sleep_ms(30);
	assert_int_equal(write(peer, "\nST0002\r\n", 9), 9);
	WAIT_FOR(count(&s, &s.nsym) == 2);
	assert_string_equal(s.sym[0], "ST0001|A=1");
	assert_string_equal(s.aim[0], "]Q1");
	assert_string_equal(s.sym[1], "ST0002");
	scanner_service_stop(svc);
	close(peer);
	pthread_mutex_destroy(&s.mu);
}

static void test_wedge_mode_layout_error(void **state)
{
	(void)state;
	static struct seen s;
	int peer;
	struct scanner_service *svc = start(&s, SOCK_SEQPACKET, SCANNER_MODE_WEDGE, &peer, NULL);
	WAIT_FOR(scanner_service_state(svc) == SCANNER_STATE_OK);
	static const uint8_t reps[][8] = {
		{ 0, 0, 0x1E }, { 0 }, { 0, 0, 0x1F }, { 0 }, { 0, 0, 0x28 }, { 0 },  /* "12" Enter */
		{ 0x04, 0, 0x62 }, { 0 }, { 0, 0, 0x28 }, { 0 },                       /* Alt+0 Enter */
	};
	for (size_t i = 0; i < sizeof reps / sizeof reps[0]; i++)
		assert_int_equal(write(peer, reps[i], 8), 8);
	WAIT_FOR(count(&s, &s.nerr) == 1);
	assert_int_equal(count(&s, &s.nsym), 1);
	assert_string_equal(s.sym[0], "12");
	assert_int_equal(s.err[0], SCANNER_ELAYOUT);
	scanner_service_stop(svc);
	close(peer);
	pthread_mutex_destroy(&s.mu);
}

static void test_absent_then_reconnect(void **state)
{
	(void)state;
	static struct seen s;
	int peer;
	struct transport *t;
	memset(&s, 0, sizeof s);
	/* make the first opens fail before the thread starts */
	struct scanner_service *svc;
	{
		int sv[2];
		assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
		peer = sv[1];
		pthread_mutex_init(&s.mu, NULL);
		struct scanner_service_cfg c;
		scanner_service_cfg_default(&c);
		t = c.t = test_fd_transport_new(sv[0]);
		test_fd_transport_fail_open(t, TRANSPORT_ENODEV);
		c.mode = SCANNER_MODE_HIDPOS;
		c.backoff_min_ms = 10;
		c.backoff_max_ms = 40;
		c.on_symbol = on_symbol;
		c.on_state = on_state;
		c.ud = &s;
		svc = scanner_service_start(&c);
	}
	WAIT_FOR(count(&s, &s.nstates) >= 1);
	assert_int_equal(s.states[0], SCANNER_STATE_ABSENT);
	sleep_ms(100);
	assert_int_equal(scanner_service_state(svc), SCANNER_STATE_ABSENT);
	assert_int_equal(count(&s, &s.nstates), 1); /* reported once, not at every retry */
	test_fd_transport_fail_open(t, TRANSPORT_EACCES);
	WAIT_FOR(scanner_service_state(svc) == SCANNER_STATE_ERROR);
	test_fd_transport_fail_open(t, 0);
	WAIT_FOR(scanner_service_state(svc) == SCANNER_STATE_OK);
	send_report(peer, "42", 2, NULL, 0);
	WAIT_FOR(count(&s, &s.nsym) == 1);
	assert_string_equal(s.sym[0], "42");
	scanner_service_stop(svc);
	close(peer);
	pthread_mutex_destroy(&s.mu);
}

int main(void)
{
	log_set_level(LOG_LVL_ERROR);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hidpos_symbols_and_dedupe),
		cmocka_unit_test(test_tty_mode),
		cmocka_unit_test(test_wedge_mode_layout_error),
		cmocka_unit_test(test_absent_then_reconnect),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
