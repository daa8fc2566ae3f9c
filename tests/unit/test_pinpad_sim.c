/* The simulator core driven directly under a fake clock by a host-side kpp_link: knob
 * parsing, retention of >= 100 transactions, the store file across a restart, TXN_STATUS
 * for unknown / running / final transactions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "tests/sim/pinpad/sim_core.h"

static struct sim_core *sim;
static struct kpp_link host;
static struct kpp_msg last;
static int nresp;
static int64_t now;

static void deliver(void *ctx, const uint8_t *p, size_t n)
{
	(void)ctx;
	struct kpp_msg m;
	assert_int_equal(kpp_msg_decode(p, n, &m), KPP_MSG_OK);
	if (m.code != KPP_MSG_EVENT) {
		last = m;
		nresp++;
	}
}

/* Moves bytes both ways until quiet, advancing the clock by step ms per round. */
static void run(int rounds, int step)
{
	uint8_t buf[SIM_OUT_MAX];
	for (int i = 0; i < rounds; i++) {
		size_t n = kpp_link_take_output(&host, buf, sizeof buf);
		if (n)
			sim_core_input(sim, buf, n, now);
		sim_core_tick(sim, now);
		while ((n = sim_core_take_output(sim, buf, sizeof buf)) > 0)
			kpp_link_input(&host, buf, n, now, deliver, NULL);
		kpp_link_tick(&host, now);
		now += step;
	}
}

static void request(struct kpp_msg *m)
{
	uint8_t p[KPP_MAX_PAYLOAD];
	int n = kpp_msg_encode(m, p, sizeof p);
	assert_true(n > 0);
	for (int i = 0; i < 100 && kpp_link_busy(&host); i++)
		run(1, 10); /* let the previous frame be acknowledged */
	assert_int_equal(kpp_link_send(&host, p, (size_t)n, now), 0);
	nresp = 0;
}

static void sale(const char *id, int64_t amount)
{
	struct kpp_msg m;
	char a[16];
	kpp_msg_init(&m, KPP_MSG_SALE);
	kpp_msg_set(&m, KPP_TAG_TXN_ID, id);
	snprintf(a, sizeof a, "%lld", (long long)amount);
	kpp_msg_set(&m, KPP_TAG_AMOUNT, a);
	kpp_msg_set(&m, KPP_TAG_CURRENCY, "643");
	request(&m);
}

static void txn_status(const char *id)
{
	struct kpp_msg m;
	kpp_msg_init(&m, KPP_MSG_TXN_STATUS);
	if (id)
		kpp_msg_set(&m, KPP_TAG_TXN_ID, id);
	request(&m);
	run(20, 10);
	assert_int_equal(nresp, 1);
	assert_int_equal(last.code, KPP_MSG_TXN_STATUS | KPP_MSG_RESP);
}

static int setup(void **state)
{
	(void)state;
	sim = calloc(1, sizeof *sim);
	sim_core_init(sim);
	kpp_link_init(&host);
	now = 1000000;
	char err[64];
	assert_int_equal(sim_core_knobs(sim, "delay=50 event_ms=20", err, sizeof err), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(sim);
	return 0;
}

static void test_knob_parsing(void **state)
{
	(void)state;
	char err[128];
	assert_int_equal(sim_core_knobs(sim, "decline=05 silent=1 split=3", err, sizeof err), 0);
	assert_int_equal(sim->k.outcome, SIM_DECLINE);
	assert_string_equal(sim->k.decline_rc, "05");
	assert_true(sim->k.silent);
	assert_int_equal(sim->k.split, 3);
	/* all or nothing */
	assert_int_equal(sim_core_knobs(sim, "approve bogus=1", err, sizeof err), -1);
	assert_non_null(strstr(err, "bogus"));
	assert_int_equal(sim->k.outcome, SIM_DECLINE);
	assert_int_equal(sim_core_knobs(sim, "decline=5x", err, sizeof err), -1);
	assert_int_equal(sim_core_knobs(sim, "silent=2", err, sizeof err), -1);
	assert_int_equal(sim_core_knobs(sim, "delay=", err, sizeof err), -1);
	assert_int_equal(sim_core_knobs(sim, "approve=1", err, sizeof err), -1);
	assert_int_equal(sim_core_knobs(sim, "reset", err, sizeof err), 0);
	assert_int_equal(sim->k.outcome, SIM_APPROVE);
	assert_int_equal(sim->k.delay_ms, 300);
	assert_false(sim->k.silent);
}

static void test_txn_status_unknown_running_final(void **state)
{
	(void)state;
	txn_status(NULL);
	assert_int_equal(last.result, KPP_RES_UNKNOWN_TXN);
	char err[64];
	sim_core_knobs(sim, "delay=400", err, sizeof err);
	sale("S-1", 1500);
	run(5, 10); /* SALE delivered, not finished */
	txn_status("S-1");
	assert_int_equal(last.result, KPP_RES_OK);
	assert_int_equal(last.txn_state, KPP_TS_IN_PROGRESS);
	assert_string_equal(last.amount, "1500");
	run(60, 10);
	txn_status("S-1");
	assert_int_equal(last.txn_state, KPP_TS_APPROVED_PENDING_CONFIRM);
	assert_true(last.auth_code[0] != 0);
	txn_status("S-2");
	assert_int_equal(last.result, KPP_RES_UNKNOWN_TXN);
	/* a duplicate starts nothing and returns the stored outcome */
	uint32_t before = sim->n_sales;
	sale("S-1", 1500);
	run(20, 10);
	assert_int_equal(last.code, KPP_MSG_SALE | KPP_MSG_RESP);
	assert_int_equal(last.result, KPP_RES_DUPLICATE);
	assert_int_equal(last.txn_state, KPP_TS_APPROVED_PENDING_CONFIRM);
	assert_int_equal(sim->n_sales, before);
	/* auto-reversal: the default CONFIRM_TIMEOUT_S is 300 s */
	now += 301 * 1000;
	txn_status("S-1");
	assert_int_equal(last.txn_state, KPP_TS_REVERSED_AUTO);
}

static void test_retention_and_store(void **state)
{
	(void)state;
	char id[16], path[64];
	for (int i = 0; i < 130; i++) {
		snprintf(id, sizeof id, "R-%03d", i);
		sale(id, 100 + i);
		run(20, 10);
		assert_int_equal(last.result, KPP_RES_OK);
	}
	snprintf(path, sizeof path, "/tmp/pinpad-sim-test-%d.state", (int)getpid());
	assert_int_equal(sim_core_save(sim, path), 0);
	/* a restarted terminal: empty core, then the file */
	sim_core_init(sim);
	kpp_link_reset(&host);
	assert_int_equal(sim_core_load(sim, path), 0);
	unlink(path);
	assert_int_equal(sim->ntxn, SIM_TXN_MAX);
	assert_true(SIM_TXN_MAX >= 100);
	assert_null(sim_core_find(sim, "R-001"));   /* the oldest were evicted */
	assert_non_null(sim_core_find(sim, "R-002"));
	txn_status("R-129");
	assert_int_equal(last.txn_state, KPP_TS_APPROVED_PENDING_CONFIRM);
	assert_string_equal(last.amount, "229");
	txn_status("R-030");
	assert_int_equal(last.result, KPP_RES_OK);
	txn_status(NULL); /* the last financial txn survives the restart too */
	assert_string_equal(last.txn_id, "R-129");
	/* a corrupt file is refused */
	FILE *f = fopen(path, "wb");
	fputs("garbage", f);
	fclose(f);
	assert_int_equal(sim_core_load(sim, path), -1);
	unlink(path);
	assert_int_equal(sim_core_load(sim, path), 0); /* absent: empty store */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_knob_parsing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_txn_status_unknown_running_final, setup, teardown),
		cmocka_unit_test_setup_teardown(test_retention_and_store, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
