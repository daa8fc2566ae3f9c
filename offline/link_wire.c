/* Frames between the kiosk and kiosk-link (link_wire.h): fixed field order, lengths first,
 * every read bounded by the frame. */
#include "offline/link_wire.h"

#include <stdlib.h>
#include <string.h>

#include "kiosk/base/xalloc.h"

void link_buf_free(struct link_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof *b);
}

static void put(struct link_buf *b, const void *p, size_t n)
{
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n)
			cap *= 2;
		b->p = xrealloc(b->p, cap);
		b->cap = cap;
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

static void put_le(struct link_buf *b, uint64_t v, int bytes)
{
	uint8_t le[8];
	for (int i = 0; i < bytes; i++)
		le[i] = (uint8_t)(v >> (8 * i));
	put(b, le, (size_t)bytes);
}

static void put_i64(struct link_buf *b, int64_t v) { put_le(b, (uint64_t)v, 8); }
static void put_flag(struct link_buf *b, bool v) { put_le(b, v ? 1 : 0, 1); }

static void put_bytes(struct link_buf *b, const void *p, size_t n)
{
	put_le(b, n, 4);
	if (n)
		put(b, p, n);
}

static void put_str(struct link_buf *b, const char *s) { put_bytes(b, s ? s : "", s ? strlen(s) : 0); }

static bool str_ok(const char *s) { return !s || strlen(s) <= LINK_STR_MAX; }

/* Starts a frame: the length is patched in by end(). */
static size_t begin(struct link_buf *b, enum link_type t)
{
	size_t at = b->len;
	put_le(b, 0, 4);
	put_le(b, (uint64_t)t, 1);
	return at;
}

static int end(struct link_buf *b, size_t at)
{
	size_t n = b->len - at - 4;
	if (n > LINK_FRAME_MAX) {
		b->len = at;
		return -1;
	}
	for (int i = 0; i < 4; i++)
		b->p[at + (size_t)i] = (uint8_t)(n >> (8 * i));
	return 0;
}

int link_encode_open(const struct center_client_opts *o, struct link_buf *b)
{
	const char *s[] = { o->url, o->ca, o->pins, o->cert, o->key, o->key_id, o->device_id };
	for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
		if (!str_ok(s[i]))
			return -1;
	size_t at = begin(b, LINK_OPEN);
	for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
		put_str(b, s[i]);
	put(b, o->hmac_key, sizeof o->hmac_key);
	put_i64(b, o->connect_timeout_ms);
	put_i64(b, o->total_timeout_ms);
	return end(b, at);
}

int link_encode_opened(const char *err, struct link_buf *b)
{
	if (!str_ok(err))
		return -1;
	size_t at = begin(b, LINK_OPENED);
	put_str(b, err);
	return end(b, at);
}

int link_encode_request(const char *method, const char *path, const char *body, size_t len,
			const char *const *headers, const struct center_sign_override *ov,
			int64_t offset_ms, struct link_buf *b)
{
	int nh = 0;
	while (headers && headers[nh])
		if (!str_ok(headers[nh++]))
			return -1;
	if (nh > LINK_HEADERS_MAX || !str_ok(method) || !str_ok(path) || len > LINK_FRAME_MAX)
		return -1;
	size_t at = begin(b, LINK_REQUEST);
	put_str(b, method);
	put_str(b, path);
	put_bytes(b, body, body ? len : 0);
	put_le(b, (uint64_t)nh, 1);
	for (int i = 0; i < nh; i++)
		put_str(b, headers[i]);
	put_flag(b, ov != NULL);
	if (ov) {
		put_i64(b, ov->t);
		put(b, ov->nonce, sizeof ov->nonce);
	}
	put_i64(b, offset_ms);
	return end(b, at);
}

int link_encode_reply(const struct center_reply *r, int64_t offset_ms, bool reachable,
		      struct link_buf *b)
{
	if (r->len > LINK_FRAME_MAX)
		return -1;
	size_t at = begin(b, LINK_REPLY);
	put_i64(b, r->cls);
	put_i64(b, r->status);
	put_i64(b, r->curl_code);
	put_i64(b, r->retry_after_s);
	put_i64(b, offset_ms);
	put_flag(b, reachable);
	put_bytes(b, r->body, r->body ? r->len : 0);
	return end(b, at);
}

/* ---------------------------------------------------------------- decoding */

struct rd {
	const uint8_t *p;
	size_t n, at;
	const char *why;  /* the first failure */
};

static bool need(struct rd *r, size_t k, const char *what)
{
	if (r->why)
		return false;
	if (r->n - r->at < k) {
		r->why = what;
		return false;
	}
	return true;
}

static uint64_t get_le(struct rd *r, int bytes, const char *what)
{
	uint64_t v = 0;
	if (!need(r, (size_t)bytes, what))
		return 0;
	for (int i = 0; i < bytes; i++)
		v |= (uint64_t)r->p[r->at + (size_t)i] << (8 * i);
	r->at += (size_t)bytes;
	return v;
}

static int64_t get_i64(struct rd *r, const char *what) { return (int64_t)get_le(r, 8, what); }

static bool get_flag(struct rd *r, const char *what)
{
	uint64_t v = get_le(r, 1, what);
	if (v > 1 && !r->why)
		r->why = "a flag other than 0 or 1";
	return v == 1;
}

static void get_raw(struct rd *r, void *out, size_t k, const char *what)
{
	if (need(r, k, what)) {
		memcpy(out, r->p + r->at, k);
		r->at += k;
	}
}

/* A block as a fresh NUL-terminated copy; NULL once anything failed. */
static char *get_block(struct rd *r, size_t max, bool text, size_t *len, const char *what)
{
	uint64_t k = get_le(r, 4, what);
	if (r->why)
		return NULL;
	if (k > max) {
		r->why = "a field over its limit";
		return NULL;
	}
	if (!need(r, (size_t)k, what))
		return NULL;
	if (text && memchr(r->p + r->at, '\0', (size_t)k)) {
		r->why = "a string with a NUL";
		return NULL;
	}
	char *s = xmalloc((size_t)k + 1);
	memcpy(s, r->p + r->at, (size_t)k);
	s[k] = '\0';
	r->at += (size_t)k;
	if (len)
		*len = (size_t)k;
	return s;
}

static char *get_str(struct rd *r, const char *what) { return get_block(r, LINK_STR_MAX, true, NULL, what); }

static bool start(struct rd *r, const uint8_t *p, size_t n, enum link_type t)
{
	*r = (struct rd){ .p = p, .n = n, .at = 1 };
	if (link_type_of(p, n) != (int)t) {
		r->why = "a frame of another type";
		return false;
	}
	return true;
}

/* Whether the whole frame was read, nothing more, nothing less. */
static int finish(struct rd *r, const char **why)
{
	if (!r->why && r->at != r->n)
		r->why = "bytes after the last field";
	if (why)
		*why = r->why;
	return r->why ? -1 : 0;
}

int link_type_of(const uint8_t *p, size_t n)
{
	return n >= 1 && p[0] >= LINK_OPEN && p[0] <= LINK_REPLY ? p[0] : -1;
}

int link_decode_open(const uint8_t *p, size_t n, struct link_open *ret, const char **why)
{
	struct rd r;
	struct link_open m;
	memset(&m, 0, sizeof m);
	if (start(&r, p, n, LINK_OPEN)) {
		char **s[] = { &m.url, &m.ca, &m.pins, &m.cert, &m.key, &m.key_id, &m.device_id };
		for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
			*s[i] = get_str(&r, "an option cut short");
		get_raw(&r, m.hmac_key, sizeof m.hmac_key, "the key cut short");
		m.connect_ms = get_i64(&r, "the timeouts cut short");
		m.total_ms = get_i64(&r, "the timeouts cut short");
	}
	if (finish(&r, why) != 0) {
		link_open_clear(&m);
		return -1;
	}
	*ret = m;
	return 0;
}

int link_decode_opened(const uint8_t *p, size_t n, struct link_opened *ret, const char **why)
{
	struct rd r;
	struct link_opened m = { 0 };
	if (start(&r, p, n, LINK_OPENED))
		m.err = get_str(&r, "the error cut short");
	if (finish(&r, why) != 0) {
		link_opened_clear(&m);
		return -1;
	}
	*ret = m;
	return 0;
}

int link_decode_request(const uint8_t *p, size_t n, struct link_request *ret, const char **why)
{
	struct rd r;
	struct link_request m;
	memset(&m, 0, sizeof m);
	if (start(&r, p, n, LINK_REQUEST)) {
		m.method = get_str(&r, "the method cut short");
		m.path = get_str(&r, "the path cut short");
		m.body = (uint8_t *)get_block(&r, LINK_FRAME_MAX, false, &m.len, "the body cut short");
		uint64_t nh = get_le(&r, 1, "the header count cut short");
		if (nh > LINK_HEADERS_MAX && !r.why)
			r.why = "too many headers";
		for (uint64_t i = 0; i < nh && !r.why; i++)
			m.headers[i] = get_str(&r, "a header cut short");
		m.has_override = get_flag(&r, "the override flag cut short");
		if (m.has_override) {
			m.ov.t = get_i64(&r, "the override cut short");
			get_raw(&r, m.ov.nonce, sizeof m.ov.nonce, "the override cut short");
		}
		m.offset_ms = get_i64(&r, "the offset cut short");
	}
	if (finish(&r, why) != 0) {
		link_request_clear(&m);
		return -1;
	}
	*ret = m;
	return 0;
}

int link_decode_reply(const uint8_t *p, size_t n, struct link_reply *ret, const char **why)
{
	struct rd r;
	struct link_reply m;
	memset(&m, 0, sizeof m);
	if (start(&r, p, n, LINK_REPLY)) {
		int64_t cls = get_i64(&r, "the class cut short");
		if (!r.why && (cls > CENTER_OK || cls < CENTER_EREPLY))
			r.why = "an unknown reply class";
		m.r.cls = (enum center_class)cls;
		m.r.status = (long)get_i64(&r, "the status cut short");
		int64_t code = get_i64(&r, "the curl code cut short");
		if (!r.why && (code < INT32_MIN || code > INT32_MAX))
			r.why = "a curl code out of range";
		m.r.curl_code = (int)code;
		m.r.retry_after_s = get_i64(&r, "retry-after cut short");
		m.offset_ms = get_i64(&r, "the offset cut short");
		m.reachable = get_flag(&r, "the reachable flag cut short");
		m.r.body = get_block(&r, LINK_FRAME_MAX, false, &m.r.len, "the body cut short");
	}
	if (finish(&r, why) != 0) {
		link_reply_clear(&m);
		return -1;
	}
	*ret = m;
	return 0;
}

void link_open_clear(struct link_open *m)
{
	char *s[] = { m->url, m->ca, m->pins, m->cert, m->key, m->key_id, m->device_id };
	for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
		free(s[i]);
	explicit_bzero(m, sizeof *m);
}

void link_opened_clear(struct link_opened *m)
{
	free(m->err);
	memset(m, 0, sizeof *m);
}

void link_request_clear(struct link_request *m)
{
	free(m->method);
	free(m->path);
	free(m->body);
	for (int i = 0; i < LINK_HEADERS_MAX && m->headers[i]; i++)
		free(m->headers[i]);
	memset(m, 0, sizeof *m);
}

void link_reply_clear(struct link_reply *m)
{
	free(m->r.body);
	memset(m, 0, sizeof *m);
}
