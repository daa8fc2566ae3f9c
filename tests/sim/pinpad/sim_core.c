/* The simulated KPP/1 terminal: see sim_core.h (its wire output: sim_wire.c; its knobs and
 * store file: sim_knobs.c). */
#include "tests/sim/pinpad/sim_core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIM_TID "12345678"
#define SIM_MID "SIM000000000001"

static bool rx_filter(void *ctx, const struct kpp_frame *f)
{
	struct sim_core *s = ctx;
	if (f->kind == KPP_KIND_ACK && s->k.ignore_ack > 0 && --s->k.ignore_ack == 0) {
		s->n_dropped++;
		return false;
	}
	return true;
}

void sim_core_init(struct sim_core *s)
{
	memset(s, 0, sizeof *s);
	sim_knobs_defaults(&s->k);
	kpp_link_init(&s->link);
	s->link.hello_resets = true;
	s->link.emit = sim_core_emit;
	s->link.emit_ctx = s;
	s->link.rx_filter = rx_filter;
	s->last_fin = -1;
	s->batch_no = 1;
}

/* ---------------------------------------------------------------- app queue */

static void pump(struct sim_core *s)
{
	while (s->appq_n && !kpp_link_busy(&s->link)) {
		if (kpp_link_is_down(&s->link))
			kpp_link_reset(&s->link); /* the host will HELLO; keep listening */
		kpp_link_send(&s->link, s->appq[0], s->appq_len[0], s->now);
		memmove(s->appq, s->appq + 1, (size_t)(s->appq_n - 1) * sizeof s->appq[0]);
		memmove(s->appq_len, s->appq_len + 1, (size_t)(s->appq_n - 1) * sizeof s->appq_len[0]);
		s->appq_n--;
	}
}

static void queue_msg(struct sim_core *s, const struct kpp_msg *m)
{
	if (s->appq_n == SIM_APPQ_MAX) {
		s->n_dropped++;
		return;
	}
	int n = kpp_msg_encode(m, s->appq[s->appq_n], KPP_MAX_PAYLOAD);
	if (n < 0)
		return;
	s->appq_len[s->appq_n++] = (uint16_t)n;
	pump(s);
}

/* ---------------------------------------------------------------- transactions */

static struct sim_txn *txn_at(struct sim_core *s, int idx) { return &s->txns[idx]; }

static int txn_find(const struct sim_core *s, const char *id)
{
	for (int i = 0; i < s->ntxn; i++) {
		int idx = (s->txn_head + SIM_TXN_MAX - 1 - i) % SIM_TXN_MAX;
		if (strcmp(s->txns[idx].txn_id, id) == 0)
			return idx;
	}
	return -1;
}

const struct sim_txn *sim_core_find(const struct sim_core *s, const char *txn_id)
{
	int i = txn_find(s, txn_id);
	return i < 0 ? NULL : &s->txns[i];
}

static int txn_new(struct sim_core *s, const char *id, uint8_t type)
{
	int idx = s->txn_head;
	if (s->last_fin == idx)
		s->last_fin = -1;
	s->txn_head = (s->txn_head + 1) % SIM_TXN_MAX;
	if (s->ntxn < SIM_TXN_MAX)
		s->ntxn++;
	struct sim_txn *t = txn_at(s, idx);
	memset(t, 0, sizeof *t);
	snprintf(t->txn_id, sizeof t->txn_id, "%s", id);
	t->type = type;
	t->state = KPP_TS_IN_PROGRESS;
	s->dirty = true;
	return idx;
}

static void txn_store(struct sim_core *s, int idx, const struct kpp_msg *m)
{
	struct sim_txn *t = txn_at(s, idx);
	int n = kpp_msg_encode(m, t->resp, sizeof t->resp);
	t->resp_len = (uint16_t)(n > 0 ? n : 0);
	s->dirty = true;
}

/* The stored fields of a txn as message `code` with RESULT result and the current state. */
static void txn_reply(struct sim_core *s, int idx, uint8_t code, uint8_t result)
{
	struct kpp_msg m;
	struct sim_txn *t = txn_at(s, idx);
	if (kpp_msg_decode(t->resp, t->resp_len, &m) != KPP_MSG_OK)
		kpp_msg_init(&m, code);
	m.code = code;
	kpp_msg_set_u8(&m, KPP_TAG_RESULT, result);
	kpp_msg_set_u8(&m, KPP_TAG_TXN_STATE, t->state);
	kpp_msg_set(&m, KPP_TAG_TXN_ID, t->txn_id);
	queue_msg(s, &m);
}

static void reply_result(struct sim_core *s, uint8_t code, uint8_t result, const char *text)
{
	struct kpp_msg m;
	kpp_msg_init(&m, code);
	kpp_msg_set_u8(&m, KPP_TAG_RESULT, result);
	if (text)
		kpp_msg_set(&m, KPP_TAG_MESSAGE_TEXT, text);
	queue_msg(s, &m);
}

static void terminal_dt(int64_t now, char out[15])
{
	/* A fixed date plus the clock's seconds: deterministic enough, and 14 digits. */
	unsigned sec = (unsigned)((now / 1000) % 86400);
	char buf[32];
	snprintf(buf, sizeof buf, "20260101%02u%02u%02u", sec / 3600 % 24, sec / 60 % 60, sec % 60);
	memcpy(out, buf, 15);
}

/* Ends the running operation with result/state, storing then (unless lost) sending. */
static void finish(struct sim_core *s, uint8_t result, uint8_t state)
{
	int idx = s->run_idx;
	struct sim_txn *t = txn_at(s, idx);
	struct kpp_msg m;
	char buf[64], dt[15];
	if (kpp_msg_decode(t->resp, t->resp_len, &m) != KPP_MSG_OK)
		kpp_msg_init(&m, (uint8_t)(t->type | KPP_MSG_RESP));
	kpp_msg_set_u8(&m, KPP_TAG_RESULT, result);
	terminal_dt(s->now, dt);
	kpp_msg_set(&m, KPP_TAG_TERMINAL_DT, dt);
	kpp_msg_set(&m, KPP_TAG_TID, SIM_TID);
	if (result == KPP_RES_OK && t->type != KPP_MSG_RECONCILE) {
		s->stan++;
		snprintf(buf, sizeof buf, "%06u", s->stan % 1000000);
		kpp_msg_set(&m, KPP_TAG_STAN, buf);
		snprintf(buf, sizeof buf, "A%05u", s->stan % 100000);
		kpp_msg_set(&m, KPP_TAG_AUTH_CODE, buf);
		snprintf(buf, sizeof buf, "%012u", 415600000u + s->stan);
		kpp_msg_set(&m, KPP_TAG_RRN, buf);
		kpp_msg_set(&m, KPP_TAG_HOST_RC, "00");
		kpp_msg_set(&m, KPP_TAG_MASKED_PAN, "220220******1234");
		kpp_msg_set(&m, KPP_TAG_SCHEME, "MIR");
		kpp_msg_set(&m, KPP_TAG_AID, "A0000006581010");
		kpp_msg_set(&m, KPP_TAG_MID, SIM_MID);
		snprintf(buf, sizeof buf, "%u", s->batch_no);
		kpp_msg_set(&m, KPP_TAG_BATCH_NO, buf);
		kpp_msg_set_u8(&m, KPP_TAG_ENTRY_MODE, 2);
		kpp_msg_set_u8(&m, KPP_TAG_CVM, 0);
		kpp_msg_set(&m, KPP_TAG_MESSAGE_TEXT, "ОДОБРЕНО");
		char slip[512];
		snprintf(slip, sizeof slip,
			 "ПИН-ПАД СИМУЛЯТОР\nТЕРМИНАЛ %s\n%s %s\nСУММА (коп.): %s\nКАРТА: MIR 220220******1234\n"
			 "КОД АВТ.: %s  RRN: %s\nОДОБРЕНО\n",
			 SIM_TID, t->type == KPP_MSG_VOID ? "ОТМЕНА" : "ОПЛАТА", dt,
			 m.amount[0] ? m.amount : "0", m.auth_code, m.rrn);
		kpp_msg_set(&m, KPP_TAG_RECEIPT_TEXT, slip);
	} else if (result == KPP_RES_DECLINED) {
		kpp_msg_set(&m, KPP_TAG_HOST_RC, s->k.decline_rc);
		kpp_msg_set(&m, KPP_TAG_MESSAGE_TEXT, "ОТКАЗ");
		kpp_msg_set(&m, KPP_TAG_RECEIPT_TEXT, "ПИН-ПАД СИМУЛЯТОР\nОТКАЗ\n");
	} else if (result == KPP_RES_TIMEOUT) {
		kpp_msg_set(&m, KPP_TAG_MESSAGE_TEXT, "Карта не предъявлена");
	} else if (result == KPP_RES_CANCELLED) {
		kpp_msg_set(&m, KPP_TAG_MESSAGE_TEXT, "Отменено");
	}
	t->state = state;
	if (state == KPP_TS_APPROVED_PENDING_CONFIRM)
		t->confirm_deadline_ms = s->now + t->confirm_deadline_ms; /* held the timeout */
	if (t->type == KPP_MSG_VOID && result == KPP_RES_OK) {
		int o = txn_find(s, s->run_orig);
		if (o >= 0)
			s->txns[o].state = KPP_TS_REVERSED;
	}
	kpp_msg_set_u8(&m, KPP_TAG_TXN_STATE, t->type == KPP_MSG_VOID && result == KPP_RES_OK ?
		       KPP_TS_REVERSED : state);
	txn_store(s, idx, &m); /* persisted before it is sent (docs/kpp1.md, Terminal rules) */
	s->running = false;
	if (result == KPP_RES_OK && (s->k.reboot || s->k.power_cycle)) {
		s->hung_up = s->k.power_cycle;
		s->k.reboot = false;
		s->k.power_cycle = false;
		s->n_reboots++;
		s->dead_until = s->now + s->k.reboot_ms;
		s->appq_n = 0;
		s->out_len = 0;
		s->nbounds = 0;
		kpp_link_reset(&s->link);
		return;
	}
	if (s->k.drop_resp) {
		s->k.drop_resp = false;
		s->n_dropped++;
		return;
	}
	queue_msg(s, &m);
}

static void send_event(struct sim_core *s, uint8_t code)
{
	struct kpp_msg m;
	kpp_msg_init(&m, KPP_MSG_EVENT);
	kpp_msg_set_u8(&m, KPP_TAG_EVENT_CODE, code);
	kpp_msg_set(&m, KPP_TAG_CURRENT_TXN_ID, s->txns[s->run_idx].txn_id);
	/* keepalives only when the queue is empty, so they never delay a response */
	if (code == KPP_EV_KEEPALIVE && s->appq_n)
		return;
	queue_msg(s, &m);
}

static void start_online(struct sim_core *s, int idx, int delay_ms)
{
	s->running = true;
	s->run_idx = idx;
	s->run_step = 0;
	s->run_cancel_req = false;
	s->run_result_at = s->now + delay_ms;
	s->run_next_event_at = s->now;
}

static void run_tick(struct sim_core *s)
{
	if (!s->running)
		return;
	struct sim_txn *t = txn_at(s, s->run_idx);
	if (s->run_cancel_req) {
		finish(s, KPP_RES_CANCELLED, KPP_TS_CANCELLED);
		return;
	}
	if (t->type == KPP_MSG_SALE && s->k.outcome == SIM_CANCEL &&
	    s->run_step >= s->k.cancel_step) {
		finish(s, KPP_RES_CANCELLED, KPP_TS_CANCELLED);
		return;
	}
	if (s->now >= s->run_result_at) {
		if (t->type != KPP_MSG_SALE || s->k.outcome == SIM_APPROVE ||
		    s->k.outcome == SIM_CANCEL)
			finish(s, KPP_RES_OK, t->type == KPP_MSG_SALE ? KPP_TS_APPROVED_PENDING_CONFIRM :
			       KPP_TS_APPROVED_CONFIRMED);
		else if (s->k.outcome == SIM_DECLINE)
			finish(s, KPP_RES_DECLINED, KPP_TS_DECLINED);
		else
			finish(s, KPP_RES_TIMEOUT, KPP_TS_CANCELLED);
		return;
	}
	if (s->now >= s->run_next_event_at) {
		s->run_next_event_at = s->now + s->k.event_ms;
		if (s->run_step < KPP_EV_KEEPALIVE)
			s->run_step++;
		if (s->run_step == KPP_EV_REMOVE_CARD)
			s->run_step = KPP_EV_KEEPALIVE;
		if (!s->k.silent)
			send_event(s, (uint8_t)s->run_step);
	}
}

static void auto_reverse(struct sim_core *s)
{
	for (int i = 0; i < s->ntxn; i++) {
		struct sim_txn *t = &s->txns[(s->txn_head + SIM_TXN_MAX - 1 - i) % SIM_TXN_MAX];
		if (t->state == KPP_TS_APPROVED_PENDING_CONFIRM && s->now >= t->confirm_deadline_ms &&
		    !(s->running && t == txn_at(s, s->run_idx))) {
			t->state = KPP_TS_REVERSED_AUTO;
			s->dirty = true;
		}
	}
}

/* ---------------------------------------------------------------- requests */

static bool financial_refused(struct sim_core *s, uint8_t resp)
{
	if (s->running || s->k.busy > 0) {
		if (s->k.busy > 0)
			s->k.busy--;
		reply_result(s, resp, KPP_RES_BUSY, "Терминал занят");
		return true;
	}
	return false;
}

static void on_sale(struct sim_core *s, const struct kpp_msg *rq)
{
	uint8_t resp = (uint8_t)(rq->code | KPP_MSG_RESP);
	if (!kpp_msg_has(rq, KPP_TAG_TXN_ID) || !kpp_msg_has(rq, KPP_TAG_AMOUNT) ||
	    !kpp_msg_has(rq, KPP_TAG_CURRENCY)) {
		reply_result(s, resp, KPP_RES_BAD_REQUEST, "TXN_ID, AMOUNT, CURRENCY required");
		return;
	}
	int dup = txn_find(s, rq->txn_id);
	if (dup >= 0) {
		txn_reply(s, dup, resp, KPP_RES_DUPLICATE);
		return;
	}
	if (financial_refused(s, resp))
		return;
	int idx = txn_new(s, rq->txn_id, KPP_MSG_SALE);
	struct kpp_msg m;
	kpp_msg_init(&m, resp);
	kpp_msg_set(&m, KPP_TAG_TXN_ID, rq->txn_id);
	kpp_msg_set(&m, KPP_TAG_AMOUNT, rq->amount);
	kpp_msg_set(&m, KPP_TAG_CURRENCY, rq->currency);
	if (kpp_msg_has(rq, KPP_TAG_ORDER_REF))
		kpp_msg_set(&m, KPP_TAG_ORDER_REF, rq->order_ref);
	txn_store(s, idx, &m);
	long cts = kpp_msg_has(rq, KPP_TAG_CONFIRM_TIMEOUT_S) ? atol(rq->confirm_timeout_s) : 300;
	/* confirm_deadline_ms holds the timeout until the approval turns it into a time */
	txn_at(s, idx)->confirm_deadline_ms = s->k.confirm_timeout_ms > 0 ?
		s->k.confirm_timeout_ms : (int64_t)cts * 1000;
	s->last_fin = idx;
	s->n_sales++;
	start_online(s, idx, s->k.delay_ms);
}

static void on_void(struct sim_core *s, const struct kpp_msg *rq)
{
	uint8_t resp = KPP_MSG_VOID | KPP_MSG_RESP;
	if (!kpp_msg_has(rq, KPP_TAG_TXN_ID) || !kpp_msg_has(rq, KPP_TAG_ORIG_TXN_ID)) {
		reply_result(s, resp, KPP_RES_BAD_REQUEST, "TXN_ID, ORIG_TXN_ID required");
		return;
	}
	int dup = txn_find(s, rq->txn_id);
	if (dup >= 0) {
		txn_reply(s, dup, resp, KPP_RES_DUPLICATE);
		return;
	}
	int o = txn_find(s, rq->orig_txn_id);
	if (o < 0) {
		reply_result(s, resp, KPP_RES_UNKNOWN_TXN, NULL);
		return;
	}
	uint8_t ost = s->txns[o].state;
	if (ost != KPP_TS_APPROVED_PENDING_CONFIRM && ost != KPP_TS_APPROVED_CONFIRMED) {
		struct kpp_msg m;
		kpp_msg_init(&m, resp);
		kpp_msg_set_u8(&m, KPP_TAG_RESULT, KPP_RES_BAD_REQUEST);
		kpp_msg_set_u8(&m, KPP_TAG_TXN_STATE, ost);
		kpp_msg_set(&m, KPP_TAG_ORIG_TXN_ID, rq->orig_txn_id);
		queue_msg(s, &m);
		return;
	}
	if (financial_refused(s, resp))
		return;
	struct kpp_msg orig, m;
	if (kpp_msg_decode(s->txns[o].resp, s->txns[o].resp_len, &orig) != KPP_MSG_OK)
		kpp_msg_init(&orig, 0);
	int idx = txn_new(s, rq->txn_id, KPP_MSG_VOID);
	kpp_msg_init(&m, resp);
	kpp_msg_set(&m, KPP_TAG_TXN_ID, rq->txn_id);
	kpp_msg_set(&m, KPP_TAG_ORIG_TXN_ID, rq->orig_txn_id);
	if (orig.amount[0])
		kpp_msg_set(&m, KPP_TAG_AMOUNT, orig.amount);
	if (orig.currency[0])
		kpp_msg_set(&m, KPP_TAG_CURRENCY, orig.currency);
	txn_store(s, idx, &m);
	snprintf(s->run_orig, sizeof s->run_orig, "%s", rq->orig_txn_id);
	s->last_fin = idx;
	start_online(s, idx, s->k.delay_ms / 2);
}

static void on_reconcile(struct sim_core *s, const struct kpp_msg *rq)
{
	uint8_t resp = KPP_MSG_RECONCILE | KPP_MSG_RESP;
	if (!kpp_msg_has(rq, KPP_TAG_TXN_ID)) {
		reply_result(s, resp, KPP_RES_BAD_REQUEST, "TXN_ID required");
		return;
	}
	int dup = txn_find(s, rq->txn_id);
	if (dup >= 0) {
		txn_reply(s, dup, resp, KPP_RES_DUPLICATE);
		return;
	}
	if (financial_refused(s, resp))
		return;
	/* pending sales are reversed before the batch closes (docs/kpp1.md, Two-phase sale);
	 * then the totals */
	int64_t sum = 0;
	int count = 0;
	for (int i = 0; i < s->ntxn; i++) {
		struct sim_txn *t = &s->txns[(s->txn_head + SIM_TXN_MAX - 1 - i) % SIM_TXN_MAX];
		if (t->state == KPP_TS_APPROVED_PENDING_CONFIRM)
			t->state = KPP_TS_REVERSED_AUTO;
		if (t->type == KPP_MSG_SALE && t->state == KPP_TS_APPROVED_CONFIRMED) {
			struct kpp_msg m;
			int64_t a;
			if (kpp_msg_decode(t->resp, t->resp_len, &m) == KPP_MSG_OK && kpp_msg_amount(&m, &a)) {
				sum += a;
				count++;
			}
		}
	}
	int idx = txn_new(s, rq->txn_id, KPP_MSG_RECONCILE);
	struct kpp_msg m;
	char buf[128], dt[15];
	kpp_msg_init(&m, resp);
	kpp_msg_set_u8(&m, KPP_TAG_RESULT, KPP_RES_OK);
	kpp_msg_set(&m, KPP_TAG_TXN_ID, rq->txn_id);
	snprintf(buf, sizeof buf, "%u", s->batch_no);
	kpp_msg_set(&m, KPP_TAG_BATCH_NO, buf);
	snprintf(buf, sizeof buf, "MIR;643;%d;%lld;sale\n", count, (long long)sum);
	kpp_msg_set(&m, KPP_TAG_TOTALS, buf);
	snprintf(buf, sizeof buf, "СВЕРКА ИТОГОВ\nПАКЕТ %u\nОПЛАТ: %d\n", s->batch_no, count);
	kpp_msg_set(&m, KPP_TAG_RECEIPT_TEXT, buf);
	terminal_dt(s->now, dt);
	kpp_msg_set(&m, KPP_TAG_TERMINAL_DT, dt);
	txn_store(s, idx, &m);
	s->batch_no++;
	s->txns[idx].state = KPP_TS_APPROVED_CONFIRMED;
	queue_msg(s, &m);
}

static void on_cancel(struct sim_core *s, const struct kpp_msg *rq)
{
	uint8_t resp = KPP_MSG_CANCEL | KPP_MSG_RESP;
	s->n_cancels++;
	if (!s->running || !kpp_msg_has(rq, KPP_TAG_ORIG_TXN_ID) ||
	    strcmp(rq->orig_txn_id, s->txns[s->run_idx].txn_id) != 0) {
		reply_result(s, resp, KPP_RES_UNKNOWN_TXN, NULL);
		return;
	}
	if (s->k.too_late || s->run_step >= KPP_EV_ONLINE) {
		reply_result(s, resp, KPP_RES_TOO_LATE, "Поздно: авторизация идёт");
		return;
	}
	reply_result(s, resp, KPP_RES_OK, NULL);
	s->run_cancel_req = true;
}

static void on_confirm(struct sim_core *s, const struct kpp_msg *rq)
{
	uint8_t resp = KPP_MSG_CONFIRM | KPP_MSG_RESP;
	int o = kpp_msg_has(rq, KPP_TAG_ORIG_TXN_ID) ? txn_find(s, rq->orig_txn_id) : -1;
	struct kpp_msg m;
	kpp_msg_init(&m, resp);
	if (o < 0) {
		kpp_msg_set_u8(&m, KPP_TAG_RESULT, KPP_RES_UNKNOWN_TXN);
		queue_msg(s, &m);
		return;
	}
	struct sim_txn *t = &s->txns[o];
	uint8_t result = KPP_RES_OK;
	if (t->state == KPP_TS_APPROVED_PENDING_CONFIRM) {
		t->state = KPP_TS_APPROVED_CONFIRMED;
		s->dirty = true;
	} else if (t->state != KPP_TS_APPROVED_CONFIRMED && t->state != KPP_TS_REVERSED_AUTO) {
		result = KPP_RES_BAD_REQUEST;
	}
	kpp_msg_set_u8(&m, KPP_TAG_RESULT, result);
	kpp_msg_set_u8(&m, KPP_TAG_TXN_STATE, t->state);
	kpp_msg_set(&m, KPP_TAG_ORIG_TXN_ID, t->txn_id);
	queue_msg(s, &m);
}

static void on_txn_status(struct sim_core *s, const struct kpp_msg *rq)
{
	uint8_t resp = KPP_MSG_TXN_STATUS | KPP_MSG_RESP;
	if (s->k.status_busy > 0) {
		s->k.status_busy--;
		reply_result(s, resp, KPP_RES_BUSY, NULL);
		return;
	}
	int idx = kpp_msg_has(rq, KPP_TAG_TXN_ID) ? txn_find(s, rq->txn_id) : s->last_fin;
	if (idx < 0) {
		reply_result(s, resp, KPP_RES_UNKNOWN_TXN, NULL);
		return;
	}
	txn_reply(s, idx, resp, KPP_RES_OK);
}

static void on_hello_status(struct sim_core *s, const struct kpp_msg *rq)
{
	struct kpp_msg m;
	kpp_msg_init(&m, (uint8_t)(rq->code | KPP_MSG_RESP));
	kpp_msg_set_u8(&m, KPP_TAG_RESULT, KPP_RES_OK);
	kpp_msg_set_u8(&m, KPP_TAG_TERM_STATE, s->running ? KPP_TERM_BUSY_TXN : KPP_TERM_IDLE);
	int cur = s->running ? s->run_idx : s->last_fin;
	if (cur >= 0) {
		kpp_msg_set(&m, KPP_TAG_CURRENT_TXN_ID, s->txns[cur].txn_id);
		kpp_msg_set_u8(&m, KPP_TAG_TXN_STATE, s->txns[cur].state);
	}
	if (rq->code == KPP_MSG_HELLO) {
		kpp_msg_set(&m, KPP_TAG_TID, SIM_TID);
		kpp_msg_set(&m, KPP_TAG_MID, SIM_MID);
		kpp_msg_set(&m, KPP_TAG_TERM_INFO, "model=kpp-sim\nserial=SIM-0001\nfw=1.0\nproto=KPP/1\n");
	}
	queue_msg(s, &m);
}

static void deliver(void *ctx, const uint8_t *p, size_t n)
{
	struct sim_core *s = ctx;
	struct kpp_msg rq;
	int rc = kpp_msg_decode(p, n, &rq);
	uint8_t resp = (uint8_t)((n ? p[0] : 0) | KPP_MSG_RESP);
	if (rc != KPP_MSG_OK) {
		reply_result(s, resp, KPP_RES_BAD_REQUEST, "malformed TLV");
		return;
	}
	switch (rq.code) {
	case KPP_MSG_HELLO:
		s->appq_n = 0; /* a new session: what was queued for the old one is moot */
		on_hello_status(s, &rq);
		break;
	case KPP_MSG_STATUS: on_hello_status(s, &rq); break;
	case KPP_MSG_SALE: on_sale(s, &rq); break;
	case KPP_MSG_CANCEL: on_cancel(s, &rq); break;
	case KPP_MSG_CONFIRM: on_confirm(s, &rq); break;
	case KPP_MSG_VOID: on_void(s, &rq); break;
	case KPP_MSG_TXN_STATUS: on_txn_status(s, &rq); break;
	case KPP_MSG_RECONCILE: on_reconcile(s, &rq); break;
	default: reply_result(s, resp, KPP_RES_NOT_SUPPORTED, NULL); break;
	}
}

void sim_core_input(struct sim_core *s, const uint8_t *in, size_t n, int64_t now_ms)
{
	s->now = now_ms;
	if (now_ms < s->dead_until)
		return; /* rebooting: the bytes fall on the floor */
	sim_core_tick(s, now_ms); /* timers due before these bytes arrived fire first */
	kpp_link_input(&s->link, in, n, now_ms, deliver, s);
	sim_core_tick(s, now_ms);
}

void sim_core_tick(struct sim_core *s, int64_t now_ms)
{
	s->now = now_ms;
	if (now_ms < s->dead_until)
		return;
	kpp_link_tick(&s->link, now_ms);
	if (kpp_link_is_down(&s->link))
		kpp_link_reset(&s->link);
	run_tick(s);
	auto_reverse(s);
	pump(s);
}

int64_t sim_core_next_deadline(const struct sim_core *s)
{
	int64_t t = kpp_link_next_deadline(&s->link);
	if (s->running) {
		int64_t r = s->run_result_at < s->run_next_event_at ? s->run_result_at : s->run_next_event_at;
		if (r < t)
			t = r;
	}
	if (s->dead_until > s->now && s->dead_until < t)
		t = s->dead_until;
	for (int i = 0; i < s->ntxn; i++) {
		const struct sim_txn *x = &s->txns[i];
		if (x->state == KPP_TS_APPROVED_PENDING_CONFIRM && x->confirm_deadline_ms < t &&
		    !(s->running && i == s->run_idx))
			t = x->confirm_deadline_ms;
	}
	return t;
}
