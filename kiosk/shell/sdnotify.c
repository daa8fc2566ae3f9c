/* sd_notify over a unix datagram socket: see sdnotify.h.  No libsystemd: the protocol is one
 * sendto() and the kiosk should not link a 1 MB library for it. */
#include "kiosk/shell/sdnotify.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* Fills ADDR from $NOTIFY_SOCKET.  Returns the address length, 0 when unset, -1 when the
 * name is unusable (too long, or not a path nor '@name'). */
static int notify_addr(struct sockaddr_un *addr)
{
	const char *e = getenv("NOTIFY_SOCKET");
	if (!e || !*e)
		return 0;
	size_t n = strlen(e);
	if ((e[0] != '/' && e[0] != '@') || n >= sizeof addr->sun_path) {
		errno = EINVAL;
		return -1;
	}
	memset(addr, 0, sizeof *addr);
	addr->sun_family = AF_UNIX;
	memcpy(addr->sun_path, e, n);
	if (e[0] == '@') {
		/* Abstract namespace: a leading NUL, and the length counts exactly the name (no
		 * terminating NUL), otherwise the kernel looks up a different name. */
		addr->sun_path[0] = '\0';
		return (int)(offsetof(struct sockaddr_un, sun_path) + n);
	}
	return (int)(offsetof(struct sockaddr_un, sun_path) + n + 1);
}

int sdnotify_send(const char *state)
{
	struct sockaddr_un addr;
	int len = notify_addr(&addr);
	if (len <= 0)
		return len;
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	size_t n = strlen(state);
	ssize_t w = sendto(fd, state, n, MSG_NOSIGNAL, (struct sockaddr *)&addr, (socklen_t)len);
	int saved = errno;
	close(fd);
	if (w < 0) {
		errno = saved;
		return -1;
	}
	if ((size_t)w != n) {
		errno = EMSGSIZE;
		return -1;
	}
	return 1;
}

int sdnotify_ready(void)
{
	return sdnotify_send("READY=1");
}

int sdnotify_watchdog(void)
{
	return sdnotify_send("WATCHDOG=1");
}

int sdnotify_stopping(void)
{
	return sdnotify_send("STOPPING=1");
}

int sdnotify_status(const char *text)
{
	char buf[sizeof "STATUS=" - 1 + 200 + 1] = "STATUS=";
	size_t at = strlen(buf);
	for (const char *p = text ? text : ""; *p && at < sizeof buf - 1; p++)
		buf[at++] = (*p == '\n' || *p == '\r') ? ' ' : *p;
	buf[at] = '\0';
	return sdnotify_send(buf);
}

long sdnotify_watchdog_interval_ms(void)
{
	const char *us = getenv("WATCHDOG_USEC");
	if (!us || !*us)
		return 0;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(us, &end, 10);
	if (*end != '\0' || errno || v == 0 || us[0] == '-')
		return 0;
	/* WATCHDOG_PID is deliberately not compared with getpid() (as libsystemd does): the unit
	 * runs the kiosk as a child of cage or xinit, whose pid systemd puts there, and accepts
	 * our keep-alives through NotifyAccess=all. */
	unsigned long long ms = v / 2000;
	if (ms == 0)
		ms = 1;
	if (ms > 86400000ULL)
		ms = 86400000ULL;
	return (long)ms;
}
