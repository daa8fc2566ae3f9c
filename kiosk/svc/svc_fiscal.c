/* The fiscal register in the shell: see svc_fiscal.h. */
#include "kiosk/svc/svc_fiscal.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/fiscal_service.h"
#include "drivers/printer.h"
#include "kiosk/svc/fiscal_step.h"
#include "kiosk/base/clock.h"
#include "kiosk/base/log.h"
#include "kiosk/base/xalloc.h"
#include "offline/staff.h"
#include "offline/store.h"

#define PREFLIGHT_TAG 0x46495343u /* "FISC" */
#define PRINT_TAG 0x5052494Eu     /* "PRIN" */

struct svc_fiscal {
	struct fiscal_service *svc;
	struct fiscal_step *step;
	struct store *closing_store;
	atomic_bool ready;
	svc_fiscal_ready_fn on_ready;
	svc_fiscal_sale_fn go;
	void *ctx;
	pthread_mutex_t mu;
	bool sale_pending;
	struct pinpad_cmd sale;
	/* the print waiting in svc_fiscal_print (under mu) */
	pthread_cond_t print_cv;
	uint32_t print_seq;             /* tag of the print waited for */
	bool print_done;
	enum fiscal_outcome print_outcome;
};

/* An alarm is for the office too: an audit row and an outbox `event` the center receives.
 * Fiscal thread only: closing_store is that thread's connection (fiscal_step_closing). */
static void alarm_event(struct svc_fiscal *f, const char *detail)
{
	log_error("fiscal", "alarm", "%s", detail);
	if (staff_event(f->closing_store, "kiosk", "none", "fiscal_alarm", detail, clock_wall_ms()) != 0)
		log_error("fiscal", "alarm_event_failed", "%s", detail);
}

/* A receipt for a reversed payment: the fiscal step has stored it and queued the audit row
 * and the center's event (once); the technician's log watch gets the line. */
static void on_orphan(void *ctx, const char *txn_id, const char *text)
{
	(void)ctx;
	log_error("fiscal", "alarm", "txn=%s text=\"%s\"", txn_id, text);
}

static int on_closing(void *ctx, const char *txn_id, uint32_t fd0)
{
	struct svc_fiscal *f = ctx;
	return fiscal_step_closing(f->step, txn_id, fd0);
}

static void on_event(void *ctx, const struct fiscal_event *ev)
{
	struct svc_fiscal *f = ctx;
	switch (ev->kind) {
	case FISCAL_EV_READY:
		atomic_store(&f->ready, ev->ready);
		if (f->on_ready)
			f->on_ready(f->ctx);
		return;
	case FISCAL_EV_ALARM: {
		static const char *const kind[] = { "paper", "fn", "unsent" };
		char detail[192];
		snprintf(detail, sizeof detail, "alarm=%s text=%.160s",
			 (unsigned)ev->alarm < 3 ? kind[ev->alarm] : "?", ev->text);
		alarm_event(f, detail);
		return;
	}
	case FISCAL_EV_SHIFT:
		log_info("fiscal", "shift", "text=\"%s\"", ev->text);
		return;
	case FISCAL_EV_OUTCOME:
		break;
	}
	if (ev->req == FISCAL_REQ_PRINT) {
		pthread_mutex_lock(&f->mu);
		if (ev->tag == f->print_seq) {
			f->print_done = true;
			f->print_outcome = ev->outcome;
			pthread_cond_broadcast(&f->print_cv);
		}
		pthread_mutex_unlock(&f->mu);
		if (ev->outcome != FISCAL_OUT_OK)
			log_error("fiscal", "print_failed", "outcome=%s text=\"%s\"",
				  fiscal_outcome_name(ev->outcome), ev->text);
		return;
	}
	fiscal_step_on_event(f->step, ev);
	if (ev->req == FISCAL_REQ_X || ev->req == FISCAL_REQ_Z)
		log_info("fiscal", "report", "z=%d outcome=%s text=\"%s\"", ev->req == FISCAL_REQ_Z,
			 fiscal_outcome_name(ev->outcome), ev->text);
	if (ev->req != FISCAL_REQ_PREFLIGHT || ev->tag != PREFLIGHT_TAG)
		return;
	static struct pinpad_cmd sale; /* the fiscal thread's own copy */
	pthread_mutex_lock(&f->mu);
	bool pending = f->sale_pending;
	f->sale_pending = false;
	sale = f->sale;
	pthread_mutex_unlock(&f->mu);
	if (pending && f->go)
		f->go(f->ctx, &sale, ev->outcome == FISCAL_OUT_OK, ev->text);
}

struct svc_fiscal *svc_fiscal_start(const struct config *c, struct store *pinpad_store,
				    const struct pinpad_journal_ops *plain, svc_fiscal_ready_fn on_ready,
				    svc_fiscal_sale_fn go, void *ctx)
{
	const char *key;
	char msg[256];
	struct fiscal_step_cfg sc = { .store = pinpad_store, .on_orphan = on_orphan,
				      .wait_ms = c->pinpad_confirm_timeout_s * 750, /* inside the terminal's confirm timeout */
				      .inner = plain, .inner_journal = pinpad_store };
	if (strcmp(c->fiscal_device, "shtrih") != 0 ||
	    fiscal_conf_from_config(c, &sc.fc, &key, msg, sizeof msg) != 0)
		return NULL;
	struct svc_fiscal *f = xcalloc(1, sizeof *f);
	if (store_open(c->store_path, &f->closing_store) != 0) {
		log_error("fiscal", "unavailable", "why=store");
		free(f);
		return NULL;
	}
	pthread_mutex_init(&f->mu, NULL);
	pthread_cond_init(&f->print_cv, NULL);
	f->on_ready = on_ready;
	f->go = go;
	f->ctx = ctx;
	sc.closing_store = f->closing_store;
	f->step = fiscal_step_new(&sc);
	struct fiscal_service_cfg fc = {
		.baud = c->fiscal_baud, .byte_timeout_ms = c->fiscal_byte_timeout_ms,
		.password = (uint32_t)c->fiscal_password, .on_event = on_event,
		.closing = on_closing, .ctx = f, .shift_close_hour = c->fiscal_shift_close_hour,
		.unsent_alarm_days = c->fiscal_unsent_alarm_days,
		.unsent_stop_days = c->fiscal_unsent_stop_days, .fn_warn_days = c->fiscal_fn_warn_days,
	};
	snprintf(fc.transport, sizeof fc.transport, "%s", c->fiscal_transport);
	snprintf(fc.address, sizeof fc.address, "%s", c->fiscal_address);
	f->svc = fiscal_service_start(&fc);
	fiscal_step_attach(f->step, f->svc);
	log_info("fiscal", "started", "transport=%s address=%s", fc.transport, fc.address);
	return f;
}

const struct pinpad_journal_ops *svc_fiscal_jops(struct svc_fiscal *f,
						 const struct pinpad_journal_ops *plain)
{
	return f ? &fiscal_step_journal_ops : plain;
}

void *svc_fiscal_journal(struct svc_fiscal *f, struct store *pinpad_store)
{
	return f ? (void *)f->step : (void *)pinpad_store;
}

bool svc_fiscal_ready(struct svc_fiscal *f)
{
	return !f || atomic_load(&f->ready);
}

int svc_fiscal_sale(struct svc_fiscal *f, const struct pinpad_cmd *sale, const char *contact)
{
	struct fiscal_request *q = xcalloc(1, sizeof *q);
	q->kind = FISCAL_REQ_PREFLIGHT;
	q->tag = PREFLIGHT_TAG;
	pthread_mutex_lock(&f->mu);
	int rc = f->sale_pending ? -1 : 0;
	if (rc == 0) {
		f->sale = *sale;
		f->sale_pending = true;
		fiscal_step_next_contact(f->step, contact); /* stored by the sale's begin */
	}
	pthread_mutex_unlock(&f->mu);
	if (rc == 0 && fiscal_service_submit(f->svc, q) != 0) {
		pthread_mutex_lock(&f->mu);
		f->sale_pending = false;
		pthread_mutex_unlock(&f->mu);
		rc = -1;
	}
	free(q);
	return rc;
}

void svc_fiscal_report(struct svc_fiscal *f, bool z)
{
	if (!f)
		return;
	struct fiscal_request *q = xcalloc(1, sizeof *q);
	q->kind = z ? FISCAL_REQ_Z : FISCAL_REQ_X;
	if (fiscal_service_submit(f->svc, q) != 0)
		log_error("fiscal", "report_not_queued", "z=%d", z);
	free(q);
}

int svc_fiscal_print(struct svc_fiscal *f, const char *text, int wait_ms)
{
	if (!f)
		return PRINTER_EOFFLINE;
	if (strlen(text) >= FISCAL_PRINT_MAX)
		return PRINTER_EINVAL;
	struct fiscal_request *q = xcalloc(1, sizeof *q);
	q->kind = FISCAL_REQ_PRINT;
	snprintf(q->text, sizeof q->text, "%s", text);
	pthread_mutex_lock(&f->mu);
	q->tag = ++f->print_seq;
	f->print_done = false;
	pthread_mutex_unlock(&f->mu);
	int rc = PRINTER_EOFFLINE;
	if (fiscal_service_submit(f->svc, q) == 0) {
		struct timespec until = clock_deadline(CLOCK_REALTIME, wait_ms);
		pthread_mutex_lock(&f->mu);
		while (!f->print_done && pthread_cond_timedwait(&f->print_cv, &f->mu, &until) == 0)
			;
		if (f->print_done)
			rc = f->print_outcome == FISCAL_OUT_OK ? PRINTER_EOK : f->print_outcome ==
			     FISCAL_OUT_REFUSED ? PRINTER_EIO : PRINTER_EOFFLINE;
		f->print_seq++; /* a late answer is not the next print's */
		pthread_mutex_unlock(&f->mu);
	}
	free(q);
	return rc;
}

int svc_fiscal_paper(struct svc_fiscal *f)
{
	return f ? fiscal_service_paper(f->svc) : -1;
}

void svc_fiscal_stop(struct svc_fiscal *f)
{
	if (!f)
		return;
	fiscal_service_stop(f->svc);
	fiscal_step_free(f->step);
	store_close(f->closing_store);
	pthread_cond_destroy(&f->print_cv);
	pthread_mutex_destroy(&f->mu);
	free(f);
}
