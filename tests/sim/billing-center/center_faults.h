#ifndef CENTER_FAULTS_H
#define CENTER_FAULTS_H
/* The billing-center simulator's fault schedule (docs/api.md §9): `name=probability,…,seed=N`
 * with the names below.  Rolls come from one seeded generator, so a failing run replays with
 * the printed seed.  Pure; the HTTP layer serialises calls. */
#include <stdbool.h>
#include <stdint.h>

enum center_fault {
	FAULT_REFUSE,      /* close the connection right after accept */
	FAULT_RESET,       /* drop the connection after reading the request, before processing */
	FAULT_COMMIT_DROP, /* batches: commit, then drop the connection without a reply */
	FAULT_COMMIT_504,  /* batches: commit, then answer 504 */
	FAULT_SLOW_COMMIT, /* batches: commit, then wait slow_ms before replying */
	FAULT_DUP_REPLY,   /* batches: apply twice (a duplicated request), reply to the second */
	FAULT_BUSY,        /* answer 503 + Retry-After before processing */
	FAULT_COUNT
};

struct center_faults {
	double p[FAULT_COUNT];
	uint64_t seed;
	uint64_t state;
	unsigned hits[FAULT_COUNT];
	int64_t offline_s;       /* `offline_s=N`: refuse every connection for N s after start */
	int64_t started_ms;      /* CLOCK_MONOTONIC at parse */
	int64_t batches_offline_s; /* `batches_offline_s=N`: batches answered 503 busy for N s
				    * after start (the rest answers: a record stays in transit) */
	int64_t lookup_delay_ms; /* `lookup_delay_ms=N`: an account's GET answered N ms late (a
				  * slow center while a resident waits) */
};

/* Parses SPEC ("" or NULL: no faults; seed defaults to default_seed).  0, or -1 with a
 * message in err naming the bad item. */
int center_faults_parse(const char *spec, uint64_t default_seed, struct center_faults *ret,
			char *err, int errcap);
/* True while the link outage of offline_s lasts. */
bool center_faults_offline(const struct center_faults *f);
/* True while batches_offline_s lasts. */
bool center_faults_batches_held(const struct center_faults *f);
/* One draw: true with the fault's probability (counted in hits). */
bool center_faults_roll(struct center_faults *f, enum center_fault which);
const char *center_fault_name(enum center_fault which);

#endif
