#ifndef OFFLINE_CENTER_CLIENT_H
#define OFFLINE_CENTER_CLIENT_H
/* The kiosk's billing-center client (docs/api.md §1): libcurl over OpenSSL, HTTPS only,
 * TLS >= 1.2, the center's private CA, public-key pinning with a backup pin (never an
 * unpinned fallback), mutual TLS, a Kiosk-Signature on every request, no redirects,
 * connect 10 s / total 30 s, keep-alive, NOSIGNAL, one handle reused so one connection is.
 *
 * The clock offset (server - local) is learned from server_time_ms of every response and
 * used to sign; a 401 clock_skew is retried once, re-signed with the learned offset, and so
 * is a 401 replay (libcurl itself resends a request, same nonce, when a reused connection
 * dies before the reply).
 *
 * One client per thread (the sync thread owns one; interactive lookups own another).
 *
 * The exchange itself runs in this process (libcurl, loaded at the first client), or, when
 * opts.link.on, in the kiosk's one kiosk-link process, over a channel of the client's own
 * opened by its first request on the thread that owns it (center_link.c): the kiosk then
 * maps no TLS, HTTP or Kerberos library and parses no network byte but the reply's JSON.
 * Both give the same replies, classes and clock offset; a link process that dies or stops
 * answering mid-request is CENTER_ETIMEOUT (the request may have reached the center), and
 * the next request starts a new one. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kiosk/bill/account.h"
#include "offline/center_json.h"
#include "offline/center_sign.h"

/* Transport result classes: what the sync engine decides on. */
enum center_class {
	CENTER_OK = 0,       /* 2xx and (for typed calls) a well-formed body */
	CENTER_ENET = -1,    /* refused, reset, nothing received: retry with backoff */
	CENTER_ETIMEOUT = -2,/* connect or total timeout: the request may have been applied */
	CENTER_EPIN = -3,    /* CURLE_SSL_PINNEDPUBKEYNOTMATCH: alert, never fall back */
	CENTER_ETLS = -4,    /* certificate verification or local TLS configuration failed */
	CENTER_EHTTP = -5,   /* a non-2xx status (see status, error, retry_after_s) */
	CENTER_EREPLY = -6,  /* a 2xx whose body is malformed or over the cap */
};

/* Where the exchange runs (opts.link): the kiosk sets it, kiosk-tool and tests need not. */
struct center_link_opts {
	bool on;              /* false: libcurl in this process */
	char program[256];    /* the kiosk-link program ("" : found beside this program) */
	char log_file[256];   /* the link's log: the kiosk's own file, level and syslog */
	char log_level[8];
	bool log_syslog;
};

struct center_client_opts {
	const char *url;            /* https://host:port, no trailing slash */
	const char *ca;             /* CURLOPT_CAINFO */
	const char *pins;           /* "sha256//A;sha256//B" (required) */
	const char *cert, *key;     /* client certificate and key (PEM) */
	uint8_t hmac_key[CSIGN_KEY_LEN];
	const char *key_id;
	const char *device_id;
	long connect_timeout_ms;    /* 0: 10000 */
	long total_timeout_ms;      /* 0: 30000 */
	struct center_link_opts link;
};

struct center_reply {
	enum center_class cls;
	long status;                /* HTTP status, 0 when none was received */
	int curl_code;
	int64_t retry_after_s;      /* Retry-After, -1 when absent */
	struct cjson_error err;     /* decoded error body of a non-2xx reply (err.error "" if none) */
	char *body;                 /* raw body, NUL-terminated; freed by center_reply_clear */
	size_t len;
};

void center_reply_clear(struct center_reply *r);
const char *center_class_name(enum center_class c);

/* The link program: configured (when not ""), else kiosk-link beside this program (the build
 * tree), else in ../lib/kiosk/ from it (installed: /usr/bin/kiosk, /usr/lib/kiosk/kiosk-link).
 * 0 with its path in out, or -1 with where it was looked for in err. */
int center_link_program(const char *configured, char *out, size_t cap, char *err, size_t ecap);

struct center_client;

/* NULL with a message in err when an option is missing or libcurl refuses one (for example
 * a libcurl without pinning or CURLOPT_PROTOCOLS_STR support). */
struct center_client *center_client_new(const struct center_client_opts *o, char *err, size_t cap);
void center_client_free(struct center_client *c);  /* NULL is fine */
int64_t center_client_offset_ms(const struct center_client *c);
void center_client_set_offset_ms(struct center_client *c, int64_t offset_ms);
/* Whether the last exchange got any HTTP answer (the center is reachable). */
bool center_client_reachable(const struct center_client *c);

/* Test hook: sign with this time (unix s) and nonce instead of the clock and fresh random
 * bytes, and do not retry a clock_skew. */
struct center_sign_override {
	int64_t t;
	uint8_t nonce[CSIGN_NONCE_LEN];
};

/* One signed request.  extra_headers: NULL-terminated "Name: value" strings or NULL.
 * Returns ret->cls; *ret is always filled (clear it with center_reply_clear). */
int center_request(struct center_client *c, const char *method, const char *path,
		   const char *body, size_t len, const char *const *extra_headers,
		   const struct center_sign_override *ov, struct center_reply *ret);

/* Typed calls: the reply class; on CENTER_OK *ret holds the decoded message.  A malformed
 * 2xx body is CENTER_EREPLY with the decoder's message in rep->err.detail. */
int center_hello(struct center_client *c, const struct cjson_hello_req *req,
		 struct cjson_hello_resp *ret, struct center_reply *rep);
/* Sends the exact bytes of an encoded batch (resend the same bytes on retry). */
int center_batch(struct center_client *c, const char *json, size_t len,
		 struct cjson_batch_resp *ret, struct center_reply *rep);
/* token may be NULL; bill_sum < 0 when the number was typed, else the scanned bill's Sum. */
int center_account(struct center_client *c, const char *pers_acc, const char *token,
		   kopecks bill_sum, struct account *ret, struct center_reply *rep);
int center_verify(struct center_client *c, const char *pers_acc, kopecks answer,
		  struct cjson_verify_resp *ret, struct center_reply *rep);
int center_readings(struct center_client *c, const char *pers_acc, const char *token,
		    const char *from, const char *to, struct cjson_readings *ret,
		    struct center_reply *rep);
int center_payments(struct center_client *c, const char *pers_acc, const char *token,
		    const char *from, const char *to, struct cjson_payments *ret,
		    struct center_reply *rep);
int center_snapshot(struct center_client *c, const char *since, int limit,
		    struct cjson_snapshot_page *ret, struct center_reply *rep);

#endif
