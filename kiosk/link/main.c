/* kiosk-link: the kiosk's network process.  The kiosk starts one (offline/link_host.c) with
 * a control socket as fd 3, over which it hands a channel (a socket) for each of its
 * billing-center clients.  Each channel gets a thread of its own (a worker), which makes the
 * client its OPEN frame describes (libcurl, TLS, the request signature) and answers each
 * REQUEST frame with the REPLY of one center_request, until the kiosk closes the channel.
 * The process ends when the kiosk closes the control socket or exits.
 *
 *   kiosk-link --parent PID [--log-level L] [--log-file F] [--syslog]
 *
 * It holds no state a crash could lose: a request it was running when it died is the
 * kiosk's CENTER_ETIMEOUT (an unknown outcome), and the kiosk starts another process. */
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "kiosk/base/clock.h"
#include "kiosk/base/log.h"
#include "kiosk/base/worker.h"
#include "kiosk/base/xalloc.h"
#include "offline/center_client.h"
#include "offline/curl_lib.h"
#include "offline/link_io.h"

#define CTL_FD 3  /* the control socket: channels arrive here */

static int usage(void)
{
	fprintf(stderr, "usage: kiosk-link --parent PID [--log-level L] [--log-file F] [--syslog]\n"
			"(started by the kiosk, with its control socket as fd 3)\n");
	return 2;
}

/* The OPEN frame into a client; its error (or "") back as OPENED. */
static struct center_client *open_client(int fd, struct link_buf *frame, struct link_buf *out)
{
	struct link_open m;
	const char *why = NULL;
	char err[256] = "";
	struct center_client *c = NULL;
	if (link_io_recv(fd, 15000, frame) != LINK_IO_OK) {
		log_error("link", "no_open", "why=\"no OPEN frame\"");
		return NULL;
	}
	if (link_decode_open(frame->p, frame->len, &m, &why) != 0) {
		snprintf(err, sizeof err, "center: the link refused its options (%s)", why);
	} else {
		struct center_client_opts o = { .url = m.url, .ca = m.ca, .pins = m.pins, .cert = m.cert,
						.key = m.key, .key_id = m.key_id, .device_id = m.device_id,
						.connect_timeout_ms = (long)m.connect_ms,
						.total_timeout_ms = (long)m.total_ms };
		memcpy(o.hmac_key, m.hmac_key, sizeof o.hmac_key);
		c = center_client_new(&o, err, sizeof err);
		explicit_bzero(o.hmac_key, sizeof o.hmac_key);
		link_open_clear(&m);
	}
	out->len = 0;
	if (link_encode_opened(c ? "" : err, out) != 0 || link_io_send(fd, out) != LINK_IO_OK) {
		center_client_free(c);
		return NULL;
	}
	return c;
}

/* One REQUEST -> one REPLY.  0, or -1 when the kiosk is gone or spoke out of turn. */
static int serve_one(int fd, struct center_client *c, struct link_buf *frame, struct link_buf *out)
{
	int rc = link_io_recv(fd, -1, frame);
	if (rc == LINK_IO_CLOSED)
		return -1;  /* the kiosk closed its end: done */
	struct link_request q;
	const char *why = "a bad frame length";
	if (rc != LINK_IO_OK || link_decode_request(frame->p, frame->len, &q, &why) != 0) {
		log_error("link", "bad_request", "why=\"%s\"", why);
		return -1;
	}
	center_client_set_offset_ms(c, q.offset_ms);
	struct center_reply r;
	center_request(c, q.method, q.path, (const char *)q.body, q.len, (const char *const *)q.headers,
		       q.has_override ? &q.ov : NULL, &r);
	out->len = 0;
	rc = link_encode_reply(&r, center_client_offset_ms(c), center_client_reachable(c), out);
	link_request_clear(&q);
	center_reply_clear(&r);
	if (rc != 0 || link_io_send(fd, out) != LINK_IO_OK)
		return -1;
	return 0;
}

/* A channel and the worker that serves it. */
struct channel {
	int fd;
	struct worker *w;
	atomic_bool done;
	struct channel *next;
};

/* The channel's one job: its whole life, from OPEN to the kiosk closing it. */
static void serve_channel(void *ctx, void *job)
{
	(void)job;
	struct channel *ch = ctx;
	struct link_buf frame = { 0 }, out = { 0 };
	struct center_client *c = open_client(ch->fd, &frame, &out);
	while (c && serve_one(ch->fd, c, &frame, &out) == 0)
		;
	center_client_free(c);
	link_buf_free(&frame);
	link_buf_free(&out);
	close(ch->fd);
	atomic_store(&ch->done, true);
}

static struct channel *channel_start(struct channel *list, int fd)
{
	struct channel *ch = xcalloc(1, sizeof *ch);
	ch->fd = fd;
	atomic_init(&ch->done, false);
	struct worker_cfg wc = { .name = "link_channel", .job_size = 1, .capacity = 1, .run = serve_channel, .ctx = ch };
	char job = 0;
	ch->w = worker_start(&wc);
	if (!ch->w || worker_submit(ch->w, &job) != 0) {
		worker_stop(ch->w, WORKER_DROP);
		close(fd);  /* the kiosk sees its channel closed and asks again */
		free(ch);
		return list;
	}
	ch->next = list;
	return ch;
}

/* Joins and frees the channels whose kiosk side closed. */
static struct channel *channel_reap(struct channel *list)
{
	struct channel **p = &list;
	while (*p) {
		struct channel *ch = *p;
		if (atomic_load(&ch->done)) {
			*p = ch->next;
			worker_stop(ch->w, WORKER_DROP);
			free(ch);
		} else {
			p = &ch->next;
		}
	}
	return list;
}

int main(int argc, char **argv)
{
	curl_lib_before_threads();
	long parent = -1;
	const char *log_file = NULL, *level = "info";
	bool use_syslog = false;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--parent") == 0 && i + 1 < argc)
			parent = strtol(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--log-level") == 0 && i + 1 < argc)
			level = argv[++i];
		else if (strcmp(argv[i], "--log-file") == 0 && i + 1 < argc)
			log_file = argv[++i];
		else if (strcmp(argv[i], "--syslog") == 0)
			use_syslog = true;
		else
			return usage();
	}
	int lvl = log_level_parse(level);
	if (parent <= 0 || lvl < 0)
		return usage();
	/* Ends with the kiosk, even in the middle of a request. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != (pid_t)parent)
		return 1;
	signal(SIGPIPE, SIG_IGN);
	log_open(log_file, (enum log_level)lvl, use_syslog);
	char err[200];
	if (clock_attach_env(err, sizeof err) != 0) {  /* a test stack's clock, as the kiosk's */
		log_error("link", "clock", "err=\"%s\"", err);
		return 1;
	}
	struct channel *list = NULL;
	for (;;) {
		int fd, rc = link_io_recv_fd(CTL_FD, 1000, &fd);
		if (rc == LINK_IO_CLOSED)
			break;  /* the kiosk closed its end, or is gone */
		if (rc == LINK_IO_OK)
			list = channel_start(list, fd);
		list = channel_reap(list);
	}
	/* Channels still open belong to a kiosk that is gone or going: no goodbyes. */
	log_close();
	_exit(0);
}
