#ifndef TESTS_CHECK_CENTER_NET_H
#define TESTS_CHECK_CENTER_NET_H
/* What the billing center's network suite's files share (center_net.c, the suite and its
 * main; center_net_ledger.c, the ledger's rules): the counts behind CHECK, a client of
 * the running center, its database, and batches to send. */
#include <stdint.h>
#include <stdio.h>

#include "offline/center_client.h"
#include "offline/center_json.h"
#include "offline/outbox.h"
#include "tests/check/center_spawn.h"

extern int net_passed, net_failed;
#define CHECK(cond, ...) do { \
	if (cond) { net_passed++; printf("ok   "); } else { net_failed++; printf("FAIL "); } \
	printf(__VA_ARGS__); printf("\n"); fflush(stdout); } while (0)

/* A client of the center on port as device K0001 with the test PKI's client certificate. */
struct center_client *net_client(int port);
/* The first column of the first row of sql on the center's database, or -1. */
int64_t net_db_int(const char *sql);

/* A batch and the records and bodies it points into. */
struct net_batch {
	struct outbox_batch b;
	struct outbox_record r[8];
	char bodies[8][512];
};
/* A batch first..first+n-1 in epoch ep chaining from prev; bodies[i] given, keys
 * 0xA5..keys[i]. */
void net_mkbatch(struct net_batch *s, const uint8_t ep[16], int64_t first, const uint8_t prev[32],
		 int n, const int *keys, const char *const *kinds, const char *const *bodies);
/* b encoded and sent: the client's code, the reply in resp and rep. */
int net_send_batch(struct center_client *c, const struct outbox_batch *b,
		   struct cjson_batch_resp *resp, struct center_reply *rep);

/* center_net_ledger.c: the ledger's rules against the center on port. */
void test_ledger(int port);

/* The simulator on a free port with these extra arguments (center_spawn.h). */
struct center_proc net_start(const char *const *extra);
/* A client of the center on port as device K0001, total timeout total_ms, its exchanges in
 * this process or (CENTER_NET_LINK set) in a kiosk-link process. */
struct center_client *net_client_total(int port, long total_ms);
/* The options net_client uses, for a client a test makes itself. */
struct center_client_opts net_opts(int port, long total_ms);
/* center_net_link.c: the link process's own faults (when CENTER_NET_LINK is set). */
void test_link(void);

#endif
