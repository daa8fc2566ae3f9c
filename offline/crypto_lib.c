/* libcrypto on first use (crypto_lib.h). */
#include "offline/crypto_lib.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "kiosk/base/dynlib.h"
#include "kiosk/base/log.h"

/* Each member has the type of a pointer to the OpenSSL function of its name (typeof does
 * not evaluate, so the program does not link against it). */
static struct {
	__typeof__(&EVP_sha256) sha256;
	__typeof__(&EVP_MD_CTX_new) ctx_new;
	__typeof__(&EVP_MD_CTX_free) ctx_free;
	__typeof__(&EVP_DigestInit_ex) init;
	__typeof__(&EVP_DigestUpdate) update;
	__typeof__(&EVP_DigestFinal_ex) final;
	__typeof__(&HMAC) hmac;
	__typeof__(&PKCS5_PBKDF2_HMAC) pbkdf2;
	__typeof__(&RAND_bytes) rand_bytes;
	__typeof__(&CRYPTO_memcmp) memcmp;
	__typeof__(&EVP_EncodeBlock) encode;
	__typeof__(&EVP_DecodeBlock) decode;
} fn;
static const struct dynlib_fn fns[] = {
	{ "EVP_sha256", &fn.sha256 }, { "EVP_MD_CTX_new", &fn.ctx_new },
	{ "EVP_MD_CTX_free", &fn.ctx_free }, { "EVP_DigestInit_ex", &fn.init },
	{ "EVP_DigestUpdate", &fn.update }, { "EVP_DigestFinal_ex", &fn.final },
	{ "HMAC", &fn.hmac }, { "PKCS5_PBKDF2_HMAC", &fn.pbkdf2 },
	{ "RAND_bytes", &fn.rand_bytes }, { "CRYPTO_memcmp", &fn.memcmp },
	{ "EVP_EncodeBlock", &fn.encode }, { "EVP_DecodeBlock", &fn.decode },
};
static struct dynlib_lazy so = DYNLIB_LAZY("libcrypto.so.3", fns, "crypto");

int crypto_lib_load(char *err, size_t cap)
{
	return dynlib_lazy_load(&so, err, cap);
}

/* The library, or the end of the program (crypto_lib.h). */
static void need(void)
{
	char why[256];
	if (crypto_lib_load(why, sizeof why) != 0) {
		fprintf(stderr, "%s\n", why);
		abort();
	}
}

void crypto_sha256(const void *a, size_t alen, const void *b, size_t blen, uint8_t out[32])
{
	need();
	EVP_MD_CTX *c = fn.ctx_new();
	unsigned int n = 0;
	if (!c || fn.init(c, fn.sha256(), NULL) != 1 || fn.update(c, a, alen) != 1 ||
	    (blen && fn.update(c, b, blen) != 1) || fn.final(c, out, &n) != 1 || n != 32) {
		/* Only on allocation failure: no digest means no chain, nothing can be recorded. */
		log_error("crypto", "sha256_failed", "ctx=%d", c != NULL);
		abort();
	}
	fn.ctx_free(c);
}

int crypto_hmac_sha256(const uint8_t *key, size_t klen, const void *msg, size_t n, uint8_t out[32])
{
	need();
	unsigned int outlen = 0;
	if (klen > INT_MAX || !fn.hmac(fn.sha256(), key, (int)klen, msg, n, out, &outlen))
		return -1;
	return outlen == 32 ? 0 : -1;
}

int crypto_pbkdf2_sha256(const char *pass, size_t plen, const uint8_t *salt, size_t slen, int iterations,
			 uint8_t *out, size_t outlen)
{
	need();
	if (plen > INT_MAX || slen > INT_MAX || outlen > INT_MAX)
		return -1;
	return fn.pbkdf2(pass, (int)plen, salt, (int)slen, iterations, fn.sha256(), (int)outlen, out) == 1 ? 0 : -1;
}

int crypto_random(void *buf, size_t n)
{
	need();
	return n <= INT_MAX && fn.rand_bytes(buf, (int)n) == 1 ? 0 : -1;
}

bool crypto_equal(const void *a, const void *b, size_t n)
{
	need();
	return fn.memcmp(a, b, n) == 0;
}

int crypto_b64_encode(const uint8_t *in, size_t n, char *out)
{
	need();
	return n > INT_MAX / 2 ? -1 : fn.encode((unsigned char *)out, in, (int)n);
}

int crypto_b64_decode(const char *in, size_t len, uint8_t *out)
{
	need();
	return len > INT_MAX / 2 ? -1 : fn.decode(out, (const unsigned char *)in, (int)len);
}
