/* KPP/1 TLV messages: see kpp_msg.h. */
#include "drivers/kpp_msg.h"

#include <stdio.h>
#include <string.h>

enum tag_type {
	T_U8,     /* one byte */
	T_ASCII,  /* printable ASCII 0x20..0x7E */
	T_DIGITS, /* ASCII digits */
	T_HEX,    /* ASCII hex digits */
	T_PAN,    /* digits and '*' */
	T_TEXT,   /* UTF-8 text: no NUL, no C0 controls but \n \r \t */
};

struct tag_def {
	const char *name;
	enum tag_type type;
	uint16_t min, max;   /* value length in bytes */
	size_t off;          /* field in struct kpp_msg */
	size_t cap;          /* its size (char arrays: max + 1) */
};

#define F(field) offsetof(struct kpp_msg, field), sizeof(((struct kpp_msg *)0)->field)

static const struct tag_def tags[KPP_TAG_LAST + 1] = {
	[KPP_TAG_TXN_ID]       = { "TXN_ID", T_ASCII, 1, KPP_TXN_ID_MAX, F(txn_id) },
	[KPP_TAG_AMOUNT]       = { "AMOUNT", T_DIGITS, 1, 12, F(amount) },
	[KPP_TAG_CURRENCY]     = { "CURRENCY", T_DIGITS, 3, 3, F(currency) },
	[KPP_TAG_ORIG_TXN_ID]  = { "ORIG_TXN_ID", T_ASCII, 1, KPP_TXN_ID_MAX, F(orig_txn_id) },
	[KPP_TAG_RESULT]       = { "RESULT", T_U8, 1, 1, F(result) },
	[KPP_TAG_TXN_STATE]    = { "TXN_STATE", T_U8, 1, 1, F(txn_state) },
	[KPP_TAG_HOST_RC]      = { "HOST_RC", T_ASCII, 2, 3, F(host_rc) },
	[KPP_TAG_AUTH_CODE]    = { "AUTH_CODE", T_ASCII, 0, 6, F(auth_code) },
	[KPP_TAG_RRN]          = { "RRN", T_ASCII, 12, 12, F(rrn) },
	[KPP_TAG_MASKED_PAN]   = { "MASKED_PAN", T_PAN, 0, 19, F(masked_pan) },
	[KPP_TAG_SCHEME]       = { "SCHEME", T_ASCII, 0, 32, F(scheme) },
	[KPP_TAG_AID]          = { "AID", T_HEX, 0, 32, F(aid) },
	[KPP_TAG_ENTRY_MODE]   = { "ENTRY_MODE", T_U8, 1, 1, F(entry_mode) },
	[KPP_TAG_TID]          = { "TID", T_ASCII, 8, 8, F(tid) },
	[KPP_TAG_MID]          = { "MID", T_ASCII, 0, 15, F(mid) },
	[KPP_TAG_STAN]         = { "STAN", T_DIGITS, 6, 6, F(stan) },
	[KPP_TAG_BATCH_NO]     = { "BATCH_NO", T_ASCII, 0, 12, F(batch_no) },
	[KPP_TAG_TERMINAL_DT]  = { "TERMINAL_DT", T_DIGITS, 14, 14, F(terminal_dt) },
	[KPP_TAG_RECEIPT_TEXT] = { "RECEIPT_TEXT", T_TEXT, 0, KPP_TEXT_MAX, F(receipt_text) },
	[KPP_TAG_MESSAGE_TEXT] = { "MESSAGE_TEXT", T_TEXT, 0, 256, F(message_text) },
	[KPP_TAG_EVENT_CODE]   = { "EVENT_CODE", T_U8, 1, 1, F(event_code) },
	[KPP_TAG_TIMEOUT_S]    = { "TIMEOUT_S", T_DIGITS, 1, 6, F(timeout_s) },
	[KPP_TAG_CONFIRM_TIMEOUT_S] = { "CONFIRM_TIMEOUT_S", T_DIGITS, 1, 6, F(confirm_timeout_s) },
	[KPP_TAG_TERM_STATE]   = { "TERM_STATE", T_U8, 1, 1, F(term_state) },
	[KPP_TAG_CURRENT_TXN_ID] = { "CURRENT_TXN_ID", T_ASCII, 1, KPP_TXN_ID_MAX, F(current_txn_id) },
	[KPP_TAG_CVM]          = { "CVM", T_U8, 1, 1, F(cvm) },
	[KPP_TAG_VENDOR_ERROR] = { "VENDOR_ERROR", T_ASCII, 0, 64, F(vendor_error) },
	[KPP_TAG_TOTALS]       = { "TOTALS", T_TEXT, 0, 1024, F(totals) },
	[KPP_TAG_TERM_INFO]    = { "TERM_INFO", T_TEXT, 0, 512, F(term_info) },
	[KPP_TAG_ORDER_REF]    = { "ORDER_REF", T_ASCII, 0, 32, F(order_ref) },
};

static const struct tag_def *tag_def(unsigned tag)
{
	if (tag == 0 || tag > KPP_TAG_LAST)
		return NULL;
	return &tags[tag];
}

static bool value_ok(const struct tag_def *td, const uint8_t *v, size_t n)
{
	if (n < td->min || n > td->max)
		return false;
	for (size_t i = 0; i < n; i++) {
		uint8_t c = v[i];
		switch (td->type) {
		case T_U8:
			break;
		case T_ASCII:
			if (c < 0x20 || c > 0x7E)
				return false;
			break;
		case T_DIGITS:
			if (c < '0' || c > '9')
				return false;
			break;
		case T_HEX:
			if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f')))
				return false;
			break;
		case T_PAN:
			if (!((c >= '0' && c <= '9') || c == '*'))
				return false;
			break;
		case T_TEXT:
			if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7F)
				return false;
			break;
		}
	}
	return true;
}

static void store(struct kpp_msg *m, const struct tag_def *td, unsigned tag,
		  const uint8_t *v, size_t n)
{
	uint8_t *field = (uint8_t *)m + td->off;
	if (td->type == T_U8) {
		*field = v[0];
	} else {
		memcpy(field, v, n);
		field[n] = 0;
	}
	m->present |= (uint64_t)1 << tag;
}

void kpp_msg_init(struct kpp_msg *m, uint8_t code)
{
	memset(m, 0, sizeof *m);
	m->code = code;
}

bool kpp_msg_has(const struct kpp_msg *m, enum kpp_tag tag)
{
	return tag_def(tag) && (m->present & ((uint64_t)1 << tag));
}

int kpp_msg_set(struct kpp_msg *m, enum kpp_tag tag, const char *value)
{
	const struct tag_def *td = tag_def(tag);
	if (!td || td->type == T_U8 || !value)
		return KPP_MSG_ETAG;
	size_t n = strlen(value);
	if (!value_ok(td, (const uint8_t *)value, n))
		return KPP_MSG_EVALUE;
	store(m, td, tag, (const uint8_t *)value, n);
	return KPP_MSG_OK;
}

int kpp_msg_set_u8(struct kpp_msg *m, enum kpp_tag tag, uint8_t value)
{
	const struct tag_def *td = tag_def(tag);
	if (!td || td->type != T_U8)
		return KPP_MSG_ETAG;
	store(m, td, tag, &value, 1);
	return KPP_MSG_OK;
}

const char *kpp_msg_get(const struct kpp_msg *m, enum kpp_tag tag)
{
	const struct tag_def *td = tag_def(tag);
	if (!td || td->type == T_U8 || !kpp_msg_has(m, tag))
		return NULL;
	return (const char *)m + td->off;
}

int kpp_msg_encode(const struct kpp_msg *m, uint8_t *out, size_t cap)
{
	if (cap < 1)
		return KPP_MSG_ESPACE;
	size_t n = 0;
	out[n++] = m->code;
	for (unsigned tag = 1; tag <= KPP_TAG_LAST; tag++) {
		if (!(m->present & ((uint64_t)1 << tag)))
			continue;
		const struct tag_def *td = &tags[tag];
		const uint8_t *field = (const uint8_t *)m + td->off;
		size_t len = td->type == T_U8 ? 1 : strnlen((const char *)field, td->cap - 1);
		if (cap - n < 3 + len)
			return KPP_MSG_ESPACE;
		out[n++] = (uint8_t)tag;
		out[n++] = (uint8_t)(len >> 8);
		out[n++] = (uint8_t)len;
		memcpy(out + n, field, len);
		n += len;
	}
	return (int)n;
}

int kpp_msg_decode(const uint8_t *p, size_t n, struct kpp_msg *ret)
{
	if (n < 1) {
		kpp_msg_init(ret, 0);
		return KPP_MSG_ETRUNC;
	}
	kpp_msg_init(ret, p[0]);
	size_t i = 1;
	while (i < n) {
		if (n - i < 3)
			return KPP_MSG_ETRUNC;
		unsigned tag = p[i];
		size_t len = (size_t)p[i + 1] << 8 | p[i + 2];
		i += 3;
		if (n - i < len)
			return KPP_MSG_ETRUNC;
		const struct tag_def *td = tag_def(tag);
		if (td) {
			if (ret->present & ((uint64_t)1 << tag))
				return KPP_MSG_EDUP;
			if (!value_ok(td, p + i, len))
				return KPP_MSG_EVALUE;
			store(ret, td, tag, p + i, len);
		}
		i += len;
	}
	return KPP_MSG_OK;
}

const char *kpp_tag_name(enum kpp_tag tag)
{
	const struct tag_def *td = tag_def(tag);
	return td ? td->name : "?";
}

const char *kpp_msg_name(uint8_t code)
{
	static const char *const names[][2] = {
		{ "HELLO", "HELLO_RESP" }, { "STATUS", "STATUS_RESP" }, { "SALE", "SALE_RESP" },
		{ "CANCEL", "CANCEL_RESP" }, { "CONFIRM", "CONFIRM_RESP" }, { "VOID", "VOID_RESP" },
		{ "REFUND", "REFUND_RESP" }, { "TXN_STATUS", "TXN_STATUS_RESP" },
		{ "RECONCILE", "RECONCILE_RESP" },
	};
	static const uint8_t codes[] = { 0x01, 0x02, 0x10, 0x11, 0x12, 0x13, 0x14, 0x20, 0x21 };
	if (code == KPP_MSG_EVENT)
		return "EVENT";
	for (size_t i = 0; i < sizeof codes; i++)
		if ((code & 0x7F) == codes[i])
			return names[i][code & 0x80 ? 1 : 0];
	return "?";
}

const char *kpp_result_name(uint8_t r)
{
	static const char *const n[] = { "OK", "DECLINED", "CANCELLED", "TIMEOUT", "BUSY",
		"UNKNOWN_TXN", "DUPLICATE", "NOT_SUPPORTED", "BAD_REQUEST", "TERMINAL_ERROR",
		"TOO_LATE" };
	return r < sizeof n / sizeof n[0] ? n[r] : "?";
}

const char *kpp_txn_state_name(uint8_t s)
{
	static const char *const n[] = { "NONE", "IN_PROGRESS", "APPROVED_PENDING_CONFIRM",
		"APPROVED_CONFIRMED", "DECLINED", "CANCELLED", "REVERSED", "REVERSED_AUTO",
		"FAILED", "REFUNDED" };
	return s < sizeof n / sizeof n[0] ? n[s] : "?";
}

bool kpp_msg_amount(const struct kpp_msg *m, int64_t *ret)
{
	const char *a = kpp_msg_get(m, KPP_TAG_AMOUNT);
	if (!a || !*a)
		return false;
	int64_t v = 0;
	for (; *a; a++) {
		if (*a < '0' || *a > '9')
			return false;
		v = v * 10 + (*a - '0'); /* ≤ 12 digits: no overflow */
	}
	*ret = v;
	return true;
}

char *kpp_mask_pan(const char *in, char *out, size_t cap)
{
	char buf[64];
	size_t n = 0;
	for (const char *p = in ? in : ""; *p && n < sizeof buf - 1; p++)
		if ((*p >= '0' && *p <= '9') || *p == '*')
			buf[n++] = *p;
	/* Positions allowed to stay digits: the first 6 and the last 4, but only when at least
	 * one position hides between them; a short string shows only its last 4. */
	size_t head = n >= 11 ? 6 : 0;
	size_t o = 0;
	for (size_t i = 0; i < n && o + 1 < cap; i++) {
		bool visible = i < head || i + 4 >= n;
		out[o++] = visible ? buf[i] : '*';
	}
	if (cap)
		out[o] = 0;
	return out;
}

char *kpp_msg_describe(const struct kpp_msg *m, char *buf, size_t cap)
{
	size_t o = 0;
	if (!cap)
		return buf;
	buf[0] = 0;
#define PUT(...) do { int k_ = snprintf(buf + o, cap - o, __VA_ARGS__); \
		if (k_ < 0 || (size_t)k_ >= cap - o) { o = cap - 1; goto out; } o += (size_t)k_; } while (0)
	PUT("msg=%s", kpp_msg_name(m->code));
	for (unsigned tag = 1; tag <= KPP_TAG_LAST; tag++) {
		if (!(m->present & ((uint64_t)1 << tag)))
			continue;
		const struct tag_def *td = &tags[tag];
		const char *v = (const char *)m + td->off;
		if (tag == KPP_TAG_RESULT)
			PUT(" RESULT=%s", kpp_result_name(m->result));
		else if (tag == KPP_TAG_TXN_STATE)
			PUT(" TXN_STATE=%s", kpp_txn_state_name(m->txn_state));
		else if (td->type == T_U8)
			PUT(" %s=%u", td->name, *(const uint8_t *)v);
		else if (tag == KPP_TAG_MASKED_PAN) {
			char pan[24];
			PUT(" MASKED_PAN=%s", kpp_mask_pan(v, pan, sizeof pan));
		} else if (tag == KPP_TAG_RECEIPT_TEXT || tag == KPP_TAG_TOTALS) {
			PUT(" %s=<%zu bytes omitted>", td->name, strlen(v));
		} else {
			char esc[80];
			size_t e = 0;
			for (const char *p = v; *p && e + 3 < sizeof esc; p++)
				esc[e++] = (unsigned char)*p < 0x20 || *p == ' ' ? '_' : *p;
			esc[e] = 0;
			PUT(" %s=%s", td->name, esc);
		}
	}
#undef PUT
out:
	return buf;
}
