/* build/pinpad-sim: the KPP/1 terminal simulator as a program (make run, e2e tests).
 *
 *   pinpad-sim (--tcp 127.0.0.1:PORT | --pty) [--state FILE] [--knob NAME=VALUE]...
 *              [--control 127.0.0.1:PORT]
 *
 * Port 0 picks a free port.  On stdout, one line each, before serving:
 *   listening 127.0.0.1:PORT      (--tcp)      pty /dev/pts/N   (--pty)
 *   control 127.0.0.1:PORT        (--control)
 * The control channel takes lines "KNOB=VALUE ..." and answers "ok" or "error MESSAGE".
 * SIGTERM / SIGINT save the state file and exit 0. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include "kiosk/base/clock.h"
#include "tests/sim/pinpad/sim_run.h"
#include "tests/lib/sim_net.h"

static volatile sig_atomic_t stop;
static struct sim_run *run;

static void on_signal(int sig) { (void)sig; stop = 1; }

static void *control_thread(void *arg)
{
	int lfd = (int)(intptr_t)arg;
	while (!stop) {
		struct pollfd p = { .fd = lfd, .events = POLLIN };
		if (poll(&p, 1, 100) != 1)
			continue;
		int c = accept(lfd, NULL, NULL);
		if (c < 0)
			continue;
		FILE *f = fdopen(c, "r");
		if (!f) {
			close(c);
			continue;
		}
		char line[512], err[160];
		while (!stop && fgets(line, sizeof line, f)) {
			line[strcspn(line, "\r\n")] = 0;
			if (!line[0])
				continue;
			/* answers go straight to the fd: a FILE may not switch from reading to writing */
			if (sim_run_knobs(run, line, err, sizeof err) == 0)
				dprintf(c, "ok\n");
			else
				dprintf(c, "error %s\n", err);
		}
		fclose(f);
	}
	return NULL;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: pinpad-sim (--tcp HOST:PORT | --pty) [--state FILE] "
		   "[--knob NAME=VALUE]... [--control HOST:PORT]\nknobs:\n");
	sim_knobs_print(f);
}

int main(int argc, char **argv)
{
	const char *tcp = NULL, *state = NULL, *control = NULL;
	bool pty = false;
	char knobs[1024] = "";
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--tcp") && v) tcp = argv[++i];
		else if (!strcmp(a, "--pty")) pty = true;
		else if (!strcmp(a, "--state") && v) state = argv[++i];
		else if (!strcmp(a, "--control") && v) control = argv[++i];
		else if (!strcmp(a, "--knob") && v) {
			if (strlen(knobs) + strlen(v) + 2 >= sizeof knobs)
				return 2;
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
		fprintf(stderr, "pinpad-sim: %s\n", err);
		return 2;
	}
	if (!!tcp == pty) {
		usage(stderr);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	struct sigaction sa = { .sa_handler = on_signal };
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	char desc[96];
	int lfd = -1, fd = -1, slave = -1;
	if (tcp) {
		lfd = sim_listen("pinpad-sim", tcp, desc, sizeof desc);
		if (lfd < 0)
			return 1;
		printf("listening %s\n", desc);
	} else {
		fd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
		if (fd < 0 || grantpt(fd) != 0 || unlockpt(fd) != 0) {
			perror("pinpad-sim: pty");
			return 1;
		}
		const char *name = ptsname(fd);
		/* Keep the slave open (raw) so reads on the master do not fail between clients. */
		slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
		struct termios tio;
		if (slave >= 0 && tcgetattr(slave, &tio) == 0) {
			cfmakeraw(&tio);
			tcsetattr(slave, TCSANOW, &tio);
		}
		printf("pty %s\n", name);
	}
	run = sim_run_start(fd, lfd, state);
	if (!run)
		return 1;
	if (knobs[0] && sim_run_knobs(run, knobs, err, sizeof err) != 0) {
		fprintf(stderr, "pinpad-sim: %s\n", err);
		sim_run_stop(run);
		return 2;
	}
	pthread_t cth;
	bool have_control = false;
	if (control) {
		int cfd = sim_listen("pinpad-sim", control, desc, sizeof desc);
		if (cfd < 0) {
			sim_run_stop(run);
			return 1;
		}
		printf("control %s\n", desc);
		have_control = pthread_create(&cth, NULL, control_thread, (void *)(intptr_t)cfd) == 0;
	}
	fflush(stdout);
	while (!stop)
		pause();
	if (have_control)
		pthread_join(cth, NULL);
	sim_run_stop(run);
	if (slave >= 0)
		close(slave);
	return 0;
}
