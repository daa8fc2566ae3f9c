/* The simulator's documents as JSON lines and its state knobs.  Tags are decoded by what
 * they hold: the agent flags as numbers, the STLVs (1223, 1224) as objects, strings from
 * CP866. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/escpos.h"
#include "drivers/shtrih_state.h"
#include "tests/sim/kkt/kkt_priv.h"

static json_t *tlv_object(const uint8_t *p, size_t n);

static json_t *tlv_value(uint16_t tag, const uint8_t *v, size_t len)
{
	if (tag == 1223 || tag == 1224)
		return tlv_object(v, len);
	if (tag == 1222 || tag == 1057 || tag == 2108)
		return json_integer(len ? (json_int_t)shtrih_get_le(v, len > 4 ? 4 : (int)len) : 0);
	char s[1024];
	escpos_cp866_to_utf8((const char *)v, len, s, sizeof s);
	return json_string(s);
}

/* A TLV list as {"tag": value}; a malformed tail is kept as "bad". */
static json_t *tlv_object(const uint8_t *p, size_t n)
{
	json_t *o = json_object();
	size_t off = 0;
	while (off + 4 <= n) {
		uint16_t tag = (uint16_t)shtrih_get_le(p + off, 2);
		size_t len = (size_t)shtrih_get_le(p + off + 2, 2);
		if (len > n - off - 4)
			break;
		char key[8];
		snprintf(key, sizeof key, "%u", tag);
		json_object_set_new(o, key, tlv_value(tag, p + off + 4, len));
		off += 4 + len;
	}
	if (off != n)
		json_object_set_new(o, "bad", json_true());
	return o;
}

static void fmt_dt(const uint8_t dt[5], char *buf, size_t cap)
{
	snprintf(buf, cap, "20%02u-%02u-%02uT%02u:%02u", dt[0], dt[1], dt[2], dt[3], dt[4]);
}

char *kkt_doc_json(const struct kkt_doc *d, const char *serial)
{
	char dt[24], qr[160];
	fmt_dt(d->dt, dt, sizeof dt);
	json_t *o = json_pack("{s:i, s:I, s:I, s:s, s:s, s:i}", "type", d->type, "fd", (json_int_t)d->fd,
			      "fp", (json_int_t)d->fp, "fn", serial, "datetime", dt, "shift", d->shift_no);
	if (d->type == SHTRIH_DOC_RECEIPT) {
		json_object_set_new(o, "number", json_integer(d->receipt_no));
		json_object_set_new(o, "1054", json_integer(d->op));
		json_object_set_new(o, "1020", json_integer(d->sum));
		json_object_set_new(o, "1081", json_integer(d->card));
		json_object_set_new(o, "1031", json_integer(d->cash));
		json_object_set_new(o, "1055", json_integer(d->tax_system));
		json_t *items = json_array();
		for (int i = 0; i < d->nitems; i++) {
			const struct kkt_item *it = &d->items[i];
			json_t *j = json_pack("{s:s, s:I, s:I, s:I, s:i, s:i, s:i, s:i}", "1030", it->name,
					      "1079", (json_int_t)it->price, "1023_micro",
					      (json_int_t)it->qty_micro, "1043", (json_int_t)it->amount,
					      "tax", it->tax, "dept", it->dept, "1214", it->method,
					      "1212", it->object);
			json_t *tags = tlv_object(it->tlv, it->tlv_len);
			json_object_update(j, tags);
			json_decref(tags);
			json_array_append_new(items, j);
		}
		json_object_set_new(o, "items", items);
		json_t *rt = tlv_object(d->tlv, d->tlv_len);
		json_object_update(o, rt);
		json_decref(rt);
		snprintf(qr, sizeof qr, "t=20%02u%02u%02uT%02u%02u&s=%lld.%02lld&fn=%s&i=%u&fp=%u&n=%u",
			 d->dt[0], d->dt[1], d->dt[2], d->dt[3], d->dt[4], (long long)(d->sum / 100),
			 (long long)(d->sum % 100), serial, d->fd, d->fp, d->op);
		json_object_set_new(o, "qr", json_string(qr));
	} else if (d->type == SHTRIH_DOC_SHIFT_CLOSE) {
		json_object_set_new(o, "receipts", json_integer(d->receipt_no));
		json_object_set_new(o, "sum", json_integer(d->sum));
	}
	char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	return s;
}

struct knob {
	const char *name;
	int (*set)(struct kkt_core *k, const char *v, int64_t now_ms);
};

static int set_paper(struct kkt_core *k, const char *v, int64_t now_ms)
{
	(void)now_ms;
	k->paper = atoi(v) != 0;
	if (!k->paper && k->submode == SHTRIH_SUB_IDLE)
		k->submode = SHTRIH_SUB_PAPER_OUT;
	else if (k->paper && k->submode == SHTRIH_SUB_PAPER_OUT)
		k->submode = SHTRIH_SUB_IDLE;
	else if (k->paper && k->submode == SHTRIH_SUB_PAPER_OUT_PRINTING)
		k->submode = SHTRIH_SUB_WAIT_CONTINUE;
	return 0;
}

static int set_ofd(struct kkt_core *k, const char *v, int64_t now_ms)
{
	(void)now_ms;
	k->ofd_auto_ack = atoi(v) != 0;
	if (k->ofd_auto_ack)
		for (size_t i = 0; i < k->ndocs; i++)
			k->docs[i].ofd_ack = true;
	return 0;
}

#define INT_KNOB(fn, field, lo, hi) \
	static int fn(struct kkt_core *k, const char *v, int64_t now_ms) \
	{ \
		char *end; \
		long x = strtol(v, &end, 0); \
		(void)now_ms; \
		if (*end || x < (lo) || x > (hi)) \
			return -1; \
		k->field = x; \
		return 0; \
	}
INT_KNOB(set_skew, skew_ms, -86400000L, 86400000L)
INT_KNOB(set_fn_error, fn_error, 0, 255)
INT_KNOB(set_warn, warn, 0, 255)
INT_KNOB(set_paper_break, paper_break_after_close, 0, 100)
INT_KNOB(set_busy, busy, 0, 100)
INT_KNOB(set_agent_bits, agent_bits, 0, 255)
INT_KNOB(set_tax_systems, tax_systems, 0, 63)
INT_KNOB(set_phase, phase, 0, 255)
INT_KNOB(set_item_tags_before, item_tags_before, 0, 1)

static int set_shift_age(struct kkt_core *k, const char *v, int64_t now_ms)
{
	char *end;
	long h = strtol(v, &end, 10);
	if (*end || h < 0 || h > 1000 || !k->shift_open)
		return -1;
	k->shift_opened_ms = now_ms + k->skew_ms - h * 3600000LL;
	return 0;
}

static const struct knob knobs[] = {
	{ "paper", set_paper }, { "ofd", set_ofd }, { "skew_ms", set_skew },
	{ "fn_error", set_fn_error }, { "warn", set_warn }, { "paper_break", set_paper_break },
	{ "busy", set_busy }, { "agent_bits", set_agent_bits }, { "tax_systems", set_tax_systems },
	{ "phase", set_phase }, { "shift_age_h", set_shift_age }, { "item_tags_before", set_item_tags_before },
};

int kkt_core_knobs(struct kkt_core *k, const char *line, int64_t now_ms, char *err, size_t cap)
{
	char buf[512], *save = NULL;
	snprintf(buf, sizeof buf, "%s", line);
	for (char *w = strtok_r(buf, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		char *eq = strchr(w, '=');
		if (!eq) {
			snprintf(err, cap, "expected name=value, got '%s'", w);
			return -1;
		}
		*eq = '\0';
		size_t i = 0;
		while (i < sizeof knobs / sizeof knobs[0] && strcmp(knobs[i].name, w) != 0)
			i++;
		if (i == sizeof knobs / sizeof knobs[0]) {
			snprintf(err, cap, "unknown knob '%s'", w);
			return -1;
		}
		if (knobs[i].set(k, eq + 1, now_ms) != 0) {
			snprintf(err, cap, "bad value for %s: '%s'", w, eq + 1);
			return -1;
		}
	}
	return 0;
}
