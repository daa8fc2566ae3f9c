/* The simulated Vendotek terminal: see vtksim.h.  This file is the protocol (IDL/DIS, VRP,
 * FIN, ABR, unsolicited messages, the operation table); vtksim_knobs.c holds the knobs, the
 * state file and the JSON lines. */
#include "tests/sim/pinpad/vtksim.h"

#include <inttypes.h>
#include <string.h>

void vtksim_init(struct vtksim *s, enum vtk_link link)
{
	memset(s, 0, sizeof *s);
	s->link = link;
	vtksim_knobs_defaults(&s->k);
	vtk_decoder_init(&s->dec, link);
	s->running = -1;
}

void vtksim_connected(struct vtksim *s, int64_t now_ms)
{
	vtk_decoder_init(&s->dec, s->link);
	s->state = 0;
	s->nout = 0;
	s->muted = false;
	s->hangup = false;
	s->hangup_after_flush = false;
	s->now = now_ms;
}

const struct vtksim_op *vtksim_find(const struct vtksim *s, uint32_t op)
{
	for (int i = 0; i < s->nops; i++)
		if (s->ops[i].op == op)
			return &s->ops[i];
	return NULL;
}

static struct vtksim_op *find(struct vtksim *s, uint32_t op)
{
	return (struct vtksim_op *)vtksim_find(s, op);
}

/* A new table entry; the oldest finished one makes room when the table is full. */
static struct vtksim_op *add_op(struct vtksim *s)
{
	if (s->nops == VTKSIM_OPS) {
		int victim = 0;
		for (int i = 0; i < s->nops; i++)
			if (s->ops[i].state == VTKSIM_FINISHED || s->ops[i].state == VTKSIM_DECLINED) {
				victim = i;
				break;
			}
		memmove(&s->ops[victim], &s->ops[victim + 1],
			(size_t)(s->nops - victim - 1) * sizeof s->ops[0]);
		s->nops--;
		if (s->running > victim)
			s->running--;
	}
	struct vtksim_op *o = &s->ops[s->nops++];
	memset(o, 0, sizeof *o);
	o->fin_req = -1;
	return o;
}

static const char *receipt_text(int kind, const struct vtksim_op *o, char *buf, size_t cap)
{
	if (kind == 0)
		return NULL;
	int n = snprintf(buf, cap, "RESULT:%s\nPAN:************1234\nAUTH ID:A1B2C3\n"
			 "RRN:%012" PRIu32 "\nTOTAL:%" PRId64 ".%02" PRId64 " RUB",
			 o->approved ? "APPROVED" : "DECLINED", o->op, o->approved / 100,
			 o->approved % 100);
	if (kind >= 2) /* the sample receipt's other keys, to pass 127 bytes */
		n += snprintf(buf + n, cap - (size_t)n, "\nACTION:SALE\nCARD:MIR\nTERMINAL:00000001%s%s",
			      o->rc[0] ? "\nRESPONSE CODE:" : "", o->rc);
	while (kind == 3 && n < 300 && (size_t)n + 40 < cap)
		n += snprintf(buf + n, cap - (size_t)n, "\nTVR:0000008000 AID:A0000006581010");
	return buf;
}

/* Queues one message for the wire, with the once-only garbage and corrupt faults. */
static void send_msg(struct vtksim *s, const struct vtk_msg *m, int64_t not_before)
{
	static uint8_t tlv[VTK_MSG_MAX];
	if (s->muted || s->nout == VTKSIM_OUTQ)
		return;
	int k = vtk_msg_encode(m, tlv, sizeof tlv);
	if (k < 0)
		return;
	struct vtksim_out *q = &s->outq[s->nout];
	size_t at = 0;
	for (; s->k.garbage > 0 && at < 64; s->k.garbage--, at++)
		q->bytes[at] = (uint8_t)(at % 3 ? 0xA5 : VTK_STX); /* stray 1F: the rescan's work */
	s->k.garbage = 0;
	size_t n = vtk_frame_encode(s->link, VTK_DISC_POS, tlv, (size_t)k, q->bytes + at,
				    sizeof q->bytes - at);
	if (n == 0)
		return;
	if (s->k.corrupt > 0 && --s->k.corrupt == 0)
		q->bytes[at + n - 1] ^= 0x5A;
	q->len = at + n;
	q->not_before = not_before;
	s->nout++;
	s->n_frames_out++;
}

static void reply_amount(struct vtksim *s, const char *name, const struct vtksim_op *o,
			 int64_t amount, int64_t not_before)
{
	static struct vtk_msg m;
	char r[1024];
	vtk_msg_init(&m, name);
	vtk_msg_set_num(&m, VTK_T_OP, o->op);
	vtk_msg_set_num(&m, VTK_T_AMOUNT, amount);
	const char *t = receipt_text(o->receipt, o, r, sizeof r);
	if (t && (amount || !strcmp(name, "VRP")))
		vtk_msg_set_text(&m, VTK_T_RECEIPT, t, strlen(t));
	send_msg(s, &m, not_before);
}

/* The once-only link faults: true when the one for `when` fired (the caller sends nothing). */
static bool fault(struct vtksim *s, enum vtksim_when when)
{
	if (s->k.drop == when) {
		s->k.drop = VTKSIM_W_NONE;
		s->hangup = true;
		s->nout = 0;
		return true;
	}
	if (s->k.mute == when) {
		s->k.mute = VTKSIM_W_NONE;
		s->muted = true;
		s->nout = 0;
		return true;
	}
	return false;
}

static void on_idl(struct vtksim *s, const struct vtk_msg *m, bool dis)
{
	s->n_idl++;
	if (s->running >= 0)
		s->n_idl_during_op++;
	if (s->k.idl_ignore)
		return;
	s->state = dis ? 2 : 1;
	if (VTK_HAS(m, VTK_T_EVENT_NO))
		s->last_event = m->event_no; /* echoed: the event is registered */
	if (VTK_HAS(m, VTK_T_LOCAL_TIME))
		snprintf(s->vmc_time, sizeof s->vmc_time, "%s", m->local_time);
	static struct vtk_msg r;
	vtk_msg_init(&r, dis ? "DIS" : "IDL");
	vtk_msg_set_num(&r, VTK_T_OP, s->last_op);
	if (s->k.tk_s > 0)
		vtk_msg_set_num(&r, VTK_T_KEEPALIVE, s->k.tk_s);
	vtk_msg_set_num(&r, VTK_T_TIMEOUT, s->k.to_s);
	vtk_msg_set_num(&r, VTK_T_EVENT_NO, s->last_event);
	if (s->k.mgmt) {
		vtk_msg_set_text(&r, VTK_T_MGMT, &s->k.mgmt, 1);
		s->k.mgmt = 0;
	}
	if (s->k.timereq) {
		vtk_msg_set_text(&r, VTK_T_LOCAL_TIME, "19700101T000000+0300", 20);
		s->k.timereq = false;
	}
	send_msg(s, &r, 0);
}

static void start_dialogue(struct vtksim *s, struct vtksim_op *o)
{
	o->state = VTKSIM_AUTHORIZING;
	o->result[0] = 0;
	o->decide_at = s->now + (s->k.outcome == VTKSIM_NOCARD ? s->k.pos_timeout_ms : s->k.delay_ms);
	s->running = (int)(o - s->ops);
	s->dirty = true;
}

static void on_vrp(struct vtksim *s, const struct vtk_msg *m)
{
	s->n_vrp++;
	if (fault(s, VTKSIM_W_BEFORE_VRP))
		return;
	struct vtksim_op *o = find(s, m->op);
	if (o && o->requested == m->amount) {
		/* a retry: the stored result, or (cut by a restart, repeat_new) a new dialogue */
		if (o->state == VTKSIM_CUT && s->k.repeat_new && s->running < 0)
			start_dialogue(s, o);
		else if (o->state != VTKSIM_AUTHORIZING)
			reply_amount(s, "VRP", o, o->approved, 0);
		return;
	}
	struct vtksim_op tmp = { .op = m->op };
	bool refuse = o || s->state != 1 || s->running >= 0 || !VTK_HAS(m, VTK_T_AMOUNT) ||
		      m->amount <= 0 || m->op <= s->last_op;
	if (refuse) { /* nothing starts: declined, not stored */
		reply_amount(s, "VRP", &tmp, 0, 0);
		return;
	}
	s->last_op = m->op;
	o = add_op(s);
	o->op = m->op;
	o->requested = m->amount;
	o->receipt = s->k.receipt;
	start_dialogue(s, o);
}

/* The customer's decision (or the terminal's timeout) for the running op. */
static void decide(struct vtksim *s, struct vtksim_op *o, bool approve, const char *result)
{
	s->running = -1;
	o->approved = approve ? (s->k.approve_amount > 0 ? s->k.approve_amount : o->requested) : 0;
	o->state = approve ? VTKSIM_APPROVED : VTKSIM_DECLINED;
	o->approved_ms = s->now;
	snprintf(o->result, sizeof o->result, "%s", result);
	/* only the bank answers with a response code: no card or a cancel on the terminal
	 * never reached it */
	snprintf(o->rc, sizeof o->rc, "%s", approve ? "000" : strcmp(result, "declined") == 0 ? s->k.decline_rc : "");
	s->dirty = true;
	if (!approve)
		vtksim_finish(s, o, "");
	if (approve && fault(s, VTKSIM_W_AFTER_APPROVAL))
		return;
	if (s->k.noreply)
		return;
	reply_amount(s, "VRP", o, o->approved, s->now + s->k.late_ms);
	/* after the reply: it still goes out, then the link drops or goes quiet */
	if (s->k.drop == VTKSIM_W_AFTER_VRP_REPLY) {
		s->k.drop = VTKSIM_W_NONE;
		s->hangup_after_flush = true;
	}
	if (s->k.mute == VTKSIM_W_AFTER_VRP_REPLY) {
		s->k.mute = VTKSIM_W_NONE;
		s->muted = true;
	}
}

static void on_abr(struct vtksim *s, const struct vtk_msg *m)
{
	s->n_abr++;
	if (s->running < 0 || (VTK_HAS(m, VTK_T_OP) && s->ops[s->running].op != m->op))
		return;
	struct vtksim_op *o = &s->ops[s->running];
	if (s->k.abr == VTKSIM_ABR_HONOUR)
		decide(s, o, false, "aborted");
	else if (s->k.abr == VTKSIM_ABR_RACE)
		decide(s, o, true, "approved");
}

static void on_fin(struct vtksim *s, const struct vtk_msg *m)
{
	s->n_fin++;
	struct vtksim_op *o = find(s, m->op);
	int64_t want = VTK_HAS(m, VTK_T_AMOUNT) ? m->amount : -1;
	if (!o || o->state == VTKSIM_AUTHORIZING || o->state == VTKSIM_CUT || want < 0) {
		struct vtksim_op tmp = { .op = m->op };
		reply_amount(s, "FIN", o ? o : &tmp, want == 0 ? 1 : 0, 0); /* refused */
		return;
	}
	if (o->state == VTKSIM_DECLINED) {
		reply_amount(s, "FIN", o, 0, 0); /* nothing to finalize: only a void matches */
		return;
	}
	if (o->state == VTKSIM_APPROVED) {
		bool partial = want > 0 && want != o->approved;
		bool refuse = want > o->approved || s->k.fin == VTKSIM_FIN_REFUSE ||
			      (s->k.fin == VTKSIM_FIN_REFUSE_PARTIAL && partial);
		o->fin_req = want;
		o->fin_reply = refuse ? (want ? 0 : o->approved) : want;
		vtksim_finish(s, o, refuse ? "refused" : want ? "completed" : "voided");
	} else if (o->fin_req < 0) {
		/* finished by the FIN-never-arrives policy: the late FIN learns what happened */
		o->fin_req = want;
		o->fin_reply = !strcmp(o->final, "auto_completed") ? o->approved : 0;
		s->dirty = true;
	}
	if (fault(s, VTKSIM_W_BEFORE_FIN_REPLY))
		return;
	reply_amount(s, "FIN", o, o->fin_reply, 0);
}

static void on_message(struct vtksim *s, const struct vtk_msg *m)
{
	if (!strcmp(m->name, "IDL") || !strcmp(m->name, "DIS"))
		on_idl(s, m, m->name[0] == 'D');
	else if (!strcmp(m->name, "VRP"))
		on_vrp(s, m);
	else if (!strcmp(m->name, "FIN"))
		on_fin(s, m);
	else if (!strcmp(m->name, "ABR"))
		on_abr(s, m);
	/* CON answers and anything else: nothing to do */
}

void vtksim_input(struct vtksim *s, const uint8_t *in, size_t n, int64_t now_ms)
{
	static struct vtk_msg m;
	s->now = now_ms;
	size_t used = 0;
	while (used < n) {
		struct vtk_frame f;
		int ev;
		used += vtk_decoder_feed(&s->dec, in + used, n - used, now_ms, &f, &ev);
		if (ev == VTK_DEC_BROKEN) {
			s->hangup = true;
			return;
		}
		if (ev != VTK_DEC_FRAME)
			break;
		if (f.disc != VTK_DISC_VMC || vtk_msg_decode(f.payload, f.len, &m) != VTK_MSG_OK) {
			s->n_bad_msg++;
			continue;
		}
		on_message(s, &m);
	}
	vtksim_tick(s, now_ms);
}

static void unsolicited(struct vtksim *s)
{
	static struct vtk_msg m;
	if (s->k.sta >= 0 && s->state == 1) {
		vtk_msg_init(&m, "STA");
		vtk_msg_set_num(&m, VTK_T_AMOUNT, s->k.sta);
		send_msg(s, &m, 0);
		s->k.sta = -1;
	}
	if (s->k.mfr) {
		vtk_msg_init(&m, "MFR");
		send_msg(s, &m, 0);
		s->k.mfr = false;
	}
	if (s->k.con) {
		static const uint8_t dest[8] = { 0, 127, 0, 0, 1, 0x1F, 0x90, 2 };
		vtk_msg_init(&m, "CON");
		memcpy(m.tcpip, dest, sizeof dest);
		m.tcpip_len = sizeof dest;
		m.present |= 1u << VTK_T_TCPIP;
		send_msg(s, &m, 0);
		s->k.con = false;
	}
}

void vtksim_tick(struct vtksim *s, int64_t now_ms)
{
	s->now = now_ms;
	vtk_decoder_tick(&s->dec, now_ms);
	if (s->running >= 0 && now_ms >= s->ops[s->running].decide_at) {
		struct vtksim_op *o = &s->ops[s->running];
		static const char *results[] = { "approved", "declined", "nocard", "cancelled" };
		decide(s, o, s->k.outcome == VTKSIM_APPROVE, results[s->k.outcome]);
	}
	for (int i = 0; i < s->nops; i++) {
		struct vtksim_op *o = &s->ops[i];
		if (o->state == VTKSIM_APPROVED && s->k.policy != VTKSIM_POLICY_NONE &&
		    now_ms - o->approved_ms >= s->k.policy_ms)
			vtksim_finish(s, o, s->k.policy == VTKSIM_POLICY_REVERSE ? "auto_reversed"
										  : "auto_completed");
	}
	unsolicited(s);
}

size_t vtksim_take_output(struct vtksim *s, int64_t now_ms, uint8_t *buf, size_t cap,
			  bool *ret_hangup)
{
	*ret_hangup = s->hangup;
	if (s->hangup) {
		s->hangup = false;
		s->nout = 0;
		return 0;
	}
	size_t n = 0;
	if (s->nout == 0 && s->hangup_after_flush) {
		s->hangup_after_flush = false;
		*ret_hangup = true;
		return 0;
	}
	while (s->nout > 0 && s->outq[0].not_before <= now_ms) {
		struct vtksim_out *q = &s->outq[0];
		size_t take = q->len;
		if (s->k.split > 0 && take > (size_t)s->k.split)
			take = (size_t)s->k.split;
		if (take > cap - n)
			break;
		memcpy(buf + n, q->bytes, take);
		n += take;
		memmove(q->bytes, q->bytes + take, q->len - take);
		q->len -= take;
		if (q->len == 0) {
			memmove(&s->outq[0], &s->outq[1], (size_t)(s->nout - 1) * sizeof s->outq[0]);
			s->nout--;
		}
		if (!s->k.coalesce || s->k.split > 0)
			break;
	}
	return n;
}
