/* The fd transport and the fd I/O shared by tcp and tty: see transports.h and
 * transport_fdio.h. */
#include "drivers/transport_fdio.h"
#include "drivers/transports.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "kiosk/base/xalloc.h"

const char *transport_strerror(int code)
{
	switch (code) {
	case 0: return "ok";
	case TRANSPORT_EIO: return "I/O error";
	case TRANSPORT_EGONE: return "device gone";
	case TRANSPORT_ETIMEDOUT: return "timed out";
	case TRANSPORT_ENODEV: return "no such device";
	case TRANSPORT_EACCES: return "permission denied";
	default: return "unknown transport error";
	}
}

int fdio_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return -1;
	return 0;
}

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int map_errno(int e)
{
	switch (e) {
	case EPIPE: case ECONNRESET: case ENXIO: case ENODEV: case ENOTCONN: case EIO:
		/* EIO: a pty master whose slave side closed, a tty whose device vanished */
		return TRANSPORT_EGONE;
	default:
		return TRANSPORT_EIO;
	}
}

int fdio_read(int fd, uint8_t *buf, size_t cap, int timeout_ms)
{
	if (fd < 0)
		return TRANSPORT_EGONE;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int r = poll(&p, 1, timeout_ms < 0 ? 0 : timeout_ms);
	if (r < 0)
		return errno == EINTR ? 0 : TRANSPORT_EIO;
	if (r == 0)
		return 0;
	ssize_t n = read(fd, buf, cap);
	if (n > 0)
		return (int)(n > 0x7FFFFFFF ? 0x7FFFFFFF : n);
	if (n == 0)
		return TRANSPORT_EGONE;
	if (errno == EAGAIN || errno == EINTR)
		return 0;
	return map_errno(errno);
}

int fdio_write(int fd, const uint8_t *buf, size_t n, int timeout_ms)
{
	if (fd < 0)
		return TRANSPORT_EGONE;
	int64_t deadline = mono_ms() + (timeout_ms < 0 ? 0 : timeout_ms);
	size_t off = 0;
	while (off < n) {
		ssize_t k = send(fd, buf + off, n - off, MSG_NOSIGNAL);
		if (k < 0 && errno == ENOTSOCK)
			k = write(fd, buf + off, n - off);
		if (k > 0) {
			off += (size_t)k;
			continue;
		}
		if (k < 0 && errno != EAGAIN && errno != EINTR)
			return map_errno(errno);
		int64_t left = deadline - mono_ms();
		if (left <= 0)
			return TRANSPORT_ETIMEDOUT;
		struct pollfd p = { .fd = fd, .events = POLLOUT };
		if (poll(&p, 1, (int)left) < 0 && errno != EINTR)
			return TRANSPORT_EIO;
		if (p.revents & (POLLERR | POLLHUP))
			return TRANSPORT_EGONE;
	}
	return 0;
}

struct fd_impl {
	int fd;
	bool closed;
};

static int fd_open(struct transport *t)
{
	struct fd_impl *im = t->impl;
	if (im->fd < 0)
		return TRANSPORT_ENODEV;
	im->closed = false;
	return 0;
}

static int fd_read(struct transport *t, uint8_t *buf, size_t cap, int timeout_ms)
{
	struct fd_impl *im = t->impl;
	return im->closed ? TRANSPORT_EGONE : fdio_read(im->fd, buf, cap, timeout_ms);
}

static int fd_write(struct transport *t, const uint8_t *buf, size_t n, int timeout_ms)
{
	struct fd_impl *im = t->impl;
	return im->closed ? TRANSPORT_EGONE : fdio_write(im->fd, buf, n, timeout_ms);
}

/* The fd cannot be reopened from a name, so close() only detaches: reopen works, and the
 * fd itself is closed by destroy. */
static void fd_close(struct transport *t)
{
	struct fd_impl *im = t->impl;
	im->closed = true;
}

static void fd_destroy(struct transport *t)
{
	struct fd_impl *im = t->impl;
	if (im->fd >= 0)
		close(im->fd);
	free(t->impl);
	free(t);
}

static const struct transport_ops fd_ops = {
	.name = "fd", .open = fd_open, .read = fd_read, .write = fd_write,
	.close = fd_close, .destroy = fd_destroy,
};

struct transport *transport_fd_new(int fd)
{
	if (fd < 0)
		return NULL;
	fdio_nonblock(fd);
	struct transport *t = xcalloc(1, sizeof *t);
	struct fd_impl *im = xcalloc(1, sizeof *im);
	im->fd = fd;
	t->ops = &fd_ops;
	t->impl = im;
	snprintf(t->desc, sizeof t->desc, "fd %d", fd);
	return t;
}

struct transport *transport_from_config(const char *kind, const char *address)
{
	if (!kind || !address)
		return NULL;
	if (strcmp(kind, "tcp") == 0)
		return transport_tcp_new(address);
	if (strcmp(kind, "tty") == 0)
		return transport_tty_new(address, 115200);
	if (strcmp(kind, "usb") == 0) {
		struct transport_usb_cfg cfg = { 0 };
		if (!transport_usb_parse_id(address, &cfg))
			return NULL;
		return transport_usb_new(&cfg);
	}
	if (strcmp(kind, "fd") == 0) {
		char *end;
		long fd = strtol(address, &end, 10);
		if (*address == 0 || *end || fd < 0 || fd > 65535)
			return NULL;
		return transport_fd_new((int)fd);
	}
	return NULL;
}
