/* The simulated register's receipt commands and the checks a real one makes on them. */
#include <stdio.h>
#include <string.h>

#include "drivers/escpos.h"
#include "kiosk/base/utf8.h"
#include "drivers/shtrih_state.h"
#include "kiosk/base/xalloc.h"
#include "tests/sim/kkt/kkt_priv.h"

static bool tax_ok(uint8_t t)
{
	static const uint8_t ok[] = { 0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x81, 0x82, 0x84, 0x88,
				      0xCB, 0xCC };
	for (size_t i = 0; i < sizeof ok; i++)
		if (ok[i] == t)
			return true;
	return false;
}

static bool one_bit(uint8_t b)
{
	return b && !(b & (b - 1));
}

/* Walks a TLV list and checks what the register checks: INNs 12 characters (33h), the
 * agent bit one of the registered ones (5Eh), the structure (01h). */
static uint8_t check_tlv(const struct kkt_core *k, const uint8_t *p, size_t n, int depth)
{
	size_t off = 0;
	while (off < n) {
		if (n - off < 4)
			return 0x01;
		uint16_t tag = (uint16_t)shtrih_get_le(p + off, 2);
		size_t len = (size_t)shtrih_get_le(p + off + 2, 2);
		const uint8_t *v = p + off + 4;
		if (len > n - off - 4)
			return 0x01;
		if ((tag == 1226 || tag == 1016 || tag == 1228 || tag == 1203) && len != 12)
			return 0x33;
		if ((tag == 1222 || tag == 1057) && (len != 1 || !one_bit(v[0]) || !(v[0] & k->agent_bits)))
			return 0x5E;
		if ((tag == 1223 || tag == 1224) && depth == 0) {
			uint8_t e = check_tlv(k, v, len, 1);
			if (e)
				return e;
		}
		off += 4 + len;
	}
	return 0;
}

static bool tlv_append(uint8_t *buf, size_t *len, const uint8_t *p, size_t n)
{
	if (*len + n > KKT_TLV_CAP)
		return false;
	memcpy(buf + *len, p, n);
	*len += n;
	return true;
}

void kkt_win1251_to_utf8(const uint8_t *p, size_t n, char *out, size_t cap)
{
	size_t o = 0;
	for (size_t i = 0; i < n && p[i] && o + 4 < cap; i++) {
		unsigned cp = p[i];
		if (cp >= 0xC0)
			cp = 0x410 + (cp - 0xC0);
		else if (cp == 0xA8)
			cp = 0x401;
		else if (cp == 0xB8)
			cp = 0x451;
		else if (cp == 0xB9)
			cp = 0x2116;
		else if (cp >= 0x80 && cp != 0xAB && cp != 0xBB && cp != 0xB7)
			cp = '?';
		o += (size_t)utf8_encode(cp, out + o);
	}
	out[o] = '\0';
}

/* The checks and the move to mode 8 shared by 8Dh and an FF46 sent in mode 2: 0 or the
 * error code. */
static uint8_t begin_receipt(struct kkt_core *k, uint8_t type)
{
	if (k->mode == SHTRIH_MODE_DOCUMENT)
		return 0x4A;
	if (k->mode == SHTRIH_MODE_SHIFT_OVER)
		return 0x4E;
	if (k->mode != SHTRIH_MODE_SHIFT_OPEN)
		return 0x73;
	if (!k->paper)
		return 0x6B;
	if (type > 3)
		return 0x33;
	if (k->fn_error)
		return k->fn_error;
	k->mode = SHTRIH_MODE_DOCUMENT;
	k->receipt_type = type;
	k->nitems = 0;
	k->pending_len = k->rtlv_len = 0;
	return 0;
}

static size_t item(struct kkt_core *k, struct kkt_rep *r, const uint8_t *d, size_t n)
{
	if (n < 30 || n > 30 + 128)
		return kkt_rep_err(r, 0x01);
	if (k->mode != SHTRIH_MODE_DOCUMENT) { /* some firmware opens the receipt itself */
		uint8_t e = begin_receipt(k, 0);
		if (e)
			return kkt_rep_err(r, e);
	}
	if (k->nitems == KKT_MAX_ITEMS)
		return kkt_rep_err(r, 0x94);
	struct kkt_item it;
	memset(&it, 0, sizeof it);
	it.op = d[4];
	it.qty_micro = (int64_t)shtrih_get_le(d + 5, 6);
	it.price = (int64_t)shtrih_get_le(d + 11, 5);
	uint64_t amount = shtrih_get_le(d + 16, 5);
	it.tax = d[26];
	it.dept = d[27];
	it.method = d[28];
	it.object = d[29];
	if (it.op < 1 || it.op > 4 || it.qty_micro == 0 || it.dept > 16 || !tax_ok(it.tax))
		return kkt_rep_err(r, 0x33);
	/* price x qty, rounded half up to the kopeck */
	__int128 calc = ((__int128)it.price * it.qty_micro + 500000) / 1000000;
	it.amount = amount == 0xFFFFFFFFFF ? (int64_t)calc : (int64_t)amount;
	if (it.amount - calc > 1 || calc - it.amount > 1)
		return kkt_rep_err(r, 0x33);
	kkt_win1251_to_utf8(d + 30, n - 30, it.name, sizeof it.name);
	memcpy(it.tlv, k->pending_tlv, k->pending_len);
	it.tlv_len = k->pending_len;
	k->pending_len = 0;
	k->items[k->nitems++] = it;
	return r->n;
}

static size_t tag(struct kkt_core *k, struct kkt_rep *r, uint16_t cmd, const uint8_t *d, size_t n)
{
	if (n < 4 + 4 || n > 4 + 250)
		return kkt_rep_err(r, n > 4 + 250 ? 0x10 : 0x01);
	if (k->mode != SHTRIH_MODE_DOCUMENT)
		return cmd == SHTRIH_FN_TAG && k->shift_open ? r->n : kkt_rep_err(r, 0x73);
	uint8_t e = check_tlv(k, d + 4, n - 4, 0);
	if (e)
		return kkt_rep_err(r, e);
	bool ok;
	if (cmd == SHTRIH_FN_TAG)
		ok = tlv_append(k->rtlv, &k->rtlv_len, d + 4, n - 4);
	else if (k->item_tags_before || k->nitems == 0)
		ok = tlv_append(k->pending_tlv, &k->pending_len, d + 4, n - 4);
	else {
		struct kkt_item *it = &k->items[k->nitems - 1];
		ok = tlv_append(it->tlv, &it->tlv_len, d + 4, n - 4);
	}
	return ok ? r->n : kkt_rep_err(r, 0x4B);
}

/* FF45: the payments against the items' total, then the document. */
static size_t close_receipt(struct kkt_core *k, struct kkt_rep *r, const uint8_t *d, size_t n,
			    int64_t now_ms)
{
	if (n < 4 + 80 + 1 + 30 + 1 || n > 4 + 80 + 1 + 30 + 1 + 64)
		return kkt_rep_err(r, 0x01);
	if (k->mode != SHTRIH_MODE_DOCUMENT)
		return kkt_rep_err(r, k->mode == SHTRIH_MODE_SHIFT_OVER ? 0x4E : 0x55);
	if (kkt_shift_over(k, now_ms))
		return kkt_rep_err(r, 0x4E);
	if (!k->paper)
		return kkt_rep_err(r, 0x6B);
	int64_t total = 0, paid = 0, card = 0;
	for (int i = 0; i < k->nitems; i++)
		total += k->items[i].amount;
	for (int i = 0; i < 16; i++) {
		int64_t v = (int64_t)shtrih_get_le(d + 4 + 5 * i, 5);
		paid += v;
		if (i >= 1 && i <= 12)
			card += v;
	}
	uint8_t ts = d[4 + 80 + 1 + 30];
	if (!one_bit(ts) || !(ts & k->tax_systems))
		return kkt_rep_err(r, 0x33);
	if (total == 0)
		return kkt_rep_err(r, 0x8E);
	if (paid < total)
		return kkt_rep_err(r, 0x45);
	if (card > total)
		return kkt_rep_err(r, 0x4D);
	if (k->fn_error)
		return kkt_rep_err(r, k->fn_error);
	struct kkt_doc *doc = kkt_make_doc(k, SHTRIH_DOC_RECEIPT, now_ms);
	doc->receipt_no = ++k->receipt_no;
	doc->op = (uint8_t)(k->receipt_type == 0 ? 1 : k->receipt_type == 1 ? 3
			    : k->receipt_type == 2 ? 2 : 4);
	doc->sum = total;
	doc->card = card;
	doc->cash = total - card;
	doc->tax_system = ts;
	doc->nitems = k->nitems;
	doc->items = xmalloc((size_t)k->nitems * sizeof *doc->items);
	memcpy(doc->items, k->items, (size_t)k->nitems * sizeof *doc->items);
	memcpy(doc->tlv, k->rtlv, k->rtlv_len);
	doc->tlv_len = k->rtlv_len;
	doc->fp = kkt_core_fp(k, doc->fd, doc->dt, doc->sum);
	k->mode = SHTRIH_MODE_SHIFT_OPEN;
	k->nitems = 0;
	if (k->on_doc)
		k->on_doc(k->sink_ctx, doc, k->serial);
	if (k->paper_break_after_close > 0) {
		/* the FD exists; the printout is spoiled and waits for paper and B0h */
		k->paper_break_after_close--;
		k->paper = false;
		k->submode = SHTRIH_SUB_PAPER_OUT_PRINTING;
		if (k->on_print)
			k->on_print(k->sink_ctx, "line", "ДОКУМЕНТ НЕДЕЙСТВИТЕЛЕН");
	} else if (k->on_print) {
		k->on_print(k->sink_ctx, "receipt", "");
	}
	kkt_rep_le(r, (uint64_t)(paid - total), 5);
	kkt_rep_le(r, doc->fd, 4);
	kkt_rep_le(r, doc->fp, 4);
	return r->n;
}

size_t kkt_receipt_exec(struct kkt_core *k, uint16_t cmd, const uint8_t *d, size_t n,
			int64_t now_ms, uint8_t *reply)
{
	struct kkt_rep r;
	kkt_rep_begin(&r, reply, cmd);
	uint8_t op = kkt_operator((uint32_t)shtrih_get_le(d, 4));
	switch (cmd) {
	case SHTRIH_OPEN_RECEIPT: {
		uint8_t e = n == 5 ? begin_receipt(k, d[4]) : 0x01;
		if (e)
			return kkt_rep_err(&r, e);
		kkt_rep_le(&r, op, 1);
		return r.n;
	}
	case SHTRIH_FN_ITEM:
		return item(k, &r, d, n);
	case SHTRIH_FN_ITEM_TAG:
	case SHTRIH_FN_TAG:
		return tag(k, &r, cmd, d, n);
	case SHTRIH_FN_CLOSE_RECEIPT:
		return close_receipt(k, &r, d, n, now_ms);
	case SHTRIH_CANCEL_RECEIPT:
	case SHTRIH_FN_CANCEL_DOC:
		if (k->mode != SHTRIH_MODE_DOCUMENT)
			return cmd == SHTRIH_FN_CANCEL_DOC ? r.n : kkt_rep_err(&r, 0x55);
		k->mode = kkt_shift_over(k, now_ms) ? SHTRIH_MODE_SHIFT_OVER : SHTRIH_MODE_SHIFT_OPEN;
		k->nitems = 0;
		k->pending_len = k->rtlv_len = 0;
		if (cmd == SHTRIH_CANCEL_RECEIPT)
			kkt_rep_le(&r, op, 1);
		return r.n;
	default:
		return kkt_rep_err(&r, 0x37);
	}
}
