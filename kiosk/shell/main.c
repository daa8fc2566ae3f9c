/* kiosk: wires configuration, the flow core, the UI and the services, and runs the main
 * loop.  The main thread owns SDL; it sleeps in SDL_WaitEventTimeout until an event or the
 * flow's next deadline, and redraws only when something visible changed. */
#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kiosk/shell/app.h"
#include "kiosk/bill/epd.h"
#include "kiosk/base/log.h"
#include "kiosk/shell/sdnotify.h"
#include "kiosk/svc/svc.h"
#include "kiosk/base/tz.h"
#include "kiosk/base/wake.h"
#include "offline/curl_lib.h"
#include "kiosk/base/xalloc.h"
#include "ui/overflow.h"
#include "ui/screens.h"

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: kiosk [--config FILE] [--windowed | --headless] [--script FILE|-] [--shots DIR]\n"
		   "             [--speech-wav] [--first-frame-exit]\n");
}

static char *read_all(const char *path)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "re");
	if (!f)
		return NULL;
	size_t len = 0, cap = 4096;
	char *buf = xmalloc(cap);
	size_t n;
	while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (cap - len < 2)
			buf = xrealloc(buf, cap *= 2);
	}
	buf[len] = '\0';
	if (f != stdin)
		fclose(f);
	return buf;
}

void app_event(struct app *a, const struct flow_event *ev)
{
	struct flow_out out = { 0 };
	flow_set_wall(&a->flow, clock_wall_ms());
	flow_handle(&a->flow, ev, clock_mono_ms(), &out);
	if (out.dropped)
		log_error("flow", "actions_dropped", "count=%d screen=%s", out.dropped,
			  screen_name(a->flow.screen));
	for (int i = 0; i < out.n; i++) {
		const struct flow_action *act = &out.a[i];
		switch (act->type) {
		case FA_SCREEN_CHANGED:
			ui_scroll_reset(a->ui);
			log_info("flow", "screen", "id=%s", screen_name((enum screen_id)act->arg));
			break;
		case FA_STAFF_ENTRY:
			log_info("flow", "staff_entry", "by=%s", act->arg ? "card" : "hold");
			break;
		case FA_SCAN_REJECTED:
			/* its code and length, never its bytes (a bill names a person and an address) */
			log_info("scanner", "rejected", "code=%s len=%d",
				 act->arg == FLOW_SCAN_BAD_STAFF_CARD ? "bad_staff_card" : epd_error_code(act->arg), act->arg2);
			break;
		case FA_STAFF:
			if (act->arg == SOP_SPEECH && a->speech) {
				/* the new rate and volume at once, and a sample said with them */
				speech_set(a->speech, a->flow.speech_rate, a->flow.speech_volume);
				speech_say(a->speech, a->flow.lang, screen_name(a->flow.screen),
					   strings_get(a->ui->str, a->flow.lang, "staff.speech_sample"), true);
			}
			if (a->svc)
				svc_action(a->svc, act);
			break;
		case FA_WIPE_SESSION:
			/* A session ended: give what it used back to the system. */
			malloc_trim(0);
			if (a->svc)
				svc_action(a->svc, act);
			break;
		default:
			if (a->svc)
				svc_action(a->svc, act);
			break;
		}
	}
	app_voice(a);
}

static struct screen_ctx draw_ctx(const struct app *a)
{
	return (struct screen_ctx){ .cfg = &a->cfg, .wall_ms = clock_wall_ms(), .mono_ms = clock_mono_ms(),
				    .demo = a->demo };
}

void app_draw_flow(struct app *a, const struct flow *f)
{
	struct screen_ctx ctx = draw_ctx(a);
	screens_draw(a->ui, f, &ctx);
	ui_frame_end(a->ui);
}

/* ui_options.rehearse: the first frame drawn ahead on ui_create's worker, into a ui without
 * a renderer.  It reads the flow, the configuration and the demo bills, which nothing
 * writes until ui_create has returned. */
static void rehearse_first_frame(struct ui *r, void *ud)
{
	struct app *a = ud;
	struct screen_ctx ctx = draw_ctx(a);
	screens_draw(r, &a->flow, &ctx);
}

void app_draw(struct app *a, bool force)
{
	int64_t now = clock_mono_ms();
	int64_t wall = clock_wall_ms();
	/* The clock shows minutes and the prompt counts seconds: redraw when those change. */
	/* ... and the payment screen counts them too (the card's countdown, the bank's wait) */
	bool seconds = a->flow.prompt_since_ms || a->flow.screen == SCREEN_PAYMENT;
	int64_t second = seconds ? now / 1000 : wall / 60000;
	uint64_t changes = flow_changes(&a->flow);
	if (!force && !a->ui->dirty && second == a->drawn_second && changes == a->drawn_changes)
		return;
	app_draw_flow(a, &a->flow);
	a->drawn_changes = changes;
	a->drawn_second = second;
}

static void handle_sdl(struct app *a, const SDL_Event *e)
{
	int64_t now = clock_mono_ms();
	switch (e->type) {
	case SDL_QUIT:
		/* A fullscreen kiosk ignores window-close requests (Alt+F4): residents must not
		 * leave the app.  SIGTERM from systemd still stops it. */
		if (!a->cfg.fullscreen || a->headless)
			a->running = false;
		break;
	case SDL_MOUSEBUTTONDOWN:
		if (e->button.button == SDL_BUTTON_LEFT)
			ui_press(a->ui, e->button.x, e->button.y, now);
		break;
	case SDL_MOUSEMOTION:
		ui_drag(a->ui, e->motion.x, e->motion.y);
		break;
	case SDL_MOUSEWHEEL:
		a->ui->down = true; /* the wheel scrolls like a drag from the centre */
		a->ui->down_x = a->ui->scroll_r.x + 1;
		a->ui->down_y = a->ui->last_y = a->ui->scroll_r.y + 1;
		a->ui->dragging = true;
		ui_drag(a->ui, 0, a->ui->scroll_r.y + 1 + e->wheel.y * ui_px(a->ui, 80));
		a->ui->down = false;
		break;
	case SDL_MOUSEBUTTONUP:
		if (e->button.button == SDL_BUTTON_LEFT) {
			int64_t held = 0;
			const char *id = ui_release(a->ui, e->button.x, e->button.y, now, &held);
			if (id) {
				char copy[UI_ID_LEN];
				snprintf(copy, sizeof copy, "%s", id);
				app_tap(a, copy, true, held);
			} else if (a->flow.voice && !a->ui->dragging) {
				/* voice mode: a disabled control says so, no control says the screen */
				const struct ui_widget *w = ui_hit(a->ui, e->button.x, e->button.y);
				if (!w || !w->enabled)
					app_tap(a, w ? w->id : NULL, false, 0);
			}
		}
		break;
	case SDL_WINDOWEVENT:
		if (e->window.event == SDL_WINDOWEVENT_EXPOSED || e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED)
			a->ui->dirty = true;
		break;
	default:
		break; /* the services' wake-ups among them: their reports come by svc_next */
	}
}

/* The services' reports, as flow events, in the order they were made. */
static void handle_services(struct app *a)
{
	struct flow_event fe;
	while (a->svc && svc_next(a->svc, &fe)) {
		log_debug("kiosk", "service_event", "type=%d code=%d", fe.type, fe.code);
		app_event(a, &fe);
	}
}

/* The SDL event that wakes the loop for the services, registered before they start. */
static Uint32 wake_type = (Uint32)-1;

/* Any thread: a service has a report.  SDL_WaitEventTimeout wakes for an SDL event only,
 * so one carries the news (headless, svc_post's wake_signal wakes wake_wait). */
static void wake_main(void *ud)
{
	(void)ud;
	SDL_Event e = { .type = wake_type };
	if (wake_type != (Uint32)-1 && SDL_PushEvent(&e) != 1)
		wake_signal(); /* a full SDL queue is drained this turn anyway */
}

static int main_loop(struct app *a)
{
	bool scripted = a->script.n > 0;
	/* systemd's watchdog: a hung main loop gets the kiosk restarted (and recovery runs). */
	long wd = sdnotify_watchdog_interval_ms();
	int64_t wd_last = INT64_MIN / 2;
	while (a->running && !stop_requested) {
		if (scripted) {
			int rc = script_step(a);
			if (rc <= 0)
				return rc < 0 ? 1 : 0;
		}
		int64_t now = clock_mono_ms();
		int64_t wait = flow_next_deadline(&a->flow, now);
		/* Wake for the clock's next minute (and each second of the prompt countdown). */
		int64_t wall = clock_wall_ms();
		int64_t tick = a->flow.prompt_since_ms || a->flow.screen == SCREEN_PAYMENT ? 1000 - now % 1000
											   : 60000 - wall % 60000;
		if (wait < 0 || tick < wait)
			wait = tick;
		if (scripted)
			wait = a->wait_deadline ? 10 : 0;
		if (wd > 0) {
			if (now - wd_last >= wd) {
				sdnotify_watchdog();
				wd_last = now;
			}
			if (wait < 0 || wait > wd)
				wait = wd;
		}
		SDL_Event e;
		if (a->headless) {
			/* The dummy driver has no blocking wait: sleep on the wake fd. */
			if (!SDL_PollEvent(&e))
				wake_wait((int)wait);
			else
				handle_sdl(a, &e);
			while (SDL_PollEvent(&e))
				handle_sdl(a, &e);
		} else if (SDL_WaitEventTimeout(&e, (int)(wait > 0 ? wait : 1))) {
			handle_sdl(a, &e);
			while (SDL_PollEvent(&e))
				handle_sdl(a, &e);
		}
		handle_services(a);
		app_event(a, &(struct flow_event){ .type = FE_TICK });
		app_draw(a, false);
	}
	return a->exit_code;
}

/* The command line. */
struct args {
	const char *config_path, *script_path, *shots;
	bool windowed, headless, first_frame_exit, shots_given, speech_wav;
};

/* 0, or the status to exit with (0 after --help, 2 on a bad argument). */
static int parse_args(int argc, char **argv, struct args *o, bool *ret_exit)
{
	*o = (struct args){ .config_path = "/etc/kiosk/kiosk.conf", .shots = "." };
	*ret_exit = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--config") && i + 1 < argc)
			o->config_path = argv[++i];
		else if (!strcmp(argv[i], "--script") && i + 1 < argc)
			o->script_path = argv[++i];
		else if (!strcmp(argv[i], "--shots") && i + 1 < argc) {
			o->shots = argv[++i];
			o->shots_given = true;
		} else if (!strcmp(argv[i], "--speech-wav"))
			o->speech_wav = true;
		else if (!strcmp(argv[i], "--windowed"))
			o->windowed = true;
		else if (!strcmp(argv[i], "--headless"))
			o->headless = true;
		else if (!strcmp(argv[i], "--first-frame-exit"))
			o->first_frame_exit = true;
		else if (!strcmp(argv[i], "--help")) {
			usage(stdout);
			*ret_exit = true;
			return 0;
		} else {
			fprintf(stderr, "kiosk: unknown argument '%s'\n", argv[i]);
			usage(stderr);
			*ret_exit = true;
			return 2;
		}
	}
	return 0;
}

/* The test clock, the configuration, the zone, the demo bills and the script: 0, or the
 * status to exit with (nothing is started yet). */
static int load(struct app *a, const struct args *o)
{
	char err[512];
	/* A test stack's one clock (KIOSK_CLOCK, KIOSK_NOW): before any thread reads the time. */
	if (clock_attach_env(err, sizeof err) != 0) {
		fprintf(stderr, "kiosk: %s\n", err);
		return 2;
	}
	config_defaults(&a->cfg);
	if (config_load(o->config_path, &a->cfg, err, sizeof err) != 0) {
		fprintf(stderr, "kiosk: %s\n", err);
		return 2;
	}
	/* Times are stored in UTC and shown, and days counted, in this zone. */
	if (tz_set(a->cfg.timezone, err, sizeof err) != 0) {
		fprintf(stderr, "kiosk: %s: kiosk.timezone: %s\n", o->config_path, err);
		return 2;
	}
	if (a->cfg.demo_bills[0]) {
		a->demo = xcalloc(1, sizeof *a->demo);
		if (demo_bills_load(a->cfg.demo_bills, a->demo, err, sizeof err) != 0) {
			fprintf(stderr, "kiosk: %s: demo.bills: %s\n", o->config_path, err);
			return 2;
		}
	}
	if (o->windowed || o->headless)
		a->cfg.fullscreen = false;
	a->headless = o->headless;
	snprintf(a->shots_dir, sizeof a->shots_dir, "%s", o->shots);
	if (o->script_path) {
		char *text = read_all(o->script_path);
		if (!text) {
			fprintf(stderr, "kiosk: cannot read script %s: %s\n", o->script_path, strerror(errno));
			return 2;
		}
		int rc = script_parse(text, &a->script, err, sizeof err);
		free(text);
		if (rc != 0) {
			fprintf(stderr, "%s\n", err);
			return 1;
		}
	}
	return 0;
}

/* The flow as configured, before the services report: the PIN-pad is not ready before its
 * recovery ran. */
static void start_flow(struct app *a)
{
	struct flow_config fc = { .inactivity_ms = a->cfg.inactivity_s * 1000, .prompt_ms = a->cfg.prompt_s * 1000,
				  .lang = (enum lang)lang_parse(a->cfg.lang), .max_amount = a->cfg.max_amount,
				  .control_attempts = a->cfg.control_attempts,
				  .control_lock_ms = (int64_t)a->cfg.control_lock_min * 60 * 1000,
				  .readings_from_day = a->cfg.readings_from_day, .readings_to_day = a->cfg.readings_to_day,
				  .allow = a->cfg.allow, .nallow = a->cfg.nallow, .agent_name = a->cfg.agent_name,
				  .staff_card_prefix = a->cfg.staff_card_prefix, .voice_available = a->cfg.speech_enabled,
				  .ereceipt_first = strcmp(a->cfg.fiscal_device, "shtrih") == 0,
				  .speech_rate = a->cfg.speech_rate, .speech_volume = a->cfg.speech_volume,
				  .pinpad_unknown = true };
	flow_init(&a->flow, &fc, clock_mono_ms());
	flow_set_wall(&a->flow, clock_wall_ms());
}

/* The flow, the window (whose worker rehearses the flow's first frame), the main thread's
 * wake-up and speech, in that order: 0, or 2 (what was started is stopped by stop()). */
static int start_ui(struct app *a, const struct args *o)
{
	char err[512];
	start_flow(a);
	struct ui_options uo = { .width = a->cfg.width, .height = a->cfg.height, .headless = o->headless,
				 .fullscreen = a->cfg.fullscreen, .assets = a->cfg.assets_dir,
				 .theme = a->cfg.theme, .rehearse = rehearse_first_frame, .rehearse_ud = a };
	a->ui = ui_create(&uo, err, sizeof err);
	if (!a->ui) {
		fprintf(stderr, "kiosk: %s\n", err);
		return 2;
	}
	/* A script is a test: every frame's text is checked against its boxes (ui/overflow.h). */
	if (a->script.n > 0)
		overflow_enable(a->ui);
	if (wake_init() != 0) {
		fprintf(stderr, "kiosk: eventfd: %s\n", strerror(errno));
		return 2;
	}
	if (a->cfg.speech_enabled && app_start_speech(a, o->shots_given, o->speech_wav, err, sizeof err) != 0) {
		fprintf(stderr, "kiosk: speech: %s\n", err);
		return 2;
	}
	wake_type = SDL_RegisterEvents(1);
	return 0;
}

/* The services, after the first frame: the store's opening and its checks, the devices'
 * threads and the billing-center client do not keep the resident looking at a blank
 * screen (the wake-up they use is registered by start_ui).  0, or 2. */
static int start_services(struct app *a)
{
	char err[512];
	a->svc = svc_start(&a->cfg, wake_main, NULL, err, sizeof err);
	if (!a->svc) {
		fprintf(stderr, "kiosk: %s\n", err);
		return 2;
	}
	if (a->speech)
		app_speech_settings_from_store(a);
	a->running = true;
	return 0;
}

/* The first frame, drawn as soon as the window is there; with --first-frame-exit, the
 * microseconds from the start of main to it (make bench). */
static void first_frame(struct app *a, bool report, int64_t t0)
{
	app_draw(a, true);
	if (!report)
		return;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	int64_t t1 = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
	printf("first_frame_us %lld\n", (long long)(t1 - t0));
	fflush(stdout);
}

/* Everything load(), start_ui() and start_services() made, in reverse (each part takes NULL). */
static void stop(struct app *a)
{
	script_free(&a->script);
	svc_stop(a->svc); /* also frees the reports still queued */
	speech_stop(a->speech);
	ui_destroy(a->ui);
	free(a->demo);
	log_close();
}

int kiosk_main(int argc, char **argv)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	int64_t t0 = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
	struct args o;
	bool done;
	int rc = parse_args(argc, argv, &o, &done);
	if (done)
		return rc;

	/* One malloc arena per service thread would hold memory each thread used once (about
	 * 12 MB measured after 1,000 sessions); two arenas are plenty for a kiosk. */
	mallopt(M_ARENA_MAX, 2);
	/* Blocks of 128 KB and more (receipt images, rendered text, QR codes) get their own
	 * mappings, returned to the system when freed.  By default glibc raises this threshold
	 * to the largest block freed so far, after which a 7 MB receipt image comes from the
	 * heap and stays resident: the mixed soak's RssAnon swung between 24 and 37 MB. */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	curl_lib_before_threads();
	static struct app app;
	struct app *a = &app;
	if ((rc = load(a, &o)) != 0) {
		free(a->demo);
		script_free(&a->script);
		return rc;
	}
	log_open(a->cfg.log_file[0] ? a->cfg.log_file : NULL, (enum log_level)log_level_parse(a->cfg.log_level),
		 a->cfg.log_syslog);
	struct sigaction sa = { .sa_handler = on_signal };
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
	if ((rc = start_ui(a, &o)) != 0) {
		stop(a);
		return rc;
	}
	first_frame(a, o.first_frame_exit, t0);
	if ((rc = start_services(a)) != 0) {
		stop(a);
		return rc;
	}
	log_info("kiosk", "started", "version=%s headless=%d", KIOSK_VERSION, o.headless);
	if (clock_is_injected())
		log_warn("kiosk", "test_clock", "file=%s wall_ms=%lld", getenv("KIOSK_CLOCK"), (long long)clock_wall_ms());
	if (sdnotify_ready() < 0)
		log_warn("kiosk", "sdnotify", "errno=%d", errno);
	/* --first-frame-exit: the services started and checked their store (a lost store still
	 * exits 2), nothing more. */
	rc = o.first_frame_exit ? 0 : main_loop(a);
	sdnotify_stopping();
	rc = svc_exit_code(a->svc, rc); /* 75: a technician asked for a restart */
	log_info("kiosk", "stopped", "rc=%d", rc);
	stop(a);
	return rc;
}
