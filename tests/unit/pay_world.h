#ifndef TESTS_UNIT_PAY_WORLD_H
#define TESTS_UNIT_PAY_WORLD_H
/* The world one run of test_pay_property.c pays in (pay_world.c): its plan of faults, the
 * simulated terminal, the store, and what the resident was told; one virtual clock that
 * only the link moves; the link to the terminal (world_link_ops) and the journal
 * (world_journal) with the plan's faults.  One run at a time; mu guards what the service
 * thread and the test both touch. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "drivers/pinpad_service.h"
#include "drivers/transport.h"
#include "kiosk/svc/pay_told.h"
#include "offline/journal.h"
#include "offline/store.h"
#include "tests/sim/pinpad/sim_core.h"

#define WALL0 1763622000000LL /* 2025-11-20T07:00:00Z: any fixed instant */
#define MAX_TXNS 16

struct plan {
	int drop_frame;     /* link drop at this frame boundary (0: none) */
	bool drop_delivers; /* the frame at the drop still arrives */
	int kill_write;     /* kiosk killed at this journal write (0: none) */
	bool kill_after;    /* ... after it committed */
	int full_write;     /* disk full from this write until the restart (0: none) */
	int busy_write;     /* this one write fails transiently (0: none) */
	int latency_ms;     /* per frame */
	int restart_ms;     /* how long a killed kiosk stays down */
	int recovery_limit_s;
};

struct world {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	uint64_t rng;
	struct plan p;
	struct sim_core sim;
	struct store *st;
	/* link */
	bool connected;
	int64_t link_back_at;
	int frames;
	/* process */
	bool dead, disk_full;
	int writes;
	/* the resident's view */
	bool ready;
	int told_count;
	enum flow_pay_outcome told;
	char open_txn[JOURNAL_TXN_ID_LEN + 1]; /* shown as being checked */
	char txns[MAX_TXNS][JOURNAL_TXN_ID_LEN + 1];
	enum flow_pay_outcome told_of[MAX_TXNS];
	bool told_set[MAX_TXNS];
	int ntxn;
	int64_t give_up_at;
	char fail[256];
};

extern struct world world;

/* Virtual time: ms since WALL0 (monotonic), the wall clock, time passing (waking a wait
 * whose deadline it reaches), and back to WALL0 for the next run. */
int64_t world_mono(void);
int64_t world_wall(void);
void world_advance(int64_t ms);
void world_clock_reset(void);
/* From the run's seed: a number in lo..hi, true percent times in 100. */
int world_pick(int lo, int hi);
bool world_chance(int percent);
/* The run's first failure (later ones are dropped). */
void world_failf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The txn's index in world.txns, or -1. */
int world_txn_index(const char *id);
/* What the terminal holds for id: KPP_TS_* or -1 when it never heard of it. */
int world_term_state(const char *id);
/* The money may be (or will be) taken. */
bool world_term_charged(int ts);
/* Wakes the test's wait (world.cv). */
void world_wake(void);

extern const struct transport_ops world_link_ops;
extern const struct pinpad_journal_ops world_journal;

#endif
