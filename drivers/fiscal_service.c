/* The fiscal service: see fiscal_service.h.  Its thread is a worker (kiosk/base/worker.h):
 * requests are its jobs, the status poll and the resolution of a close in doubt its idle
 * step. */
#include "drivers/fiscal_service.h"

#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "drivers/shtrih_state.h"
#include "kiosk/base/clock.h"
#include "kiosk/base/log.h"
#include "kiosk/base/worker.h"
#include "kiosk/base/xalloc.h"

#define INBOX_MAX 8
#define HOUR_MS (3600 * 1000LL)

struct pending {
	bool active;
	enum fiscal_req_kind req;
	uint32_t tag;
	char txn_id[JOURNAL_TXN_ID_LEN + 1];
	int64_t amount;
	uint32_t fd0;
	struct shtrih_req close;
};

struct fiscal_service {
	struct fiscal_service_cfg cfg;
	struct worker *w;                /* the service thread: jobs are requests */
	atomic_bool ready;
	bool ready_known;
	atomic_int paper;                /* fiscal_service_paper */
	struct shtrih_dev dev;
	bool open;
	struct pending pend;
	int64_t next_poll, next_retry;   /* monotonic ms */
	uint16_t shift_known;            /* the shift whose opening time is cached */
	int64_t shift_opened;            /* register-clock ms */
	unsigned alarmed;                /* 1 << enum fiscal_alarm: raised and not yet cleared */
	const struct fiscal_request *cur; /* the request being handled (the worker's copy) */
};

const char *fiscal_outcome_name(enum fiscal_outcome o)
{
	static const char *const names[] = {
		"ok", "made", "not_made", "unknown", "unavailable", "refused",
	};
	return (unsigned)o < sizeof names / sizeof names[0] ? names[o] : "?";
}

static void emit(struct fiscal_service *s, struct fiscal_event *ev)
{
	if (s->cfg.on_event)
		s->cfg.on_event(s->cfg.ctx, ev);
}

static void set_ready(struct fiscal_service *s, bool ready, const char *why)
{
	if (s->ready_known && atomic_load(&s->ready) == ready)
		return;
	s->ready_known = true;
	atomic_store(&s->ready, ready);
	struct fiscal_event ev = { .kind = FISCAL_EV_READY, .ready = ready };
	snprintf(ev.text, sizeof ev.text, "%s", why ? why : "");
	log_info("fiscal", "ready", "ready=%d why=%s", ready, ev.text);
	emit(s, &ev);
}

static void alarm_set(struct fiscal_service *s, enum fiscal_alarm a, bool on, const char *text)
{
	unsigned bit = 1u << a;
	if (!on) {
		s->alarmed &= ~bit;
		return;
	}
	if (s->alarmed & bit)
		return;
	s->alarmed |= bit;
	struct fiscal_event ev = { .kind = FISCAL_EV_ALARM, .alarm = a };
	snprintf(ev.text, sizeof ev.text, "%s", text);
	log_warn("fiscal", "alarm", "alarm=%d text=%s", a, text);
	emit(s, &ev);
}

static void outcome(struct fiscal_service *s, enum fiscal_req_kind req, uint32_t tag,
		    const char *txn, enum fiscal_outcome o, const struct fiscal_receipt_attrs *a,
		    const char *text)
{
	struct fiscal_event ev = { .kind = FISCAL_EV_OUTCOME, .req = req, .tag = tag, .outcome = o };
	snprintf(ev.txn_id, sizeof ev.txn_id, "%s", txn ? txn : "");
	if (a)
		ev.receipt = *a;
	snprintf(ev.text, sizeof ev.text, "%s", text ? text : "");
	log_info("fiscal", "outcome", "req=%d txn=%s outcome=%s fd=%u text=%s", req, ev.txn_id,
		 fiscal_outcome_name(o), a ? a->fd : 0, ev.text);
	emit(s, &ev);
}

static void close_dev(struct fiscal_service *s)
{
	if (s->open && !s->cfg.attach)
		shtrih_dev_close(&s->dev);
	s->open = false;
}

static bool ensure_open(struct fiscal_service *s)
{
	if (s->open)
		return true;
	if (s->cfg.attach) {
		shtrih_dev_attach(&s->dev, s->cfg.attach, s->cfg.attach_tcp, s->cfg.byte_timeout_ms,
				  s->cfg.password);
	} else if (shtrih_dev_open(&s->dev, s->cfg.transport, s->cfg.address, s->cfg.baud,
				   s->cfg.byte_timeout_ms, s->cfg.password) != 0) {
		atomic_store(&s->paper, -1);
		set_ready(s, false, s->dev.err_text);
		return false;
	}
	s->open = true;
	return true;
}

/* A link failure closes the device so the next request reopens it. */
static void after_error(struct fiscal_service *s, int rc)
{
	if (rc == SHTRIH_DEV_ELINK || rc == SHTRIH_DEV_EUNKNOWN || rc == SHTRIH_DEV_EPROTO) {
		close_dev(s);
		atomic_store(&s->paper, -1);
	}
}

/* What the caller stores with the payment: the close's FD and FP, the time from the
 * archive when the reply had none, the shift and the number in it. */
static void attrs_of(struct fiscal_service *s, const struct shtrih_fd_result *r,
		     const char *serial, struct fiscal_receipt_attrs *a)
{
	struct shtrih_fn_doc doc;
	struct shtrih_snapshot st;
	memset(a, 0, sizeof *a);
	snprintf(a->fn_serial, sizeof a->fn_serial, "%s", serial);
	a->fd = r->fd;
	a->fp = r->fp;
	if (r->has_dt)
		a->dt = r->dt;
	else if (shtrih_dev_doc(&s->dev, r->fd, &doc) == 0)
		a->dt = doc.dt;
	if (shtrih_dev_status(&s->dev, &st) == 0) {
		a->shift_no = st.shift.shift_no;
		a->number = st.shift.receipt_no;
		if (!a->fn_serial[0])
			snprintf(a->fn_serial, sizeof a->fn_serial, "%s", st.fn.serial);
	}
}

/* One attempt at the close in doubt; the pending record is cleared once answered. */
static void try_resolve(struct fiscal_service *s)
{
	struct pending *p = &s->pend;
	struct shtrih_fd_result r;
	if (!ensure_open(s)) {
		s->next_retry = clock_mono_ms() + s->cfg.backoff_ms; /* not again at once: no spin */
		return;
	}
	int rc = shtrih_dev_resolve(&s->dev, p->fd0, p->amount, &p->close, &r);
	if (rc == SHTRIH_RESOLVED_DONE) {
		struct fiscal_receipt_attrs a;
		p->active = false;
		attrs_of(s, &r, "", &a);
		outcome(s, p->req, p->tag, p->txn_id, FISCAL_OUT_MADE, &a, "чек найден в ФН");
	} else if (rc == SHTRIH_RESOLVED_NOT_MADE) {
		p->active = false;
		outcome(s, p->req, p->tag, p->txn_id, FISCAL_OUT_NOT_MADE, NULL, "чека в ФН нет");
	} else {
		after_error(s, rc);
		s->next_retry = clock_mono_ms() + s->cfg.backoff_ms;
	}
}

struct closing_ctx {
	struct fiscal_service *s;
	uint32_t fd0;
};

static int on_closing(void *arg)
{
	struct closing_ctx *c = arg;
	struct fiscal_service *s = c->s;
	return s->cfg.closing ? s->cfg.closing(s->cfg.ctx, s->cur->txn_id, c->fd0) : 0;
}

static void do_receipt(struct fiscal_service *s, const struct fiscal_request *q)
{
	struct shtrih_snapshot st;
	struct shtrih_fd_result r;
	int rc = shtrih_dev_preflight(&s->dev, true, &st);
	if (rc != 0) {
		after_error(s, rc);
		outcome(s, q->kind, q->tag, q->txn_id, FISCAL_OUT_NOT_MADE, NULL, s->dev.err_text);
		return;
	}
	struct closing_ctx cc = { s, st.fn.last_fd };
	rc = shtrih_dev_receipt(&s->dev, q->cmds, q->ncmds, on_closing, &cc, &r);
	if (rc == 0) {
		struct fiscal_receipt_attrs a;
		attrs_of(s, &r, st.fn.serial, &a);
		outcome(s, q->kind, q->tag, q->txn_id, FISCAL_OUT_MADE, &a, "");
		return;
	}
	if (rc != SHTRIH_DEV_EUNKNOWN) {
		after_error(s, rc);
		outcome(s, q->kind, q->tag, q->txn_id, FISCAL_OUT_NOT_MADE, NULL, s->dev.err_text);
		return;
	}
	struct pending *p = &s->pend;
	p->active = true;
	p->req = q->kind;
	p->tag = q->tag;
	snprintf(p->txn_id, sizeof p->txn_id, "%s", q->txn_id);
	p->amount = q->amount;
	p->fd0 = cc.fd0;
	p->close = q->cmds[q->ncmds - 1];
	close_dev(s);
	set_ready(s, false, "проверка чека после сбоя связи");
	try_resolve(s);
	if (p->active)
		outcome(s, q->kind, q->tag, q->txn_id, FISCAL_OUT_UNKNOWN, NULL,
			"связь с ККТ потеряна при закрытии чека");
}

static void do_report(struct fiscal_service *s, const struct fiscal_request *q)
{
	struct shtrih_snapshot st;
	int rc = 0;
	if (q->kind == FISCAL_REQ_PREFLIGHT) {
		rc = shtrih_dev_preflight(&s->dev, true, &st);
		if (rc == 0)
			set_ready(s, true, "");
	} else if (q->kind == FISCAL_REQ_STATUS) {
		rc = shtrih_dev_status(&s->dev, &st);
	} else {
		uint16_t cmd = q->kind == FISCAL_REQ_X ? SHTRIH_X_REPORT : q->kind == FISCAL_REQ_Z ?
			       SHTRIH_Z_REPORT : SHTRIH_OPEN_SHIFT;
		rc = shtrih_dev_simple(&s->dev, cmd);
	}
	after_error(s, rc);
	enum fiscal_outcome o = rc == 0 ? FISCAL_OUT_OK : rc == SHTRIH_DEV_EDEVICE &&
				q->kind != FISCAL_REQ_PREFLIGHT ? FISCAL_OUT_REFUSED : FISCAL_OUT_UNAVAILABLE;
	if (rc != 0 && q->kind == FISCAL_REQ_PREFLIGHT)
		set_ready(s, false, s->dev.err_text);
	struct fiscal_event ev = { .kind = FISCAL_EV_OUTCOME, .req = q->kind, .tag = q->tag, .outcome = o,
				   .status = q->kind == FISCAL_REQ_STATUS && rc == 0 ? &st : NULL };
	snprintf(ev.txn_id, sizeof ev.txn_id, "%s", q->txn_id);
	snprintf(ev.text, sizeof ev.text, "%s", rc ? s->dev.err_text : "");
	emit(s, &ev);
}

static int print_line(struct fiscal_service *s, const char *utf8, size_t n)
{
	struct shtrih_req r;
	uint8_t body[SHTRIH_BODY_MAX], w[SHTRIH_LINE_MAX];
	struct shtrih_reply rp;
	char line[4 * SHTRIH_LINE_MAX + 1];
	snprintf(line, sizeof line, "%.*s", (int)(n < sizeof line - 1 ? n : sizeof line - 1), utf8);
	shtrih_req_print(&r, s->cfg.password, 0x02, w, fiscal_win1251(line, w, sizeof w));
	int rc = shtrih_dev_cmd(&s->dev, &r, body, &rp);
	if (rc == SHTRIH_DEV_EDEVICE && s->dev.err_code == 0x58 && /* the receipt's print was cut short */
	    shtrih_dev_simple(&s->dev, SHTRIH_CONTINUE_PRINT) == 0)
		rc = shtrih_dev_cmd(&s->dev, &r, body, &rp);
	return rc;
}

/* Non-fiscal text after a receipt, on the receipt tape; then a full cut.  Whatever goes
 * wrong here is the printout's trouble, never a payment's. */
static void do_print(struct fiscal_service *s, const struct fiscal_request *q)
{
	int rc = 0;
	for (const char *p = q->text; *p && rc == 0;) {
		size_t n = strcspn(p, "\n");
		rc = print_line(s, p, n);
		p += n + (p[n] == '\n');
	}
	if (rc == 0) {
		struct shtrih_req r;
		uint8_t body[SHTRIH_BODY_MAX];
		struct shtrih_reply rp;
		shtrih_req_cut(&r, s->cfg.password, false);
		rc = shtrih_dev_cmd(&s->dev, &r, body, &rp);
	}
	bool no_paper = rc == SHTRIH_DEV_EDEVICE && (s->dev.err_code == 0x6B || s->dev.err_code == 0x58);
	if (rc == 0 || no_paper)
		atomic_store(&s->paper, rc == 0);
	if (no_paper)
		alarm_set(s, FISCAL_ALARM_PAPER, true, "в ККТ нет бумаги");
	after_error(s, rc);
	outcome(s, q->kind, q->tag, "", rc == 0 ? FISCAL_OUT_OK : rc == SHTRIH_DEV_EDEVICE ?
		FISCAL_OUT_REFUSED : FISCAL_OUT_UNAVAILABLE, NULL, rc ? s->dev.err_text : "");
}

/* Register-clock ms of the open shift's opening document; unknown: 24 h ago (due). */
static int64_t shift_opened(struct fiscal_service *s, const struct shtrih_snapshot *st,
			    int64_t reg_now)
{
	if (s->shift_known == st->shift.shift_no && s->shift_known)
		return s->shift_opened;
	uint32_t last = st->fn.last_fd, start = last > st->shift.receipt_no ? last - st->shift.receipt_no : 1;
	for (uint32_t fd = start; fd >= 1 && fd + 16 >= start; fd--) {
		struct shtrih_fn_doc doc;
		if (shtrih_dev_doc(&s->dev, fd, &doc) != 0)
			break;
		if (doc.type == SHTRIH_DOC_SHIFT_OPEN && doc.shift_no == st->shift.shift_no) {
			s->shift_known = st->shift.shift_no;
			s->shift_opened = shtrih_plan_dt_ms(&doc.dt, 0);
			return s->shift_opened;
		}
	}
	return reg_now - 24 * HOUR_MS;
}

static void check_shift(struct fiscal_service *s, const struct shtrih_snapshot *st)
{
	if (!st->shift.open || st->st.mode == SHTRIH_MODE_DOCUMENT)
		return;
	struct shtrih_dt now = { st->ls.date[2], st->ls.date[1], st->ls.date[0], st->ls.time[0],
				 st->ls.time[1] };
	int64_t reg_now = shtrih_plan_dt_ms(&now, 0);
	int64_t age = reg_now - shift_opened(s, st, reg_now);
	if (!shtrih_plan_close_due(age, st->ls.time[0], s->cfg.shift_close_hour))
		return;
	int rc = shtrih_dev_simple(&s->dev, SHTRIH_Z_REPORT);
	struct fiscal_event ev = { .kind = FISCAL_EV_SHIFT };
	if (rc == 0)
		snprintf(ev.text, sizeof ev.text, "смена %u закрыта (Z-отчёт), длилась %lld мин",
			 st->shift.shift_no, (long long)(age / 60000));
	else
		snprintf(ev.text, sizeof ev.text, "не удалось закрыть смену: %s", s->dev.err_text);
	after_error(s, rc);
	emit(s, &ev);
}

static void idle_check(struct fiscal_service *s)
{
	struct shtrih_snapshot st;
	char text[256];
	int rc = shtrih_dev_status(&s->dev, &st);
	if (rc != 0) {
		after_error(s, rc);
		set_ready(s, false, s->dev.err_text);
		return;
	}
	bool paper = (st.st.flags & SHTRIH_FLAG_PAPER) && st.st.submode != SHTRIH_SUB_PAPER_OUT &&
		     st.st.submode != SHTRIH_SUB_PAPER_OUT_PRINTING;
	atomic_store(&s->paper, paper);
	alarm_set(s, FISCAL_ALARM_PAPER, !paper, "в ККТ нет бумаги");
	snprintf(text, sizeof text, "ФН %s: %s, до окончания срока %d дн., предупреждения 0x%02x",
		 st.fn.serial, shtrih_phase_text(st.fn.phase), st.days_to_expiry, st.fn.warn);
	alarm_set(s, FISCAL_ALARM_FN, st.fn.phase != 3 || st.fn.warn ||
		  st.days_to_expiry <= s->cfg.fn_warn_days, text);
	snprintf(text, sizeof text, "не передано в ОФД: %u док., старейший %d дн. (ФД %u)",
		 st.unsent, st.unsent_days, st.ofd.first_fd);
	bool stale = st.unsent && st.unsent_days >= s->cfg.unsent_stop_days;
	alarm_set(s, FISCAL_ALARM_UNSENT, st.unsent && st.unsent_days >= s->cfg.unsent_alarm_days, text);
	check_shift(s, &st);
	const char *why = !paper ? "нет бумаги" : st.fn.phase != 3 ? shtrih_phase_text(st.fn.phase)
		: stale ? "документы слишком долго не переданы в ОФД" : NULL;
	set_ready(s, why == NULL, why);
}

static void handle(struct fiscal_service *s, const struct fiscal_request *q)
{
	if (q->kind == FISCAL_REQ_RESOLVE) {
		struct pending *p = &s->pend;
		p->active = true;
		p->req = q->kind;
		p->tag = q->tag;
		snprintf(p->txn_id, sizeof p->txn_id, "%s", q->txn_id);
		p->amount = q->amount;
		p->fd0 = q->fd0;
		p->close = q->cmds[q->ncmds - 1];
		try_resolve(s);
		if (p->active)
			outcome(s, q->kind, q->tag, q->txn_id, FISCAL_OUT_UNKNOWN, NULL, s->dev.err_text);
		return;
	}
	if (s->pend.active) {
		outcome(s, q->kind, q->tag, q->txn_id, FISCAL_OUT_UNAVAILABLE, NULL,
			"идёт проверка предыдущего чека");
		return;
	}
	if (!ensure_open(s)) {
		outcome(s, q->kind, q->tag, q->txn_id, q->kind == FISCAL_REQ_RECEIPT ?
			FISCAL_OUT_NOT_MADE : FISCAL_OUT_UNAVAILABLE, NULL, s->dev.err_text);
		return;
	}
	if (q->kind == FISCAL_REQ_RECEIPT)
		do_receipt(s, q);
	else if (q->kind == FISCAL_REQ_PRINT)
		do_print(s, q);
	else
		do_report(s, q);
}

/* Ms until the next idle step: the resolution's retry while a close is in doubt, else
 * the status poll.  On the process clock, which `advance` moves in a test. */
static int idle_due_in(struct fiscal_service *s)
{
	int64_t due = s->pend.active ? s->next_retry : s->next_poll, left = due - clock_mono_ms();
	return left <= 0 ? 0 : left > INT_MAX ? INT_MAX : (int)left;
}

/* A request, on the service thread. */
static void run(void *ctx, void *job)
{
	struct fiscal_service *s = ctx;
	s->cur = job;
	handle(s, s->cur);
	s->cur = NULL;
	worker_idle_in(idle_due_in(s)); /* a request may have left a close in doubt */
}

/* Idle: the resolution of a close in doubt, else the status poll (reconnecting first). */
static int idle(void *ctx)
{
	struct fiscal_service *s = ctx;
	if (s->pend.active) {
		try_resolve(s);
	} else {
		if (ensure_open(s))
			idle_check(s);
		s->next_poll = clock_mono_ms() + (s->open ? s->cfg.poll_ms : s->cfg.backoff_ms);
	}
	return idle_due_in(s);
}

struct fiscal_service *fiscal_service_start(const struct fiscal_service_cfg *cfg)
{
	struct fiscal_service *s = xcalloc(1, sizeof *s);
	s->cfg = *cfg;
	if (s->cfg.poll_ms <= 0)
		s->cfg.poll_ms = 60000;
	if (s->cfg.backoff_ms <= 0)
		s->cfg.backoff_ms = 5000;
	atomic_init(&s->paper, -1);
	struct worker_cfg wc = { .name = "fiscal", .job_size = sizeof(struct fiscal_request),
				 .capacity = INBOX_MAX, .run = run, .idle = idle, .ctx = s };
	s->w = worker_start(&wc);
	if (!s->w) {
		free(s);
		return NULL;
	}
	return s;
}

int fiscal_service_submit(struct fiscal_service *s, const struct fiscal_request *r)
{
	if ((r->kind == FISCAL_REQ_RECEIPT || r->kind == FISCAL_REQ_RESOLVE) &&
	    (r->ncmds < 2 || r->ncmds > FISCAL_RECEIPT_MAX_CMDS ||
	     r->cmds[r->ncmds - 1].cmd != SHTRIH_FN_CLOSE_RECEIPT))
		return -1;
	return worker_submit(s->w, r);
}

bool fiscal_service_ready(struct fiscal_service *s)
{
	return atomic_load(&s->ready);
}

int fiscal_service_paper(struct fiscal_service *s)
{
	return atomic_load(&s->paper);
}

void fiscal_service_stop(struct fiscal_service *s)
{
	if (!s)
		return;
	worker_stop(s->w, WORKER_DROP); /* requests still queued are not sent (logged) */
	close_dev(s);
	free(s);
}
