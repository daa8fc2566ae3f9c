#include "kiosk/base/xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *checked(void *p, size_t n)
{
	if (p == NULL && n != 0) {
		fprintf(stderr, "fatal: out of memory (%zu bytes)\n", n);
		abort();
	}
	return p;
}

void *xmalloc(size_t n) { return checked(malloc(n ? n : 1), n); }
void *xcalloc(size_t count, size_t size) { return checked(calloc(count ? count : 1, size ? size : 1), count * size); }
void *xrealloc(void *p, size_t n) { return checked(realloc(p, n ? n : 1), n); }

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *r = xmalloc(len + 1);
	memcpy(r, s, len);
	r[len] = '\0';
	return r;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *r = NULL;
	va_start(ap, fmt);
	int n = vasprintf(&r, fmt, ap);
	va_end(ap);
	if (n < 0)
		checked(NULL, 1);
	return r;
}
