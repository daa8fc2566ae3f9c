/* Voice mode: what changed, said; explore by touch; the keypad's echo (voice.h). */
#include "kiosk/flow/voice.h"

#include <stdio.h>
#include <string.h>

#include "kiosk/flow/numentry.h"
#include "kiosk/flow/voice_internal.h"

static bool staff_screen(enum screen_id s)
{
	return s >= SCREEN_STAFF_LOGIN && s <= SCREEN_SERVICE_TOUCH;
}

static uint32_t error_hash(const struct flow *f)
{
	if (!f->s.error_key[0] && !f->s.error_text[0])
		return 0;
	uint32_t h = 2166136261u;
	for (const char *p = f->s.error_key; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	for (const char *p = f->s.error_text; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	return h ? h : 1;
}

/* Which meters' entered values fail their check, one bit each. */
static int reading_checks(const struct flow *f)
{
	int bits = 0;
	for (int i = 0; i < f->s.acct.nmeters && i < ACCOUNT_MAX_METERS; i++)
		if (f->s.readings[i].entered && flow_reading_check(&f->s.acct.meters[i], &f->s.readings[i]) != 0)
			bits |= 1 << i;
	return bits;
}

static void snapshot(struct voice_seen *s, const struct flow *f)
{
	*s = (struct voice_seen){
		.voice = f->voice, .prompt = f->prompt_since_ms != 0, .looking_up = f->s.looking_up,
		.cancel_sent = f->s.pay_cancel_sent, .ereceipt_sent = f->s.ereceipt_sent,
		.request_sent = f->s.request_sent, .large_text = f->large_text, .high_contrast = f->high_contrast,
		.history_loading = f->s.history_loading, .rdhist_loading = f->s.rdhist_loading, .sending = f->s.sending,
		.screen = f->screen, .lang = f->lang, .pay_progress = f->s.pay_progress, .pay_outcome = (int)f->s.pay.outcome,
		.print_status = f->s.print_status, .open_service = f->s.open_service, .focus_meter = f->s.focus_meter,
		.checks = reading_checks(f), .error = error_hash(f),
	};
	snprintf(s->txn, sizeof s->txn, "%s", f->s.pay.txn_id);
}

static struct vb *next(struct voice_out *out, bool cut, struct vb *b)
{
	if (out->n == VOICE_MAX_OUT)
		return NULL;
	struct voice_utt *u = &out->u[out->n++];
	u->cut = cut;
	vb_init(b, u->text, sizeof u->text);
	return b;
}

/* Drops an utterance that came out empty. */
static void done(struct voice_out *out)
{
	if (out->n && !out->u[out->n - 1].text[0])
		out->n--;
}

static void toggles(const struct voice_seen *seen, const struct flow *f, const struct voice_ctx *c, struct voice_out *out)
{
	struct vb b;
	if (f->large_text != seen->large_text && next(out, true, &b)) {
		vb_say(&b, vtr(c, f, f->large_text ? "voice.large_text_on" : "voice.large_text_off"));
		done(out);
	}
	if (f->high_contrast != seen->high_contrast && next(out, true, &b)) {
		vb_say(&b, vtr(c, f, f->high_contrast ? "voice.contrast_on" : "voice.contrast_off"));
		done(out);
	}
}

/* What changed on the same screen. */
static void changes(const struct voice_seen *seen, const struct flow *f, const struct voice_ctx *c, struct voice_out *out)
{
	struct vb b;
	toggles(seen, f, c, out);
	uint32_t err = error_hash(f);
	if (err && err != seen->error && next(out, true, &b)) {
		voice_error(f, c, &b);
		done(out);
	}
	if (f->s.looking_up && !seen->looking_up && next(out, true, &b)) {
		vb_say(&b, vtr(c, f, f->screen == SCREEN_CONTROL_QUESTION ? "control.checking" : "scan.looking_up"));
		done(out);
	}
	if (f->screen == SCREEN_PAYMENT && (f->s.pay_progress != seen->pay_progress || f->s.pay_cancel_sent != seen->cancel_sent) &&
	    next(out, true, &b)) {
		voice_payment_progress(f, c, &b);
		done(out);
	}
	if (f->screen == SCREEN_PAYMENT_RESULT) {
		if (((int)f->s.pay.outcome != seen->pay_outcome || strcmp(f->s.pay.txn_id, seen->txn) != 0) && next(out, true, &b)) {
			voice_result(f, c, &b); /* a sale being checked settled */
			done(out);
		} else if (f->s.print_status != seen->print_status && f->s.pay.outcome == PAY_APPROVED && next(out, false, &b)) {
			voice_print_status(f, c, &b);
			done(out);
		}
		if (f->s.ereceipt_sent && !seen->ereceipt_sent && next(out, false, &b)) {
			vb_say(&b, vtr(c, f, "ereceipt.sent"));
			done(out);
		}
	}
	if (f->screen == SCREEN_READINGS_DONE && f->s.print_status != seen->print_status && next(out, false, &b)) {
		vb_say(&b, vtr(c, f, f->s.print_status == PRINT_OK ? "readings_done.take" : "result.printer_failed_readings"));
		done(out);
	}
	if (f->screen == SCREEN_ACCOUNT && f->s.open_service != seen->open_service && next(out, true, &b)) {
		if (f->s.open_service >= 0)
			voice_supplier(f, c, f->s.open_service, &b); /* the supplier lines, on request */
		else
			vb_say(&b, vtr(c, f, "voice.service_closed"));
		done(out);
	}
	if (f->screen == SCREEN_READINGS) {
		int checks = reading_checks(f);
		if ((f->s.focus_meter != seen->focus_meter || checks != seen->checks) && next(out, true, &b)) {
			for (int i = 0; i < f->s.acct.nmeters; i++)
				if ((checks & ~seen->checks) & (1 << i))
					voice_meter(f, c, i, &b);
			if (f->s.focus_meter >= 0) {
				vb_sayf(&b, vtr(c, f, "voice.meter.typing"), f->s.acct.meters[f->s.focus_meter].name);
				if (f->s.focus_meter != seen->focus_meter)
					voice_digits_hint(f, c, &f->s.acct.meters[f->s.focus_meter], &b);
			} else if (!checks)
				vb_say(&b, vtr(c, f, "voice.readings.ready"));
			done(out);
		}
	}
	if (f->s.request_sent && !seen->request_sent && next(out, false, &b)) {
		vb_say(&b, vtr(c, f, "request.sent"));
		done(out);
	}
	if (f->prompt_since_ms && !seen->prompt && next(out, true, &b)) {
		voice_prompt(f, c, &b);
		done(out);
	}
}

void voice_follow(struct voice_seen *seen, const struct flow *f, const struct voice_ctx *c, struct voice_out *out)
{
	struct vb b;
	if (!f->voice) {
		if (seen->voice && next(out, true, &b)) {
			vb_say(&b, vtr(c, f, "voice.off"));
			done(out);
		}
	} else if (staff_screen(f->screen)) {
		/* nothing: voice mode ends before a staff screen */
	} else if (!seen->voice || f->screen != seen->screen || f->lang != seen->lang) {
		if (next(out, true, &b)) {
			if (!seen->voice)
				vb_say(&b, vtr(c, f, "voice.on"));
			char screen[VOICE_TEXT_MAX];
			voice_screen(f, c, screen, sizeof screen);
			vb_say(&b, screen);
			done(out);
		}
	} else {
		changes(seen, f, c, out);
	}
	snapshot(seen, f);
}

/* ------------------------------------------------------------------ explore by touch */

enum voice_touch voice_gate(struct voice_gate *g, const struct flow *f, const char *id, int64_t held_ms, int64_t now)
{
	if (!f->voice || staff_screen(f->screen)) {
		g->armed[0] = '\0';
		return VOICE_PASS;
	}
	/* The prompt asks for any touch; the staff corner is held, not explored. */
	if (f->prompt_since_ms || strcmp(id, "prompt_backdrop") == 0 || strcmp(id, "still_here") == 0 ||
	    (strcmp(id, "staff_entry") == 0 && held_ms >= 3000)) {
		g->armed[0] = '\0';
		return VOICE_PASS;
	}
	if (strcmp(g->armed, id) == 0 && now - g->at_ms <= VOICE_DOUBLE_MS) {
		g->armed[0] = '\0';
		return VOICE_ACTIVATE;
	}
	snprintf(g->armed, sizeof g->armed, "%s", id);
	g->at_ms = now;
	return VOICE_EXPLORE;
}

/* The name of a control made from the flow (rows and lines have no label of their own, an
 * amount on a label is said in words).  1: named, 2: named with its own hint, 0: not ours. */
static int flow_name(const struct flow *f, const struct voice_ctx *c, const char *id, struct vb *b)
{
	char w[WORDS_MAX], acc[WORDS_MAX];
	int i;
	if (sscanf(id, "service_%d", &i) == 1 && i >= 0 && i < f->s.acct.nservices) {
		const struct account_service *sv = &f->s.acct.services[i];
		vb_sayf(b, vtr(c, f, "voice.service"), sv->name);
		vb_sayf(b, vtr(c, f, "voice.account.accrued"), v_amount(f, sv->accrued, w));
		vb_say(b, vtr(c, f, f->s.open_service == i ? "voice.service_open" : "voice.service_hint"));
		return 2;
	}
	if (sscanf(id, "remove_%d", &i) == 1 && i >= 0 && i < f->s.nlines) {
		vb_sayf(b, vtr(c, f, "voice.remove"), v_acc(f, f->s.lines[i].acct.pers_acc, acc));
		return 1;
	}
	if (strcmp(id, "confirm_pay") == 0) {
		vb_sayf(b, vtr(c, f, "voice.confirm_pay"), v_amount(f, f->s.total, w));
		return 1;
	}
	if (strncmp(id, "reading_", 8) == 0) {
		for (i = 0; i < f->s.acct.nmeters; i++)
			if (strcmp(f->s.acct.meters[i].id, id + 8) == 0) {
				voice_meter(f, c, i, b);
				if (f->s.focus_meter == i)
					vb_say(b, vtr(c, f, "voice.meter.focused"));
				return 1;
			}
	}
	if (strncmp(id, "key_", 4) == 0 && id[4] >= '0' && id[4] <= '9' && !id[5]) {
		words_cardinal(id[4] - '0', WORDS_MASC, f->lang, w, sizeof w);
		vb_say(b, w);
		return 1;
	}
	return 0;
}

/* A readings question's answers (fix_, confirm_rollover_, confirm_jump_ + meter id) say
 * which meter they answer for: two meters may ask at once. */
static void question_meter(const struct flow *f, const struct voice_ctx *c, const char *id, struct vb *b)
{
	static const char *const pre[] = { "fix_", "confirm_rollover_", "confirm_jump_" };
	for (size_t k = 0; k < sizeof pre / sizeof pre[0]; k++) {
		size_t n = strlen(pre[k]);
		if (strncmp(id, pre[k], n) != 0)
			continue;
		for (int i = 0; i < f->s.acct.nmeters; i++)
			if (strcmp(f->s.acct.meters[i].id, id + n) == 0)
				vb_sayf(b, vtr(c, f, "voice.meter.answer_for"), f->s.acct.meters[i].name);
	}
}

void voice_control(const struct flow *f, const struct voice_ctx *c, const char *id, const char *label, bool enabled,
		   char *buf, size_t cap)
{
	struct vb b;
	vb_init(&b, buf, cap);
	char key[80];
	snprintf(key, sizeof key, "voice.w.%s", id);
	int named = 0;
	if (c->has(c->ud, f->lang, key))
		vb_say(&b, vtr(c, f, key));
	else if (!(named = flow_name(f, c, id, &b)))
		vb_say(&b, label && label[0] ? label : id);
	question_meter(f, c, id, &b);
	if (strcmp(id, "large_text") == 0 || strcmp(id, "contrast") == 0 || strcmp(id, "voice") == 0) {
		bool on = id[0] == 'l' ? f->large_text : id[0] == 'c' ? f->high_contrast : f->voice;
		vb_say(&b, vtr(c, f, on ? "voice.state_on" : "voice.state_off"));
	}
	if (!enabled) {
		vb_say(&b, vtr(c, f, "voice.unavailable"));
		return;
	}
	if (named != 2)
		vb_say(&b, vtr(c, f, "voice.double_tap"));
}

/* What is typed on this screen, in words ("" when nothing is). */
static void typed_words(const struct flow *f, char *w)
{
	w[0] = '\0';
	switch (f->screen) {
	case SCREEN_ENTER_ACCOUNT:
		v_digits(f, f->s.typed, w);
		break;
	case SCREEN_CONTROL_QUESTION:
		if (f->s.answer[0])
			v_amount(f, flow_typed_kopecks(f->s.answer), w);
		break;
	case SCREEN_AMOUNT:
		if (f->s.amount_typed[0])
			v_amount(f, flow_typed_kopecks(f->s.amount_typed), w);
		break;
	case SCREEN_READINGS:
		if (f->s.focus_meter >= 0 && f->s.readings[f->s.focus_meter].typed[0]) {
			/* As typed: "125" is a whole number, "125,5" has one decimal, "125," a comma. */
			const char *typed = f->s.readings[f->s.focus_meter].typed;
			int64_t v;
			if (numentry_milli(typed, 3, &v) == 0)
				v_reading(f, v, numentry_decimals(typed), w);
		}
		break;
	case SCREEN_ERECEIPT:
		if (!f->s.contact_email)
			v_digits(f, f->s.contact, w);
		break;
	case SCREEN_REQUEST:
		if (f->s.request_field == 0)
			v_digits(f, f->s.request_acc, w);
		break;
	default:
		break;
	}
}

void voice_key(const struct flow *f, const struct voice_ctx *c, const char *id, char *buf, size_t cap)
{
	struct vb b;
	vb_init(&b, buf, cap);
	if (strncmp(id, "key_", 4) != 0 || !f->voice || staff_screen(f->screen))
		return;
	char w[WORDS_MAX];
	if (strcmp(id + 4, "del") == 0) {
		vb_say(&b, vtr(c, f, "voice.deleted"));
	} else if (strcmp(id + 4, "comma") == 0) {
		vb_say(&b, vtr(c, f, "voice.comma"));
	} else if (id[4] >= '0' && id[4] <= '9' && !id[5]) {
		words_cardinal(id[4] - '0', WORDS_MASC, f->lang, w, sizeof w);
		vb_say(&b, w);
	} else {
		return;
	}
	if (f->screen == SCREEN_READINGS && f->s.reading_refused && f->s.focus_meter >= 0) {
		vb_say(&b, vtr(c, f, "voice.key_refused"));
		voice_digits_hint(f, c, &f->s.acct.meters[f->s.focus_meter], &b);
	}
	typed_words(f, w);
	if (w[0])
		vb_sayf(&b, vtr(c, f, "voice.typed"), w);
	else
		vb_say(&b, vtr(c, f, "voice.typed_nothing"));
	if (f->screen == SCREEN_READINGS && f->s.focus_meter >= 0) {
		const char *typed = f->s.readings[f->s.focus_meter].typed;
		if (typed[0] && typed[strlen(typed) - 1] == ',')
			vb_say(&b, vtr(c, f, "voice.comma")); /* "сто двадцать пять. Запятая." */
	}
}
