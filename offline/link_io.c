/* Frames on a stream socket (link_io.h). */
#include "offline/link_io.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "kiosk/base/xalloc.h"

int link_io_send(int fd, const struct link_buf *b)
{
	size_t at = 0;
	while (at < b->len) {
		ssize_t k = send(fd, b->p + at, b->len - at, MSG_NOSIGNAL);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return LINK_IO_CLOSED;
		at += (size_t)k;
	}
	return LINK_IO_OK;
}

/* The machine's monotonic clock: a wait bound, like clock_deadline, so it deliberately does
 * not follow the injected clock (a script's `advance` must not time a reply out). */
static int64_t machine_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reads exactly n bytes by the deadline (monotonic ms; < 0: none). */
static int read_all(int fd, uint8_t *p, size_t n, int64_t deadline)
{
	size_t at = 0;
	while (at < n) {
		int wait = -1;
		if (deadline >= 0) {
			int64_t left = deadline - machine_ms();
			if (left <= 0)
				return LINK_IO_TIMEOUT;
			wait = left > 60000 ? 60000 : (int)left;
		}
		struct pollfd pf = { .fd = fd, .events = POLLIN };
		int pr = poll(&pf, 1, wait);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr < 0)
			return LINK_IO_CLOSED;
		if (pr == 0)
			continue;  /* the deadline is checked above */
		ssize_t k = read(fd, p + at, n - at);
		if (k < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (k <= 0)
			return LINK_IO_CLOSED;
		at += (size_t)k;
	}
	return LINK_IO_OK;
}

int link_io_recv(int fd, int timeout_ms, struct link_buf *frame)
{
	int64_t deadline = timeout_ms < 0 ? -1 : machine_ms() + timeout_ms;
	uint8_t le[4];
	int rc = read_all(fd, le, sizeof le, deadline);
	if (rc != LINK_IO_OK)
		return rc;
	uint32_t n = (uint32_t)le[0] | (uint32_t)le[1] << 8 | (uint32_t)le[2] << 16 | (uint32_t)le[3] << 24;
	if (n == 0 || n > LINK_FRAME_MAX)
		return LINK_IO_BAD;
	if (frame->cap < n) {
		frame->p = xrealloc(frame->p, n);
		frame->cap = n;
	}
	frame->len = 0;
	rc = read_all(fd, frame->p, n, deadline);
	if (rc == LINK_IO_OK)
		frame->len = n;
	return rc;
}

int link_io_send_fd(int sock, int fd)
{
	char byte = 'C';
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	memset(&u, 0, sizeof u);
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
			    .msg_controllen = sizeof u.buf };
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof fd);
	ssize_t k;
	do
		k = sendmsg(sock, &m, MSG_NOSIGNAL);
	while (k < 0 && errno == EINTR);
	return k == 1 ? LINK_IO_OK : LINK_IO_CLOSED;
}

int link_io_recv_fd(int sock, int timeout_ms, int *ret_fd)
{
	struct pollfd pf = { .fd = sock, .events = POLLIN };
	int pr;
	do
		pr = poll(&pf, 1, timeout_ms);
	while (pr < 0 && errno == EINTR);
	if (pr == 0)
		return LINK_IO_TIMEOUT;
	char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
			    .msg_controllen = sizeof u.buf };
	ssize_t k;
	do
		k = recvmsg(sock, &m, MSG_CMSG_CLOEXEC);
	while (k < 0 && errno == EINTR);
	struct cmsghdr *c = k == 1 ? CMSG_FIRSTHDR(&m) : NULL;
	if (!c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS ||
	    c->cmsg_len != CMSG_LEN(sizeof(int)))
		return LINK_IO_CLOSED;
	memcpy(ret_fd, CMSG_DATA(c), sizeof *ret_fd);
	return LINK_IO_OK;
}
