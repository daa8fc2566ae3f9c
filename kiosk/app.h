#ifndef KIOSK_APP_H
#define KIOSK_APP_H
/* The running kiosk as main.c wires it: configuration, clock, flow, UI and the services.
 * Owned by the main thread. */
#include <stdbool.h>

#include "kiosk/clock.h"
#include "kiosk/config.h"
#include "kiosk/flow.h"
#include "kiosk/script.h"
#include "ui/ui.h"

struct app {
	struct config cfg;
	struct flow flow;
	struct ui *ui;
	struct svc *svc;
	bool headless;
	bool running;
	int exit_code;

	/* Redraw bookkeeping: the state last drawn. */
	struct flow drawn;
	int64_t drawn_second;

	/* Script interface. */
	struct script script;
	int pc;                 /* next command */
	int64_t wait_deadline;  /* real monotonic ms; 0: not waiting */
	int type_pos;           /* next digit of a `type` command */
	char shots_dir[256];
};

/* Runs the flow on one event and performs its actions. */
void app_event(struct app *a, const struct flow_event *ev);
/* Draws now if anything visible changed (or force). */
void app_draw(struct app *a, bool force);

/* Script execution (script_exec.c): runs commands until one must wait; returns 1 while the
 * script has more to do, 0 when it finished, -1 on a failed command (message printed). */
int script_step(struct app *a);

#endif
