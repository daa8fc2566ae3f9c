#ifndef OFFLINE_CENTER_SIGN_H
#define OFFLINE_CENTER_SIGN_H
/* Request signatures of the billing-center API (docs/api.md §2): one implementation shared
 * by the kiosk (signs) and the billing-center simulator (verifies).
 *
 *   Kiosk-Signature: kid=<key id>,t=<unix s>,n=<32 hex>,sig=<base64 HMAC-SHA256>
 *   base = "KSIG1\n" METHOD "\n" PATH "\n" device_id "\n" t "\n" n "\n" hex(SHA-256(body))
 *
 * PATH is the request target as sent: path plus "?query" when there is one.  Pure: no I/O,
 * no clock (callers pass the time), no randomness (callers pass the nonce). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CSIGN_KEY_LEN 32
#define CSIGN_NONCE_LEN 16
#define CSIGN_WINDOW_S 300     /* |t - server_now| allowed */
#define CSIGN_NONCE_TTL_S 600  /* a nonce is refused again for this long */
#define CSIGN_HEADER_MAX 160

enum csign_rc {
	CSIGN_OK = 0,
	CSIGN_EFORMAT = -1,   /* header missing, malformed or over-long */
	CSIGN_ESKEW = -2,     /* t outside the window */
	CSIGN_EREPLAY = -3,   /* nonce already seen within its TTL */
	CSIGN_EBADSIG = -4,   /* HMAC mismatch (or unknown key id) */
	CSIGN_ETOOLONG = -5,  /* output buffer too small */
};

struct csign_header {
	char kid[32];
	int64_t t;
	char nonce_hex[2 * CSIGN_NONCE_LEN + 1];
	uint8_t sig[32];
};

/* Writes the base string into buf (NUL-terminated).  Returns its length or CSIGN_ETOOLONG. */
int csign_base(const char *method, const char *path, const char *device_id, int64_t t,
	       const char *nonce_hex, const uint8_t *body, size_t len, char *buf, size_t cap);
/* Signs and writes the header value (without "Kiosk-Signature: ") into buf.  0 or
 * CSIGN_ETOOLONG / CSIGN_EFORMAT (kid with ',' '=' or over-long). */
int csign_make(const uint8_t key[CSIGN_KEY_LEN], const char *kid, const char *method,
	       const char *path, const char *device_id, int64_t t,
	       const uint8_t nonce[CSIGN_NONCE_LEN], const uint8_t *body, size_t len,
	       char *buf, size_t cap);
/* Parses a header value; exactly the four fields, each once, in any order.  0 or CSIGN_EFORMAT
 * (*ret untouched on failure). */
int csign_parse(const char *value, struct csign_header *ret);
/* Recomputes the HMAC and compares in constant time.  0 or CSIGN_EBADSIG. */
int csign_check_sig(const uint8_t key[CSIGN_KEY_LEN], const struct csign_header *h,
		    const char *method, const char *path, const char *device_id,
		    const uint8_t *body, size_t len);
/* The time window alone: 0 or CSIGN_ESKEW. */
int csign_check_time(int64_t t, int64_t now_s);

/* Replay cache: nonces seen within CSIGN_NONCE_TTL_S.  Fixed capacity; when full the
 * oldest live entry is never evicted early — the insert fails (CSIGN_EREPLAY) instead, so a
 * flood cannot push out a nonce and make it replayable. */
struct csign_nonces;
struct csign_nonces *csign_nonces_new(int capacity);
void csign_nonces_free(struct csign_nonces *c);
/* 0 and remembers the nonce, or CSIGN_EREPLAY when it was seen within the TTL. */
int csign_nonces_check(struct csign_nonces *c, const char *device_id, const char *nonce_hex,
		       int64_t now_s);

/* Helpers shared by the client and the server. */
void csign_hex(const uint8_t *in, size_t n, char *out);          /* out: 2n+1 */
int csign_unhex(const char *hex, uint8_t *out, size_t n);        /* exactly 2n hex: 0 or -1 */
/* Standard base64 with padding; returns the length written (cap must be >= 4*((n+2)/3)+1). */
int csign_b64(const uint8_t *in, size_t n, char *out, size_t cap);
/* Strict decode (padding required, no whitespace); returns the length or -1. */
int csign_unb64(const char *in, uint8_t *out, size_t cap);
/* chain_hash = SHA-256(prev || body) (docs/api.md §4). */
void csign_chain_hash(const uint8_t prev[32], const uint8_t *body, size_t len, uint8_t out[32]);
/* Reads a key file: 64 hex chars, optional trailing newline.  0 or -1. */
int csign_load_key(const char *path, uint8_t key[CSIGN_KEY_LEN]);

#endif
