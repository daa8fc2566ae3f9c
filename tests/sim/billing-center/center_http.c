/* HTTPS front of the billing-center simulator: TLS client identity, signature, routing,
 * faults.  Every request is authenticated (certificate, then signature) before anything else
 * (docs/api.md §4.3 rule 1). */
#include "tests/sim/billing-center/center_http.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <microhttpd.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "kiosk/base/clock.h"
#include "kiosk/base/log.h"
#include "kiosk/base/xalloc.h"
#include "offline/center_json.h"
#include "offline/center_sign.h"
#include "tests/sim/billing-center/center_db.h"

#define BODY_CAP (4 * 1024 * 1024)
#define MAX_KEYS 64
#define MAX_TOKENS 128
#define TOKEN_TTL_S 600
#define LOCK_S (15 * 60)
#define MAX_ATTEMPTS 3

struct hkey {
	char dev[64], kid[32];
	uint8_t key[CSIGN_KEY_LEN];
};

struct token {
	char dev[64], pa[64], tok[33];
	int64_t exp_ms;
};

struct strikes {
	char dev[64], pa[64];
	int fails;
	int64_t until_ms;
};

struct center_srv {
	struct MHD_Daemon *d;
	struct cdb *db;
	struct center_opts o;
	char *cert_pem, *key_pem, *ca_pem;
	struct hkey keys[MAX_KEYS];
	int nkeys;
	struct csign_nonces *nonces;
	pthread_mutex_t mu;
	struct token tokens[MAX_TOKENS];
	int ntokens;
	struct strikes strikes[MAX_TOKENS];
	int nstrikes;
	int port;
	/* Request counts for the suites' efficiency checks (printed at exit). */
	unsigned conns, refused, hellos, batch_posts, batch_200;
	/* Digests of the batch bodies answered 200 (reply sent): a kiosk that resends a batch
	 * it already had an answer for shows up as batch_200 > batch_distinct. */
	uint64_t *sent;
	unsigned nsent, capsent;
};

static void note_delivered(struct center_srv *s, const char *body, size_t len)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	uint64_t d = 0;
	if (!EVP_Digest(body, len, md, &mdlen, EVP_sha256(), NULL))
		return;
	memcpy(&d, md, sizeof d);
	for (unsigned i = 0; i < s->nsent; i++)
		if (s->sent[i] == d)
			return;
	if (s->nsent == s->capsent) {
		s->capsent = s->capsent ? 2 * s->capsent : 256;
		s->sent = xrealloc(s->sent, s->capsent * sizeof *s->sent);
	}
	s->sent[s->nsent++] = d;
}

struct req {
	char *uri;
	char *body;
	size_t len;
	bool started, too_big;
};

static int64_t now_ms(const struct center_srv *s)
{
	return clock_wall_ms() + s->o.clock_offset_s * 1000;
}

static char *slurp(const char *path, char *err, int errcap)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, (size_t)errcap, "%s: cannot open", path);
		return NULL;
	}
	char *buf = xmalloc(65537);
	size_t n = fread(buf, 1, 65536, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

static int load_keys(struct center_srv *s, const char *path, char *err, int errcap)
{
	FILE *f = fopen(path, "r");
	char line[256];
	int lineno = 0;
	if (!f) {
		snprintf(err, (size_t)errcap, "%s: cannot open", path);
		return -1;
	}
	while (fgets(line, sizeof line, f)) {
		char dev[64], kid[32], hex[80];
		lineno++;
		if (line[0] == '#' || line[strspn(line, " \t\r\n")] == '\0')
			continue;
		if (sscanf(line, "%63s %31s %79s", dev, kid, hex) != 3 || s->nkeys == MAX_KEYS ||
		    csign_unhex(hex, s->keys[s->nkeys].key, CSIGN_KEY_LEN) != 0) {
			snprintf(err, (size_t)errcap, "%s:%d: expected DEVICE_ID KID HEX64", path, lineno);
			fclose(f);
			return -1;
		}
		snprintf(s->keys[s->nkeys].dev, sizeof s->keys[0].dev, "%s", dev);
		snprintf(s->keys[s->nkeys].kid, sizeof s->keys[0].kid, "%s", kid);
		s->nkeys++;
	}
	fclose(f);
	return 0;
}

static const struct hkey *find_key(const struct center_srv *s, const char *dev, const char *kid)
{
	for (int i = 0; i < s->nkeys; i++)
		if (strcmp(s->keys[i].dev, dev) == 0 && strcmp(s->keys[i].kid, kid) == 0)
			return &s->keys[i];
	return NULL;
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned status, char *json, int retry_after)
{
	struct MHD_Response *rs = MHD_create_response_from_buffer(strlen(json), json, MHD_RESPMEM_MUST_FREE);
	MHD_add_response_header(rs, "Content-Type", "application/json");
	if (retry_after > 0) {
		char b[16];
		snprintf(b, sizeof b, "%d", retry_after);
		MHD_add_response_header(rs, "Retry-After", b);
	}
	enum MHD_Result r = MHD_queue_response(c, status, rs);
	MHD_destroy_response(rs);
	return r;
}

static enum MHD_Result reply_err(struct center_srv *s, struct MHD_Connection *c, unsigned status,
				 const char *error, int retry_after)
{
	struct cjson_error e = { .watermark = -1, .attempts_left = -1, .retry_after_s = -1,
				 .server_time_ms = now_ms(s) };
	snprintf(e.error, sizeof e.error, "%s", error);
	if (retry_after > 0)
		e.retry_after_s = retry_after;
	return reply(c, status, cjson_error_encode(&e), retry_after);
}

/* The verified client certificate's CN.  0, or the HTTP status to refuse with. */
static unsigned client_identity(struct MHD_Connection *c, char *cn, size_t cap, const char **why)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	gnutls_session_t ses = ci ? (gnutls_session_t)ci->tls_session : NULL;
	unsigned int n = 0, status = 0;
	const gnutls_datum_t *list = ses ? gnutls_certificate_get_peers(ses, &n) : NULL;
	if (!list || n == 0) {
		*why = "client_cert_required";
		return 401;
	}
	if (gnutls_certificate_verify_peers2(ses, &status) < 0 || status != 0) {
		*why = "client_cert_invalid";
		return 403;
	}
	gnutls_x509_crt_t crt;
	size_t len = cap;
	unsigned rc = 0;
	if (gnutls_x509_crt_init(&crt) < 0)
		abort();
	if (gnutls_x509_crt_import(crt, &list[0], GNUTLS_X509_FMT_DER) < 0 ||
	    gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, cn, &len) < 0 ||
	    len == 0) {
		*why = "client_cert_invalid";
		rc = 403;
	}
	gnutls_x509_crt_deinit(crt);
	return rc;
}

/* ---------------------------------------------------------------- tokens, strikes */
static const struct token *token_find(struct center_srv *s, const char *dev, const char *pa,
				      const char *tok, int64_t now)
{
	for (int i = 0; i < s->ntokens; i++) {
		const struct token *t = &s->tokens[i];
		if (t->exp_ms > now && strcmp(t->dev, dev) == 0 && strcmp(t->pa, pa) == 0 &&
		    strcmp(t->tok, tok) == 0)
			return t;
	}
	return NULL;
}

static void token_add(struct center_srv *s, const char *dev, const char *pa, char *ret_tok,
		      int64_t now)
{
	uint8_t raw[16];
	int slot = -1;
	for (int i = 0; i < s->ntokens && slot < 0; i++)
		if (s->tokens[i].exp_ms <= now)
			slot = i;
	if (slot < 0)
		slot = s->ntokens < MAX_TOKENS ? s->ntokens++ : 0;
	if (RAND_bytes(raw, sizeof raw) != 1)
		abort();
	struct token *t = &s->tokens[slot];
	snprintf(t->dev, sizeof t->dev, "%s", dev);
	snprintf(t->pa, sizeof t->pa, "%s", pa);
	csign_hex(raw, sizeof raw, t->tok);
	t->exp_ms = now + TOKEN_TTL_S * 1000;
	strcpy(ret_tok, t->tok);
}

static struct strikes *strikes_for(struct center_srv *s, const char *dev, const char *pa)
{
	for (int i = 0; i < s->nstrikes; i++)
		if (strcmp(s->strikes[i].dev, dev) == 0 && strcmp(s->strikes[i].pa, pa) == 0)
			return &s->strikes[i];
	int slot = s->nstrikes < MAX_TOKENS ? s->nstrikes++ : 0;
	struct strikes *k = &s->strikes[slot];
	memset(k, 0, sizeof *k);
	snprintf(k->dev, sizeof k->dev, "%s", dev);
	snprintf(k->pa, sizeof k->pa, "%s", pa);
	return k;
}

/* ---------------------------------------------------------------- routes */
static bool proven(struct center_srv *s, struct MHD_Connection *c, const char *dev,
		   const char *pa, int64_t now)
{
	const char *tok = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Kiosk-Token");
	const char *src = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Kiosk-Source");
	const char *sum = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Kiosk-Bill-Sum");
	if (tok && token_find(s, dev, pa, tok, now))
		return true;
	if (src && sum && strcmp(src, "scan") == 0) {
		char *end = NULL;
		long long v = strtoll(sum, &end, 10);
		return *sum && *end == '\0' && cdb_bill_sum_ok(s->db, pa, v);
	}
	return false;
}

static enum MHD_Result verify(struct center_srv *s, struct MHD_Connection *c, const char *dev,
			      const char *pa, const struct req *r, int64_t now)
{
	kopecks answer;
	char err[CJSON_ERR_MAX];
	int64_t accrued = cdb_accrued(s->db, pa);
	if (accrued < 0)
		return reply_err(s, c, 404, "unknown_account", 0);
	struct strikes *k = strikes_for(s, dev, pa);
	if (k->until_ms > now)
		return reply_err(s, c, 429, "locked", (int)((k->until_ms - now + 999) / 1000));
	if (cjson_verify_req_decode(r->body, r->len, &answer, err) != 0)
		return reply_err(s, c, 400, "bad_request", 0);
	if (answer != accrued) {
		if (++k->fails >= MAX_ATTEMPTS) {
			k->fails = 0;
			k->until_ms = now + LOCK_S * 1000;
			return reply_err(s, c, 429, "locked", LOCK_S);
		}
		struct cjson_error e = { .watermark = -1, .retry_after_s = -1, .server_time_ms = now,
					 .attempts_left = MAX_ATTEMPTS - k->fails };
		strcpy(e.error, "wrong_answer");
		return reply(c, 403, cjson_error_encode(&e), 0);
	}
	k->fails = 0;
	struct cjson_verify_resp vr = { .ttl_s = TOKEN_TTL_S };
	token_add(s, dev, pa, vr.token, now);
	return reply(c, 200, cjson_verify_resp_encode(&vr, now), 0);
}

static enum MHD_Result batches(struct center_srv *s, struct MHD_Connection *c, const char *dev,
			       const struct req *r)
{
	char *json = NULL;
	if (center_faults_batches_held(&s->o.faults))
		return reply_err(s, c, 503, "busy", 1);
	bool twice = center_faults_roll(&s->o.faults, FAULT_DUP_REPLY);
	int st = cdb_batch(s->db, dev, r->body, r->len, now_ms(s), twice, &json);
	if (st == 200) {
		/* The commit is done: what follows only loses or delays the answer. */
		if (center_faults_roll(&s->o.faults, FAULT_COMMIT_DROP)) {
			free(json);
			log_info("center", "fault", "name=commit_drop");
			return MHD_NO;
		}
		if (center_faults_roll(&s->o.faults, FAULT_COMMIT_504)) {
			free(json);
			return reply_err(s, c, 504, "gateway_timeout", 0);
		}
		if (center_faults_roll(&s->o.faults, FAULT_SLOW_COMMIT))
			usleep((useconds_t)s->o.slow_ms * 1000);
		s->batch_200++;
		note_delivered(s, r->body, r->len);
	}
	return reply(c, (unsigned)st, json, 0);
}

/* Splits "/v1/<a>/<id>/<b>" into its parts; false when the shape is wrong. */
static bool route(const char *path, char *kind, char *id, char *action)
{
	char buf[256];
	if (strlen(path) >= sizeof buf || strncmp(path, "/v1/", 4) != 0)
		return false;
	strcpy(buf, path + 4);
	char *save = NULL, *a = strtok_r(buf, "/", &save), *b = strtok_r(NULL, "/", &save);
	char *x = strtok_r(NULL, "/", &save);
	if (!a || !b || strtok_r(NULL, "/", &save) || strlen(a) >= 16 || strlen(b) >= 64 ||
	    (x && strlen(x) >= 16))
		return false;
	strcpy(kind, a);
	strcpy(id, b);
	strcpy(action, x ? x : "");
	return true;
}

static enum MHD_Result process(struct center_srv *s, struct MHD_Connection *c, const char *method,
			       struct req *r)
{
	char dev[64], path[256], kind[16], id[64], action[16];
	const char *why = NULL;
	int64_t now = now_ms(s);
	unsigned st;
	if (center_faults_roll(&s->o.faults, FAULT_RESET)) {
		log_info("center", "fault", "name=reset");
		return MHD_NO;
	}
	if ((st = client_identity(c, dev, sizeof dev, &why)) != 0)
		return reply_err(s, c, st, why, 0);
	if (r->too_big)
		return reply_err(s, c, 413, "too_large", 0);
	/* Signature over the request target exactly as sent. */
	struct csign_header h;
	const char *sig = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Kiosk-Signature");
	const struct hkey *k = NULL;
	if (csign_parse(sig, &h) != 0 || !(k = find_key(s, dev, h.kid)))
		return reply_err(s, c, 401, "bad_signature", 0);
	if (csign_check_time(h.t, now / 1000) != 0)
		return reply_err(s, c, 401, "clock_skew", 0);
	if (csign_check_sig(k->key, &h, method, r->uri, dev, (const uint8_t *)r->body, r->len) != 0)
		return reply_err(s, c, 401, "bad_signature", 0);
	if (csign_nonces_check(s->nonces, dev, h.nonce_hex, now / 1000) != 0)
		return reply_err(s, c, 401, "replay", 0);
	if (center_faults_roll(&s->o.faults, FAULT_BUSY))
		return reply_err(s, c, 503, "busy", 1);

	snprintf(path, sizeof path, "%.*s", (int)strcspn(r->uri, "?"), r->uri);
	if (!route(path, kind, id, action))
		return reply_err(s, c, 404, "not_found", 0);
	bool get = strcmp(method, "GET") == 0, post = strcmp(method, "POST") == 0;
	char *json = NULL;
	if (strcmp(kind, "devices") == 0) {
		if (strcmp(id, dev) != 0)
			return reply_err(s, c, 403, "device_mismatch", 0);
		if (post && strcmp(action, "hello") == 0) {
			st = (unsigned)cdb_hello(s->db, dev, r->body, r->len, now, &json);
		} else if (post && strcmp(action, "batches") == 0) {
			return batches(s, c, dev, r);
		} else if (get && strcmp(action, "snapshot") == 0) {
			const char *since = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "since");
			const char *lim = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "limit");
			st = (unsigned)cdb_snapshot(s->db, since, lim ? atoi(lim) : CJSON_MAX_PAGE, now, &json);
		} else {
			return reply_err(s, c, 404, "not_found", 0);
		}
		return reply(c, st, json, 0);
	}
	if (strcmp(kind, "accounts") != 0 || strspn(id, "0123456789") != strlen(id) || strlen(id) > 15)
		return reply_err(s, c, 404, "not_found", 0);
	const char *from = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "from");
	const char *to = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "to");
	if (get && action[0] == '\0') {
		if (s->o.faults.lookup_delay_ms > 0)
			usleep((useconds_t)s->o.faults.lookup_delay_ms * 1000);
		st = (unsigned)cdb_account(s->db, id, proven(s, c, dev, id, now), now, &json);
	} else if (post && strcmp(action, "verify") == 0) {
		return verify(s, c, dev, id, r, now);
	} else if (get && (strcmp(action, "readings") == 0 || strcmp(action, "payments") == 0)) {
		if (cdb_accrued(s->db, id) < 0)
			return reply_err(s, c, 404, "unknown_account", 0);
		if (!proven(s, c, dev, id, now))
			return reply_err(s, c, 403, "verification_required", 0);
		st = (unsigned)(action[0] == 'r' ? cdb_readings(s->db, id, from, to, now, &json)
						 : cdb_payments(s->db, id, from, to, now, &json));
	} else {
		return reply_err(s, c, 404, "not_found", 0);
	}
	return reply(c, st, json, 0);
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url,
			       const char *method, const char *version, const char *upload,
			       size_t *upload_size, void **con_cls)
{
	struct center_srv *s = cls;
	struct req *r = *con_cls;
	(void)url; (void)version;
	if (!r)
		return MHD_NO;
	if (!r->started) {
		r->started = true;
		return MHD_YES;
	}
	if (*upload_size) {
		if (r->len + *upload_size > BODY_CAP) {
			r->too_big = true;
		} else {
			r->body = xrealloc(r->body, r->len + *upload_size + 1);
			memcpy(r->body + r->len, upload, *upload_size);
			r->len += *upload_size;
			r->body[r->len] = '\0';
		}
		*upload_size = 0;
		return MHD_YES;
	}
	pthread_mutex_lock(&s->mu);
	/* Counted before any fault: every request the kiosk got through to us costs a round. */
	size_t ulen = strlen(r->uri);
	if (strcmp(method, "POST") == 0 && ulen >= 8 && strcmp(r->uri + ulen - 8, "/batches") == 0)
		s->batch_posts++;
	else if (strcmp(method, "POST") == 0 && ulen >= 6 && strcmp(r->uri + ulen - 6, "/hello") == 0)
		s->hellos++;
	enum MHD_Result rc = process(s, c, method, r);
	pthread_mutex_unlock(&s->mu);
	return rc;
}

static void *uri_cb(void *cls, const char *uri, struct MHD_Connection *c)
{
	(void)cls; (void)c;
	struct req *r = xcalloc(1, sizeof *r);
	r->uri = xstrdup(uri);
	return r;
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
		      enum MHD_RequestTerminationCode toe)
{
	(void)cls; (void)c; (void)toe;
	struct req *r = *con_cls;
	if (r) {
		free(r->uri);
		free(r->body);
		free(r);
		*con_cls = NULL;
	}
}

static enum MHD_Result accept_cb(void *cls, const struct sockaddr *addr, socklen_t len)
{
	struct center_srv *s = cls;
	(void)addr; (void)len;
	pthread_mutex_lock(&s->mu);
	bool refuse = center_faults_offline(&s->o.faults) || center_faults_roll(&s->o.faults, FAULT_REFUSE);
	s->conns++;
	s->refused += refuse;
	pthread_mutex_unlock(&s->mu);
	return refuse ? MHD_NO : MHD_YES;
}

struct center_srv *center_start(const struct center_opts *o, char *err, int errcap)
{
	struct center_srv *s = xcalloc(1, sizeof *s);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)o->port) };
	s->o = *o;
	pthread_mutex_init(&s->mu, NULL);
	if (inet_pton(AF_INET, o->host, &sa.sin_addr) != 1) {
		snprintf(err, (size_t)errcap, "bad listen address %s", o->host);
		goto fail;
	}
	if (!(s->cert_pem = slurp(o->cert, err, errcap)) || !(s->key_pem = slurp(o->key, err, errcap)) ||
	    !(s->ca_pem = slurp(o->client_ca, err, errcap)) || load_keys(s, o->hmac_keys, err, errcap))
		goto fail;
	if (!(s->db = cdb_open(o->db_path, err, (size_t)errcap)))
		goto fail;
	s->nonces = csign_nonces_new(100000);
	s->d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_TLS | MHD_USE_ERROR_LOG,
				0, accept_cb, s, handler, s,
				MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
				MHD_OPTION_HTTPS_MEM_KEY, s->key_pem,
				MHD_OPTION_HTTPS_MEM_CERT, s->cert_pem,
				MHD_OPTION_HTTPS_MEM_TRUST, s->ca_pem,
				MHD_OPTION_HTTPS_PRIORITIES, "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2",
				MHD_OPTION_URI_LOG_CALLBACK, uri_cb, s,
				MHD_OPTION_NOTIFY_COMPLETED, completed, s,
				MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)60,
				MHD_OPTION_END);
	if (!s->d) {
		snprintf(err, (size_t)errcap, "cannot listen on %s:%d (TLS setup or port in use)", o->host, o->port);
		goto fail;
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
	s->port = di ? di->port : o->port;
	return s;
fail:
	center_stop(s);
	return NULL;
}

int center_port(const struct center_srv *s)
{
	return s->port;
}

void center_fault_summary(struct center_srv *s, char *buf, int cap)
{
	int n = 0;
	buf[0] = '\0';
	pthread_mutex_lock(&s->mu);
	for (int i = 0; i < FAULT_COUNT && n < cap; i++)
		n += snprintf(buf + n, (size_t)(cap - n), "%s%s=%u", i ? " " : "",
			      center_fault_name((enum center_fault)i), s->o.faults.hits[i]);
	pthread_mutex_unlock(&s->mu);
}

void center_request_summary(struct center_srv *s, char *buf, int cap)
{
	pthread_mutex_lock(&s->mu);
	snprintf(buf, (size_t)cap, "connections=%u refused=%u hellos=%u batch_posts=%u batch_200=%u "
		 "batch_distinct=%u", s->conns, s->refused, s->hellos, s->batch_posts, s->batch_200, s->nsent);
	pthread_mutex_unlock(&s->mu);
}

void center_stop(struct center_srv *s)
{
	if (!s)
		return;
	if (s->d)
		MHD_stop_daemon(s->d);
	cdb_close(s->db);
	csign_nonces_free(s->nonces);
	free(s->cert_pem);
	if (s->key_pem) {
		memset(s->key_pem, 0, strlen(s->key_pem));
		free(s->key_pem);
	}
	free(s->ca_pem);
	free(s->sent);
	memset(s->keys, 0, sizeof s->keys);
	pthread_mutex_destroy(&s->mu);
	free(s);
}
