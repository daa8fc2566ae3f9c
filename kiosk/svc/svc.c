/* The services' wiring (svc.h): start and stop, the actions the flow asks for turned
 * into jobs, the service worker that runs them, the scanner, and the scripts' support. */
#include "kiosk/svc/svc.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "drivers/printer_service.h"
#include "drivers/scanner_service.h"
#include "drivers/scanner_usb.h"
#include "drivers/transports.h"
#include "kiosk/base/log.h"
#include "kiosk/svc/svc_fiscal.h"
#include "kiosk/svc/svc_lookup.h"
#include "kiosk/svc/svc_priv.h"
#include "kiosk/base/xalloc.h"
#include "offline/store.h"
#include "offline/sync.h"
#include "offline/crypto_lib.h"

/* Jobs queued for the service worker at most: a resident's session makes a few at a time;
 * more than this means the store has stalled, and the flow hears of the refusal. */
#define JOBS_MAX 32

static const char *const start_keys[2] = { "speech.rate", "speech.volume" };

const char *svc_start_setting(struct svc *s, const char *key)
{
	for (int i = 0; i < 2; i++)
		if (strcmp(key, start_keys[i]) == 0)
			return s->start_settings[i];
	return "";
}

/* ------------------------------------------------------------------ callbacks */

static void on_lookup(void *ud, struct flow_account_result *r)
{
	(void)ud;
	svc_post(SVC_ACCOUNT, r);
}

static void on_history(void *ud, struct payhist *h)
{
	(void)ud;
	svc_post(SVC_HISTORY, h);
}

static void on_rdhist(void *ud, struct rdhist *h)
{
	(void)ud;
	svc_post(SVC_RDHIST, h);
}

static void on_symbol(void *ud, const uint8_t *data, size_t len, const char *aim)
{
	(void)ud;
	(void)aim;
	struct svc_scan *p = xmalloc(sizeof *p + len);
	p->len = len;
	memcpy(p->data, data, len);
	svc_post(SVC_SCAN, p);
}

static void on_scanner_state(void *ud, enum scanner_state st)
{
	struct svc *s = ud;
	atomic_store(&s->scanner_state, (int)st);
	svc_post_int(SVC_SCANNER_STATE, (int)st);
}


static void start_scanner(struct svc *s)
{
	const struct config *c = s->cfg;
	if (strcmp(c->scanner_transport, "none") == 0)
		return;
	struct scanner_service_cfg sc;
	scanner_service_cfg_default(&sc);
	int mode = scanner_mode_parse(c->scanner_transport);
	sc.mode = (enum scanner_mode)(mode < 0 ? SCANNER_MODE_TTY : mode);
	if (sc.mode == SCANNER_MODE_TTY) {
		sc.t = transport_tty_new(c->scanner_address, 115200);
	} else {
		struct scanner_usb_cfg u = { .keyboard = sc.mode == SCANNER_MODE_WEDGE };
		sc.t = scanner_usb_parse_id(c->scanner_address, &u.vid, &u.pid) == 0 ? scanner_usb_new(&u) : NULL;
	}
	int nsuffix = scanner_parse_suffix(c->scanner_suffix, sc.suffix, SCANNER_MAX_SUFFIX); /* checked by config */
	sc.suffix_len = nsuffix > 0 ? (size_t)nsuffix : 0;
	sc.on_symbol = on_symbol;
	sc.on_state = on_scanner_state;
	sc.ud = s;
	if (!sc.t) {
		log_error("scanner", "unavailable", "transport=%s address=%s", c->scanner_transport, c->scanner_address);
		return;
	}
	s->scanner = scanner_service_start(&sc);
}


/* ------------------------------------------------------------------ the service worker */

static void run_job(void *ctx, void *job)
{
	struct svc *s = ctx;
	struct svc_job *j = job;
	switch (j->kind) {
	case JOB_STARTUP:
		svc_pay_check_room(s);
		svc_staff_post_state(s->staff);
		break;
	case JOB_PAY:
	case JOB_PAY_CANCEL:
		svc_pay_run(s, j);
		break;
	case JOB_PRINT_RECEIPT:
	case JOB_PRINT_NOTICE:
	case JOB_PRINT_BILL:
		svc_print_run(s, j);
		break;
	case JOB_READINGS:
	case JOB_QUEUE:
		svc_queue_run(s, j);
		break;
	case JOB_STAFF:
		svc_staff_run(s->staff, &j->u.staff);
		break;
	case JOB_SESSION_END:
		svc_staff_session_end(s->staff);
		break;
	case JOB_STORE_ROOM:
		svc_pay_check_room(s);
		break;
	}
}

/* A job refused or dropped unrun: a queued record and a bill copy own memory. */
static void drop_job(void *ctx, void *job)
{
	(void)ctx;
	struct svc_job *j = job;
	if (j->kind == JOB_QUEUE)
		free(j->u.queue.text);
	else if (j->kind == JOB_PRINT_BILL)
		free(j->u.bill.acct);
}

/* Hands J to the service worker; a refusal (logged by the worker) is told to the flow as
 * the job's failure, so no screen waits for an answer that will not come. */
static void submit(struct svc *s, struct svc_job *j)
{
	if (worker_submit(s->jobs, j) == 0)
		return;
	drop_job(s, j);
	switch (j->kind) {
	case JOB_PAY: {
		struct flow_pay_result *r = xcalloc(1, sizeof *r);
		r->outcome = PAY_FAILED;
		svc_post(SVC_PAY_RESULT, r);
		break;
	}
	case JOB_READINGS: svc_post_int(SVC_READINGS_SAVED, -1); break;
	case JOB_QUEUE: svc_post_int(SVC_QUEUED, -1); break;
	case JOB_PRINT_RECEIPT:
	case JOB_PRINT_BILL: svc_post_int(SVC_PRINTED, PRINT_NONE); break;
	case JOB_STAFF:
		if (j->u.staff.op == SOP_LOGIN) { /* the login screen waits for its answer */
			struct flow_staff_auth *au = xcalloc(1, sizeof *au);
			au->status = STAFF_AUTH_ERROR;
			svc_post(SVC_STAFF_AUTH, au);
		} else {
			struct flow_staff_done *d = xcalloc(1, sizeof *d);
			d->op = (enum staff_op)j->u.staff.op;
			snprintf(d->key, sizeof d->key, "staff.error");
			svc_post(SVC_STAFF_DONE, d);
		}
		break;
	default: break;
	}
}

/* ------------------------------------------------------------------ start, stop */

struct svc *svc_start(const struct config *cfg, void (*wake)(void *ud), void *ud, char *err, int errcap)
{
	/* Loaded after the first frame (offline/crypto_lib.h); the store's chain needs it. */
	char why[256];
	if (crypto_lib_load(why, sizeof why) != 0) {
		snprintf(err, (size_t)errcap, "%s", why);
		return NULL;
	}
	struct svc *s = xcalloc(1, sizeof *s);
	s->cfg = cfg;
	pthread_mutex_init(&s->mu, NULL);
	atomic_init(&s->printer_state, 0);
	atomic_init(&s->store_room, true);
	int rc = store_open(cfg->store_path, &s->store);
	if (rc != 0) {
		snprintf(err, (size_t)errcap, "store %s: %s", cfg->store_path, store_strerror(rc));
		store_close(s->store);
		pthread_mutex_destroy(&s->mu);
		free(s);
		return NULL;
	}
	/* The service worker's connection, before its thread starts. */
	for (int i = 0; i < 2; i++)
		if (store_setting_get(s->store, start_keys[i], s->start_settings[i], sizeof s->start_settings[i]) != 0)
			s->start_settings[i][0] = '\0';
	svc_events_open(wake, ud);
	s->lookup = lookup_start(cfg, on_lookup, s);
	if (s->lookup) {
		lookup_set_history_cb(s->lookup, on_history);
		lookup_set_rdhist_cb(s->lookup, on_rdhist);
	}
	svc_pay_start(s);
	svc_print_start(s);
	start_scanner(s);
	svc_queue_start(s);
	struct svc_staff_deps sd = { .cfg = cfg, .store = s->store, .pinpad = s->pinpad, .fiscal = s->fiscal,
				     .printer = s->printer, .sync = s->sync, .scanner = s->scanner != NULL,
				     .pinpad_ready = &s->pinpad_ready, .online = &s->online,
				     .printer_state = &s->printer_state, .scanner_state = &s->scanner_state };
	s->staff = svc_staff_start(&sd);
	struct worker_cfg wc = { .name = "svc_worker", .job_size = sizeof(struct svc_job), .capacity = JOBS_MAX,
				 .run = run_job, .drop = drop_job, .ctx = s };
	s->jobs = worker_start(&wc);
	if (!s->jobs) {
		snprintf(err, (size_t)errcap, "no service worker thread");
		svc_stop(s);
		return NULL;
	}
	submit(s, &(struct svc_job){ .kind = JOB_STARTUP });
	return s;
}

void svc_stop(struct svc *s)
{
	if (!s)
		return;
	/* What was asked for is done first: a queued record or receipt is the resident's (a
	 * queued sale is refused: svc_pay_run). */
	atomic_store(&s->stopping, true);
	worker_stop(s->jobs, WORKER_DRAIN);
	sync_free(s->sync);
	scanner_service_stop(s->scanner);
	printer_service_stop(s->printer);
	pinpad_service_stop(s->pinpad); /* a record waiting for a receipt ends first */
	svc_fiscal_stop(s->fiscal);
	svc_staff_stop(s->staff);
	lookup_stop(s->lookup);
	store_close(s->sync_store);
	store_close(s->pinpad_store);
	store_close(s->script_store);
	store_close(s->store);
	pthread_mutex_destroy(&s->mu);
	svc_events_close(); /* reports still queued (a print result, a staff screen's data) */
	free(s);
}

/* ------------------------------------------------------------------ actions (UI thread) */

/* FA_PAY: the sale's lines and the e-receipt's contact, as the flow copied them. */
static void pay_job(const struct fa_pay *p, struct svc_job *j)
{
	j->kind = JOB_PAY;
	struct pinpad_cmd *c = &j->u.pay.cmd;
	int n = p->nlines < JOURNAL_MAX_LINES ? p->nlines : JOURNAL_MAX_LINES;
	*c = (struct pinpad_cmd){ .kind = PINPAD_CMD_SALE, .tag = SALE_TAG, .nlines = n };
	memcpy(c->lines, p->lines, (size_t)n * sizeof c->lines[0]);
	snprintf(j->u.pay.contact, sizeof j->u.pay.contact, "%s", p->contact); /* tag 1008 */
}

/* The lookups' requests: the lookup worker's queue. */
static void lookup_action(struct svc *s, const struct flow_action *a)
{
	const struct fa_lookup *l = &a->p.lookup;
	struct lookup_req q = { .typed = l->typed, .bill_sum = l->bill_sum, .answer = l->answer,
				.verify = a->type == FA_VERIFY_ANSWER, .history = a->type == FA_LOOKUP_HISTORY,
				.readings_history = a->type == FA_LOOKUP_RDHIST };
	if (q.history || q.readings_history)
		q.now_ms = clock_wall_ms();
	snprintf(q.pers_acc, sizeof q.pers_acc, "%s", l->pers_acc);
	if (s->lookup)
		lookup_submit(s->lookup, &q);
}

/* The outbox's records: built here (a few hundred bytes of JSON), written by the worker. */
static void queue_action(struct svc *s, const struct flow_action *a, struct svc_job *j)
{
	json_t *body;
	const char *kind = a->type == FA_SEND_ERECEIPT ? "ereceipt" : "request";
	if (a->type == FA_SEND_ERECEIPT) {
		const struct fa_ereceipt *e = &a->p.ereceipt;
		body = json_pack("{s:s, s:s}", "txn_id", e->txn_id, e->email ? "email" : "phone", e->to);
	} else {
		const struct fa_request *r = &a->p.request;
		body = json_pack("{s:s, s:s, s:s}", "pers_acc", r->pers_acc, "kind", r->kind ? "change_data" : "question",
				 "text", r->text);
	}
	if (!body || svc_queue_job(j, kind, body) != 0) {
		log_error("svc", "queue_failed", "kind=%s why=json", kind);
		svc_post_int(SVC_QUEUED, -1);
		return;
	}
	submit(s, j);
}

void svc_action(struct svc *s, const struct flow_action *a)
{
	/* static: a job holds an account (about 10 KB); only the UI thread comes here */
	static struct svc_job j;
	memset(&j, 0, sizeof j);
	switch (a->type) {
	case FA_LOOKUP_ACCOUNT:
	case FA_VERIFY_ANSWER:
	case FA_LOOKUP_HISTORY:
	case FA_LOOKUP_RDHIST:
		lookup_action(s, a);
		return;
	case FA_LOOKUP_CANCEL:
		if (s->lookup)
			lookup_cancel(s->lookup);
		return;
	case FA_PAY:
		pay_job(&a->p.pay, &j);
		break;
	case FA_PAY_CANCEL:
		j.kind = JOB_PAY_CANCEL;
		break;
	case FA_PRINT_RECEIPT:
	case FA_PRINT_NOTICE:
		j.kind = a->type == FA_PRINT_RECEIPT ? JOB_PRINT_RECEIPT : JOB_PRINT_NOTICE;
		snprintf(j.u.txn_id, sizeof j.u.txn_id, "%.*s", JOURNAL_TXN_ID_LEN, a->p.txn.txn_id);
		break;
	case FA_PRINT_BILL:
		j.kind = JOB_PRINT_BILL;
		j.u.bill.acct = xmalloc(sizeof *j.u.bill.acct);
		*j.u.bill.acct = a->p.bill.acct;
		j.u.bill.from_cache = a->p.bill.from_cache;
		break;
	case FA_SUBMIT_READINGS:
		j.kind = JOB_READINGS;
		j.u.readings = a->p.readings;
		break;
	case FA_SEND_ERECEIPT:
	case FA_SEND_REQUEST:
		queue_action(s, a, &j);
		return;
	case FA_STAFF:
		j.kind = JOB_STAFF;
		j.u.staff = a->p.staff;
		break;
	case FA_WIPE_SESSION:
		lookup_forget(s->lookup);
		j.kind = JOB_SESSION_END;
		break;
	case FA_SCREEN_CHANGED:
		j.kind = JOB_STORE_ROOM;
		break;
	case FA_PRINT_READINGS:
	case FA_STAFF_ENTRY:
	case FA_SCAN_REJECTED:
		return;
	}
	submit(s, &j);
	explicit_bzero(&j, sizeof j); /* a staff login's PIN: the worker has its copy */
}

int svc_exit_code(struct svc *s, int rc)
{
	return s ? svc_staff_exit_code(s->staff, rc) : rc;
}
