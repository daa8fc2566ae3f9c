/* offline/crypto_lib: OpenSSL's operations through the library loaded on first use, checked
 * against published vectors (FIPS 180-2 SHA-256 "abc", RFC 4231 case 2, RFC 7914 §11
 * PBKDF2-HMAC-SHA-256, RFC 4648 base64), the two-part hash against the one-part one, the
 * constant-time comparison both ways and the limits refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <limits.h>
#include <string.h>

#include "kiosk/base/hex.h"
#include "offline/crypto_lib.h"

static void expect_hex(const uint8_t *b, size_t n, const char *hex)
{
	char out[2 * 64 + 1];
	assert_true(n <= 64);
	hex_encode(b, n, out);
	assert_string_equal(out, hex);
}

static void test_load(void **st)
{
	(void)st;
	char err[256] = "x";
	assert_int_equal(crypto_lib_load(err, sizeof err), 0);
	assert_int_equal(crypto_lib_load(NULL, 0), 0);
}

static void test_sha256(void **st)
{
	(void)st;
	uint8_t h[32], h2[32];
	crypto_sha256("abc", 3, NULL, 0, h);
	expect_hex(h, 32, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	/* Two parts hash as their concatenation. */
	crypto_sha256("a", 1, "bc", 2, h2);
	assert_memory_equal(h, h2, 32);
	crypto_sha256("", 0, NULL, 0, h);
	expect_hex(h, 32, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_hmac(void **st)
{
	(void)st;
	uint8_t mac[32];
	const char *msg = "what do ya want for nothing?";
	assert_int_equal(crypto_hmac_sha256((const uint8_t *)"Jefe", 4, msg, strlen(msg), mac), 0);
	expect_hex(mac, 32, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	assert_int_equal(crypto_hmac_sha256((const uint8_t *)"Jefe", (size_t)INT_MAX + 1, msg, 1, mac), -1);
}

static void test_pbkdf2(void **st)
{
	(void)st;
	uint8_t dk[64];
	assert_int_equal(crypto_pbkdf2_sha256("passwd", 6, (const uint8_t *)"salt", 4, 1, dk, sizeof dk), 0);
	expect_hex(dk, 64, "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
			   "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783");
	assert_int_equal(crypto_pbkdf2_sha256("p", 1, (const uint8_t *)"s", 1, 1, dk, (size_t)INT_MAX + 1), -1);
}

static void test_equal(void **st)
{
	(void)st;
	uint8_t a[32] = { 1, 2, 3 }, b[32] = { 1, 2, 3 };
	assert_true(crypto_equal(a, b, sizeof a));
	b[31] ^= 0x80;
	assert_false(crypto_equal(a, b, sizeof a));
	assert_true(crypto_equal(a, b, 0));
}

static void test_random(void **st)
{
	(void)st;
	uint8_t a[32] = { 0 }, b[32] = { 0 }, zero[32] = { 0 };
	assert_int_equal(crypto_random(a, sizeof a), 0);
	assert_int_equal(crypto_random(b, sizeof b), 0);
	assert_memory_not_equal(a, zero, sizeof a);
	assert_memory_not_equal(a, b, sizeof a);
}

static void test_base64(void **st)
{
	(void)st;
	char out[16];
	assert_int_equal(crypto_b64_encode((const uint8_t *)"foobar", 6, out), 8);
	assert_string_equal(out, "Zm9vYmFy");
	assert_int_equal(crypto_b64_encode((const uint8_t *)"fo", 2, out), 4);
	assert_string_equal(out, "Zm8=");
	uint8_t raw[16];
	assert_int_equal(crypto_b64_decode("Zm9vYmFy", 8, raw), 6);
	assert_memory_equal(raw, "foobar", 6);
	/* Padding bytes are counted (EVP_DecodeBlock): the caller takes them off. */
	assert_int_equal(crypto_b64_decode("Zm8=", 4, raw), 3);
	assert_memory_equal(raw, "fo", 2);
	assert_int_equal(crypto_b64_decode("Zm9*", 4, raw), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load),   cmocka_unit_test(test_sha256), cmocka_unit_test(test_hmac),
		cmocka_unit_test(test_pbkdf2), cmocka_unit_test(test_equal),  cmocka_unit_test(test_random),
		cmocka_unit_test(test_base64),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
