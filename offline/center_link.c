/* The billing-center client's link transport (center_transport.h): the exchange runs in a
 * kiosk-link process of this client's own, spoken to in link_wire.h frames over a socket
 * pair.  The process is started by the client's first request, on the thread that owns the
 * client (not by whoever made it: the kiosk makes its clients on the main thread), and
 * again at the next request after it died; one request is in flight at a time. */
#include "offline/center_transport.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "kiosk/base/log.h"
#include "kiosk/base/xalloc.h"
#include "offline/link_io.h"

#define LINK_FD 3             /* the socket's number in the link process */
#define OPEN_WAIT_MS 15000    /* its start: exec, libcurl's loading, the client's options */

extern char **environ;

struct center_link {
	char program[PATH_MAX];
	char log_file[256], log_level[8];
	bool log_syslog;
	struct link_buf open;     /* the OPEN frame, sent to every process started */
	long wait_ms;             /* the longest a request may take: two exchanges and a margin */
	pid_t pid;                /* 0: none running */
	int fd;
	struct link_buf frame;    /* the last frame read */
};

int center_link_program(const char *configured, char *out, size_t cap, char *err, size_t ecap)
{
	if (configured && configured[0]) {
		snprintf(out, cap, "%s", configured);
		if (access(out, X_OK) == 0)
			return 0;
		snprintf(err, ecap, "center: the link program %s is not executable", out);
		return -1;
	}
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n <= 0) {
		snprintf(err, ecap, "center: cannot read /proc/self/exe to find kiosk-link");
		return -1;
	}
	self[n] = '\0';
	char *slash = strrchr(self, '/');
	if (slash)
		*slash = '\0';
	static const char *const where[] = { "%s/kiosk-link", "%s/../lib/kiosk/kiosk-link" };
	for (size_t i = 0; i < sizeof where / sizeof where[0]; i++) {
		int k = snprintf(out, cap, where[i], self);
		if (k > 0 && (size_t)k < cap && access(out, X_OK) == 0)
			return 0;
	}
	snprintf(err, ecap, "center: kiosk-link is neither in %s nor in %s/../lib/kiosk", self, self);
	return -1;
}

static void stop_process(struct center_link *l, bool gently)
{
	if (l->pid <= 0)
		return;
	close(l->fd);  /* a link process reading its next request ends on this */
	l->fd = -1;
	int status;
	for (int i = 0; gently && i < 50; i++) {
		if (waitpid(l->pid, &status, WNOHANG) == l->pid) {
			l->pid = 0;
			return;
		}
		nanosleep(&(struct timespec){ .tv_nsec = 10 * 1000 * 1000 }, NULL);
	}
	kill(l->pid, SIGKILL);
	while (waitpid(l->pid, &status, 0) < 0 && errno == EINTR)
		;
	l->pid = 0;
}

static int spawn(struct center_link *l, char *err, size_t cap)
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
	argv[n++] = l->program;
	argv[n++] = "--parent";
	argv[n++] = parent;
	argv[n++] = "--log-level";
	argv[n++] = l->log_level[0] ? l->log_level : "info";
	if (l->log_file[0]) {
		argv[n++] = "--log-file";
		argv[n++] = l->log_file;
	}
	if (l->log_syslog)
		argv[n++] = "--syslog";
	argv[n] = NULL;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, sv[1], LINK_FD);
	/* Nothing of the kiosk's stdout; its stderr only when that is where the log goes. */
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	if (l->log_file[0])
		posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	/* Nothing else of the kiosk's: not its store, devices or wake-up pipe. */
	posix_spawn_file_actions_addclosefrom_np(&fa, LINK_FD + 1);
	pid_t pid;
	int rc = posix_spawn(&pid, l->program, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(sv[1]);
	if (rc != 0) {
		close(sv[0]);
		snprintf(err, cap, "center: cannot start %.160s: %s", l->program, strerror(rc));
		return -1;
	}
	l->pid = pid;
	l->fd = sv[0];
	struct link_opened op;
	const char *why = "no answer";
	if (link_io_send(l->fd, &l->open) == LINK_IO_OK &&
	    link_io_recv(l->fd, OPEN_WAIT_MS, &l->frame) == LINK_IO_OK &&
	    link_decode_opened(l->frame.p, l->frame.len, &op, &why) == 0) {
		bool ok = op.err[0] == '\0';
		if (!ok)
			snprintf(err, cap, "%s", op.err);
		link_opened_clear(&op);
		if (ok) {
			log_info("center", "link_started", "pid=%d", (int)pid);
			return 0;
		}
	} else {
		snprintf(err, cap, "center: %.160s did not open its client (%s)", l->program, why);
	}
	stop_process(l, false);
	return -1;
}

struct center_link *center_link_new(const struct center_client_opts *o, char *err, size_t cap)
{
	struct center_link *l = xcalloc(1, sizeof *l);
	l->fd = -1;
	if (cap)
		err[0] = '\0';
	snprintf(l->log_file, sizeof l->log_file, "%s", o->link.log_file);
	snprintf(l->log_level, sizeof l->log_level, "%s", o->link.log_level);
	l->log_syslog = o->link.log_syslog;
	long connect = o->connect_timeout_ms > 0 ? o->connect_timeout_ms : 10000;
	long total = o->total_timeout_ms > 0 ? o->total_timeout_ms : 30000;
	l->wait_ms = 2 * (connect + total) + 5000;
	if (center_link_program(o->link.program, l->program, sizeof l->program, err, cap) != 0 ||
	    link_encode_open(o, &l->open) != 0) {
		if (!err[0])
			snprintf(err, cap, "center: an option is over the link's limit");
		center_link_free(l);
		return NULL;
	}
	return l;
}

void center_link_free(struct center_link *l)
{
	if (!l)
		return;
	stop_process(l, true);
	if (l->open.p)
		OPENSSL_cleanse(l->open.p, l->open.len);  /* it holds the signing key */
	link_buf_free(&l->open);
	link_buf_free(&l->frame);
	free(l);
}

/* Sends a request frame, starting a process first when none runs; a process found dead is
 * replaced once.  A frame not wholly written was never acted on. */
static int deliver(struct center_link *l, const struct link_buf *req)
{
	char err[256] = "";
	for (int attempt = 0; attempt < 2; attempt++) {
		if (l->pid == 0 && spawn(l, err, sizeof err) != 0) {
			log_error("center", "link_unavailable", "err=\"%s\"", err);
			return -1;
		}
		if (link_io_send(l->fd, req) == LINK_IO_OK)
			return 0;
		log_warn("center", "link_lost", "pid=%d when=sending", (int)l->pid);
		stop_process(l, false);
	}
	return -1;
}

static void fail(struct center_reply *ret, enum center_class cls, bool *reachable)
{
	center_reply_clear(ret);
	ret->cls = cls;
	center_reply_http_error(ret);
	*reachable = false;
}

int center_link_request(struct center_link *l, const char *method, const char *path,
			const char *body, size_t len, const char *const *extra_headers,
			const struct center_sign_override *ov, int64_t *offset_ms, bool *reachable,
			struct center_reply *ret)
{
	memset(ret, 0, sizeof *ret);
	struct link_buf req = { 0 };
	if (link_encode_request(method, path, body, len, extra_headers, ov, *offset_ms, &req) != 0) {
		fail(ret, CENTER_EREPLY, reachable);  /* a request this client cannot carry */
		return ret->cls;
	}
	int rc = deliver(l, &req);
	link_buf_free(&req);
	if (rc != 0) {
		fail(ret, CENTER_ENET, reachable);  /* nothing reached the center */
		return ret->cls;
	}
	struct link_reply rep;
	const char *why = NULL;
	int io = link_io_recv(l->fd, (int)l->wait_ms, &l->frame);
	if (io != LINK_IO_OK || link_decode_reply(l->frame.p, l->frame.len, &rep, &why) != 0) {
		/* The request may have reached the center: an unknown outcome, never "not sent". */
		log_warn("center", "link_lost", "pid=%d when=waiting why=\"%s\"", (int)l->pid,
			 why ? why : io == LINK_IO_TIMEOUT ? "no reply in time" : "closed");
		stop_process(l, false);
		fail(ret, CENTER_ETIMEOUT, reachable);
		return ret->cls;
	}
	*ret = rep.r;
	ret->err = (struct cjson_error){ 0 };
	if (ret->cls != CENTER_OK && ret->cls != CENTER_EHTTP) {
		free(ret->body);  /* as in this process: a body only when an HTTP answer came */
		ret->body = NULL;
		ret->len = 0;
	}
	if (ret->cls == CENTER_EHTTP)
		center_reply_http_error(ret);
	*offset_ms = rep.offset_ms;
	*reachable = rep.reachable;
	return ret->cls;
}
