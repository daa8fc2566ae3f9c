/* Store figures (make bench), each with its floor measured in the same run:
 *   journal_commit_ms_p50  one journal transition committed (WAL, synchronous=FULL)
 *   fsync_floor_ms_p50     a raw 4 KiB write + fdatasync on the same filesystem
 *   journal_commit_ratio   the two divided (target <= 1.5)
 *   account_lookup_us      cache_get of a random account among 1,000,000 (target <= 100)
 * The files live in a temporary directory under $BUILD (the project's disk, not a tmpfs). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kiosk/base/log.h"
#include "offline/cache.h"
#include "offline/journal.h"
#include "offline/store.h"
#include "offline/store_internal.h"
#include "tests/lib/bench_time.h"

#define COMMITS 400
#define ACCOUNTS 1000000
#define PAGE 2000
#define LOOKUPS 200000

static double p50(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, bench_cmp_double);
	return v[n / 2];
}

/* The floor and the commits are interleaved one for one, so that both see the same disk
 * (a shared machine's fsync latency drifts by an order of magnitude within a minute). */
struct floor_file {
	int fd;
	char buf[4096];
};

static double floor_once(struct floor_file *f)
{
	double a = bench_now_ms();
	if (write(f->fd, f->buf, sizeof f->buf) != (ssize_t)sizeof f->buf || fdatasync(f->fd) != 0)
		return -1;
	return bench_now_ms() - a;
}

/* Every commit of the payment path: begin, authorize, record (+ outbox), confirm; each
 * followed by a raw 4 KiB write + fdatasync on the same filesystem. */
static int journal_commits(const char *dir, double *ret_commit, double *ret_floor)
{
	char path[600];
	snprintf(path, sizeof path, "%s/floor.bin", dir);
	struct floor_file f;
	memset(f.buf, 0xa5, sizeof f.buf);
	f.fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (f.fd < 0)
		return -1;
	snprintf(path, sizeof path, "%s/journal.db", dir);
	struct store *s;
	if (store_open(path, &s) != STORE_OK)
		return -1;
	double t[COMMITS], fl[COMMITS];
	int n = 0;
	struct journal_line l = { .amount = 523416 };
	strcpy(l.pers_acc, "12345678");
	strcpy(l.period, "2026-10");
	strcpy(l.payee_inn, "5036000000");
	struct journal_card c = { .entry_mode = 7, .cvm = 1 };
	strcpy(c.masked_pan, "220012******1234");
	strcpy(c.slip, "ОДОБРЕНО");
	int64_t clock = 1000;
	while (n < COMMITS) {
		char id[33];
		for (int step = 0; step < 4; step++, n++) {
			double a = bench_now_ms();
			int rc = step == 0 ? journal_begin(s, &l, 1, clock, id) :
				 step == 1 ? journal_authorize(s, id, &c, clock) :
				 step == 2 ? journal_record(s, id, false, clock) :
					     journal_move(s, id, JOURNAL_CONFIRMED, NULL, clock);
			t[n] = bench_now_ms() - a;
			clock++;
			fl[n] = floor_once(&f);
			if (rc != STORE_OK || fl[n] < 0)
				return -1;
		}
	}
	store_close(s);
	close(f.fd);
	*ret_commit = p50(t, n);
	*ret_floor = p50(fl, n);
	return 0;
}

static void fill(struct account *a, int i)
{
	memset(a, 0, sizeof *a);
	snprintf(a->pers_acc, sizeof a->pers_acc, "%08d", 10000000 + i);
	snprintf(a->owner_masked, sizeof a->owner_masked, "И***в И. И.");
	snprintf(a->address_masked, sizeof a->address_masked, "г. Подольск, ул. Л*****, д. %d", i % 300);
	snprintf(a->period, sizeof a->period, "2026-10");
	a->due = 100000 + i;
	a->accrued = 98000;
	a->nservices = 2;
	for (int k = 0; k < 2; k++) {
		snprintf(a->services[k].code, sizeof a->services[k].code, k ? "el" : "hvs");
		snprintf(a->services[k].name, sizeof a->services[k].name,
			 k ? "Электроснабжение" : "Холодное водоснабжение");
		snprintf(a->services[k].supplier_id, sizeof a->services[k].supplier_id, "s%d",
			 (i + k) % 50);
		a->services[k].due = 50000;
	}
	a->nsuppliers = 1;
	snprintf(a->suppliers[0].id, sizeof a->suppliers[0].id, "s%d", i % 50);
	snprintf(a->suppliers[0].name, sizeof a->suppliers[0].name, "Поставщик %d", i % 50);
	snprintf(a->suppliers[0].inn, sizeof a->suppliers[0].inn, "50360000%02d", i % 50);
	a->nmeters = 1;
	snprintf(a->meters[0].id, sizeof a->meters[0].id, "m1");
	snprintf(a->meters[0].serial, sizeof a->meters[0].serial, "%07d", i);
	snprintf(a->meters[0].service, sizeof a->meters[0].service, "hvs");
	snprintf(a->meters[0].unit, sizeof a->meters[0].unit, "м³");
	a->meters[0].digits = 5;
	a->meters[0].decimals = 3;
	a->meters[0].last_value_milli = i;
	snprintf(a->meters[0].last_date, sizeof a->meters[0].last_date, "2026-10-20");
	a->details = true;
	a->updated_at_ms = 1761000000000;
}

static int lookups(const char *dir, double *ret_us, double *ret_build_s)
{
	char path[600];
	snprintf(path, sizeof path, "%s/accounts.db", dir);
	struct store *s;
	if (store_open(path, &s) != STORE_OK)
		return -1;
	/* Building the fixture is not what is measured: no fsync, a big page cache. */
	sqlite3_exec(store_db(s), "PRAGMA synchronous = OFF; PRAGMA cache_size = -262144",
		     NULL, NULL, NULL);
	struct account *page = malloc(sizeof *page * PAGE);
	double a = bench_now_ms();
	for (int i = 0; i < ACCOUNTS; i += PAGE) {
		for (int k = 0; k < PAGE; k++)
			fill(&page[k], i + k);
		if (cache_put_many(s, page, PAGE) != STORE_OK)
			return -1;
	}
	*ret_build_s = (bench_now_ms() - a) / 1000;
	free(page);
	store_close(s);
	/* A fresh connection with default settings, as the kiosk would have. */
	if (store_open(path, &s) != STORE_OK)
		return -1;
	int64_t n;
	if (cache_count(s, &n) != STORE_OK || n != ACCOUNTS)
		return -1;
	struct account *acc = malloc(sizeof *acc);
	uint64_t rng = 88172645463325252ull;
	char key[16];
	for (int i = 0; i < 20000; i++) { /* warm-up */
		rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17;
		snprintf(key, sizeof key, "%08d", 10000000 + (int)(rng % ACCOUNTS));
		cache_get(s, key, acc);
	}
	a = bench_now_ms();
	for (int i = 0; i < LOOKUPS; i++) {
		rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17;
		snprintf(key, sizeof key, "%08d", 10000000 + (int)(rng % ACCOUNTS));
		if (cache_get(s, key, acc) != STORE_OK || acc->nservices != 2 || acc->nmeters != 1)
			return -1;
	}
	*ret_us = (bench_now_ms() - a) * 1000 / LOOKUPS;
	free(acc);
	store_close(s);
	return 0;
}

int main(void)
{
	log_set_level(LOG_LVL_WARN);
	const char *build = getenv("BUILD");
	char dir[400];
	snprintf(dir, sizeof dir, "%s/bench-store.XXXXXX", build && *build ? build : "build");
	if (!mkdtemp(dir)) {
		perror(dir);
		return 1;
	}
	int status = 0;
	double commit = 0, floor = 0;
	if (journal_commits(dir, &commit, &floor) != 0 || floor <= 0) {
		fprintf(stderr, "bench_store: journal/fsync measurement failed\n");
		status = 1;
	} else {
		printf("journal_commit_ms_p50 %.3f ms\n", commit);
		printf("fsync_floor_ms_p50 %.3f ms\n", floor);
		printf("journal_commit_ratio %.2f x\n", commit / floor);
	}
	double us, build_s;
	if (lookups(dir, &us, &build_s) != 0) {
		fprintf(stderr, "bench_store: account lookups failed\n");
		status = 1;
	} else {
		printf("account_lookup_us %.1f us\n", us);
		printf("account_cache_build_s %.1f s\n", build_s);
	}
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		status = 1;
	return status;
}
