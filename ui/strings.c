#include "ui/strings.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/base/format.h"
#include "kiosk/base/log.h"
#include "kiosk/base/xalloc.h"

struct entry { char *key, *val; };
struct table { struct entry *e; int n, cap; };
struct strings {
	struct table t[LANG_COUNT];
	int missing;
	char miss_buf[8][96]; /* "⟦key⟧" for the last few missing keys */
	int miss_next;
};

static const char *const codes[LANG_COUNT] = { "ru", "en" };

const char *lang_code(enum lang l) { return codes[l]; }
int lang_parse(const char *code)
{
	for (int i = 0; i < LANG_COUNT; i++)
		if (strcmp(code, codes[i]) == 0)
			return i;
	return -1;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->key, ((const struct entry *)b)->key);
}

static char *unescape(const char *v)
{
	char *r = xmalloc(strlen(v) + 1), *o = r;
	for (const char *p = v; *p; p++) {
		if (p[0] == '\\' && p[1] == 'n') {
			*o++ = '\n';
			p++;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return r;
}

/* The text of a string: \n unescaped, and «л/с {}», «№ {}», «д. 1» joined by a no-break
 * space (kiosk/base/format.h fmt_nbsp), so that the files stay readable and no line of a screen
 * ends in an abbreviation. */
static char *joined(const char *v)
{
	char *u = unescape(v);
	size_t cap = strlen(u) * 2 + 1; /* each joint turns one byte into two */
	char *r = xmalloc(cap);
	fmt_nbsp(u, r, cap);
	free(u);
	return r;
}

static int load_one(struct table *t, const char *path, char *err, int errcap)
{
	FILE *f = fopen(path, "re");
	if (!f) {
		snprintf(err, (size_t)errcap, "%s:0: cannot read: %s", path, strerror(errno));
		return -1;
	}
	char line[2048];
	int lineno = 0;
	while (fgets(line, sizeof line, f)) {
		lineno++;
		size_t n = strlen(line);
		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		char *s = line + strspn(line, " \t");
		if (*s == '\0' || *s == '#')
			continue;
		char *eq = strstr(s, " = ");
		if (!eq || eq == s) {
			snprintf(err, (size_t)errcap, "%s:%d: expected 'key = text'", path, lineno);
			fclose(f);
			return -1;
		}
		*eq = '\0';
		if (t->n == t->cap) {
			t->cap = t->cap ? t->cap * 2 : 128;
			t->e = xrealloc(t->e, (size_t)t->cap * sizeof *t->e);
		}
		t->e[t->n++] = (struct entry){ xstrdup(s), joined(eq + 3) };
	}
	fclose(f);
	qsort(t->e, (size_t)t->n, sizeof *t->e, cmp);
	for (int i = 1; i < t->n; i++)
		if (strcmp(t->e[i - 1].key, t->e[i].key) == 0) {
			snprintf(err, (size_t)errcap, "%s:0: key '%s' defined twice", path, t->e[i].key);
			return -1;
		}
	return 0;
}

struct strings *strings_load(const char *dir, char *err, int errcap)
{
	struct strings *s = xcalloc(1, sizeof *s);
	for (int l = 0; l < LANG_COUNT; l++) {
		char path[512];
		snprintf(path, sizeof path, "%s/%s.strings", dir, codes[l]);
		if (load_one(&s->t[l], path, err, errcap) != 0) {
			strings_free(s);
			return NULL;
		}
	}
	return s;
}

void strings_free(struct strings *s)
{
	if (!s)
		return;
	for (int l = 0; l < LANG_COUNT; l++) {
		for (int i = 0; i < s->t[l].n; i++) {
			free(s->t[l].e[i].key);
			free(s->t[l].e[i].val);
		}
		free(s->t[l].e);
	}
	free(s);
}

static const struct entry *find(const struct strings *s, enum lang l, const char *key)
{
	struct entry k = { (char *)key, NULL };
	return bsearch(&k, s->t[l].e, (size_t)s->t[l].n, sizeof k, cmp);
}

bool strings_has(const struct strings *s, enum lang l, const char *key)
{
	return find(s, l, key) != NULL;
}

const char *strings_get(struct strings *s, enum lang l, const char *key)
{
	const struct entry *e = find(s, l, key);
	if (e)
		return e->val;
	s->missing++;
	log_error("strings", "missing_key", "lang=%s key=%s", codes[l], key);
	char *b = s->miss_buf[s->miss_next++ % 8];
	snprintf(b, 96, "\xE2\x9F\xA6%s\xE2\x9F\xA7", key);
	return b;
}

int strings_missing(const struct strings *s) { return s->missing; }
int strings_count(const struct strings *s, enum lang l) { return s->t[l].n; }
const char *strings_key(const struct strings *s, enum lang l, int i) { return s->t[l].e[i].key; }
