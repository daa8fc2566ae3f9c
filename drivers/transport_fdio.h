#ifndef DRIVERS_TRANSPORT_FDIO_H
#define DRIVERS_TRANSPORT_FDIO_H
/* Read and write with the transport.h contract on a plain fd (socket, pty, tty): shared by
 * transport_fd.c, transport_tcp.c and transport_tty.c.  Internal to drivers/. */
#include <stddef.h>
#include <stdint.h>

int fdio_read(int fd, uint8_t *buf, size_t cap, int timeout_ms);
int fdio_write(int fd, const uint8_t *buf, size_t n, int timeout_ms);
/* Puts fd in non-blocking mode; 0 or -1. */
int fdio_nonblock(int fd);

#endif
