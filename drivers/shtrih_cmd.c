#include "drivers/shtrih_cmd.h"

#include <stdio.h>
#include <string.h>

#define AMOUNT_MAX ((int64_t)0xFFFFFFFFFF - 1) /* FF x5 is "not given" */

void shtrih_put_le(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

uint64_t shtrih_get_le(const uint8_t *p, int n)
{
	uint64_t v = 0;
	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* Execution timeouts after the device's ACK: the reports print at length, the shift open
 * prints its report too; status requests answer at once. */
int shtrih_cmd_timeout_ms(uint16_t cmd)
{
	switch (cmd) {
	case SHTRIH_SHORT_STATUS:
	case SHTRIH_LONG_STATUS:
	case SHTRIH_IDENTIFY:
		return 3000;
	case SHTRIH_X_REPORT:
		return 30000;
	case SHTRIH_Z_REPORT:
	case SHTRIH_FN_CLOSE_SHIFT:
		return 65000;
	case SHTRIH_OPEN_SHIFT:
	case SHTRIH_FN_OPEN_SHIFT:
		return 120000;
	default:
		return 30000;
	}
}

const char *shtrih_cmd_name(uint16_t cmd, char *buf)
{
	snprintf(buf, 5, "%02X", (unsigned)cmd);
	return buf;
}

static void begin(struct shtrih_req *r, uint16_t cmd, uint32_t pw)
{
	memset(r, 0, sizeof *r);
	r->cmd = cmd;
	shtrih_put_le(r->data, pw, 4);
	r->len = 4;
}

void shtrih_req_pw(struct shtrih_req *r, uint16_t cmd, uint32_t pw)
{
	begin(r, cmd, pw);
	if (cmd == SHTRIH_IDENTIFY)
		r->len = 0;
}

void shtrih_req_open_receipt(struct shtrih_req *r, uint32_t pw, uint8_t type)
{
	begin(r, SHTRIH_OPEN_RECEIPT, pw);
	r->data[r->len++] = type;
}

void shtrih_req_fd(struct shtrih_req *r, uint16_t cmd, uint32_t pw, uint32_t fd)
{
	begin(r, cmd, pw);
	shtrih_put_le(r->data + r->len, fd, 4);
	r->len += 4;
}

int shtrih_req_tlv(struct shtrih_req *r, uint16_t cmd, uint32_t pw, const uint8_t *tlv, size_t n)
{
	if (n == 0 || n > SHTRIH_TLV_MAX)
		return -1;
	begin(r, cmd, pw);
	memcpy(r->data + r->len, tlv, n);
	r->len += n;
	return 0;
}

int shtrih_req_print(struct shtrih_req *r, uint32_t pw, uint8_t flags, const uint8_t *text,
		     size_t n)
{
	if (n > SHTRIH_LINE_MAX)
		return -1;
	begin(r, SHTRIH_PRINT_LINE, pw);
	r->data[r->len++] = flags;
	if (n)
		memcpy(r->data + r->len, text, n);
	r->len += SHTRIH_LINE_MAX;
	return 0;
}

void shtrih_req_cut(struct shtrih_req *r, uint32_t pw, bool partial)
{
	begin(r, SHTRIH_CUT, pw);
	r->data[r->len++] = partial ? 1 : 0;
}

static int put_amount(struct shtrih_req *r, int64_t v, bool none_ok)
{
	if (v == SHTRIH_AMOUNT_NONE && none_ok)
		shtrih_put_le(r->data + r->len, 0xFFFFFFFFFF, 5);
	else if (v < 0 || v > AMOUNT_MAX)
		return -1;
	else
		shtrih_put_le(r->data + r->len, (uint64_t)v, 5);
	r->len += 5;
	return 0;
}

int shtrih_req_item(struct shtrih_req *r, uint32_t pw, const struct shtrih_item *it)
{
	if (it->department > 16 || it->name_len > SHTRIH_NAME_MAX || it->qty_micro < 0 ||
	    it->qty_micro > (int64_t)0xFFFFFFFFFFFF)
		return -1;
	begin(r, SHTRIH_FN_ITEM, pw);
	r->data[r->len++] = it->op_type;
	shtrih_put_le(r->data + r->len, (uint64_t)it->qty_micro, 6);
	r->len += 6;
	if (put_amount(r, it->price, false) || put_amount(r, it->amount, true) ||
	    put_amount(r, it->tax_amount, true))
		return -1;
	r->data[r->len++] = it->tax;
	r->data[r->len++] = it->department;
	r->data[r->len++] = it->method;
	r->data[r->len++] = it->object;
	memcpy(r->data + r->len, it->name, it->name_len);
	r->len += it->name_len;
	return 0;
}

int shtrih_req_close(struct shtrih_req *r, uint32_t pw, const struct shtrih_close *c)
{
	uint8_t ts = c->tax_system;
	if (ts == 0 || (ts & (ts - 1)) != 0 || ts > 0x20 || c->text_len > sizeof c->text)
		return -1;
	begin(r, SHTRIH_FN_CLOSE_RECEIPT, pw);
	for (int i = 0; i < 16; i++)
		if (put_amount(r, c->pay[i], false))
			return -1;
	r->data[r->len++] = c->rounding;
	for (int i = 0; i < 6; i++)
		if (put_amount(r, c->taxes[i], false))
			return -1;
	r->data[r->len++] = ts;
	memcpy(r->data + r->len, c->text, c->text_len);
	r->len += c->text_len;
	return 0;
}

/* ---- replies */

static void get_dt(const uint8_t *p, struct shtrih_dt *dt)
{
	dt->yy = p[0];
	dt->mo = p[1];
	dt->dd = p[2];
	dt->hh = p[3];
	dt->mi = p[4];
}

int shtrih_parse_short_status(const struct shtrih_reply *r, struct shtrih_short_status *ret)
{
	const uint8_t *p = r->data;
	if (r->len < 14)
		return -1;
	memset(ret, 0, sizeof *ret);
	ret->op = p[0];
	ret->flags = (uint16_t)shtrih_get_le(p + 1, 2);
	ret->mode = p[3] & 0x0F;
	ret->mode_status = p[3] >> 4;
	ret->submode = p[4];
	ret->ops = (uint16_t)(p[5] | p[10] << 8);
	ret->battery = p[6];
	ret->supply = p[7];
	if (r->len >= 15) {
		ret->has_print_result = true;
		ret->print_result = p[14];
	}
	return 0;
}

int shtrih_parse_long_status(const struct shtrih_reply *r, struct shtrih_long_status *ret)
{
	const uint8_t *p = r->data;
	if (r->len < 46)
		return -1;
	memset(ret, 0, sizeof *ret);
	ret->op = p[0];
	ret->fw[0] = (char)p[1];
	ret->fw[1] = (char)p[2];
	ret->build = (uint16_t)shtrih_get_le(p + 3, 2);
	memcpy(ret->fw_date, p + 5, 3);
	ret->doc_no = (uint16_t)shtrih_get_le(p + 9, 2);
	ret->flags = (uint16_t)shtrih_get_le(p + 11, 2);
	ret->mode = p[13] & 0x0F;
	ret->submode = p[14];
	memcpy(ret->date, p + 23, 3);
	memcpy(ret->time, p + 26, 3);
	ret->serial = (uint32_t)shtrih_get_le(p + 30, 4);
	ret->last_shift = (uint16_t)shtrih_get_le(p + 34, 2);
	ret->inn = shtrih_get_le(p + 40, 6);
	return 0;
}

int shtrih_parse_identity(const struct shtrih_reply *r, struct shtrih_identity *ret)
{
	const uint8_t *p = r->data;
	if (r->len < 6)
		return -1;
	memset(ret, 0, sizeof *ret);
	ret->type = p[0];
	ret->subtype = p[1];
	ret->proto = p[2];
	ret->subproto = p[3];
	ret->model = p[4];
	ret->lang = p[5];
	size_t n = r->len - 6;
	if (n > sizeof ret->name - 1)
		n = sizeof ret->name - 1;
	memcpy(ret->name, p + 6, n);
	return 0;
}

static void get_serial(const uint8_t *p, char out[17])
{
	memcpy(out, p, 16);
	out[16] = '\0';
	for (int i = 0; i < 16; i++)
		if (out[i] < 0x20 || out[i] > 0x7E)
			out[i] = '?';
}

int shtrih_parse_fn_status(const struct shtrih_reply *r, struct shtrih_fn_status *ret)
{
	const uint8_t *p = r->data;
	if (r->len < 30)
		return -1;
	memset(ret, 0, sizeof *ret);
	ret->phase = p[0];
	ret->cur_doc = p[1];
	ret->doc_data = p[2];
	ret->shift_open = p[3];
	ret->warn = p[4];
	get_dt(p + 5, &ret->last_doc);
	get_serial(p + 10, ret->serial);
	ret->last_fd = (uint32_t)shtrih_get_le(p + 26, 4);
	return 0;
}

int shtrih_parse_fn_serial(const struct shtrih_reply *r, char ret[17])
{
	if (r->len < 16)
		return -1;
	get_serial(r->data, ret);
	return 0;
}

int shtrih_parse_fn_expiry(const struct shtrih_reply *r, uint8_t ret_ymd[3])
{
	if (r->len < 3)
		return -1;
	memcpy(ret_ymd, r->data, 3);
	return 0;
}

int shtrih_parse_shift_status(const struct shtrih_reply *r, struct shtrih_shift_status *ret)
{
	if (r->len < 5)
		return -1;
	ret->open = r->data[0];
	ret->shift_no = (uint16_t)shtrih_get_le(r->data + 1, 2);
	ret->receipt_no = (uint16_t)shtrih_get_le(r->data + 3, 2);
	return 0;
}

int shtrih_parse_shift_result(const struct shtrih_reply *r, struct shtrih_fd_result *ret)
{
	const uint8_t *p = r->data;
	if (r->len < 10)
		return -1;
	memset(ret, 0, sizeof *ret);
	ret->shift_no = (uint16_t)shtrih_get_le(p, 2);
	ret->fd = (uint32_t)shtrih_get_le(p + 2, 4);
	ret->fp = (uint32_t)shtrih_get_le(p + 6, 4);
	if (r->len >= 15) {
		ret->has_dt = true;
		get_dt(p + 10, &ret->dt);
	}
	return 0;
}

int shtrih_parse_close_result(const struct shtrih_reply *r, struct shtrih_fd_result *ret)
{
	const uint8_t *p = r->data;
	if (r->len < 13)
		return -1;
	memset(ret, 0, sizeof *ret);
	ret->change = (int64_t)shtrih_get_le(p, 5);
	ret->fd = (uint32_t)shtrih_get_le(p + 5, 4);
	ret->fp = (uint32_t)shtrih_get_le(p + 9, 4);
	if (r->len >= 18) {
		ret->has_dt = true;
		get_dt(p + 13, &ret->dt);
	}
	return 0;
}

int shtrih_parse_fn_doc(const struct shtrih_reply *r, struct shtrih_fn_doc *ret)
{
	const uint8_t *p = r->data;
	struct shtrih_fn_doc d;
	if (r->len < 15)
		return -1;
	memset(&d, 0, sizeof d);
	d.type = p[0];
	d.ofd_ack = p[1];
	get_dt(p + 2, &d.dt);
	d.fd = (uint32_t)shtrih_get_le(p + 7, 4);
	d.fp = (uint32_t)shtrih_get_le(p + 11, 4);
	if (d.type == SHTRIH_DOC_RECEIPT) {
		if (r->len < 21)
			return -1;
		d.op = p[15];
		d.sum = (int64_t)shtrih_get_le(p + 16, 5);
	} else if (d.type == SHTRIH_DOC_SHIFT_OPEN || d.type == SHTRIH_DOC_SHIFT_CLOSE) {
		if (r->len < 17)
			return -1;
		d.shift_no = (uint16_t)shtrih_get_le(p + 15, 2);
	}
	*ret = d;
	return 0;
}

int shtrih_parse_ofd_status(const struct shtrih_reply *r, struct shtrih_ofd_status *ret)
{
	const uint8_t *p = r->data;
	if (r->len < 13)
		return -1;
	ret->bits = p[0];
	ret->reading = p[1];
	ret->msgs = (uint16_t)shtrih_get_le(p + 2, 2);
	ret->first_fd = (uint32_t)shtrih_get_le(p + 4, 4);
	get_dt(p + 8, &ret->first_dt);
	return 0;
}

int shtrih_parse_unsent(const struct shtrih_reply *r, uint16_t *ret)
{
	if (r->len < 2)
		return -1;
	*ret = (uint16_t)shtrih_get_le(r->data, 2);
	return 0;
}

int shtrih_parse_tlv_begin(const struct shtrih_reply *r, uint16_t *ret_tag, uint16_t *ret_len)
{
	if (r->len < 4)
		return -1;
	*ret_tag = (uint16_t)shtrih_get_le(r->data, 2);
	*ret_len = (uint16_t)shtrih_get_le(r->data + 2, 2);
	return 0;
}
