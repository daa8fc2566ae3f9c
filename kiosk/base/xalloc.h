#ifndef KIOSK_XALLOC_H
#define KIOSK_XALLOC_H
/* Allocation that never returns NULL: on exhaustion the process logs and aborts (a kiosk
 * that cannot allocate a few bytes cannot serve anyone; systemd restarts it and recovery
 * runs).  Removes a NULL check from every call site. */
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a fresh string. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
