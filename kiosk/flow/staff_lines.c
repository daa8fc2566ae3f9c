/* Staff screen lines: keyed lines and log lines taken apart (see staff_lines.h). */
#include "kiosk/flow/staff_lines.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>


static void append(char *buf, size_t cap, size_t *len, const char *s, size_t n)
{
	if (*len + 1 >= cap)
		return;
	if (*len + n + 1 > cap)
		n = cap - 1 - *len;
	memcpy(buf + *len, s, n);
	*len += n;
	buf[*len] = '\0';
}

const char *staff_vline(char *buf, size_t cap, const char *key, va_list ap)
{
	size_t len = 0;
	if (!cap)
		return buf;
	buf[0] = '\0';
	append(buf, cap, &len, key, strlen(key));
	append(buf, cap, &len, STAFF_SEP, 1);
	bool first = true;
	for (const char *v; (v = va_arg(ap, const char *)); first = false) {
		if (!first)
			append(buf, cap, &len, STAFF_SEP, 1);
		append(buf, cap, &len, v, strlen(v));
	}
	return buf;
}

const char *staff_line(char *buf, size_t cap, const char *key, ...)
{
	va_list ap;
	va_start(ap, key);
	staff_vline(buf, cap, key, ap);
	va_end(ap);
	return buf;
}

int staff_line_split(const char *line, char *key, size_t keycap, const char *vals[STAFF_LINE_VALS], char *scratch,
		     size_t scap)
{
	const char *sep = strchr(line, STAFF_SEP[0]);
	if (!sep || sep == line || !keycap || !scap)
		return -1;
	snprintf(key, keycap, "%.*s", (int)(sep - line), line);
	snprintf(scratch, scap, "%s", sep + 1);
	int n = 0;
	for (char *p = scratch; p && n < STAFF_LINE_VALS;) {
		vals[n++] = p;
		p = n < STAFF_LINE_VALS ? strchr(p, STAFF_SEP[0]) : NULL; /* the last keeps any tail */
		if (p)
			*p++ = '\0';
	}
	return n;
}

/* The value of KEY= in a logfmt line (quoted or bare) into out; false when absent. */
static bool field(const char *line, const char *key, char *out, size_t cap)
{
	size_t kn = strlen(key);
	for (const char *p = line; (p = strstr(p, key)); p++) {
		if ((p != line && p[-1] != ' ') || p[kn] != '=')
			continue;
		const char *v = p + kn + 1;
		size_t n = *v == '"' ? strcspn(++v, "\"") : strcspn(v, " ");
		snprintf(out, cap, "%.*s", (int)n, v);
		return true;
	}
	return false;
}

/* "2026-11-20T07:00:00.123Z" -> UTC ms; false when malformed. */
static bool parse_ts(const char *s, int64_t *ret)
{
	int y, mo, d, h, mi, sec, ms = 0;
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ", &y, &mo, &d, &h, &mi, &sec, &ms) < 6)
		return false;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return false;
	/* days from civil (proleptic Gregorian), so that no time zone is consulted */
	int yy = y - (mo <= 2);
	int era = (yy >= 0 ? yy : yy - 399) / 400;
	int yoe = yy - era * 400;
	int doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	int64_t days = (int64_t)era * 146097 + doe - 719468;
	*ret = ((days * 24 + h) * 60 + mi) * 60000 + (int64_t)sec * 1000 + ms;
	return true;
}

/* The pairs after event=…, as «key: value, key: value». */
static void pairs(const char *line, char *out, size_t cap)
{
	size_t len = 0;
	out[0] = '\0';
	const char *p = strstr(line, " event=");
	if (!p)
		return;
	p += strcspn(p + 1, " ") + 1; /* past the event's value */
	while (*p) {
		while (*p == ' ')
			p++;
		const char *eq = strchr(p, '=');
		if (!*p || !eq)
			break;
		const char *v = eq + 1;
		size_t vn = *v == '"' ? strcspn(v + 1, "\"") : strcspn(v, " ");
		const char *vs = *v == '"' ? v + 1 : v;
		if (len)
			append(out, cap, &len, ", ", 2);
		append(out, cap, &len, p, (size_t)(eq - p));
		append(out, cap, &len, ": ", 2);
		append(out, cap, &len, vs, vn);
		p = vs + vn + (*v == '"' && vs[vn] == '"');
	}
}

int staff_logline_parse(const char *line, struct staff_logline *ret)
{
	static const char *const levels[] = { "debug", "info", "warn", "error" };
	char ts[40], lv[16], mod[32], ev[32];
	memset(ret, 0, sizeof *ret);
	if (!field(line, "ts", ts, sizeof ts) || !parse_ts(ts, &ret->utc_ms) || !field(line, "level", lv, sizeof lv))
		return -1;
	ret->level = -1;
	for (int i = 0; i < 4; i++)
		if (strcmp(lv, levels[i]) == 0)
			ret->level = i;
	if (ret->level < 0)
		return -1;
	if (!field(line, "mod", mod, sizeof mod))
		mod[0] = '\0';
	if (!field(line, "event", ev, sizeof ev))
		ev[0] = '\0';
	snprintf(ret->what, sizeof ret->what, "%s%s%s", mod, mod[0] && ev[0] ? "/" : "", ev);
	pairs(line, ret->pairs, sizeof ret->pairs);
	return 0;
}
