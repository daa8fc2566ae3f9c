/* The JSON of docs/epd.md, Command line, shared by `kiosk-tool epd decode` and its tests. */
#include "kiosk/bill/epd.h"

#include <jansson.h>
#include <stdlib.h>

#include "kiosk/base/xalloc.h"

static char *dump(json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (!s)     /* only on exhaustion: the decoder hands out valid UTF-8 */
		abort();
	char *r = xstrdup(s);
	free(s);
	return r;
}

char *epd_to_json(const struct epd_bill *b)
{
	json_t *o = json_object(), *fields = json_object();
	json_t *warnings = json_array(), *unknown = json_array();
	char sep[2] = { b->separator, '\0' };

	json_object_set_new(o, "ok", json_true());
	json_object_set_new(o, "enc", json_string(b->enc));
	json_object_set_new(o, "separator", json_string(sep));
	for (int k = 0; k < EPD_KEY_COUNT; k++) {
		const char *v = epd_field_id(b, k);
		if (v)
			json_object_set_new(fields, epd_key_name(k), json_string(v));
	}
	json_object_set_new(o, "fields", fields);
	json_object_set_new(o, "period", json_string(b->period));
	json_object_set_new(o, "pers_acc_digits", json_string(epd_pers_acc_digits(b)));
	for (int i = 0; i < b->nwarnings; i++)
		json_array_append_new(warnings, json_string(b->warnings[i]));
	json_object_set_new(o, "warnings", warnings);
	for (int i = 0; i < b->nunknown; i++)
		json_array_append_new(unknown, json_string(epd_unknown_key(b, i)));
	json_object_set_new(o, "unknown_keys", unknown);
	return dump(o);
}

char *epd_error_json(int err, const char *lang)
{
	json_t *o = json_object();
	json_object_set_new(o, "ok", json_false());
	json_object_set_new(o, "error", json_string(epd_error_code(err)));
	json_object_set_new(o, "message", json_string(epd_error_message(err, lang)));
	return dump(o);
}
