/* Kiosk-Signature: base string, HMAC-SHA256, parsing, constant-time check, replay cache. */
#include "offline/center_sign.h"
#include "kiosk/base/hex.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/base/xalloc.h"
#include "offline/crypto_lib.h"

void csign_hex(const uint8_t *in, size_t n, char *out)
{
	hex_encode(in, n, out);
}

int csign_unhex(const char *hex, uint8_t *out, size_t n)
{
	size_t len = strlen(hex);
	return len == 2 * n && hex_decode(hex, len, out, n) == (int)n ? 0 : -1;
}

int csign_b64(const uint8_t *in, size_t n, char *out, size_t cap)
{
	if (cap < 4 * ((n + 2) / 3) + 1 || n > INT32_MAX / 2)
		return -1;
	return crypto_b64_encode(in, n, out);
}

int csign_unb64(const char *in, uint8_t *out, size_t cap)
{
	size_t len = strlen(in);
	if (len % 4 != 0 || len > INT32_MAX / 2)
		return -1;
	if (len == 0)
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)in[i];
		bool pad_ok = c == '=' && i >= len - 2 && (i == len - 1 || in[len - 1] == '=');
		if (!(isalnum(c) || c == '+' || c == '/' || pad_ok))
			return -1;
	}
	size_t pad = (in[len - 1] == '=') + (in[len - 2] == '=');
	size_t outlen = len / 4 * 3 - pad;
	if (outlen > cap)
		return -1;
	uint8_t *tmp = xmalloc(len / 4 * 3 + 1);
	int n = crypto_b64_decode(in, len, tmp);
	if (n < 0) {
		free(tmp);
		return -1;
	}
	memcpy(out, tmp, outlen);
	free(tmp);
	return (int)outlen;
}

int csign_base(const char *method, const char *path, const char *device_id, int64_t t,
	       const char *nonce_hex, const uint8_t *body, size_t len, char *buf, size_t cap)
{
	uint8_t h[32];
	char hh[2 * 32 + 1];
	crypto_sha256(body ? body : (const uint8_t *)"", len, NULL, 0, h);
	csign_hex(h, sizeof h, hh);
	int n = snprintf(buf, cap, "KSIG1\n%s\n%s\n%s\n%" PRId64 "\n%s\n%s",
			 method, path, device_id, t, nonce_hex, hh);
	if (n < 0 || (size_t)n >= cap)
		return CSIGN_ETOOLONG;
	return n;
}

/* HMAC over the base string; the base string holds the path, so it is heap-sized. */
static int compute(const uint8_t key[CSIGN_KEY_LEN], const char *method, const char *path,
		   const char *device_id, int64_t t, const char *nonce_hex, const uint8_t *body,
		   size_t len, uint8_t out[32])
{
	size_t cap = strlen(method) + strlen(path) + strlen(device_id) + strlen(nonce_hex) + 128;
	char *base = xmalloc(cap);
	int n = csign_base(method, path, device_id, t, nonce_hex, body, len, base, cap);
	if (n < 0) {
		free(base);
		return n;
	}
	int rc = crypto_hmac_sha256(key, CSIGN_KEY_LEN, base, (size_t)n, out);
	free(base);
	return rc == 0 ? 0 : CSIGN_EFORMAT;
}

static bool kid_ok(const char *kid)
{
	size_t n = strlen(kid);
	if (n == 0 || n >= sizeof ((struct csign_header *)0)->kid)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)kid[i]) && kid[i] != '-' && kid[i] != '_' && kid[i] != '.')
			return false;
	return true;
}

int csign_make(const uint8_t key[CSIGN_KEY_LEN], const char *kid, const char *method,
	       const char *path, const char *device_id, int64_t t,
	       const uint8_t nonce[CSIGN_NONCE_LEN], const uint8_t *body, size_t len,
	       char *buf, size_t cap)
{
	if (!kid_ok(kid))
		return CSIGN_EFORMAT;
	char nh[2 * CSIGN_NONCE_LEN + 1], sig64[48];
	uint8_t mac[32];
	csign_hex(nonce, CSIGN_NONCE_LEN, nh);
	int rc = compute(key, method, path, device_id, t, nh, body, len, mac);
	if (rc)
		return rc;
	csign_b64(mac, sizeof mac, sig64, sizeof sig64);
	int n = snprintf(buf, cap, "kid=%s,t=%" PRId64 ",n=%s,sig=%s", kid, t, nh, sig64);
	if (n < 0 || (size_t)n >= cap)
		return CSIGN_ETOOLONG;
	return 0;
}

int csign_parse(const char *value, struct csign_header *ret)
{
	struct csign_header h;
	memset(&h, 0, sizeof h);
	unsigned seen = 0;
	if (value == NULL || strlen(value) > CSIGN_HEADER_MAX)
		return CSIGN_EFORMAT;
	char buf[CSIGN_HEADER_MAX + 1];
	strcpy(buf, value);
	char *save = NULL;
	for (char *f = strtok_r(buf, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
		while (*f == ' ')
			f++;
		char *eq = strchr(f, '=');
		if (!eq)
			return CSIGN_EFORMAT;
		*eq = '\0';
		const char *v = eq + 1;
		if (strcmp(f, "kid") == 0 && !(seen & 1)) {
			if (!kid_ok(v))
				return CSIGN_EFORMAT;
			strcpy(h.kid, v);
			seen |= 1;
		} else if (strcmp(f, "t") == 0 && !(seen & 2)) {
			if (*v == '\0' || strlen(v) > 12)
				return CSIGN_EFORMAT;
			for (const char *p = v; *p; p++)
				if (!isdigit((unsigned char)*p))
					return CSIGN_EFORMAT;
			h.t = strtoll(v, NULL, 10);
			seen |= 2;
		} else if (strcmp(f, "n") == 0 && !(seen & 4)) {
			uint8_t tmp[CSIGN_NONCE_LEN];
			if (csign_unhex(v, tmp, sizeof tmp) != 0)
				return CSIGN_EFORMAT;
			csign_hex(tmp, sizeof tmp, h.nonce_hex); /* canonical lower case */
			seen |= 4;
		} else if (strcmp(f, "sig") == 0 && !(seen & 8)) {
			uint8_t tmp[33];
			if (csign_unb64(v, tmp, sizeof tmp) != 32)
				return CSIGN_EFORMAT;
			memcpy(h.sig, tmp, 32);
			seen |= 8;
		} else {
			return CSIGN_EFORMAT;
		}
	}
	if (seen != 15)
		return CSIGN_EFORMAT;
	*ret = h;
	return 0;
}

int csign_check_sig(const uint8_t key[CSIGN_KEY_LEN], const struct csign_header *h,
		    const char *method, const char *path, const char *device_id,
		    const uint8_t *body, size_t len)
{
	uint8_t mac[32];
	if (compute(key, method, path, device_id, h->t, h->nonce_hex, body, len, mac) != 0)
		return CSIGN_EBADSIG;
	return crypto_equal(mac, h->sig, sizeof mac) ? 0 : CSIGN_EBADSIG;
}

int csign_check_time(int64_t t, int64_t now_s)
{
	int64_t d = t - now_s;
	return (d > CSIGN_WINDOW_S || d < -CSIGN_WINDOW_S) ? CSIGN_ESKEW : 0;
}

struct nonce_entry {
	char key[2 * CSIGN_NONCE_LEN + 1 + 64];
	int64_t expires_s;
};

struct csign_nonces {
	int cap, n;
	struct nonce_entry *e;
};

struct csign_nonces *csign_nonces_new(int capacity)
{
	struct csign_nonces *c = xcalloc(1, sizeof *c);
	c->cap = capacity > 0 ? capacity : 1;
	c->e = xcalloc((size_t)c->cap, sizeof *c->e);
	return c;
}

void csign_nonces_free(struct csign_nonces *c)
{
	if (!c)
		return;
	free(c->e);
	free(c);
}

int csign_nonces_check(struct csign_nonces *c, const char *device_id, const char *nonce_hex,
		       int64_t now_s)
{
	char key[sizeof c->e[0].key];
	snprintf(key, sizeof key, "%.63s/%s", device_id, nonce_hex);
	int live = 0;
	/* Compact expired entries while looking: the table stays small under a steady rate. */
	for (int i = 0; i < c->n; i++) {
		if (c->e[i].expires_s <= now_s)
			continue;
		if (strcmp(c->e[i].key, key) == 0)
			return CSIGN_EREPLAY;
		if (live != i)
			c->e[live] = c->e[i];
		live++;
	}
	c->n = live;
	if (c->n >= c->cap)
		return CSIGN_EREPLAY;
	snprintf(c->e[c->n].key, sizeof c->e[c->n].key, "%s", key);
	c->e[c->n].expires_s = now_s + CSIGN_NONCE_TTL_S;
	c->n++;
	return 0;
}

int csign_load_key(const char *path, uint8_t key[CSIGN_KEY_LEN])
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	char buf[80] = "";
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	int rc = csign_unhex(buf, key, CSIGN_KEY_LEN);
	explicit_bzero(buf, sizeof buf);
	return rc;
}

void csign_chain_hash(const uint8_t prev[32], const uint8_t *body, size_t len, uint8_t out[32])
{
	crypto_sha256(prev, 32, body, len, out);
}
