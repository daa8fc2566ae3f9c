#ifndef OFFLINE_CENTER_TRANSPORT_H
#define OFFLINE_CENTER_TRANSPORT_H
/* The two transports behind center_client (center_client.h), internal to offline/:
 *   center_curl  libcurl in this process (center_curl.c);
 *   center_link  a kiosk-link process that runs center_curl for us (center_link.c).
 * Both do one signed request with its one re-signing retry (clock_skew, replay), read the
 * clock offset to sign with from *offset_ms and leave there what the reply taught, and set
 * *reachable to whether any HTTP answer came back. */
#include <stdbool.h>
#include <stdint.h>

#include "offline/center_client.h"

struct center_curl;
struct center_curl *center_curl_new(const struct center_client_opts *o, char *err, size_t cap);
void center_curl_free(struct center_curl *c);
int center_curl_request(struct center_curl *c, const char *method, const char *path,
			const char *body, size_t len, const char *const *extra_headers,
			const struct center_sign_override *ov, int64_t *offset_ms, bool *reachable,
			struct center_reply *ret);

struct center_link;
/* Finds the link program and keeps the options for it: NULL with the reason in err.  The
 * channel to the kiosk's link process (link_host.h) is opened by the first request (a
 * failure there is CENTER_ENET). */
struct center_link *center_link_new(const struct center_client_opts *o, char *err, size_t cap);
void center_link_free(struct center_link *l);
int center_link_request(struct center_link *l, const char *method, const char *path,
			const char *body, size_t len, const char *const *extra_headers,
			const struct center_sign_override *ov, int64_t *offset_ms, bool *reachable,
			struct center_reply *ret);

/* A non-2xx reply's error body into r->err (all -1 and "" when it is not one). */
void center_reply_http_error(struct center_reply *r);

#endif
