/* The byte transports other than USB (that one runs under umockdev): constructors and
 * address parsing, then a KPP/1 HELLO through tcp (the simulator listening) and tty (the
 * simulator on a pty master, the transport on its slave), EGONE when the peer goes, and
 * the fd transport's reopen. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "drivers/kpp_client.h"
#include "drivers/transports.h"
#include "tests/sim/pinpad/sim_run.h"

static void test_constructors(void **state)
{
	(void)state;
	assert_null(transport_tcp_new("nohost"));
	assert_null(transport_tcp_new(":7001"));
	assert_null(transport_tcp_new("127.0.0.1:0"));
	assert_null(transport_tcp_new("127.0.0.1:70000"));
	assert_null(transport_tcp_new("127.0.0.1:12x"));
	assert_null(transport_tty_new("/dev/ttyACM0", 12345));
	assert_null(transport_tty_new("", 115200));
	assert_null(transport_from_config("none", "x"));
	assert_null(transport_from_config("serial", "/dev/ttyS0"));
	assert_null(transport_from_config("usb", "1209-7001"));
	assert_null(transport_from_config("fd", "-1"));
	struct transport *t = transport_from_config("tcp", "127.0.0.1:7001");
	assert_string_equal(t->desc, "tcp 127.0.0.1:7001");
	transport_destroy(t);
	t = transport_from_config("tty", "/dev/ttyACM0");
	assert_string_equal(t->desc, "tty /dev/ttyACM0");
	transport_destroy(t);
	t = transport_from_config("usb", "1d6b:0104");
	assert_string_equal(t->desc, "usb 1d6b:0104");
	transport_destroy(t);
	struct transport_usb_cfg cfg = { 0 };
	assert_true(transport_usb_parse_id("1209:7001", &cfg));
	assert_int_equal(cfg.vid, 0x1209);
	assert_int_equal(cfg.pid, 0x7001);
	assert_false(transport_usb_parse_id("1209:70011", &cfg));
	assert_false(transport_usb_parse_id("12:7001", &cfg));
	assert_false(transport_usb_parse_id("1209:70g1", &cfg));
	transport_destroy(NULL);
	assert_string_equal(transport_strerror(TRANSPORT_EGONE), "device gone");
	assert_string_equal(transport_strerror(-99), "unknown transport error");
	/* open failures map to codes */
	t = transport_tty_new("/nonexistent/tty", 115200);
	assert_int_equal(transport_open(t), TRANSPORT_ENODEV);
	transport_destroy(t);
}

static struct kpp_client *client(struct transport *t)
{
	struct kpp_timeouts to;
	kpp_timeouts_default(&to);
	to.t_ack_ms = 300;
	to.t_resp_ms = 1500;
	return kpp_client_new(t, &to);
}

static void test_tcp(void **state)
{
	(void)state;
	int lfd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET };
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(lfd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(listen(lfd, 2), 0);
	socklen_t len = sizeof a;
	getsockname(lfd, (struct sockaddr *)&a, &len);
	char hp[32];
	snprintf(hp, sizeof hp, "127.0.0.1:%u", ntohs(a.sin_port));
	struct sim_run *sim = sim_run_start(-1, lfd, NULL);
	struct kpp_client *c = client(transport_tcp_new(hp));
	static struct kpp_msg m;
	assert_int_equal(kpp_client_open(c), KPP_OK);
	assert_int_equal(kpp_client_hello(c, &m), KPP_OK);
	assert_string_equal(m.tid, "12345678");
	sim_run_stop(sim); /* closes the connection */
	int rc = kpp_client_status(c, &m);
	assert_true(rc == KPP_EGONE || rc == KPP_ELINK);
	kpp_client_close(c);
	assert_int_equal(kpp_client_open(c), KPP_EGONE); /* nobody listens any more */
	kpp_client_free(c);
}

static void test_tty_over_pty(void **state)
{
	(void)state;
	int master = posix_openpt(O_RDWR | O_NOCTTY);
	assert_true(master >= 0);
	assert_int_equal(grantpt(master), 0);
	assert_int_equal(unlockpt(master), 0);
	char path[64];
	snprintf(path, sizeof path, "%s", ptsname(master));
	struct sim_run *sim = sim_run_start(master, -1, NULL);
	struct kpp_client *c = client(transport_tty_new(path, 115200));
	static struct kpp_msg m;
	assert_int_equal(kpp_client_open(c), KPP_OK);
	/* raw mode: the binary frames (0x02, 0x0D, 0x11 ...) pass untouched */
	assert_int_equal(kpp_client_hello(c, &m), KPP_OK);
	assert_int_equal(m.result, KPP_RES_OK);
	struct kpp_sale_req rq = { .txn_id = "TTY-1", .amount = 1311, .currency = "643" };
	assert_int_equal(kpp_client_sale(c, &rq, NULL, NULL, &m), KPP_OK);
	assert_string_equal(m.amount, "1311");
	assert_int_equal(m.txn_state, KPP_TS_APPROVED_PENDING_CONFIRM);
	kpp_client_free(c);
	sim_run_stop(sim);
}

static void test_fd_reopen(void **state)
{
	(void)state;
	int sv[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	struct transport *t = transport_fd_new(sv[0]);
	uint8_t b[8];
	assert_int_equal(transport_open(t), 0);
	assert_int_equal(transport_write(t, (const uint8_t *)"ab", 2, 100), 0);
	assert_int_equal(read(sv[1], b, sizeof b), 2);
	assert_int_equal(transport_read(t, b, sizeof b, 20), 0); /* timeout */
	transport_close(t);
	assert_int_equal(transport_read(t, b, sizeof b, 20), TRANSPORT_EGONE);
	assert_int_equal(transport_open(t), 0);
	assert_int_equal(write(sv[1], "xyz", 3), 3);
	assert_int_equal(transport_read(t, b, sizeof b, 100), 3);
	assert_memory_equal(b, "xyz", 3);
	close(sv[1]);
	assert_int_equal(transport_read(t, b, sizeof b, 100), TRANSPORT_EGONE);
	assert_int_equal(transport_write(t, b, 1, 100), TRANSPORT_EGONE);
	transport_destroy(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_constructors),
		cmocka_unit_test(test_tcp),
		cmocka_unit_test(test_tty_over_pty),
		cmocka_unit_test(test_fd_reopen),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
