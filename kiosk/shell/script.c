#include "kiosk/shell/script.h"
#include "kiosk/base/hex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/base/xalloc.h"

#define MAX_SECONDS (366 * 86400) /* a year: date-dependent rules (filters, windows) */

static const char *const names[] = { "scan", "tap", "hold", "type", "wait", "expect",
				     "advance", "shot", "db", "synced", "pinpad", "expect-speech", "looks" };

const char *script_op_name(enum script_op op) { return names[op]; }

int64_t script_parse_seconds(const char *s)
{
	int64_t whole = 0, frac = 0;
	int fd = 0;
	const char *p = s;
	if (*p < '0' || *p > '9')
		return -1;
	while (*p >= '0' && *p <= '9') {
		whole = whole * 10 + (*p++ - '0');
		if (whole > MAX_SECONDS)
			return -1;
	}
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9' && fd < 3) {
			frac = frac * 10 + (*p++ - '0');
			fd++;
		}
		if (fd == 0)
			return -1;
	}
	if (*p != '\0')
		return -1;
	while (fd++ < 3)
		frac *= 10;
	return whole * 1000 + frac;
}

static int fail(char *err, size_t cap, int line, const char *msg, const char *detail)
{
	snprintf(err, cap, "script:%d: %s%s%s", line, msg, detail ? ": " : "", detail ? detail : "");
	return -1;
}

/* scan's payload: text:PAYLOAD verbatim or hex:HEX decoded into c->data. */
static int parse_scan(const char *rest, int line, struct script_cmd *c, char *err, size_t cap)
{
	if (strncmp(rest, "text:", 5) == 0) {
		c->len = strlen(rest + 5);
		c->data = (uint8_t *)xstrdup(rest + 5);
	} else if (strncmp(rest, "hex:", 4) == 0) {
		const char *h = rest + 4;
		size_t n = strlen(h);
		if (n == 0 || n % 2)
			return fail(err, cap, line, "scan hex: needs an even number of hex digits", NULL);
		c->data = xmalloc(n / 2);
		if (hex_decode(h, n, c->data, n / 2) < 0) {
			free(c->data);
			c->data = NULL;
			return fail(err, cap, line, "scan hex: not a hex digit", NULL);
		}
		c->len = n / 2;
	} else {
		return fail(err, cap, line, "scan needs text:PAYLOAD or hex:HEX", NULL);
	}
	return 0;
}

/* db's SQL => EXPECTED into c->arg and c->expected. */
static int parse_db(char *rest, int line, struct script_cmd *c, char *err, size_t cap)
{
	char *arrow = strstr(rest, "=>");
	if (!arrow)
		return fail(err, cap, line, "db needs SQL => EXPECTED", NULL);
	char *sql_end = arrow;
	while (sql_end > rest && sql_end[-1] == ' ')
		sql_end--;
	if (sql_end == rest)
		return fail(err, cap, line, "db: empty SQL", NULL);
	c->arg = xstrndup(rest, (size_t)(sql_end - rest));
	const char *e = arrow + 2;
	while (*e == ' ')
		e++;
	c->expected = xstrdup(e);
	return 0;
}

/* One non-empty, non-comment line (trimmed) into c. */
static int parse_line(char *s, int line, struct script_cmd *c, char *err, size_t cap)
{
	char *sp = strchr(s, ' ');
	char *rest = sp ? sp + 1 : s + strlen(s);
	if (sp)
		*sp = '\0';
	while (*rest == ' ')
		rest++;
	int op = -1;
	for (int i = 0; i < (int)(sizeof names / sizeof names[0]); i++)
		if (strcmp(s, names[i]) == 0)
			op = i;
	if (op < 0)
		return fail(err, cap, line, "unknown command", s);
	*c = (struct script_cmd){ .op = (enum script_op)op, .line = line, .ms = -1 };

	switch (c->op) {
	case SCRIPT_SCAN:
		return parse_scan(rest, line, c, err, cap);
	case SCRIPT_TAP:
	case SCRIPT_SHOT:
	case SCRIPT_LOOKS:
	case SCRIPT_EXPECT:
	case SCRIPT_EXPECT_SPEECH:
	case SCRIPT_PINPAD:
		if (!*rest)
			return fail(err, cap, line, "missing argument to", names[op]);
		if (c->op == SCRIPT_TAP && strchr(rest, ' '))
			return fail(err, cap, line, "tap takes one widget id", rest);
		if (c->op == SCRIPT_PINPAD) {
			/* Every word must be KNOB=VALUE or a bare knob name. */
			for (const char *w = rest; *w; w++)
				if ((unsigned char)*w < 0x21 && *w != ' ')
					return fail(err, cap, line, "pinpad: control character in knobs", NULL);
		}
		c->arg = xstrdup(rest);
		return 0;
	case SCRIPT_TYPE:
		if (!*rest || strspn(rest, "0123456789,") != strlen(rest))
			return fail(err, cap, line, "type takes digits and ',' only", rest);
		c->arg = xstrdup(rest);
		return 0;
	case SCRIPT_HOLD: {
		char id[64], secs[32];
		if (sscanf(rest, "%63s %31s", id, secs) != 2)
			return fail(err, cap, line, "hold needs WIDGET_ID SECONDS", NULL);
		if ((c->ms = script_parse_seconds(secs)) < 0)
			return fail(err, cap, line, "bad number of seconds", secs);
		c->arg = xstrdup(id);
		return 0;
	}
	case SCRIPT_WAIT: {
		char id[64], secs[32] = "";
		int n = sscanf(rest, "%63s %31s", id, secs);
		if (n < 1)
			return fail(err, cap, line, "wait needs SCREEN_ID [SECONDS]", NULL);
		if (n == 2 && (c->ms = script_parse_seconds(secs)) < 0)
			return fail(err, cap, line, "bad number of seconds", secs);
		c->arg = xstrdup(id);
		return 0;
	}
	case SCRIPT_ADVANCE:
		if ((c->ms = script_parse_seconds(rest)) < 0)
			return fail(err, cap, line, "advance needs SECONDS", rest);
		return 0;
	case SCRIPT_SYNCED:
		if (*rest && (c->ms = script_parse_seconds(rest)) < 0)
			return fail(err, cap, line, "synced takes [SECONDS]", rest);
		return 0;
	case SCRIPT_DB:
		return parse_db(rest, line, c, err, cap);
	}
	return fail(err, cap, line, "unhandled command", s);
}

int script_parse(const char *text, struct script *ret, char *err, size_t errcap)
{
	struct script s = { 0, NULL };
	int line = 0, cap = 0;
	const char *p = text;
	while (*p) {
		line++;
		size_t n = strcspn(p, "\n");
		char *l = xstrndup(p, n);
		p += n + (p[n] == '\n');
		size_t k = strlen(l);
		while (k && (l[k - 1] == '\r' || l[k - 1] == ' ' || l[k - 1] == '\t'))
			l[--k] = '\0';
		char *t = l + strspn(l, " \t");
		if (*t == '\0' || *t == '#') {
			free(l);
			continue;
		}
		if (s.n == cap) {
			cap = cap ? cap * 2 : 32;
			s.cmds = xrealloc(s.cmds, (size_t)cap * sizeof *s.cmds);
		}
		int rc = parse_line(t, line, &s.cmds[s.n], err, errcap);
		free(l);
		if (rc != 0) {
			script_free(&s);
			return -1;
		}
		s.n++;
	}
	*ret = s;
	return 0;
}

void script_free(struct script *s)
{
	for (int i = 0; i < s->n; i++) {
		free(s->cmds[i].arg);
		free(s->cmds[i].expected);
		free(s->cmds[i].data);
	}
	free(s->cmds);
	s->cmds = NULL;
	s->n = 0;
}
