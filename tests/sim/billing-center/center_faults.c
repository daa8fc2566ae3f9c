/* Fault schedule parsing and seeded draws (splitmix64). */
#include "tests/sim/billing-center/center_faults.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const names[FAULT_COUNT] = {
	[FAULT_REFUSE] = "refuse", [FAULT_RESET] = "reset", [FAULT_COMMIT_DROP] = "commit_drop",
	[FAULT_COMMIT_504] = "commit_504", [FAULT_SLOW_COMMIT] = "slow_commit",
	[FAULT_DUP_REPLY] = "dup_reply", [FAULT_BUSY] = "busy",
};

const char *center_fault_name(enum center_fault which)
{
	return (unsigned)which < FAULT_COUNT ? names[which] : "?";
}

int center_faults_parse(const char *spec, uint64_t default_seed, struct center_faults *ret,
			char *err, int errcap)
{
	struct center_faults f;
	memset(&f, 0, sizeof f);
	f.seed = default_seed;
	char buf[512];
	if (spec && strlen(spec) >= sizeof buf) {
		snprintf(err, (size_t)errcap, "fault spec too long");
		return -1;
	}
	snprintf(buf, sizeof buf, "%s", spec ? spec : "");
	char *save = NULL;
	for (char *item = strtok_r(buf, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(item, '='), *end = NULL;
		if (!eq) {
			snprintf(err, (size_t)errcap, "fault '%s': expected name=value", item);
			return -1;
		}
		*eq = '\0';
		const char *v = eq + 1;
		if (strcmp(item, "offline_s") == 0) {
			long long n = strtoll(v, &end, 10);
			if (*v == '\0' || *end != '\0' || n < 0 || n > 86400) {
				snprintf(err, (size_t)errcap, "fault offline_s='%s': seconds 0..86400", v);
				return -1;
			}
			f.offline_s = n;
			continue;
		}
		if (strcmp(item, "batches_offline_s") == 0) {
			long long n = strtoll(v, &end, 10);
			if (*v == '\0' || *end != '\0' || n < 0 || n > 86400) {
				snprintf(err, (size_t)errcap, "fault batches_offline_s='%s': seconds 0..86400", v);
				return -1;
			}
			f.batches_offline_s = n;
			continue;
		}
		if (strcmp(item, "lookup_delay_ms") == 0) {
			long long n = strtoll(v, &end, 10);
			if (*v == '\0' || *end != '\0' || n < 0 || n > 60000) {
				snprintf(err, (size_t)errcap, "fault lookup_delay_ms='%s': milliseconds 0..60000", v);
				return -1;
			}
			f.lookup_delay_ms = n;
			continue;
		}
		if (strcmp(item, "seed") == 0) {
			unsigned long long s = strtoull(v, &end, 10);
			if (*v == '\0' || *end != '\0' || *v == '-') {
				snprintf(err, (size_t)errcap, "fault seed '%s': not a number", v);
				return -1;
			}
			f.seed = s;
			continue;
		}
		int k = -1;
		for (int i = 0; i < FAULT_COUNT; i++)
			if (strcmp(item, names[i]) == 0)
				k = i;
		if (k < 0) {
			snprintf(err, (size_t)errcap, "fault '%s': unknown name", item);
			return -1;
		}
		double p = strtod(v, &end);
		if (*v == '\0' || *end != '\0' || !(p >= 0.0 && p <= 1.0)) {
			snprintf(err, (size_t)errcap, "fault %s='%s': probability must be 0..1", item, v);
			return -1;
		}
		f.p[k] = p;
	}
	f.state = f.seed;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	f.started_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	*ret = f;
	return 0;
}

static uint64_t next(struct center_faults *f)
{
	uint64_t z = (f->state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

bool center_faults_offline(const struct center_faults *f)
{
	if (f->offline_s <= 0)
		return false;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	int64_t now = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	return now - f->started_ms < f->offline_s * 1000;
}

bool center_faults_batches_held(const struct center_faults *f)
{
	if (f->batches_offline_s <= 0)
		return false;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	int64_t now = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	return now - f->started_ms < f->batches_offline_s * 1000;
}

bool center_faults_roll(struct center_faults *f, enum center_fault which)
{
	if (f->p[which] <= 0.0)
		return false;
	bool hit = (double)(next(f) >> 11) / (double)(1ULL << 53) < f->p[which];
	if (hit)
		f->hits[which]++;
	return hit;
}
