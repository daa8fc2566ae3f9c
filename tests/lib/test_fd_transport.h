#ifndef TESTS_LIB_TEST_FD_TRANSPORT_H
#define TESTS_LIB_TEST_FD_TRANSPORT_H
/* A transport over one end of a socketpair (or any fd), for unit tests only; the real
 * fdpair transport lives in drivers/ on the pinpad branch.  close() only marks the link
 * closed (open() marks it open again) so a service's reconnect path can be exercised;
 * destroy() closes the fd.  read(): poll + read, 0 on timeout, TRANSPORT_EGONE on EOF
 * or a closed link. */
#include "drivers/transport.h"

struct transport *test_fd_transport_new(int fd);
/* Makes the next open() calls fail with code (0 lets them succeed again). */
void test_fd_transport_fail_open(struct transport *t, int code);

#endif
