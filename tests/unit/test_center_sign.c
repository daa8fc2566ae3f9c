/* Kiosk-Signature: base string, the docs/api.md vectors (computed independently with the
 * openssl command), parsing, verification, the time window and the replay cache. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "offline/center_sign.h"

static const uint8_t KEY[32] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17,
				 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31 };
static const uint8_t N1[16] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99,
				0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff };
static const uint8_t N2[16] = { 0xff, 0xee, 0xdd, 0xcc, 0xbb, 0xaa, 0x99, 0x88, 0x77, 0x66,
				0x55, 0x44, 0x33, 0x22, 0x11, 0x00 };
static const char BODY1[] = "{\"answer_accrued\":452316}";

static void test_base_string(void **st)
{
	(void)st;
	char buf[512];
	int n = csign_base("POST", "/v1/accounts/50012345/verify", "K0001", 1795600000,
			   "00112233445566778899aabbccddeeff", (const uint8_t *)BODY1, strlen(BODY1),
			   buf, sizeof buf);
	assert_string_equal(buf, "KSIG1\nPOST\n/v1/accounts/50012345/verify\nK0001\n1795600000\n"
			    "00112233445566778899aabbccddeeff\n"
			    "54c832b51f2b2517bfffa4ec3ae21475659e6b3fe8cc1e7132ab96949e87e034");
	assert_int_equal(n, (int)strlen(buf));
	/* empty body hashes to SHA-256("") */
	csign_base("GET", "/x", "K", 1, "00", NULL, 0, buf, sizeof buf);
	assert_non_null(strstr(buf, "\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
	assert_int_equal(csign_base("GET", "/x", "K", 1, "00", NULL, 0, buf, 20), CSIGN_ETOOLONG);
}

static void test_vectors(void **st)
{
	(void)st;
	char h[CSIGN_HEADER_MAX];
	assert_int_equal(csign_make(KEY, "k1", "POST", "/v1/accounts/50012345/verify", "K0001",
				    1795600000, N1, (const uint8_t *)BODY1, strlen(BODY1), h, sizeof h), 0);
	assert_string_equal(h, "kid=k1,t=1795600000,n=00112233445566778899aabbccddeeff,"
			    "sig=vh/Apc6czXsjTuDyXQV2i4rR3+Ig4qiGLiCTILLiRqA=");
	assert_int_equal(csign_make(KEY, "k1", "GET", "/v1/devices/K0001/snapshot?since=&limit=100",
				    "K0001", 1795600123, N2, NULL, 0, h, sizeof h), 0);
	assert_string_equal(h, "kid=k1,t=1795600123,n=ffeeddccbbaa99887766554433221100,"
			    "sig=jm1sMkIEdlSIOHt1AcFfF35ssi+Cp8iZBtM9TzS/2Hw=");
	assert_int_equal(csign_make(KEY, "k,1", "GET", "/", "K", 1, N1, NULL, 0, h, sizeof h), CSIGN_EFORMAT);
	assert_int_equal(csign_make(KEY, "k1", "GET", "/", "K", 1, N1, NULL, 0, h, 20), CSIGN_ETOOLONG);
}

static void test_parse_and_verify(void **st)
{
	(void)st;
	char h[CSIGN_HEADER_MAX];
	struct csign_header p;
	const char *path = "/v1/accounts/50012345/verify";
	csign_make(KEY, "k1", "POST", path, "K0001", 1795600000, N1, (const uint8_t *)BODY1,
		   strlen(BODY1), h, sizeof h);
	assert_int_equal(csign_parse(h, &p), 0);
	assert_string_equal(p.kid, "k1");
	assert_int_equal(p.t, 1795600000);
	assert_string_equal(p.nonce_hex, "00112233445566778899aabbccddeeff");
	assert_int_equal(csign_check_sig(KEY, &p, "POST", path, "K0001", (const uint8_t *)BODY1, strlen(BODY1)), 0);
	/* every signed element matters */
	assert_int_equal(csign_check_sig(KEY, &p, "GET", path, "K0001", (const uint8_t *)BODY1, strlen(BODY1)), CSIGN_EBADSIG);
	assert_int_equal(csign_check_sig(KEY, &p, "POST", "/v1/accounts/50012346/verify", "K0001",
					 (const uint8_t *)BODY1, strlen(BODY1)), CSIGN_EBADSIG);
	assert_int_equal(csign_check_sig(KEY, &p, "POST", path, "K0002", (const uint8_t *)BODY1, strlen(BODY1)), CSIGN_EBADSIG);
	assert_int_equal(csign_check_sig(KEY, &p, "POST", path, "K0001", (const uint8_t *)BODY1, strlen(BODY1) - 1), CSIGN_EBADSIG);
	struct csign_header q = p;
	q.t++;
	assert_int_equal(csign_check_sig(KEY, &q, "POST", path, "K0001", (const uint8_t *)BODY1, strlen(BODY1)), CSIGN_EBADSIG);
	q = p;
	q.nonce_hex[0] = '1';
	assert_int_equal(csign_check_sig(KEY, &q, "POST", path, "K0001", (const uint8_t *)BODY1, strlen(BODY1)), CSIGN_EBADSIG);
	uint8_t k2[32];
	memcpy(k2, KEY, 32);
	k2[31] ^= 1;
	assert_int_equal(csign_check_sig(k2, &p, "POST", path, "K0001", (const uint8_t *)BODY1, strlen(BODY1)), CSIGN_EBADSIG);
	/* field order free, upper-case hex accepted and canonicalised */
	assert_int_equal(csign_parse("sig=vh/Apc6czXsjTuDyXQV2i4rR3+Ig4qiGLiCTILLiRqA=,n=00112233445566778899AABBCCDDEEFF,"
				     "t=1795600000,kid=k1", &q), 0);
	assert_string_equal(q.nonce_hex, "00112233445566778899aabbccddeeff");
	assert_memory_equal(q.sig, p.sig, 32);
}

static void test_parse_rejects(void **st)
{
	(void)st;
	struct csign_header p;
	memset(&p, 0x5a, sizeof p);
	const char *bad[] = {
		NULL, "", "kid=k1", "kid=k1,t=1,n=00112233445566778899aabbccddeeff",
		"kid=k1,t=1,n=00112233445566778899aabbccddeeff,sig=AAAA",
		"kid=k1,t=-1,n=00112233445566778899aabbccddeeff,sig=vh/Apc6czXsjTuDyXQV2i4rR3+Ig4qiGLiCTILLiRqA=",
		"kid=k1,t=1x,n=00112233445566778899aabbccddeeff,sig=vh/Apc6czXsjTuDyXQV2i4rR3+Ig4qiGLiCTILLiRqA=",
		"kid=k1,t=1,n=0011223344556677889,sig=vh/Apc6czXsjTuDyXQV2i4rR3+Ig4qiGLiCTILLiRqA=",
		"kid=k1,t=1,n=zz112233445566778899aabbccddeeff,sig=vh/Apc6czXsjTuDyXQV2i4rR3+Ig4qiGLiCTILLiRqA=",
		"kid=k1,kid=k2,t=1,n=00112233445566778899aabbccddeeff,sig=vh/Apc6czXsjTuDyXQV2i4rR3+Ig4qiGLiCTILLiRqA=",
		"kid=k1,t=1,n=00112233445566778899aabbccddeeff,sig=vh/Apc6czXsjTuDyXQV2i4rR3+Ig4qiGLiCTILLiRqA=,x=1",
		"kid=k1,t=1,n=00112233445566778899aabbccddeeff,sig=vh/Apc6czXsjTuDyXQV2i4rR3+Ig4qiGLiCTILLiRqA==",
		"kid=,t=1,n=00112233445566778899aabbccddeeff,sig=vh/Apc6czXsjTuDyXQV2i4rR3+Ig4qiGLiCTILLiRqA=",
		"kid=k1,t=1234567890123,n=00112233445566778899aabbccddeeff,sig=vh/Apc6czXsjTuDyXQV2i4rR3+Ig4qiGLiCTILLiRqA=",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(csign_parse(bad[i], &p), CSIGN_EFORMAT);
		assert_int_equal(p.t, 0x5a5a5a5a5a5a5a5a); /* untouched */
	}
	char longv[300];
	memset(longv, 'a', sizeof longv - 1);
	longv[sizeof longv - 1] = '\0';
	assert_int_equal(csign_parse(longv, &p), CSIGN_EFORMAT);
}

static void test_window_and_replay(void **st)
{
	(void)st;
	assert_int_equal(csign_check_time(1000, 1300), 0);
	assert_int_equal(csign_check_time(1300, 1000), 0);
	assert_int_equal(csign_check_time(1000, 1301), CSIGN_ESKEW);
	assert_int_equal(csign_check_time(1301, 1000), CSIGN_ESKEW);
	assert_int_equal(csign_check_time(1000, 1000 + 72 * 3600), CSIGN_ESKEW);

	struct csign_nonces *c = csign_nonces_new(3);
	assert_int_equal(csign_nonces_check(c, "K0001", "aa", 1000), 0);
	assert_int_equal(csign_nonces_check(c, "K0001", "aa", 1001), CSIGN_EREPLAY);
	assert_int_equal(csign_nonces_check(c, "K0002", "aa", 1001), 0); /* per device */
	assert_int_equal(csign_nonces_check(c, "K0001", "aa", 1599), CSIGN_EREPLAY);
	assert_int_equal(csign_nonces_check(c, "K0001", "bb", 1002), 0);
	/* full: refuse rather than evict a live nonce */
	assert_int_equal(csign_nonces_check(c, "K0001", "cc", 1003), CSIGN_EREPLAY);
	/* after the TTL the entries expire and make room */
	assert_int_equal(csign_nonces_check(c, "K0001", "aa", 1600), 0);
	assert_int_equal(csign_nonces_check(c, "K0001", "cc", 1700), 0);
	csign_nonces_free(c);
}

static void test_codecs(void **st)
{
	(void)st;
	uint8_t b[40];
	char s[64];
	assert_int_equal(csign_b64((const uint8_t *)"foob", 4, s, sizeof s), 8);
	assert_string_equal(s, "Zm9vYg==");
	assert_int_equal(csign_unb64("Zm9vYg==", b, sizeof b), 4);
	assert_memory_equal(b, "foob", 4);
	assert_int_equal(csign_unb64("Zm9vYmE=", b, sizeof b), 5);
	assert_int_equal(csign_unb64("Zm9v", b, sizeof b), 3);
	assert_int_equal(csign_unb64("", b, sizeof b), 0);
	assert_int_equal(csign_unb64("Zm9", b, sizeof b), -1);
	assert_int_equal(csign_unb64("Zm=v", b, sizeof b), -1);
	assert_int_equal(csign_unb64("Zm 9v", b, sizeof b), -1);
	assert_int_equal(csign_unb64("Zm9vYg==", b, 3), -1);
	assert_int_equal(csign_unhex("0aFf", b, 2), 0);
	assert_int_equal(b[0], 0x0a);
	assert_int_equal(b[1], 0xff);
	assert_int_equal(csign_unhex("0aF", b, 2), -1);
	assert_int_equal(csign_unhex("0g00", b, 2), -1);
	/* chain: SHA-256(32 zero bytes || "") */
	uint8_t z[32] = { 0 }, h[32];
	char hx[65];
	csign_chain_hash(z, NULL, 0, h);
	csign_hex(h, 32, hx);
	assert_string_equal(hx, "66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base_string),
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_parse_and_verify),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_window_and_replay),
		cmocka_unit_test(test_codecs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
