/* Billing-center API messages <-> JSON (jansson): hello, batches, errors.  Decoders read into a local copy and
 * publish it only when every field passed, so bad input never half-fills the caller's data. */
#include "offline/center_json.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "kiosk/base/xalloc.h"
#include "offline/center_json_priv.h"
#include "offline/center_sign.h"

/* ================================================================ hello */
char *cjson_hello_req_encode(const struct cjson_hello_req *r)
{
	json_t *h = json_pack("{s:s, s:s, s:s, s:I, s:I}",
			      "pinpad", r->health.pinpad, "printer", r->health.printer,
			      "scanner", r->health.scanner, "queue", (json_int_t)r->health.queue,
			      "oldest_unsent_s", (json_int_t)r->health.oldest_unsent_s);
	json_t *o = json_pack("{s:o, s:I, s:o, s:s, s:I, s:s, s:o}",
			      "epoch", cjson_b64(r->epoch, 16), "last_seq", (json_int_t)r->last_seq,
			      "chain_head", cjson_b64(r->chain_head, OUTBOX_HASH_LEN), "sw", r->sw,
			      "device_time_ms", (json_int_t)r->device_time_ms, "boot_id", r->boot_id,
			      "health", h);
	return cjson_dump(o);
}

int cjson_hello_req_decode(const char *s, size_t len, struct cjson_hello_req *ret, char *err)
{
	struct cjson_hello_req r;
	memset(&r, 0, sizeof r);
	json_t *o = cjson_load(s, len, err), *h;
	int rc = CJSON_EBAD;
	if (!o)
		return CJSON_EBAD;
	if (cjson_get_b64(o, "epoch", r.epoch, 16, err) ||
	    cjson_get_int(o, "last_seq", &r.last_seq, 0, SEQ_MAX, true, err) ||
	    cjson_get_b64(o, "chain_head", r.chain_head, OUTBOX_HASH_LEN, err) ||
	    cjson_get_str(o, "sw", r.sw, sizeof r.sw, true, err) ||
	    cjson_get_int(o, "device_time_ms", &r.device_time_ms, 0, MS_MAX, true, err) ||
	    cjson_get_str(o, "boot_id", r.boot_id, sizeof r.boot_id, false, err))
		goto out;
	h = json_object_get(o, "health");
	if (h) {
		if (!json_is_object(h)) {
			cjson_fail(err, "health: not an object");
			goto out;
		}
		if (cjson_get_str(h, "pinpad", r.health.pinpad, sizeof r.health.pinpad, false, err) ||
		    cjson_get_str(h, "printer", r.health.printer, sizeof r.health.printer, false, err) ||
		    cjson_get_str(h, "scanner", r.health.scanner, sizeof r.health.scanner, false, err) ||
		    cjson_get_int(h, "queue", &r.health.queue, 0, INT32_MAX, false, err) ||
		    cjson_get_int(h, "oldest_unsent_s", &r.health.oldest_unsent_s, 0, INT32_MAX, false, err))
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
		char k[CJSON_B64_CAP(16)];
		csign_b64(r->epochs[i].epoch, 16, k, sizeof k);
		json_object_set_new(ep, k, json_pack("{s:I, s:o}",
				    "watermark", (json_int_t)r->epochs[i].watermark,
				    "chain_head", cjson_b64(r->epochs[i].chain_head, OUTBOX_HASH_LEN)));
	}
	for (int i = 0; i < r->ncommands; i++)
		json_array_append_new(cmds, json_string(r->commands[i]));
	json_t *o = json_pack("{s:I, s:s, s:o, s:{s:i, s:I}, s:o}",
			      "server_time_ms", (json_int_t)r->server_time_ms, "status", r->status,
			      "epochs", ep, "limits", "batch_max_records", r->batch_max_records,
			      "batch_max_bytes", (json_int_t)r->batch_max_bytes, "commands", cmds);
	return cjson_dump(o);
}

int cjson_hello_resp_decode(const char *s, size_t len, struct cjson_hello_resp *ret, char *err)
{
	struct cjson_hello_resp r;
	memset(&r, 0, sizeof r);
	r.batch_max_records = 100;
	r.batch_max_bytes = 65536;
	json_t *o = cjson_load(s, len, err), *ep, *lim, *cmds;
	int rc = CJSON_EBAD;
	if (!o)
		return CJSON_EBAD;
	if (cjson_get_int(o, "server_time_ms", &r.server_time_ms, 0, MS_MAX, true, err) ||
	    cjson_get_str(o, "status", r.status, sizeof r.status, true, err))
		goto out;
	if (strcmp(r.status, "ok") && strcmp(r.status, "fork") && strcmp(r.status, "revoked")) {
		cjson_fail(err, "status: unknown '%s'", r.status);
		goto out;
	}
	ep = json_object_get(o, "epochs");
	if (ep) {
		const char *k;
		json_t *v;
		if (!json_is_object(ep) || json_object_size(ep) > CJSON_MAX_EPOCHS) {
			cjson_fail(err, "epochs: not an object of at most %d", CJSON_MAX_EPOCHS);
			goto out;
		}
		json_object_foreach(ep, k, v) {
			struct cjson_epoch_state *e = &r.epochs[r.nepochs++];
			if (csign_unb64(k, e->epoch, 16) != 16) {
				cjson_fail(err, "epochs: key is not 16 bytes of base64");
				goto out;
			}
			if (!json_is_object(v)) {
				cjson_fail(err, "epochs: entry not an object");
				goto out;
			}
			if (cjson_get_int(v, "watermark", &e->watermark, 0, SEQ_MAX, true, err) ||
			    cjson_get_b64(v, "chain_head", e->chain_head, OUTBOX_HASH_LEN, err))
				goto out;
		}
	}
	lim = json_object_get(o, "limits");
	if (lim) {
		if (!json_is_object(lim)) {
			cjson_fail(err, "limits: not an object");
			goto out;
		}
		if (cjson_get_i(lim, "batch_max_records", &r.batch_max_records, 1, CJSON_MAX_BATCH, false, err) ||
		    cjson_get_int(lim, "batch_max_bytes", &r.batch_max_bytes, 1024, CJSON_MAX_INPUT / 2, false, err))
			goto out;
	}
	cmds = cjson_arr(o, "commands", CJSON_MAX_COMMANDS, false, err);
	if (!cmds && json_object_get(o, "commands") && !json_is_null(json_object_get(o, "commands")))
		goto out;
	for (size_t i = 0; cmds && i < json_array_size(cmds); i++) {
		json_t *c = json_array_get(cmds, i);
		if (!json_is_string(c) || json_string_length(c) >= sizeof r.commands[0]) {
			cjson_fail(err, "commands[%zu]: not a short string", i);
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
				      "seq", (json_int_t)r->seq, "idem_key", cjson_b64(r->idem_key, OUTBOX_KEY_LEN),
				      "kind", r->kind, "body", cjson_b64(r->body, r->body_len),
				      "chain_hash", cjson_b64(r->chain_hash, OUTBOX_HASH_LEN)));
	}
	json_t *o = json_pack("{s:o, s:I, s:I, s:o, s:o}",
			      "epoch", cjson_b64(b->epoch, 16), "first_seq", (json_int_t)b->first_seq,
			      "last_seq", (json_int_t)b->last_seq,
			      "prev_chain_hash", cjson_b64(b->prev_chain_hash, OUTBOX_HASH_LEN), "records", recs);
	return cjson_dump(o);
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
	json_t *o = cjson_load(s, len, err), *recs;
	int rc = CJSON_EBAD;
	if (!o)
		return CJSON_EBAD;
	if (cjson_get_b64(o, "epoch", b.epoch, 16, err) ||
	    cjson_get_int(o, "first_seq", &b.first_seq, 1, SEQ_MAX, true, err) ||
	    cjson_get_int(o, "last_seq", &b.last_seq, 1, SEQ_MAX, true, err) ||
	    cjson_get_b64(o, "prev_chain_hash", b.prev_chain_hash, OUTBOX_HASH_LEN, err))
		goto out;
	recs = cjson_arr(o, "records", CJSON_MAX_BATCH, true, err);
	if (!recs)
		goto out;
	if (json_array_size(recs) == 0 ||
	    (int64_t)json_array_size(recs) != b.last_seq - b.first_seq + 1) {
		cjson_fail(err, "records: count does not match first_seq..last_seq");
		goto out;
	}
	b.recs = xcalloc(json_array_size(recs), sizeof *b.recs);
	for (size_t i = 0; i < json_array_size(recs); i++) {
		json_t *r = json_array_get(recs, i);
		struct outbox_record *x = &b.recs[i];
		if (!json_is_object(r)) {
			cjson_fail(err, "records[%zu]: not an object", i);
			goto out;
		}
		b.n++;
		if (cjson_get_int(r, "seq", &x->seq, 1, SEQ_MAX, true, err) ||
		    cjson_get_b64(r, "idem_key", x->idem_key, OUTBOX_KEY_LEN, err) ||
		    cjson_get_str(r, "kind", x->kind, sizeof x->kind, true, err) ||
		    cjson_get_b64(r, "chain_hash", x->chain_hash, OUTBOX_HASH_LEN, err))
			goto out;
		if (x->seq != b.first_seq + (int64_t)i) {
			cjson_fail(err, "records[%zu].seq: not contiguous", i);
			goto out;
		}
		if (!kind_ok(x->kind)) {
			cjson_fail(err, "records[%zu].kind: unknown '%s'", i, x->kind);
			goto out;
		}
		json_t *bv = json_object_get(r, "body");
		if (!json_is_string(bv)) {
			cjson_fail(err, "records[%zu].body: missing or not a string", i);
			goto out;
		}
		size_t blen = json_string_length(bv);
		x->body = xmalloc(blen / 4 * 3 + 1);
		int n = csign_unb64(json_string_value(bv), x->body, blen / 4 * 3 + 1);
		if (n <= 0) {
			cjson_fail(err, "records[%zu].body: not base64", i);
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
				      "idem_key", cjson_b64(x->idem_key, OUTBOX_KEY_LEN),
				      "disposition", cjson_disposition_name(x->disposition),
				      "server_ref", x->server_ref);
		if (x->reason[0])
			json_object_set_new(e, "reason", json_string(x->reason));
		json_array_append_new(res, e);
	}
	json_t *o = json_pack("{s:o, s:I, s:I, s:o}", "epoch", cjson_b64(r->epoch, 16),
			      "watermark", (json_int_t)r->watermark,
			      "server_time_ms", (json_int_t)r->server_time_ms, "results", res);
	return cjson_dump(o);
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
	json_t *o = cjson_load(s, len, err), *res;
	int rc = CJSON_EBAD;
	if (!o)
		return CJSON_EBAD;
	if (cjson_get_b64(o, "epoch", r.epoch, 16, err) ||
	    cjson_get_int(o, "watermark", &r.watermark, 0, SEQ_MAX, true, err) ||
	    cjson_get_int(o, "server_time_ms", &r.server_time_ms, 0, MS_MAX, true, err))
		goto out;
	res = cjson_arr(o, "results", CJSON_MAX_BATCH, true, err);
	if (!res)
		goto out;
	r.results = xcalloc(json_array_size(res) + 1, sizeof *r.results);
	for (size_t i = 0; i < json_array_size(res); i++) {
		json_t *e = json_array_get(res, i);
		struct outbox_result *x = &r.results[i];
		char d[16];
		if (!json_is_object(e)) {
			cjson_fail(err, "results[%zu]: not an object", i);
			goto out;
		}
		if (cjson_get_int(e, "seq", &x->seq, 1, SEQ_MAX, true, err) ||
		    cjson_get_b64(e, "idem_key", x->idem_key, OUTBOX_KEY_LEN, err) ||
		    cjson_get_str(e, "disposition", d, sizeof d, true, err) ||
		    cjson_get_str(e, "server_ref", x->server_ref, sizeof x->server_ref, true, err) ||
		    cjson_get_str(e, "reason", x->reason, sizeof x->reason, false, err))
			goto out;
		int dv = cjson_disposition_parse(d);
		if (dv < 0) {
			cjson_fail(err, "results[%zu].disposition: unknown '%s'", i, d);
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
	return cjson_dump(o);
}

int cjson_error_decode(const char *s, size_t len, struct cjson_error *ret, char *err)
{
	struct cjson_error e;
	memset(&e, 0, sizeof e);
	e.watermark = e.server_time_ms = e.attempts_left = e.retry_after_s = -1;
	json_t *o = cjson_load(s, len, err);
	int rc = CJSON_EBAD;
	if (!o)
		return CJSON_EBAD;
	if (cjson_get_str(o, "error", e.error, sizeof e.error, true, err) ||
	    cjson_get_int(o, "watermark", &e.watermark, 0, SEQ_MAX, false, err) ||
	    cjson_get_int(o, "server_time_ms", &e.server_time_ms, 0, MS_MAX, false, err) ||
	    cjson_get_int(o, "attempts_left", &e.attempts_left, 0, 100, false, err) ||
	    cjson_get_int(o, "retry_after_s", &e.retry_after_s, 0, 86400, false, err) ||
	    cjson_get_str(o, "detail", e.detail, sizeof e.detail, false, err))
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
	json_t *o = cjson_load(s, len, NULL);
	if (!o)
		return -1;
	if (cjson_get_int(o, "server_time_ms", &t, 0, MS_MAX, true, NULL))
		t = -1;
	json_decref(o);
	return t;
}
