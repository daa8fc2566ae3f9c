/* The simulator's fault schedule: parsing (names, probabilities, seed, errors) and seeded,
 * reproducible draws whose frequency follows the probability. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "tests/sim/billing-center/center_faults.h"

static void test_parse(void **st)
{
	(void)st;
	struct center_faults f;
	char err[128];
	assert_int_equal(center_faults_parse("refuse=0.25,commit_504=1,seed=42", 7, &f, err, sizeof err), 0);
	assert_true(f.p[FAULT_REFUSE] == 0.25);
	assert_true(f.p[FAULT_COMMIT_504] == 1.0);
	assert_true(f.p[FAULT_RESET] == 0.0);
	assert_int_equal(f.seed, 42);
	assert_int_equal(center_faults_parse(NULL, 7, &f, err, sizeof err), 0);
	assert_int_equal(f.seed, 7);
	for (int i = 0; i < FAULT_COUNT; i++)
		assert_true(f.p[i] == 0.0);
	assert_int_equal(center_faults_parse("", 9, &f, err, sizeof err), 0);
	assert_int_equal(f.seed, 9);
	const char *names = "refuse=1,reset=1,commit_drop=1,commit_504=1,slow_commit=1,dup_reply=1,busy=1";
	assert_int_equal(center_faults_parse(names, 1, &f, err, sizeof err), 0);
	for (int i = 0; i < FAULT_COUNT; i++)
		assert_true(f.p[i] == 1.0);
	assert_string_equal(center_fault_name(FAULT_DUP_REPLY), "dup_reply");

	struct center_faults keep;
	memset(&keep, 0x11, sizeof keep);
	f = keep;
	const char *bad[][2] = {
		{ "drop=0.5", "unknown" }, { "refuse", "name=value" }, { "refuse=1.5", "0..1" },
		{ "refuse=-0.1", "0..1" }, { "refuse=abc", "0..1" }, { "refuse=", "0..1" },
		{ "seed=x", "seed" }, { "seed=-3", "seed" }, { "busy=nan", "0..1" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err[0] = '\0';
		assert_int_equal(center_faults_parse(bad[i][0], 1, &f, err, sizeof err), -1);
		if (!strstr(err, bad[i][1]))
			fail_msg("'%s': error '%s' lacks '%s'", bad[i][0], err, bad[i][1]);
		assert_memory_equal(&f, &keep, sizeof f);
	}
}

static void test_rolls(void **st)
{
	(void)st;
	struct center_faults a, b;
	char err[64];
	center_faults_parse("reset=0.3,busy=1,seed=123", 0, &a, err, sizeof err);
	b = a;
	int hits = 0;
	for (int i = 0; i < 10000; i++) {
		bool x = center_faults_roll(&a, FAULT_RESET), y = center_faults_roll(&b, FAULT_RESET);
		assert_int_equal(x, y);            /* same seed, same schedule */
		hits += x;
	}
	assert_in_range(hits, 2700, 3300);
	assert_int_equal(a.hits[FAULT_RESET], (unsigned)hits);
	for (int i = 0; i < 100; i++)
		assert_true(center_faults_roll(&a, FAULT_BUSY));
	for (int i = 0; i < 100; i++)
		assert_false(center_faults_roll(&a, FAULT_REFUSE));
	assert_int_equal(a.hits[FAULT_REFUSE], 0);
	struct center_faults c;
	center_faults_parse("reset=0.3,seed=124", 0, &c, err, sizeof err);
	int diff = 0;
	center_faults_parse("reset=0.3,seed=123", 0, &a, err, sizeof err);
	for (int i = 0; i < 200; i++)
		diff += center_faults_roll(&a, FAULT_RESET) != center_faults_roll(&c, FAULT_RESET);
	assert_true(diff > 0);                     /* another seed, another schedule */
}

/* batches_offline_s: parsed like offline_s, held from the start, not after a zero. */
static void test_batches_offline(void **st)
{
	(void)st;
	struct center_faults f;
	char err[128];
	assert_int_equal(center_faults_parse("batches_offline_s=30,seed=1", 7, &f, err, sizeof err), 0);
	assert_int_equal(f.batches_offline_s, 30);
	assert_int_equal(f.offline_s, 0);
	assert_true(center_faults_batches_held(&f));
	assert_false(center_faults_offline(&f));
	f.started_ms -= 31000;
	assert_false(center_faults_batches_held(&f));
	assert_int_equal(center_faults_parse("batches_offline_s=0", 7, &f, err, sizeof err), 0);
	assert_false(center_faults_batches_held(&f));
	assert_int_equal(center_faults_parse("", 7, &f, err, sizeof err), 0);
	assert_false(center_faults_batches_held(&f));
	static const char *const bad[] = { "batches_offline_s=", "batches_offline_s=-1", "batches_offline_s=86401",
					   "batches_offline_s=5s" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(center_faults_parse(bad[i], 7, &f, err, sizeof err), -1);
		assert_non_null(strstr(err, "batches_offline_s"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_batches_offline),
		cmocka_unit_test(test_rolls),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
