/* build/kkt-sim: the simulated Shtrih-M fiscal register as a program (docs/fiscal.md).
 *
 *   kkt-sim (--tcp 127.0.0.1:PORT | --pty) [--docs FILE] [--printout FILE]
 *           [--knob NAME=VALUE]... [--control 127.0.0.1:PORT] [--no-ff]
 *
 * Port 0 picks a free port.  On stdout, one line each, before serving:
 *   listening 127.0.0.1:PORT   (--tcp)      pty /dev/pts/N   (--pty)
 *   control 127.0.0.1:PORT     (--control)
 * --docs appends each fiscal document the register makes as one JSON line; --printout
 * appends what it prints (lines, reports, cuts) as JSON lines.  The control channel takes
 * knob lines ("paper=0", "drop=after") and answers "ok" or "error MESSAGE"; the line
 * "reconnect" is the same as a new connection.  Over TCP an FF follows each ACK of ours
 * (--no-ff turns it off).  One connection at a time; the register's state lives as long as
 * the process.  SIGTERM / SIGINT exit 0. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
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
#include "tests/sim/kkt/kkt_link.h"
#include "tests/lib/sim_net.h"

static volatile sig_atomic_t stop;
static FILE *docs_f, *print_f;

static void on_signal(int sig) { (void)sig; stop = 1; }

static void on_doc(void *ctx, const struct kkt_doc *d, const char *serial)
{
	(void)ctx;
	char *s = kkt_doc_json(d, serial);
	if (docs_f && s) {
		fprintf(docs_f, "%s\n", s);
		fflush(docs_f);
	}
	free(s);
}

static void on_print(void *ctx, const char *kind, const char *text)
{
	(void)ctx;
	if (!print_f)
		return;
	json_t *o = json_pack("{s:s, s:s}", "kind", kind, "text", text);
	char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	fprintf(print_f, "%s\n", s);
	fflush(print_f);
	free(s);
	json_decref(o);
}

static void write_all(int fd, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t k = write(fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return;
		p += k;
		n -= (size_t)k;
	}
}

/* One control line: knobs, or "reconnect". */
static void control_line(struct kkt_link *l, int cfd, char *line)
{
	char err[160];
	line[strcspn(line, "\r\n")] = 0;
	if (!line[0])
		return;
	if (!strcmp(line, "reconnect")) {
		kkt_link_reconnect(l);
		dprintf(cfd, "ok\n");
	} else if (kkt_link_knobs(l, line, clock_wall_ms(), err, sizeof err) == 0) {
		dprintf(cfd, "ok\n");
	} else {
		dprintf(cfd, "error %s\n", err);
	}
}

struct fds {
	int lfd, dev, ctl_l, ctl;
	bool pty;
	char cbuf[512];
	size_t clen;
};

static void serve(struct kkt_link *l, struct fds *f)
{
	struct pollfd p[4];
	int np = 0, idev = -1, il = -1, icl = -1, ic = -1;
	if (f->dev >= 0) { idev = np; p[np++] = (struct pollfd){ .fd = f->dev, .events = POLLIN }; }
	else if (f->lfd >= 0) { il = np; p[np++] = (struct pollfd){ .fd = f->lfd, .events = POLLIN }; }
	if (f->ctl >= 0) { ic = np; p[np++] = (struct pollfd){ .fd = f->ctl, .events = POLLIN }; }
	else if (f->ctl_l >= 0) { icl = np; p[np++] = (struct pollfd){ .fd = f->ctl_l, .events = POLLIN }; }
	if (poll(p, (nfds_t)np, 5) < 0)
		return;
	if (il >= 0 && (p[il].revents & POLLIN)) {
		f->dev = accept4(f->lfd, NULL, NULL, SOCK_CLOEXEC);
		kkt_link_reconnect(l);
	}
	if (icl >= 0 && (p[icl].revents & POLLIN)) {
		f->ctl = accept4(f->ctl_l, NULL, NULL, SOCK_CLOEXEC);
		f->clen = 0;
	}
	if (ic >= 0 && (p[ic].revents & (POLLIN | POLLHUP))) {
		ssize_t k = read(f->ctl, f->cbuf + f->clen, sizeof f->cbuf - 1 - f->clen);
		if (k <= 0) {
			close(f->ctl);
			f->ctl = -1;
		} else {
			f->clen += (size_t)k;
			f->cbuf[f->clen] = 0;
			char *nl;
			while ((nl = strchr(f->cbuf, '\n'))) {
				*nl = 0;
				control_line(l, f->ctl, f->cbuf);
				f->clen -= (size_t)(nl + 1 - f->cbuf);
				memmove(f->cbuf, nl + 1, f->clen + 1);
			}
			if (f->clen == sizeof f->cbuf - 1)
				f->clen = 0;
		}
	}
	if (idev >= 0 && (p[idev].revents & (POLLIN | POLLHUP | POLLERR))) {
		uint8_t buf[512];
		ssize_t k = read(f->dev, buf, sizeof buf);
		if (k > 0)
			kkt_link_input(l, buf, (size_t)k, clock_mono_ms(), clock_wall_ms());
		else if (!f->pty) {
			close(f->dev);
			f->dev = -1;
		}
	}
	kkt_link_tick(l, clock_mono_ms());
	uint8_t out[4 * SHTRIH_FRAME_MAX];
	size_t n = kkt_link_take_output(l, out, sizeof out);
	if (n && f->dev >= 0)
		write_all(f->dev, out, n);
	if (l->want_close && f->dev >= 0 && !f->pty) {
		close(f->dev);
		f->dev = -1;
		kkt_link_reconnect(l);
	}
}

static int usage(FILE *f, int rc)
{
	fprintf(f, "usage: kkt-sim (--tcp HOST:PORT | --pty) [--docs FILE] [--printout FILE] "
		   "[--knob NAME=VALUE]... [--control HOST:PORT] [--no-ff]\n");
	return rc;
}

int main(int argc, char **argv)
{
	const char *tcp = NULL, *control = NULL, *docs = NULL, *printout = NULL;
	bool pty = false, ff = true;
	char knobs[1024] = "", err[256], desc[96];
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--tcp") && v) tcp = argv[++i];
		else if (!strcmp(a, "--pty")) pty = true;
		else if (!strcmp(a, "--docs") && v) docs = argv[++i];
		else if (!strcmp(a, "--printout") && v) printout = argv[++i];
		else if (!strcmp(a, "--control") && v) control = argv[++i];
		else if (!strcmp(a, "--no-ff")) ff = false;
		else if (!strcmp(a, "--knob") && v && strlen(knobs) + strlen(v) + 2 < sizeof knobs) {
			strcat(knobs, " ");
			strcat(knobs, argv[++i]);
		} else if (!strcmp(a, "--help"))
			return usage(stdout, 0);
		else
			return usage(stderr, 2);
	}
	if (clock_attach_env(err, sizeof err) != 0) { /* the test stack's clock (kiosk/base/clock.h) */
		fprintf(stderr, "kkt-sim: %s\n", err);
		return 2;
	}
	if (!!tcp == pty)
		return usage(stderr, 2);
	if ((docs && !(docs_f = fopen(docs, "a"))) || (printout && !(print_f = fopen(printout, "a")))) {
		perror("kkt-sim: open");
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	struct sigaction sa = { .sa_handler = on_signal };
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	static struct kkt_core core;
	static struct kkt_link link;
	kkt_core_init(&core, clock_wall_ms());
	core.on_doc = on_doc;
	core.on_print = on_print;
	kkt_link_init(&link, &core, ff && tcp);
	if (knobs[0] && kkt_link_knobs(&link, knobs, clock_wall_ms(), err, sizeof err) != 0) {
		fprintf(stderr, "kkt-sim: %s\n", err);
		return 2;
	}
	struct fds f = { .lfd = -1, .dev = -1, .ctl_l = -1, .ctl = -1, .pty = pty };
	int slave = -1;
	if (tcp) {
		if ((f.lfd = sim_listen("kkt-sim", tcp, desc, sizeof desc)) < 0)
			return 1;
		printf("listening %s\n", desc);
	} else if ((f.dev = sim_open_pty("kkt-sim", &slave)) < 0) {
		return 1;
	}
	if (control) {
		if ((f.ctl_l = sim_listen("kkt-sim", control, desc, sizeof desc)) < 0)
			return 1;
		printf("control %s\n", desc);
	}
	fflush(stdout);
	while (!stop)
		serve(&link, &f);
	kkt_core_free(&core);
	if (slave >= 0)
		close(slave);
	return 0;
}
