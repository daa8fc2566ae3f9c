#ifndef KIOSK_APP_H
#define KIOSK_APP_H
/* The running kiosk as main.c wires it: configuration, clock, flow, UI and the services.
 * Owned by the main thread. */
#include <stdbool.h>

#include "kiosk/base/clock.h"
#include "kiosk/conf/config.h"
#include "kiosk/bill/demo_bills.h"
#include "kiosk/flow/flow.h"
#include "kiosk/shell/script.h"
#include "kiosk/flow/voice.h"
#include "ui/speech.h"
#include "ui/ui.h"

struct app {
	struct config cfg;
	struct flow flow;
	struct ui *ui;
	struct svc *svc;
	bool headless;
	bool running;
	int exit_code;

	/* Voice guidance: the speech engine (NULL with speech.enabled = false), what was last
	 * said about the flow, and explore by touch. */
	struct speech *speech;
	struct voice_seen voice_seen;
	struct voice_gate voice_gate;

	/* The demo's bills for a kiosk without a scanner (demo.bills); NULL on a terminal. */
	struct demo_bills *demo;

	/* Redraw bookkeeping: the flow's change counter and the clock's second (or minute) as
	 * last drawn. */
	uint64_t drawn_changes;
	int64_t drawn_second;

	/* Script interface. */
	struct script script;
	int pc;                 /* next command */
	int64_t wait_deadline;  /* real monotonic ms; 0: not waiting */
	int type_pos;           /* next digit of a `type` command */
	uint64_t speech_seq;    /* expect-speech: the utterance the last one matched, */
	size_t speech_off;      /* and where in it */
	char shots_dir[256];
	/* Overflow findings reported so far (each once: a hash of its line), and how many. */
	uint64_t overflow_seen[512];
	int overflow_n;
};

/* The program: arguments, configuration, the main loop; the exit status.  build/kiosk's
 * main (kiosk/shell/kiosk.c) and build/kiosk-test's (tests/hooks/main.c) call it. */
int kiosk_main(int argc, char **argv);

/* Runs the flow on one event and performs its actions. */
void app_event(struct app *a, const struct flow_event *ev);
/* A finger lifted on widget ID (held HELD_MS; ENABLED as drawn): in voice mode the first
 * touch explores, a second one activates (kiosk/flow/voice.h); otherwise a tap
 * (app_voice.c, with the rest of voice guidance). */
void app_tap(struct app *a, const char *id, bool enabled, int64_t held_ms);
/* Voice mode: what the flow's last change means, said. */
void app_voice(struct app *a);
/* The speech engine (speech.enabled).  Headless runs are tests: silent unless
 * SDL_AUDIODRIVER says otherwise.  The --shots directory gets speech.log (and with --speech-wav
 * the WAV files) only when given.  0, or -1 with err. */
int app_start_speech(struct app *a, bool shots_given, bool wav, char *err, int errcap);
/* A technician's rate and volume (the store's settings, written by the service menu) over
 * the configuration's. */
void app_speech_settings_from_store(struct app *a);
/* Draws now if anything visible changed (or force). */
void app_draw(struct app *a, bool force);

/* Script execution (script_exec.c): runs commands until one must wait; returns 1 while the
 * script has more to do, 0 when it finished, -1 on a failed command (message printed). */
int script_step(struct app *a);

/* Overflow (script_looks.c): prints the last frame's findings not reported before, one
 * "overflow: SCREEN LOOK …" line each; the script fails at its end when there were any. */
void script_overflow(struct app *a);
/* `looks NAME`: the current screen drawn in each look (language × text size × contrast),
 * each checked for overflow and written at half size as SHOTS/LOOK/NAME.png; then drawn as it
 * was.
 * 0, or -1 when a screenshot could not be written. */
int script_looks(struct app *a, const char *name);
/* Draws f as the screen, whatever changed (the looks command draws copies of the flow). */
void app_draw_flow(struct app *a, const struct flow *f);

#endif
