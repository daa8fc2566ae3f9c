/* Recovery decisions: see pinpad_recovery.h.  One table row per terminal answer; the row
 * names what to do for each journal state the kiosk can be in. */
#include "drivers/pinpad_recovery.h"

#include <stdio.h>
#include <string.h>

#include "drivers/kpp_msg.h"

/* How a terminal answer splits by journal state.  `matched` applies to INTENT/AUTHORIZED
 * rows whose basket is complete and whose amount equals the terminal's; `unmatched` to the
 * other INTENT/AUTHORIZED rows; `recorded` to RECORDED rows. */
struct act {
	enum pinpad_action action;
	enum journal_state target;
	const char *reason;
};

struct rule {
	int result;       /* -1: any */
	int txn_state;    /* -1: any (only looked at when result is OK) */
	struct act matched, unmatched, recorded;
	bool intent_unknown_ok; /* UNKNOWN_TXN: only an INTENT row is "never sent" */
};

#define POLL { PINPAD_POLL_AGAIN, JOURNAL_INTENT, "terminal busy" }
#define MARK(st, why) { PINPAD_MARK, st, why }
#define OPER(why) MARK(JOURNAL_NEEDS_OPERATOR, why)

static const struct rule rules[] = {
	{ KPP_RES_BUSY, -1, POLL, POLL, POLL, false },
	{ KPP_RES_TERMINAL_ERROR, -1, POLL, POLL, POLL, false },
	{ KPP_RES_UNKNOWN_TXN, -1,
	  MARK(JOURNAL_CANCELLED, "unknown to terminal: never started"),
	  MARK(JOURNAL_CANCELLED, "unknown to terminal: never started"),
	  OPER("authorized or recorded payment unknown to terminal"), true },
	{ KPP_RES_OK, KPP_TS_IN_PROGRESS,
	  { PINPAD_POLL_AGAIN, JOURNAL_INTENT, "in progress" },
	  { PINPAD_POLL_AGAIN, JOURNAL_INTENT, "in progress" },
	  { PINPAD_POLL_AGAIN, JOURNAL_INTENT, "in progress" }, false },
	{ KPP_RES_OK, KPP_TS_DECLINED,
	  MARK(JOURNAL_DECLINED, "declined"), MARK(JOURNAL_DECLINED, "declined"),
	  OPER("recorded payment declined by terminal"), false },
	{ KPP_RES_OK, KPP_TS_CANCELLED,
	  MARK(JOURNAL_CANCELLED, "cancelled"), MARK(JOURNAL_CANCELLED, "cancelled"),
	  OPER("recorded payment cancelled by terminal"), false },
	{ KPP_RES_OK, KPP_TS_FAILED,
	  MARK(JOURNAL_CANCELLED, "failed (technical)"), MARK(JOURNAL_CANCELLED, "failed (technical)"),
	  OPER("recorded payment failed on terminal"), false },
	{ KPP_RES_OK, KPP_TS_APPROVED_PENDING_CONFIRM,
	  { PINPAD_RECORD_FORWARD, JOURNAL_CONFIRMED, "approved, completed forward (4.3a)" },
	  { PINPAD_VOID, JOURNAL_VOIDED, "approved but basket incomplete or amount differs" },
	  { PINPAD_CONFIRM, JOURNAL_CONFIRMED, "recorded, confirming" }, false },
	{ KPP_RES_OK, KPP_TS_APPROVED_CONFIRMED,
	  { PINPAD_RECORD_ONLY, JOURNAL_CONFIRMED, "confirmed on terminal, recorded" },
	  { PINPAD_VOID, JOURNAL_VOIDED, "confirmed but basket incomplete or amount differs" },
	  MARK(JOURNAL_CONFIRMED, "confirmed on terminal"), false },
	{ KPP_RES_OK, KPP_TS_REVERSED,
	  MARK(JOURNAL_VOIDED, "reversed on terminal"), MARK(JOURNAL_VOIDED, "reversed on terminal"),
	  OPER("recorded payment reversed: money returned"), false },
	{ KPP_RES_OK, KPP_TS_REVERSED_AUTO,
	  MARK(JOURNAL_REVERSED_AUTO, "auto-reversed"), MARK(JOURNAL_REVERSED_AUTO, "auto-reversed"),
	  OPER("recorded payment auto-reversed: money returned"), false },
	{ KPP_RES_OK, -1, OPER("unexpected terminal state"), OPER("unexpected terminal state"),
	  OPER("unexpected terminal state"), false },
	{ -1, -1, OPER("unexpected TXN_STATUS result"), OPER("unexpected TXN_STATUS result"),
	  OPER("unexpected TXN_STATUS result"), false },
};

struct pinpad_decision pinpad_recovery_decide(const struct pinpad_recovery_in *in)
{
	const struct rule *r = rules;
	for (; r < rules + sizeof rules / sizeof rules[0]; r++) {
		if (r->result != -1 && r->result != in->result)
			continue;
		if (in->result == KPP_RES_OK && r->txn_state != -1 && r->txn_state != in->txn_state)
			continue;
		break;
	}
	/* the table ends with a catch-all, so r is valid */
	bool matches = in->basket_complete && in->has_amount && in->amount == in->row_total;
	const struct act *a;
	if (in->row_state == JOURNAL_RECORDED)
		a = &r->recorded;
	else if (r->result == KPP_RES_UNKNOWN_TXN && in->row_state != JOURNAL_INTENT)
		a = &r->recorded; /* an AUTHORIZED row the terminal forgot: contradiction */
	else
		a = matches ? &r->matched : &r->unmatched;
	struct pinpad_decision d = {
		.action = a->action, .target = a->target, .reason = a->reason,
	};
	/* A RECORDED row whose amount differs from the terminal's must not be confirmed. */
	if (in->row_state == JOURNAL_RECORDED && in->result == KPP_RES_OK &&
	    (in->txn_state == KPP_TS_APPROVED_PENDING_CONFIRM ||
	     in->txn_state == KPP_TS_APPROVED_CONFIRMED) &&
	    (!in->has_amount || in->amount != in->row_total)) {
		d.action = PINPAD_MARK;
		d.target = JOURNAL_NEEDS_OPERATOR;
		d.reason = "recorded amount differs from terminal's";
	}
	/* An answer that contradicts the row (an AUTHORIZED row the terminal now calls declined
	 * or cancelled) is a move the journal refuses: a cashier looks, recovery goes on. */
	if (d.action == PINPAD_MARK && !journal_can_move(in->row_state, d.target)) {
		d.target = JOURNAL_NEEDS_OPERATOR;
		d.reason = "terminal's answer contradicts the journal";
	}
	d.authorize_first = in->row_state == JOURNAL_INTENT &&
		(d.action == PINPAD_RECORD_FORWARD || d.action == PINPAD_RECORD_ONLY ||
		 d.action == PINPAD_VOID);
	return d;
}

bool pinpad_basket_complete(const struct journal_payment *p)
{
	if (p->nlines < 1 || p->nlines > JOURNAL_MAX_LINES || p->total <= 0)
		return false;
	kopecks sum = 0;
	for (int i = 0; i < p->nlines; i++) {
		const struct journal_line *l = &p->lines[i];
		if (l->amount <= 0 || l->pers_acc[0] == 0 || !money_add(sum, l->amount, &sum))
			return false;
	}
	return sum == p->total;
}

bool pinpad_confirm_paid(int txn_state)
{
	return txn_state == KPP_TS_APPROVED_CONFIRMED;
}

/* Copies src cut to cap-1 bytes, never in the middle of a UTF-8 sequence. */
static void copy_cut(char *dst, size_t cap, const char *src)
{
	size_t n = strnlen(src, cap - 1);
	if (src[n] != 0)
		while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
			n--;
	memcpy(dst, src, n);
	dst[n] = 0;
}

void pinpad_card_from_msg(const struct kpp_msg *m, struct journal_card *ret)
{
	memset(ret, 0, sizeof *ret);
	kpp_mask_pan(m->masked_pan, ret->masked_pan, sizeof ret->masked_pan);
#define CP(f) copy_cut(ret->f, sizeof ret->f, m->f)
	CP(scheme);
	CP(auth_code);
	CP(rrn);
	CP(tid);
	CP(mid);
	CP(stan);
	CP(batch_no);
	CP(aid);
	CP(terminal_dt);
	CP(host_rc);
#undef CP
	copy_cut(ret->slip, sizeof ret->slip, m->receipt_text);
	ret->entry_mode = kpp_msg_has(m, KPP_TAG_ENTRY_MODE) ? m->entry_mode : 0;
	ret->cvm = kpp_msg_has(m, KPP_TAG_CVM) ? m->cvm : 0;
}
