/* The staff shell (svc_staff.h). */
#include "kiosk/svc/svc_staff.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/pinpad_service.h"
#include "drivers/printer_service.h"
#include "kiosk/base/log.h"
#include "kiosk/receipt/receipt.h"
#include "kiosk/svc/staff_report.h"
#include "kiosk/svc/svc_priv.h"
#include "kiosk/svc/svc_fiscal.h"
#include "kiosk/svc/svc_staff_lines.h"
#include "kiosk/base/xalloc.h"
#include "offline/journal.h"
#include "offline/staff.h"
#include "offline/store.h"
#include "offline/sync.h"

#define SHIFT_CAP 400

struct svc_staff {
	struct svc_staff_deps d;
	struct store *cb_store;      /* the PIN-pad thread's connection */
	char actor[32];              /* who is logged in ("" nobody) */
	int role;
	atomic_bool restart;       /* read by main once the loop has ended */
	/* For the PIN-pad thread: what the journal said when the request went out. */
	pthread_mutex_t mu;
	struct staff_total journal[STAFF_MAX_SCHEMES];
	int njournal;
	char cb_actor[32], cb_role[16];
	struct fs_payment voiding;
};

/* Copies a string, cut to the buffer (fields are shown, cutting is fine). */
static void scopy(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void done(enum staff_op op, bool ok, const char *key, const char *text)
{
	struct flow_staff_done *d = xcalloc(1, sizeof *d);
	d->op = op;
	d->ok = ok;
	scopy(d->key, sizeof d->key, key);
	scopy(d->text, sizeof d->text, text ? text : "");
	svc_post(SVC_STAFF_DONE, d);
}

void svc_staff_post_state(struct svc_staff *st)
{
	struct flow_staff_state *s = xcalloc(1, sizeof *s);
	char why[64];
	if (staff_out_of_service(st->d.store, why, sizeof why) == 0 && why[0]) {
		s->out_of_service = true;
		scopy(s->reason, sizeof s->reason, why);
	}
	svc_post(SVC_STAFF_STATE, s);
}

/* The trail: a failure to write it is logged; the operation it describes already happened. */
static void trail(struct svc_staff *st, const char *action, const char *detail)
{
	int rc = staff_event(st->d.store, st->actor[0] ? st->actor : "unknown", staff_role_name((enum staff_role)st->role),
			     action, detail, clock_wall_ms());
	log_info("staff", action, "actor=%s detail=\"%s\" rc=%d", st->actor[0] ? st->actor : "unknown", detail, rc);
	if (st->d.sync)
		sync_kick(st->d.sync);
}

struct svc_staff *svc_staff_start(const struct svc_staff_deps *d)
{
	struct svc_staff *st = xcalloc(1, sizeof *st);
	st->d = *d;
	pthread_mutex_init(&st->mu, NULL);
	if (d->pinpad && store_open(d->cfg->store_path, &st->cb_store) != 0)
		log_error("staff", "no_store", "for=pinpad");
	return st;
}

void svc_staff_stop(struct svc_staff *st)
{
	if (!st)
		return;
	store_close(st->cb_store);
	pthread_mutex_destroy(&st->mu);
	free(st);
}

int svc_staff_exit_code(const struct svc_staff *st, int rc)
{
	return st && atomic_load(&st->restart) ? KIOSK_EXIT_RESTART : rc;
}

void svc_staff_session_end(struct svc_staff *st)
{
	if (!st || !st->actor[0])
		return;
	trail(st, "logout", "");
	st->actor[0] = '\0';
	st->role = 0;
}

/* ------------------------------------------------------------------ login */

_Static_assert(FS_LOCKED_FOREVER == STAFF_LOCKED_FOREVER, "the flow and the store mean the same lock");

/* The length of a level's lock as the login screen states it. */
static int lock_minutes(int level)
{
	return (level >= 2 ? STAFF_LOCK2_MS : STAFF_LOCK_MS) / 60000;
}

static void login(struct svc_staff *st, const struct fa_staff *j)
{
	struct staff_login l;
	struct flow_staff_auth *a = xcalloc(1, sizeof *a);
	const char *card = j->card_name;
	int rc = staff_verify(st->d.store, card, j->pin, clock_wall_ms(), &l);
	char detail[96];
	snprintf(detail, sizeof detail, "by=%s%s%s", card[0] ? "card" : "hold", card[0] ? " card=" : "", card);
	if (rc == STAFF_OK) {
		a->status = STAFF_AUTH_OK;
		a->role = l.role;
		scopy(a->name, sizeof a->name, l.name);
		scopy(st->actor, sizeof st->actor, l.name);
		st->role = l.role;
		trail(st, "login", detail);
	} else if (rc == STAFF_EWRONG || rc == STAFF_ELOCKED) {
		a->status = rc == STAFF_EWRONG ? STAFF_AUTH_WRONG : STAFF_AUTH_LOCKED;
		a->attempts_left = l.attempts_left;
		a->locked_until_ms = l.locked_until_ms;
		a->lock_minutes = lock_minutes(l.lock_level);
		char d2[140];
		snprintf(d2, sizeof d2, "%s %s=%d", detail, rc == STAFF_EWRONG ? "attempts_left" : "lock_level",
			 rc == STAFF_EWRONG ? l.attempts_left : l.lock_level);
		if (l.lock_new) { /* staff_verify wrote the alert (event staff_lockout) with the lock */
			if (l.locked_until_ms == STAFF_LOCKED_FOREVER)
				log_warn("staff", "lockout", "level=%d until=technician", l.lock_level);
			else
				log_warn("staff", "lockout", "level=%d until_ms=%lld", l.lock_level, (long long)l.locked_until_ms);
		}
		trail(st, rc == STAFF_EWRONG ? "login_failed" : "login_locked", d2);
	} else {
		a->status = STAFF_AUTH_ERROR;
		log_error("staff", "login_error", "rc=%d", rc);
	}
	svc_post(SVC_STAFF_AUTH, a);
}

/* ------------------------------------------------------------------ data */

static struct flow_staff_data *data_for(int screen)
{
	struct flow_staff_data *d = xcalloc(1, sizeof *d);
	d->screen = screen;
	return d;
}

/* The current shift's payments (heap: rows carry the terminal's slip). */
static int shift_rows(struct svc_staff *st, int64_t *ret_opened, struct journal_payment **ret)
{
	int64_t now = clock_wall_ms();
	*ret = xcalloc(SHIFT_CAP, sizeof **ret);
	if (staff_shift_opened(st->d.store, now, ret_opened) != 0)
		return 0;
	int n = journal_list(st->d.store, *ret_opened, now + 1, *ret, SHIFT_CAP);
	return n < 0 ? 0 : n;
}

static void to_fs(const struct journal_payment *p, struct fs_payment *o)
{
	memset(o, 0, sizeof *o);
	scopy(o->txn_id, sizeof o->txn_id, p->txn_id);
	o->state = (int)p->state;
	o->total = p->total;
	scopy(o->scheme, sizeof o->scheme, p->card.scheme);
	scopy(o->masked_pan, sizeof o->masked_pan, p->card.masked_pan);
	scopy(o->pers_acc, sizeof o->pers_acc, p->nlines ? p->lines[0].pers_acc : "");
	scopy(o->reason, sizeof o->reason, p->reason);
	o->created_ms = p->created_ms;
}

static void totals_data(struct svc_staff *st, struct flow_staff_data *d)
{
	struct journal_payment *p;
	int n = shift_rows(st, &d->shift_opened_ms, &p);
	struct staff_total t[STAFF_MAX_SCHEMES];
	int nt = staff_totals(p, n, t, STAFF_MAX_SCHEMES);
	for (int i = 0; i < nt && i < FS_MAX_TOTALS; i++) {
		scopy(d->totals[i].scheme, sizeof d->totals[i].scheme, t[i].scheme);
		d->totals[i].count = t[i].count;
		d->totals[i].sum = t[i].sum;
	}
	d->ntotals = nt < 0 ? 0 : nt < FS_MAX_TOTALS ? nt : FS_MAX_TOTALS;
	d->total_count = nt < 0 ? -1 : staff_totals_sum(t, nt, &d->total_sum);
	if (d->total_count < 0)
		log_error("staff", "totals_overflow", "payments=%d", n);
	free(p);
}

static void payments_data(struct svc_staff *st, struct flow_staff_data *d)
{
	struct journal_payment *p;
	int n = shift_rows(st, &d->shift_opened_ms, &p);
	/* The newest money-bearing rows of the shift. */
	for (int i = n - 1; i >= 0 && d->npay < FS_MAX_PAY; i--) {
		enum journal_state s = p[i].state;
		if (s != JOURNAL_CONFIRMED && s != JOURNAL_VOIDED && s != JOURNAL_NEEDS_OPERATOR && s != JOURNAL_REVERSED_AUTO)
			continue;
		struct fs_payment *o = &d->pay[d->npay++];
		to_fs(&p[i], o);
		char tiny[8];
		int64_t printed;
		int reprints;
		int rc = journal_receipt_get(st->d.store, p[i].txn_id, tiny, sizeof tiny, &printed, &reprints);
		o->has_receipt = rc == 0;
	}
	free(p);
}

static void attention_data(struct svc_staff *st, struct flow_staff_data *d)
{
	struct journal_payment *p = xcalloc(FS_MAX_PAY, sizeof *p);
	int n = journal_by_state(st->d.store, JOURNAL_NEEDS_OPERATOR, p, FS_MAX_PAY);
	for (int i = 0; i < n; i++)
		to_fs(&p[i], &d->pay[d->npay++]);
	free(p);
}

static void refresh(struct svc_staff *st, const struct fa_staff *j)
{
	struct flow_staff_data *d = data_for(j->screen);
	switch ((enum screen_id)j->screen) {
	case SCREEN_STAFF_LOGIN:
		staff_lock_state(st->d.store, clock_wall_ms(), &d->locked_until_ms, &d->wrong_pins);
		break;
	case SCREEN_CASHIER:
		totals_data(st, d);
		break;
	case SCREEN_CASHIER_PAYMENTS:
		payments_data(st, d);
		break;
	case SCREEN_NEEDS_OPERATOR:
		attention_data(st, d);
		break;
	case SCREEN_SERVICE:
		svc_staff_summary(&st->d, d);
		svc_staff_devices(&st->d, d);
		svc_staff_network(&st->d, d);
		break;
	case SCREEN_SERVICE_DEVICES:
		svc_staff_devices(&st->d, d);
		break;
	case SCREEN_SERVICE_NETWORK:
		svc_staff_network(&st->d, d);
		break;
	case SCREEN_SERVICE_LOGS:
		svc_staff_logs(j->log_level, d);
		break;
	case SCREEN_SERVICE_CONFIG:
		svc_staff_config(&st->d, d);
		break;
	default:
		free(d);
		return;
	}
	svc_post(SVC_STAFF_DATA, d);
}

/* ------------------------------------------------------------------ operations */

static bool print(struct svc_staff *st, struct receipt_doc *doc, const char *tag)
{
	bool ok = st->d.printer && printer_service_submit(st->d.printer, doc, tag) != 0;
	receipt_doc_free(doc);
	return ok;
}

static void shift_report(struct svc_staff *st, bool closing)
{
	struct journal_payment *p;
	int64_t opened;
	int n = shift_rows(st, &opened, &p);
	int64_t now = clock_wall_ms();
	struct receipt_doc doc;
	receipt_doc_init(&doc);
	int rc = staff_report_shift(&doc, st->d.cfg, closing, st->actor, opened, p, n, now);
	struct staff_total t[STAFF_MAX_SCHEMES];
	int nt = staff_totals(p, n, t, STAFF_MAX_SCHEMES);
	kopecks sum = 0;
	int count = nt < 0 ? -1 : staff_totals_sum(t, nt, &sum);
	if (count < 0)
		log_error("staff", "totals_overflow", "payments=%d", n);
	free(p);
	char detail[96];
	snprintf(detail, sizeof detail, "opened_ms=%lld count=%d sum=%lld", (long long)opened, count, (long long)sum);
	if (closing) {
		/* The shift closes whether or not the paper is there: the Z-report is in the
		 * audit and can be printed again as an X-report of the closed period never. */
		if (staff_shift_close(st->d.store, now) != 0) {
			receipt_doc_free(&doc);
			done(SOP_CLOSE_SHIFT, false, "staff.error", NULL);
			return;
		}
	}
	trail(st, closing ? "close_shift" : "x_report", detail);
	svc_fiscal_report(st->d.fiscal, closing);
	bool printed = rc == 0 && print(st, &doc, closing ? "z-report" : "x-report");
	if (rc != 0)
		receipt_doc_free(&doc);
	if (closing)
		done(SOP_CLOSE_SHIFT, true, printed ? "staff.shift_closed" : "staff.shift_closed_no_print", NULL);
	else
		done(SOP_X_REPORT, printed, printed ? "staff.x_report_sent" : "staff.no_printer", NULL);
}

static void reprint(struct svc_staff *st, const struct fa_staff *j)
{
	const struct fs_payment *p = j->has_payment ? &j->payment : NULL;
	char *text = xmalloc(16384);
	int64_t printed_ms;
	int reprints = 0;
	if (!p || journal_receipt_get(st->d.store, p->txn_id, text, 16384, &printed_ms, &reprints) != 0) {
		free(text);
		done(SOP_REPRINT, false, "staff.no_receipt", NULL);
		return;
	}
	struct receipt_doc doc;
	receipt_doc_init(&doc);
	bool ok = staff_report_copy(&doc, text, reprints + 1) == 0;
	free(text);
	char detail[80];
	snprintf(detail, sizeof detail, "txn=%s", p->txn_id);
	if (ok && print(st, &doc, "copy")) {
		journal_receipt_reprint(st->d.store, p->txn_id, clock_wall_ms());
		trail(st, "reprint", detail);
		done(SOP_REPRINT, true, "staff.reprint_sent", NULL);
	} else {
		if (!ok)
			receipt_doc_free(&doc);
		done(SOP_REPRINT, false, "staff.no_printer", NULL);
	}
}

static void pinpad_cmd(struct svc_staff *st, enum staff_op op, enum pinpad_cmd_kind kind, const char *txn_id)
{
	struct pinpad_cmd c = { .kind = kind, .tag = SVC_STAFF_TAG };
	if (txn_id)
		scopy(c.txn_id, sizeof c.txn_id, txn_id);
	pthread_mutex_lock(&st->mu);
	scopy(st->cb_actor, sizeof st->cb_actor, st->actor);
	scopy(st->cb_role, sizeof st->cb_role, staff_role_name((enum staff_role)st->role));
	pthread_mutex_unlock(&st->mu);
	if (!st->d.pinpad || pinpad_service_submit(st->d.pinpad, &c) != 0)
		done(op, false, "staff.pinpad_unavailable", NULL);
}

static void reconcile(struct svc_staff *st)
{
	struct journal_payment *p;
	int64_t opened;
	int n = shift_rows(st, &opened, &p);
	pthread_mutex_lock(&st->mu);
	st->njournal = staff_totals(p, n, st->journal, STAFF_MAX_SCHEMES);
	if (st->njournal < 0) {
		log_error("staff", "totals_overflow", "payments=%d", n);
		st->njournal = 0; /* reconciled against nothing: every scheme shows a mismatch */
	}
	pthread_mutex_unlock(&st->mu);
	free(p);
	trail(st, "reconcile", "requested");
	pinpad_cmd(st, SOP_RECONCILE, PINPAD_CMD_RECONCILE, NULL);
}

static void void_payment(struct svc_staff *st, const struct fa_staff *j)
{
	const struct fs_payment *p = j->has_payment ? &j->payment : NULL;
	if (!p || p->state != JOURNAL_CONFIRMED) {
		done(SOP_VOID, false, "staff.error", NULL);
		return;
	}
	pthread_mutex_lock(&st->mu);
	st->voiding = *p;
	pthread_mutex_unlock(&st->mu);
	char detail[96];
	snprintf(detail, sizeof detail, "txn=%s total=%lld", p->txn_id, (long long)p->total);
	trail(st, "void_requested", detail);
	pinpad_cmd(st, SOP_VOID, PINPAD_CMD_VOID, p->txn_id);
}

static void set_service(struct svc_staff *st, const struct fa_staff *j, bool out)
{
	const char *why = out ? flow_staff_reasons[j->reason % STAFF_REASONS] : "";
	enum staff_op op = out ? SOP_OUT_OF_SERVICE : SOP_BACK_IN_SERVICE;
	if (staff_set_out_of_service(st->d.store, why) != 0) {
		done(op, false, "staff.error", NULL);
		return;
	}
	char detail[48];
	snprintf(detail, sizeof detail, "reason=%s", why);
	trail(st, out ? "out_of_service" : "back_in_service", out ? detail : "");
	svc_staff_post_state(st);
	done(op, true, out ? "staff.oos_done" : "staff.in_service_done", NULL);
}

/* The voice's rate and volume, kept in the store's settings (they outlive a restart and
 * override speech.rate and speech.volume), and in the trail. */
static void speech_settings(struct svc_staff *st, const struct fa_staff *j, bool tech)
{
	if (!tech) {
		done(SOP_SPEECH, false, "staff.error", NULL);
		return;
	}
	char rate[16], volume[16], detail[64];
	snprintf(rate, sizeof rate, "%d", j->speech_rate);
	snprintf(volume, sizeof volume, "%d", j->speech_volume);
	bool ok = store_setting_set(st->d.store, "speech.rate", rate) == 0 &&
		  store_setting_set(st->d.store, "speech.volume", volume) == 0;
	snprintf(detail, sizeof detail, "rate=%s volume=%s", rate, volume);
	trail(st, "speech", detail);
	done(SOP_SPEECH, ok, ok ? "staff.speech_saved" : "staff.error", NULL);
}

/* The technician's device operations. */
static void tech_op(struct svc_staff *st, int op)
{
	if (op == SOP_TEST_PRINTER) {
		struct receipt_doc doc;
		receipt_doc_init(&doc);
		bool ok = staff_report_test_page(&doc, st->d.cfg, clock_wall_ms()) == 0 && print(st, &doc, "test-page");
		trail(st, "test_printer", ok ? "sent" : "no printer");
		done(SOP_TEST_PRINTER, ok, ok ? "staff.test_page_sent" : "staff.no_printer", NULL);
	} else if (op == SOP_TEST_PINPAD) {
		trail(st, "test_pinpad", "status");
		pinpad_cmd(st, SOP_TEST_PINPAD, PINPAD_CMD_STATUS, NULL);
	} else if (op == SOP_FORCE_SYNC) {
		trail(st, "force_sync", "");
		done(SOP_FORCE_SYNC, st->d.sync != NULL, st->d.sync ? "staff.sync_kicked" : "staff.no_center", NULL);
	} else {
		trail(st, "restart", "requested from the service menu");
		log_info("staff", "restart", "exit=%d", KIOSK_EXIT_RESTART);
		atomic_store(&st->restart, true);
		raise(SIGTERM); /* the main loop stops as on any SIGTERM; main exits 75 */
	}
}

void svc_staff_run(struct svc_staff *st, const struct fa_staff *j)
{
	int op = j->op;
	if (!st)
		return;
	bool tech = st->role == STAFF_TECHNICIAN;
	bool open = op == SOP_LOGIN || (op == SOP_REFRESH && j->screen == SCREEN_STAFF_LOGIN);
	if (!open && !st->actor[0]) {
		done((enum staff_op)op, false, "staff.error", NULL); /* never without a login */
		return;
	}
	switch ((enum staff_op)op) {
	case SOP_LOGIN: login(st, j); break;
	case SOP_REFRESH: refresh(st, j); break;
	case SOP_X_REPORT: shift_report(st, false); break;
	case SOP_CLOSE_SHIFT: shift_report(st, true); break;
	case SOP_RECONCILE: reconcile(st); break;
	case SOP_REPRINT: reprint(st, j); break;
	case SOP_VOID: void_payment(st, j); break;
	case SOP_OUT_OF_SERVICE: set_service(st, j, true); break;
	case SOP_BACK_IN_SERVICE: set_service(st, j, false); break;
	case SOP_SPEECH:
		speech_settings(st, j, tech);
		break;
	case SOP_TEST_PRINTER:
	case SOP_TEST_PINPAD:
	case SOP_FORCE_SYNC:
	case SOP_RESTART:
		if (!tech) {
			done((enum staff_op)op, false, "staff.error", NULL);
			return;
		}
		tech_op(st, op);
		break;
	}
}

/* ------------------------------------------------------------------ PIN-pad thread */

static void cb_trail(struct svc_staff *st, const char *action, const char *detail)
{
	if (!st->cb_store)
		return;
	char actor[32], role[16];
	pthread_mutex_lock(&st->mu);
	scopy(actor, sizeof actor, st->cb_actor);
	scopy(role, sizeof role, st->cb_role);
	pthread_mutex_unlock(&st->mu);
	int rc = staff_event(st->cb_store, actor, role, action, detail, clock_wall_ms());
	log_info("staff", action, "actor=%s detail=\"%s\" rc=%d", actor, detail, rc);
}

void svc_staff_pinpad(struct svc_staff *st, const struct pinpad_event *ev)
{
	if (!st || ev->kind != PINPAD_EV_OUTCOME)
		return;
	const struct kpp_msg *m = ev->msg;
	char detail[200];
	switch (ev->cmd) {
	case PINPAD_CMD_RECONCILE: {
		if (ev->outcome != PINPAD_OUT_OK || !m) {
			cb_trail(st, "reconcile_failed", pinpad_outcome_name(ev->outcome));
			done(SOP_RECONCILE, false, "staff.reconcile_failed", svc_staff_outcome_key(ev->outcome));
			return;
		}
		struct flow_staff_data *d = xcalloc(1, sizeof *d);
		d->screen = SCREEN_RECONCILE;
		struct staff_recon_row *rows = xcalloc(FS_MAX_LINES, sizeof *rows);
		int nl = 0;
		pthread_mutex_lock(&st->mu);
		int bad = staff_reconcile(m->totals, st->journal, st->njournal, rows, FS_MAX_LINES, &nl);
		pthread_mutex_unlock(&st->mu);
		for (int i = 0; i < nl; i++) {
			const struct staff_recon_row *r = &rows[i];
			char pc[16], jc[16], ps[MONEY_FMT_MAX], js[MONEY_FMT_MAX];
			snprintf(pc, sizeof pc, "%d", r->pinpad_count);
			snprintf(jc, sizeof jc, "%d", r->journal_count);
			money_format(r->pinpad_sum, true, ps, sizeof ps);
			money_format(r->journal_sum, true, js, sizeof js);
			svc_staff_add(d, r->ok ? "staff.rec.ok" : "staff.rec.mismatch", r->scheme, pc, ps, jc, js, NULL);
		}
		free(rows);
		snprintf(detail, sizeof detail, "batch=%s mismatched=%d", m->batch_no, bad);
		cb_trail(st, "reconcile", detail);
		svc_post(SVC_STAFF_DATA, d);
		if (bad < 0)
			done(SOP_RECONCILE, false, "staff.reconcile_bad_totals", NULL);
		else
			done(SOP_RECONCILE, bad == 0, bad == 0 ? "staff.reconcile_ok" : "staff.reconcile_mismatch", NULL);
		return;
	}
	case PINPAD_CMD_VOID: {
		struct fs_payment p;
		pthread_mutex_lock(&st->mu);
		p = st->voiding;
		pthread_mutex_unlock(&st->mu);
		bool ok = ev->outcome == PINPAD_OUT_NOT_PAID;
		/* The center learns of the void from this event (the payment record it already
		 * has stays as it was: a void is a new fact, not an edit). */
		snprintf(detail, sizeof detail, "txn=%s total=%lld outcome=%s", p.txn_id, (long long)p.total,
			 pinpad_outcome_name(ev->outcome));
		cb_trail(st, ok ? "void" : "void_failed", detail);
		done(SOP_VOID, ok, ok ? "staff.voided" : "staff.void_failed", ok ? NULL : ev->text);
		return;
	}
	case PINPAD_CMD_STATUS: {
		bool ok = ev->outcome == PINPAD_OUT_OK && m;
		if (ok) {
			const char *key = svc_staff_pinpad_status(m->term_state, m->term_info, detail, sizeof detail);
			cb_trail(st, "test_pinpad_result", "ok");
			done(SOP_TEST_PINPAD, true, key, detail);
		} else {
			cb_trail(st, "test_pinpad_result", pinpad_outcome_name(ev->outcome));
			done(SOP_TEST_PINPAD, false, "staff.pinpad_failed", svc_staff_outcome_key(ev->outcome));
		}
		return;
	}
	default:
		return;
	}
}
