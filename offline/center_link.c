/* The billing-center client's link transport (center_transport.h): the exchange runs in the
 * kiosk's kiosk-link process (link_host.h), over a channel of this client's own, in
 * link_wire.h frames.  The channel is opened by the client's first request, on the thread
 * that owns the client (not by whoever made it: the kiosk makes its clients on the main
 * thread), and again at the next request after it was lost; one request is in flight on it
 * at a time. */
#include "offline/center_transport.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kiosk/base/log.h"
#include "kiosk/base/xalloc.h"
#include "offline/link_host.h"
#include "offline/link_io.h"

#define OPEN_WAIT_MS 15000    /* a channel's start: maybe the process's exec and libcurl's
				 * loading, and the client's options */

struct center_link {
	char program[PATH_MAX];
	char log_file[256], log_level[8];
	bool log_syslog;
	struct link_buf open;     /* the OPEN frame, sent on every channel opened */
	long wait_ms;             /* the longest a request may take: two exchanges and a margin */
	int fd;                   /* the channel, -1: none */
	pid_t pid;                /* the link process it goes to */
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

static void close_channel(struct center_link *l)
{
	if (l->fd >= 0)
		close(l->fd);
	l->fd = -1;
}

/* A channel to the link process with this client's options made there: 0, or -1 with the
 * reason (a process that did not answer in time is killed: link_host_lost). */
static int open_channel(struct center_link *l, char *err, size_t cap)
{
	struct link_host_args a = { .program = l->program, .log_file = l->log_file,
				    .log_level = l->log_level, .log_syslog = l->log_syslog };
	l->fd = link_host_channel(&a, &l->pid, err, cap);
	if (l->fd < 0)
		return -1;
	struct link_opened op;
	const char *why = "no answer";
	int io = link_io_send(l->fd, &l->open);
	if (io == LINK_IO_OK)
		io = link_io_recv(l->fd, OPEN_WAIT_MS, &l->frame);
	if (io == LINK_IO_OK && link_decode_opened(l->frame.p, l->frame.len, &op, &why) == 0) {
		bool ok = op.err[0] == '\0';
		if (!ok)
			snprintf(err, cap, "%s", op.err);
		link_opened_clear(&op);
		if (ok)
			return 0;
	} else {
		snprintf(err, cap, "center: %.160s did not open its client (%s)", l->program,
			 io == LINK_IO_TIMEOUT ? "no answer in time" : why);
	}
	close_channel(l);
	if (io == LINK_IO_TIMEOUT)
		link_host_lost(l->pid);
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
		link_buf_free(&l->open);
		free(l);
		return NULL;
	}
	link_host_join();
	return l;
}

void center_link_free(struct center_link *l)
{
	if (!l)
		return;
	close_channel(l);
	link_host_leave();
	if (l->open.p)
		explicit_bzero(l->open.p, l->open.len);  /* it holds the signing key */
	link_buf_free(&l->open);
	link_buf_free(&l->frame);
	free(l);
}

/* Sends a request frame, opening a channel first when there is none; a channel found
 * closed is replaced once.  A frame not wholly written was never acted on. */
static int deliver(struct center_link *l, const struct link_buf *req)
{
	char err[256] = "";
	for (int attempt = 0; attempt < 2; attempt++) {
		if (l->fd < 0 && open_channel(l, err, sizeof err) != 0) {
			log_error("center", "link_unavailable", "err=\"%s\"", err);
			return -1;
		}
		if (link_io_send(l->fd, req) == LINK_IO_OK)
			return 0;
		log_warn("center", "link_lost", "pid=%d when=sending", (int)l->pid);
		close_channel(l);
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
		close_channel(l);
		if (io == LINK_IO_TIMEOUT)  /* past two exchanges' time limits: it is stuck */
			link_host_lost(l->pid);
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
