/* See center_fiscal.h. */
#include "tests/sim/billing-center/center_fiscal.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

static bool digits(const char *s, size_t n)
{
	if (strlen(s) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

static bool time_ok(const char *t)
{
	static const char shape[] = "dddd-dd-ddTdd:dd";
	if (strlen(t) != sizeof shape - 1)
		return false;
	for (size_t i = 0; shape[i]; i++)
		if (shape[i] == 'd' ? !isdigit((unsigned char)t[i]) : t[i] != shape[i])
			return false;
	return true;
}

static bool u32(json_t *v, json_int_t lo)
{
	return json_is_integer(v) && json_integer_value(v) >= lo &&
	       json_integer_value(v) <= (json_int_t)0xFFFFFFFF;
}

const char *center_fiscal_check(json_t *f)
{
	if (!f)
		return "";
	json_t *fn = json_object_get(f, "fn"), *t = json_object_get(f, "time");
	if (!json_is_object(f) || !json_is_string(fn) || !digits(json_string_value(fn), 16) ||
	    !u32(json_object_get(f, "fd"), 1) || !u32(json_object_get(f, "fp"), 0) ||
	    !json_is_string(t) || !time_ok(json_string_value(t)) ||
	    !u32(json_object_get(f, "shift"), 0) || !u32(json_object_get(f, "number"), 0))
		return "fiscal_invalid";
	return "";
}
