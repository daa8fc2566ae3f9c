#include "drivers/fiscal_receipt.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "drivers/escpos.h"
#include "kiosk/bill/epd.h"

int fiscal_tlv_bytes(uint8_t *buf, size_t *len, size_t cap, uint16_t tag, const void *v, size_t n)
{
	if (n > 0xFFFF || *len + 4 + n > cap)
		return -1;
	shtrih_put_le(buf + *len, tag, 2);
	shtrih_put_le(buf + *len + 2, n, 2);
	if (n)
		memcpy(buf + *len + 4, v, n);
	*len += 4 + n;
	return 0;
}

int fiscal_tlv_u8(uint8_t *buf, size_t *len, size_t cap, uint16_t tag, uint8_t v)
{
	return fiscal_tlv_bytes(buf, len, cap, tag, &v, 1);
}

int fiscal_tlv_str(uint8_t *buf, size_t *len, size_t cap, uint16_t tag, const char *utf8,
		   size_t max_bytes)
{
	char cp[512];
	size_t n = escpos_cp866_from_utf8(utf8, cp, sizeof cp);
	if (n > max_bytes)
		n = max_bytes;
	return fiscal_tlv_bytes(buf, len, cap, tag, cp, n);
}

/* Decodes one UTF-8 sequence; returns its code point and advances *s (U+FFFD on junk). */
static uint32_t next_cp(const char **s)
{
	const unsigned char *p = (const unsigned char *)*s;
	uint32_t cp = 0xFFFD;
	int n = 1;
	if (p[0] < 0x80)
		cp = p[0];
	else if ((p[0] & 0xE0) == 0xC0 && (p[1] & 0xC0) == 0x80) {
		cp = (uint32_t)(p[0] & 0x1F) << 6 | (p[1] & 0x3F);
		n = 2;
	} else if ((p[0] & 0xF0) == 0xE0 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
		cp = (uint32_t)(p[0] & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
		n = 3;
	}
	*s += n;
	return cp;
}

size_t fiscal_win1251(const char *utf8, uint8_t *out, size_t cap)
{
	size_t n = 0;
	while (*utf8 && n < cap) {
		uint32_t cp = next_cp(&utf8);
		uint8_t b = '?';
		if (cp < 0x80)
			b = (uint8_t)cp;
		else if (cp >= 0x410 && cp <= 0x44F)
			b = (uint8_t)(0xC0 + (cp - 0x410));
		else if (cp == 0x401)
			b = 0xA8;
		else if (cp == 0x451)
			b = 0xB8;
		else if (cp == 0x2116)
			b = 0xB9;
		else if (cp == 0xAB)
			b = 0xAB;
		else if (cp == 0xBB)
			b = 0xBB;
		else if (cp == 0xA0 || cp == 0x2009 || cp == 0x202F) /* the spaces in money */
			b = ' ';
		else if (cp == 0xB7)
			b = 0xB7;
		else if (cp == 0x2013 || cp == 0x2014)
			b = '-';
		else if (cp == 0x20BD) /* ₽ is not in the code page */
			b = 0xD0;
		out[n++] = b;
	}
	return n;
}

static bool email_ok(const char *s)
{
	const char *at = strchr(s, '@');
	size_t n = strlen(s);
	if (!at || at == s || !strchr(at, '.') || n > 64 || strchr(at + 1, '@'))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isgraph((unsigned char)s[i]))
			return false;
	return true;
}

/* «Оплата ЖКУ ЛС 1234567890 03.2025»: the account and the period the bill is for. */
static void item_name(const struct journal_line *ln, struct shtrih_item *it)
{
	char name[160];
	if (strlen(ln->period) == 7)
		snprintf(name, sizeof name, "Оплата ЖКУ ЛС %s %.2s.%.4s", ln->pers_acc, ln->period + 5,
			 ln->period);
	else
		snprintf(name, sizeof name, "Оплата ЖКУ ЛС %s", ln->pers_acc);
	it->name_len = fiscal_win1251(name, it->name, sizeof it->name);
}

/* The STLV 1223: the payment agent's phones, or a bank agent's transfer operator. */
static int agent_tlv(const struct fiscal_conf *fc, uint8_t *v, size_t *n, size_t cap)
{
	if (!fc->bank_agent)
		return fiscal_tlv_str(v, n, cap, 1073, fc->agent_phone, 19) ||
		       fiscal_tlv_str(v, n, cap, 1074, fc->operator_phone, 19);
	char inn[13];
	snprintf(inn, sizeof inn, "%-12s", fc->bank_inn);
	return fiscal_tlv_str(v, n, cap, 1026, fc->bank_name, 64) ||
	       fiscal_tlv_str(v, n, cap, 1005, fc->bank_address, 64) ||
	       fiscal_tlv_str(v, n, cap, 1016, inn, 12) ||
	       fiscal_tlv_str(v, n, cap, 1044, fc->bank_operation, 24) ||
	       fiscal_tlv_str(v, n, cap, 1073, fc->agent_phone, 19) ||
	       fiscal_tlv_str(v, n, cap, 1075, fc->bank_phone, 19);
}

static int put_tlv_cmd(const struct fiscal_conf *fc, uint16_t cmd, const uint8_t *tlv, size_t n,
		       struct shtrih_req *out, int *k, int cap)
{
	if (*k >= cap)
		return FISCAL_RECEIPT_ECAP;
	if (shtrih_req_tlv(&out[*k], cmd, fc->password, tlv, n))
		return FISCAL_RECEIPT_EINVAL;
	(*k)++;
	return 0;
}

/* FF4D commands of one item: 1222, 1226, 1224 {1225, 1171}, 1223. */
static int item_tags(const struct fiscal_conf *fc, const struct journal_line *ln,
		     struct shtrih_req *out, int *k, int cap)
{
	uint8_t t[SHTRIH_TLV_MAX], v[SHTRIH_TLV_MAX];
	size_t n = 0, vn = 0;
	char inn[13];
	const char *phone = fiscal_conf_supplier_phone(fc, ln->payee_inn);
	if (!epd_inn_ok(ln->payee_inn) || !phone)
		return FISCAL_RECEIPT_ESUPPLIER;
	snprintf(inn, sizeof inn, "%-12s", ln->payee_inn); /* the register wants 12 characters */
	int rc;
	fiscal_tlv_u8(t, &n, sizeof t, 1222, fc->agent);
	if ((rc = put_tlv_cmd(fc, SHTRIH_FN_ITEM_TAG, t, n, out, k, cap)))
		return rc;
	n = 0;
	fiscal_tlv_str(t, &n, sizeof t, 1226, inn, 12);
	if ((rc = put_tlv_cmd(fc, SHTRIH_FN_ITEM_TAG, t, n, out, k, cap)))
		return rc;
	/* the supplier's name is cut so that 1224 fits one FF4D */
	size_t room = SHTRIH_TLV_MAX - 3 * 4 - strlen(phone);
	fiscal_tlv_str(v, &vn, sizeof v, 1225, ln->payee_name, room);
	fiscal_tlv_str(v, &vn, sizeof v, 1171, phone, 19);
	n = 0;
	if (fiscal_tlv_bytes(t, &n, sizeof t, 1224, v, vn))
		return FISCAL_RECEIPT_EINVAL;
	if ((rc = put_tlv_cmd(fc, SHTRIH_FN_ITEM_TAG, t, n, out, k, cap)))
		return rc;
	vn = n = 0;
	if (agent_tlv(fc, v, &vn, sizeof v) || fiscal_tlv_bytes(t, &n, sizeof t, 1223, v, vn))
		return FISCAL_RECEIPT_EINVAL;
	return put_tlv_cmd(fc, SHTRIH_FN_ITEM_TAG, t, n, out, k, cap);
}

static int item(const struct fiscal_conf *fc, const struct journal_line *ln,
		struct shtrih_req *out, int *k, int cap)
{
	struct shtrih_item it = {
		.op_type = 1, .qty_micro = 1000000, .price = ln->amount, .amount = ln->amount,
		.tax_amount = SHTRIH_AMOUNT_NONE, .tax = fc->vat, .department = 1,
		.method = fc->method, .object = fc->object,
	};
	int rc;
	item_name(ln, &it);
	if (fc->tags_before_item && (rc = item_tags(fc, ln, out, k, cap)))
		return rc;
	if (*k >= cap)
		return FISCAL_RECEIPT_ECAP;
	if (shtrih_req_item(&out[*k], fc->password, &it))
		return FISCAL_RECEIPT_EINVAL;
	(*k)++;
	if (!fc->tags_before_item && (rc = item_tags(fc, ln, out, k, cap)))
		return rc;
	return 0;
}

static int receipt_tags(const struct fiscal_conf *fc, const char *contact,
			struct shtrih_req *out, int *k, int cap)
{
	uint8_t t[SHTRIH_TLV_MAX];
	size_t n = 0;
	int rc;
	if (fc->tag_1057) {
		fiscal_tlv_u8(t, &n, sizeof t, 1057, fc->agent);
		if ((rc = put_tlv_cmd(fc, SHTRIH_FN_TAG, t, n, out, k, cap)))
			return rc;
	}
	if (contact && contact[0]) {
		n = 0;
		fiscal_tlv_str(t, &n, sizeof t, 1008, contact, 64);
		if ((rc = put_tlv_cmd(fc, SHTRIH_FN_TAG, t, n, out, k, cap)))
			return rc;
	}
	return 0;
}

int fiscal_receipt_build(const struct fiscal_conf *fc, const struct journal_payment *p,
			 const char *contact, struct shtrih_req *out, int cap)
{
	kopecks sum = 0;
	if (p->nlines < 1 || p->nlines > JOURNAL_MAX_LINES)
		return FISCAL_RECEIPT_EINVAL;
	for (int i = 0; i < p->nlines; i++) {
		if (p->lines[i].amount <= 0 || !money_add(sum, p->lines[i].amount, &sum))
			return FISCAL_RECEIPT_EINVAL;
	}
	if (sum != p->total)
		return FISCAL_RECEIPT_EINVAL;
	if (contact && contact[0] && !fiscal_phone_ok(contact) && !email_ok(contact))
		return FISCAL_RECEIPT_ECONTACT;
	int k = 0, rc;
	if (cap < 1)
		return FISCAL_RECEIPT_ECAP;
	shtrih_req_open_receipt(&out[k++], fc->password, 0);
	for (int i = 0; i < p->nlines; i++)
		if ((rc = item(fc, &p->lines[i], out, &k, cap)))
			return rc;
	if ((rc = receipt_tags(fc, contact, out, &k, cap)))
		return rc;
	struct shtrih_close c = { .tax_system = fc->tax_system };
	c.pay[1] = p->total;
	if (k >= cap)
		return FISCAL_RECEIPT_ECAP;
	if (shtrih_req_close(&out[k], fc->password, &c))
		return FISCAL_RECEIPT_EINVAL;
	return k + 1;
}

int fiscal_receipt_as_refund(struct shtrih_req *cmds, int n)
{
	if (n < 3 || cmds[0].cmd != SHTRIH_OPEN_RECEIPT || cmds[0].len != 5 ||
	    cmds[n - 1].cmd != SHTRIH_FN_CLOSE_RECEIPT)
		return -1;
	cmds[0].data[4] = 2; /* 8Dh: sale refund */
	for (int i = 1; i < n - 1; i++)
		if (cmds[i].cmd == SHTRIH_FN_ITEM)
			cmds[i].data[4] = 2; /* the item's 1054: refund of a sale */
	return 0;
}
