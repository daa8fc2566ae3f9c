/* The refund receipt of an orphan sale receipt: see fiscal_refund.h. */
#include "kiosk/svc/fiscal_refund.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/base/clock.h"
#include "drivers/fiscal_receipt.h"
#include "kiosk/base/xalloc.h"
#include "offline/journal.h"
#include "offline/journal_fiscal.h"
#include "offline/store.h"

struct closing {
	struct store *st;
	const char *txn_id;
	uint32_t fd0;
};

static int on_closing(void *arg)
{
	struct closing *c = arg;
	return journal_fiscal_refund_closing(c->st, c->txn_id, c->fd0) == STORE_OK ? 0 : -1;
}

/* A refund of amount after fd0 in the drive's archive: 1 with *ret, 0 none, or the
 * device's error. */
static int find_refund(struct shtrih_dev *d, uint32_t fd0, int64_t amount, struct shtrih_fn_doc *ret)
{
	struct shtrih_snapshot s;
	int rc = shtrih_dev_status(d, &s);
	if (rc != 0)
		return rc;
	for (uint32_t fd = fd0 + 1; fd > fd0 && fd <= s.fn.last_fd; fd++) {
		if ((rc = shtrih_dev_doc(d, fd, ret)) != 0)
			return rc;
		if (ret->type == SHTRIH_DOC_RECEIPT && ret->op == 2 && ret->sum == amount)
			return 1;
	}
	return 0;
}

static int stored(struct store *st, const char *txn_id, const char *actor, uint32_t fd,
		  uint32_t fp, char *msg, size_t cap)
{
	int rc = journal_fiscal_refunded(st, txn_id, fd, fp, actor, clock_wall_ms());
	if (rc == STORE_OK)
		return 0;
	snprintf(msg, cap, "чек возврата ФД %u сделан, но не записан (%s): запишите его номер",
		 fd, store_strerror(rc));
	return FISCAL_REFUND_ESTORE;
}

/* The orphan, its payment and its sale receipt in the drive, checked. */
static int check(struct shtrih_dev *d, struct store *st, const char *txn_id,
		 struct journal_fiscal_orphan *o, struct journal_payment *p, char *msg, size_t cap)
{
	struct shtrih_fn_doc doc;
	int rc = journal_fiscal_orphan_get(st, txn_id, o);
	if (rc == STORE_ENOTFOUND || (rc == STORE_OK && journal_get(st, txn_id, p) != STORE_OK)) {
		snprintf(msg, cap, "по оплате %s нет чека, требующего возврата", txn_id);
		return FISCAL_REFUND_ENONE;
	}
	if (rc != STORE_OK) {
		snprintf(msg, cap, "хранилище: %s", store_strerror(rc));
		return FISCAL_REFUND_ESTORE;
	}
	if (o->refund_fd) {
		snprintf(msg, cap, "чек возврата уже сделан: ФД %u", o->refund_fd);
		return FISCAL_REFUND_EDONE;
	}
	if (p->state == JOURNAL_RECORDED || p->state == JOURNAL_CONFIRMED) {
		snprintf(msg, cap, "оплата записана: её чек не требует возврата");
		return FISCAL_REFUND_ESALE;
	}
	if ((rc = shtrih_dev_doc(d, o->fd, &doc)) != 0) {
		snprintf(msg, cap, "%s", d->err_text);
		return FISCAL_REFUND_EDEV;
	}
	if (doc.type != SHTRIH_DOC_RECEIPT || doc.op != 1 || doc.sum != p->total) {
		snprintf(msg, cap, "в ФН документ %u не чек прихода на сумму оплаты", o->fd);
		return FISCAL_REFUND_ESALE;
	}
	return 0;
}

int fiscal_refund_make(struct shtrih_dev *d, struct store *st, const struct fiscal_conf *fc,
		       const char *txn_id, const char *actor, struct fiscal_refund_result *ret,
		       char *msg, size_t cap)
{
	struct journal_fiscal_orphan o;
	struct journal_payment *p = xmalloc(sizeof *p);
	struct shtrih_req *cmds = xcalloc(FISCAL_RECEIPT_MAX_CMDS, sizeof *cmds);
	struct shtrih_fn_doc doc;
	struct shtrih_snapshot s;
	struct shtrih_fd_result r;
	char contact[72];
	memset(ret, 0, sizeof *ret);
	msg[0] = '\0';
	int rc = check(d, st, txn_id, &o, p, msg, cap), n = 0;
	ret->sale_fd = o.fd;
	if (rc == 0 && o.refund_fd0) { /* an earlier close in doubt: is it in the archive? */
		int found = find_refund(d, o.refund_fd0, p->total, &doc);
		if (found == 1) {
			ret->found = true;
			ret->fd = doc.fd;
			ret->fp = doc.fp;
			rc = stored(st, txn_id, actor, doc.fd, doc.fp, msg, cap);
		} else if (found < 0) {
			snprintf(msg, cap, "%s", d->err_text);
			rc = FISCAL_REFUND_EDEV;
		}
	}
	if (rc == 0 && !ret->found) {
		if (journal_contact_get(st, txn_id, contact, sizeof contact) != STORE_OK)
			contact[0] = '\0';
		n = fiscal_receipt_build(fc, p, contact, cmds, FISCAL_RECEIPT_MAX_CMDS);
		if (n < 0 || fiscal_receipt_as_refund(cmds, n) != 0) {
			snprintf(msg, cap, "чек возврата не составлен (%d)", n);
			rc = FISCAL_REFUND_ESALE;
		}
	}
	if (rc == 0 && !ret->found && shtrih_dev_preflight(d, true, &s) != 0) {
		snprintf(msg, cap, "%s", d->err_text);
		rc = FISCAL_REFUND_EDEV;
	}
	if (rc == 0 && !ret->found) {
		struct closing cc = { st, txn_id, s.fn.last_fd };
		int dr = shtrih_dev_receipt(d, cmds, n, on_closing, &cc, &r);
		if (dr == 0) {
			ret->fd = r.fd;
			ret->fp = r.fp;
			rc = stored(st, txn_id, actor, r.fd, r.fp, msg, cap);
		} else if (dr == SHTRIH_DEV_EUNKNOWN) {
			snprintf(msg, cap, "связь с ККТ потеряна при закрытии чека возврата: запустите "
				 "команду ещё раз, она найдёт чек в архиве ФН");
			rc = FISCAL_REFUND_EUNKNOWN;
		} else {
			snprintf(msg, cap, "%s", d->err_text[0] ? d->err_text : "чек возврата не сделан");
			rc = FISCAL_REFUND_EDEV;
		}
	}
	free(cmds);
	free(p);
	return rc;
}
