/* The kiosk's one kiosk-link process (link_host.h). */
#include "offline/link_host.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kiosk/base/log.h"
#include "offline/link_io.h"

#define CTL_FD 3  /* the control socket's number in the link process */

extern char **environ;

static struct {
	pthread_mutex_t mu;
	pid_t pid;  /* 0: none running */
	int ctl;
	int users;
} host = { PTHREAD_MUTEX_INITIALIZER, 0, -1, 0 };

/* Under host.mu: closes the control socket and reaps the process, killing it at once when
 * told to, else when it has not ended within 0.5 s of the close. */
static void reap(bool kill_now)
{
	if (host.pid <= 0)
		return;
	close(host.ctl);
	host.ctl = -1;
	int status;
	for (int i = 0; !kill_now && i < 50; i++) {
		if (waitpid(host.pid, &status, WNOHANG) == host.pid) {
			host.pid = 0;
			return;
		}
		nanosleep(&(struct timespec){ .tv_nsec = 10 * 1000 * 1000 }, NULL);
	}
	kill(host.pid, SIGKILL);
	while (waitpid(host.pid, &status, 0) < 0 && errno == EINTR)
		;
	host.pid = 0;
}

/* Under host.mu: starts the process with the control socket as its fd 3, stdout on
 * /dev/null (stderr too when the log has a file), nothing else of the kiosk's open. */
static int spawn(const struct link_host_args *a, char *err, size_t cap)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
		snprintf(err, cap, "center: socketpair: %s", strerror(errno));
		return -1;
	}
	char parent[24];
	snprintf(parent, sizeof parent, "%d", (int)getpid());
	char *argv[10];
	int n = 0;
	argv[n++] = (char *)a->program;
	argv[n++] = "--parent";
	argv[n++] = parent;
	argv[n++] = "--log-level";
	argv[n++] = (char *)(a->log_level[0] ? a->log_level : "info");
	if (a->log_file[0]) {
		argv[n++] = "--log-file";
		argv[n++] = (char *)a->log_file;
	}
	if (a->log_syslog)
		argv[n++] = "--syslog";
	argv[n] = NULL;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, sv[1], CTL_FD);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	if (a->log_file[0])
		posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	/* Nothing else of the kiosk's: not its store, devices or wake-up pipe. */
	posix_spawn_file_actions_addclosefrom_np(&fa, CTL_FD + 1);
	pid_t pid;
	int rc = posix_spawn(&pid, a->program, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(sv[1]);
	if (rc != 0) {
		close(sv[0]);
		snprintf(err, cap, "center: cannot start %.160s: %s", a->program, strerror(rc));
		return -1;
	}
	host.pid = pid;
	host.ctl = sv[0];
	log_info("center", "link_started", "pid=%d", (int)pid);
	return 0;
}

void link_host_join(void)
{
	pthread_mutex_lock(&host.mu);
	host.users++;
	pthread_mutex_unlock(&host.mu);
}

void link_host_leave(void)
{
	pthread_mutex_lock(&host.mu);
	if (--host.users == 0)
		reap(false);
	pthread_mutex_unlock(&host.mu);
}

int link_host_channel(const struct link_host_args *a, pid_t *ret_pid, char *err, size_t cap)
{
	int status, fd = -1;
	pthread_mutex_lock(&host.mu);
	for (int attempt = 0; attempt < 2 && fd < 0; attempt++) {
		if (host.pid > 0 && waitpid(host.pid, &status, WNOHANG) == host.pid) {
			log_warn("center", "link_ended", "pid=%d status=%d", (int)host.pid, status);
			host.pid = 0;  /* reaped: only the socket is left */
			close(host.ctl);
			host.ctl = -1;
		}
		if (host.pid == 0 && spawn(a, err, cap) != 0)
			break;
		int sv[2];
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
			snprintf(err, cap, "center: socketpair: %s", strerror(errno));
			break;
		}
		if (link_io_send_fd(host.ctl, sv[1]) == LINK_IO_OK) {
			fd = sv[0];
		} else {
			close(sv[0]);
			snprintf(err, cap, "center: the link process %d took no channel", (int)host.pid);
			reap(true);  /* closing or gone: the next attempt starts another */
		}
		close(sv[1]);
	}
	*ret_pid = host.pid;
	pthread_mutex_unlock(&host.mu);
	return fd;
}

void link_host_lost(pid_t pid)
{
	pthread_mutex_lock(&host.mu);
	if (pid > 0 && host.pid == pid) {
		log_warn("center", "link_killed", "pid=%d why=\"no answer in time\"", (int)pid);
		reap(true);
	}
	pthread_mutex_unlock(&host.mu);
}
