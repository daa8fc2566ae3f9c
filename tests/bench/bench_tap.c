/* make bench: how long a tap waits while the services work, on the real services (svc.h)
 * with a real store in a temporary directory, the real ui (headless, SDL dummy driver) and
 * the real flow.  A tap is measured as bench_frame's input_to_frame_ms_p99 is: from the
 * press, through the main thread's turn (the services' reports taken, the actions the
 * turn asks for handed over, the tap handled by the flow) to the frame that shows it.
 *   tap_during_commit_ms_p99        taps while payments' journal commits run: a thread
 *                                   standing in for the PIN-pad service writes payments
 *                                   (intent, authorized, recorded, confirmed: FULL-sync
 *                                   commits) and each turn keeps two jobs in the service
 *                                   worker (the payment's receipt saved in the journal,
 *                                   a resident's request into the outbox)
 *   tap_during_login_ms_p99         taps while a staff PIN is verified (the worker's
 *                                   PBKDF2), a new login asked for as each one answers
 *   tap_during_*_floor_ms_p99       the same taps with nothing running (target: the
 *                                   figures <= 16 ms, one frame at 60 Hz) */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kiosk/conf/config.h"
#include "kiosk/flow/flow.h"
#include "kiosk/base/log.h"
#include "kiosk/svc/svc.h"
#include "kiosk/base/tz.h"
#include "kiosk/base/wake.h"
#include "offline/journal.h"
#include "offline/staff.h"
#include "offline/store.h"
#include "ui/screens.h"
#include "ui/ui.h"
#include "tests/lib/large_account.h"
#include "tests/lib/ui_tap.h"
#include "tests/lib/bench_flow.h"
#include "tests/lib/bench_time.h"

#define TAPS 300
#define PIN "4711"

static struct config cfg;
static struct flow flow;   /* the one the taps go to */
static struct ui *ui;
static struct svc *services;

static void frame(void)
{
	struct screen_ctx ctx = { .cfg = &cfg, .wall_ms = bench_wall_ms(), .mono_ms = (int64_t)bench_now_ms() };
	screens_draw(ui, &flow, &ctx);
	ui_frame_end(ui);
}

/* The readings screen with a meter focused: a digit typed is a tap the flow shows. */
static void readings_screen(void)
{
	memset(&flow.s, 0, sizeof flow.s);
	large_account(&flow.s.acct, "50012345", bench_wall_ms());
	flow.s.readings_mode = true;
	flow.s.focus_meter = 0;
	flow.s.print_status = -1;
	flow.screen = SCREEN_READINGS;
	flow.busy = false;
	ui_scroll_reset(ui);
	frame();
}

/* ------------------------------------------------------------------ the load */

static atomic_bool paying;
static pthread_mutex_t paid_mu = PTHREAD_MUTEX_INITIALIZER;
static char paid[JOURNAL_TXN_ID_LEN + 1];  /* the last payment recorded (paid_mu) */

/* The PIN-pad service's part of a payment: its journal moves, each a FULL-sync commit on
 * a connection of its own, as drivers/pinpad_service.c makes them. */
static void *payments(void *arg)
{
	(void)arg;
	struct store *st;
	if (store_open(cfg.store_path, &st) != 0)
		return NULL;
	struct journal_line l = { .amount = 452316 };
	snprintf(l.pers_acc, sizeof l.pers_acc, "50012345");
	snprintf(l.period, sizeof l.period, "2026-10");
	snprintf(l.payee_inn, sizeof l.payee_inn, "5037008735");
	snprintf(l.payee_name, sizeof l.payee_name, "ООО «МосОблЕИРЦ»");
	struct journal_card c = { .entry_mode = 1 };
	snprintf(c.masked_pan, sizeof c.masked_pan, "220000******0001");
	snprintf(c.scheme, sizeof c.scheme, "MIR");
	snprintf(c.auth_code, sizeof c.auth_code, "123456");
	snprintf(c.rrn, sizeof c.rrn, "000000000001");
	while (atomic_load(&paying)) {
		char id[JOURNAL_TXN_ID_LEN + 1];
		int64_t t = bench_wall_ms();
		if (journal_begin(st, &l, 1, t, id) != 0 || journal_authorize(st, id, &c, t) != 0 ||
		    journal_record(st, id, false, t) != 0 || journal_move(st, id, JOURNAL_CONFIRMED, NULL, t) != 0) {
			fprintf(stderr, "bench_tap: a payment's journal failed\n");
			break;
		}
		pthread_mutex_lock(&paid_mu);
		memcpy(paid, id, sizeof paid);
		pthread_mutex_unlock(&paid_mu);
	}
	store_close(st);
	return NULL;
}

enum load { LOAD_NONE, LOAD_COMMITS, LOAD_LOGIN };

static int inflight;        /* jobs asked for and not yet answered */
static int answered;        /* answers seen */
static int logged_in;       /* logins that said STAFF_AUTH_OK */

/* One action as the flow would emit it: its payload copied in (flow.h). */
static void ask(const struct flow_action *a)
{
	svc_action(services, a);
	inflight++;
}

/* The load's part of the main thread's turn: the reports taken, new jobs handed over. */
static void turn(enum load load, int k)
{
	struct flow_event ev;
	while (svc_next(services, &ev))
		if (ev.type == FE_PRINT_RESULT || ev.type == FE_QUEUED || ev.type == FE_STAFF_AUTH) {
			inflight--;
			answered++;
			if (ev.type == FE_STAFF_AUTH)
				logged_in += ((const struct flow_staff_auth *)ev.payload)->status == STAFF_AUTH_OK;
		}
	static struct flow_action a;
	if (load == LOAD_COMMITS) {
		while (inflight < 2) {
			memset(&a, 0, sizeof a);
			pthread_mutex_lock(&paid_mu);
			memcpy(a.p.txn.txn_id, paid, sizeof paid);
			pthread_mutex_unlock(&paid_mu);
			if ((k + inflight) % 2 == 0 && a.p.txn.txn_id[0]) {
				a.type = FA_PRINT_RECEIPT;
			} else {
				memset(&a, 0, sizeof a);
				a.type = FA_SEND_REQUEST;
				snprintf(a.p.request.pers_acc, sizeof a.p.request.pers_acc, "50012345");
				snprintf(a.p.request.text, sizeof a.p.request.text, "Прошу проверить показания счётчика ХВС");
			}
			ask(&a);
		}
	} else if (load == LOAD_LOGIN && inflight == 0) {
		memset(&a, 0, sizeof a);
		a.type = FA_STAFF;
		a.arg = a.p.staff.op = SOP_LOGIN;
		a.p.staff.screen = SCREEN_STAFF_LOGIN;
		snprintf(a.p.staff.pin, sizeof a.p.staff.pin, PIN);
		ask(&a);
	}
}

/* One tap on key_7 in the main thread's turn, through its frame: ms, or -1. */
static double tap(enum load load, int k)
{
	double t0 = bench_now_ms();
	turn(load, k);
	static struct flow_out out;
	flow_set_wall(&flow, bench_wall_ms());
	if (!ui_tap_flow(ui, &flow, "key_7", (int64_t)t0, &out))
		return -1;
	frame();
	double t = bench_now_ms() - t0;
	return flow.screen == SCREEN_READINGS ? t : -1;
}

/* TAPS taps under LOAD (a new readings screen every eight: the field stays short). */
static int taps(enum load load, double *ret)
{
	for (int k = 0; k < TAPS; k++) {
		if (k % 8 == 0)
			readings_screen();
		ret[k] = tap(load, k);
		if (ret[k] < 0) {
			fprintf(stderr, "bench_tap: a tap did not reach its screen\n");
			return -1;
		}
		usleep(2000); /* a pause between taps, as a finger makes: the work runs beside them */
	}
	return 0;
}

/* Waits (outside any timing) until every job asked for has answered. */
static void settle(void)
{
	for (int i = 0; i < 30000 && inflight > 0; i++) {
		turn(LOAD_NONE, 0);
		wake_wait(1);
	}
}

static int setup(char *dir)
{
	char err[256];
	/* the services' log at warn and above: a line per job would bury the figures */
	if (log_open(NULL, LOG_LVL_WARN, false) != 0 || !mkdtemp(dir) || tz_set("Europe/Moscow", err, sizeof err) != 0 || wake_init() != 0)
		return -1;
	config_defaults(&cfg);
	snprintf(cfg.store_path, sizeof cfg.store_path, "%s/kiosk.db", dir);
	snprintf(cfg.pinpad_transport, sizeof cfg.pinpad_transport, "none");
	snprintf(cfg.printer_transport, sizeof cfg.printer_transport, "none");
	snprintf(cfg.scanner_transport, sizeof cfg.scanner_transport, "none");
	cfg.center_url[0] = '\0';
	cfg.readings_from_day = 1;
	cfg.readings_to_day = 31;
	struct store *st;
	if (store_open(cfg.store_path, &st) != 0)
		return -1;
	int rc = staff_set_pin(st, STAFF_CASHIER, "bench", PIN, bench_wall_ms());
	store_close(st);
	if (rc != 0)
		return -1;
	struct ui_options uo = { .width = 1080, .height = 1920, .headless = true, .assets = "assets", .theme = "default" };
	if (!(ui = ui_create(&uo, err, sizeof err)) || !(services = svc_start(&cfg, NULL, NULL, err, sizeof err))) {
		fprintf(stderr, "bench_tap: %s\n", err);
		return -1;
	}
	bench_flow_init(&flow, (int64_t)bench_now_ms(), bench_wall_ms());
	return 0;
}

static void teardown(const char *dir)
{
	svc_stop(services);
	ui_destroy(ui);
	static const char *const files[] = { "kiosk.db", "kiosk.db-wal", "kiosk.db-shm", "kiosk.db-journal" };
	char p[300];
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		snprintf(p, sizeof p, "%s/%s", dir, files[i]);
		unlink(p);
	}
	rmdir(dir);
}

int main(void)
{
	setenv("SDL_VIDEODRIVER", "dummy", 1);
	char dir[] = "/tmp/bench_tap.XXXXXX";
	if (setup(dir) != 0) {
		fprintf(stderr, "bench_tap: cannot set up in %s\n", dir);
		return 1;
	}
	static double commit_floor[TAPS], commit[TAPS], login_floor[TAPS], login[TAPS];
	readings_screen();
	for (int k = 0; k < 20; k++) /* warm the text cache */
		tap(LOAD_NONE, k);
	int rc = taps(LOAD_NONE, commit_floor);
	atomic_store(&paying, true);
	pthread_t payer;
	bool payer_up = rc == 0 && pthread_create(&payer, NULL, payments, NULL) == 0;
	if (payer_up)
		rc = taps(LOAD_COMMITS, commit);
	atomic_store(&paying, false);
	if (payer_up)
		pthread_join(payer, NULL);
	settle();
	int commit_jobs = answered;
	if (rc == 0)
		rc = taps(LOAD_NONE, login_floor);
	if (rc == 0)
		rc = taps(LOAD_LOGIN, login);
	settle();
	if (rc == 0 && (!payer_up || commit_jobs == 0 || logged_in == 0)) {
		fprintf(stderr, "bench_tap: no load ran (jobs %d, logins %d)\n", commit_jobs, logged_in);
		rc = -1;
	}
	if (rc == 0) {
		printf("tap_during_commit_ms_p99 %.2f ms\n", bench_pct(commit, TAPS, 99));
		printf("tap_during_commit_floor_ms_p99 %.2f ms\n", bench_pct(commit_floor, TAPS, 99));
		printf("tap_during_login_ms_p99 %.2f ms\n", bench_pct(login, TAPS, 99));
		printf("tap_during_login_floor_ms_p99 %.2f ms\n", bench_pct(login_floor, TAPS, 99));
		fprintf(stderr, "bench_tap: %d worker jobs beside the commit taps, %d logins beside the login taps\n",
			commit_jobs, logged_in);
	}
	teardown(dir);
	log_close();
	return rc == 0 ? 0 : 1;
}
