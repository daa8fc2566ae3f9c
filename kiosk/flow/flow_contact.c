/* Typed contact details: the e-receipt (a phone number or an e-mail for the payment's
 * receipt) and the short requests to the settlement center ("Задать вопрос", "Изменить
 * данные абонента").  Both become outbox records; nothing here is sent directly. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/flow/flow_internal.h"
#include "kiosk/base/utf8.h"

#define PHONE_DIGITS 10

static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

bool flow_keyboard_tap(const struct flow_event *ev, char *buf, size_t cap, size_t max_chars)
{
	if (ev->type != FE_TAP || !ev->widget || strncmp(ev->widget, "kb_", 3) != 0)
		return false;
	const char *k = ev->widget + 3;
	size_t n = strlen(buf);
	char add[UTF8_MAX];
	int len = 0;
	if (strcmp(k, "del") == 0) {
		while (n && ((unsigned char)buf[n - 1] & 0xC0) == 0x80)
			n--; /* continuation bytes of the last character */
		if (n)
			n--;
		buf[n] = '\0';
		return true;
	}
	if (strcmp(k, "space") == 0)
		len = utf8_encode(' ', add);
	else if (k[0] == 'u' && strlen(k) == 5)
		len = utf8_encode((uint32_t)strtoul(k + 1, NULL, 16), add);
	else if (strlen(k) == 1 && (unsigned char)k[0] > 0x20 && (unsigned char)k[0] < 0x7F)
		len = utf8_encode((uint32_t)k[0], add);
	else
		return false; /* kb_layout and the like: the screen's own business */
	if (utf8_chars(buf) < max_chars && n + (size_t)len < cap) {
		memcpy(buf + n, add, (size_t)len);
		buf[n + (size_t)len] = '\0';
	}
	return true;
}

bool flow_valid_email(const char *s)
{
	const char *at = strchr(s, '@');
	if (!at || at == s || strchr(at + 1, '@') || strlen(s) > 64)
		return false;
	const char *dot = strrchr(at, '.');
	if (!dot || dot == at + 1 || strlen(dot + 1) < 2)
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || strchr("@.-_+", *p)))
			return false;
	return strstr(s, "..") == NULL;
}

static bool contact_ok(const struct flow *f)
{
	return f->s.contact_email ? flow_valid_email(f->s.contact) : strlen(f->s.contact) == PHONE_DIGITS;
}

static void ereceipt_event(struct flow *f, const struct flow_event *ev, struct flow_out *out, int64_t now)
{
	if (ev->type == FE_QUEUED) {
		f->s.sending = false;
		f->busy = false;
		if (ev->code == 0) {
			f->s.ereceipt_sent = true;
			flow_go(f, SCREEN_PAYMENT_RESULT, out, now);
		} else {
			snprintf(f->s.error_key, sizeof f->s.error_key, "error.store_failed");
		}
		return;
	}
	if (f->s.sending)
		return;
	if (flow_tapped(ev, "contact_phone") || flow_tapped(ev, "contact_email")) {
		f->s.contact_email = flow_tapped(ev, "contact_email");
		f->s.contact[0] = '\0';
	} else if (flow_tapped(ev, "kb_layout")) {
		f->s.kb_cyrillic = !f->s.kb_cyrillic;
	} else if (!f->s.contact_email && flow_keypad_digit(ev, f->s.contact, sizeof f->s.contact, PHONE_DIGITS)) {
		f->s.error_key[0] = '\0';
	} else if (f->s.contact_email && flow_keyboard_tap(ev, f->s.contact, sizeof f->s.contact, 64)) {
		f->s.error_key[0] = '\0';
	} else if (flow_tapped(ev, "send_ereceipt") || (!f->s.contact_email && flow_tapped(ev, "key_ok"))) {
		if (!contact_ok(f)) {
			snprintf(f->s.error_key, sizeof f->s.error_key, f->s.contact_email ? "error.bad_email" : "error.bad_phone");
			return;
		}
		if (f->s.ereceipt_before) { /* kept for the fiscal receipt: nothing to queue */
			f->s.ereceipt_given = true;
			flow_go(f, SCREEN_CONFIRM, out, now);
			return;
		}
		f->s.sending = true;
		f->busy = true;
		flow_emit_ereceipt(f, out);
	} else if (flow_tapped(ev, "back")) {
		if (f->s.ereceipt_before)
			f->s.contact[0] = '\0'; /* changed their mind: no e-receipt */
		flow_go(f, f->s.ereceipt_before ? SCREEN_CONFIRM : SCREEN_PAYMENT_RESULT, out, now);
	}
}

static void request_event(struct flow *f, const struct flow_event *ev, struct flow_out *out, int64_t now)
{
	if (ev->type == FE_QUEUED) {
		f->s.sending = false;
		f->busy = false;
		if (ev->code == 0) {
			f->s.request_sent = true;
			flow_go(f, SCREEN_HELP, out, now);
		} else {
			snprintf(f->s.error_key, sizeof f->s.error_key, "error.store_failed");
		}
		return;
	}
	if (f->s.sending)
		return;
	if (flow_tapped(ev, "field_account")) {
		f->s.request_field = 0;
	} else if (flow_tapped(ev, "field_text")) {
		f->s.request_field = 1;
	} else if (flow_tapped(ev, "kb_layout")) {
		f->s.kb_cyrillic = !f->s.kb_cyrillic;
	} else if (f->s.request_field == 0 && flow_keypad_digit(ev, f->s.request_acc, sizeof f->s.request_acc, FLOW_ACCOUNT_DIGITS)) {
		f->s.error_key[0] = '\0';
	} else if (f->s.request_field == 0 && flow_tapped(ev, "key_ok")) {
		f->s.request_field = 1;
	} else if (f->s.request_field == 1 && flow_keyboard_tap(ev, f->s.request_text, sizeof f->s.request_text, 200)) {
		f->s.error_key[0] = '\0';
	} else if (flow_tapped(ev, "send_request")) {
		if (strlen(f->s.request_acc) != FLOW_ACCOUNT_DIGITS) {
			snprintf(f->s.error_key, sizeof f->s.error_key, "error.account_digits");
			f->s.request_field = 0;
			return;
		}
		if (utf8_chars(f->s.request_text) < 3) {
			snprintf(f->s.error_key, sizeof f->s.error_key, "error.request_empty");
			f->s.request_field = 1;
			return;
		}
		f->s.sending = true;
		f->busy = true;
		flow_emit_request(f, out);
	} else if (flow_tapped(ev, "back")) {
		flow_go(f, SCREEN_HELP, out, now);
	}
}

/* Entry points from other screens (payment_result, help). */
void flow_open_ereceipt(struct flow *f, struct flow_out *out, int64_t now)
{
	f->s.contact[0] = '\0';
	f->s.contact_email = false;
	f->s.error_key[0] = '\0';
	f->s.ereceipt_before = false;
	f->s.ereceipt_given = false;
	flow_go(f, SCREEN_ERECEIPT, out, now);
}

/* A receipt the register has closed cannot gain the buyer's address (tag 1008), so with a
 * register the contact is asked before the card; the ОФД then sends the receipt. */
void flow_open_ereceipt_first(struct flow *f, struct flow_out *out, int64_t now)
{
	flow_open_ereceipt(f, out, now);
	f->s.ereceipt_before = true;
}

void flow_ereceipt_contact(const struct flow *f, char *buf, size_t cap)
{
	if (!f->s.ereceipt_given || !contact_ok(f))
		snprintf(buf, cap, "%s", "");
	else if (f->s.contact_email)
		snprintf(buf, cap, "%s", f->s.contact);
	else
		snprintf(buf, cap, "+7%s", f->s.contact);
}

void flow_open_request(struct flow *f, int kind, struct flow_out *out, int64_t now)
{
	f->s.request_kind = kind;
	f->s.request_field = 0;
	f->s.request_acc[0] = '\0';
	f->s.request_text[0] = '\0';
	f->s.request_sent = false;
	f->s.kb_cyrillic = f->lang == LANG_RU;
	f->s.error_key[0] = '\0';
	flow_go(f, SCREEN_REQUEST, out, now);
}

const struct flow_screen flow_contact_screens[] = {
	{ .id = SCREEN_ERECEIPT, .name = "ereceipt", .event = ereceipt_event },
	{ .id = SCREEN_REQUEST, .name = "request", .timeout_s = 120, .event = request_event },
	{ .id = SCREEN_COUNT },
};
