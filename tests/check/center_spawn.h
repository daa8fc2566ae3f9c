#ifndef TESTS_CHECK_CENTER_SPAWN_H
#define TESTS_CHECK_CENTER_SPAWN_H
/* For the network suites and bench_sync: starts build/billing-center on a free loopback
 * port, and gives the kiosk side of the test PKI that make builds in BUILD/certs. */
#include <sys/types.h>

#include "offline/center_client.h"

struct center_proc {
	pid_t pid;
	int port;   /* 0 when it did not start */
};

/* BUILD/billing-center --listen 127.0.0.1:0 --db DB --certs-dir BUILD/certs EXTRA... */
struct center_proc center_spawn(const char *build, const char *db, const char *const *extra);
/* The same on a chosen port (0: a free one), its stderr appended to errlog when not NULL
 * (the simulator prints its fault hits and request counts there when it stops). */
struct center_proc center_spawn_at(const char *build, const char *db, int port, const char *errlog,
				   const char *const *extra);
void center_kill(struct center_proc *p);

/* The test kiosk's certificate, key, CA, HMAC key file and pins line; url once set. */
struct test_pki {
	char ca[400], cert[400], key[400], keyfile[400], pins[512], url[64];
};
/* Reads BUILD/certs: 0, or -1 with a message on stderr when the test PKI is missing. */
int test_pki_load(const char *build, struct test_pki *p);
/* Client options for the test kiosk (device K0001, key k1) at 127.0.0.1:port, timeouts 0
 * (the client's defaults); they point into p.  0, or -1 when the HMAC key cannot be read. */
int test_pki_client(struct test_pki *p, int port, struct center_client_opts *o);

#endif
