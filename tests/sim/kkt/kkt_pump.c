/* See kkt_pump.h. */
#include "tests/sim/kkt/kkt_pump.h"

#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "drivers/transports.h"
#include "kiosk/base/clock.h"
#include "kiosk/base/xalloc.h"

struct kkt_pump {
	int fd;
	int64_t wall_ms;
	struct kkt_core core;
	struct kkt_link link;
	pthread_mutex_t mu;
	atomic_bool stop;
	pthread_t th;
};

static void *pump_main(void *arg)
{
	struct kkt_pump *p = arg;
	while (!p->stop) {
		struct pollfd pf = { .fd = p->fd, .events = POLLIN };
		uint8_t buf[1024];
		int r = poll(&pf, 1, 5);
		ssize_t got = r == 1 ? read(p->fd, buf, sizeof buf) : 0;
		pthread_mutex_lock(&p->mu);
		if (got > 0 && !p->link.want_close)
			kkt_link_input(&p->link, buf, (size_t)got, clock_mono_ms(), p->wall_ms);
		kkt_link_tick(&p->link, clock_mono_ms());
		size_t n = kkt_link_take_output(&p->link, buf, sizeof buf);
		if (p->link.want_close) /* the line is dead: the host hears nothing more */
			n = 0;
		pthread_mutex_unlock(&p->mu);
		/* the host end may be closed first: no SIGPIPE */
		if (n && send(p->fd, buf, n, MSG_NOSIGNAL) != (ssize_t)n)
			break;
	}
	return NULL;
}

struct kkt_pump *kkt_pump_start(bool tcp_ff, int64_t wall_ms, struct transport **ret_host)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		return NULL;
	struct kkt_pump *p = xcalloc(1, sizeof *p);
	p->fd = sv[1];
	p->wall_ms = wall_ms;
	kkt_core_init(&p->core, wall_ms);
	kkt_link_init(&p->link, &p->core, tcp_ff);
	pthread_mutex_init(&p->mu, NULL);
	*ret_host = transport_fd_new(sv[0]);
	if (!*ret_host || transport_open(*ret_host) != 0 ||
	    pthread_create(&p->th, NULL, pump_main, p) != 0)
		abort();
	return p;
}

void kkt_pump_stop(struct kkt_pump *p)
{
	if (!p)
		return;
	p->stop = true;
	pthread_join(p->th, NULL);
	close(p->fd);
	kkt_core_free(&p->core);
	pthread_mutex_destroy(&p->mu);
	free(p);
}

int kkt_pump_knobs(struct kkt_pump *p, const char *line)
{
	char err[160];
	pthread_mutex_lock(&p->mu);
	int rc = kkt_link_knobs(&p->link, line, p->wall_ms, err, sizeof err);
	pthread_mutex_unlock(&p->mu);
	if (rc)
		fprintf(stderr, "kkt_pump: %s: %s\n", line, err);
	return rc;
}

void kkt_pump_set_wall(struct kkt_pump *p, int64_t wall_ms)
{
	pthread_mutex_lock(&p->mu);
	p->wall_ms = wall_ms;
	pthread_mutex_unlock(&p->mu);
}

void kkt_pump_reconnect(struct kkt_pump *p)
{
	pthread_mutex_lock(&p->mu);
	kkt_link_reconnect(&p->link);
	pthread_mutex_unlock(&p->mu);
}

void kkt_pump_with(struct kkt_pump *p, void (*fn)(struct kkt_core *k, void *arg), void *arg)
{
	pthread_mutex_lock(&p->mu);
	fn(&p->core, arg);
	pthread_mutex_unlock(&p->mu);
}
