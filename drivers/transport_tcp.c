/* TCP client transport: the device (or simulator) listens, we connect.  See transports.h. */
#include "drivers/transport_fdio.h"
#include "drivers/transports.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kiosk/base/xalloc.h"

#define CONNECT_TIMEOUT_MS 3000

struct tcp_impl {
	char host[64];
	char port[8];
	int fd;
};

static int tcp_open(struct transport *t)
{
	struct tcp_impl *im = t->impl;
	if (im->fd >= 0)
		return 0;
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM }, *ai = NULL;
	if (getaddrinfo(im->host, im->port, &hints, &ai) != 0)
		return TRANSPORT_ENODEV;
	int rc = TRANSPORT_ENODEV;
	for (struct addrinfo *a = ai; a; a = a->ai_next) {
		int fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
		if (fd < 0)
			continue;
		fdio_nonblock(fd);
		int one = 1;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		if (connect(fd, a->ai_addr, a->ai_addrlen) == 0) {
			im->fd = fd;
			break;
		}
		if (errno == EINPROGRESS) {
			struct pollfd p = { .fd = fd, .events = POLLOUT };
			int err = ETIMEDOUT;
			socklen_t len = sizeof err;
			if (poll(&p, 1, CONNECT_TIMEOUT_MS) == 1)
				getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
			if (err == 0) {
				im->fd = fd;
				break;
			}
			errno = err;
		}
		rc = errno == EACCES ? TRANSPORT_EACCES : TRANSPORT_ENODEV;
		close(fd);
	}
	freeaddrinfo(ai);
	return im->fd >= 0 ? 0 : rc;
}

static int tcp_read(struct transport *t, uint8_t *buf, size_t cap, int timeout_ms)
{
	struct tcp_impl *im = t->impl;
	return fdio_read(im->fd, buf, cap, timeout_ms);
}

static int tcp_write(struct transport *t, const uint8_t *buf, size_t n, int timeout_ms)
{
	struct tcp_impl *im = t->impl;
	return fdio_write(im->fd, buf, n, timeout_ms);
}

static void tcp_close(struct transport *t)
{
	struct tcp_impl *im = t->impl;
	if (im->fd >= 0)
		close(im->fd);
	im->fd = -1;
}

static void tcp_destroy(struct transport *t)
{
	tcp_close(t);
	free(t->impl);
	free(t);
}

static const struct transport_ops tcp_ops = {
	.name = "tcp", .open = tcp_open, .read = tcp_read, .write = tcp_write,
	.close = tcp_close, .destroy = tcp_destroy,
};

struct transport *transport_tcp_new(const char *hostport)
{
	const char *colon = hostport ? strrchr(hostport, ':') : NULL;
	if (!colon || colon == hostport || (size_t)(colon - hostport) >= 64)
		return NULL;
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (colon[1] == 0 || *end || port < 1 || port > 65535)
		return NULL;
	struct transport *t = xcalloc(1, sizeof *t);
	struct tcp_impl *im = xcalloc(1, sizeof *im);
	memcpy(im->host, hostport, (size_t)(colon - hostport));
	snprintf(im->port, sizeof im->port, "%ld", port);
	im->fd = -1;
	t->ops = &tcp_ops;
	t->impl = im;
	snprintf(t->desc, sizeof t->desc, "tcp %s:%s", im->host, im->port);
	return t;
}
