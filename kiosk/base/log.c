#include "kiosk/base/log.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "kiosk/base/xalloc.h"

#define LOG_RING 200

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static FILE *out;
static bool to_syslog;
static enum log_level min_level = LOG_LVL_INFO;
static char *cap_buf;
static size_t cap_len, cap_max;
/* The last lines, kept in memory so the service menu shows them without reading the file. */
static char *ring[LOG_RING];
static int ring_next;

static const char *const names[] = { "debug", "info", "warn", "error" };

int log_open(const char *path, enum log_level min, bool use_syslog)
{
	pthread_mutex_lock(&lock);
	if (out && out != stderr)
		fclose(out);
	out = NULL;
	min_level = min;
	int rc = 0;
	if (path) {
		out = fopen(path, "ae");
		if (!out)
			rc = -errno;
		else
			setvbuf(out, NULL, _IOLBF, 0);
	}
	if (use_syslog && !to_syslog)
		openlog("kiosk", LOG_PID, LOG_USER);
	to_syslog = use_syslog;
	pthread_mutex_unlock(&lock);
	return rc;
}

void log_close(void)
{
	pthread_mutex_lock(&lock);
	if (out && out != stderr)
		fclose(out);
	out = NULL;
	if (to_syslog)
		closelog();
	to_syslog = false;
	for (int i = 0; i < LOG_RING; i++) {
		free(ring[i]);
		ring[i] = NULL;
	}
	free(cap_buf);
	cap_buf = NULL;
	cap_len = cap_max = 0;
	pthread_mutex_unlock(&lock);
}

void log_set_level(enum log_level min) { min_level = min; }
bool log_enabled(enum log_level lvl) { return lvl >= min_level; }

int log_level_parse(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

void log_msg(enum log_level lvl, const char *mod, const char *event, const char *fmt, ...)
{
	if (lvl < min_level)
		return;
	char body[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(body, sizeof body, fmt, ap);
	va_end(ap);

	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	gmtime_r(&ts.tv_sec, &tm);
	char line[1200];
	int n = snprintf(line, sizeof line,
			 "ts=%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ level=%s mod=%s event=%s%s%s\n",
			 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
			 tm.tm_sec, ts.tv_nsec / 1000000, names[lvl], mod, event,
			 body[0] ? " " : "", body);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof line)
		n = sizeof line - 1;

	pthread_mutex_lock(&lock);
	fputs(line, out ? out : stderr);
	if (to_syslog) {
		static const int prio[] = { LOG_DEBUG, LOG_INFO, LOG_WARNING, LOG_ERR };
		syslog(prio[lvl], "%.*s", n - 1, line);
	}
	free(ring[ring_next]);
	ring[ring_next] = xstrndup(line, (size_t)n);
	ring_next = (ring_next + 1) % LOG_RING;
	if (cap_max && cap_len + (size_t)n < cap_max) {
		memcpy(cap_buf + cap_len, line, (size_t)n);
		cap_len += (size_t)n;
		cap_buf[cap_len] = '\0';
	}
	pthread_mutex_unlock(&lock);
}

void log_capture(size_t cap)
{
	pthread_mutex_lock(&lock);
	free(cap_buf);
	cap_buf = cap ? xcalloc(1, cap + 1) : NULL;
	cap_len = 0;
	cap_max = cap;
	pthread_mutex_unlock(&lock);
}

const char *log_captured(void)
{
	return cap_buf ? cap_buf : "";
}

char *log_tail(int n)
{
	if (n > LOG_RING)
		n = LOG_RING;
	pthread_mutex_lock(&lock);
	size_t len = 1;
	for (int i = 0; i < n; i++) {
		const char *l = ring[(ring_next - n + i + LOG_RING) % LOG_RING];
		len += l ? strlen(l) : 0;
	}
	char *r = xmalloc(len), *p = r;
	for (int i = 0; i < n; i++) {
		const char *l = ring[(ring_next - n + i + LOG_RING) % LOG_RING];
		if (l) {
			size_t k = strlen(l);
			memcpy(p, l, k);
			p += k;
		}
	}
	*p = '\0';
	pthread_mutex_unlock(&lock);
	return r;
}
