#ifndef DRIVERS_TRANSPORT_H
#define DRIVERS_TRANSPORT_H
/* A byte transport: the one small interface every device protocol (KPP/1 PIN-pad, ESC/POS
 * printer, scanner) runs over.  Implementations: libusb bulk (transport_usb.c), tty
 * (termios, transport_tty.c), tcp (transport_tcp.c) and fdpair (a socketpair or pty end, for
 * tests, transport_fd.c).
 *
 * Contract:
 *  - read() waits at most timeout_ms and returns the number of bytes read (> 0), 0 on
 *    timeout, or a negative TRANSPORT_E* code.  Bytes come as the device sent them: frames
 *    may be split across reads or several may arrive in one.
 *  - write() writes all n bytes or fails; returns 0 or a negative TRANSPORT_E* code.
 *  - TRANSPORT_EGONE means the device went away (unplug, peer closed): the owner closes the
 *    transport and reopens it with backoff.
 *  - One reader thread and one writer thread at a time; close() from the owner only.
 *  - destroy(NULL) is a no-op. */
#include <stddef.h>
#include <stdint.h>

enum {
	TRANSPORT_EIO = -1,      /* an I/O error; the link is suspect */
	TRANSPORT_EGONE = -2,    /* device unplugged or peer closed */
	TRANSPORT_ETIMEDOUT = -3,/* write did not complete in time */
	TRANSPORT_ENODEV = -4,   /* open: no such device */
	TRANSPORT_EACCES = -5,   /* open: permission denied */
};

struct transport;

struct transport_ops {
	const char *name;
	int (*open)(struct transport *t);
	int (*read)(struct transport *t, uint8_t *buf, size_t cap, int timeout_ms);
	int (*write)(struct transport *t, const uint8_t *buf, size_t n, int timeout_ms);
	void (*close)(struct transport *t);
	void (*destroy)(struct transport *t);
};

struct transport {
	const struct transport_ops *ops;
	void *impl;
	char desc[96]; /* for logs: "tcp 127.0.0.1:7001", "usb 1d6b:0104" */
};

static inline int transport_open(struct transport *t) { return t->ops->open(t); }
static inline int transport_read(struct transport *t, uint8_t *b, size_t cap, int ms)
{ return t->ops->read(t, b, cap, ms); }
static inline int transport_write(struct transport *t, const uint8_t *b, size_t n, int ms)
{ return t->ops->write(t, b, n, ms); }
static inline void transport_close(struct transport *t) { t->ops->close(t); }
static inline void transport_destroy(struct transport *t) { if (t) t->ops->destroy(t); }

const char *transport_strerror(int code);

#endif
