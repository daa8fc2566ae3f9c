#ifndef OFFLINE_CRYPTO_LIB_H
#define OFFLINE_CRYPTO_LIB_H
/* The few OpenSSL operations the programs use, with libcrypto loaded the first time one is
 * called instead of at exec: mapping and relocating it was 2.3 ms of a 40 ms bare SDL start,
 * ahead of the kiosk's first frame, which needs none of it (the store's hash chain, staff
 * PINs and the signing come after).  Wiping secrets is explicit_bzero, from libc.
 *
 * Promises:
 *  - crypto_lib_load loads libcrypto.so.3 and every function below once per process, from
 *    any thread: 0, or -1 with why in err, every time it is asked (nothing half-loaded is
 *    ever used).  The kiosk calls it as its services start and exits 2 when it fails;
 *  - each operation loads the library if need be; when it cannot be loaded the operation
 *    logs why and aborts: a program that cannot hash cannot keep its records;
 *  - the operations are OpenSSL's, with its results (named beside each). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

int crypto_lib_load(char *err, size_t cap);

/* SHA-256 of a[0..alen) then b[0..blen) (b may be NULL when blen is 0). */
void crypto_sha256(const void *a, size_t alen, const void *b, size_t blen, uint8_t out[32]);
/* HMAC-SHA-256 (HMAC): 0, or -1 when a length is over INT_MAX. */
int crypto_hmac_sha256(const uint8_t *key, size_t klen, const void *msg, size_t n, uint8_t out[32]);
/* PBKDF2-HMAC-SHA-256 (PKCS5_PBKDF2_HMAC): 0, or -1. */
int crypto_pbkdf2_sha256(const char *pass, size_t plen, const uint8_t *salt, size_t slen, int iterations,
			 uint8_t *out, size_t outlen);
/* N bytes from OpenSSL's generator (RAND_bytes): 0, or -1. */
int crypto_random(void *buf, size_t n);
/* Whether a and b hold the same n bytes, in time independent of where they differ
 * (CRYPTO_memcmp). */
bool crypto_equal(const void *a, const void *b, size_t n);
/* Base64 (EVP_EncodeBlock): writes 4 * ceil(n / 3) characters and a NUL, returns their
 * count; n at most INT_MAX / 2. */
int crypto_b64_encode(const uint8_t *in, size_t n, char *out);
/* EVP_DecodeBlock: len characters (a multiple of 4) to 3 * len / 4 bytes, padding bytes
 * included; -1 on a character outside the alphabet. */
int crypto_b64_decode(const char *in, size_t len, uint8_t *out);

#endif
