/* The simulated register: state, status and shift commands, the archive.  See kkt_core.h. */
#include "tests/sim/kkt/kkt_core.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "drivers/shtrih_state.h"
#include "kiosk/base/xalloc.h"
#include "tests/sim/kkt/kkt_priv.h"

#define DAY_MS (24LL * 3600 * 1000)

void kkt_rep_begin(struct kkt_rep *r, uint8_t *buf, uint16_t cmd)
{
	r->p = buf;
	r->n = 0;
	if (cmd > 0xFF)
		r->p[r->n++] = 0xFF;
	r->p[r->n++] = (uint8_t)cmd;
	r->p[r->n++] = 0;
}

size_t kkt_rep_err(struct kkt_rep *r, uint8_t err)
{
	r->n = r->p[0] == 0xFF ? 2 : 1;
	r->p[r->n++] = err;
	return r->n;
}

void kkt_rep_le(struct kkt_rep *r, uint64_t v, int n)
{
	shtrih_put_le(r->p + r->n, v, n);
	r->n += (size_t)n;
}

void kkt_rep_bytes(struct kkt_rep *r, const void *p, size_t n)
{
	memcpy(r->p + r->n, p, n);
	r->n += n;
}

uint8_t kkt_operator(uint32_t pw)
{
	return pw >= 1 && pw <= 30 ? (uint8_t)pw : 0;
}

void kkt_dt(const struct kkt_core *k, int64_t now_ms, uint8_t dt[5])
{
	time_t t = (time_t)((now_ms + k->skew_ms) / 1000 + KKT_TZ_OFFSET_MIN * 60);
	struct tm tm;
	gmtime_r(&t, &tm);
	dt[0] = (uint8_t)(tm.tm_year % 100);
	dt[1] = (uint8_t)(tm.tm_mon + 1);
	dt[2] = (uint8_t)tm.tm_mday;
	dt[3] = (uint8_t)tm.tm_hour;
	dt[4] = (uint8_t)tm.tm_min;
}

bool kkt_shift_over(const struct kkt_core *k, int64_t now_ms)
{
	return k->shift_open && now_ms + k->skew_ms - k->shift_opened_ms >= DAY_MS;
}

uint32_t kkt_core_fp(const struct kkt_core *k, uint32_t fd, const uint8_t dt[5], int64_t sum)
{
	uint8_t msg[16 + 4 + 5 + 8], mac[EVP_MAX_MD_SIZE];
	unsigned int mlen = 0;
	memcpy(msg, k->serial, 16);
	shtrih_put_le(msg + 16, fd, 4);
	memcpy(msg + 20, dt, 5);
	shtrih_put_le(msg + 25, (uint64_t)sum, 8);
	HMAC(EVP_sha256(), k->fp_key, sizeof k->fp_key, msg, sizeof msg, mac, &mlen);
	return (uint32_t)shtrih_get_le(mac, 4);
}

void kkt_core_init(struct kkt_core *k, int64_t now_ms)
{
	memset(k, 0, sizeof *k);
	snprintf(k->serial, sizeof k->serial, "9999078900007903");
	memcpy(k->fp_key, "kkt-sim deterministic fp key 32b", 32);
	k->agent_bits = 0x05;       /* payment agent and bank payment agent */
	k->tax_systems = 0x3F;
	k->mode = SHTRIH_MODE_SHIFT_CLOSED;
	k->paper = true;
	k->phase = 3;
	k->ofd_auto_ack = true;
	uint8_t dt[5];
	kkt_dt(k, now_ms + 300 * DAY_MS, dt); /* the drive expires in about ten months */
	memcpy(k->expiry, dt, 3);
}

void kkt_core_free(struct kkt_core *k)
{
	for (size_t i = 0; i < k->ndocs; i++)
		free(k->docs[i].items);
	free(k->docs);
	k->docs = NULL;
	k->ndocs = k->cap_docs = 0;
}

const struct kkt_doc *kkt_core_doc(const struct kkt_core *k, uint32_t fd)
{
	for (size_t i = 0; i < k->ndocs; i++)
		if (k->docs[i].fd == fd)
			return &k->docs[i];
	return NULL;
}

struct kkt_doc *kkt_make_doc(struct kkt_core *k, uint8_t type, int64_t now_ms)
{
	if (k->ndocs == k->cap_docs) {
		k->cap_docs = k->cap_docs ? 2 * k->cap_docs : 16;
		k->docs = xrealloc(k->docs, k->cap_docs * sizeof *k->docs);
	}
	struct kkt_doc *d = &k->docs[k->ndocs++];
	memset(d, 0, sizeof *d);
	d->fd = ++k->last_fd;
	d->type = type;
	d->at_ms = now_ms + k->skew_ms;
	kkt_dt(k, now_ms, d->dt);
	d->shift_no = k->shift_no;
	d->ofd_ack = k->ofd_auto_ack;
	k->doc_no++;
	return d;
}

/* Finishes a document: its FP over the final sum, then the sink. */
static void publish(struct kkt_core *k, struct kkt_doc *d)
{
	d->fp = kkt_core_fp(k, d->fd, d->dt, d->sum);
	if (k->on_doc)
		k->on_doc(k->sink_ctx, d, k->serial);
}

static void print(struct kkt_core *k, const char *kind, const char *text)
{
	if (k->on_print)
		k->on_print(k->sink_ctx, kind, text);
}

static size_t short_status(struct kkt_core *k, struct kkt_rep *r, uint8_t op)
{
	uint16_t flags = 0x0200 | (k->paper ? 0x0082 : 0);
	uint8_t status = k->mode == SHTRIH_MODE_DOCUMENT ? (uint8_t)(k->receipt_type << 4) : 0;
	kkt_rep_le(r, op, 1);
	kkt_rep_le(r, flags, 2);
	kkt_rep_le(r, (uint8_t)(k->mode | status), 1);
	kkt_rep_le(r, k->submode, 1);
	kkt_rep_le(r, (uint8_t)k->nitems, 1);
	kkt_rep_le(r, 0x9A, 1);
	kkt_rep_le(r, 0xC4, 1);
	kkt_rep_le(r, 0, 2);
	kkt_rep_le(r, (uint8_t)(k->nitems >> 8), 1);
	kkt_rep_le(r, 0, 3);
	kkt_rep_le(r, k->submode == SHTRIH_SUB_PAPER_OUT_PRINTING ? 1 : 0, 1);
	return r->n;
}

static size_t long_status(struct kkt_core *k, struct kkt_rep *r, uint8_t op, int64_t now_ms)
{
	uint8_t dt[5];
	kkt_dt(k, now_ms, dt);
	kkt_rep_le(r, op, 1);
	kkt_rep_bytes(r, "C1", 2);
	kkt_rep_le(r, 1000, 2);
	kkt_rep_bytes(r, "\x01\x01\x19", 3);
	kkt_rep_le(r, 1, 1);
	kkt_rep_le(r, k->doc_no, 2);
	kkt_rep_le(r, 0x0200 | (k->paper ? 0x0082 : 0), 2);
	kkt_rep_le(r, k->mode, 1);
	kkt_rep_le(r, k->submode, 1);
	kkt_rep_le(r, 1, 1);
	kkt_rep_le(r, 0, 7);
	uint8_t date[3] = { dt[2], dt[1], dt[0] }, tm[3] = { dt[3], dt[4], 0 };
	kkt_rep_bytes(r, date, 3);
	kkt_rep_bytes(r, tm, 3);
	kkt_rep_le(r, 0, 1);
	kkt_rep_le(r, 12345678, 4);
	kkt_rep_le(r, k->shift_no, 2);
	kkt_rep_le(r, 0, 4);
	kkt_rep_le(r, 5037008735ULL, 6);
	return r->n;
}

static size_t fn_status(struct kkt_core *k, struct kkt_rep *r)
{
	const struct kkt_doc *last = k->ndocs ? &k->docs[k->ndocs - 1] : NULL;
	static const uint8_t none[5];
	kkt_rep_le(r, k->phase, 1);
	kkt_rep_le(r, k->mode == SHTRIH_MODE_DOCUMENT ? 0x04 : 0, 1);
	kkt_rep_le(r, k->mode == SHTRIH_MODE_DOCUMENT && k->nitems ? 1 : 0, 1);
	kkt_rep_le(r, k->shift_open, 1);
	kkt_rep_le(r, k->warn, 1);
	kkt_rep_bytes(r, last ? last->dt : none, 5);
	kkt_rep_bytes(r, k->serial, 16);
	kkt_rep_le(r, k->last_fd, 4);
	return r->n;
}

static const struct kkt_doc *first_unsent(const struct kkt_core *k, int *ret_count)
{
	const struct kkt_doc *first = NULL;
	*ret_count = 0;
	for (size_t i = 0; i < k->ndocs; i++)
		if (!k->docs[i].ofd_ack) {
			if (!first)
				first = &k->docs[i];
			(*ret_count)++;
		}
	return first;
}

static size_t fn_doc(struct kkt_core *k, struct kkt_rep *r, uint32_t fd)
{
	const struct kkt_doc *d = kkt_core_doc(k, fd);
	if (!d)
		return kkt_rep_err(r, 0x08);
	kkt_rep_le(r, d->type, 1);
	kkt_rep_le(r, d->ofd_ack, 1);
	kkt_rep_bytes(r, d->dt, 5);
	kkt_rep_le(r, d->fd, 4);
	kkt_rep_le(r, d->fp, 4);
	if (d->type == SHTRIH_DOC_RECEIPT) {
		kkt_rep_le(r, d->op, 1);
		kkt_rep_le(r, (uint64_t)d->sum, 5);
	} else {
		kkt_rep_le(r, d->shift_no, 2);
	}
	return r->n;
}

/* E0h / FF0B, 41h / FF43: the shift's documents. */
static size_t open_shift(struct kkt_core *k, struct kkt_rep *r, bool fn_level, uint8_t op,
			 int64_t now_ms)
{
	if (k->mode != SHTRIH_MODE_SHIFT_CLOSED)
		return kkt_rep_err(r, k->mode == SHTRIH_MODE_DOCUMENT ? 0x4A : 0x73);
	if (!k->paper)
		return kkt_rep_err(r, 0x6B);
	if (k->fn_error)
		return kkt_rep_err(r, k->fn_error);
	k->shift_no++;
	k->receipt_no = 0;
	k->shift_open = true;
	k->shift_opened_ms = now_ms + k->skew_ms;
	k->mode = SHTRIH_MODE_SHIFT_OPEN;
	struct kkt_doc *d = kkt_make_doc(k, SHTRIH_DOC_SHIFT_OPEN, now_ms);
	publish(k, d);
	print(k, "report", "ОТЧЁТ ОБ ОТКРЫТИИ СМЕНЫ");
	if (!fn_level) {
		kkt_rep_le(r, op, 1);
		return r->n;
	}
	kkt_rep_le(r, k->shift_no, 2);
	kkt_rep_le(r, d->fd, 4);
	kkt_rep_le(r, d->fp, 4);
	return r->n;
}

static size_t close_shift(struct kkt_core *k, struct kkt_rep *r, bool fn_level, uint8_t op,
			  int64_t now_ms)
{
	if (k->mode != SHTRIH_MODE_SHIFT_OPEN && k->mode != SHTRIH_MODE_SHIFT_OVER)
		return kkt_rep_err(r, k->mode == SHTRIH_MODE_DOCUMENT ? 0x4A : 0x73);
	if (!k->paper)
		return kkt_rep_err(r, 0x6B);
	if (k->fn_error)
		return kkt_rep_err(r, k->fn_error);
	struct kkt_doc *d = kkt_make_doc(k, SHTRIH_DOC_SHIFT_CLOSE, now_ms);
	d->receipt_no = k->receipt_no;
	for (size_t i = 0; i + 1 < k->ndocs; i++) /* the shift's sales, for the report */
		if (k->docs[i].type == SHTRIH_DOC_RECEIPT && k->docs[i].shift_no == k->shift_no)
			d->sum += k->docs[i].sum;
	k->shift_open = false;
	k->mode = SHTRIH_MODE_SHIFT_CLOSED;
	publish(k, d);
	print(k, "report", "ОТЧЁТ О ЗАКРЫТИИ СМЕНЫ");
	if (!fn_level) {
		kkt_rep_le(r, op, 1);
		return r->n;
	}
	kkt_rep_le(r, d->shift_no, 2);
	kkt_rep_le(r, d->fd, 4);
	kkt_rep_le(r, d->fp, 4);
	return r->n;
}

static size_t x_report(struct kkt_core *k, struct kkt_rep *r, uint8_t op)
{
	if (k->mode != SHTRIH_MODE_SHIFT_OPEN && k->mode != SHTRIH_MODE_SHIFT_OVER)
		return kkt_rep_err(r, 0x73);
	if (!k->paper)
		return kkt_rep_err(r, 0x6B);
	char line[96];
	int64_t sum = 0;
	for (size_t i = 0; i < k->ndocs; i++)
		if (k->docs[i].type == SHTRIH_DOC_RECEIPT && k->docs[i].shift_no == k->shift_no)
			sum += k->docs[i].sum;
	snprintf(line, sizeof line, "X-ОТЧЁТ смена %u чеков %u сумма %lld", k->shift_no,
		 k->receipt_no, (long long)sum);
	print(k, "report", line);
	kkt_rep_le(r, op, 1);
	return r->n;
}

static size_t print_cmd(struct kkt_core *k, struct kkt_rep *r, uint16_t cmd, const uint8_t *d,
			size_t n, uint8_t op)
{
	if (!k->paper)
		return kkt_rep_err(r, 0x6B);
	if (cmd == SHTRIH_CUT) {
		if (n != 5 || k->mode == SHTRIH_MODE_DOCUMENT)
			return kkt_rep_err(r, n != 5 ? 0x01 : 0x73);
		print(k, "cut", d[4] ? "partial" : "full");
	} else {
		if (n < 5 || n > 5 + 64)
			return kkt_rep_err(r, 0x01);
		char text[65 * 3 + 4];
		kkt_win1251_to_utf8(d + 5, n - 5, text, sizeof text);
		print(k, "line", text);
	}
	kkt_rep_le(r, op, 1);
	return r->n;
}

/* Password classes: 0 any operator, 1 administrator or СА, 2 СА only. */
static int need_pw(uint16_t cmd)
{
	if (cmd > 0xFF)
		return cmd == SHTRIH_FN_ITEM ? 0 : 2;
	return cmd == SHTRIH_X_REPORT || cmd == SHTRIH_Z_REPORT ? 1 : 0;
}

static size_t dispatch(struct kkt_core *k, struct kkt_rep *r, uint16_t cmd, const uint8_t *d,
		       size_t n, uint8_t op, int64_t now_ms)
{
	switch (cmd) {
	case SHTRIH_SHORT_STATUS: return short_status(k, r, op);
	case SHTRIH_LONG_STATUS: return long_status(k, r, op, now_ms);
	case SHTRIH_FN_STATUS: return fn_status(k, r);
	case SHTRIH_FN_SERIAL: kkt_rep_bytes(r, k->serial, 16); return r->n;
	case SHTRIH_FN_EXPIRY: kkt_rep_bytes(r, k->expiry, 3); return r->n;
	case SHTRIH_FN_SHIFT_STATUS:
		kkt_rep_le(r, k->shift_open, 1);
		kkt_rep_le(r, k->shift_no, 2);
		kkt_rep_le(r, k->receipt_no, 2);
		return r->n;
	case SHTRIH_OPEN_SHIFT: return open_shift(k, r, false, op, now_ms);
	case SHTRIH_FN_OPEN_SHIFT: return open_shift(k, r, true, op, now_ms);
	case SHTRIH_Z_REPORT: return close_shift(k, r, false, op, now_ms);
	case SHTRIH_FN_CLOSE_SHIFT: return close_shift(k, r, true, op, now_ms);
	case SHTRIH_FN_SHIFT_OPEN_BEGIN:
		return k->mode == SHTRIH_MODE_SHIFT_CLOSED ? r->n : kkt_rep_err(r, 0x73);
	case SHTRIH_FN_SHIFT_CLOSE_BEGIN:
		return k->shift_open ? r->n : kkt_rep_err(r, 0x73);
	case SHTRIH_X_REPORT: return x_report(k, r, op);
	case SHTRIH_PRINT_LINE:
	case SHTRIH_CUT: return print_cmd(k, r, cmd, d, n, op);
	case SHTRIH_CONTINUE_PRINT:
		if (k->submode != SHTRIH_SUB_WAIT_CONTINUE)
			return kkt_rep_err(r, 0x72);
		k->submode = SHTRIH_SUB_IDLE;
		print(k, "reprint", "");
		kkt_rep_le(r, op, 1);
		return r->n;
	case SHTRIH_FN_FIND_DOC:
		return n == 8 ? fn_doc(k, r, (uint32_t)shtrih_get_le(d + 4, 4)) : kkt_rep_err(r, 0x01);
	case SHTRIH_FN_OFD_STATUS: {
		int count;
		const struct kkt_doc *f = first_unsent(k, &count);
		static const uint8_t none[5];
		kkt_rep_le(r, count ? 0x03 : 0x01, 1);
		kkt_rep_le(r, 0, 1);
		kkt_rep_le(r, (uint64_t)count, 2);
		kkt_rep_le(r, f ? f->fd : 0, 4);
		kkt_rep_bytes(r, f ? f->dt : none, 5);
		return r->n;
	}
	case SHTRIH_FN_UNSENT: {
		int count;
		first_unsent(k, &count);
		kkt_rep_le(r, (uint64_t)count, 2);
		return r->n;
	}
	default:
		return kkt_receipt_exec(k, cmd, d, n, now_ms, r->p);
	}
}

size_t kkt_core_exec(struct kkt_core *k, const uint8_t *req, size_t n, int64_t now_ms,
		     uint8_t *reply)
{
	struct kkt_rep r;
	uint16_t cmd = n && req[0] == 0xFF && n >= 2 ? (uint16_t)(0xFF00 | req[1]) : (n ? req[0] : 0);
	kkt_rep_begin(&r, reply, cmd);
	k->n_exec++;
	if (n == 0 || (req[0] == 0xFF && n < 2))
		return kkt_rep_err(&r, 0x01);
	size_t cl = shtrih_cmd_len(cmd);
	const uint8_t *d = req + cl;
	size_t dn = n - cl;
	if (cmd == SHTRIH_IDENTIFY) {
		kkt_rep_bytes(&r, "\x00\x00\x01\x00\x96\x00", 6);
		kkt_rep_bytes(&r, "SHTRIH-KIOSK-FR-K SIM", 21);
		return r.n;
	}
	if (dn < 4)
		return kkt_rep_err(&r, 0x01);
	uint32_t pw = (uint32_t)shtrih_get_le(d, 4);
	uint8_t op = kkt_operator(pw);
	int need = need_pw(cmd);
	if (!op || (need == 1 && op < 29) || (need == 2 && op != 30))
		return kkt_rep_err(&r, 0x4F);
	if (k->busy > 0) {
		k->busy--;
		return kkt_rep_err(&r, 0x50);
	}
	if (k->submode == SHTRIH_SUB_WAIT_CONTINUE && cmd != SHTRIH_CONTINUE_PRINT &&
	    cmd != SHTRIH_SHORT_STATUS && cmd != SHTRIH_LONG_STATUS && cmd <= 0xFF)
		return kkt_rep_err(&r, 0x58);
	if (kkt_shift_over(k, now_ms) && k->mode == SHTRIH_MODE_SHIFT_OPEN)
		k->mode = SHTRIH_MODE_SHIFT_OVER;
	return dispatch(k, &r, cmd, d, dn, op, now_ms);
}
