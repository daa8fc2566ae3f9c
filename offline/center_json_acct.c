/* Billing-center API messages <-> JSON (jansson): accounts, verification, history, snapshot.  Decoders read into a local copy and
 * publish it only when every field passed, so bad input never half-fills the caller's data. */
#include "offline/center_json.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "kiosk/base/digits.h"
#include "kiosk/base/xalloc.h"
#include "offline/center_json_priv.h"
#include "offline/center_sign.h"

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
	return cjson_dump(o);
}


static int account_from(json_t *o, struct account *ret, char *err)
{
	struct account *a = xcalloc(1, sizeof *a);
	json_t *sv, *su, *me;
	int rc = CJSON_EBAD;
	a->details = false;
	if (cjson_get_str(o, "pers_acc", a->pers_acc, sizeof a->pers_acc, true, err) ||
	    cjson_get_str(o, "address_masked", a->address_masked, sizeof a->address_masked, true, err) ||
	    cjson_get_str(o, "period", a->period, sizeof a->period, true, err) ||
	    cjson_get_bool(o, "details", &a->details, false, err) ||
	    cjson_get_int(o, "updated_at_ms", &a->updated_at_ms, 0, MS_MAX, true, err))
		goto out;
	if (!digits_only(a->pers_acc, 1, sizeof a->pers_acc - 1)) {
		cjson_fail(err, "pers_acc: not digits");
		goto out;
	}
	/* Details present when the server says so, or (older servers) when services are sent. */
	if (json_object_get(o, "services"))
		a->details = true;
	if (!a->details)
		goto done;
	if (cjson_get_str(o, "owner_masked", a->owner_masked, sizeof a->owner_masked, true, err) ||
	    cjson_get_int(o, "due", &a->due, -MONEY_MAX, MONEY_MAX, true, err) ||
	    cjson_get_int(o, "accrued", &a->accrued, -MONEY_MAX, MONEY_MAX, true, err) ||
	    cjson_get_int(o, "paid", &a->paid, -MONEY_MAX, MONEY_MAX, true, err) ||
	    cjson_get_int(o, "debt", &a->debt, -MONEY_MAX, MONEY_MAX, true, err))
		goto out;
	if (!(sv = cjson_arr(o, "services", ACCOUNT_MAX_SERVICES, true, err)) ||
	    !(su = cjson_arr(o, "suppliers", ACCOUNT_MAX_SUPPLIERS, true, err)) ||
	    !(me = cjson_arr(o, "meters", ACCOUNT_MAX_METERS, true, err)))
		goto out;
	for (size_t i = 0; i < json_array_size(sv); i++) {
		json_t *e = json_array_get(sv, i);
		struct account_service *x = &a->services[i];
		if (!json_is_object(e)) {
			cjson_fail(err, "services[%zu]: not an object", i);
			goto out;
		}
		if (cjson_get_str(e, "code", x->code, sizeof x->code, true, err) ||
		    cjson_get_str(e, "name", x->name, sizeof x->name, true, err) ||
		    cjson_get_str(e, "supplier_id", x->supplier_id, sizeof x->supplier_id, true, err) ||
		    cjson_get_int(e, "accrued", &x->accrued, -MONEY_MAX, MONEY_MAX, true, err) ||
		    cjson_get_int(e, "due", &x->due, -MONEY_MAX, MONEY_MAX, true, err))
			goto out;
		a->nservices++;
	}
	for (size_t i = 0; i < json_array_size(su); i++) {
		json_t *e = json_array_get(su, i);
		struct account_supplier *x = &a->suppliers[i];
		if (!json_is_object(e)) {
			cjson_fail(err, "suppliers[%zu]: not an object", i);
			goto out;
		}
		if (cjson_get_str(e, "id", x->id, sizeof x->id, true, err) ||
		    cjson_get_str(e, "name", x->name, sizeof x->name, true, err) ||
		    cjson_get_str(e, "inn", x->inn, sizeof x->inn, true, err) ||
		    cjson_get_str(e, "phone", x->phone, sizeof x->phone, false, err) ||
		    cjson_get_str(e, "address", x->address, sizeof x->address, false, err))
			goto out;
		if (!digits_only(x->inn, 10, 12)) {
			cjson_fail(err, "suppliers[%zu].inn: not 10 or 12 digits", i);
			goto out;
		}
		a->nsuppliers++;
	}
	for (size_t i = 0; i < json_array_size(me); i++) {
		json_t *e = json_array_get(me, i);
		struct account_meter *x = &a->meters[i];
		if (!json_is_object(e)) {
			cjson_fail(err, "meters[%zu]: not an object", i);
			goto out;
		}
		if (cjson_get_str(e, "id", x->id, sizeof x->id, true, err) ||
		    cjson_get_str(e, "serial", x->serial, sizeof x->serial, false, err) ||
		    cjson_get_str(e, "service", x->service, sizeof x->service, true, err) ||
		    cjson_get_str(e, "name", x->name, sizeof x->name, true, err) ||
		    cjson_get_str(e, "unit", x->unit, sizeof x->unit, true, err) ||
		    cjson_get_i(e, "digits", &x->digits, 1, 12, true, err) ||
		    cjson_get_i(e, "decimals", &x->decimals, 0, 3, true, err) ||
		    cjson_get_int(e, "last_value_milli", &x->last_value_milli, 0, INT64_C(1000000000000000), true, err) ||
		    cjson_get_str(e, "last_date", x->last_date, sizeof x->last_date, false, err) ||
		    cjson_get_int(e, "max_monthly_milli", &x->max_monthly_milli, 0, INT64_C(1000000000000000), true, err))
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
	json_t *o = cjson_load(s, len, err);
	if (!o)
		return CJSON_EBAD;
	int rc = account_from(o, ret, err);
	json_decref(o);
	return rc;
}

char *cjson_verify_req_encode(kopecks answer_accrued)
{
	return cjson_dump(json_pack("{s:I}", "answer_accrued", (json_int_t)answer_accrued));
}

int cjson_verify_req_decode(const char *s, size_t len, kopecks *ret, char *err)
{
	kopecks v = 0;
	json_t *o = cjson_load(s, len, err);
	if (!o)
		return CJSON_EBAD;
	int rc = cjson_get_int(o, "answer_accrued", &v, 0, MONEY_MAX, true, err);
	json_decref(o);
	if (rc == 0)
		*ret = v;
	return rc;
}

char *cjson_verify_resp_encode(const struct cjson_verify_resp *r, int64_t server_time_ms)
{
	return cjson_dump(json_pack("{s:s, s:I, s:I}", "token", r->token, "ttl_s", (json_int_t)r->ttl_s,
			      "server_time_ms", (json_int_t)server_time_ms));
}

int cjson_verify_resp_decode(const char *s, size_t len, struct cjson_verify_resp *ret, char *err)
{
	struct cjson_verify_resp r;
	memset(&r, 0, sizeof r);
	json_t *o = cjson_load(s, len, err);
	if (!o)
		return CJSON_EBAD;
	int rc = cjson_get_str(o, "token", r.token, sizeof r.token, true, err) ||
		 cjson_get_int(o, "ttl_s", &r.ttl_s, 1, 86400, true, err) ? CJSON_EBAD : 0;
	if (rc == 0 && r.token[0] == '\0')
		rc = cjson_fail(err, "token: empty");
	json_decref(o);
	if (rc == 0)
		*ret = r;
	return rc;
}

/* ================================================================ history */
/* Both history answers are {"pers_acc": ..., KEY: [objects], "server_time_ms": N}. */
static char *history_encode(const char *pers_acc, const char *key, json_t *list, int64_t server_time_ms)
{
	return cjson_dump(json_pack("{s:s, s:o, s:I}", "pers_acc", pers_acc, key, list,
			      "server_time_ms", (json_int_t)server_time_ms));
}

/* ELEM reads object I of the list into the caller's array; nonzero (err set) refuses it. */
typedef int (*history_elem_fn)(json_t *e, size_t i, void *arr, char *err);

/* Reads the pers_acc and the list KEY (at most CJSON_MAX_HISTORY objects) into PERS_ACC and
 * ARR, *RET_N counting the objects read: 0, or CJSON_EBAD with err. */
static int history_decode(const char *s, size_t len, const char *key, char *pers_acc, size_t cap,
			  history_elem_fn elem, void *arr, int *ret_n, char *err)
{
	json_t *o = cjson_load(s, len, err), *a;
	int rc = CJSON_EBAD;
	if (!o)
		return rc;
	if (cjson_get_str(o, "pers_acc", pers_acc, cap, true, err) ||
	    !(a = cjson_arr(o, key, CJSON_MAX_HISTORY, true, err)))
		goto out;
	for (size_t i = 0; i < json_array_size(a); i++) {
		json_t *e = json_array_get(a, i);
		if (!json_is_object(e)) {
			cjson_fail(err, "%s[%zu]: not an object", key, i);
			goto out;
		}
		if (elem(e, i, arr, err))
			goto out;
		(*ret_n)++;
	}
	rc = 0;
out:
	json_decref(o);
	return rc;
}

char *cjson_readings_encode(const struct cjson_readings *h, int64_t server_time_ms)
{
	json_t *a = json_array();
	for (int i = 0; i < h->n; i++) {
		const struct cjson_reading *r = &h->r[i];
		json_array_append_new(a, json_pack("{s:s, s:s, s:I, s:s, s:s}", "meter_id", r->meter_id,
				      "date", r->date, "value_milli", (json_int_t)r->value_milli,
				      "source", r->source, "status", r->status));
	}
	return history_encode(h->pers_acc, "readings", a, server_time_ms);
}

static int reading_elem(json_t *e, size_t i, void *arr, char *err)
{
	struct cjson_reading *r = &((struct cjson_reading *)arr)[i];
	return cjson_get_str(e, "meter_id", r->meter_id, sizeof r->meter_id, true, err) ||
	       cjson_get_str(e, "date", r->date, sizeof r->date, true, err) ||
	       cjson_get_int(e, "value_milli", &r->value_milli, 0, INT64_C(1000000000000000), true, err) ||
	       cjson_get_str(e, "source", r->source, sizeof r->source, true, err) ||
	       cjson_get_str(e, "status", r->status, sizeof r->status, true, err);
}

int cjson_readings_decode(const char *s, size_t len, struct cjson_readings *ret, char *err)
{
	struct cjson_readings *h = xcalloc(1, sizeof *h);
	int rc = history_decode(s, len, "readings", h->pers_acc, sizeof h->pers_acc, reading_elem, h->r, &h->n, err);
	if (rc == 0)
		*ret = *h;
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
	return history_encode(h->pers_acc, "payments", a, server_time_ms);
}

static int payment_elem(json_t *e, size_t i, void *arr, char *err)
{
	struct cjson_payment *p = &((struct cjson_payment *)arr)[i];
	return cjson_get_int(e, "date_ms", &p->date_ms, 0, MS_MAX, true, err) ||
	       cjson_get_str(e, "period", p->period, sizeof p->period, false, err) ||
	       cjson_get_int(e, "amount", &p->amount, 1, MONEY_MAX, true, err) ||
	       cjson_get_str(e, "source", p->source, sizeof p->source, true, err) ||
	       cjson_get_str(e, "status", p->status, sizeof p->status, true, err) ||
	       cjson_get_str(e, "ref", p->ref, sizeof p->ref, false, err);
}

int cjson_payments_decode(const char *s, size_t len, struct cjson_payments *ret, char *err)
{
	struct cjson_payments *h = xcalloc(1, sizeof *h);
	int rc = history_decode(s, len, "payments", h->pers_acc, sizeof h->pers_acc, payment_elem, h->p, &h->n, err);
	if (rc == 0)
		*ret = *h;
	free(h);
	return rc;
}

/* ================================================================ snapshot */
char *cjson_snapshot_encode(const struct cjson_snapshot_page *p)
{
	json_t *a = json_array();
	for (int i = 0; i < p->n; i++)
		json_array_append_new(a, account_json(&p->accounts[i], NULL));
	return cjson_dump(json_pack("{s:o, s:s, s:b, s:I}", "accounts", a, "next_cursor", p->next_cursor,
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
	json_t *o = cjson_load(s, len, err), *a;
	int rc = CJSON_EBAD;
	if (!o)
		return CJSON_EBAD;
	if (cjson_get_str(o, "next_cursor", p.next_cursor, sizeof p.next_cursor, true, err) ||
	    cjson_get_bool(o, "more", &p.more, true, err) ||
	    cjson_get_int(o, "server_time_ms", &p.server_time_ms, 0, MS_MAX, true, err) ||
	    !(a = cjson_arr(o, "accounts", CJSON_MAX_PAGE, true, err)))
		goto out;
	p.accounts = xcalloc(json_array_size(a) + 1, sizeof *p.accounts);
	for (size_t i = 0; i < json_array_size(a); i++) {
		json_t *e = json_array_get(a, i);
		char sub[CJSON_ERR_MAX];
		if (!json_is_object(e)) {
			cjson_fail(err, "accounts[%zu]: not an object", i);
			goto out;
		}
		if (account_from(e, &p.accounts[i], sub)) {
			cjson_fail(err, "accounts[%zu].%s", i, sub);
			goto out;
		}
		if (!p.accounts[i].details) {
			cjson_fail(err, "accounts[%zu]: snapshot entry without details", i);
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
