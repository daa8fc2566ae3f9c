#ifndef OFFLINE_LINK_IO_H
#define OFFLINE_LINK_IO_H
/* Frames of link_wire.h on a stream socket: whole frames out, whole frames in, within a
 * deadline.  Writes never raise SIGPIPE (a peer that is gone is an error, not a signal). */
#include "offline/link_wire.h"

enum link_io_rc {
	LINK_IO_OK = 0,
	LINK_IO_CLOSED = -1,   /* the peer closed, or the socket failed */
	LINK_IO_TIMEOUT = -2,  /* no whole frame within the time */
	LINK_IO_BAD = -3,      /* a length of 0 or over LINK_FRAME_MAX */
};

/* Writes b's bytes (one or more whole frames).  LINK_IO_OK or LINK_IO_CLOSED. */
int link_io_send(int fd, const struct link_buf *b);
/* Reads one frame's payload into *frame (replacing what it held).  timeout_ms < 0 waits as
 * long as it takes; the time covers the whole frame. */
int link_io_recv(int fd, int timeout_ms, struct link_buf *frame);

/* A descriptor handed over a unix socket (SCM_RIGHTS) with one byte of data: the channels
 * of the link process.  send: LINK_IO_OK or LINK_IO_CLOSED.  recv: LINK_IO_OK with the new
 * descriptor (close-on-exec) in *ret_fd, LINK_IO_CLOSED (the peer closed, or a message
 * without a descriptor), or LINK_IO_TIMEOUT. */
int link_io_send_fd(int sock, int fd);
int link_io_recv_fd(int sock, int timeout_ms, int *ret_fd);

#endif
