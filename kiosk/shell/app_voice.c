/* Voice guidance in the shell: the speech engine started as configured, a technician's
 * rate and volume from the store, what the flow's changes and the resident's touches mean
 * said aloud (kiosk/flow/voice.h decides what; ui/speech.h says it), and a touch turned
 * into the flow's event (a demo bill's button is the scanner of a kiosk that has none). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/base/log.h"
#include "kiosk/shell/app.h"
#include "kiosk/svc/svc.h"
#include "ui/screens.h"

static const char *voice_tr(void *ud, enum lang l, const char *key)
{
	return strings_get(((struct ui *)ud)->str, l, key);
}

static bool voice_has(void *ud, enum lang l, const char *key)
{
	return strings_has(((struct ui *)ud)->str, l, key);
}

static struct voice_ctx voice_ctx(struct app *a)
{
	return (struct voice_ctx){ .tr = voice_tr, .has = voice_has, .ud = a->ui, .cfg = &a->cfg };
}

static void say(struct app *a, const char *text, bool cut)
{
	if (text[0])
		speech_say(a->speech, a->flow.lang, screen_name(a->flow.screen), text, cut);
}

/* Voice mode: what the flow's change means, said (kiosk/flow/voice.c decides). */
void app_voice(struct app *a)
{
	if (!a->speech)
		return;
	static struct voice_out out; /* main thread only */
	out.n = 0;
	struct voice_ctx c = voice_ctx(a);
	voice_follow(&a->voice_seen, &a->flow, &c, &out);
	for (int i = 0; i < out.n; i++)
		say(a, out.u[i].text, out.u[i].cut);
}

void app_tap(struct app *a, const char *id, bool enabled, int64_t held_ms)
{
	/* A demo bill's button is the scanner of a kiosk that has none (kiosk/bill/demo_bills.h). */
	int k;
	char end;
	if (a->demo && id && enabled && sscanf(id, "demo_bill_%d%c", &k, &end) == 1 && k >= 0 && k < a->demo->n) {
		const char *p = a->demo->bill[k].payload;
		app_event(a, &(struct flow_event){ .type = FE_SCAN, .data = (const uint8_t *)p, .len = strlen(p) });
		return;
	}
	if (!a->speech || !a->flow.voice) {
		if (id && enabled)
			app_event(a, &(struct flow_event){ .type = FE_TAP, .widget = id, .held_ms = held_ms });
		return;
	}
	static char text[VOICE_TEXT_MAX];
	struct voice_ctx c = voice_ctx(a);
	enum voice_touch t = id && enabled ? voice_gate(&a->voice_gate, &a->flow, id, held_ms, clock_mono_ms())
				 : VOICE_EXPLORE;
	switch (t) {
	case VOICE_PASS:
		app_event(a, &(struct flow_event){ .type = FE_TAP, .widget = id, .held_ms = held_ms });
		break;
	case VOICE_EXPLORE:
		if (!id) {
			voice_screen(&a->flow, &c, text, sizeof text); /* no control there: the screen again */
		} else {
			const struct ui_widget *w = ui_find(a->ui, id);
			voice_control(&a->flow, &c, id, w ? w->label : NULL, enabled, text, sizeof text);
		}
		say(a, text, true);
		app_event(a, &(struct flow_event){ .type = FE_TOUCH });
		break;
	case VOICE_ACTIVATE: {
		char copy[UI_ID_LEN];
		snprintf(copy, sizeof copy, "%s", id);
		app_event(a, &(struct flow_event){ .type = FE_TAP, .widget = copy, .held_ms = held_ms });
		voice_key(&a->flow, &c, copy, text, sizeof text);
		say(a, text, true);
		break;
	}
	}
}

/* A technician's rate and volume (the store's settings, written by the service menu) win
 * over the configuration's. */
void app_speech_settings_from_store(struct app *a)
{
	static const struct { const char *key; int lo, hi; } keys[] = { { "speech.rate", 80, 450 },
								       { "speech.volume", 0, 100 } };
	int v[2] = { a->flow.speech_rate, a->flow.speech_volume };
	for (int i = 0; i < 2; i++) {
		const char *buf = svc_start_setting(a->svc, keys[i].key);
		char *end;
		if (!buf[0])
			continue;
		long x = strtol(buf, &end, 10);
		if (*end || x < keys[i].lo || x > keys[i].hi) {
			log_warn("speech", "bad_setting", "key=%s value=%s", keys[i].key, buf);
			continue;
		}
		v[i] = (int)x;
	}
	flow_set_speech(&a->flow, v[0], v[1]);
	speech_set(a->speech, v[0], v[1]);
}

/* Voice guidance (speech.enabled).  Headless runs are tests: silent unless SDL_AUDIODRIVER
 * says otherwise.  The out directory (--shots) gets speech.log (and the WAV files) only when
 * given: the log holds what residents were told. */
int app_start_speech(struct app *a, bool shots_given, bool wav, char *err, int errcap)
{
	if (a->headless)
		SDL_SetHint(SDL_HINT_AUDIODRIVER, "dummy");
	struct speech_options so = { .rate = a->cfg.speech_rate, .volume = a->cfg.speech_volume,
				     .out_dir = shots_given ? a->shots_dir : NULL, .wav = wav && shots_given };
	a->speech = speech_start(&so, err, errcap);
	return a->speech ? 0 : -1;
}
