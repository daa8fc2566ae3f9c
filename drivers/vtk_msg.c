/* VTK messages: see vtk_msg.h.  One table says what each known tag holds. */
#include "drivers/vtk_msg.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

enum kind { K_NONE, K_NUM, K_TEXT, K_RAW };

struct spec {
	enum kind kind;
	int digits;           /* K_NUM: the most significant digits */
	size_t off, cap;      /* K_TEXT/K_RAW: the field in struct vtk_msg and its capacity */
	bool cut_ok;          /* K_TEXT: a longer value is cut (flagged) rather than refused */
};

#define NUM(d) { .kind = K_NUM, .digits = (d) }
#define TEXT(f, cut) { .kind = K_TEXT, .off = offsetof(struct vtk_msg, f), \
		       .cap = sizeof(((struct vtk_msg *)0)->f) - 1, .cut_ok = (cut) }

static const struct spec SPECS[0x1F] = {
	[VTK_T_NAME] = TEXT(name, false),
	[VTK_T_OP] = NUM(8), [VTK_T_AMOUNT] = NUM(12), [VTK_T_KEEPALIVE] = NUM(3),
	[VTK_T_TIMEOUT] = NUM(3), [VTK_T_EVENT_NAME] = TEXT(event_name, false),
	[VTK_T_EVENT_NO] = NUM(8), [VTK_T_PRODUCT] = NUM(6), [VTK_T_QR] = TEXT(qr, false),
	[VTK_T_TCPIP] = { .kind = K_RAW, .off = offsetof(struct vtk_msg, tcpip),
			  .cap = sizeof(((struct vtk_msg *)0)->tcpip) },
	[VTK_T_BYTES] = NUM(8), [VTK_T_PRODUCT_NAME] = TEXT(product_name, false),
	[VTK_T_MGMT] = TEXT(mgmt, false), [VTK_T_LOCAL_TIME] = TEXT(local_time, false),
	[VTK_T_SYSINFO] = TEXT(sysinfo, true), [VTK_T_RECEIPT] = TEXT(receipt, true),
	[VTK_T_DISPLAY_MS] = NUM(8), [VTK_T_HOST_ID] = NUM(8),
};

static int64_t *num_field(struct vtk_msg *m, unsigned tag, uint32_t **ret32)
{
	*ret32 = NULL;
	switch (tag) {
	case VTK_T_AMOUNT: return &m->amount;
	case VTK_T_OP: *ret32 = &m->op; break;
	case VTK_T_KEEPALIVE: *ret32 = &m->keepalive_s; break;
	case VTK_T_TIMEOUT: *ret32 = &m->timeout_s; break;
	case VTK_T_EVENT_NO: *ret32 = &m->event_no; break;
	case VTK_T_PRODUCT: *ret32 = &m->product; break;
	case VTK_T_BYTES: *ret32 = &m->bytes; break;
	case VTK_T_DISPLAY_MS: *ret32 = &m->display_ms; break;
	case VTK_T_HOST_ID: *ret32 = &m->host_id; break;
	default: break;
	}
	return NULL;
}

size_t vtk_ber_len_put(size_t n, uint8_t *out)
{
	if (n < 0x80) {
		out[0] = (uint8_t)n;
		return 1;
	}
	if (n <= 0xFF) {
		out[0] = 0x81;
		out[1] = (uint8_t)n;
		return 2;
	}
	if (n <= 0xFFFF) {
		out[0] = 0x82;
		out[1] = (uint8_t)(n >> 8);
		out[2] = (uint8_t)n;
		return 3;
	}
	return 0;
}

int vtk_ber_len_get(const uint8_t *p, size_t avail, size_t *ret_len)
{
	if (avail < 1)
		return VTK_MSG_ETRUNC;
	if (p[0] < 0x80) {
		*ret_len = p[0];
		return 1;
	}
	/* The long form's first byte counts the length bytes that follow: 81 nn is nn itself
	 * (128-255 and, non-minimal, below), not 0x80 + nn. */
	size_t k = p[0] & 0x7F;
	if (k == 0 || k > 2)
		return VTK_MSG_ELEN;
	if (avail < 1 + k)
		return VTK_MSG_ETRUNC;
	*ret_len = k == 1 ? p[1] : (size_t)p[1] << 8 | p[2];
	return (int)(1 + k);
}

/* Parses a decimal value: digits only, leading zeros allowed, at most `digits` significant. */
static int parse_num(const uint8_t *v, size_t n, int digits, int64_t *ret)
{
	if (n == 0 || n > 32)
		return VTK_MSG_EVALUE;
	int64_t x = 0;
	int sig = 0;
	for (size_t i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return VTK_MSG_EVALUE;
		if (sig || v[i] != '0')
			sig++;
		if (sig > digits)
			return VTK_MSG_EVALUE;
		x = x * 10 + (v[i] - '0');
	}
	*ret = x;
	return 0;
}

/* Stores one value of a known tag into m. */
static int put_value(struct vtk_msg *m, unsigned tag, const uint8_t *v, size_t n)
{
	const struct spec *sp = &SPECS[tag];
	if (sp->kind == K_NUM) {
		int64_t x;
		if (parse_num(v, n, sp->digits, &x) != 0)
			return VTK_MSG_EVALUE;
		uint32_t *p32;
		int64_t *p64 = num_field(m, tag, &p32);
		if (p64)
			*p64 = x;
		else
			*p32 = (uint32_t)x;
		return 0;
	}
	char *field = (char *)m + sp->off;
	if (sp->kind == K_RAW) {
		if (n > sp->cap)
			return VTK_MSG_EVALUE;
		memcpy(field, v, n);
		m->tcpip_len = (uint8_t)n;
		return 0;
	}
	bool cut = n > sp->cap;
	if ((cut || memchr(v, 0, n)) && !sp->cut_ok)
		return VTK_MSG_EVALUE;
	if (tag == VTK_T_NAME && n != 3)
		return VTK_MSG_EVALUE;
	size_t k = cut ? sp->cap : n;
	/* A receipt is never refused: losing it would lose the VRP reply it rides on. */
	for (size_t i = 0; i < k; i++)
		field[i] = v[i] ? (char)v[i] : '?';
	field[k] = 0;
	if (tag == VTK_T_RECEIPT) {
		m->receipt_len = (uint16_t)k;
		m->receipt_cut = cut;
	} else if (tag == VTK_T_SYSINFO) {
		m->sysinfo_cut = cut;
	}
	return 0;
}

int vtk_msg_decode(const uint8_t *p, size_t n, struct vtk_msg *ret)
{
	struct vtk_msg m;
	memset(&m, 0, sizeof m);
	size_t i = 0;
	while (i < n) {
		unsigned tag = p[i++];
		if ((tag & 0x1F) == 0x1F)
			return VTK_MSG_ETAG;
		size_t len;
		int k = vtk_ber_len_get(p + i, n - i, &len);
		if (k < 0)
			return k;
		i += (size_t)k;
		if (len > n - i)
			return VTK_MSG_ETRUNC;
		if (tag < 0x1F && SPECS[tag].kind != K_NONE && !VTK_HAS(&m, tag)) {
			int rc = put_value(&m, tag, p + i, len);
			if (rc != 0)
				return rc;
			m.present |= 1u << tag;
		}
		i += len;
	}
	if (!VTK_HAS(&m, VTK_T_NAME))
		return VTK_MSG_ENONAME;
	*ret = m;
	return VTK_MSG_OK;
}

/* Appends tag, BER length and value; returns the new offset or a negative rc. */
static int put_tlv(uint8_t *out, size_t cap, size_t at, unsigned tag, const void *v, size_t n)
{
	uint8_t hdr[4] = { (uint8_t)tag };
	size_t h = 1 + vtk_ber_len_put(n, hdr + 1);
	if (h == 1)
		return VTK_MSG_EVALUE;
	if (at + h + n > cap || at + h + n > VTK_MSG_MAX)
		return VTK_MSG_ESPACE;
	memcpy(out + at, hdr, h);
	if (n)
		memcpy(out + at + h, v, n);
	return (int)(at + h + n);
}

static int encode_tag(const struct vtk_msg *m, unsigned tag, uint8_t *out, size_t cap, size_t at)
{
	const struct spec *sp = &SPECS[tag];
	if (sp->kind == K_NUM) {
		uint32_t *p32;
		const int64_t *p64 = num_field((struct vtk_msg *)m, tag, &p32);
		int64_t x = p64 ? *p64 : *p32;
		char d[24];
		int k = snprintf(d, sizeof d, "%" PRId64, x);
		if (x < 0 || k > sp->digits)
			return VTK_MSG_EVALUE;
		return put_tlv(out, cap, at, tag, d, (size_t)k);
	}
	const char *field = (const char *)m + sp->off;
	if (sp->kind == K_RAW)
		return put_tlv(out, cap, at, tag, field, m->tcpip_len);
	size_t n = tag == VTK_T_RECEIPT ? m->receipt_len : strnlen(field, sp->cap + 1);
	if (n > sp->cap || (tag == VTK_T_NAME && n != 3))
		return VTK_MSG_EVALUE;
	return put_tlv(out, cap, at, tag, field, n);
}

int vtk_msg_encode(const struct vtk_msg *m, uint8_t *out, size_t cap)
{
	int at = 0;
	for (unsigned tag = 1; tag < 0x1F; tag++) {
		if (SPECS[tag].kind == K_NONE || (tag != VTK_T_NAME && !VTK_HAS(m, tag)))
			continue;
		at = encode_tag(m, tag, out, cap, (size_t)at);
		if (at < 0)
			return at;
	}
	return at;
}

void vtk_msg_init(struct vtk_msg *m, const char *name)
{
	memset(m, 0, sizeof *m);
	snprintf(m->name, sizeof m->name, "%s", name);
	m->present = 1u << VTK_T_NAME;
}

void vtk_msg_set_num(struct vtk_msg *m, enum vtk_tag tag, int64_t v)
{
	uint32_t *p32;
	int64_t *p64 = num_field(m, tag, &p32);
	if (p64)
		*p64 = v;
	else if (p32)
		*p32 = (uint32_t)v;
	else
		return;
	m->present |= 1u << tag;
}

void vtk_msg_set_text(struct vtk_msg *m, enum vtk_tag tag, const char *s, size_t n)
{
	const struct spec *sp = &SPECS[tag];
	if (sp->kind != K_TEXT)
		return;
	char *field = (char *)m + sp->off;
	size_t k = n > sp->cap ? sp->cap : n;
	memcpy(field, s, k);
	field[k] = 0;
	if (tag == VTK_T_RECEIPT)
		m->receipt_len = (uint16_t)k;
	m->present |= 1u << tag;
}

char *vtk_msg_describe(const struct vtk_msg *m, char *buf, size_t cap)
{
	size_t at = 0;
	buf[0] = 0;
#define ADD(...) do { if (at < cap) at += (size_t)snprintf(buf + at, cap - at, __VA_ARGS__); } while (0)
	ADD("%s", m->name);
	if (VTK_HAS(m, VTK_T_OP)) ADD(" op=%" PRIu32, m->op);
	if (VTK_HAS(m, VTK_T_AMOUNT)) ADD(" amount=%" PRId64, m->amount);
	if (VTK_HAS(m, VTK_T_KEEPALIVE)) ADD(" tk=%" PRIu32, m->keepalive_s);
	if (VTK_HAS(m, VTK_T_TIMEOUT)) ADD(" to=%" PRIu32, m->timeout_s);
	if (VTK_HAS(m, VTK_T_EVENT_NO)) ADD(" ev=%" PRIu32, m->event_no);
	if (VTK_HAS(m, VTK_T_EVENT_NAME)) ADD(" evname=%s", m->event_name);
	if (VTK_HAS(m, VTK_T_MGMT)) ADD(" mgmt=%c", m->mgmt[0] ? m->mgmt[0] : '-');
	if (VTK_HAS(m, VTK_T_QR)) ADD(" qr=%zuB", strlen(m->qr));
	if (VTK_HAS(m, VTK_T_RECEIPT)) ADD(" receipt=%uB%s", (unsigned)m->receipt_len,
					    m->receipt_cut ? "(cut)" : "");
#undef ADD
	return buf;
}
