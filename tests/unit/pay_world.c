/* The property test's world (pay_world.h): one virtual clock, a link to the simulated
 * terminal that drops at a planned frame, and a journal over the real store that a planned
 * kill, full disk or busy write interrupts. */
#include "tests/unit/pay_world.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct world world;
static _Atomic int64_t vnow; /* virtual ms since WALL0 */

int64_t world_mono(void) { return atomic_load(&vnow); }
int64_t world_wall(void) { return WALL0 + atomic_load(&vnow); }
void world_clock_reset(void) { atomic_store(&vnow, 0); }

void world_advance(int64_t ms)
{
	if (ms <= 0)
		return;
	int64_t now = atomic_fetch_add(&vnow, ms) + ms;
	if (world.give_up_at && now >= world.give_up_at)
		world_wake();
}

static uint64_t rnd(uint64_t *s)
{
	/* splitmix64: small, good enough, and the same everywhere */
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}
int world_pick(int lo, int hi) { return lo + (int)(rnd(&world.rng) % (uint64_t)(hi - lo + 1)); }
bool world_chance(int percent) { return world_pick(1, 100) <= percent; }

void world_failf(const char *fmt, ...)
{
	if (world.fail[0])
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(world.fail, sizeof world.fail, fmt, ap);
	va_end(ap);
}

int world_txn_index(const char *id)
{
	for (int i = 0; i < world.ntxn; i++)
		if (!strcmp(world.txns[i], id))
			return i;
	return -1;
}

/* What the terminal holds for id: KPP_TS_* or -1 when it never heard of it. */
int world_term_state(const char *id)
{
	const struct sim_txn *t = sim_core_find(&world.sim, id);
	return t ? t->state : -1;
}

/* The money may be (or will be) taken. */
bool world_term_charged(int ts)
{
	return ts == KPP_TS_APPROVED_CONFIRMED || ts == KPP_TS_APPROVED_PENDING_CONFIRM ||
	       ts == KPP_TS_IN_PROGRESS;
}

/* ---------------------------------------------------------------- the link */

static void drop_link(void)
{
	world.connected = false;
	world.link_back_at = world_mono() + world_pick(0, 3000);
	uint8_t junk[SIM_OUT_MAX];
	while (sim_core_take_output(&world.sim, junk, sizeof junk))
		;
}

/* A frame crosses the link: true when it arrives. */
static bool frame_crosses(void)
{
	if (++world.frames != world.p.drop_frame)
		return true;
	bool arrives = world.p.drop_delivers;
	drop_link();
	return arrives;
}

static int vt_open(struct transport *t)
{
	(void)t;
	if (world.dead)
		return TRANSPORT_ENODEV;
	sim_core_tick(&world.sim, world_wall());
	if (world.sim.hung_up && world_wall() >= world.sim.dead_until)
		world.sim.hung_up = false;
	if (world.sim.hung_up || world_mono() < world.link_back_at) {
		world_advance(1000); /* a connection attempt that times out */
		return TRANSPORT_ENODEV;
	}
	uint8_t junk[SIM_OUT_MAX];
	while (sim_core_take_output(&world.sim, junk, sizeof junk))
		; /* what the terminal sent to the previous connection */
	world.connected = true;
	return 0;
}

static int vt_write(struct transport *t, const uint8_t *b, size_t n, int ms)
{
	(void)t; (void)ms;
	if (world.dead || !world.connected)
		return TRANSPORT_EGONE;
	world_advance(world.p.latency_ms);
	bool arrives = frame_crosses();
	if (arrives)
		sim_core_input(&world.sim, b, n, world_wall());
	return world.connected ? 0 : TRANSPORT_EGONE;
}

static int vt_read(struct transport *t, uint8_t *b, size_t cap, int ms)
{
	(void)t;
	/* time passes even for a read that does not wait: a timer due now fires next time */
	int64_t until = world_mono() + (ms > 0 ? ms : 1);
	for (;;) {
		if (world.dead || !world.connected)
			return TRANSPORT_EGONE;
		sim_core_tick(&world.sim, world_wall());
		if (world.sim.hung_up) { /* power cycle: its TCP stack goes with it */
			drop_link();
			return TRANSPORT_EGONE;
		}
		size_t n = sim_core_take_output(&world.sim, b, cap);
		if (n > 0) {
			world_advance(world.p.latency_ms);
			if (!frame_crosses())
				return TRANSPORT_EGONE;
			return (int)n;
		}
		int64_t now = world_mono(), next = sim_core_next_deadline(&world.sim) - WALL0;
		if (now >= until)
			return 0;
		world_advance((next > now && next < until ? next : until) - now);
	}
}

static void vt_close(struct transport *t) { (void)t; world.connected = false; }
static void vt_destroy(struct transport *t) { free(t); }

const struct transport_ops world_link_ops = {
	.name = "virtual", .open = vt_open, .read = vt_read, .write = vt_write,
	.close = vt_close, .destroy = vt_destroy,
};

/* ---------------------------------------------------------------- the journal, with faults */

void world_wake(void)
{
	pthread_mutex_lock(&world.mu);
	pthread_cond_broadcast(&world.cv);
	pthread_mutex_unlock(&world.mu);
}

/* Before a journal write: false (with *ret_rc) when the write does not happen.  A write is
 * one transaction, so a kill or a full disk leaves the store as it was before it. */
static bool write_happens(int *ret_rc)
{
	*ret_rc = STORE_EFAILED;
	if (world.dead)
		return false; /* a dead process writes nothing (and counts nothing: it is stopped
			       * at a time the scheduler picks) */
	int k = ++world.writes;
	if (k == world.p.full_write)
		world.disk_full = true;
	if (world.disk_full && !world.ready)
		world.dead = true; /* out of service on a latched store: restarted (see on_event) */
	if (k == world.p.kill_write && !world.p.kill_after)
		world.dead = true;
	*ret_rc = world.disk_full || world.dead ? STORE_EFAILED : k == world.p.busy_write ? STORE_EBUSY : STORE_OK;
	if (world.dead)
		world_wake();
	return *ret_rc == STORE_OK;
}

/* After it: the kill that comes right after a commit (on disk; nobody hears of it). */
static int written(int rc)
{
	if (world.writes == world.p.kill_write && world.p.kill_after) {
		world.dead = true;
		world_wake();
	}
	return rc;
}

static int fj_begin(void *j, const struct journal_line *l, int n, int64_t t, char *id)
{
	int rc;
	if (!write_happens(&rc))
		return rc;
	rc = journal_begin(j, l, n, t, id);
	if (rc == 0 && world.ntxn < MAX_TXNS)
		snprintf(world.txns[world.ntxn++], sizeof world.txns[0], "%s", id);
	return written(rc);
}
static int fj_authorize(void *j, const char *id, const struct journal_card *c, int64_t t)
{
	int rc;
	return write_happens(&rc) ? written(journal_authorize(j, id, c, t)) : rc;
}
static int fj_record(void *j, const char *id, bool off, int64_t t)
{
	int rc;
	return write_happens(&rc) ? written(journal_record(j, id, off, t)) : rc;
}
static int fj_move(void *j, const char *id, enum journal_state to, const char *why, int64_t t)
{
	int rc;
	return write_happens(&rc) ? written(journal_move(j, id, to, why, t)) : rc;
}
static int fj_get(void *j, const char *id, struct journal_payment *ret)
{
	return world.dead ? STORE_EFAILED : journal_get(j, id, ret);
}
static int fj_unfinished(void *j, struct journal_payment *ret, int cap)
{
	return world.dead ? STORE_EFAILED : journal_unfinished(j, ret, cap);
}

const struct pinpad_journal_ops world_journal = {
	.begin = fj_begin, .authorize = fj_authorize, .record = fj_record, .move = fj_move,
	.get = fj_get, .unfinished = fj_unfinished,
};
