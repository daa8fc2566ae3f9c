#include "kiosk/base/clock.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The clock file: 64 bytes, written whole before it is linked into place, then changed only
 * by atomic adds.  wall = monotonic + wall_offset; mono = monotonic + advanced. */
#define CLOCK_MAGIC "KCLOCK1"
struct clock_file {
	char magic[8];
	int64_t wall_offset_ms;
	int64_t advanced_ms;
	char pad[40];
};

static struct clock_file *shared;  /* NULL: the system clocks */
static int64_t local_advanced_ms;  /* without a file: what `advance` added */

static int64_t read_ms(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t clock_wall_ms(void)
{
	if (shared)
		return read_ms(CLOCK_MONOTONIC) + __atomic_load_n(&shared->wall_offset_ms, __ATOMIC_RELAXED);
	return read_ms(CLOCK_REALTIME) + __atomic_load_n(&local_advanced_ms, __ATOMIC_RELAXED);
}

int64_t clock_mono_ms(void)
{
	if (shared)
		return read_ms(CLOCK_MONOTONIC) + __atomic_load_n(&shared->advanced_ms, __ATOMIC_RELAXED);
	return read_ms(CLOCK_MONOTONIC) + __atomic_load_n(&local_advanced_ms, __ATOMIC_RELAXED);
}

struct timespec clock_deadline(clockid_t id, int64_t ms)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	int64_t ns = ts.tv_nsec + (ms > 0 ? ms : 0) * 1000000LL;
	ts.tv_sec += (time_t)(ns / 1000000000LL);
	ts.tv_nsec = (long)(ns % 1000000000LL);
	return ts;
}

void clock_advance(int64_t ms)
{
	if (shared) {
		__atomic_add_fetch(&shared->wall_offset_ms, ms, __ATOMIC_RELAXED);
		__atomic_add_fetch(&shared->advanced_ms, ms, __ATOMIC_RELAXED);
	} else {
		__atomic_add_fetch(&local_advanced_ms, ms, __ATOMIC_RELAXED);
	}
}

int clock_is_injected(void) { return shared != NULL; }

static int num(const char *s, int n, int *ret)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*ret = v;
	return 0;
}

int clock_parse_instant(const char *s, int64_t *ret_utc_ms)
{
	int y, mo, d, h, mi, sec = 0, oh = 0, om = 0, sign = 1;
	size_t n = strlen(s);
	if (n < 17 || num(s, 4, &y) || s[4] != '-' || num(s + 5, 2, &mo) || s[7] != '-' ||
	    num(s + 8, 2, &d) || (s[10] != 'T' && s[10] != ' ') || num(s + 11, 2, &h) || s[13] != ':' ||
	    num(s + 14, 2, &mi))
		return -1;
	const char *p = s + 16;
	if (*p == ':') {
		if (num(p + 1, 2, &sec))
			return -1;
		p += 3;
	}
	if (*p == 'Z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p == '-' ? -1 : 1;
		if (num(p + 1, 2, &oh) || p[3] != ':' || num(p + 4, 2, &om))
			return -1;
		p += 6;
	} else {
		return -1;
	}
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (*p || y < 1970 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || (mo == 2 && d == 29 && !leap) ||
	    h > 23 || mi > 59 || sec > 59 || oh > 14 || om > 59)
		return -1;
	/* timegm reads the fields as UTC: no time zone of the machine's enters. */
	struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi, .tm_sec = sec };
	int64_t secs = (int64_t)timegm(&tm) - sign * (oh * 3600 + om * 60);
	*ret_utc_ms = secs * 1000;
	return 0;
}

static int create(const char *path, const char *now_iso, char *err, int errcap)
{
	int64_t now;
	if (!now_iso) {
		snprintf(err, (size_t)errcap, "clock file %s does not exist and no start instant is given", path);
		return -1;
	}
	if (clock_parse_instant(now_iso, &now) != 0) {
		snprintf(err, (size_t)errcap, "bad instant '%s' (want 2026-11-20T10:00:00+03:00)", now_iso);
		return -1;
	}
	struct clock_file f = { .wall_offset_ms = now - read_ms(CLOCK_MONOTONIC) };
	memcpy(f.magic, CLOCK_MAGIC, sizeof CLOCK_MAGIC);
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s.%ld", path, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, &f, sizeof f) != (ssize_t)sizeof f) {
		snprintf(err, (size_t)errcap, "clock file %s: %s", tmp, strerror(errno));
		if (fd >= 0)
			close(fd);
		unlink(tmp);
		return -1;
	}
	close(fd);
	/* link() fails when another process of the stack created the file first: its wins. */
	int rc = link(tmp, path);
	int e = errno;
	unlink(tmp);
	if (rc != 0 && e != EEXIST) {
		snprintf(err, (size_t)errcap, "clock file %s: %s", path, strerror(e));
		return -1;
	}
	return 0;
}

int clock_attach(const char *path, const char *now_iso, char *err, int errcap)
{
	if (access(path, F_OK) != 0 && create(path, now_iso, err, errcap) != 0)
		return -1;
	int fd = open(path, O_RDWR | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0 || st.st_size != (off_t)sizeof(struct clock_file)) {
		snprintf(err, (size_t)errcap, "clock file %s: %s", path, fd < 0 ? strerror(errno) : "not a clock file");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	void *m = mmap(NULL, sizeof(struct clock_file), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (m == MAP_FAILED || memcmp(((struct clock_file *)m)->magic, CLOCK_MAGIC, sizeof CLOCK_MAGIC) != 0) {
		snprintf(err, (size_t)errcap, "clock file %s: not a clock file", path);
		if (m != MAP_FAILED)
			munmap(m, sizeof(struct clock_file));
		return -1;
	}
	shared = m;
	return 0;
}

int clock_attach_env(char *err, int errcap)
{
	const char *path = getenv("KIOSK_CLOCK");
	if (!path || !*path)
		return 0;
	return clock_attach(path, getenv("KIOSK_NOW"), err, errcap);
}
