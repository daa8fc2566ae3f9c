/* Billing-center API messages <-> JSON (jansson).  Decoders read into a local copy and
 * publish it only when every field passed, so bad input never half-fills the caller's data. */
#include "offline/center_json.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "kiosk/xalloc.h"
#include "offline/center_sign.h"

#define B64_CAP(n) (4 * (((n) + 2) / 3) + 1)

static int fail(char *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(char *err, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, CJSON_ERR_MAX, fmt, ap);
		va_end(ap);
	}
	return CJSON_EBAD;
}

static json_t *load(const char *s, size_t len, char *err)
{
	if (s == NULL || len == 0) {
		fail(err, "empty body");
		return NULL;
	}
	if (len > CJSON_MAX_INPUT) {
		fail(err, "body over %d bytes", CJSON_MAX_INPUT);
		return NULL;
	}
	json_error_t je;
	json_t *root = json_loadb(s, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		fail(err, "bad JSON at %d: %.80s", je.position, je.text);
		return NULL;
	}
	if (!json_is_object(root)) {
		json_decref(root);
		fail(err, "not a JSON object");
		return NULL;
	}
	return root;
}

static char *dump(json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (!s)
		abort(); /* only on allocation failure */
	char *r = xstrdup(s);
	free(s);
	return r;
}

/* Field readers: each returns 0 or CJSON_EBAD with "field: why" in err.  `req` false lets
 * an absent (or null) field keep the default already in dst. */
static int get_str(json_t *o, const char *k, char *dst, size_t cap, bool req, char *err)
{
	json_t *v = json_object_get(o, k);
	if (!v || json_is_null(v))
		return req ? fail(err, "%s: missing", k) : 0;
	if (!json_is_string(v))
		return fail(err, "%s: not a string", k);
	if (json_string_length(v) >= cap)
		return fail(err, "%s: longer than %zu bytes", k, cap - 1);
	memcpy(dst, json_string_value(v), json_string_length(v) + 1);
	return 0;
}

static int get_int(json_t *o, const char *k, int64_t *dst, int64_t min, int64_t max, bool req,
		   char *err)
{
	json_t *v = json_object_get(o, k);
	if (!v || json_is_null(v))
		return req ? fail(err, "%s: missing", k) : 0;
	if (!json_is_integer(v))
		return fail(err, "%s: not an integer", k);
	json_int_t x = json_integer_value(v);
	if (x < min || x > max)
		return fail(err, "%s: %" PRId64 " out of range", k, (int64_t)x);
	*dst = x;
	return 0;
}

static int get_i(json_t *o, const char *k, int *dst, int min, int max, bool req, char *err)
{
	int64_t x = *dst;
	if (get_int(o, k, &x, min, max, req, err))
		return CJSON_EBAD;
	*dst = (int)x;
	return 0;
}

static int get_bool(json_t *o, const char *k, bool *dst, bool req, char *err)
{
	json_t *v = json_object_get(o, k);
	if (!v || json_is_null(v))
		return req ? fail(err, "%s: missing", k) : 0;
	if (!json_is_boolean(v))
		return fail(err, "%s: not a boolean", k);
	*dst = json_is_true(v);
	return 0;
}

/* Exactly n bytes of base64. */
static int get_b64(json_t *o, const char *k, uint8_t *dst, size_t n, char *err)
{
	char tmp[B64_CAP(64)];
	uint8_t out[64];
	if (get_str(o, k, tmp, sizeof tmp, true, err))
		return CJSON_EBAD;
	if (csign_unb64(tmp, out, sizeof out) != (int)n)
		return fail(err, "%s: not %zu bytes of base64", k, n);
	memcpy(dst, out, n);
	return 0;
}

static json_t *b64(const uint8_t *p, size_t n)
{
	char *tmp = xmalloc(B64_CAP(n));
	csign_b64(p, n, tmp, B64_CAP(n));
	json_t *s = json_string(tmp);
	free(tmp);
	return s;
}

static json_t *arr(json_t *o, const char *k, size_t max, bool req, char *err)
{
	json_t *v = json_object_get(o, k);
	if (!v || json_is_null(v)) {
		if (req)
			fail(err, "%s: missing", k);
		return NULL;
	}
	if (!json_is_array(v)) {
		fail(err, "%s: not an array", k);
		return NULL;
	}
	if (json_array_size(v) > max) {
		fail(err, "%s: more than %zu entries", k, max);
		return NULL;
	}
	return v;
}

#define MS_MAX ((int64_t)1 << 53)   /* times: ms since the epoch, safe in any JSON reader */
#define SEQ_MAX ((int64_t)1 << 53)

/* ================================================================ hello */
char *cjson_hello_req_encode(const struct cjson_hello_req *r)
{
	json_t *h = json_pack("{s:s, s:s, s:s, s:I, s:I}",
			      "pinpad", r->health.pinpad, "printer", r->health.printer,
			      "scanner", r->health.scanner, "queue", (json_int_t)r->health.queue,
			      "oldest_unsent_s", (json_int_t)r->health.oldest_unsent_s);
	json_t *o = json_pack("{s:o, s:I, s:o, s:s, s:I, s:s, s:o}",
			      "epoch", b64(r->epoch, 16), "last_seq", (json_int_t)r->last_seq,
			      "chain_head", b64(r->chain_head, OUTBOX_HASH_LEN), "sw", r->sw,
			      "device_time_ms", (json_int_t)r->device_time_ms, "boot_id", r->boot_id,
			      "health", h);
	return dump(o);
}

int cjson_hello_req_decode(const char *s, size_t len, struct cjson_hello_req *ret, char *err)
{
	struct cjson_hello_req r;
	memset(&r, 0, sizeof r);
	json_t *o = load(s, len, err), *h;
	int rc = CJSON_EBAD;
	if (!o)
		return CJSON_EBAD;
	if (get_b64(o, "epoch", r.epoch, 16, err) ||
	    get_int(o, "last_seq", &r.last_seq, 0, SEQ_MAX, true, err) ||
	    get_b64(o, "chain_head", r.chain_head, OUTBOX_HASH_LEN, err) ||
	    get_str(o, "sw", r.sw, sizeof r.sw, true, err) ||
	    get_int(o, "device_time_ms", &r.device_time_ms, 0, MS_MAX, true, err) ||
	    get_str(o, "boot_id", r.boot_id, sizeof r.boot_id, false, err))
		goto out;
	h = json_object_get(o, "health");
	if (h) {
		if (!json_is_object(h)) {
			fail(err, "health: not an object");
			goto out;
		}
		if (get_str(h, "pinpad", r.health.pinpad, sizeof r.health.pinpad, false, err) ||
		    get_str(h, "printer", r.health.printer, sizeof r.health.printer, false, err) ||
		    get_str(h, "scanner", r.health.scanner, sizeof r.health.scanner, false, err) ||
		    get_int(h, "queue", &r.health.queue, 0, INT32_MAX, false, err) ||
		    get_int(h, "oldest_unsent_s", &r.health.oldest_unsent_s, 0, INT32_MAX, false, err))
			goto out;
	}
	*ret = r;
	rc = 0;
out:
	json_decref(o);
	return rc;
}

char *cjson_hello_resp_encode(const struct cjson_hello_resp *r)
{
	json_t *ep = json_object(), *cmds = json_array();
	for (int i = 0; i < r->nepochs; i++) {
		char k[B64_CAP(16)];
		csign_b64(r->epochs[i].epoch, 16, k, sizeof k);
		json_object_set_new(ep, k, json_pack("{s:I, s:o}",
				    "watermark", (json_int_t)r->epochs[i].watermark,
				    "chain_head", b64(r->epochs[i].chain_head, OUTBOX_HASH_LEN)));
	}
	for (int i = 0; i < r->ncommands; i++)
		json_array_append_new(cmds, json_string(r->commands[i]));
	json_t *o = json_pack("{s:I, s:s, s:o, s:{s:i, s:I}, s:o}",
			      "server_time_ms", (json_int_t)r->server_time_ms, "status", r->status,
			      "epochs", ep, "limits", "batch_max_records", r->batch_max_records,
			      "batch_max_bytes", (json_int_t)r->batch_max_bytes, "commands", cmds);
	return dump(o);
}

int cjson_hello_resp_decode(const char *s, size_t len, struct cjson_hello_resp *ret, char *err)
{
	struct cjson_hello_resp r;
	memset(&r, 0, sizeof r);
	r.batch_max_records = 100;
	r.batch_max_bytes = 65536;
	json_t *o = load(s, len, err), *ep, *lim, *cmds;
	int rc = CJSON_EBAD;
	if (!o)
		return CJSON_EBAD;
	if (get_int(o, "server_time_ms", &r.server_time_ms, 0, MS_MAX, true, err) ||
	    get_str(o, "status", r.status, sizeof r.status, true, err))
		goto out;
	if (strcmp(r.status, "ok") && strcmp(r.status, "fork") && strcmp(r.status, "revoked")) {
		fail(err, "status: unknown '%s'", r.status);
		goto out;
	}
	ep = json_object_get(o, "epochs");
	if (ep) {
		const char *k;
		json_t *v;
		if (!json_is_object(ep) || json_object_size(ep) > CJSON_MAX_EPOCHS) {
			fail(err, "epochs: not an object of at most %d", CJSON_MAX_EPOCHS);
			goto out;
		}
		json_object_foreach(ep, k, v) {
			struct cjson_epoch_state *e = &r.epochs[r.nepochs++];
			if (csign_unb64(k, e->epoch, 16) != 16) {
				fail(err, "epochs: key is not 16 bytes of base64");
				goto out;
			}
			if (!json_is_object(v)) {
				fail(err, "epochs: entry not an object");
				goto out;
			}
			if (get_int(v, "watermark", &e->watermark, 0, SEQ_MAX, true, err) ||
			    get_b64(v, "chain_head", e->chain_head, OUTBOX_HASH_LEN, err))
				goto out;
		}
	}
	lim = json_object_get(o, "limits");
	if (lim) {
		if (!json_is_object(lim)) {
			fail(err, "limits: not an object");
			goto out;
		}
		if (get_i(lim, "batch_max_records", &r.batch_max_records, 1, CJSON_MAX_BATCH, false, err) ||
		    get_int(lim, "batch_max_bytes", &r.batch_max_bytes, 1024, CJSON_MAX_INPUT / 2, false, err))
			goto out;
	}
	cmds = arr(o, "commands", CJSON_MAX_COMMANDS, false, err);
	if (!cmds && json_object_get(o, "commands") && !json_is_null(json_object_get(o, "commands")))
		goto out;
	for (size_t i = 0; cmds && i < json_array_size(cmds); i++) {
		json_t *c = json_array_get(cmds, i);
		if (!json_is_string(c) || json_string_length(c) >= sizeof r.commands[0]) {
			fail(err, "commands[%zu]: not a short string", i);
			goto out;
		}
		strcpy(r.commands[r.ncommands++], json_string_value(c));
	}
	*ret = r;
	rc = 0;
out:
	json_decref(o);
	return rc;
}

const struct cjson_epoch_state *cjson_hello_epoch(const struct cjson_hello_resp *r,
						  const uint8_t epoch[16])
{
	for (int i = 0; i < r->nepochs; i++)
		if (memcmp(r->epochs[i].epoch, epoch, 16) == 0)
			return &r->epochs[i];
	return NULL;
}

/* ================================================================ batches */
static const char *const disp_names[] = {
	[OUTBOX_CREATED] = "created", [OUTBOX_DUPLICATE] = "duplicate",
	[OUTBOX_CONFLICT] = "conflict", [OUTBOX_REJECTED] = "rejected",
};

const char *cjson_disposition_name(enum outbox_disposition d)
{
	return (unsigned)d < 4 ? disp_names[d] : "?";
}

int cjson_disposition_parse(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(s, disp_names[i]) == 0)
			return i;
	return -1;
}

static bool kind_ok(const char *k)
{
	static const char *const kinds[] = { "payment", "reading", "ereceipt", "request", "event" };
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(k, kinds[i]) == 0)
			return true;
	return false;
}

char *cjson_batch_req_encode(const struct outbox_batch *b)
{
	json_t *recs = json_array();
	for (int i = 0; i < b->n; i++) {
		const struct outbox_record *r = &b->recs[i];
		json_array_append_new(recs, json_pack("{s:I, s:o, s:s, s:o, s:o}",
				      "seq", (json_int_t)r->seq, "idem_key", b64(r->idem_key, OUTBOX_KEY_LEN),
				      "kind", r->kind, "body", b64(r->body, r->body_len),
				      "chain_hash", b64(r->chain_hash, OUTBOX_HASH_LEN)));
	}
	json_t *o = json_pack("{s:o, s:I, s:I, s:o, s:o}",
			      "epoch", b64(b->epoch, 16), "first_seq", (json_int_t)b->first_seq,
			      "last_seq", (json_int_t)b->last_seq,
			      "prev_chain_hash", b64(b->prev_chain_hash, OUTBOX_HASH_LEN), "records", recs);
	return dump(o);
}

void cjson_batch_clear(struct outbox_batch *b)
{
	if (!b)
		return;
	for (int i = 0; i < b->n; i++)
		free(b->recs[i].body);
	free(b->recs);
	b->recs = NULL;
	b->n = 0;
}

int cjson_batch_req_decode(const char *s, size_t len, struct outbox_batch *ret, char *err)
{
	struct outbox_batch b;
	memset(&b, 0, sizeof b);
	json_t *o = load(s, len, err), *recs;
	int rc = CJSON_EBAD;
	if (!o)
		return CJSON_EBAD;
	if (get_b64(o, "epoch", b.epoch, 16, err) ||
	    get_int(o, "first_seq", &b.first_seq, 1, SEQ_MAX, true, err) ||
	    get_int(o, "last_seq", &b.last_seq, 1, SEQ_MAX, true, err) ||
	    get_b64(o, "prev_chain_hash", b.prev_chain_hash, OUTBOX_HASH_LEN, err))
		goto out;
	recs = arr(o, "records", CJSON_MAX_BATCH, true, err);
	if (!recs)
		goto out;
	if (json_array_size(recs) == 0 ||
	    (int64_t)json_array_size(recs) != b.last_seq - b.first_seq + 1) {
		fail(err, "records: count does not match first_seq..last_seq");
		goto out;
	}
	b.recs = xcalloc(json_array_size(recs), sizeof *b.recs);
	for (size_t i = 0; i < json_array_size(recs); i++) {
		json_t *r = json_array_get(recs, i);
		struct outbox_record *x = &b.recs[i];
		if (!json_is_object(r)) {
			fail(err, "records[%zu]: not an object", i);
			goto out;
		}
		b.n++;
		if (get_int(r, "seq", &x->seq, 1, SEQ_MAX, true, err) ||
		    get_b64(r, "idem_key", x->idem_key, OUTBOX_KEY_LEN, err) ||
		    get_str(r, "kind", x->kind, sizeof x->kind, true, err) ||
		    get_b64(r, "chain_hash", x->chain_hash, OUTBOX_HASH_LEN, err))
			goto out;
		if (x->seq != b.first_seq + (int64_t)i) {
			fail(err, "records[%zu].seq: not contiguous", i);
			goto out;
		}
		if (!kind_ok(x->kind)) {
			fail(err, "records[%zu].kind: unknown '%s'", i, x->kind);
			goto out;
		}
		json_t *bv = json_object_get(r, "body");
		if (!json_is_string(bv)) {
			fail(err, "records[%zu].body: missing or not a string", i);
			goto out;
		}
		size_t blen = json_string_length(bv);
		x->body = xmalloc(blen / 4 * 3 + 1);
		int n = csign_unb64(json_string_value(bv), x->body, blen / 4 * 3 + 1);
		if (n <= 0) {
			fail(err, "records[%zu].body: not base64", i);
			goto out;
		}
		x->body_len = (size_t)n;
	}
	*ret = b;
	memset(&b, 0, sizeof b);
	rc = 0;
out:
	cjson_batch_clear(&b);
	json_decref(o);
	return rc;
}

char *cjson_batch_resp_encode(const struct cjson_batch_resp *r)
{
	json_t *res = json_array();
	for (int i = 0; i < r->n; i++) {
		const struct outbox_result *x = &r->results[i];
		json_t *e = json_pack("{s:I, s:o, s:s, s:s}", "seq", (json_int_t)x->seq,
				      "idem_key", b64(x->idem_key, OUTBOX_KEY_LEN),
				      "disposition", cjson_disposition_name(x->disposition),
				      "server_ref", x->server_ref);
		if (x->reason[0])
			json_object_set_new(e, "reason", json_string(x->reason));
		json_array_append_new(res, e);
	}
	json_t *o = json_pack("{s:o, s:I, s:I, s:o}", "epoch", b64(r->epoch, 16),
			      "watermark", (json_int_t)r->watermark,
			      "server_time_ms", (json_int_t)r->server_time_ms, "results", res);
	return dump(o);
}

void cjson_batch_resp_clear(struct cjson_batch_resp *r)
{
	if (!r)
		return;
	free(r->results);
	r->results = NULL;
	r->n = 0;
}

int cjson_batch_resp_decode(const char *s, size_t len, struct cjson_batch_resp *ret, char *err)
{
	struct cjson_batch_resp r;
	memset(&r, 0, sizeof r);
	json_t *o = load(s, len, err), *res;
	int rc = CJSON_EBAD;
	if (!o)
		return CJSON_EBAD;
	if (get_b64(o, "epoch", r.epoch, 16, err) ||
	    get_int(o, "watermark", &r.watermark, 0, SEQ_MAX, true, err) ||
	    get_int(o, "server_time_ms", &r.server_time_ms, 0, MS_MAX, true, err))
		goto out;
	res = arr(o, "results", CJSON_MAX_BATCH, true, err);
	if (!res)
		goto out;
	r.results = xcalloc(json_array_size(res) + 1, sizeof *r.results);
	for (size_t i = 0; i < json_array_size(res); i++) {
		json_t *e = json_array_get(res, i);
		struct outbox_result *x = &r.results[i];
		char d[16];
		if (!json_is_object(e)) {
			fail(err, "results[%zu]: not an object", i);
			goto out;
		}
		if (get_int(e, "seq", &x->seq, 1, SEQ_MAX, true, err) ||
		    get_b64(e, "idem_key", x->idem_key, OUTBOX_KEY_LEN, err) ||
		    get_str(e, "disposition", d, sizeof d, true, err) ||
		    get_str(e, "server_ref", x->server_ref, sizeof x->server_ref, true, err) ||
		    get_str(e, "reason", x->reason, sizeof x->reason, false, err))
			goto out;
		int dv = cjson_disposition_parse(d);
		if (dv < 0) {
			fail(err, "results[%zu].disposition: unknown '%s'", i, d);
			goto out;
		}
		x->disposition = (enum outbox_disposition)dv;
		r.n++;
	}
	*ret = r;
	r.results = NULL;
	rc = 0;
out:
	free(r.results);
	json_decref(o);
	return rc;
}

/* ================================================================ errors */
char *cjson_error_encode(const struct cjson_error *e)
{
	json_t *o = json_pack("{s:s}", "error", e->error);
	if (e->watermark >= 0)
		json_object_set_new(o, "watermark", json_integer(e->watermark));
	if (e->attempts_left >= 0)
		json_object_set_new(o, "attempts_left", json_integer(e->attempts_left));
	if (e->retry_after_s >= 0)
		json_object_set_new(o, "retry_after_s", json_integer(e->retry_after_s));
	if (e->detail[0])
		json_object_set_new(o, "detail", json_string(e->detail));
	if (e->server_time_ms >= 0)
		json_object_set_new(o, "server_time_ms", json_integer(e->server_time_ms));
	return dump(o);
}

int cjson_error_decode(const char *s, size_t len, struct cjson_error *ret, char *err)
{
	struct cjson_error e;
	memset(&e, 0, sizeof e);
	e.watermark = e.server_time_ms = e.attempts_left = e.retry_after_s = -1;
	json_t *o = load(s, len, err);
	int rc = CJSON_EBAD;
	if (!o)
		return CJSON_EBAD;
	if (get_str(o, "error", e.error, sizeof e.error, true, err) ||
	    get_int(o, "watermark", &e.watermark, 0, SEQ_MAX, false, err) ||
	    get_int(o, "server_time_ms", &e.server_time_ms, 0, MS_MAX, false, err) ||
	    get_int(o, "attempts_left", &e.attempts_left, 0, 100, false, err) ||
	    get_int(o, "retry_after_s", &e.retry_after_s, 0, 86400, false, err) ||
	    get_str(o, "detail", e.detail, sizeof e.detail, false, err))
		goto out;
	*ret = e;
	rc = 0;
out:
	json_decref(o);
	return rc;
}

int64_t cjson_server_time(const char *s, size_t len)
{
	int64_t t = -1;
	json_t *o = load(s, len, NULL);
	if (!o)
		return -1;
	if (get_int(o, "server_time_ms", &t, 0, MS_MAX, true, NULL))
		t = -1;
	json_decref(o);
	return t;
}

/* ================================================================ accounts */
static json_t *account_json(const struct account *a, const char *control_hint)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:b}", "pers_acc", a->pers_acc,
			      "address_masked", a->address_masked, "period", a->period,
			      "details", a->details);
	if (a->details) {
		json_t *sv = json_array(), *su = json_array(), *me = json_array();
		json_object_set_new(o, "owner_masked", json_string(a->owner_masked));
		json_object_set_new(o, "due", json_integer(a->due));
		json_object_set_new(o, "accrued", json_integer(a->accrued));
		json_object_set_new(o, "paid", json_integer(a->paid));
		json_object_set_new(o, "debt", json_integer(a->debt));
		for (int i = 0; i < a->nservices; i++) {
			const struct account_service *x = &a->services[i];
			json_array_append_new(sv, json_pack("{s:s, s:s, s:s, s:I, s:I}", "code", x->code,
					      "name", x->name, "supplier_id", x->supplier_id,
					      "accrued", (json_int_t)x->accrued, "due", (json_int_t)x->due));
		}
		for (int i = 0; i < a->nsuppliers; i++) {
			const struct account_supplier *x = &a->suppliers[i];
			json_array_append_new(su, json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", x->id,
					      "name", x->name, "inn", x->inn, "phone", x->phone,
					      "address", x->address));
		}
		for (int i = 0; i < a->nmeters; i++) {
			const struct account_meter *x = &a->meters[i];
			json_array_append_new(me, json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:I, s:s, s:I}",
					      "id", x->id, "serial", x->serial, "service", x->service,
					      "name", x->name, "unit", x->unit, "digits", x->digits,
					      "decimals", x->decimals, "last_value_milli", (json_int_t)x->last_value_milli,
					      "last_date", x->last_date, "max_monthly_milli", (json_int_t)x->max_monthly_milli));
		}
		json_object_set_new(o, "services", sv);
		json_object_set_new(o, "suppliers", su);
		json_object_set_new(o, "meters", me);
	}
	if (control_hint)
		json_object_set_new(o, "control_hint", json_string(control_hint));
	json_object_set_new(o, "updated_at_ms", json_integer(a->updated_at_ms));
	return o;
}

char *cjson_account_encode(const struct account *a, const char *control_hint,
			   int64_t server_time_ms)
{
	json_t *o = account_json(a, control_hint);
	if (server_time_ms >= 0)
		json_object_set_new(o, "server_time_ms", json_integer(server_time_ms));
	return dump(o);
}

static bool digits_only(const char *s, size_t min, size_t max)
{
	size_t n = strlen(s);
	if (n < min || n > max)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static int account_from(json_t *o, struct account *ret, char *err)
{
	struct account *a = xcalloc(1, sizeof *a);
	json_t *sv, *su, *me;
	int rc = CJSON_EBAD;
	a->details = false;
	if (get_str(o, "pers_acc", a->pers_acc, sizeof a->pers_acc, true, err) ||
	    get_str(o, "address_masked", a->address_masked, sizeof a->address_masked, true, err) ||
	    get_str(o, "period", a->period, sizeof a->period, true, err) ||
	    get_bool(o, "details", &a->details, false, err) ||
	    get_int(o, "updated_at_ms", &a->updated_at_ms, 0, MS_MAX, true, err))
		goto out;
	if (!digits_only(a->pers_acc, 1, sizeof a->pers_acc - 1)) {
		fail(err, "pers_acc: not digits");
		goto out;
	}
	/* Details present when the server says so, or (older servers) when services are sent. */
	if (json_object_get(o, "services"))
		a->details = true;
	if (!a->details)
		goto done;
	if (get_str(o, "owner_masked", a->owner_masked, sizeof a->owner_masked, true, err) ||
	    get_int(o, "due", &a->due, -MONEY_MAX, MONEY_MAX, true, err) ||
	    get_int(o, "accrued", &a->accrued, -MONEY_MAX, MONEY_MAX, true, err) ||
	    get_int(o, "paid", &a->paid, -MONEY_MAX, MONEY_MAX, true, err) ||
	    get_int(o, "debt", &a->debt, -MONEY_MAX, MONEY_MAX, true, err))
		goto out;
	if (!(sv = arr(o, "services", ACCOUNT_MAX_SERVICES, true, err)) ||
	    !(su = arr(o, "suppliers", ACCOUNT_MAX_SUPPLIERS, true, err)) ||
	    !(me = arr(o, "meters", ACCOUNT_MAX_METERS, true, err)))
		goto out;
	for (size_t i = 0; i < json_array_size(sv); i++) {
		json_t *e = json_array_get(sv, i);
		struct account_service *x = &a->services[i];
		if (!json_is_object(e)) {
			fail(err, "services[%zu]: not an object", i);
			goto out;
		}
		if (get_str(e, "code", x->code, sizeof x->code, true, err) ||
		    get_str(e, "name", x->name, sizeof x->name, true, err) ||
		    get_str(e, "supplier_id", x->supplier_id, sizeof x->supplier_id, true, err) ||
		    get_int(e, "accrued", &x->accrued, -MONEY_MAX, MONEY_MAX, true, err) ||
		    get_int(e, "due", &x->due, -MONEY_MAX, MONEY_MAX, true, err))
			goto out;
		a->nservices++;
	}
	for (size_t i = 0; i < json_array_size(su); i++) {
		json_t *e = json_array_get(su, i);
		struct account_supplier *x = &a->suppliers[i];
		if (!json_is_object(e)) {
			fail(err, "suppliers[%zu]: not an object", i);
			goto out;
		}
		if (get_str(e, "id", x->id, sizeof x->id, true, err) ||
		    get_str(e, "name", x->name, sizeof x->name, true, err) ||
		    get_str(e, "inn", x->inn, sizeof x->inn, true, err) ||
		    get_str(e, "phone", x->phone, sizeof x->phone, false, err) ||
		    get_str(e, "address", x->address, sizeof x->address, false, err))
			goto out;
		if (!digits_only(x->inn, 10, 12)) {
			fail(err, "suppliers[%zu].inn: not 10 or 12 digits", i);
			goto out;
		}
		a->nsuppliers++;
	}
	for (size_t i = 0; i < json_array_size(me); i++) {
		json_t *e = json_array_get(me, i);
		struct account_meter *x = &a->meters[i];
		if (!json_is_object(e)) {
			fail(err, "meters[%zu]: not an object", i);
			goto out;
		}
		if (get_str(e, "id", x->id, sizeof x->id, true, err) ||
		    get_str(e, "serial", x->serial, sizeof x->serial, false, err) ||
		    get_str(e, "service", x->service, sizeof x->service, true, err) ||
		    get_str(e, "name", x->name, sizeof x->name, true, err) ||
		    get_str(e, "unit", x->unit, sizeof x->unit, true, err) ||
		    get_i(e, "digits", &x->digits, 1, 12, true, err) ||
		    get_i(e, "decimals", &x->decimals, 0, 3, true, err) ||
		    get_int(e, "last_value_milli", &x->last_value_milli, 0, INT64_C(1000000000000000), true, err) ||
		    get_str(e, "last_date", x->last_date, sizeof x->last_date, false, err) ||
		    get_int(e, "max_monthly_milli", &x->max_monthly_milli, 0, INT64_C(1000000000000000), true, err))
			goto out;
		a->nmeters++;
	}
done:
	*ret = *a;
	rc = 0;
out:
	free(a);
	return rc;
}

int cjson_account_decode(const char *s, size_t len, struct account *ret, char *err)
{
	json_t *o = load(s, len, err);
	if (!o)
		return CJSON_EBAD;
	int rc = account_from(o, ret, err);
	json_decref(o);
	return rc;
}

char *cjson_verify_req_encode(kopecks answer_accrued)
{
	return dump(json_pack("{s:I}", "answer_accrued", (json_int_t)answer_accrued));
}

int cjson_verify_req_decode(const char *s, size_t len, kopecks *ret, char *err)
{
	kopecks v = 0;
	json_t *o = load(s, len, err);
	if (!o)
		return CJSON_EBAD;
	int rc = get_int(o, "answer_accrued", &v, 0, MONEY_MAX, true, err);
	json_decref(o);
	if (rc == 0)
		*ret = v;
	return rc;
}

char *cjson_verify_resp_encode(const struct cjson_verify_resp *r, int64_t server_time_ms)
{
	return dump(json_pack("{s:s, s:I, s:I}", "token", r->token, "ttl_s", (json_int_t)r->ttl_s,
			      "server_time_ms", (json_int_t)server_time_ms));
}

int cjson_verify_resp_decode(const char *s, size_t len, struct cjson_verify_resp *ret, char *err)
{
	struct cjson_verify_resp r;
	memset(&r, 0, sizeof r);
	json_t *o = load(s, len, err);
	if (!o)
		return CJSON_EBAD;
	int rc = get_str(o, "token", r.token, sizeof r.token, true, err) ||
		 get_int(o, "ttl_s", &r.ttl_s, 1, 86400, true, err) ? CJSON_EBAD : 0;
	if (rc == 0 && r.token[0] == '\0')
		rc = fail(err, "token: empty");
	json_decref(o);
	if (rc == 0)
		*ret = r;
	return rc;
}

/* ================================================================ history */
char *cjson_readings_encode(const struct cjson_readings *h, int64_t server_time_ms)
{
	json_t *a = json_array();
	for (int i = 0; i < h->n; i++) {
		const struct cjson_reading *r = &h->r[i];
		json_array_append_new(a, json_pack("{s:s, s:s, s:I, s:s, s:s}", "meter_id", r->meter_id,
				      "date", r->date, "value_milli", (json_int_t)r->value_milli,
				      "source", r->source, "status", r->status));
	}
	return dump(json_pack("{s:s, s:o, s:I}", "pers_acc", h->pers_acc, "readings", a,
			      "server_time_ms", (json_int_t)server_time_ms));
}

int cjson_readings_decode(const char *s, size_t len, struct cjson_readings *ret, char *err)
{
	struct cjson_readings *h = xcalloc(1, sizeof *h);
	json_t *o = load(s, len, err), *a;
	int rc = CJSON_EBAD;
	if (!o)
		goto out;
	if (get_str(o, "pers_acc", h->pers_acc, sizeof h->pers_acc, true, err) ||
	    !(a = arr(o, "readings", CJSON_MAX_HISTORY, true, err)))
		goto out;
	for (size_t i = 0; i < json_array_size(a); i++) {
		json_t *e = json_array_get(a, i);
		struct cjson_reading *r = &h->r[i];
		if (!json_is_object(e)) {
			fail(err, "readings[%zu]: not an object", i);
			goto out;
		}
		if (get_str(e, "meter_id", r->meter_id, sizeof r->meter_id, true, err) ||
		    get_str(e, "date", r->date, sizeof r->date, true, err) ||
		    get_int(e, "value_milli", &r->value_milli, 0, INT64_C(1000000000000000), true, err) ||
		    get_str(e, "source", r->source, sizeof r->source, true, err) ||
		    get_str(e, "status", r->status, sizeof r->status, true, err))
			goto out;
		h->n++;
	}
	*ret = *h;
	rc = 0;
out:
	json_decref(o);
	free(h);
	return rc;
}

char *cjson_payments_encode(const struct cjson_payments *h, int64_t server_time_ms)
{
	json_t *a = json_array();
	for (int i = 0; i < h->n; i++) {
		const struct cjson_payment *p = &h->p[i];
		json_array_append_new(a, json_pack("{s:I, s:s, s:I, s:s, s:s, s:s}",
				      "date_ms", (json_int_t)p->date_ms, "period", p->period,
				      "amount", (json_int_t)p->amount, "source", p->source,
				      "status", p->status, "ref", p->ref));
	}
	return dump(json_pack("{s:s, s:o, s:I}", "pers_acc", h->pers_acc, "payments", a,
			      "server_time_ms", (json_int_t)server_time_ms));
}

int cjson_payments_decode(const char *s, size_t len, struct cjson_payments *ret, char *err)
{
	struct cjson_payments *h = xcalloc(1, sizeof *h);
	json_t *o = load(s, len, err), *a;
	int rc = CJSON_EBAD;
	if (!o)
		goto out;
	if (get_str(o, "pers_acc", h->pers_acc, sizeof h->pers_acc, true, err) ||
	    !(a = arr(o, "payments", CJSON_MAX_HISTORY, true, err)))
		goto out;
	for (size_t i = 0; i < json_array_size(a); i++) {
		json_t *e = json_array_get(a, i);
		struct cjson_payment *p = &h->p[i];
		if (!json_is_object(e)) {
			fail(err, "payments[%zu]: not an object", i);
			goto out;
		}
		if (get_int(e, "date_ms", &p->date_ms, 0, MS_MAX, true, err) ||
		    get_str(e, "period", p->period, sizeof p->period, false, err) ||
		    get_int(e, "amount", &p->amount, 1, MONEY_MAX, true, err) ||
		    get_str(e, "source", p->source, sizeof p->source, true, err) ||
		    get_str(e, "status", p->status, sizeof p->status, true, err) ||
		    get_str(e, "ref", p->ref, sizeof p->ref, false, err))
			goto out;
		h->n++;
	}
	*ret = *h;
	rc = 0;
out:
	json_decref(o);
	free(h);
	return rc;
}

/* ================================================================ snapshot */
char *cjson_snapshot_encode(const struct cjson_snapshot_page *p)
{
	json_t *a = json_array();
	for (int i = 0; i < p->n; i++)
		json_array_append_new(a, account_json(&p->accounts[i], NULL));
	return dump(json_pack("{s:o, s:s, s:b, s:I}", "accounts", a, "next_cursor", p->next_cursor,
			      "more", p->more, "server_time_ms", (json_int_t)p->server_time_ms));
}

void cjson_snapshot_clear(struct cjson_snapshot_page *p)
{
	if (!p)
		return;
	free(p->accounts);
	p->accounts = NULL;
	p->n = 0;
}

int cjson_snapshot_decode(const char *s, size_t len, struct cjson_snapshot_page *ret, char *err)
{
	struct cjson_snapshot_page p;
	memset(&p, 0, sizeof p);
	json_t *o = load(s, len, err), *a;
	int rc = CJSON_EBAD;
	if (!o)
		return CJSON_EBAD;
	if (get_str(o, "next_cursor", p.next_cursor, sizeof p.next_cursor, true, err) ||
	    get_bool(o, "more", &p.more, true, err) ||
	    get_int(o, "server_time_ms", &p.server_time_ms, 0, MS_MAX, true, err) ||
	    !(a = arr(o, "accounts", CJSON_MAX_PAGE, true, err)))
		goto out;
	p.accounts = xcalloc(json_array_size(a) + 1, sizeof *p.accounts);
	for (size_t i = 0; i < json_array_size(a); i++) {
		json_t *e = json_array_get(a, i);
		char sub[CJSON_ERR_MAX];
		if (!json_is_object(e)) {
			fail(err, "accounts[%zu]: not an object", i);
			goto out;
		}
		if (account_from(e, &p.accounts[i], sub)) {
			fail(err, "accounts[%zu].%s", i, sub);
			goto out;
		}
		if (!p.accounts[i].details) {
			fail(err, "accounts[%zu]: snapshot entry without details", i);
			goto out;
		}
		p.n++;
	}
	*ret = p;
	p.accounts = NULL;
	rc = 0;
out:
	free(p.accounts);
	json_decref(o);
	return rc;
}
