#ifndef TESTS_CHECK_CENTER_SPAWN_H
#define TESTS_CHECK_CENTER_SPAWN_H
/* Starts build/billing-center on a free loopback port for the network suites. */
#include <sys/types.h>

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

#endif
