/* link_wire: every message survives a round trip field for field, and a decoder refuses a
 * frame cut anywhere, a wrong type, a bad flag, a NUL in a string, too many headers and
 * bytes left over, leaving its output untouched. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "offline/link_wire.h"

/* The payload of the one frame in b (after its 4-byte length), checking that length. */
static const uint8_t *payload(const struct link_buf *b, size_t *n)
{
	assert_true(b->len >= 5);
	uint32_t len = (uint32_t)b->p[0] | (uint32_t)b->p[1] << 8 | (uint32_t)b->p[2] << 16 | (uint32_t)b->p[3] << 24;
	assert_int_equal(len, b->len - 4);
	*n = len;
	return b->p + 4;
}

static void test_open(void **st)
{
	(void)st;
	struct center_client_opts o = { .url = "https://c.example:8443", .ca = "/etc/kiosk/ca.pem",
					.pins = "sha256//A;sha256//B", .cert = "/c.pem", .key = "/c.key",
					.key_id = "k1", .device_id = "K0001", .connect_timeout_ms = 2500,
					.total_timeout_ms = 9000 };
	for (int i = 0; i < CSIGN_KEY_LEN; i++)
		o.hmac_key[i] = (uint8_t)(0xA0 + i);
	struct link_buf b = { 0 };
	assert_int_equal(link_encode_open(&o, &b), 0);
	size_t n;
	const uint8_t *p = payload(&b, &n);
	assert_int_equal(link_type_of(p, n), LINK_OPEN);
	struct link_open m;
	const char *why = NULL;
	assert_int_equal(link_decode_open(p, n, &m, &why), 0);
	assert_string_equal(m.url, o.url);
	assert_string_equal(m.pins, o.pins);
	assert_string_equal(m.key, o.key);
	assert_string_equal(m.device_id, "K0001");
	assert_memory_equal(m.hmac_key, o.hmac_key, CSIGN_KEY_LEN);
	assert_int_equal(m.connect_ms, 2500);
	assert_int_equal(m.total_ms, 9000);
	link_open_clear(&m);
	/* Cut at every length: refused, with a reason. */
	for (size_t k = 0; k < n; k++) {
		why = NULL;
		assert_int_equal(link_decode_open(p, k, &m, &why), -1);
		assert_non_null(why);
	}
	link_buf_free(&b);
	/* A string over the limit is not encoded at all. */
	char *big = malloc(LINK_STR_MAX + 2);
	memset(big, 'a', LINK_STR_MAX + 1);
	big[LINK_STR_MAX + 1] = '\0';
	o.pins = big;
	assert_int_equal(link_encode_open(&o, &b), -1);
	assert_int_equal(b.len, 0);
	free(big);
	link_buf_free(&b);
}

static void test_request(void **st)
{
	(void)st;
	const char *hl[] = { "X-Kiosk-Source: scan", "X-Kiosk-Bill-Sum: 452316", NULL };
	struct center_sign_override ov = { .t = 1795600000 };
	memset(ov.nonce, 0x5A, sizeof ov.nonce);
	const char body[] = "{\"a\":1}\0tail";  /* a body is bytes: a NUL inside travels */
	struct link_buf b = { 0 };
	assert_int_equal(link_encode_request("POST", "/v1/devices/K0001/batches", body, sizeof body - 1, hl,
					     &ov, -1234, &b), 0);
	size_t n;
	const uint8_t *p = payload(&b, &n);
	struct link_request m;
	const char *why = NULL;
	assert_int_equal(link_decode_request(p, n, &m, &why), 0);
	assert_string_equal(m.method, "POST");
	assert_string_equal(m.path, "/v1/devices/K0001/batches");
	assert_int_equal(m.len, sizeof body - 1);
	assert_memory_equal(m.body, body, sizeof body - 1);
	assert_string_equal(m.headers[0], hl[0]);
	assert_string_equal(m.headers[1], hl[1]);
	assert_null(m.headers[2]);
	assert_true(m.has_override);
	assert_int_equal(m.ov.t, 1795600000);
	assert_memory_equal(m.ov.nonce, ov.nonce, sizeof ov.nonce);
	assert_int_equal(m.offset_ms, -1234);
	link_request_clear(&m);
	for (size_t k = 0; k < n; k++)
		assert_int_equal(link_decode_request(p, k, &m, &why), -1);
	/* One byte more, a flag of 2, a NUL in the method: each refused. */
	uint8_t *q = malloc(n + 1);
	memcpy(q, p, n);
	q[n] = 0;
	assert_int_equal(link_decode_request(q, n + 1, &m, &why), -1);
	assert_string_equal(why, "bytes after the last field");
	size_t flag_at = n - 8 - 16 - 8 - 1;  /* flag, t, nonce, offset at the end */
	assert_int_equal(q[flag_at], 1);
	q[flag_at] = 2;
	assert_int_equal(link_decode_request(q, n, &m, &why), -1);
	assert_string_equal(why, "a flag other than 0 or 1");
	memcpy(q, p, n);
	q[1 + 4 + 1] = '\0';  /* "POST" -> "P\0ST" */
	assert_int_equal(link_decode_request(q, n, &m, &why), -1);
	assert_string_equal(why, "a string with a NUL");
	free(q);
	link_buf_free(&b);
	/* GET without a body or override; more headers than the limit are not encoded. */
	assert_int_equal(link_encode_request("GET", "/v1/accounts/5", NULL, 0, NULL, NULL, 0, &b), 0);
	p = payload(&b, &n);
	assert_int_equal(link_decode_request(p, n, &m, &why), 0);
	assert_int_equal(m.len, 0);
	assert_false(m.has_override);
	assert_null(m.headers[0]);
	link_request_clear(&m);
	link_buf_free(&b);
	const char *many[LINK_HEADERS_MAX + 2];
	for (int i = 0; i <= LINK_HEADERS_MAX; i++)
		many[i] = "X: y";
	many[LINK_HEADERS_MAX + 1] = NULL;
	assert_int_equal(link_encode_request("GET", "/", NULL, 0, many, NULL, 0, &b), -1);
	link_buf_free(&b);
}

static void test_reply(void **st)
{
	(void)st;
	char *text = strdup("{\"error\":\"busy\"}");
	struct center_reply r = { .cls = CENTER_EHTTP, .status = 503, .curl_code = 0, .retry_after_s = 7,
				  .body = text, .len = strlen(text) };
	struct link_buf b = { 0 };
	assert_int_equal(link_encode_reply(&r, 86400000, true, &b), 0);
	size_t n;
	const uint8_t *p = payload(&b, &n);
	struct link_reply m = { .offset_ms = 99 }, keep;
	const char *why = NULL;
	assert_int_equal(link_decode_reply(p, n, &m, &why), 0);
	assert_int_equal(m.r.cls, CENTER_EHTTP);
	assert_int_equal(m.r.status, 503);
	assert_int_equal(m.r.retry_after_s, 7);
	assert_int_equal(m.offset_ms, 86400000);
	assert_true(m.reachable);
	assert_int_equal(m.r.len, strlen(text));
	assert_string_equal(m.r.body, text);
	link_reply_clear(&m);
	/* An unknown class, or an OPENED where a REPLY belongs: refused, *ret as it was. */
	uint8_t *q = malloc(n);
	memcpy(q, p, n);
	q[1] = 9;  /* class 9 */
	m.offset_ms = 99;
	keep = m;
	assert_int_equal(link_decode_reply(q, n, &m, &why), -1);
	assert_string_equal(why, "an unknown reply class");
	assert_memory_equal(&m, &keep, sizeof m);
	free(q);
	link_buf_free(&b);
	assert_int_equal(link_encode_opened("center: libcurl lacks pinning", &b), 0);
	p = payload(&b, &n);
	assert_int_equal(link_decode_reply(p, n, &m, &why), -1);
	assert_string_equal(why, "a frame of another type");
	struct link_opened op;
	assert_int_equal(link_decode_opened(p, n, &op, &why), 0);
	assert_string_equal(op.err, "center: libcurl lacks pinning");
	link_opened_clear(&op);
	link_buf_free(&b);
	assert_int_equal(link_type_of(NULL, 0), -1);
	free(text);
}

int main(void)
{
	const struct CMUnitTest t[] = {
		cmocka_unit_test(test_open),
		cmocka_unit_test(test_request),
		cmocka_unit_test(test_reply),
	};
	return cmocka_run_group_tests(t, NULL, NULL);
}
