/* The billing-center client's in-process transport (center_transport.h): libcurl over
 * OpenSSL (loaded at the first client, curl_lib.h) with the transport rules of docs/api.md
 * §1.  kiosk-tool uses it directly; the kiosk reaches it through kiosk-link. */
#include "offline/center_transport.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/base/clock.h"
#include "kiosk/base/log.h"
#include "kiosk/base/xalloc.h"
#include "offline/curl_lib.h"
#include "offline/crypto_lib.h"

#define REPLY_CAP (4 * 1024 * 1024)

struct center_curl {
	const struct curl_lib *cl;  /* libcurl, loaded at the first client */
	CURL *h;
	char *url, *ca, *pins, *cert, *key, *key_id, *device_id;
	uint8_t hmac_key[CSIGN_KEY_LEN];
	long connect_ms, total_ms;
};

struct sink {
	char *buf;
	size_t len;
	bool over;
};

struct center_curl *center_curl_new(const struct center_client_opts *o, char *err, size_t cap)
{
	const struct curl_lib *cl = curl_lib(err, cap);
	if (!cl)
		return NULL;
	struct center_curl *c = xcalloc(1, sizeof *c);
	c->cl = cl;
	c->h = cl->easy_init();
	if (!c->h)
		abort();
	c->url = xstrdup(o->url);
	c->ca = xstrdup(o->ca);
	c->pins = xstrdup(o->pins);
	c->cert = xstrdup(o->cert);
	c->key = xstrdup(o->key);
	c->key_id = xstrdup(o->key_id);
	c->device_id = xstrdup(o->device_id);
	memcpy(c->hmac_key, o->hmac_key, sizeof c->hmac_key);
	c->connect_ms = o->connect_timeout_ms > 0 ? o->connect_timeout_ms : 10000;
	c->total_ms = o->total_timeout_ms > 0 ? o->total_timeout_ms : 30000;
	/* Options this build relies on must exist: refuse to run without them. */
	if (c->cl->easy_setopt(c->h, CURLOPT_PROTOCOLS_STR, "https") != CURLE_OK ||
	    c->cl->easy_setopt(c->h, CURLOPT_PINNEDPUBLICKEY, c->pins) != CURLE_OK) {
		snprintf(err, cap, "center: libcurl lacks CURLOPT_PROTOCOLS_STR or pinning");
		center_curl_free(c);
		return NULL;
	}
	return c;
}

void center_curl_free(struct center_curl *c)
{
	if (!c)
		return;
	c->cl->easy_cleanup(c->h);
	free(c->url); free(c->ca); free(c->pins); free(c->cert); free(c->key);
	free(c->key_id); free(c->device_id);
	explicit_bzero(c->hmac_key, sizeof c->hmac_key);
	free(c);
}

static size_t on_data(char *p, size_t sz, size_t n, void *ud)
{
	struct sink *s = ud;
	size_t k = sz * n;
	if (s->len + k > REPLY_CAP) {
		s->over = true;
		return 0;  /* aborts the transfer: CURLE_WRITE_ERROR */
	}
	s->buf = xrealloc(s->buf, s->len + k + 1);
	memcpy(s->buf + s->len, p, k);
	s->len += k;
	s->buf[s->len] = '\0';
	return k;
}

static enum center_class classify(CURLcode rc)
{
	switch (rc) {
	case CURLE_OK: return CENTER_OK;
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH: return CENTER_EPIN;
	case CURLE_OPERATION_TIMEDOUT: return CENTER_ETIMEOUT;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_UNSUPPORTED_PROTOCOL:
		return CENTER_ETLS;
	case CURLE_WRITE_ERROR:
		return CENTER_EREPLY;
	default:
		/* Refused, reset (also mid-handshake), nothing received, DNS. */
		return CENTER_ENET;
	}
}

static void setup(struct center_curl *c, const char *url, struct sink *sink)
{
	CURL *h = c->h;
	const struct curl_lib *cl = c->cl;
	cl->easy_reset(h);  /* keeps the live connection and the TLS session cache */
	cl->easy_setopt(h, CURLOPT_URL, url);
	cl->easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https");
	cl->easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	cl->easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	cl->easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	cl->easy_setopt(h, CURLOPT_CAINFO, c->ca);
	cl->easy_setopt(h, CURLOPT_CAPATH, NULL);  /* the private CA only */
	cl->easy_setopt(h, CURLOPT_PINNEDPUBLICKEY, c->pins);
	cl->easy_setopt(h, CURLOPT_SSLCERT, c->cert);
	cl->easy_setopt(h, CURLOPT_SSLKEY, c->key);
	cl->easy_setopt(h, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
	cl->easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, c->connect_ms);
	cl->easy_setopt(h, CURLOPT_TIMEOUT_MS, c->total_ms);
	cl->easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	cl->easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
	cl->easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	cl->easy_setopt(h, CURLOPT_WRITEDATA, sink);
}

static int exchange(struct center_curl *c, const char *method, const char *path,
		    const char *body, size_t len, const char *const *extra,
		    const struct center_sign_override *ov, int64_t *offset_ms, bool *reachable,
		    struct center_reply *ret)
{
	char sig[CSIGN_HEADER_MAX + 32], hdr[CSIGN_HEADER_MAX + 64];
	uint8_t nonce[CSIGN_NONCE_LEN];
	struct sink sink = { 0 };
	struct curl_slist *hl = NULL;
	int64_t t0 = clock_wall_ms();
	int64_t t = ov ? ov->t : (t0 + *offset_ms) / 1000;
	if (ov)
		memcpy(nonce, ov->nonce, sizeof nonce);
	else if (crypto_random(nonce, sizeof nonce) != 0)
		abort();
	center_reply_clear(ret);
	char *url = xasprintf("%s%s", c->url, path);
	if (csign_make(c->hmac_key, c->key_id, method, path, c->device_id, t, nonce,
		       (const uint8_t *)body, len, sig, sizeof sig) != 0) {
		free(url);
		ret->cls = CENTER_ETLS;
		return ret->cls;
	}
	snprintf(hdr, sizeof hdr, "Kiosk-Signature: %s", sig);
	hl = c->cl->slist_append(hl, hdr);
	hl = c->cl->slist_append(hl, "Accept: application/json");
	hl = c->cl->slist_append(hl, "Expect:");
	for (int i = 0; extra && extra[i]; i++)
		hl = c->cl->slist_append(hl, extra[i]);
	setup(c, url, &sink);
	if (strcmp(method, "POST") == 0) {
		hl = c->cl->slist_append(hl, "Content-Type: application/json");
		c->cl->easy_setopt(c->h, CURLOPT_POST, 1L);
		c->cl->easy_setopt(c->h, CURLOPT_POSTFIELDS, body ? body : "");
		c->cl->easy_setopt(c->h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	} else {
		c->cl->easy_setopt(c->h, CURLOPT_HTTPGET, 1L);
	}
	c->cl->easy_setopt(c->h, CURLOPT_HTTPHEADER, hl);
	CURLcode rc = c->cl->easy_perform(c->h);
	int64_t t1 = clock_wall_ms();
	ret->curl_code = (int)rc;
	ret->cls = classify(rc);
	c->cl->easy_getinfo(c->h, CURLINFO_RESPONSE_CODE, &ret->status);
	*reachable = rc == CURLE_OK;
	if (rc == CURLE_OK) {
		struct curl_header *ra = NULL;
		if (c->cl->easy_header(c->h, "Retry-After", 0, CURLH_HEADER, -1, &ra) == CURLHE_OK) {
			char *end = NULL;
			long long v = strtoll(ra->value, &end, 10);
			if (end != ra->value && v >= 0 && v <= 86400)
				ret->retry_after_s = v;
		}
		ret->body = sink.buf ? sink.buf : xstrdup("");
		ret->len = sink.len;
		sink.buf = NULL;
		int64_t st = cjson_server_time(ret->body, ret->len);
		if (st > 0)  /* the server's clock at the middle of the exchange */
			*offset_ms = st - (t0 + t1) / 2;
		if (ret->status < 200 || ret->status > 299) {
			ret->cls = CENTER_EHTTP;
			center_reply_http_error(ret);
		}
	} else if (sink.over) {
		ret->cls = CENTER_EREPLY;
	}
	free(sink.buf);
	c->cl->slist_free_all(hl);
	free(url);
	log_debug("center", "exchange", "method=%s path=%s curl=%d status=%ld class=%s", method, path,
		  ret->curl_code, ret->status, center_class_name(ret->cls));
	return ret->cls;
}

int center_curl_request(struct center_curl *c, const char *method, const char *path,
			const char *body, size_t len, const char *const *extra_headers,
			const struct center_sign_override *ov, int64_t *offset_ms, bool *reachable,
			struct center_reply *ret)
{
	memset(ret, 0, sizeof *ret);
	int rc = exchange(c, method, path, body, len, extra_headers, ov, offset_ms, reachable, ret);
	/* The first answer taught us the server's clock: sign again with it, once. */
	/* A replay answer means this very signature reached the center already: libcurl resends
	 * a request whose reused connection closed before any reply.  Sign afresh, once. */
	if (!ov && rc == CENTER_EHTTP && ret->status == 401 &&
	    (strcmp(ret->err.error, "clock_skew") == 0 || strcmp(ret->err.error, "replay") == 0)) {
		log_info("center", "resign", "why=%s offset_ms=%" PRId64, ret->err.error, *offset_ms);
		rc = exchange(c, method, path, body, len, extra_headers, NULL, offset_ms, reachable, ret);
	}
	return rc;
}

