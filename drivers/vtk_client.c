/* A Vendotek terminal behind the PIN-pad seam: see vtk_client.h. */
#include "drivers/vtk_client.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/vtk_conn.h"
#include "drivers/vtk_receipt.h"
#include "kiosk/base/clock.h"
#include "kiosk/base/crashpoint.h"
#include "kiosk/base/log.h"
#include "kiosk/base/xalloc.h"
#include "offline/vtk_map.h"

#define OP_MAX 99999999u

struct vtk_client {
	struct vtk_conn conn;
	struct store *store;
	struct vtk_map_row row;       /* scratch: the payment being worked on */
	struct vtk_msg msg;           /* scratch: the terminal's last reply */
	char desc[128];
};

/* ---------------------------------------------------------------- answers */

static void set_amount(struct kpp_msg *m, int64_t v)
{
	char a[24];
	snprintf(a, sizeof a, "%" PRId64, v);
	kpp_msg_set(m, KPP_TAG_AMOUNT, a);
}

/* The answer for the service: result and transaction state, the amount, and for an approval
 * the card fields and slip from the stored (sanitized) receipt. */
static void answer(struct kpp_msg *m, const struct vtk_map_row *r, int result, int txn_state,
		   int64_t amount, const char *text)
{
	kpp_msg_init(m, KPP_MSG_RESP | KPP_MSG_TXN_STATUS);
	kpp_msg_set_u8(m, KPP_TAG_RESULT, (uint8_t)result);
	kpp_msg_set_u8(m, KPP_TAG_TXN_STATE, (uint8_t)txn_state);
	if (r)
		kpp_msg_set(m, KPP_TAG_TXN_ID, r->txn_id);
	if (amount >= 0)
		set_amount(m, amount);
	if (text)
		kpp_msg_set(m, KPP_TAG_MESSAGE_TEXT, text);
	if (!r || !r->receipt[0])
		return;
	struct journal_card card;
	memset(&card, 0, sizeof card);
	vtk_receipt_parse(r->receipt, &card);
	/* each may be refused by KPP's charset checks: then it is just not there */
	kpp_msg_set(m, KPP_TAG_MASKED_PAN, card.masked_pan);
	kpp_msg_set(m, KPP_TAG_AUTH_CODE, card.auth_code);
	kpp_msg_set(m, KPP_TAG_RRN, card.rrn);
	kpp_msg_set(m, KPP_TAG_SCHEME, card.scheme);
	kpp_msg_set(m, KPP_TAG_TID, card.tid);
	kpp_msg_set(m, KPP_TAG_MID, card.mid);
	kpp_msg_set(m, KPP_TAG_BATCH_NO, card.batch_no);
	kpp_msg_set(m, KPP_TAG_AID, card.aid);
	kpp_msg_set(m, KPP_TAG_HOST_RC, card.host_rc);
	kpp_msg_set(m, KPP_TAG_RECEIPT_TEXT, r->receipt);
}

/* Keeps the receipt as the slip; without an RRN (or without a receipt) the slip names the
 * terminal's operation, so that the printed receipt always ties the payment to it. */
static void keep_receipt(struct vtk_map_row *r, const struct vtk_msg *m)
{
	r->receipt[0] = 0;
	if (VTK_HAS(m, VTK_T_RECEIPT))
		vtk_receipt_sanitize(m->receipt, m->receipt_len, r->receipt, sizeof r->receipt);
	struct journal_card card;
	memset(&card, 0, sizeof card);
	vtk_receipt_parse(r->receipt, &card);
	size_t n = strlen(r->receipt);
	if (!card.rrn[0] && n + 24 < sizeof r->receipt)
		snprintf(r->receipt + n, sizeof r->receipt - n, "%sVTK OP:%" PRIu32, n ? "\n" : "", r->op);
}

static int put(struct vtk_client *c, struct vtk_map_row *r, int state)
{
	r->state = state;
	r->updated_ms = clock_wall_ms();
	int rc = vtk_map_put(c->store, r);
	if (rc != 0)
		log_error("vtk", "map_write_failed", "txn=%s op=%u state=%s rc=%d", r->txn_id, r->op,
			  vtk_map_state_name(state), rc);
	return rc;
}

/* After a declined VRP and after a FIN reply the terminal wants an IDL at once.  A failure
 * closes the link, which the next command notices. */
static void session_over(struct vtk_client *c)
{
	if (vtk_conn_idl(&c->conn) != KPP_OK)
		log_warn("vtk", "idl_after_op_failed", "dev=%s", c->desc);
}

/* ---------------------------------------------------------------- FIN */

/* FIN N amount until its reply (fin_sent written first), then done.  KPP_OK with the row
 * done, or a link code (the row stays fin_sent: the same FIN is sent again later). */
static int fin(struct vtk_client *c, struct vtk_map_row *r, int64_t amount)
{
	r->fin_amount = amount;
	if (put(c, r, VTK_MAP_FIN_SENT) != 0)
		return KPP_EPROTO;
	struct vtk_msg m;
	vtk_msg_init(&m, "FIN");
	vtk_msg_set_num(&m, VTK_T_OP, r->op);
	vtk_msg_set_num(&m, VTK_T_AMOUNT, amount);
	int rc = vtk_conn_send(&c->conn, &m);
	if (rc == KPP_OK)
		crashpoint("vtk_after_fin_sent"); /* the crash suite: FIN out, its reply not in */
	if (rc == KPP_OK)
		rc = vtk_conn_wait(&c->conn, "FIN", r->op, vtk_conn_op_timeout_ms(&c->conn), 0, NULL,
				   &c->msg);
	if (rc != KPP_OK)
		return rc;
	r->fin_reply = VTK_HAS(&c->msg, VTK_T_AMOUNT) ? c->msg.amount : -1;
	if (r->fin_reply != amount)
		log_warn("vtk", "fin_refused", "txn=%s op=%u asked=%" PRId64 " reply=%" PRId64,
			 r->txn_id, r->op, amount, r->fin_reply);
	put(c, r, VTK_MAP_DONE);
	session_over(c);
	return KPP_OK;
}

/* The answer a done row gives. */
static void answer_done(struct kpp_msg *ret, const struct vtk_map_row *r)
{
	if (r->fin_reply != r->fin_amount)
		answer(ret, r, KPP_RES_OK, KPP_TS_NONE, r->approved, "FIN refused by the terminal");
	else if (r->fin_amount > 0)
		answer(ret, r, KPP_RES_OK, KPP_TS_APPROVED_CONFIRMED, r->fin_amount, NULL);
	else
		answer(ret, r, KPP_RES_OK, KPP_TS_REVERSED, r->approved, NULL);
}

/* ---------------------------------------------------------------- VRP */

/* Sends the VRP of row r (new or identical again) and waits for its reply; on a reply,
 * writes the row's new state and fills ret.  abortable: a cancel request becomes ABR.
 * KPP_OK, or a link code with the row still vrp_sent (unknown outcome). */
static int vrp(struct vtk_client *c, struct vtk_map_row *r, bool abortable, kpp_event_fn cb,
	       void *ctx, struct kpp_msg *ret)
{
	struct vtk_msg m;
	vtk_msg_init(&m, "VRP");
	vtk_msg_set_num(&m, VTK_T_OP, r->op);
	vtk_msg_set_num(&m, VTK_T_AMOUNT, r->amount);
	bool aborted = false;
	int rc = vtk_conn_send(&c->conn, &m);
	if (rc == KPP_OK && cb) {
		/* VTK reports no progress: the one step we know is that the card is asked for */
		struct kpp_msg ev;
		kpp_msg_init(&ev, KPP_MSG_EVENT);
		kpp_msg_set_u8(&ev, KPP_TAG_EVENT_CODE, KPP_EV_PRESENT_CARD);
		cb(ctx, &ev);
	}
	if (rc == KPP_OK)
		rc = vtk_conn_wait(&c->conn, "VRP", r->op, vtk_conn_op_timeout_ms(&c->conn),
				   abortable ? r->op : 0, &aborted, &c->msg);
	if (rc != KPP_OK) {
		log_warn("vtk", "vrp_unknown", "txn=%s op=%u err=%s", r->txn_id, r->op,
			 kpp_client_strerror(rc));
		return rc == KPP_ETIMEDOUT ? KPP_ELINK : rc;
	}
	int64_t got = VTK_HAS(&c->msg, VTK_T_AMOUNT) ? c->msg.amount : 0;
	keep_receipt(r, &c->msg);
	if (got == 0) {
		put(c, r, VTK_MAP_DECLINED);
		session_over(c);
		answer(ret, r, aborted ? KPP_RES_CANCELLED : KPP_RES_DECLINED,
		       aborted ? KPP_TS_CANCELLED : KPP_TS_DECLINED, 0, "not approved");
		return KPP_OK;
	}
	r->approved = got;
	put(c, r, VTK_MAP_APPROVED);
	if (got == r->amount && !aborted) {
		answer(ret, r, KPP_RES_OK, KPP_TS_APPROVED_PENDING_CONFIRM, got, NULL);
		return KPP_OK;
	}
	/* another amount, or an approval that raced our ABR: void it before anything is said */
	log_warn("vtk", "vrp_voiding", "txn=%s op=%u asked=%" PRId64 " approved=%" PRId64 " aborted=%d",
		 r->txn_id, r->op, r->amount, got, aborted);
	rc = fin(c, r, 0);
	if (rc != KPP_OK)
		return rc == KPP_ETIMEDOUT ? KPP_ELINK : rc; /* recovery sends the FIN 0 again */
	if (r->fin_reply != 0) {
		answer_done(ret, r);
		return KPP_OK;
	}
	answer(ret, r, aborted ? KPP_RES_CANCELLED : KPP_RES_DECLINED,
	       aborted ? KPP_TS_CANCELLED : KPP_TS_DECLINED, 0,
	       aborted ? "approved after cancel: voided" : "approved another amount: voided");
	return KPP_OK;
}

static int c_authorize(void *impl, const struct kpp_sale_req *rq, kpp_event_fn cb, void *ctx,
		       struct kpp_msg *ret)
{
	struct vtk_client *c = impl;
	if (!c->conn.open)
		return KPP_ELINK;
	if (!rq->txn_id || rq->amount <= 0 || rq->amount > 999999999999LL)
		return KPP_EPROTO;
	uint32_t last = 0;
	if (vtk_map_last_op(c->store, &last) != 0)
		return KPP_EPROTO;
	uint32_t op = (last > c->conn.pos_op ? last : c->conn.pos_op) + 1;
	if (op > OP_MAX)
		op = 1; /* the terminal's wrap-around is not specified: start again at 1 */
	struct vtk_map_row *r = &c->row;
	memset(r, 0, sizeof *r);
	snprintf(r->txn_id, sizeof r->txn_id, "%s", rq->txn_id);
	r->op = op;
	r->amount = rq->amount;
	r->fin_amount = -1;
	r->created_ms = clock_wall_ms();
	/* the number is ours before the terminal hears it */
	if (put(c, r, VTK_MAP_VRP_SENT) != 0)
		return KPP_EPROTO;
	atomic_store(&c->conn.cancel, 0);
	log_info("vtk", "vrp", "txn=%s op=%u amount=%" PRId64, r->txn_id, op, r->amount);
	return vrp(c, r, true, cb, ctx, ret);
}

/* ---------------------------------------------------------------- status, confirm, void */

/* Brings row r (read by the caller) to a state with a known outcome, asking the terminal as
 * VTK allows, and fills ret.  KPP_OK or a link code. */
static int resolve(struct vtk_client *c, struct vtk_map_row *r, struct kpp_msg *ret)
{
	int rc;
	switch (r->state) {
	case VTK_MAP_VRP_SENT:
		if ((rc = vtk_conn_idl(&c->conn)) != KPP_OK) /* a fresh P */
			return rc;
		if (c->conn.pos_op < r->op) {
			put(c, r, VTK_MAP_DECLINED);
			answer(ret, r, KPP_RES_UNKNOWN_TXN, KPP_TS_NONE, -1, "the terminal never had it");
			return KPP_OK;
		}
		if (c->conn.pos_op > r->op) {
			log_error("vtk", "op_overtaken", "txn=%s op=%u pos_op=%u", r->txn_id, r->op,
				  c->conn.pos_op);
			answer(ret, r, KPP_RES_OK, KPP_TS_NONE, -1,
			       "the terminal's operation number moved past ours: reconcile by hand");
			return KPP_OK;
		}
		rc = vrp(c, r, false, NULL, NULL, ret);
		if (rc == KPP_OK)
			kpp_msg_set_u8(ret, KPP_TAG_RESULT, KPP_RES_OK); /* a status answer */
		return rc;
	case VTK_MAP_APPROVED:
		answer(ret, r, KPP_RES_OK, KPP_TS_APPROVED_PENDING_CONFIRM, r->approved, NULL);
		return KPP_OK;
	case VTK_MAP_DECLINED:
		answer(ret, r, KPP_RES_OK, KPP_TS_DECLINED, 0, NULL);
		return KPP_OK;
	case VTK_MAP_FIN_SENT:
		if ((rc = fin(c, r, r->fin_amount)) != KPP_OK)
			return rc;
		answer_done(ret, r);
		return KPP_OK;
	default:
		answer_done(ret, r);
		return KPP_OK;
	}
}

/* After looking up the row of a txn (rc, the lookup's result): KPP_OK with an
 * UNKNOWN_TXN answer in ret when there is none, an error when the store failed or the link
 * is down, or 1 when the row is there to act on. */
static int row_found(const struct vtk_client *c, int rc, struct kpp_msg *ret)
{
	if (rc == STORE_ENOTFOUND) {
		answer(ret, NULL, KPP_RES_UNKNOWN_TXN, KPP_TS_NONE, -1, NULL);
		return KPP_OK;
	}
	if (rc != 0)
		return KPP_EPROTO;
	if (!c->conn.open)
		return KPP_ELINK;
	return 1;
}

static int c_status(void *impl, const char *txn_id, struct kpp_msg *ret)
{
	struct vtk_client *c = impl;
	struct vtk_map_row *r = &c->row;
	int rc = txn_id ? vtk_map_get(c->store, txn_id, r) : vtk_map_open_op(c->store, r);
	int found = row_found(c, rc, ret);
	if (found != 1)
		return found;
	return resolve(c, r, ret);
}

static int c_confirm(void *impl, const char *txn_id, struct kpp_msg *ret)
{
	struct vtk_client *c = impl;
	struct vtk_map_row *r = &c->row;
	int rc = vtk_map_get(c->store, txn_id, r);
	int found = row_found(c, rc, ret);
	if (found != 1)
		return found;
	if (r->state == VTK_MAP_APPROVED)
		rc = fin(c, r, r->approved);
	else if (r->state == VTK_MAP_VRP_SENT || r->state == VTK_MAP_FIN_SENT)
		rc = resolve(c, r, ret);
	if (rc != KPP_OK)
		return rc;
	if (r->state == VTK_MAP_APPROVED) /* resolved to an approval: now the FIN */
		rc = fin(c, r, r->approved);
	if (rc != KPP_OK)
		return rc;
	if (r->state == VTK_MAP_DECLINED)
		answer(ret, r, KPP_RES_OK, KPP_TS_DECLINED, 0, NULL);
	else
		answer_done(ret, r);
	return KPP_OK;
}

static int c_void(void *impl, const char *void_id, const char *txn_id, kpp_event_fn cb,
		  void *ctx, struct kpp_msg *ret)
{
	(void)void_id; /* VTK's void is FIN 0 under the payment's own operation number */
	(void)cb;
	(void)ctx;
	struct vtk_client *c = impl;
	struct vtk_map_row *r = &c->row;
	int rc = vtk_map_get(c->store, txn_id, r);
	int found = row_found(c, rc, ret);
	if (found != 1)
		return found;
	if (r->state == VTK_MAP_VRP_SENT && (rc = resolve(c, r, ret)) != KPP_OK)
		return rc;
	if (r->state == VTK_MAP_FIN_SENT && r->fin_amount > 0 && (rc = resolve(c, r, ret)) != KPP_OK)
		return rc;
	if (r->state == VTK_MAP_APPROVED || r->state == VTK_MAP_FIN_SENT) {
		if ((rc = fin(c, r, 0)) != KPP_OK)
			return rc;
	}
	if (r->state == VTK_MAP_DONE && r->fin_amount > 0 && r->fin_reply == r->fin_amount) {
		answer(ret, r, KPP_RES_NOT_SUPPORTED, KPP_TS_APPROVED_CONFIRMED, r->fin_amount,
		       "finalized: a refund goes through the acquirer or the Vendotek back office");
		return KPP_OK;
	}
	if (r->state == VTK_MAP_DECLINED || r->state == VTK_MAP_VRP_SENT)
		answer(ret, r, KPP_RES_OK, KPP_TS_REVERSED, 0, "nothing was charged");
	else
		answer_done(ret, r);
	return KPP_OK;
}

/* ---------------------------------------------------------------- the rest */

static int c_open(void *impl)
{
	struct vtk_client *c = impl;
	return vtk_conn_open(&c->conn);
}

static void c_close(void *impl)
{
	vtk_conn_close(&((struct vtk_client *)impl)->conn);
}

static const char *c_desc(const void *impl)
{
	return ((const struct vtk_client *)impl)->desc;
}

static int c_health(void *impl, struct kpp_msg *ret)
{
	struct vtk_client *c = impl;
	int rc = vtk_conn_idl(&c->conn);
	if (rc == KPP_OK) {
		answer(ret, NULL, KPP_RES_OK, KPP_TS_NONE, -1, NULL);
		kpp_msg_set_u8(ret, KPP_TAG_TERM_STATE, KPP_TERM_IDLE);
	}
	return rc;
}

static int c_cancel(void *impl)
{
	return vtk_conn_cancel(&((struct vtk_client *)impl)->conn);
}

static int c_reconcile(void *impl, const char *id, kpp_event_fn cb, void *ctx, struct kpp_msg *ret)
{
	(void)impl; (void)id; (void)cb; (void)ctx;
	answer(ret, NULL, KPP_RES_NOT_SUPPORTED, KPP_TS_NONE, -1,
	       "the terminal closes its batches by itself");
	return KPP_OK;
}

static void c_free(void *impl)
{
	struct vtk_client *c = impl;
	vtk_conn_free(&c->conn);
	free(c);
}

static const struct pinpad_adapter_ops VTK_OPS = {
	.open = c_open, .close = c_close, .desc = c_desc, .health = c_health,
	.authorize = c_authorize, .cancel = c_cancel, .confirm = c_confirm, .void_auth = c_void,
	.status = c_status, .reconcile = c_reconcile, .free = c_free,
};

struct pinpad_adapter *vtk_client_adapter(struct transport *t, enum vtk_link link,
					  struct store *store, int ms_per_s)
{
	if (!t || !store)
		return NULL;
	struct vtk_client *c = xcalloc(1, sizeof *c);
	vtk_conn_init(&c->conn, t, link, ms_per_s);
	c->store = store;
	snprintf(c->desc, sizeof c->desc, "vtk %s", t->desc);
	struct pinpad_adapter *a = xcalloc(1, sizeof *a);
	a->ops = &VTK_OPS;
	a->impl = c;
	a->protocol = "vtk";
	return a;
}
