/* Test-only fd transport (see test_fd_transport.h). */
#include "tests/lib/test_fd_transport.h"

#include <errno.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kiosk/base/xalloc.h"

struct fdt {
	int fd;
	int open;
	_Atomic int fail_open; /* set from the test thread */
};

static int fdt_open(struct transport *t)
{
	struct fdt *f = t->impl;
	if (f->fail_open)
		return f->fail_open;
	f->open = 1;
	return 0;
}

static int fdt_read(struct transport *t, uint8_t *buf, size_t cap, int timeout_ms)
{
	struct fdt *f = t->impl;
	if (!f->open)
		return TRANSPORT_EGONE;
	struct pollfd p = { .fd = f->fd, .events = POLLIN };
	int r = poll(&p, 1, timeout_ms < 0 ? -1 : timeout_ms);
	if (r == 0)
		return 0;
	if (r < 0)
		return errno == EINTR ? 0 : TRANSPORT_EIO;
	ssize_t n = read(f->fd, buf, cap);
	if (n == 0)
		return TRANSPORT_EGONE;
	if (n < 0)
		return (errno == ECONNRESET || errno == EPIPE) ? TRANSPORT_EGONE : TRANSPORT_EIO;
	return (int)n;
}

static int fdt_write(struct transport *t, const uint8_t *buf, size_t n, int timeout_ms)
{
	struct fdt *f = t->impl;
	(void)timeout_ms;
	if (!f->open)
		return TRANSPORT_EGONE;
	while (n) {
		ssize_t w = send(f->fd, buf, n, MSG_NOSIGNAL);
		if (w < 0 && errno == ENOTSOCK)
			w = write(f->fd, buf, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return (errno == EPIPE || errno == ECONNRESET) ? TRANSPORT_EGONE : TRANSPORT_EIO;
		}
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

static void fdt_close(struct transport *t)
{
	struct fdt *f = t->impl;
	f->open = 0;
}

static void fdt_destroy(struct transport *t)
{
	struct fdt *f = t->impl;
	close(f->fd);
	free(f);
	free(t);
}

static const struct transport_ops fdt_ops = {
	.name = "test_fd",
	.open = fdt_open,
	.read = fdt_read,
	.write = fdt_write,
	.close = fdt_close,
	.destroy = fdt_destroy,
};

struct transport *test_fd_transport_new(int fd)
{
	struct transport *t = xcalloc(1, sizeof *t);
	struct fdt *f = xcalloc(1, sizeof *f);
	f->fd = fd;
	t->ops = &fdt_ops;
	t->impl = f;
	snprintf(t->desc, sizeof t->desc, "test_fd %d", fd);
	return t;
}

void test_fd_transport_fail_open(struct transport *t, int code)
{
	struct fdt *f = t->impl;
	f->fail_open = code;
}
