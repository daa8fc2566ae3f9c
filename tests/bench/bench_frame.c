/* make bench: frame cost of the busiest screens at 1080x1920 with the software renderer
 * (headless, SDL dummy driver), in process: the real ui, the real screens, a struct flow
 * filled with a demo session (an account with many services, a full basket, four meters).
 *   frame_ms_p50, frame_ms_p99   screens_draw + ui_frame_end, warm text cache, all three
 *                                screens pooled (FRAMES each)
 *   frame_<screen>_ms_p99        the same per screen
 *   frame_floor_ms               clear + present of the same window, p99 of as many,
 *                                timed in blocks taking turns with the screens' blocks
 *   frame_ratio                  frame_ms_p99 / frame_floor_ms (target <= 4)
 *   frame_cpu_ms_p99, frame_floor_cpu_ms   the same two in this thread's CPU time (what
 *                                the frame costs without the time the bench was preempted)
 *   frame_cold_ms                the first frame of a screen with the text cache (and its
 *                                fonts) empty: median over COLD runs of the three screens
 *   input_to_frame_ms_p99        ui_press + ui_release + flow_handle(FE_TAP) through the
 *                                frame that shows the tap's effect (taps that change screen
 *                                and taps that type a digit), p99 over TAPS taps
 *   input_to_frame_cpu_ms_p99    the same in this thread's CPU time */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kiosk/conf/config.h"
#include "kiosk/flow/flow.h"
#include "kiosk/base/tz.h"
#include "ui/screens.h"
#include "ui/text.h"
#include "ui/ui.h"
#include "tests/lib/large_account.h"
#include "tests/lib/ui_tap.h"
#include "tests/lib/bench_flow.h"
#include "tests/lib/bench_time.h"

#define FRAMES 200 /* timed frames of each screen, and as many floor frames */
#define BLOCK 40   /* frames in a row before the other kind */
#define ROUNDS (FRAMES / BLOCK)
#define COLD 5
#define TAPS 300

/* This thread's CPU time: on a shared machine the wall-clock figures include time the
 * bench was preempted; the CPU figures say what the frame itself costs. */
static double cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static struct config cfg;
static struct flow flow;
static struct ui *ui;

/* Puts the flow on screen `id` with a full session (as after scans, taps and lookups). */
static void set_screen(enum screen_id id)
{
	struct flow_session *s = &flow.s;
	memset(s, 0, sizeof *s);
	s->bill_sum = 452316;
	s->open_service = 1;  /* one service opened: its supplier details are drawn too */
	s->focus_meter = -1;
	s->print_status = -1;
	snprintf(s->bill_period, sizeof s->bill_period, "2026-10");
	snprintf(s->bill_payee_inn, sizeof s->bill_payee_inn, "5037008735");
	snprintf(s->bill_payee_name, sizeof s->bill_payee_name, "ООО «МосОблЕИРЦ»");
	large_account(&s->acct, "50012345", bench_wall_ms());
	s->amount = s->acct.due;
	s->nlines = id == SCREEN_BASKET ? FLOW_MAX_BASKET - 1 : 0;
	for (int i = 0; i < s->nlines; i++) {
		struct flow_line *l = &s->lines[i];
		char acc[16];
		snprintf(acc, sizeof acc, "500123%02d", (40 + i) % 100);
		large_account(&l->acct, acc, bench_wall_ms());
		l->amount = 452316 + i;
		snprintf(l->payee_inn, sizeof l->payee_inn, "5037008735");
		snprintf(l->payee_name, sizeof l->payee_name, "ООО «МосОблЕИРЦ»");
		l->from_bill = true;
		s->total += l->amount;
	}
	if (id == SCREEN_READINGS) {
		s->readings_mode = true;
		s->focus_meter = 0;
		snprintf(s->readings[0].typed, sizeof s->readings[0].typed, "123");
		snprintf(s->readings[1].typed, sizeof s->readings[1].typed, "46,12");
		s->readings[1].value_milli = 46120;
		s->readings[1].entered = true;
	}
	flow.screen = id;
	flow.prompt_since_ms = 0;
	flow.busy = false;
	ui_scroll_reset(ui);
}

static void frame(void)
{
	struct screen_ctx ctx = { .cfg = &cfg, .wall_ms = bench_wall_ms(), .mono_ms = (int64_t)bench_now_ms() };
	screens_draw(ui, &flow, &ctx);
	ui_frame_end(ui);
}

static void floor_frame(void)
{
	SDL_SetRenderDrawColor(ui->ren, 243, 245, 249, 255);
	SDL_RenderClear(ui->ren);
	SDL_RenderPresent(ui->ren);
}

/* One tap at widget id's centre, handled as kiosk/shell/main.c does, then the frame showing it.
 * Returns the ms from the press to the presented frame (and in *ret_cpu this thread's CPU
 * ms), -1 when the widget is missing. */
static double tap(const char *id, enum screen_id want, double *ret_cpu)
{
	double t0 = bench_now_ms(), c0 = cpu_ms();
	static struct flow_out out;
	flow_set_wall(&flow, bench_wall_ms());
	if (!ui_tap_flow(ui, &flow, id, (int64_t)t0, &out))
		return -1;
	for (int i = 0; i < out.n; i++)
		if (out.a[i].type == FA_SCREEN_CHANGED)
			ui_scroll_reset(ui);
	frame();
	double t = bench_now_ms() - t0;
	*ret_cpu = cpu_ms() - c0;
	return flow.screen == want ? t : -1;
}

/* Input: account -pay-> confirm -back-> account, and digits typed on readings; TAPS taps'
 * wall-clock and CPU ms.  0, or -1 when a tap did not reach its screen. */
static int measure_taps(double *in, double *incpu)
{
	int n = 0;
	while (n < TAPS) {
		double ac, bc = 0, cc;
		set_screen(SCREEN_ACCOUNT);
		frame();
		double a = tap("pay", SCREEN_CONFIRM, &ac);
		double b = a >= 0 ? tap("back", SCREEN_ACCOUNT, &bc) : -1;
		set_screen(SCREEN_READINGS);
		frame();
		double c = tap("key_7", SCREEN_READINGS, &cc);
		if (a < 0 || b < 0 || c < 0) {
			fprintf(stderr, "bench_frame: a tap did not reach its screen (%.1f %.1f %.1f)\n", a, b, c);
			return -1;
		}
		incpu[n] = ac;
		in[n++] = a;
		incpu[n] = bc;
		in[n++] = b;
		if (n < TAPS) {
			incpu[n] = cc;
			in[n++] = c;
		}
	}
	return 0;
}

int main(void)
{
	static const enum screen_id busy[] = { SCREEN_ACCOUNT, SCREEN_BASKET, SCREEN_READINGS };
	enum { NB = sizeof busy / sizeof busy[0] };
	char err[256];
	setenv("SDL_VIDEODRIVER", "dummy", 1);
	if (tz_set("Europe/Moscow", err, sizeof err) != 0) {
		fprintf(stderr, "bench_frame: %s\n", err);
		return 1;
	}
	config_defaults(&cfg);
	cfg.readings_from_day = 1;
	cfg.readings_to_day = 31;
	struct ui_options uo = { .width = 1080, .height = 1920, .headless = true, .assets = "assets", .theme = "default" };
	ui = ui_create(&uo, err, sizeof err);
	if (!ui) {
		fprintf(stderr, "bench_frame: %s\n", err);
		return 1;
	}
	bench_flow_init(&flow, (int64_t)bench_now_ms(), bench_wall_ms());

	/* Cold: a fresh text cache (fonts closed too) before the first frame of a screen. */
	double cold[COLD * NB];
	for (int r = 0; r < COLD; r++)
		for (int i = 0; i < NB; i++) {
			text_cache_free(ui->cache);
			ui->cache = text_cache_new(ui);
			set_screen(busy[i]);
			double t0 = bench_now_ms();
			frame();
			cold[r * NB + i] = bench_now_ms() - t0;
		}

	/* Warm: FRAMES timed frames of each screen, in ROUNDS rounds of BLOCK frames of a screen
	 * then BLOCK floor frames, each block after one untimed frame of its kind (the floor's
	 * clear leaves the window surface out of the cache, a frame leaves it in): a slow spell
	 * of the machine lands on both. */
	static double all[FRAMES * NB], one[NB][FRAMES], fl[FRAMES * NB], cpu[FRAMES * NB], flcpu[FRAMES * NB];
	double per[NB];
	int nf = 0, nfl = 0;
	for (int i = 0; i < NB; i++) {
		set_screen(busy[i]);
		for (int k = 0; k < 5; k++)
			frame();
	}
	for (int round = 0; round < ROUNDS; round++)
		for (int i = 0; i < NB; i++) {
			set_screen(busy[i]);
			frame();
			for (int k = 0; k < BLOCK; k++) {
				double t0 = bench_now_ms(), c0 = cpu_ms();
				frame();
				all[nf] = one[i][round * BLOCK + k] = bench_now_ms() - t0;
				cpu[nf++] = cpu_ms() - c0;
			}
			floor_frame();
			for (int k = 0; k < BLOCK; k++) {
				double t0 = bench_now_ms(), c0 = cpu_ms();
				floor_frame();
				fl[nfl] = bench_now_ms() - t0;
				flcpu[nfl++] = cpu_ms() - c0;
			}
		}
	for (int i = 0; i < NB; i++)
		per[i] = bench_pct(one[i], FRAMES, 99);

	static double in[TAPS], incpu[TAPS];
	if (measure_taps(in, incpu) != 0)
		return 1;

	double p50 = bench_pct(all, FRAMES * NB, 50), p99 = bench_pct(all, FRAMES * NB, 99), floor99 = bench_pct(fl, FRAMES * NB, 99);
	printf("frame_ms_p50 %.2f ms\n", p50);
	printf("frame_ms_p99 %.2f ms\n", p99);
	for (int i = 0; i < NB; i++)
		printf("frame_%s_ms_p99 %.2f ms\n", screen_name(busy[i]), per[i]);
	printf("frame_floor_ms %.2f ms\n", floor99);
	printf("frame_ratio %.1f x\n", floor99 > 0 ? p99 / floor99 : 0.0);
	printf("frame_cpu_ms_p99 %.2f ms\n", bench_pct(cpu, FRAMES * NB, 99));
	printf("frame_floor_cpu_ms %.2f ms\n", bench_pct(flcpu, FRAMES * NB, 99));
	printf("frame_cold_ms %.2f ms\n", bench_pct(cold, COLD * NB, 50));
	printf("input_to_frame_ms_p99 %.2f ms\n", bench_pct(in, TAPS, 99));
	printf("input_to_frame_cpu_ms_p99 %.2f ms\n", bench_pct(incpu, TAPS, 99));
	ui_destroy(ui);
	return 0;
}
