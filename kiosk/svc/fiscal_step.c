/* The journal's fiscal step: see fiscal_step.h. */
#include "kiosk/svc/fiscal_step.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kiosk/base/clock.h"
#include "kiosk/base/crashpoint.h"
#include "kiosk/base/log.h"
#include "kiosk/base/xalloc.h"
#include "offline/journal.h"
#include "offline/journal_fiscal.h"

struct fiscal_step {
	struct fiscal_step_cfg cfg;
	struct fiscal_service *svc;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	/* the one payment record() is waiting for */
	char waiting[JOURNAL_TXN_ID_LEN + 1];
	bool answered;
	struct fiscal_event answer;
	struct fiscal_request req;    /* big: not on the stack */
	char next_contact[72];        /* for the next begin (under mu) */
};

struct fiscal_step *fiscal_step_new(const struct fiscal_step_cfg *cfg)
{
	struct fiscal_step *fs = xcalloc(1, sizeof *fs);
	fs->cfg = *cfg;
	if (fs->cfg.wait_ms <= 0)
		fs->cfg.wait_ms = 240000;
	if (!fs->cfg.inner) {
		fs->cfg.inner = &pinpad_journal_store;
		fs->cfg.inner_journal = fs->cfg.store;
	}
	pthread_mutex_init(&fs->mu, NULL);
	pthread_cond_init(&fs->cv, NULL);
	return fs;
}

void fiscal_step_attach(struct fiscal_step *fs, struct fiscal_service *svc)
{
	fs->svc = svc;
}

void fiscal_step_free(struct fiscal_step *fs)
{
	if (!fs)
		return;
	pthread_cond_destroy(&fs->cv);
	pthread_mutex_destroy(&fs->mu);
	free(fs);
}

static void attrs_to_row(const struct fiscal_receipt_attrs *a, uint32_t fd0,
			 struct journal_fiscal *f)
{
	memset(f, 0, sizeof *f);
	f->state = JOURNAL_FISCAL_MADE;
	f->fd0 = fd0;
	snprintf(f->fn_serial, sizeof f->fn_serial, "%s", a->fn_serial);
	f->fd = a->fd;
	f->fp = a->fp;
	snprintf(f->doc_time, sizeof f->doc_time, "20%02u-%02u-%02uT%02u:%02u", a->dt.yy % 100u,
		 a->dt.mo % 100u, a->dt.dd % 100u, a->dt.hh % 100u, a->dt.mi % 100u);
	f->shift_no = a->shift_no;
	f->number = a->number;
}

/* A receipt the register made for a payment that is not recorded (its card is reversed):
 * stored, and told to staff and the center once (journal_fiscal_orphan); st is the calling
 * thread's connection. */
static void orphan(struct fiscal_step *fs, struct store *st, const char *txn_id,
		   const struct journal_fiscal *f, const char *why)
{
	char text[160], detail[256];
	snprintf(text, sizeof text, "чек ФД %u %s", f->fd, why);
	snprintf(detail, sizeof detail, "alarm=orphan txn=%s fd=%u fp=%u text=%s", txn_id, f->fd,
		 f->fp, text);
	int rc = journal_fiscal_orphan(st, txn_id, f, detail, clock_wall_ms());
	log_error("fiscal", "orphan_receipt", "txn=%s fd=%u new=%d", txn_id, f->fd, rc);
	if (rc != 0 && fs->cfg.on_orphan) /* new, or not stored: the technician's log at least */
		fs->cfg.on_orphan(fs->cfg.ctx, txn_id, text);
}

void fiscal_step_next_contact(struct fiscal_step *fs, const char *contact)
{
	pthread_mutex_lock(&fs->mu);
	snprintf(fs->next_contact, sizeof fs->next_contact, "%s", contact ? contact : "");
	pthread_mutex_unlock(&fs->mu);
}

int fiscal_step_closing(void *arg, const char *txn_id, uint32_t fd0)
{
	struct fiscal_step *fs = arg;
	int rc = journal_fiscal_closing(fs->cfg.closing_store, txn_id, fd0, clock_wall_ms());
	if (rc)
		log_error("fiscal", "closing_not_stored", "txn=%s rc=%d", txn_id, rc);
	else
		crashpoint("fiscal_closing_stored"); /* the close is not sent yet */
	return rc;
}

void fiscal_step_on_event(struct fiscal_step *fs, const struct fiscal_event *ev)
{
	if (ev->kind != FISCAL_EV_OUTCOME || !ev->txn_id[0])
		return;
	pthread_mutex_lock(&fs->mu);
	bool mine = strcmp(fs->waiting, ev->txn_id) == 0;
	if (mine) {
		fs->answer = *ev;
		fs->answered = true;
		pthread_cond_broadcast(&fs->cv);
	}
	pthread_mutex_unlock(&fs->mu);
	if (!mine && ev->outcome == FISCAL_OUT_MADE) {
		struct journal_fiscal f;
		attrs_to_row(&ev->receipt, 0, &f);
		orphan(fs, fs->cfg.closing_store, ev->txn_id, &f,
		       "найден после отмены оплаты: нужен чек возврата");
	}
}

/* Submits fs->req and waits for its outcome; an UNKNOWN keeps the wait going (the service
 * reports the resolution later) until the deadline.  Returns the last outcome. */
static enum fiscal_outcome submit_wait(struct fiscal_step *fs, struct fiscal_event *ret)
{
	struct timespec until = clock_deadline(CLOCK_REALTIME, fs->cfg.wait_ms);
	pthread_mutex_lock(&fs->mu);
	snprintf(fs->waiting, sizeof fs->waiting, "%s", fs->req.txn_id);
	fs->answered = false;
	pthread_mutex_unlock(&fs->mu);
	enum fiscal_outcome o = FISCAL_OUT_UNKNOWN;
	if (!fs->svc || fiscal_service_submit(fs->svc, &fs->req) != 0)
		o = FISCAL_OUT_UNAVAILABLE;
	pthread_mutex_lock(&fs->mu);
	while (o == FISCAL_OUT_UNKNOWN) {
		while (!fs->answered && pthread_cond_timedwait(&fs->cv, &fs->mu, &until) == 0)
			;
		if (!fs->answered)
			break;
		fs->answered = false;
		*ret = fs->answer;
		o = fs->answer.outcome;
	}
	fs->waiting[0] = '\0';
	pthread_mutex_unlock(&fs->mu);
	return o;
}


static int fs_record(void *j, const char *id, bool offline, int64_t now_ms)
{
	struct fiscal_step *fs = j;
	struct store *st = fs->cfg.store;
	struct journal_payment *p = xmalloc(sizeof *p);
	struct journal_fiscal f;
	struct fiscal_event ev;
	int rc = journal_get(st, id, p);
	if (rc == 0)
		rc = journal_fiscal_get(st, id, &f);
	if (rc != 0 || p->state != JOURNAL_AUTHORIZED) {
		free(p);
		return rc ? rc : journal_record(st, id, offline, now_ms); /* the journal refuses */
	}
	struct fiscal_request *q = &fs->req;
	memset(q, 0, sizeof *q);
	q->kind = f.state == JOURNAL_FISCAL_CLOSING ? FISCAL_REQ_RESOLVE : FISCAL_REQ_RECEIPT;
	snprintf(q->txn_id, sizeof q->txn_id, "%s", id);
	q->amount = p->total;
	q->fd0 = f.fd0;
	char contact[72];
	if (journal_contact_get(st, id, contact, sizeof contact) != 0)
		contact[0] = '\0'; /* unreadable: the receipt goes without it, the payment does not stop */
	q->ncmds = fiscal_receipt_build(&fs->cfg.fc, p, contact, q->cmds, FISCAL_RECEIPT_MAX_CMDS);
	if (q->ncmds == FISCAL_RECEIPT_ECONTACT) /* the flow checked it; never lose the payment to it */
		q->ncmds = fiscal_receipt_build(&fs->cfg.fc, p, NULL, q->cmds, FISCAL_RECEIPT_MAX_CMDS);
	free(p);
	if (q->ncmds < 0) {
		log_error("fiscal", "receipt_not_built", "txn=%s rc=%d", id, q->ncmds);
		return -1;
	}
	memset(&ev, 0, sizeof ev);
	enum fiscal_outcome o = submit_wait(fs, &ev);
	log_info("fiscal", "step", "txn=%s req=%d outcome=%s fd=%u", id, q->kind,
		 fiscal_outcome_name(o), ev.receipt.fd);
	if (o == FISCAL_OUT_MADE) {
		struct journal_fiscal made;
		uint32_t fd0 = f.fd0;
		if (f.state != JOURNAL_FISCAL_CLOSING && journal_fiscal_get(st, id, &f) == 0)
			fd0 = f.fd0; /* stored by the closing step */
		attrs_to_row(&ev.receipt, fd0, &made);
		crashpoint("fiscal_made"); /* the receipt exists; the payment is not recorded */
		rc = journal_record_fiscal(st, id, offline, &made, now_ms);
		if (rc == 0)
			crashpoint("after_record"); /* recorded and in the outbox; CONFIRM not yet sent */
		if (rc != 0) /* the card is reversed next; the receipt stays */
			orphan(fs, st, id, &made, "сделан, но оплата не записана: нужен чек возврата");
		return rc;
	}
	if (o == FISCAL_OUT_NOT_MADE)
		journal_fiscal_clear(st, id);
	return -1;
}

static int fs_begin(void *j, const struct journal_line *lines, int nlines, int64_t now_ms,
		    char *ret_txn_id)
{
	struct fiscal_step *fs = j;
	char contact[sizeof fs->next_contact];
	pthread_mutex_lock(&fs->mu);
	memcpy(contact, fs->next_contact, sizeof contact);
	fs->next_contact[0] = '\0'; /* one sale's */
	pthread_mutex_unlock(&fs->mu);
	int rc = fs->cfg.inner->begin(fs->cfg.inner_journal, lines, nlines, now_ms, ret_txn_id);
	if (rc == 0 && contact[0] && journal_contact_put(fs->cfg.store, ret_txn_id, contact) != 0)
		/* the receipt goes without 1008; the address is not logged (personal data) */
		log_error("fiscal", "contact_not_stored", "txn=%s", ret_txn_id);
	return rc;
}

static int fs_authorize(void *j, const char *id, const struct journal_card *card, int64_t now_ms)
{
	struct fiscal_step *fs = j;
	return fs->cfg.inner->authorize(fs->cfg.inner_journal, id, card, now_ms);
}

static int fs_move(void *j, const char *id, enum journal_state to, const char *reason,
		   int64_t now_ms)
{
	struct fiscal_step *fs = j;
	return fs->cfg.inner->move(fs->cfg.inner_journal, id, to, reason, now_ms);
}

static int fs_get(void *j, const char *id, struct journal_payment *ret)
{
	struct fiscal_step *fs = j;
	return fs->cfg.inner->get(fs->cfg.inner_journal, id, ret);
}

static int fs_unfinished(void *j, struct journal_payment *ret, int cap)
{
	struct fiscal_step *fs = j;
	return fs->cfg.inner->unfinished(fs->cfg.inner_journal, ret, cap);
}

const struct pinpad_journal_ops fiscal_step_journal_ops = {
	.begin = fs_begin, .authorize = fs_authorize, .record = fs_record, .move = fs_move,
	.get = fs_get, .unfinished = fs_unfinished,
};
