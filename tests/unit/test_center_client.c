/* center_client without a center: option checks and the transport class of a refused
 * connection (the TLS paths are exercised against the simulator by tests/check/center_net). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "offline/center_client.h"

static struct center_client_opts good(const char *url)
{
	struct center_client_opts o = { .url = url, .ca = "/nonexistent/ca.pem", .pins = "sha256//AAAA",
					.cert = "/nonexistent/c.pem", .key = "/nonexistent/c.key",
					.key_id = "k1", .device_id = "K0001", .total_timeout_ms = 2000 };
	return o;
}

static void test_options(void **st)
{
	(void)st;
	char err[200];
	struct center_client_opts o = good("http://127.0.0.1:1");
	assert_null(center_client_new(&o, err, sizeof err));
	assert_non_null(strstr(err, "https://"));
	o = good("https://127.0.0.1:1");
	o.pins = "";
	assert_null(center_client_new(&o, err, sizeof err));   /* never unpinned */
	o = good("https://127.0.0.1:1");
	o.device_id = NULL;
	assert_null(center_client_new(&o, err, sizeof err));
	o = good("https://127.0.0.1:1");
	struct center_client *c = center_client_new(&o, err, sizeof err);
	assert_non_null(c);
	assert_int_equal(center_client_offset_ms(c), 0);
	center_client_set_offset_ms(c, -5000);
	assert_int_equal(center_client_offset_ms(c), -5000);
	center_client_free(c);
	center_client_free(NULL);
}

static void test_refused(void **st)
{
	(void)st;
	/* a port that was just free: nothing listens */
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof sa;
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	getsockname(fd, (struct sockaddr *)&sa, &len);
	close(fd);
	char url[64], err[200];
	snprintf(url, sizeof url, "https://127.0.0.1:%d", ntohs(sa.sin_port));
	struct center_client_opts o = good(url);
	struct center_client *c = center_client_new(&o, err, sizeof err);
	struct center_reply rep;
	struct cjson_hello_req rq;
	struct cjson_hello_resp rs;
	memset(&rq, 0, sizeof rq);
	int rc = center_hello(c, &rq, &rs, &rep);
	assert_int_equal(rc, CENTER_ENET);
	assert_int_equal(rep.curl_code, 7);  /* CURLE_COULDNT_CONNECT */
	assert_int_equal(rep.status, 0);
	assert_false(center_client_reachable(c));
	assert_string_equal(center_class_name(rc), "network");
	center_reply_clear(&rep);
	/* a malformed account number never leaves the kiosk */
	struct account a;
	rc = center_account(c, "5001/../x", NULL, -1, &a, &rep);
	assert_int_equal(rc, CENTER_EHTTP);
	assert_int_equal(rep.status, 0);
	assert_string_equal(rep.err.error, "invalid_argument");
	center_reply_clear(&rep);
	center_client_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
