/* The technician's lists as keyed lines (see svc_staff_lines.h). */
#include "kiosk/svc/svc_staff_lines.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/pinpad_service.h"
#include "drivers/printer_status.h"
#include "drivers/scanner.h"
#include "kiosk/base/log.h"
#include "kiosk/receipt/receipt.h"
#include "kiosk/flow/staff_lines.h"
#include "kiosk/base/xalloc.h"
#include "offline/audit.h"
#include "offline/outbox.h"
#include "offline/store.h"
#include "offline/sync.h"

#ifndef KIOSK_VERSION
#define KIOSK_VERSION "unknown" /* the fuzz build compiles the library without it */
#endif

void svc_staff_add(struct flow_staff_data *d, const char *key, ...)
{
	if (d->nlines >= FS_MAX_LINES)
		return;
	va_list ap;
	va_start(ap, key);
	staff_vline(d->lines[d->nlines++], FS_LINE, key, ap);
	va_end(ap);
}

void svc_staff_summary(const struct svc_staff_deps *deps, struct flow_staff_data *d)
{
	svc_staff_add(d, "staff.svc.version", deps->cfg->kiosk_id, KIOSK_VERSION, NULL);
}

void svc_staff_devices(const struct svc_staff_deps *deps, struct flow_staff_data *d)
{
	const struct config *c = deps->cfg;
	char key[48];
	if (!deps->pinpad)
		svc_staff_add(d, "staff.dev.pinpad_none", NULL);
	else
		svc_staff_add(d, atomic_load(deps->pinpad_ready) ? "staff.dev.pinpad_ready" : "staff.dev.pinpad_not_ready",
			      c->pinpad_transport, c->pinpad_address, NULL);
	if (!deps->printer) {
		svc_staff_add(d, "staff.dev.printer_none", NULL);
	} else {
		snprintf(key, sizeof key, "staff.dev.printer_%s",
			 printer_state_name((enum printer_state)atomic_load(deps->printer_state)));
		svc_staff_add(d, key, c->printer_transport, c->printer_address, NULL);
	}
	if (!deps->scanner) {
		svc_staff_add(d, "staff.dev.scanner_none", NULL);
	} else {
		snprintf(key, sizeof key, "staff.dev.scanner_%s",
			 scanner_state_name((enum scanner_state)atomic_load(deps->scanner_state)));
		svc_staff_add(d, key, c->scanner_transport, c->scanner_address, NULL);
	}
}

/* Unacknowledged outbox records of one kind: how many, the oldest's age, the most attempts. */
static void queue_kind(struct flow_staff_data *d, const struct outbox_record *r, int n, const char *kind, int64_t now)
{
	int cnt = 0, maxatt = 0;
	int64_t oldest = 0;
	for (int i = 0; i < n; i++) {
		if (strcmp(r[i].kind, kind) != 0)
			continue;
		cnt++;
		if (r[i].attempts > maxatt)
			maxatt = r[i].attempts;
		if (!oldest || r[i].created_ms < oldest)
			oldest = r[i].created_ms;
	}
	if (!cnt)
		return;
	char key[40], num[16], age[24], att[16];
	snprintf(key, sizeof key, "staff.net.queue_%s", kind);
	snprintf(num, sizeof num, "%d", cnt);
	/* minutes once it is that old: a technician compares it with "a few minutes" */
	int64_t s = (now - oldest) / 1000;
	if (s < 120)
		snprintf(age, sizeof age, "%lld", (long long)s);
	else
		snprintf(age, sizeof age, "%lld", (long long)(s / 60));
	snprintf(att, sizeof att, "%d", maxatt);
	strncat(key, s < 120 ? "_s" : "_min", sizeof key - strlen(key) - 1);
	svc_staff_add(d, key, num, age, att, NULL);
}

void svc_staff_network(const struct svc_staff_deps *deps, struct flow_staff_data *d)
{
	const struct config *c = deps->cfg;
	int64_t now = clock_wall_ms();
	if (c->center_url[0])
		svc_staff_add(d, "staff.net.center", c->center_url, NULL);
	else
		svc_staff_add(d, "staff.net.center_none", NULL);
	svc_staff_add(d, atomic_load(deps->online) ? "staff.net.online_yes" : "staff.net.online_no", NULL);
	int64_t hello = sync_last_hello_ms(deps->sync);
	if (hello) {
		char when[32];
		receipt_time(hello, when, sizeof when);
		svc_staff_add(d, "staff.net.hello", when, NULL);
	} else {
		svc_staff_add(d, "staff.net.hello_never", NULL);
	}
	struct outbox_record *r = xcalloc(2000, sizeof *r);
	int n = outbox_list_unacked(deps->store, r, 2000);
	char num[16];
	snprintf(num, sizeof num, "%d", n < 0 ? 0 : n);
	svc_staff_add(d, "staff.net.queue", num, NULL);
	static const char *const kinds[] = { "payment", "reading", "ereceipt", "request", "event" };
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
		queue_kind(d, r, n, kinds[k], now);
	free(r);
}

void svc_staff_logs(int min, struct flow_staff_data *d)
{
	static const char *const lv[] = { "level=debug", "level=info", "level=warn", "level=error" };
	char *tail = log_tail(200);
	if (!tail)
		return;
	/* Newest first: the technician looks for what just happened. */
	for (char *end = tail + strlen(tail); end > tail && d->nlines < FS_MAX_LINES;) {
		char *nl = end - 1;
		while (nl > tail && nl[-1] != '\n')
			nl--;
		size_t len = (size_t)(end - nl);
		if (len && nl[len - 1] == '\n')
			len--;
		char one[FS_LINE];
		snprintf(one, sizeof one, "%.*s", (int)(len < FS_LINE - 1 ? len : FS_LINE - 1), nl);
		int level = 1;
		for (int i = 0; i < 4; i++)
			if (strstr(one, lv[i]))
				level = i;
		if (len && level >= min)
			snprintf(d->lines[d->nlines++], FS_LINE, "%s", one);
		end = nl;
	}
	free(tail);
}

void svc_staff_config(const struct svc_staff_deps *deps, struct flow_staff_data *d)
{
	char num[24], num2[24];
	svc_staff_add(d, "staff.cfg.version", KIOSK_VERSION, __DATE__ " " __TIME__, NULL);
	snprintf(num, sizeof num, "%d", store_schema_version());
	svc_staff_add(d, "staff.cfg.schema", num, NULL);
	int64_t bad = 0, rows = 0;
	int rc = audit_verify_rows(deps->store, &bad, &rows);
	snprintf(num, sizeof num, "%lld", (long long)rows);
	snprintf(num2, sizeof num2, "%lld", (long long)bad);
	if (rc == STORE_OK)
		svc_staff_add(d, "staff.cfg.audit_ok", num, NULL);
	else if (rc == STORE_ESTATE)
		svc_staff_add(d, "staff.cfg.audit_broken", num2, num, NULL);
	else
		svc_staff_add(d, "staff.cfg.audit_error", NULL);
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	if (!m)
		return;
	config_print(deps->cfg, m); /* secrets are file paths there, never their contents */
	fclose(m);
	/* "key = value" as it is: the names a technician finds in docs/config.md */
	for (char *p = buf, *nl; p && *p && d->nlines < FS_MAX_LINES; p = nl ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		if (*p)
			snprintf(d->lines[d->nlines++], FS_LINE, "%s", p);
	}
	free(buf);
}

const char *svc_staff_pinpad_status(int term_state, const char *info, char *text, size_t cap)
{
	static const char *const want[] = { "model=", "serial=", "fw=" };
	size_t len = 0;
	text[0] = '\0';
	for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
		for (const char *p = info; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
			if (strncmp(p, want[k], strlen(want[k])) != 0)
				continue;
			const char *v = p + strlen(want[k]);
			int n = (int)strcspn(v, "\n");
			if (len < cap)
				len += (size_t)snprintf(text + len, cap - len, "%s%.*s", len ? ", " : " (", n, v);
			break;
		}
	}
	if (len && len + 1 < cap)
		strcat(text, ")");
	switch (term_state) {
	case 0: return "staff.pinpad_ok_idle";
	case 1: return "staff.pinpad_ok_busy";
	case 2: return "staff.pinpad_ok_out_of_service";
	case 3: return "staff.pinpad_ok_needs_reconcile";
	default: return "staff.pinpad_ok_other";
	}
}

const char *svc_staff_outcome_key(int outcome)
{
	switch ((enum pinpad_outcome)outcome) {
	case PINPAD_OUT_BUSY: return "staff.outcome.busy";
	case PINPAD_OUT_UNAVAILABLE: return "staff.outcome.unavailable";
	case PINPAD_OUT_DECLINED: return "staff.outcome.declined";
	case PINPAD_OUT_CANCELLED: return "staff.outcome.cancelled";
	default: return "staff.outcome.failed";
	}
}
