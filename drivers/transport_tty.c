/* Serial transport (CDC-ACM or RS-232 through termios): raw 8N1, no flow control.  See
 * transports.h. */
#include "drivers/transport_fdio.h"
#include "drivers/transports.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "kiosk/base/xalloc.h"

struct tty_impl {
	char path[80];
	speed_t speed;
	int fd;
};

static int tty_open(struct transport *t)
{
	struct tty_impl *im = t->impl;
	if (im->fd >= 0)
		return 0;
	int fd = open(im->path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return errno == EACCES || errno == EPERM ? TRANSPORT_EACCES : TRANSPORT_ENODEV;
	struct termios tio;
	if (tcgetattr(fd, &tio) == 0) {
		cfmakeraw(&tio);
		tio.c_cflag &= ~(tcflag_t)(CSTOPB | PARENB | CRTSCTS | CSIZE);
		tio.c_cflag |= CS8 | CLOCAL | CREAD;
		tio.c_iflag &= ~(tcflag_t)(IXON | IXOFF | IXANY);
		tio.c_cc[VMIN] = 0;
		tio.c_cc[VTIME] = 0;
		cfsetispeed(&tio, im->speed);
		cfsetospeed(&tio, im->speed);
		if (tcsetattr(fd, TCSANOW, &tio) != 0) {
			close(fd);
			return TRANSPORT_EIO;
		}
		tcflush(fd, TCIOFLUSH); /* stale bytes from before we opened are not ours */
	}
	/* not a tty (a plain file or fifo in a test): used as a byte stream as is */
	im->fd = fd;
	return 0;
}

static int tty_read(struct transport *t, uint8_t *buf, size_t cap, int timeout_ms)
{
	struct tty_impl *im = t->impl;
	return fdio_read(im->fd, buf, cap, timeout_ms);
}

static int tty_write(struct transport *t, const uint8_t *buf, size_t n, int timeout_ms)
{
	struct tty_impl *im = t->impl;
	return fdio_write(im->fd, buf, n, timeout_ms);
}

static void tty_close(struct transport *t)
{
	struct tty_impl *im = t->impl;
	if (im->fd >= 0)
		close(im->fd);
	im->fd = -1;
}

static void tty_destroy(struct transport *t)
{
	tty_close(t);
	free(t->impl);
	free(t);
}

static const struct transport_ops tty_ops = {
	.name = "tty", .open = tty_open, .read = tty_read, .write = tty_write,
	.close = tty_close, .destroy = tty_destroy,
};

static bool baud_speed(int baud, speed_t *ret)
{
	static const struct { int baud; speed_t s; } map[] = {
		{ 9600, B9600 }, { 19200, B19200 }, { 38400, B38400 }, { 57600, B57600 },
		{ 115200, B115200 }, { 230400, B230400 },
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (map[i].baud == baud) {
			*ret = map[i].s;
			return true;
		}
	return false;
}

struct transport *transport_tty_new(const char *path, int baud)
{
	speed_t sp;
	if (!path || !*path || strlen(path) >= 80 || !baud_speed(baud, &sp))
		return NULL;
	struct transport *t = xcalloc(1, sizeof *t);
	struct tty_impl *im = xcalloc(1, sizeof *im);
	snprintf(im->path, sizeof im->path, "%s", path);
	im->speed = sp;
	im->fd = -1;
	t->ops = &tty_ops;
	t->impl = im;
	snprintf(t->desc, sizeof t->desc, "tty %s", path);
	return t;
}
