/* The simulator's I/O shell: see sim_run.h. */
#include "tests/sim/pinpad/sim_run.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "kiosk/base/clock.h"
#include "kiosk/base/xalloc.h"

struct sim_run {
	pthread_t th;
	pthread_mutex_t mu;
	atomic_bool stop;
	int fd, listen_fd;
	char *state_path;
	struct sim_core core;
};

static void save_if_dirty(struct sim_run *r)
{
	if (r->state_path && r->core.dirty && sim_core_save(&r->core, r->state_path) != 0)
		fprintf(stderr, "pinpad-sim: cannot save %s: %s\n", r->state_path, strerror(errno));
}

static void write_all(int fd, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
		if (k < 0 && errno == ENOTSOCK)
			k = write(fd, p, n);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN) {
				struct pollfd pf = { .fd = fd, .events = POLLOUT };
				poll(&pf, 1, 100);
				continue;
			}
			return; /* peer gone: the read side notices */
		}
		p += k;
		n -= (size_t)k;
	}
}

static void flush_output(struct sim_run *r)
{
	static _Thread_local uint8_t buf[SIM_OUT_MAX];
	for (;;) {
		pthread_mutex_lock(&r->mu);
		size_t n = sim_core_take_output(&r->core, buf, sizeof buf);
		bool split = r->core.k.split > 0 || !r->core.k.coalesce;
		pthread_mutex_unlock(&r->mu);
		if (!n)
			return;
		if (r->fd >= 0)
			write_all(r->fd, buf, n);
		if (split)
			usleep(2000); /* let the reader see separate reads */
	}
}

static void *loop(void *arg)
{
	struct sim_run *r = arg;
	uint8_t buf[4096];
	while (!atomic_load(&r->stop)) {
		if (r->fd < 0 && r->listen_fd >= 0) {
			struct pollfd pl = { .fd = r->listen_fd, .events = POLLIN };
			pthread_mutex_lock(&r->mu);
			if (r->core.hung_up && clock_wall_ms() >= r->core.dead_until)
				r->core.hung_up = false;
			bool refuse = r->core.hung_up;
			pthread_mutex_unlock(&r->mu);
			if (refuse) {
				/* powered off: a connection attempt is reset */
				if (poll(&pl, 1, 50) == 1) {
					int c = accept(r->listen_fd, NULL, NULL);
					if (c >= 0)
						close(c);
				}
			} else if (poll(&pl, 1, 50) == 1) {
				int c = accept(r->listen_fd, NULL, NULL);
				if (c >= 0) {
					pthread_mutex_lock(&r->mu);
					r->fd = c;
					pthread_mutex_unlock(&r->mu);
				}
			}
			pthread_mutex_lock(&r->mu);
			sim_core_tick(&r->core, clock_wall_ms());
			save_if_dirty(r);
			pthread_mutex_unlock(&r->mu);
			continue;
		}
		pthread_mutex_lock(&r->mu);
		int64_t now = clock_wall_ms(), next = sim_core_next_deadline(&r->core);
		pthread_mutex_unlock(&r->mu);
		int wait = next == INT64_MAX ? 20 : (int)(next - now < 0 ? 0 : next - now > 20 ? 20 : next - now);
		struct pollfd pf = { .fd = r->fd, .events = POLLIN };
		int pr = r->fd >= 0 ? poll(&pf, 1, wait) : (usleep((unsigned)wait * 1000), 0);
		ssize_t n = 0;
		if (pr == 1) {
			n = read(r->fd, buf, sizeof buf);
			if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
				if (r->listen_fd >= 0) {
					close(r->fd);
					pthread_mutex_lock(&r->mu);
					r->fd = -1;
					pthread_mutex_unlock(&r->mu);
				} else {
					usleep(20000); /* pty without a slave, or peer gone: idle */
				}
				n = 0;
			}
		}
		pthread_mutex_lock(&r->mu);
		if (n > 0)
			sim_core_input(&r->core, buf, (size_t)n, clock_wall_ms());
		sim_core_tick(&r->core, clock_wall_ms());
		save_if_dirty(r);
		bool hang_up = r->core.hung_up && r->listen_fd >= 0 && r->fd >= 0;
		pthread_mutex_unlock(&r->mu);
		if (hang_up) {
			/* power_cycle: the terminal's TCP stack goes away with it */
			close(r->fd);
			pthread_mutex_lock(&r->mu);
			r->fd = -1;
			pthread_mutex_unlock(&r->mu);
			continue;
		}
		flush_output(r);
	}
	return NULL;
}

struct sim_run *sim_run_start(int fd, int listen_fd, const char *state_path)
{
	struct sim_run *r = xcalloc(1, sizeof *r);
	pthread_mutex_init(&r->mu, NULL);
	r->fd = fd;
	r->listen_fd = listen_fd;
	r->state_path = state_path ? xstrdup(state_path) : NULL;
	sim_core_init(&r->core);
	if (r->state_path && sim_core_load(&r->core, r->state_path) != 0) {
		fprintf(stderr, "pinpad-sim: bad state file %s\n", r->state_path);
		free(r->state_path);
		free(r);
		return NULL;
	}
	if (pthread_create(&r->th, NULL, loop, r) != 0) {
		free(r->state_path);
		free(r);
		return NULL;
	}
	return r;
}

int sim_run_knobs(struct sim_run *r, const char *line, char *err, size_t errcap)
{
	pthread_mutex_lock(&r->mu);
	int rc = sim_core_knobs(&r->core, line, err, errcap);
	pthread_mutex_unlock(&r->mu);
	return rc;
}

void sim_run_with(struct sim_run *r, void (*fn)(struct sim_core *s, void *arg), void *arg)
{
	pthread_mutex_lock(&r->mu);
	fn(&r->core, arg);
	pthread_mutex_unlock(&r->mu);
}

void sim_run_restart(struct sim_run *r)
{
	pthread_mutex_lock(&r->mu);
	save_if_dirty(r);
	struct sim_knobs k = r->core.k;
	sim_core_init(&r->core);
	r->core.k = k;
	if (r->state_path)
		sim_core_load(&r->core, r->state_path);
	pthread_mutex_unlock(&r->mu);
}

void sim_run_stop(struct sim_run *r)
{
	if (!r)
		return;
	atomic_store(&r->stop, true);
	pthread_join(r->th, NULL);
	save_if_dirty(r);
	if (r->fd >= 0)
		close(r->fd);
	if (r->listen_fd >= 0)
		close(r->listen_fd);
	pthread_mutex_destroy(&r->mu);
	free(r->state_path);
	free(r);
}
