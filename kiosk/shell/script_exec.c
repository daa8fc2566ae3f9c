/* Runs script commands against the real program: taps go through the same hit-testing as a
 * finger, text checks read what the last frame drew, db reads the store read-only. */
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kiosk/shell/app.h"
#include "kiosk/base/hooks.h"
#include "kiosk/base/log.h"
#include "kiosk/svc/svc.h"
#include "ui/screens.h"

#define DEFAULT_WAIT_MS 10000

static int64_t real_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int failf(struct app *a, const struct script_cmd *c, const char *fmt, const char *x, const char *y)
{
	char msg[1024];
	snprintf(msg, sizeof msg, fmt, x, y);
	fprintf(stderr, "script:%d: %s\n", c->line, msg);
	log_error("script", "failed", "line=%d", c->line);
	a->exit_code = 1;
	return -1;
}

static void widget_list(const struct ui *ui, char *buf, size_t cap)
{
	size_t o = 0;
	buf[0] = '\0';
	for (int i = 0; i < ui->nwidgets && o + 2 < cap; i++)
		o += (size_t)snprintf(buf + o, cap - o, "%s%s", i ? " " : "", ui->widgets[i].id);
}

#define TAP_WAIT_MS 5000

/* A command that waits for something: true while MS of real time have not passed since its
 * first call (the deadline is set then), false once they have (and the deadline cleared).
 * A command that sees what it waited for clears a->wait_deadline itself. */
static bool still_waiting(struct app *a, int64_t ms)
{
	int64_t now = real_ms();
	if (!a->wait_deadline)
		a->wait_deadline = now + ms;
	if (now < a->wait_deadline)
		return true;
	a->wait_deadline = 0;
	return false;
}

/* Like a person, a tap waits a moment for its button to appear and become enabled (a
 * device reporting ready, a lookup answering): pending for up to TAP_WAIT_MS. */
static int tap(struct app *a, const struct script_cmd *c, const char *id, int64_t hold_ms)
{
	app_draw(a, false);
	const struct ui_widget *w = ui_find(a->ui, id);
	if (!w && ui_reveal(a->ui, id)) { /* scrolled out of view: scroll to it, as a person would */
		app_draw(a, true);
		w = ui_find(a->ui, id);
	}
	if ((!w || !w->enabled) && still_waiting(a, TAP_WAIT_MS))
		return 1;
	a->wait_deadline = 0;
	if (!w) {
		char list[1024];
		widget_list(a->ui, list, sizeof list);
		char what[160];
		snprintf(what, sizeof what, "%s' on screen '%s", id, screen_name(a->flow.screen));
		return failf(a, c, "expected widget '%s', seen widgets: %s", what, list);
	}
	if (!w->enabled)
		return failf(a, c, "expected widget '%s' to be enabled, seen it disabled%s", id, "");
	int x = w->r.x + w->r.w / 2, y = w->r.y + w->r.h / 2;
	ui_press(a->ui, x, y, clock_mono_ms());
	if (hold_ms > 0) {
		app_draw(a, false);
		clock_advance(hold_ms);
	}
	int64_t held = 0;
	const char *tapped = ui_release(a->ui, x, y, clock_mono_ms(), &held);
	if (!tapped)
		return failf(a, c, "expected a tap on '%s' to register, seen none%s", id, "");
	char copy[UI_ID_LEN];
	snprintf(copy, sizeof copy, "%s", tapped);
	app_tap(a, copy, true, held);
	app_draw(a, false);
	return 0;
}

static int db_check(struct app *a, const struct script_cmd *c)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	char seen[1024] = "";
	int rc = sqlite3_open_v2(a->cfg.store_path, &db, SQLITE_OPEN_READONLY, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, c->arg, -1, &st, NULL);
	if (rc != SQLITE_OK) {
		char msg[512];
		snprintf(msg, sizeof msg, "%s", db ? sqlite3_errmsg(db) : "cannot open");
		sqlite3_finalize(st);
		sqlite3_close(db);
		return failf(a, c, "db: query failed: %s%s", msg, "");
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		size_t o = 0;
		for (int i = 0; i < sqlite3_column_count(st) && o + 1 < sizeof seen; i++) {
			const unsigned char *v = sqlite3_column_text(st, i);
			o += (size_t)snprintf(seen + o, sizeof seen - o, "%s%s", i ? "|" : "", v ? (const char *)v : "");
		}
	} else if (rc == SQLITE_DONE) {
		snprintf(seen, sizeof seen, "(no rows)");
	} else {
		snprintf(seen, sizeof seen, "(error: %s)", sqlite3_errmsg(db));
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	if (strcmp(seen, c->expected) != 0)
		return failf(a, c, "db: expected '%s', seen '%s'", c->expected, seen);
	return 0;
}

static int shot(struct app *a, const struct script_cmd *c)
{
	char path[512];
	if (c->arg[0] == '/')
		snprintf(path, sizeof path, "%s", c->arg);
	else
		snprintf(path, sizeof path, "%s/%s", a->shots_dir, c->arg);
	/* shot en/attract.png: the folder is made as needed. */
	char dir[512];
	snprintf(dir, sizeof dir, "%s", path);
	for (char *p = dir + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(dir, 0755);
		*p = '/';
	}
	app_draw(a, true);
	script_overflow(a);
	if (ui_screenshot(a->ui, path) != 0)
		return failf(a, c, "expected a screenshot in %s, seen an error: %s", path, SDL_GetError());
	return 0;
}

/* Copies s with no-break spaces (U+00A0, U+202F: money is typeset with them) as plain
 * spaces, so scripts write "4 523,16 ₽" as a person would type it. */
static void spaces_plain(const char *s, char *out, size_t cap)
{
	size_t o = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p && o + 1 < cap;) {
		if (p[0] == 0xC2 && p[1] == 0xA0) {
			out[o++] = ' ';
			p += 2;
		} else if (p[0] == 0xE2 && p[1] == 0x80 && p[2] == 0xAF) {
			out[o++] = ' ';
			p += 3;
		} else {
			out[o++] = (char)*p++;
		}
	}
	out[o] = '\0';
}

/* expect-speech: an utterance containing the text, at or after where the last one matched
 * (so a script states the dialogue in the order it is spoken); waits like `expect`. */
static int expect_speech(struct app *a, const struct script_cmd *c)
{
	if (!a->speech)
		return failf(a, c, "expect-speech: speech is off (speech.enabled = false)%s%s", "", "");
	char needle[512], hay[VOICE_TEXT_MAX];
	spaces_plain(c->arg, needle, sizeof needle);
	uint64_t last = speech_last(a->speech);
	for (uint64_t n = a->speech_seq ? a->speech_seq : 1; n <= last; n++) {
		const char *t = speech_text(a->speech, n);
		if (!t)
			continue;
		spaces_plain(t, hay, sizeof hay);
		size_t from = n == a->speech_seq ? a->speech_off : 0;
		const char *at = from <= strlen(hay) ? strstr(hay + from, needle) : NULL;
		if (at) {
			a->speech_seq = n;
			a->speech_off = (size_t)(at - hay) + strlen(needle);
			a->wait_deadline = 0;
			return 0;
		}
	}
	if (still_waiting(a, DEFAULT_WAIT_MS))
		return 1;
	char seen[1500];
	size_t k = 0;
	seen[0] = '\0';
	for (uint64_t n = a->speech_seq ? a->speech_seq : 1; n <= last && k + 8 < sizeof seen; n++) {
		const char *t = speech_text(a->speech, n);
		if (t)
			k += (size_t)snprintf(seen + k, sizeof seen - k, "%s[%llu] %s", k ? " | " : "", (unsigned long long)n, t);
	}
	return failf(a, c, "expected speech '%s', seen: %s", c->arg, seen[0] ? seen : "(nothing said)");
}

/* expect: 0 done, 1 pending (call again), -1 failed. */
static int expect_text(struct app *a, const struct script_cmd *c)
{
	/* Text may follow an answer still on its way (a lookup, the PIN-pad): like a
	 * person, look for up to TAP_WAIT_MS before calling it missing. */
	app_draw(a, false);
	char hay[UI_TEXT_LOG], needle[512];
	spaces_plain(a->ui->text_log, hay, sizeof hay);
	spaces_plain(c->arg, needle, sizeof needle);
	if (strstr(hay, needle)) {
		a->wait_deadline = 0;
		script_overflow(a);
		return 0;
	}
	if (still_waiting(a, TAP_WAIT_MS))
		return 1;
	char seen[600];
	size_t k = 0;
	for (const char *p = a->ui->text_log; *p && k + 4 < sizeof seen; p++)
		seen[k++] = *p == '\n' ? '|' : *p;
	seen[k] = '\0';
	return failf(a, c, "expected text '%s' on the screen, seen: %s", c->arg, seen);
}

/* synced: every outbox record acknowledged by the billing center, waiting up to the
 * command's seconds (30 by default); 0 done, 1 pending, -1 failed. */
/* db reads the store once the service worker has done every job asked before it (the
 * worker writes what the flow asked on its own thread; a check must not race it).  Waits at
 * most 10 s of real time, then checks what is there. */
static bool services_done(struct app *a)
{
	if (svc_idle(a->svc)) {
		a->wait_deadline = 0;
		return true;
	}
	return !still_waiting(a, 10000);
}

static int wait_synced(struct app *a, const struct script_cmd *c)
{
	if (!a->cfg.center_url[0])
		return failf(a, c, "synced: no billing center configured (center.url)%s%s", "", "");
	int n = svc_unacked(a->svc);
	if (n == 0) {
		a->wait_deadline = 0;
		return 0;
	}
	if (still_waiting(a, c->ms >= 0 ? c->ms : 30000))
		return 1;
	char seen[32];
	snprintf(seen, sizeof seen, "%d", n);
	return failf(a, c, "expected every outbox record acknowledged, seen %s unacknowledged%s", seen, "");
}

/* Returns 0 done, 1 pending (call again), -1 failed. */
static int run_one(struct app *a, const struct script_cmd *c)
{
	switch (c->op) {
	case SCRIPT_TAP:
		return tap(a, c, c->arg, 0);
	case SCRIPT_HOLD:
		return tap(a, c, c->arg, c->ms);
	case SCRIPT_TYPE:
		while (c->arg[a->type_pos]) {
			char id[16] = { 'k', 'e', 'y', '_', c->arg[a->type_pos], 0 };
			if (c->arg[a->type_pos] == ',')
				snprintf(id, sizeof id, "key_comma");
			int rc = tap(a, c, id, 0);
			if (rc != 0) {
				if (rc < 0)
					a->type_pos = 0;
				return rc;
			}
			a->type_pos++;
		}
		a->type_pos = 0;
		return 0;
	case SCRIPT_SCAN:
		app_event(a, &(struct flow_event){ .type = FE_SCAN, .data = c->data, .len = c->len });
		app_draw(a, false);
		return 0;
	case SCRIPT_WAIT: {
		int want = screen_parse(c->arg);
		if (want < 0)
			return failf(a, c, "wait: no screen called '%s'%s", c->arg, "");
		if ((int)a->flow.screen == want) {
			a->wait_deadline = 0;
			return 0;
		}
		if (still_waiting(a, c->ms >= 0 ? c->ms : DEFAULT_WAIT_MS))
			return 1;
		return failf(a, c, "expected screen '%s', seen '%s'", c->arg, screen_name(a->flow.screen));
	}
	case SCRIPT_EXPECT:
		return expect_text(a, c);
	case SCRIPT_EXPECT_SPEECH:
		return expect_speech(a, c);
	case SCRIPT_ADVANCE:
		clock_advance(c->ms);
		app_event(a, &(struct flow_event){ .type = FE_TICK });
		app_draw(a, false);
		return 0;
	case SCRIPT_SHOT:
		return shot(a, c);
	case SCRIPT_LOOKS:
		if (script_looks(a, c->arg) != 0)
			return failf(a, c, "looks: expected the screenshots of %s, seen an error%s", c->arg, "");
		return 0;
	case SCRIPT_DB:
		return services_done(a) ? db_check(a, c) : 1;
	case SCRIPT_SYNCED:
		return wait_synced(a, c);
	case SCRIPT_PINPAD: {
		char err[256];
		if (kiosk_hooks_pinpad(a->cfg.pinpad_control, c->arg, err, sizeof err) != 0)
			return failf(a, c, "pinpad: expected the simulator to take '%s', seen: %s", c->arg, err);
		return 0;
	}
	}
	return -1;
}

int script_step(struct app *a)
{
	while (a->pc < a->script.n) {
		const struct script_cmd *c = &a->script.cmds[a->pc];
		int rc = run_one(a, c);
		if (rc < 0)
			return -1;
		if (rc > 0)
			return 1;
		log_info("script", "ok", "line=%d op=%s", c->line, script_op_name(c->op));
		a->pc++;
	}
	/* The end: once the services have done what the script asked (a restart's exit status,
	 * a last write), as for a db check. */
	if (!services_done(a))
		return 1;
	if (a->overflow_n) {
		fprintf(stderr, "script: %d overflow findings (text that leaves its box, is clipped or overlaps)\n",
			a->overflow_n);
		a->exit_code = 1;
		return -1;
	}
	int missing = strings_missing(a->ui->str);
	if (missing) {
		fprintf(stderr, "script: %d lookups of missing string keys (see the log)\n", missing);
		a->exit_code = 1;
		return -1;
	}
	return 0;
}
