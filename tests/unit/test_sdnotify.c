/* sd_notify without libsystemd: the exact datagrams on a real socket (path and abstract),
 * the no-op when unset, and the watchdog interval parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "kiosk/shell/sdnotify.h"

static char sock_path[108];

/* Binds a datagram socket at NAME ('@' = abstract) with a receive timeout, so a test that
 * sends nothing fails instead of hanging. */
static int bind_dgram(const char *name)
{
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	assert_true(fd >= 0);
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	size_t n = strlen(name);
	assert_true(n < sizeof a.sun_path);
	memcpy(a.sun_path, name, n);
	socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
	if (name[0] == '@') {
		a.sun_path[0] = '\0';
		len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
	}
	assert_int_equal(bind(fd, (struct sockaddr *)&a, len), 0);
	struct timeval tv = { .tv_sec = 2 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	return fd;
}

static void expect_datagram(int fd, const char *want)
{
	char buf[512];
	ssize_t n = recv(fd, buf, sizeof buf, 0);
	assert_true(n >= 0);
	assert_int_equal((size_t)n, strlen(want));
	assert_memory_equal(buf, want, (size_t)n);
}

static void assert_nothing_pending(int fd)
{
	char buf[16];
	assert_int_equal(recv(fd, buf, sizeof buf, MSG_DONTWAIT), -1);
	assert_true(errno == EAGAIN || errno == EWOULDBLOCK);
}

static void test_path_socket(void **st)
{
	(void)st;
	snprintf(sock_path, sizeof sock_path, "/tmp/test_sdnotify_%d.sock", (int)getpid());
	unlink(sock_path);
	int fd = bind_dgram(sock_path);
	setenv("NOTIFY_SOCKET", sock_path, 1);
	assert_int_equal(sdnotify_ready(), 1);
	expect_datagram(fd, "READY=1");
	assert_int_equal(sdnotify_watchdog(), 1);
	expect_datagram(fd, "WATCHDOG=1");
	assert_int_equal(sdnotify_status("online, 3 payments queued"), 1);
	expect_datagram(fd, "STATUS=online, 3 payments queued");
	assert_int_equal(sdnotify_stopping(), 1);
	expect_datagram(fd, "STOPPING=1");
	assert_nothing_pending(fd);
	close(fd);
	unlink(sock_path);
	unsetenv("NOTIFY_SOCKET");
}

static void test_abstract_socket(void **st)
{
	(void)st;
	char name[64];
	snprintf(name, sizeof name, "@test_sdnotify_%d", (int)getpid());
	int fd = bind_dgram(name);
	setenv("NOTIFY_SOCKET", name, 1);
	assert_int_equal(sdnotify_watchdog(), 1);
	expect_datagram(fd, "WATCHDOG=1");
	assert_int_equal(sdnotify_ready(), 1);
	expect_datagram(fd, "READY=1");
	close(fd);
	/* Nobody bound the name any more: the send fails and says so. */
	assert_int_equal(sdnotify_watchdog(), -1);
	assert_int_equal(errno, ECONNREFUSED);
	unsetenv("NOTIFY_SOCKET");
}

/* A status cannot inject a second assignment, and is capped. */
static void test_status_sanitised(void **st)
{
	(void)st;
	char name[64];
	snprintf(name, sizeof name, "@test_sdnotify_s%d", (int)getpid());
	int fd = bind_dgram(name);
	setenv("NOTIFY_SOCKET", name, 1);
	assert_int_equal(sdnotify_status("printer\nREADY=1\r"), 1);
	expect_datagram(fd, "STATUS=printer READY=1 ");
	char big[400];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(sdnotify_status(big), 1);
	char want[220] = "STATUS=";
	memset(want + 7, 'x', 200);
	want[207] = '\0';
	expect_datagram(fd, want);
	assert_int_equal(sdnotify_status(NULL), 1);
	expect_datagram(fd, "STATUS=");
	close(fd);
	unsetenv("NOTIFY_SOCKET");
}

static void test_unset_is_noop(void **st)
{
	(void)st;
	unsetenv("NOTIFY_SOCKET");
	assert_int_equal(sdnotify_ready(), 0);
	assert_int_equal(sdnotify_watchdog(), 0);
	assert_int_equal(sdnotify_status("x"), 0);
	setenv("NOTIFY_SOCKET", "", 1);
	assert_int_equal(sdnotify_ready(), 0);
	/* Neither a path nor '@name': refused, not sent somewhere surprising. */
	setenv("NOTIFY_SOCKET", "relative.sock", 1);
	assert_int_equal(sdnotify_ready(), -1);
	assert_int_equal(errno, EINVAL);
	char longname[200];
	memset(longname, 'a', sizeof longname - 1);
	longname[0] = '/';
	longname[sizeof longname - 1] = '\0';
	setenv("NOTIFY_SOCKET", longname, 1);
	assert_int_equal(sdnotify_ready(), -1);
	unsetenv("NOTIFY_SOCKET");
}

static void test_watchdog_interval(void **st)
{
	(void)st;
	char pid[32];
	unsetenv("WATCHDOG_PID");
	unsetenv("WATCHDOG_USEC");
	assert_int_equal(sdnotify_watchdog_interval_ms(), 0);
	setenv("WATCHDOG_USEC", "30000000", 1); /* WatchdogSec=30 */
	assert_int_equal(sdnotify_watchdog_interval_ms(), 15000);
	setenv("WATCHDOG_USEC", "1000", 1);
	assert_int_equal(sdnotify_watchdog_interval_ms(), 1); /* never 0 while enabled */
	setenv("WATCHDOG_USEC", "0", 1);
	assert_int_equal(sdnotify_watchdog_interval_ms(), 0);
	setenv("WATCHDOG_USEC", "30s", 1);
	assert_int_equal(sdnotify_watchdog_interval_ms(), 0);
	setenv("WATCHDOG_USEC", "-5", 1);
	assert_int_equal(sdnotify_watchdog_interval_ms(), 0);
	setenv("WATCHDOG_USEC", "30000000", 1);
	snprintf(pid, sizeof pid, "%d", (int)getpid());
	setenv("WATCHDOG_PID", pid, 1);
	assert_int_equal(sdnotify_watchdog_interval_ms(), 15000);
	/* The compositor's pid (we are its child): still ours to keep alive. */
	snprintf(pid, sizeof pid, "%d", (int)getppid());
	setenv("WATCHDOG_PID", pid, 1);
	assert_int_equal(sdnotify_watchdog_interval_ms(), 15000);
	unsetenv("WATCHDOG_PID");
	unsetenv("WATCHDOG_USEC");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_socket),
		cmocka_unit_test(test_abstract_socket),
		cmocka_unit_test(test_status_sanitised),
		cmocka_unit_test(test_unset_is_noop),
		cmocka_unit_test(test_watchdog_interval),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
