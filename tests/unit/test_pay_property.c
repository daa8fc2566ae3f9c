/* The payment core under faults: a seeded, deterministic simulation of a resident paying
 * one bill through the real payment service (drivers/pinpad_service + kpp_client), the real
 * journal (offline/journal over a store), the KPP/1 terminal's simulated core
 * (tests/sim/pinpad/sim_core) and what the screen says (kiosk/svc/pay_told).
 *
 * Each run draws its faults from its own seed: the link dropped at a frame boundary (the
 * frame delivered or lost), the kiosk killed at a journal commit (before or after it), the
 * disk full from a write on (the store latches failed until the restart), the terminal
 * auto-reversing an unconfirmed approval at any moment, rebooting or power-cycling after
 * approving, losing its answer, busy, declining, cancelling, timing out.  The resident tries
 * again only when told "not charged".  Then the faults clear, the kiosk restarts if it was
 * killed, recovery runs, the terminal's deadlines pass, and the run asserts:
 *  - nothing was ever shown as not charged while the terminal held or took the money;
 *  - no bill was charged twice;
 *  - every charge is a CONFIRMED row with exactly one outbox record, or a row on the
 *    cashier's NEEDS_OPERATOR list; every CONFIRMED row is a charge;
 *  - recovery ends: no unfinished row, the service ready again.
 *
 * Time is simulated: the service, the client and the terminal all read one virtual clock
 * that only the transport moves (a read that waits, a frame's latency, a reconnect), so a
 * run is the same sequence of frames and commits on every machine, whatever the date.
 * PAY_PROPERTY_RUNS (default 2000) and PAY_PROPERTY_SEED (default 20261205) choose the runs;
 * a failing run prints its seed, and PAY_PROPERTY_SEED=that PAY_PROPERTY_RUNS=1 replays it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "kiosk/base/clock.h"
#include "drivers/pinpad_service.h"
#include "kiosk/base/log.h"
#include "kiosk/svc/pay_told.h"
#include "offline/outbox.h"
#include "offline/store.h"
#include "tests/lib/test_tmp.h"
#include "tests/sim/pinpad/sim_core.h"
#include "tests/unit/pay_world.h"

#define SALE_TAG 7
#define MAX_ATTEMPTS 3

/* ---------------------------------------------------------------- the screen */

static struct pinpad_service *svc;

/* The screen shows o for txn (which may be empty: the sale never started). */
static void tell(const char *txn, enum flow_pay_outcome o)
{
	int ts = txn[0] ? world_term_state(txn) : -1;
	if (flow_pay_retryable(o) && world_term_charged(ts))
		world_failf("told retryable outcome %d for %s while the terminal is in state %d", o, txn, ts);
	if (o == PAY_APPROVED && ts != KPP_TS_APPROVED_CONFIRMED)
		world_failf("told approved for %s while the terminal is in state %d", txn, ts);
	int i = txn[0] ? world_txn_index(txn) : -1;
	if (i >= 0) {
		world.told_of[i] = o;
		world.told_set[i] = true;
	}
	pthread_mutex_lock(&world.mu);
	if (o == PAY_UNKNOWN) {
		snprintf(world.open_txn, sizeof world.open_txn, "%s", txn);
	} else {
		world.open_txn[0] = '\0';
		world.told = o;
		world.told_count++;
	}
	pthread_cond_broadcast(&world.cv);
	pthread_mutex_unlock(&world.mu);
}

/* The shell's part (kiosk/svc/svc.c on_pinpad): CONFIRM after an approval, the rest told. */
static void on_event(void *ctx, const struct pinpad_event *ev)
{
	(void)ctx;
	if (world.dead)
		return; /* the screen died with the process */
	bool timeout = ev->msg && ev->msg->result == KPP_RES_TIMEOUT;
	struct pay_told t;
	switch (ev->kind) {
	case PINPAD_EV_READY:
		pthread_mutex_lock(&world.mu);
		world.ready = ev->ready;
		/* A store latched failed keeps the kiosk out of service until it restarts (the
		 * watchdog's job): the process ends here, at a point the service chose. */
		if (!ev->ready && world.disk_full)
			world.dead = true;
		pthread_cond_broadcast(&world.cv);
		pthread_mutex_unlock(&world.mu);
		return;
	case PINPAD_EV_RECOVERED:
		if (world.open_txn[0] && !strcmp(world.open_txn, ev->txn_id)) {
			t = pay_told_outcome(ev->outcome, true, timeout);
			tell(ev->txn_id, t.outcome);
		}
		return;
	case PINPAD_EV_OUTCOME:
		if (ev->tag != SALE_TAG)
			return;
		if (pay_told_answer(ev->cmd, ev->outcome, ev->txn_id[0] != '\0', timeout, &t)) {
			tell(ev->txn_id, t.outcome);
			return;
		}
		struct pinpad_cmd c = { .kind = PINPAD_CMD_CONFIRM, .tag = SALE_TAG };
		snprintf(c.txn_id, sizeof c.txn_id, "%s", ev->txn_id);
		if (pinpad_service_submit(svc, &c) != 0)
			tell(ev->txn_id, PAY_UNKNOWN);
		return;
	default:
		return;
	}
}

/* ---------------------------------------------------------------- the kiosk process */

static void kiosk_start(void)
{
	struct transport *t = calloc(1, sizeof *t);
	t->ops = &world_link_ops;
	snprintf(t->desc, sizeof t->desc, "virtual");
	struct kpp_timeouts to;
	kpp_timeouts_default(&to);
	to.mono_ms = world_mono;
	struct pinpad_service_cfg cfg = {
		.client = kpp_client_new(t, &to), .jops = &world_journal, .journal = world.st,
		.on_event = on_event, .timeout_s = 60, .confirm_timeout_s = 300,
		.poll_ms = 1, .max_polls = 30, .backoff_min_ms = 1, .backoff_max_ms = 1,
		.idle_ping_ms = 1000000000, .now_ms = world_wall,
		.recovery_limit_s = world.p.recovery_limit_s,
	};
	world.ready = false;
	world.connected = false;
	svc = pinpad_service_start(&cfg);
	assert_non_null(svc);
}

static void kiosk_stop(void)
{
	pinpad_service_stop(svc);
	svc = NULL;
}

/* Kill and restart: the store is what was committed (a journal write is one transaction);
 * the disk has room again. */
static void kiosk_restart(void)
{
	kiosk_stop();
	world.open_txn[0] = '\0';
	world_advance(world.p.restart_ms);
	world.dead = false;
	world.disk_full = false;
	kiosk_start();
}

/* Waits until pred holds, the virtual deadline passes or the kiosk dies.  A real-time cap
 * catches a service that stopped moving (a hang is a failure, not a slow run). */
static bool wait_for(bool (*pred)(void), int64_t virtual_ms)
{
	world.give_up_at = world_mono() + virtual_ms;
	struct timespec cap = clock_deadline(CLOCK_REALTIME, 5000);
	pthread_mutex_lock(&world.mu);
	bool ok;
	while (!(ok = pred()) && !world.dead && world_mono() < world.give_up_at)
		if (pthread_cond_timedwait(&world.cv, &world.mu, &cap) != 0) {
			world_failf("no progress for 5 s of real time (virtual %" PRId64 " ms, dead=%d ready=%d told=%d)",
			      world_mono(), world.dead, world.ready, world.told_count);
			break;
		}
	pthread_mutex_unlock(&world.mu);
	world.give_up_at = 0;
	return ok;
}

static int told_seen;
static bool is_ready(void) { return world.ready; }
static bool is_told(void) { return world.told_count > told_seen; }

/* ---------------------------------------------------------------- one run */

struct stats {
	int runs, drops, kills, fulls, busies, short_limits;
	int paid, not_paid, needs_operator, charged_on_cashier_list, attempts, walked_away;
};

static void plan_run(void)
{
	struct plan *p = &world.p;
	p->drop_frame = world_chance(40) ? world_pick(1, 40) : 0;
	p->drop_delivers = world_chance(50);
	p->kill_write = world_chance(35) ? world_pick(1, 6) : 0;
	p->kill_after = world_chance(50);
	p->full_write = world_chance(25) ? world_pick(1, 6) : 0;
	p->busy_write = world_chance(10) ? world_pick(1, 6) : 0;
	p->latency_ms = world_pick(1, 80);
	p->restart_ms = world_pick(0, 8000);
	p->recovery_limit_s = world_chance(20) ? world_pick(2, 30) : 900;
}

/* The terminal's behaviour for the next sale: what the card does and one fault or none.
 * The confirm timeout spreads the auto-reversal over every moment of the sale. */
static void plan_attempt(void)
{
	struct sim_knobs *k = &world.sim.k;
	int r = world_pick(1, 100);
	k->outcome = r <= 65 ? SIM_APPROVE : r <= 80 ? SIM_DECLINE : r <= 90 ? SIM_CANCEL : SIM_TIMEOUT;
	k->cancel_step = world_pick(1, 3);
	k->delay_ms = world_pick(50, 3000);
	k->confirm_timeout_ms = world_chance(50) ? world_pick(1, 600) : world_pick(600, 20000);
	k->too_late = world_chance(10);
	k->drop_resp = world_chance(10);
	k->reboot = world_chance(5);
	k->power_cycle = world_chance(5);
	k->reboot_ms = world_pick(100, 5000);
	k->busy = world_chance(5);
	k->status_busy = world_chance(5) ? world_pick(1, 3) : 0;
	k->drop_ack = world_chance(5) ? world_pick(1, 4) : 0;
	k->drop_data = world_chance(5) ? world_pick(1, 4) : 0;
	k->corrupt = world_chance(5) ? world_pick(1, 4) : 0;
	k->garbage = world_chance(5) ? world_pick(1, 20) : 0;
}

static void calm_terminal(void)
{
	struct sim_knobs *k = &world.sim.k;
	k->outcome = SIM_APPROVE;
	k->drop_resp = k->reboot = k->power_cycle = k->too_late = false;
	k->busy = k->status_busy = k->drop_ack = k->drop_data = k->corrupt = k->garbage = 0;
}

static void pay_attempts(struct stats *st)
{
	struct pinpad_cmd sale = { .kind = PINPAD_CMD_SALE, .tag = SALE_TAG, .nlines = 1 };
	snprintf(sale.lines[0].pers_acc, sizeof sale.lines[0].pers_acc, "5001234500");
	snprintf(sale.lines[0].period, sizeof sale.lines[0].period, "2026-10");
	sale.lines[0].amount = 452316;
	for (int a = 0; a < MAX_ATTEMPTS; a++) {
		/* «Повторить» is offered only while card payments are available */
		if (!wait_for(is_ready, 120000))
			break;
		plan_attempt();
		told_seen = world.told_count;
		st->attempts++;
		assert_int_equal(pinpad_service_submit(svc, &sale), 0);
		/* the resident waits up to half an hour on "being checked" */
		if (!wait_for(is_told, 30 * 60 * 1000)) {
			st->walked_away += !world.dead;
			break;
		}
		if (!flow_pay_retryable(world.told))
			break;
	}
}

static int outbox_records_of(const char *txn)
{
	static struct outbox_record recs[64];
	int n = outbox_list_unacked(world.st, recs, 64);
	assert_true(n >= 0);
	int count = 0;
	for (int i = 0; i < n; i++) {
		char hex[2 * OUTBOX_KEY_LEN + 1];
		for (int b = 0; b < OUTBOX_KEY_LEN; b++)
			snprintf(hex + 2 * b, 3, "%02x", recs[i].idem_key[b]);
		count += !strcmp(hex, txn) && !strcmp(recs[i].kind, "payment");
	}
	return count;
}

/* The run's verdict, with the service stopped and the terminal's deadlines passed. */
static void check_run(struct stats *st)
{
	struct journal_payment rows[MAX_TXNS];
	int left = journal_unfinished(world.st, rows, MAX_TXNS);
	if (left != 0)
		world_failf("recovery did not end: %d unfinished rows, the first %s", left,
		      journal_state_name(rows[0].state));
	int charged = 0;
	for (int i = 0; i < world.ntxn; i++) {
		const char *id = world.txns[i];
		struct journal_payment p;
		if (journal_get(world.st, id, &p) != 0) {
			world_failf("row %s is gone", id);
			continue;
		}
		int ts = world_term_state(id);
		bool taken = ts == KPP_TS_APPROVED_CONFIRMED;
		if (ts == KPP_TS_APPROVED_PENDING_CONFIRM || ts == KPP_TS_IN_PROGRESS)
			world_failf("terminal still holds %s in state %d", id, ts);
		charged += taken;
		if (p.state == JOURNAL_CONFIRMED && !taken)
			world_failf("%s CONFIRMED in the journal, terminal state %d", id, ts);
		if (p.state == JOURNAL_CONFIRMED && outbox_records_of(id) != 1)
			world_failf("%s CONFIRMED with %d outbox records", id, outbox_records_of(id));
		if (taken && p.state != JOURNAL_CONFIRMED && p.state != JOURNAL_NEEDS_OPERATOR)
			world_failf("%s charged but %s in the journal", id, journal_state_name(p.state));
		if (world.told_set[i] && flow_pay_retryable(world.told_of[i]) && taken)
			world_failf("%s told not charged (%d) but charged", id, world.told_of[i]);
		if (world.told_set[i] && world.told_of[i] == PAY_APPROVED && p.state != JOURNAL_CONFIRMED)
			world_failf("%s told approved but %s", id, journal_state_name(p.state));
		st->paid += p.state == JOURNAL_CONFIRMED;
		st->needs_operator += p.state == JOURNAL_NEEDS_OPERATOR;
		st->charged_on_cashier_list += taken && p.state == JOURNAL_NEEDS_OPERATOR;
		st->not_paid += !taken && p.state != JOURNAL_NEEDS_OPERATOR;
	}
	if (charged > 1)
		world_failf("one bill charged %d times", charged);
}

static void one_run(uint64_t seed, const char *dir, struct stats *st)
{
	char path[TEST_TMP_PATH_LEN + 32];
	snprintf(path, sizeof path, "%s/run.db", dir);
	unlink(path);
	assert_int_equal(store_open(path, &world.st), STORE_OK);
	world.rng = seed;
	plan_run();
	struct plan planned = world.p;
	sim_core_init(&world.sim);
	world_clock_reset();
	st->runs++;
	st->drops += world.p.drop_frame > 0;
	st->kills += world.p.kill_write > 0;
	st->fulls += world.p.full_write > 0;
	st->busies += world.p.busy_write > 0;
	st->short_limits += world.p.recovery_limit_s < 900;

	kiosk_start();
	pay_attempts(st);

	/* The faults clear: the link holds, the disk has room, the terminal behaves.  A kiosk
	 * that died, or whose store latched failed, restarts. */
	world.p.drop_frame = world.p.kill_write = world.p.full_write = world.p.busy_write = 0;
	calm_terminal();
	if (world.dead || world.disk_full)
		kiosk_restart();
	if (!wait_for(is_ready, 3600 * 1000))
		world_failf("not ready an hour after the faults cleared (dead=%d)", world.dead);
	kiosk_stop();
	world_advance(600 * 1000); /* past every confirm timeout: unconfirmed approvals reverse */
	sim_core_tick(&world.sim, world_wall());
	check_run(st);
	store_close(world.st);
	world.st = NULL;
	if (world.fail[0])
		fail_msg("seed %" PRIu64 ": %s (drop=%d/%d kill=%d/%d full=%d busy=%d limit=%d)", seed, world.fail,
			 planned.drop_frame, planned.drop_delivers, planned.kill_write, planned.kill_after,
			 planned.full_write, planned.busy_write, planned.recovery_limit_s);
}

static void reset_world(void)
{
	world.dead = world.disk_full = world.ready = world.connected = false;
	world.writes = world.frames = world.told_count = world.ntxn = 0;
	world.link_back_at = world.give_up_at = 0;
	world.open_txn[0] = world.fail[0] = '\0';
	memset(world.told_set, 0, sizeof world.told_set);
	told_seen = 0;
}

static uint64_t env_u64(const char *name, uint64_t dflt)
{
	const char *v = getenv(name);
	return v && *v ? strtoull(v, NULL, 10) : dflt;
}

static void test_payment_core_under_faults(void **state)
{
	(void)state;
	uint64_t runs = env_u64("PAY_PROPERTY_RUNS", 2000), seed = env_u64("PAY_PROPERTY_SEED", 20261205);
	/* in memory when the machine has a tmpfs: thousands of stores, each commit synced */
	char dir[TEST_TMP_DIR_LEN];
	snprintf(dir, sizeof dir, "/dev/shm/test_pay_property.XXXXXX");
	if (access("/dev/shm", W_OK) != 0 || !mkdtemp(dir)) {
		char unused[TEST_TMP_PATH_LEN];
		test_tmp_dir("test_pay_property", dir, unused);
	}
	pthread_mutex_init(&world.mu, NULL);
	pthread_cond_init(&world.cv, NULL);
	struct stats st = { 0 };
	for (uint64_t i = 0; i < runs; i++) {
		reset_world();
		one_run(seed + i, dir, &st);
	}
	printf("pay_property: runs=%d seed=%" PRIu64 " attempts=%d | faults: link_drop=%d kill=%d "
	       "disk_full=%d write_busy=%d short_recovery_limit=%d | rows: paid=%d not_paid=%d "
	       "needs_operator=%d (charged=%d) walked_away=%d\n",
	       st.runs, seed, st.attempts, st.drops, st.kills, st.fulls, st.busies, st.short_limits,
	       st.paid, st.not_paid, st.needs_operator, st.charged_on_cashier_list, st.walked_away);
	/* the simulation reaches what it claims to */
	assert_true(st.paid > 0 && st.not_paid > 0 && st.needs_operator >= 0);
	assert_int_equal(test_tmp_remove(dir), 0);
}

int main(void)
{
	log_set_level(getenv("PAY_PROPERTY_LOG") ? LOG_LVL_DEBUG : LOG_LVL_ERROR);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_payment_core_under_faults),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
