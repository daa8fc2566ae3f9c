/* kiosk-tool fiscal status|open-shift|x-report|z-report|last-doc|doc N|refund TXN: the
 * fiscal register named by fiscal.transport / fiscal.address, for cashiers' reports,
 * technicians and tests (refund: the refund receipt of a sale receipt whose payment's card
 * was reversed, kiosk/svc/fiscal_refund.h).  Prints key=value lines (Russian texts for modes and errors).  The register
 * takes one connection at a time: run it while the kiosk is stopped, or on a register the
 * kiosk does not hold.  Exit 0 when the register did what was asked, 1 otherwise, 2 on
 * usage. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/shtrih_dev.h"
#include "drivers/shtrih_state.h"
#include "kiosk/svc/fiscal_refund.h"
#include "kiosk/tool/tool.h"
#include "offline/store.h"

static void print_dt(const char *key, const struct shtrih_dt *dt)
{
	printf("%s=20%02u-%02u-%02uT%02u:%02u\n", key, dt->yy, dt->mo, dt->dd, dt->hh, dt->mi);
}

static void print_warnings(uint8_t w)
{
	static const char *const texts[] = {
		"срочная замена ФН (3 дня)", "ресурс ФН менее 30 дней", "архив ФН заполнен на 90%",
		"превышено время ожидания ответа ОФД",
	};
	printf("fn_warnings=0x%02x\n", w);
	for (int i = 0; i < 4; i++)
		if (w & (1u << i))
			printf("fn_warning=%s\n", texts[i]);
}

static void print_status(const struct shtrih_snapshot *s)
{
	printf("mode=%u\nmode_text=%s\n", s->st.mode, shtrih_mode_text(s->st.mode));
	printf("submode=%u\nsubmode_text=%s\n", s->st.submode, shtrih_submode_text(s->st.submode));
	printf("paper=%s\n", s->st.flags & SHTRIH_FLAG_PAPER ? "yes" : "no");
	printf("date=20%02u-%02u-%02u\ntime=%02u:%02u\n", s->ls.date[2], s->ls.date[1],
	       s->ls.date[0], s->ls.time[0], s->ls.time[1]);
	printf("shift_open=%u\nshift_no=%u\nreceipts_in_shift=%u\n", s->shift.open,
	       s->shift.shift_no, s->shift.receipt_no);
	printf("fn_serial=%s\nfn_phase=%u\nfn_phase_text=%s\n", s->fn.serial, s->fn.phase,
	       shtrih_phase_text(s->fn.phase));
	printf("last_fd=%u\n", s->fn.last_fd);
	printf("fn_expiry=20%02u-%02u-%02u\nfn_days_left=%d\n", s->expiry[0], s->expiry[1],
	       s->expiry[2], s->days_to_expiry);
	print_warnings(s->fn.warn);
	printf("unsent=%u\n", s->unsent);
	if (s->unsent) {
		printf("unsent_first_fd=%u\n", s->ofd.first_fd);
		print_dt("unsent_oldest", &s->ofd.first_dt);
		printf("unsent_days=%d\n", s->unsent_days);
	}
}

static void print_doc(const struct shtrih_fn_doc *d)
{
	static const char *const types[] = {
		[1] = "регистрация", [2] = "открытие смены", [3] = "кассовый чек",
		[4] = "БСО", [5] = "закрытие смены", [6] = "закрытие ФН",
	};
	printf("fd=%u\nfp=%u\ntype=%u\ntype_text=%s\n", d->fd, d->fp, d->type,
	       d->type < 7 && types[d->type] ? types[d->type] : "другой документ");
	print_dt("datetime", &d->dt);
	printf("ofd_ack=%u\n", d->ofd_ack);
	if (d->type == SHTRIH_DOC_RECEIPT)
		printf("op=%u\nsum=%lld.%02lld\n", d->op, (long long)(d->sum / 100),
		       (long long)(d->sum % 100));
	else
		printf("shift_no=%u\n", d->shift_no);
}

static int fail(const struct shtrih_dev *d, int rc)
{
	printf("error=%s\n", d->err_text[0] ? d->err_text : "нет связи с ККТ");
	if (rc == SHTRIH_DEV_EDEVICE)
		printf("error_code=%02X\naction=%s\n", d->err_code,
		       shtrih_action_name(shtrih_error_action(d->err_code)));
	return 1;
}

static int refund(struct shtrih_dev *d, const struct config *c, const char *txn_id)
{
	struct fiscal_conf fc;
	struct fiscal_refund_result r;
	struct store *st;
	const char *key;
	char msg[256];
	if (fiscal_conf_from_config(c, &fc, &key, msg, sizeof msg) != 0) {
		printf("error=%s\n", msg);
		return 1;
	}
	int rc = store_open(c->store_path, &st);
	if (rc != STORE_OK) {
		printf("error=store %s: %s\n", c->store_path, store_strerror(rc));
		return 1;
	}
	rc = fiscal_refund_make(d, st, &fc, txn_id, "kiosk-tool", &r, msg, sizeof msg);
	store_close(st);
	if (rc != 0) {
		printf("error=%s\n", msg);
		return 1;
	}
	printf("sale_fd=%u\nrefund_fd=%u\nrefund_fp=%u\nfound_in_archive=%s\n", r.sale_fd, r.fd, r.fp,
	       r.found ? "yes" : "no");
	return 0;
}

static int run(struct shtrih_dev *d, const struct config *c, int argc, char **argv)
{
	struct shtrih_snapshot s;
	struct shtrih_fn_doc doc;
	const char *what = argv[1];
	int rc;
	if (!strcmp(what, "status")) {
		if ((rc = shtrih_dev_status(d, &s)) != 0)
			return fail(d, rc);
		print_status(&s);
		return 0;
	}
	if (!strcmp(what, "open-shift") || !strcmp(what, "x-report") || !strcmp(what, "z-report")) {
		uint16_t cmd = what[0] == 'o' ? SHTRIH_OPEN_SHIFT : what[0] == 'x' ? SHTRIH_X_REPORT
										  : SHTRIH_Z_REPORT;
		if ((rc = shtrih_dev_simple(d, cmd)) != 0 || (rc = shtrih_dev_status(d, &s)) != 0)
			return fail(d, rc);
		printf("done=%s\n", what);
		print_status(&s);
		return 0;
	}
	if (!strcmp(what, "refund"))
		return refund(d, c, argv[2]);
	uint32_t fd = 0;
	if (!strcmp(what, "last-doc")) {
		if ((rc = shtrih_dev_status(d, &s)) != 0)
			return fail(d, rc);
		fd = s.fn.last_fd;
	} else if (!strcmp(what, "doc") && argc == 3) {
		char *end;
		unsigned long v = strtoul(argv[2], &end, 10);
		if (!*argv[2] || *end || v == 0 || v > 0xFFFFFFFFul)
			return 2;
		fd = (uint32_t)v;
	} else {
		return 2;
	}
	if (fd == 0) {
		printf("error=в ФН ещё нет документов\n");
		return 1;
	}
	if ((rc = shtrih_dev_doc(d, fd, &doc)) != 0)
		return fail(d, rc);
	print_doc(&doc);
	return 0;
}

int tool_fiscal(struct tool_ctx *ctx, int argc, char **argv)
{
	static const char *const usage =
		"usage: kiosk-tool fiscal status|open-shift|x-report|z-report|last-doc|doc N|refund TXN\n";
	static const char *const verbs[] = { "status", "open-shift", "x-report", "z-report",
					     "last-doc", "doc", "refund" };
	bool known = false;
	for (size_t i = 0; argc >= 2 && i < sizeof verbs / sizeof verbs[0]; i++)
		known |= strcmp(argv[1], verbs[i]) == 0;
	bool is_doc = known && (strcmp(argv[1], "doc") == 0 || strcmp(argv[1], "refund") == 0);
	if (!known || argc != (is_doc ? 3 : 2)) {
		fputs(usage, stderr);
		return 2;
	}
	if (tool_need_config(ctx) != 0)
		return 1;
	const struct config *c = &ctx->cfg;
	if (strcmp(c->fiscal_device, "shtrih") != 0) {
		printf("error=fiscal.device is %s: no fiscal register configured\n", c->fiscal_device);
		return 1;
	}
	struct shtrih_dev d;
	if (shtrih_dev_open(&d, c->fiscal_transport, c->fiscal_address, c->fiscal_baud,
			    c->fiscal_byte_timeout_ms, (uint32_t)c->fiscal_password) != 0) {
		printf("error=%s\n", d.err_text);
		return 1;
	}
	printf("device=%s\n", d.t->desc);
	int rc = run(&d, c, argc, argv);
	shtrih_dev_close(&d);
	if (rc == 2)
		fputs(usage, stderr);
	return rc;
}

int tool_fiscal_check(const struct config *c, char *detail, size_t cap, const char **ret_fix)
{
	struct shtrih_dev d;
	struct shtrih_snapshot s;
	*ret_fix = NULL;
	if (strcmp(c->fiscal_device, "shtrih") != 0) {
		snprintf(detail, cap, "fiscal.device none: no fiscal receipts");
		return 0;
	}
	if (shtrih_dev_open(&d, c->fiscal_transport, c->fiscal_address, c->fiscal_baud,
			    c->fiscal_byte_timeout_ms, (uint32_t)c->fiscal_password) != 0) {
		snprintf(detail, cap, "%s", d.err_text);
		*ret_fix = "check fiscal.transport/address and the register's power and cable";
		return 2;
	}
	int rc = shtrih_dev_status(&d, &s), level = 0;
	shtrih_dev_close(&d);
	if (rc != 0) {
		snprintf(detail, cap, "%s", d.err_text[0] ? d.err_text : "нет ответа ККТ");
		*ret_fix = "check the register (kiosk-tool fiscal status)";
		return 2;
	}
	const char *why = NULL;
	if (s.fn.phase != 3)
		why = shtrih_phase_text(s.fn.phase), *ret_fix = "service: the fiscal drive";
	else if (s.days_to_expiry <= 0 || (s.fn.warn & SHTRIH_WARN_REPLACE_NOW))
		why = "срок ФН истекает", *ret_fix = "replace the fiscal drive";
	else if (s.unsent && s.unsent_days >= c->fiscal_unsent_stop_days)
		why = "документы не переданы в ОФД", *ret_fix = "restore the register's link to the OFD";
	else if (!(s.st.flags & SHTRIH_FLAG_PAPER) || s.st.submode == SHTRIH_SUB_PAPER_OUT)
		why = "нет бумаги", *ret_fix = "load receipt paper";
	if (why)
		level = 2;
	else if (s.days_to_expiry <= c->fiscal_fn_warn_days || s.fn.warn ||
		 (s.unsent && s.unsent_days >= c->fiscal_unsent_alarm_days))
		level = 1, *ret_fix = "plan the fiscal drive's replacement or check the OFD link";
	snprintf(detail, cap, "%s%s%s; ФН %s, до %02u.%02u.20%02u (%d дн.), не передано в ОФД: %u (%d дн.)",
		 why ? why : "", why ? "; " : "", shtrih_mode_text(s.st.mode), s.fn.serial,
		 s.expiry[2], s.expiry[1], s.expiry[0], s.days_to_expiry, s.unsent, s.unsent_days);
	return level;
}
