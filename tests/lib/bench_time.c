#include "tests/lib/bench_time.h"

#include <stdlib.h>
#include <time.h>

double bench_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int64_t bench_wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

double bench_pct(double *v, int n, int p)
{
	qsort(v, (size_t)n, sizeof v[0], bench_cmp_double);
	int i = (n * p + 99) / 100 - 1;
	return v[i < 0 ? 0 : i];
}
