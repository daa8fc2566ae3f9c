/* build/vtk-sim: the Vendotek terminal simulator as a program (e2e tests, the demo).
 *
 *   vtk-sim (--tcp HOST:PORT | --pty) [--state FILE] [--log FILE] [--knob NAME=VALUE]...
 *           [--control HOST:PORT]
 *
 * Port 0 picks a free port.  On stdout, one line each, before serving:
 *   listening 127.0.0.1:PORT   (--tcp)      pty /dev/pts/N   (--pty, serial framing)
 *   control 127.0.0.1:PORT     (--control)
 * The control port takes lines "KNOB=VALUE ..." and answers "ok" or "error MESSAGE".
 * --state keeps the operation table across restarts; --log appends one JSON line per
 * finished operation.  SIGTERM / SIGINT save the state and exit 0.  One thread: a poll loop
 * over the listening socket, the connection (or the pty), the control port and its client. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include "kiosk/base/clock.h"
#include "tests/sim/pinpad/vtksim.h"
#include "tests/lib/sim_net.h"

static volatile sig_atomic_t stop;
static struct vtksim sim;
static const char *state_path;
static FILE *log_file;

static void on_signal(int sig) { (void)sig; stop = 1; }

static void on_finished(void *ctx, const char *line)
{
	(void)ctx;
	if (log_file) {
		fprintf(log_file, "%s\n", line);
		fflush(log_file);
	}
}

static void save(void)
{
	if (state_path && sim.dirty && vtksim_save(&sim, state_path) != 0)
		fprintf(stderr, "vtk-sim: cannot save %s\n", state_path);
}

/* One control line from fd c: answers ok / error. */
static void control_line(int c, char *line)
{
	char err[160];
	line[strcspn(line, "\r\n")] = 0;
	if (!line[0])
		return;
	if (vtksim_knobs(&sim, line, err, sizeof err) == 0)
		dprintf(c, "ok\n");
	else
		dprintf(c, "error %s\n", err);
}

struct conn {
	int fd;
	char buf[512];
	size_t have;
};

static void control_read(struct conn *c)
{
	ssize_t n = read(c->fd, c->buf + c->have, sizeof c->buf - 1 - c->have);
	if (n <= 0) {
		close(c->fd);
		c->fd = -1;
		c->have = 0;
		return;
	}
	c->have += (size_t)n;
	c->buf[c->have] = 0;
	char *nl;
	while ((nl = strchr(c->buf, '\n'))) {
		*nl = 0;
		control_line(c->fd, c->buf);
		memmove(c->buf, nl + 1, c->have - (size_t)(nl + 1 - c->buf) + 1);
		c->have = strlen(c->buf);
	}
	if (c->have == sizeof c->buf - 1)
		c->have = 0; /* an endless line: dropped */
}

/* Writes what the core has for the wire; returns false when the connection must close. */
static bool flush_out(int fd)
{
	static uint8_t out[65536];
	for (;;) {
		bool hangup;
		size_t n = vtksim_take_output(&sim, clock_wall_ms(), out, sizeof out, &hangup);
		if (hangup)
			return false;
		if (n == 0)
			return true;
		size_t at = 0;
		while (at < n) {
			ssize_t w = write(fd, out + at, n - at);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				return false;
			at += (size_t)w;
		}
	}
}

static void serve(int lfd, int dev, int cfd)
{
	int conn = dev;
	struct conn ctl = { .fd = -1 };
	if (conn >= 0)
		vtksim_connected(&sim, clock_wall_ms());
	while (!stop) {
		struct pollfd p[4] = {
			{ .fd = conn >= 0 ? conn : -1, .events = POLLIN },
			{ .fd = conn < 0 ? lfd : -1, .events = POLLIN },
			{ .fd = ctl.fd < 0 ? cfd : -1, .events = POLLIN },
			{ .fd = ctl.fd, .events = POLLIN },
		};
		poll(p, 4, 20);
		int64_t now = clock_wall_ms();
		if (p[1].revents & POLLIN) {
			conn = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
			if (conn >= 0)
				vtksim_connected(&sim, now);
		}
		if (p[2].revents & POLLIN)
			ctl.fd = accept4(cfd, NULL, NULL, SOCK_CLOEXEC);
		if (ctl.fd >= 0 && (p[3].revents & (POLLIN | POLLHUP)))
			control_read(&ctl);
		bool close_conn = false;
		if (conn >= 0 && (p[0].revents & (POLLIN | POLLHUP | POLLERR))) {
			uint8_t in[4096];
			ssize_t n = read(conn, in, sizeof in);
			if (n > 0)
				vtksim_input(&sim, in, (size_t)n, now);
			else if (dev < 0 && !(n < 0 && errno == EINTR))
				close_conn = true;
		}
		vtksim_tick(&sim, now);
		save(); /* the table reaches the disk before the reply leaves */
		if (conn >= 0 && !flush_out(conn))
			close_conn = true;
		if (close_conn && dev < 0) {
			close(conn);
			conn = -1;
		}
	}
	if (conn >= 0 && conn != dev)
		close(conn);
	if (ctl.fd >= 0)
		close(ctl.fd);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: vtk-sim (--tcp HOST:PORT | --pty) [--state FILE] [--log FILE] "
		   "[--knob NAME=VALUE]... [--control HOST:PORT]\nknobs:\n");
	vtksim_knobs_print(f);
}

/* A pty master in raw mode, its slave kept open so reads do not fail between clients. */
int main(int argc, char **argv)
{
	const char *tcp = NULL, *control = NULL, *log_path = NULL;
	bool pty = false;
	char knobs[1024] = "";
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--tcp") && v) tcp = argv[++i];
		else if (!strcmp(a, "--pty")) pty = true;
		else if (!strcmp(a, "--state") && v) state_path = argv[++i];
		else if (!strcmp(a, "--log") && v) log_path = argv[++i];
		else if (!strcmp(a, "--control") && v) control = argv[++i];
		else if (!strcmp(a, "--knob") && v && strlen(knobs) + strlen(v) + 2 < sizeof knobs) {
			strcat(knobs, " ");
			strcat(knobs, argv[++i]);
		} else if (!strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
	}
	char err[256];
	if (clock_attach_env(err, sizeof err) != 0) { /* the test stack's clock (kiosk/base/clock.h) */
		fprintf(stderr, "vtk-sim: %s\n", err);
		return 2;
	}
	if (!!tcp == pty) {
		usage(stderr);
		return 2;
	}
	vtksim_init(&sim, pty ? VTK_LINK_SERIAL : VTK_LINK_TCP);
	if (knobs[0] && vtksim_knobs(&sim, knobs, err, sizeof err) != 0) {
		fprintf(stderr, "vtk-sim: %s\n", err);
		return 2;
	}
	if (log_path && !(log_file = fopen(log_path, "a"))) {
		perror(log_path);
		return 1;
	}
	sim.finished = on_finished;
	sim.now = clock_wall_ms();
	if (state_path && vtksim_load(&sim, state_path) != 0) {
		fprintf(stderr, "vtk-sim: bad state file %s\n", state_path);
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	struct sigaction sa = { .sa_handler = on_signal };
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	char desc[96];
	int lfd = -1, dev = -1, slave = -1, cfd = -1;
	if (tcp) {
		if ((lfd = sim_listen("vtk-sim", tcp, desc, sizeof desc)) < 0)
			return 1;
		printf("listening %s\n", desc);
	} else if ((dev = sim_open_pty("vtk-sim", &slave)) < 0) {
		perror("vtk-sim: pty");
		return 1;
	}
	if (control) {
		if ((cfd = sim_listen("vtk-sim", control, desc, sizeof desc)) < 0)
			return 1;
		printf("control %s\n", desc);
	}
	fflush(stdout);
	serve(lfd, dev, cfd);
	sim.dirty = true;
	save();
	if (log_file)
		fclose(log_file);
	return 0;
}
