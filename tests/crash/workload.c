/* The crash-test workload (workload.h). */
#include "tests/crash/workload.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "offline/audit.h"
#include "offline/journal.h"
#include "offline/journal_internal.h"
#include "offline/outbox.h"
#include "offline/readings.h"
#include "offline/store.h"
#include "offline/store_internal.h"
#include "tests/crash/vfs_shim.h"

#define MAX_LIVE 4

struct live {
	char txn[33];
	enum journal_state st;
};

struct wl {
	const struct wl_config *c;
	struct store *s;
	uint64_t rng;
	int64_t now;
	int acks;
	struct live live[MAX_LIVE];
	int nlive;
	uint8_t last_reading[16];
	bool have_reading;
	int first_fail;
};

static uint64_t rnd(struct wl *w)
{
	w->rng ^= w->rng << 13;
	w->rng ^= w->rng >> 7;
	w->rng ^= w->rng << 17;
	return w->rng;
}

static void say(struct wl *w, const char *line)
{
	size_t n = strlen(line);
	if (write(w->c->ack_fd, line, n) != (ssize_t)n)
		_exit(97);
}

static void sayf(struct wl *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sayf(struct wl *w, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	say(w, line);
}

/* After an op: acknowledge it (or report the failure). */
static int done(struct wl *w, int rc, const char *ack)
{
	if (rc != STORE_OK) {
		sayf(w, "F %d\n", rc);
		if (!w->first_fail)
			w->first_fail = rc;
		return rc;
	}
	say(w, ack);
	w->acks++;
	if (w->c->crash_after_ack && w->acks == w->c->crash_after_ack)
		shim_crash_now();
	return STORE_OK;
}

/* CONTROL ONLY: what journal_record must not do, RECORDED committed before its record. */
static int split_record(struct store *s, const char *txn, int64_t now)
{
	uint8_t key[16];
	store_unhex(txn, key, 16);
	struct journal_payment *p = malloc(sizeof *p);
	int rc = journal_get(s, txn, p);
	if (rc == STORE_OK)
		rc = store_begin(s);
	if (rc == STORE_OK) {
		rc = journal_set_state_in_txn(s, txn, JOURNAL_RECORDED, NULL, now);
		rc = rc ? (store_rollback(s), rc) : store_commit(s);
	}
	if (rc == STORE_OK) {
		size_t len;
		char *body = journal_payment_body(p, now, false, &len);
		rc = store_begin(s);
		if (rc == STORE_OK) {
			rc = outbox_append_in_txn(s, "payment", key, (uint8_t *)body, len, now);
			rc = rc ? (store_rollback(s), rc) : store_commit(s);
		}
		free(body);
	}
	free(p);
	return rc;
}

static int op_begin(struct wl *w)
{
	struct journal_line lines[3];
	int n = 1 + (int)(rnd(w) % 3);
	memset(lines, 0, sizeof lines);
	for (int i = 0; i < n; i++) {
		snprintf(lines[i].pers_acc, sizeof lines[i].pers_acc, "%08d",
			 10000000 + (int)(rnd(w) % 90000000));
		snprintf(lines[i].period, sizeof lines[i].period, "2026-%02d", 1 + (int)(rnd(w) % 12));
		lines[i].amount = 100 + (kopecks)(rnd(w) % 1000000);
		snprintf(lines[i].payee_inn, sizeof lines[i].payee_inn, "50360000%02d", i % 100);
		snprintf(lines[i].payee_name, sizeof lines[i].payee_name, "Поставщик %d", i);
	}
	char txn[33];
	say(w, "T B\n");
	int rc = journal_begin(w->s, lines, n, w->now, txn);
	char ack[64];
	snprintf(ack, sizeof ack, "A B %s\n", rc == STORE_OK ? txn : "-");
	if (done(w, rc, ack))
		return rc;
	if (w->nlive < MAX_LIVE) {
		memcpy(w->live[w->nlive].txn, txn, sizeof txn);
		w->live[w->nlive++].st = JOURNAL_INTENT;
	}
	return STORE_OK;
}

/* One step along (or off) the main path for a live payment. */
static int op_advance(struct wl *w)
{
	int i = (int)(rnd(w) % (uint64_t)w->nlive);
	struct live *l = &w->live[i];
	unsigned r = (unsigned)(rnd(w) % 100);
	enum journal_state to;
	switch (l->st) {
	case JOURNAL_INTENT:
		to = r < 10 ? JOURNAL_DECLINED : r < 15 ? JOURNAL_CANCELLED :
		     r < 17 ? JOURNAL_NEEDS_OPERATOR : JOURNAL_AUTHORIZED;
		break;
	case JOURNAL_AUTHORIZED:
		to = r < 5 ? JOURNAL_REVERSED_AUTO : r < 10 ? JOURNAL_VOIDED : JOURNAL_RECORDED;
		break;
	case JOURNAL_RECORDED:
		to = r < 5 ? JOURNAL_VOIDED : r < 8 ? JOURNAL_NEEDS_OPERATOR :
		     r < 10 ? JOURNAL_REVERSED_AUTO : JOURNAL_CONFIRMED;
		break;
	default:
		to = JOURNAL_VOIDED; /* a CONFIRMED one voided by the cashier */
		break;
	}
	sayf(w, "T M %s %s\n", l->txn, journal_state_name(to));
	int rc;
	if (to == JOURNAL_AUTHORIZED) {
		struct journal_card c = { .entry_mode = 7, .cvm = 1 };
		snprintf(c.masked_pan, sizeof c.masked_pan, "2200%09u1234", (unsigned)(rnd(w) % 1000000000));
		snprintf(c.scheme, sizeof c.scheme, "MIR");
		snprintf(c.auth_code, sizeof c.auth_code, "%06u", (unsigned)(rnd(w) % 1000000));
		snprintf(c.rrn, sizeof c.rrn, "%012u", (unsigned)(rnd(w) % 1000000000));
		snprintf(c.slip, sizeof c.slip, "ОДОБРЕНО %lld", (long long)w->now);
		rc = journal_authorize(w->s, l->txn, &c, w->now);
	} else if (to == JOURNAL_RECORDED) {
		rc = w->c->split_record ? split_record(w->s, l->txn, w->now)
					: journal_record(w->s, l->txn, (rnd(w) & 1) != 0, w->now);
	} else {
		rc = journal_move(w->s, l->txn, to, "workload", w->now);
	}
	char ack[128];
	snprintf(ack, sizeof ack, "A M %s %s\n", l->txn, journal_state_name(to));
	if (done(w, rc, ack))
		return rc;
	l->st = to;
	/* Finished payments leave the live set (CONFIRMED ones now and then stay for a void). */
	if (to != JOURNAL_INTENT && to != JOURNAL_AUTHORIZED && to != JOURNAL_RECORDED &&
	    !(to == JOURNAL_CONFIRMED && rnd(w) % 10 == 0))
		w->live[i] = w->live[--w->nlive];
	return STORE_OK;
}

static int op_reading(struct wl *w)
{
	uint8_t key[16];
	bool correct = w->have_reading && rnd(w) % 4 == 0;
	int64_t prev = (int64_t)(rnd(w) % 100000);
	say(w, "T R\n");
	int rc = readings_submit(w->s, "12345678", rnd(w) & 1 ? "m1" : "m2", prev + 1500, prev,
				 false, correct ? w->last_reading : NULL, w->now, key);
	char hex[33] = "-", ack[64];
	if (rc == STORE_OK)
		store_hex(key, 16, hex);
	snprintf(ack, sizeof ack, "A R %s\n", hex);
	if (done(w, rc, ack))
		return rc;
	memcpy(w->last_reading, key, 16);
	w->have_reading = true;
	return STORE_OK;
}

static int op_event(struct wl *w)
{
	char body[96];
	int n = snprintf(body, sizeof body, "{\"event\":\"door_open\",\"at_ms\":%lld}",
			 (long long)w->now);
	uint8_t key[16];
	say(w, "T E\n");
	int rc = outbox_add(w->s, "event", (uint8_t *)body, (size_t)n, w->now, key);
	char hex[33] = "-", ack[64];
	if (rc == STORE_OK)
		store_hex(key, 16, hex);
	snprintf(ack, sizeof ack, "A E %s\n", hex);
	return done(w, rc, ack);
}

static int op_audit(struct wl *w)
{
	say(w, "T U\n");
	return done(w, audit_append(w->s, "cashier", "login", "workload", w->now), "A U\n");
}

/* A delivery: the batch, one attempt counted, then the center's results. */
static int op_deliver(struct wl *w)
{
	struct outbox_batch b;
	int rc = outbox_next_batch(w->s, 1 + (int)(rnd(w) % 8), 65536, &b);
	if (rc)
		return done(w, rc, "");
	if (b.n == 0)
		return STORE_OK;
	rc = outbox_note_attempt(w->s, &b, w->now);
	if (rc) {
		outbox_batch_free(&b);
		return done(w, rc, "");
	}
	char line[1200];
	int off = snprintf(line, sizeof line, "T K %d", b.n);
	struct outbox_result *res = calloc((size_t)b.n, sizeof *res);
	for (int i = 0; i < b.n; i++) {
		char hex[33];
		store_hex(b.recs[i].idem_key, 16, hex);
		off += snprintf(line + off, sizeof line - (size_t)off, " %s", hex);
		res[i].seq = b.recs[i].seq;
		memcpy(res[i].idem_key, b.recs[i].idem_key, 16);
		unsigned r = (unsigned)(rnd(w) % 20);
		res[i].disposition = r == 0 ? OUTBOX_REJECTED : r == 1 ? OUTBOX_DUPLICATE : OUTBOX_CREATED;
		snprintf(res[i].server_ref, sizeof res[i].server_ref, "L-%lld",
			 (long long)(w->now * 10 + i));
		if (r == 0)
			snprintf(res[i].reason, sizeof res[i].reason, "meter_unknown");
	}
	snprintf(line + off, sizeof line - (size_t)off, "\n");
	say(w, line);
	rc = outbox_apply_results(w->s, res, b.n, w->now);
	free(res);
	outbox_batch_free(&b);
	return done(w, rc, "A K\n");
}

static int op_simple(struct wl *w, char code)
{
	sayf(w, "T %c\n", code);
	int rc = code == 'P' ? outbox_new_epoch(w->s) : store_checkpoint(w->s);
	char ack[8];
	snprintf(ack, sizeof ack, "A %c\n", code);
	return done(w, rc, ack);
}

/* Payments a previous run left unfinished are resolved first, the way recovery would
 * after asking the PIN-pad (INTENT never reached it, the others complete or reverse). */
static int resume(struct wl *w)
{
	struct journal_payment *p = calloc(64, sizeof *p);
	int n = journal_unfinished(w->s, p, 64);
	int rc = n < 0 ? n : STORE_OK;
	if (n < 0)
		done(w, rc, "");
	for (int i = 0; rc == STORE_OK && i < n; i++) {
		enum journal_state to = p[i].state == JOURNAL_INTENT ? JOURNAL_CANCELLED :
					p[i].state == JOURNAL_AUTHORIZED ? JOURNAL_REVERSED_AUTO :
					JOURNAL_CONFIRMED;
		sayf(w, "T M %s %s\n", p[i].txn_id, journal_state_name(to));
		char ack[128];
		snprintf(ack, sizeof ack, "A M %s %s\n", p[i].txn_id, journal_state_name(to));
		rc = done(w, journal_move(w->s, p[i].txn_id, to, "recovery", w->now++), ack);
	}
	free(p);
	return rc;
}

static int one_op(struct wl *w, int k)
{
	if (w->c->with_epoch && w->c->nops && k == w->c->nops / 2)
		return op_simple(w, 'P');
	unsigned r = (unsigned)(rnd(w) % 100);
	if (w->nlive > 0 && r < 45)
		return op_advance(w);
	if (r < 60)
		return w->nlive < MAX_LIVE ? op_begin(w) : op_advance(w);
	if (r < 72)
		return op_reading(w);
	if (r < 88)
		return op_deliver(w);
	if (r < 93)
		return op_event(w);
	if (r < 97)
		return op_audit(w);
	return op_simple(w, 'C');
}

int wl_run(struct store *s, const struct wl_config *c)
{
	struct wl w = { .c = c, .s = s, .rng = c->seed * 0x9E3779B97F4A7C15ull + 7, .now = c->t0 };
	int rc = resume(&w);
	for (int k = 0; rc == STORE_OK && (c->nops == 0 || k < c->nops); k++, w.now++)
		rc = one_op(&w, k);
	for (int k = 0; rc != STORE_OK && k < c->extra_after_fail; k++, w.now++)
		one_op(&w, k);
	return w.first_fail ? w.first_fail : rc;
}
