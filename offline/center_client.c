/* Billing-center client: the typed calls of docs/api.md over one of two transports
 * (center_transport.h): libcurl here, or a kiosk-link process. */
#include "offline/center_client.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/base/log.h"
#include "kiosk/base/xalloc.h"
#include "offline/center_transport.h"

struct center_client {
	struct center_curl *curl;  /* one of the two */
	struct center_link *link;
	char *device_id;
	int64_t offset_ms;         /* server - local, learned from every reply */
	bool reachable;
};

const char *center_class_name(enum center_class c)
{
	switch (c) {
	case CENTER_OK: return "ok";
	case CENTER_ENET: return "network";
	case CENTER_ETIMEOUT: return "timeout";
	case CENTER_EPIN: return "pin_mismatch";
	case CENTER_ETLS: return "tls";
	case CENTER_EHTTP: return "http";
	case CENTER_EREPLY: return "bad_reply";
	}
	return "?";
}

void center_reply_clear(struct center_reply *r)
{
	if (!r)
		return;
	free(r->body);
	memset(r, 0, sizeof *r);
	r->retry_after_s = -1;
}

struct center_client *center_client_new(const struct center_client_opts *o, char *err, size_t cap)
{
	if (!o->url || strncmp(o->url, "https://", 8) != 0 || !o->ca || !o->pins || !*o->pins ||
	    !o->cert || !o->key || !o->key_id || !o->device_id) {
		snprintf(err, cap, "center: url (https://), ca, pins, cert, key, key_id and device_id are required");
		return NULL;
	}
	struct center_client *c = xcalloc(1, sizeof *c);
	if (o->link.on)
		c->link = center_link_new(o, err, cap);
	else
		c->curl = center_curl_new(o, err, cap);
	if (!c->link && !c->curl) {
		free(c);
		return NULL;
	}
	c->device_id = xstrdup(o->device_id);
	return c;
}

void center_client_free(struct center_client *c)
{
	if (!c)
		return;
	center_link_free(c->link);
	center_curl_free(c->curl);
	free(c->device_id);
	free(c);
}

int64_t center_client_offset_ms(const struct center_client *c) { return c->offset_ms; }
void center_client_set_offset_ms(struct center_client *c, int64_t off) { c->offset_ms = off; }
bool center_client_reachable(const struct center_client *c) { return c->reachable; }

void center_reply_http_error(struct center_reply *r)
{
	char e[CJSON_ERR_MAX];
	if (!r->body || cjson_error_decode(r->body, r->len, &r->err, e) != 0) {
		memset(&r->err, 0, sizeof r->err);
		r->err.watermark = r->err.attempts_left = r->err.retry_after_s = -1;
		r->err.server_time_ms = -1;
	}
}

int center_request(struct center_client *c, const char *method, const char *path,
		   const char *body, size_t len, const char *const *extra_headers,
		   const struct center_sign_override *ov, struct center_reply *ret)
{
	if (c->link)
		return center_link_request(c->link, method, path, body, len, extra_headers, ov,
					   &c->offset_ms, &c->reachable, ret);
	return center_curl_request(c->curl, method, path, body, len, extra_headers, ov,
				   &c->offset_ms, &c->reachable, ret);
}

/* Decodes a 2xx body with dec; a decoding failure turns the reply into CENTER_EREPLY. */
#define TYPED(call, decode)                                                              \
	do {                                                                             \
		int rc_ = (call);                                                        \
		if (rc_ != CENTER_OK)                                                    \
			return rc_;                                                      \
		char e_[CJSON_ERR_MAX];                                                  \
		if ((decode) != 0) {                                                     \
			rep->cls = CENTER_EREPLY;                                        \
			snprintf(rep->err.detail, sizeof rep->err.detail, "%.90s", e_);     \
			log_warn("center", "bad_reply", "why=\"%s\"", e_);               \
			return rep->cls;                                                 \
		}                                                                        \
		return CENTER_OK;                                                        \
	} while (0)

int center_hello(struct center_client *c, const struct cjson_hello_req *req,
		 struct cjson_hello_resp *ret, struct center_reply *rep)
{
	char path[128];
	char *body = cjson_hello_req_encode(req);
	snprintf(path, sizeof path, "/v1/devices/%s/hello", c->device_id);
	int rc = center_request(c, "POST", path, body, strlen(body), NULL, NULL, rep);
	free(body);
	TYPED(rc, cjson_hello_resp_decode(rep->body, rep->len, ret, e_));
}

int center_batch(struct center_client *c, const char *json, size_t len,
		 struct cjson_batch_resp *ret, struct center_reply *rep)
{
	char path[128];
	snprintf(path, sizeof path, "/v1/devices/%s/batches", c->device_id);
	TYPED(center_request(c, "POST", path, json, len, NULL, NULL, rep),
	      cjson_batch_resp_decode(rep->body, rep->len, ret, e_));
}

/* A request the kiosk will not send (bad account number or month): no exchange, no status. */
static void refuse_locally(struct center_reply *rep)
{
	memset(rep, 0, sizeof *rep);
	rep->retry_after_s = -1;
	rep->err.watermark = rep->err.server_time_ms = rep->err.attempts_left = rep->err.retry_after_s = -1;
	snprintf(rep->err.error, sizeof rep->err.error, "invalid_argument");
	rep->cls = CENTER_EHTTP;
}

static bool pa_ok(const char *pa)
{
	size_t n = strlen(pa);
	return n > 0 && n < 16 && strspn(pa, "0123456789") == n;
}

/* Headers proving access: a verification token, or the scanned bill's sum. */
static void proof(const char *token, kopecks bill_sum, char *h1, char *h2, size_t cap,
		  const char **list)
{
	int n = 0;
	if (token && *token) {
		snprintf(h1, cap, "X-Kiosk-Token: %s", token);
		list[n++] = h1;
	} else if (bill_sum >= 0) {
		snprintf(h1, cap, "X-Kiosk-Source: scan");
		snprintf(h2, cap, "X-Kiosk-Bill-Sum: %" PRId64, bill_sum);
		list[n++] = h1;
		list[n++] = h2;
	}
	list[n] = NULL;
}

int center_account(struct center_client *c, const char *pers_acc, const char *token,
		   kopecks bill_sum, struct account *ret, struct center_reply *rep)
{
	char path[64], h1[128], h2[128];
	const char *hl[3];
	if (!pa_ok(pers_acc)) {
		refuse_locally(rep);
		return rep->cls;
	}
	snprintf(path, sizeof path, "/v1/accounts/%s", pers_acc);
	proof(token, bill_sum, h1, h2, sizeof h1, hl);
	TYPED(center_request(c, "GET", path, NULL, 0, hl, NULL, rep),
	      cjson_account_decode(rep->body, rep->len, ret, e_));
}

int center_verify(struct center_client *c, const char *pers_acc, kopecks answer,
		  struct cjson_verify_resp *ret, struct center_reply *rep)
{
	char path[64];
	if (!pa_ok(pers_acc)) {
		refuse_locally(rep);
		return rep->cls;
	}
	snprintf(path, sizeof path, "/v1/accounts/%s/verify", pers_acc);
	char *body = cjson_verify_req_encode(answer);
	int rc = center_request(c, "POST", path, body, strlen(body), NULL, NULL, rep);
	free(body);
	TYPED(rc, cjson_verify_resp_decode(rep->body, rep->len, ret, e_));
}

static bool month_ok(const char *m)
{
	return m == NULL || (strlen(m) == 7 && m[4] == '-' && strspn(m, "0123456789-") == 7);
}

static int history(struct center_client *c, const char *what, const char *pers_acc,
		   const char *token, const char *from, const char *to, struct center_reply *rep)
{
	char path[128], h1[128], h2[128];
	const char *hl[3];
	if (!pa_ok(pers_acc) || !month_ok(from) || !month_ok(to)) {
		refuse_locally(rep);
		return rep->cls;
	}
	int n = snprintf(path, sizeof path, "/v1/accounts/%s/%s", pers_acc, what);
	if (from || to)
		snprintf(path + n, sizeof path - (size_t)n, "?%s%s%s%s%s", from ? "from=" : "",
			 from ? from : "", from && to ? "&" : "", to ? "to=" : "", to ? to : "");
	proof(token, -1, h1, h2, sizeof h1, hl);
	return center_request(c, "GET", path, NULL, 0, hl, NULL, rep);
}

int center_readings(struct center_client *c, const char *pers_acc, const char *token,
		    const char *from, const char *to, struct cjson_readings *ret,
		    struct center_reply *rep)
{
	TYPED(history(c, "readings", pers_acc, token, from, to, rep),
	      cjson_readings_decode(rep->body, rep->len, ret, e_));
}

int center_payments(struct center_client *c, const char *pers_acc, const char *token,
		    const char *from, const char *to, struct cjson_payments *ret,
		    struct center_reply *rep)
{
	TYPED(history(c, "payments", pers_acc, token, from, to, rep),
	      cjson_payments_decode(rep->body, rep->len, ret, e_));
}

/* A query value: every byte but RFC 3986's unreserved ones as %XX (as curl_easy_escape
 * does); a value that does not fit is cut at a whole escape. */
static void escape(const char *s, char *out, size_t cap)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = 0;
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		bool plain = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
			     ch == '-' || ch == '.' || ch == '_' || ch == '~';
		if (n + (plain ? 1 : 3) >= cap)
			break;
		if (plain) {
			out[n++] = (char)ch;
		} else {
			out[n++] = '%';
			out[n++] = hex[ch >> 4];
			out[n++] = hex[ch & 15];
		}
	}
	out[n] = '\0';
}

int center_snapshot(struct center_client *c, const char *since, int limit,
		    struct cjson_snapshot_page *ret, struct center_reply *rep)
{
	char path[320], esc[3 * 64 + 1];  /* a cursor of up to 63 bytes, every one escaped */
	escape(since ? since : "", esc, sizeof esc);
	snprintf(path, sizeof path, "/v1/devices/%s/snapshot?since=%s&limit=%d", c->device_id,
		 esc, limit);
	TYPED(center_request(c, "GET", path, NULL, 0, NULL, NULL, rep),
	      cjson_snapshot_decode(rep->body, rep->len, ret, e_));
}
