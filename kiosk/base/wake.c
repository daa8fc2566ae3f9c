#include "kiosk/base/wake.h"

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <unistd.h>

static int efd = -1;

int wake_init(void)
{
	if (efd >= 0)
		return 0;
	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	return efd < 0 ? -errno : 0;
}

void wake_signal(void)
{
	uint64_t one = 1;
	if (efd >= 0 && write(efd, &one, sizeof one) < 0) {
		/* EAGAIN: the counter is already non-zero, the main thread will wake anyway. */
	}
}

int wake_wait(int timeout_ms)
{
	struct pollfd p = { .fd = efd, .events = POLLIN };
	int n = poll(&p, 1, timeout_ms);
	if (n > 0) {
		uint64_t v;
		if (read(efd, &v, sizeof v) < 0) {
			/* Drained by another reader: nothing to do. */
		}
		return 1;
	}
	return 0;
}
