#ifndef CENTER_HTTP_H
#define CENTER_HTTP_H
/* The billing-center simulator's HTTPS server (libmicrohttpd + GnuTLS): mutual TLS (client
 * certificate from the kiosk CA, subject CN = device_id), Kiosk-Signature check, routing to
 * center_db, the fault schedule.  One internal polling thread serialises every request. */
#include <stdbool.h>
#include <stdint.h>

#include "tests/sim/billing-center/center_faults.h"

struct center_opts {
	const char *host;            /* 127.0.0.1 */
	int port;                    /* 0: a free port */
	const char *db_path;
	const char *cert, *key;      /* server certificate and key (PEM) */
	const char *client_ca;       /* CA that signs kiosk client certificates */
	const char *hmac_keys;       /* lines "DEVICE_ID KID HEX64" */
	struct center_faults faults;
	int64_t clock_offset_s;      /* added to the real clock (skew tests) */
	int slow_ms;                 /* slow_commit delay */
};

struct center_srv;

/* Starts serving; NULL with a message in err on failure. */
struct center_srv *center_start(const struct center_opts *o, char *err, int errcap);
int center_port(const struct center_srv *s);
void center_stop(struct center_srv *s);  /* NULL is fine */
/* A one-line summary of the fault hits so far ("refuse=0 reset=2 …"). */
void center_fault_summary(struct center_srv *s, char *buf, int cap);
/* Request counts so far: "connections=N refused=N hellos=N batch_posts=N batch_200=N
 * batch_distinct=N" (batch_posts: every POST …/batches that got past accept, faulted or not;
 * batch_200: those answered 200 with the reply actually sent; batch_distinct: how many
 * different batch bodies those were, i.e. the POSTs a fault-free exchange would have needed). */
void center_request_summary(struct center_srv *s, char *buf, int cap);

#endif
