#ifndef TESTS_LIB_BENCH_TIME_H
#define TESTS_LIB_BENCH_TIME_H
/* The benches' clocks and percentiles (make bench only: a bench times the machine, so it
 * reads the machine's clocks; tests never do). */
#include <stdint.h>

double bench_now_ms(void);    /* CLOCK_MONOTONIC, ms with fractions */
int64_t bench_wall_ms(void);  /* CLOCK_REALTIME, UTC ms: an account's "updated at" */
/* qsort's comparison of doubles, ascending. */
int bench_cmp_double(const void *a, const void *b);
/* The P-th percentile (nearest rank) of the N values in V, which it sorts. */
double bench_pct(double *v, int n, int p);

#endif
