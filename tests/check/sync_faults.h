#ifndef TESTS_CHECK_SYNC_FAULTS_H
#define TESTS_CHECK_SYNC_FAULTS_H
/* What the end-to-end fault suite (sync_faults.c) reads back after a run
 * (sync_faults_read.c).  Keys are 32 lowercase hex digits and a NUL. */
#include <sqlite3.h>
#include <stdint.h>

#include "kiosk/base/money.h"

/* The database at path, read-only, waiting up to 5 s on a writer; NULL when it will not open. */
sqlite3 *sf_ro(const char *path);
/* The first column of the first row of sql on path, or -1. */
int64_t sf_q_int(const char *path, const char *sql);
/* qsort's order of two keys. */
int sf_cmp_key(const void *a, const void *b);
/* The keys sql selects on path, sorted, into *ret (freed by the caller); their number or -1. */
int sf_q_keys(const char *path, const char *sql, char (**ret)[33]);
/* Two sorted key lists compared: how many of a are missing from b, how many of b are not
 * in a, and how many adjacent repeats b has. */
void sf_diff_keys(char (*a)[33], int na, char (*b)[33], int nb, int *missing, int *extra, int *dups);
/* The sum of the payment bodies the center at path booked, *ret_n of them; *ret_bad: those
 * whose lines do not add up to their total or that were not created.  -1 when the ledger
 * cannot be read. */
kopecks sf_ledger_pay_sum(const char *path, int *ret_n, int *ret_bad);

/* The simulator's counts from its log: fault hits by sf_fault_names, requests and batches. */
struct sf_center_counts {
	unsigned hits[7], refused, hellos, posts, ok, distinct;
};
extern const char *const sf_fault_names[7];
/* Adds the counts of every stop line of the log (one per simulator run). */
void sf_read_log(const char *path, struct sf_center_counts *c);

#endif
