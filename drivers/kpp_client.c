/* KPP/1 host side: see kpp_client.h. */
#include "drivers/kpp_client.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "drivers/kpp_link.h"
#include "kiosk/base/log.h"
#include "kiosk/base/xalloc.h"

#define POLL_SLICE_MS 50

struct kpp_client {
	struct transport *t;
	struct kpp_timeouts to;
	struct kpp_link link;
	bool open;
	pthread_mutex_t mu;       /* guards op_online / cancel state against kpp_client_cancel */
	bool op_running, op_online;
	atomic_bool cancel_req;
	char op_txn_id[KPP_TXN_ID_MAX + 1];
	uint8_t wbuf[KPP_LINK_OUT_MAX];
	uint8_t rbuf[2048];
	/* The message deliver() decodes into and each request kind's own (a sale's callback
	 * may ask for a status meanwhile).  Here, not thread-local: TLS is set up, and made
	 * resident, in every thread of the process. */
	struct kpp_msg rx, rq_simple, rq_sale, rq_void, rq_reconcile;
};

/* What one transaction is waiting for; deliver() fills it. */
struct op {
	struct kpp_client *c;
	uint8_t want;             /* response code */
	const char *txn_id;       /* a response naming another txn is stale */
	bool online;
	kpp_event_fn cb;
	void *ctx;
	struct kpp_msg *ret;
	bool done;
	int64_t last_rx;
	int64_t now;
};

void kpp_timeouts_default(struct kpp_timeouts *t)
{
	t->t_ack_ms = KPP_T_ACK_MS;
	t->max_retx = KPP_MAX_RETX;
	t->t_byte_ms = KPP_T_BYTE_MS;
	t->t_resp_ms = 5000;
	t->silence_ms = 15000;
	t->online_extra_ms = 120000;
	t->ms_per_s = 1000;
	t->mono_ms = NULL;
}

const char *kpp_client_strerror(int rc)
{
	switch (rc) {
	case KPP_OK: return "ok";
	case KPP_ETIMEDOUT: return "no response from PIN-pad";
	case KPP_EUNKNOWN: return "outcome unknown";
	case KPP_ELINK: return "PIN-pad link down";
	case KPP_EGONE: return "PIN-pad gone";
	case KPP_EIO: return "PIN-pad I/O error";
	case KPP_EPROTO: return "bad request";
	case KPP_EBUSY: return "another PIN-pad operation is running";
	default: return "unknown error";
	}
}

static int64_t machine_mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct kpp_client *kpp_client_new(struct transport *t, const struct kpp_timeouts *to)
{
	if (!t)
		return NULL;
	struct kpp_client *c = xcalloc(1, sizeof *c);
	c->t = t;
	if (to)
		c->to = *to;
	else
		kpp_timeouts_default(&c->to);
	if (!c->to.mono_ms)
		c->to.mono_ms = machine_mono_ms;
	pthread_mutex_init(&c->mu, NULL);
	kpp_link_init(&c->link);
	return c;
}

void kpp_client_free(struct kpp_client *c)
{
	if (!c)
		return;
	kpp_client_close(c);
	transport_destroy(c->t);
	pthread_mutex_destroy(&c->mu);
	free(c);
}

static void link_setup(struct kpp_client *c)
{
	kpp_link_reset(&c->link);
	c->link.n_retx = c->link.n_dup = c->link.n_nak_sent = c->link.n_out_dropped = 0;
	c->link.t_ack_ms = c->to.t_ack_ms;
	c->link.max_retx = c->to.max_retx;
	c->link.dec.t_byte_ms = c->to.t_byte_ms;
}

static int map_transport(int rc)
{
	return rc == TRANSPORT_EGONE || rc == TRANSPORT_ENODEV ? KPP_EGONE : KPP_EIO;
}

int kpp_client_open(struct kpp_client *c)
{
	int rc = transport_open(c->t);
	if (rc != 0) {
		log_warn("kpp", "open_failed", "dev=%s err=%s", c->t->desc, transport_strerror(rc));
		return map_transport(rc);
	}
	link_setup(c);
	c->open = true;
	return KPP_OK;
}

void kpp_client_close(struct kpp_client *c)
{
	if (c->open)
		transport_close(c->t);
	c->open = false;
}

const char *kpp_client_desc(const struct kpp_client *c) { return c->t->desc; }

void kpp_client_link_stats(const struct kpp_client *c, uint32_t *ret_retx, uint32_t *ret_dup,
			   uint32_t *ret_nak)
{
	*ret_retx = c->link.n_retx;
	*ret_dup = c->link.n_dup;
	*ret_nak = c->link.n_nak_sent;
}

static void log_frame(const char *dir, const struct kpp_msg *m)
{
	if (!log_enabled(LOG_LVL_DEBUG))
		return;
	char buf[512];
	log_debug("kpp", "frame", "dir=%s %s", dir, kpp_msg_describe(m, buf, sizeof buf));
}

static int flush(struct kpp_client *c)
{
	size_t n;
	while ((n = kpp_link_take_output(&c->link, c->wbuf, sizeof c->wbuf)) > 0) {
		int rc = transport_write(c->t, c->wbuf, n, c->to.t_ack_ms);
		if (rc == TRANSPORT_ETIMEDOUT)
			continue; /* the retransmission timer covers a frame that did not go out */
		if (rc < 0)
			return map_transport(rc);
	}
	return KPP_OK;
}

static void deliver(void *ctx, const uint8_t *p, size_t n)
{
	struct op *op = ctx;
	struct kpp_msg *m = &op->c->rx;
	if (kpp_msg_decode(p, n, m) != KPP_MSG_OK) {
		log_warn("kpp", "bad_message", "code=0x%02x len=%zu", n ? p[0] : 0, n);
		return;
	}
	log_frame("rx", m);
	if (op->online)
		op->last_rx = op->now; /* any DATA from the terminal shows it is alive */
	if (m->code == KPP_MSG_EVENT || m->code == (KPP_MSG_CANCEL | KPP_MSG_RESP)) {
		if (op->cb && op->online)
			op->cb(op->ctx, m);
		return;
	}
	if (op->done || m->code != op->want)
		return; /* a late answer to an earlier request */
	if (op->txn_id && kpp_msg_has(m, KPP_TAG_TXN_ID) && strcmp(m->txn_id, op->txn_id) != 0)
		return;
	*op->ret = *m;
	op->done = true;
}

/* Reads whatever arrives within wait_ms and runs the link on it. */
static int pump(struct kpp_client *c, struct op *op, int wait_ms)
{
	int n = transport_read(c->t, c->rbuf, sizeof c->rbuf, wait_ms < 0 ? 0 : wait_ms);
	op->now = c->to.mono_ms();
	if (n < 0)
		return map_transport(n);
	if (n > 0)
		kpp_link_input(&c->link, c->rbuf, (size_t)n, op->now, deliver, op);
	kpp_link_tick(&c->link, op->now);
	return flush(c);
}

static int send_payload(struct kpp_client *c, struct op *op, const struct kpp_msg *m)
{
	uint8_t p[KPP_MAX_PAYLOAD];
	int n = kpp_msg_encode(m, p, sizeof p);
	if (n < 0)
		return KPP_EPROTO;
	/* A frame from before (a CANCEL, a timed-out request) may still await its ACK. */
	int64_t until = c->to.mono_ms() + (int64_t)c->to.t_ack_ms * (c->to.max_retx + 1);
	while (kpp_link_busy(&c->link) && c->to.mono_ms() < until) {
		int rc = pump(c, op, POLL_SLICE_MS);
		if (rc)
			return rc;
	}
	if (kpp_link_is_down(&c->link))
		return KPP_ELINK;
	if (kpp_link_send(&c->link, p, (size_t)n, c->to.mono_ms()) != 0)
		return KPP_ELINK;
	log_frame("tx", m);
	return flush(c);
}

static int transact(struct kpp_client *c, const struct kpp_msg *rq, int64_t total_ms,
		    kpp_event_fn cb, void *ctx, struct kpp_msg *ret)
{
	if (!c->open)
		return KPP_EGONE;
	bool online = total_ms > 0;
	pthread_mutex_lock(&c->mu);
	if (c->op_running) {
		pthread_mutex_unlock(&c->mu);
		return KPP_EBUSY;
	}
	c->op_running = true;
	c->op_online = online;
	atomic_store(&c->cancel_req, false);
	snprintf(c->op_txn_id, sizeof c->op_txn_id, "%s", kpp_msg_has(rq, KPP_TAG_TXN_ID) ? rq->txn_id : "");
	pthread_mutex_unlock(&c->mu);

	struct op op = {
		.c = c, .want = (uint8_t)(rq->code | KPP_MSG_RESP), .online = online, .cb = cb,
		.ctx = ctx, .ret = ret, .now = c->to.mono_ms(),
		.txn_id = kpp_msg_has(rq, KPP_TAG_TXN_ID) ? rq->txn_id : NULL,
	};
	bool cancel_sent = false;
	int rc = send_payload(c, &op, rq);
	int64_t start = c->to.mono_ms();
	op.last_rx = start;
	while (rc == KPP_OK && !op.done) {
		int64_t now = c->to.mono_ms();
		if (kpp_link_is_down(&c->link)) {
			rc = KPP_ELINK;
			break;
		}
		int64_t deadline = online ? op.last_rx + c->to.silence_ms : start + c->to.t_resp_ms;
		if (online && start + total_ms < deadline)
			deadline = start + total_ms;
		if (now >= deadline) {
			rc = online ? KPP_EUNKNOWN : KPP_ETIMEDOUT;
			break;
		}
		if (online && !cancel_sent && atomic_load(&c->cancel_req) && !kpp_link_busy(&c->link)) {
			struct kpp_msg cm;
			kpp_msg_init(&cm, KPP_MSG_CANCEL);
			kpp_msg_set(&cm, KPP_TAG_ORIG_TXN_ID, rq->txn_id);
			cancel_sent = true;
			rc = send_payload(c, &op, &cm);
			continue;
		}
		int64_t wake = deadline;
		int64_t ld = kpp_link_next_deadline(&c->link);
		if (ld < wake)
			wake = ld;
		int64_t wait = wake - now;
		if (wait > POLL_SLICE_MS)
			wait = POLL_SLICE_MS;
		rc = pump(c, &op, (int)wait);
	}
	if (rc != KPP_OK)
		log_warn("kpp", "op_failed", "msg=%s err=%s", kpp_msg_name(rq->code), kpp_client_strerror(rc));
	pthread_mutex_lock(&c->mu);
	c->op_running = false;
	c->op_online = false;
	pthread_mutex_unlock(&c->mu);
	return rc;
}

int kpp_client_cancel(struct kpp_client *c)
{
	pthread_mutex_lock(&c->mu);
	bool ok = c->op_running && c->op_online && c->op_txn_id[0];
	if (ok)
		atomic_store(&c->cancel_req, true);
	pthread_mutex_unlock(&c->mu);
	return ok ? 0 : -1;
}

static int simple(struct kpp_client *c, uint8_t code, enum kpp_tag tag, const char *v,
		  struct kpp_msg *ret)
{
	struct kpp_msg *rq = &c->rq_simple;
	kpp_msg_init(rq, code);
	if (v && kpp_msg_set(rq, tag, v) != KPP_MSG_OK)
		return KPP_EPROTO;
	return transact(c, rq, 0, NULL, NULL, ret);
}

int kpp_client_hello(struct kpp_client *c, struct kpp_msg *ret)
{
	return simple(c, KPP_MSG_HELLO, 0, NULL, ret);
}

int kpp_client_status(struct kpp_client *c, struct kpp_msg *ret)
{
	return simple(c, KPP_MSG_STATUS, 0, NULL, ret);
}

int kpp_client_confirm(struct kpp_client *c, const char *orig, struct kpp_msg *ret)
{
	if (!orig)
		return KPP_EPROTO;
	return simple(c, KPP_MSG_CONFIRM, KPP_TAG_ORIG_TXN_ID, orig, ret);
}

int kpp_client_txn_status(struct kpp_client *c, const char *txn_id, struct kpp_msg *ret)
{
	return simple(c, KPP_MSG_TXN_STATUS, KPP_TAG_TXN_ID, txn_id, ret);
}

static int64_t online_total(const struct kpp_client *c, int timeout_s)
{
	return (int64_t)(timeout_s > 0 ? timeout_s : 60) * c->to.ms_per_s + c->to.online_extra_ms;
}

int kpp_client_sale(struct kpp_client *c, const struct kpp_sale_req *r, kpp_event_fn cb,
		    void *ctx, struct kpp_msg *ret)
{
	struct kpp_msg *rq = &c->rq_sale;
	char buf[24];
	if (!r || !r->txn_id || r->amount <= 0 || r->amount > 999999999999LL)
		return KPP_EPROTO;
	kpp_msg_init(rq, KPP_MSG_SALE);
	int bad = kpp_msg_set(rq, KPP_TAG_TXN_ID, r->txn_id);
	snprintf(buf, sizeof buf, "%lld", (long long)r->amount);
	bad |= kpp_msg_set(rq, KPP_TAG_AMOUNT, buf);
	bad |= kpp_msg_set(rq, KPP_TAG_CURRENCY, r->currency ? r->currency : "643");
	if (r->order_ref)
		bad |= kpp_msg_set(rq, KPP_TAG_ORDER_REF, r->order_ref);
	snprintf(buf, sizeof buf, "%d", r->timeout_s > 0 ? r->timeout_s : 60);
	bad |= kpp_msg_set(rq, KPP_TAG_TIMEOUT_S, buf);
	if (r->confirm_timeout_s > 0) {
		snprintf(buf, sizeof buf, "%d", r->confirm_timeout_s);
		bad |= kpp_msg_set(rq, KPP_TAG_CONFIRM_TIMEOUT_S, buf);
	}
	if (bad)
		return KPP_EPROTO;
	return transact(c, rq, online_total(c, r->timeout_s), cb, ctx, ret);
}

int kpp_client_void(struct kpp_client *c, const char *txn_id, const char *orig,
		    kpp_event_fn cb, void *ctx, struct kpp_msg *ret)
{
	struct kpp_msg *rq = &c->rq_void;
	kpp_msg_init(rq, KPP_MSG_VOID);
	if (!txn_id || !orig || kpp_msg_set(rq, KPP_TAG_TXN_ID, txn_id) ||
	    kpp_msg_set(rq, KPP_TAG_ORIG_TXN_ID, orig))
		return KPP_EPROTO;
	return transact(c, rq, online_total(c, 60), cb, ctx, ret);
}

int kpp_client_reconcile(struct kpp_client *c, const char *txn_id, kpp_event_fn cb, void *ctx,
			 struct kpp_msg *ret)
{
	struct kpp_msg *rq = &c->rq_reconcile;
	kpp_msg_init(rq, KPP_MSG_RECONCILE);
	if (!txn_id || kpp_msg_set(rq, KPP_TAG_TXN_ID, txn_id))
		return KPP_EPROTO;
	return transact(c, rq, online_total(c, 60), cb, ctx, ret);
}
