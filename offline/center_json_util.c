/* Strict field readers and writers shared by the center_json*.c files. */
#include "offline/center_json_priv.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/base/xalloc.h"
#include "offline/center_json.h"
#include "offline/center_sign.h"

int cjson_fail(char *err, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, CJSON_ERR_MAX, fmt, ap);
		va_end(ap);
	}
	return CJSON_EBAD;
}

json_t *cjson_load(const char *s, size_t len, char *err)
{
	if (s == NULL || len == 0) {
		cjson_fail(err, "empty body");
		return NULL;
	}
	if (len > CJSON_MAX_INPUT) {
		cjson_fail(err, "body over %d bytes", CJSON_MAX_INPUT);
		return NULL;
	}
	json_error_t je;
	json_t *root = json_loadb(s, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		cjson_fail(err, "bad JSON at %d: %.80s", je.position, je.text);
		return NULL;
	}
	if (!json_is_object(root)) {
		json_decref(root);
		cjson_fail(err, "not a JSON object");
		return NULL;
	}
	return root;
}

char *cjson_dump(json_t *o)
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
int cjson_get_str(json_t *o, const char *k, char *dst, size_t cap, bool req, char *err)
{
	json_t *v = json_object_get(o, k);
	if (!v || json_is_null(v))
		return req ? cjson_fail(err, "%s: missing", k) : 0;
	if (!json_is_string(v))
		return cjson_fail(err, "%s: not a string", k);
	if (json_string_length(v) >= cap)
		return cjson_fail(err, "%s: longer than %zu bytes", k, cap - 1);
	memcpy(dst, json_string_value(v), json_string_length(v) + 1);
	return 0;
}

int cjson_get_int(json_t *o, const char *k, int64_t *dst, int64_t min, int64_t max, bool req,
		   char *err)
{
	json_t *v = json_object_get(o, k);
	if (!v || json_is_null(v))
		return req ? cjson_fail(err, "%s: missing", k) : 0;
	if (!json_is_integer(v))
		return cjson_fail(err, "%s: not an integer", k);
	json_int_t x = json_integer_value(v);
	if (x < min || x > max)
		return cjson_fail(err, "%s: %" PRId64 " out of range", k, (int64_t)x);
	*dst = x;
	return 0;
}

int cjson_get_i(json_t *o, const char *k, int *dst, int min, int max, bool req, char *err)
{
	int64_t x = *dst;
	if (cjson_get_int(o, k, &x, min, max, req, err))
		return CJSON_EBAD;
	*dst = (int)x;
	return 0;
}

int cjson_get_bool(json_t *o, const char *k, bool *dst, bool req, char *err)
{
	json_t *v = json_object_get(o, k);
	if (!v || json_is_null(v))
		return req ? cjson_fail(err, "%s: missing", k) : 0;
	if (!json_is_boolean(v))
		return cjson_fail(err, "%s: not a boolean", k);
	*dst = json_is_true(v);
	return 0;
}

/* Exactly n bytes of base64. */
int cjson_get_b64(json_t *o, const char *k, uint8_t *dst, size_t n, char *err)
{
	char tmp[CJSON_B64_CAP(64)];
	uint8_t out[64];
	if (cjson_get_str(o, k, tmp, sizeof tmp, true, err))
		return CJSON_EBAD;
	if (csign_unb64(tmp, out, sizeof out) != (int)n)
		return cjson_fail(err, "%s: not %zu bytes of base64", k, n);
	memcpy(dst, out, n);
	return 0;
}

json_t *cjson_b64(const uint8_t *p, size_t n)
{
	char *tmp = xmalloc(CJSON_B64_CAP(n));
	csign_b64(p, n, tmp, CJSON_B64_CAP(n));
	json_t *s = json_string(tmp);
	free(tmp);
	return s;
}

json_t *cjson_arr(json_t *o, const char *k, size_t max, bool req, char *err)
{
	json_t *v = json_object_get(o, k);
	if (!v || json_is_null(v)) {
		if (req)
			cjson_fail(err, "%s: missing", k);
		return NULL;
	}
	if (!json_is_array(v)) {
		cjson_fail(err, "%s: not an array", k);
		return NULL;
	}
	if (json_array_size(v) > max) {
		cjson_fail(err, "%s: more than %zu entries", k, max);
		return NULL;
	}
	return v;
}
