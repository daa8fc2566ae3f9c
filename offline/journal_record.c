/* AUTHORIZED -> RECORDED: the journal row and the outbox `payment` record in one
 * transaction, so a recorded payment always has exactly one record to deliver. */
#include "offline/journal.h"
#include "offline/journal_fiscal.h"
#include "offline/journal_internal.h"
#include "offline/store_internal.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/base/xalloc.h"

/* The body (docs/api.md §5, payment): compact, keys sorted, so the same payment always gives
 * the same bytes.  No slip: it is a receipt, not data the center books. */
char *journal_payment_body(const struct journal_payment *p, int64_t recorded_ms, bool offline,
			   size_t *ret_len)
{
	return journal_payment_body_fiscal(p, recorded_ms, offline, NULL, ret_len);
}

char *journal_payment_body_fiscal(const struct journal_payment *p, int64_t recorded_ms, bool offline,
				  const struct journal_fiscal *f, size_t *ret_len)
{
	json_t *lines = json_array();
	for (int i = 0; i < p->nlines; i++) {
		const struct journal_line *l = &p->lines[i];
		json_array_append_new(lines, json_pack("{s:s, s:s, s:I, s:s}",
			"pers_acc", l->pers_acc, "period", l->period,
			"amount", (json_int_t)l->amount, "payee_inn", l->payee_inn));
	}
	const struct journal_card *c = &p->card;
	json_t *card = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:s, s:s}",
		"masked_pan", c->masked_pan, "scheme", c->scheme, "auth_code", c->auth_code,
		"rrn", c->rrn, "tid", c->tid, "mid", c->mid, "stan", c->stan,
		"batch_no", c->batch_no, "aid", c->aid, "entry_mode", c->entry_mode,
		"cvm", c->cvm, "terminal_dt", c->terminal_dt, "host_rc", c->host_rc);
	json_t *o = json_pack("{s:s, s:o, s:I, s:s, s:o, s:I, s:I, s:b}",
		"txn_id", p->txn_id, "lines", lines, "total", (json_int_t)p->total,
		"currency", "643", "card", card, "created_ms", (json_int_t)p->created_ms,
		"recorded_ms", (json_int_t)recorded_ms, "offline", offline);
	if (o && f && f->state == JOURNAL_FISCAL_MADE)
		json_object_set_new(o, "fiscal", json_pack("{s:s, s:I, s:I, s:s, s:i, s:i}",
			"fn", f->fn_serial, "fd", (json_int_t)f->fd, "fp", (json_int_t)f->fp,
			"time", f->doc_time, "shift", f->shift_no, "number", f->number));
	if (!o)
		return NULL; /* only on invalid UTF-8 in a field */
	char *txt = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	if (!txt)
		return NULL;
	*ret_len = strlen(txt);
	char *out = xstrdup(txt);
	free(txt);
	return out;
}

int journal_record_in_txn(struct store *s, const char *txn_id, bool offline, int64_t now_ms)
{
	uint8_t key[16];
	if (!journal_txn_id_valid(txn_id) || !store_unhex(txn_id, key, sizeof key))
		return STORE_EINVAL;
	enum journal_state from;
	struct journal_payment *p = xmalloc(sizeof *p);
	char *body = NULL;
	size_t len = 0;
	int rc = journal_state_in_txn(s, txn_id, &from);
	if (rc == STORE_OK && !journal_can_move(from, JOURNAL_RECORDED))
		rc = STORE_ESTATE;
	struct journal_fiscal f;
	if (rc == STORE_OK)
		rc = journal_get(s, txn_id, p);
	if (rc == STORE_OK) /* a fiscal receipt written earlier in this transaction goes along */
		rc = journal_fiscal_get(s, txn_id, &f);
	if (rc == STORE_OK) {
		body = journal_payment_body_fiscal(p, now_ms, offline, &f, &len);
		if (!body)
			rc = STORE_EINVAL;
	}
	if (rc == STORE_OK)
		rc = journal_set_state_in_txn(s, txn_id, JOURNAL_RECORDED, NULL, now_ms);
	sqlite3_stmt *q;
	if (rc == STORE_OK)
		rc = store_stmt(s, "UPDATE journal SET offline = ?2 WHERE txn_id = ?1", &q);
	if (rc == STORE_OK) {
		sqlite3_bind_text(q, 1, txn_id, -1, SQLITE_STATIC);
		sqlite3_bind_int(q, 2, offline);
		rc = store_step_done(s, q);
	}
	if (rc == STORE_OK)
		rc = outbox_append_in_txn(s, "payment", key, (const uint8_t *)body, len, now_ms);
	free(body);
	free(p);
	return rc;
}

int journal_record(struct store *s, const char *txn_id, bool offline, int64_t now_ms)
{
	if (!journal_txn_id_valid(txn_id))
		return STORE_EINVAL;
	int rc = store_begin(s);
	if (rc)
		return rc;
	rc = journal_record_in_txn(s, txn_id, offline, now_ms);
	if (rc) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s);
}
