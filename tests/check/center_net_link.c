/* The kiosk-link process's own faults (center_net.c runs them with CENTER_NET_LINK set):
 *   - a link program that is missing: no client, the reason; one that dies before it answers:
 *     the request is CENTER_ENET (nothing was sent) and nothing is left running;
 *   - a link killed while idle: the next request starts another and succeeds;
 *   - a link killed in the middle of a batch the center committed: CENTER_ETIMEOUT (an
 *     unknown outcome, never "not sent"), and the same bytes sent again are a duplicate;
 *   - two clients share one link process, a channel each; it ends when the last is freed;
 *   - the process that made the client killed: its link process ends too. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/check/center_net.h"
#include "tests/check/link_procs.h"

static void sleep_ms(long ms)
{
	nanosleep(&(struct timespec){ .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L }, NULL);
}

/* Threads of pid still listed (a process killed with threads: its leader shows 'Z' while
 * the others are still being torn down, and its sockets are not closed yet). */
static int threads_of(pid_t pid)
{
	char dir[64];
	snprintf(dir, sizeof dir, "/proc/%d/task", (int)pid);
	DIR *d = opendir(dir);
	int n = 0;
	struct dirent *e;
	while (d && (e = readdir(d)))
		n += e->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

/* Whether pid is gone, or a zombie whose every thread has ended. */
static bool gone_within(pid_t pid, long ms)
{
	for (long t = 0; t < ms; t += 20) {
		char st = proc_state(pid, NULL);
		if (st == 0 || (st == 'Z' && threads_of(pid) <= 1))
			return true;
		sleep_ms(20);
	}
	return false;
}

static void test_bad_programs(int port)
{
	char err[256] = "";
	struct center_client_opts o = net_opts(port, 2000);
	snprintf(o.link.program, sizeof o.link.program, "/nonexistent/kiosk-link");
	struct center_client *c = center_client_new(&o, err, sizeof err);
	CHECK(!c && strstr(err, "/nonexistent/kiosk-link is not executable"), "link: a missing program: %s", err);
	snprintf(o.link.program, sizeof o.link.program, "/bin/false");
	c = center_client_new(&o, err, sizeof err);
	CHECK(c && link_children(getpid(), false, NULL) == 0, "link: a client made starts no process yet");
	struct cjson_hello_req hq;
	struct cjson_hello_resp hs;
	struct center_reply rep = { 0 };
	memset(&hq, 0, sizeof hq);
	int rc = c ? center_hello(c, &hq, &hs, &rep) : -99;
	CHECK(rc == CENTER_ENET && rep.status == 0 && link_children(getpid(), false, NULL) == 0,
	      "link: a program that ends at once: %s (nothing was sent), nothing left running",
	      center_class_name((enum center_class)rc));
	center_reply_clear(&rep);
	center_client_free(c);
}

struct killer {
	pid_t pid;
	long after_ms;
};

static void *kill_later(void *arg)
{
	struct killer *k = arg;
	sleep_ms(k->after_ms);
	kill(k->pid, SIGKILL);
	return NULL;
}

/* Whether pid holds a descriptor open on path. */
static bool holds(pid_t pid, const char *path)
{
	char dir[64], fd[320], to[256];
	snprintf(dir, sizeof dir, "/proc/%d/fd", (int)pid);
	DIR *d = opendir(dir);
	struct dirent *e;
	bool found = false;
	while (d && (e = readdir(d))) {
		snprintf(fd, sizeof fd, "%s/%s", dir, e->d_name);
		ssize_t n = readlink(fd, to, sizeof to - 1);
		if (n > 0) {
			to[n] = '\0';
			found = found || strcmp(to, path) == 0;
		}
	}
	if (d)
		closedir(d);
	return found;
}

static void test_killed(void)
{
	const char *extra[] = { "--faults", "slow_commit=1,seed=5", "--slow-ms", "3000", NULL };
	struct center_proc s = net_start(extra);
	/* A descriptor the kiosk leaves inheritable (a store, a device) stays in the kiosk. */
	char mine[] = "/tmp/center_net_link.XXXXXX";
	int made = mkstemp(mine), keep = made >= 0 ? fcntl(made, F_DUPFD, 40) : -1;  /* not fd 3 */
	if (made >= 0)
		close(made);
	struct center_client *c = net_client_total(s.port, 10000);
	struct cjson_hello_req hq;
	struct cjson_hello_resp hs;
	struct center_reply rep = { 0 };
	memset(&hq, 0, sizeof hq);
	memset(hq.epoch, 0x66, sizeof hq.epoch);
	int rc = center_hello(c, &hq, &hs, &rep);
	center_reply_clear(&rep);
	pid_t first = 0, second = 0;
	CHECK(rc == CENTER_OK && link_children(getpid(), false, &first) == 1,
	      "link: the first request starts one process for the client (pid %d)", (int)first);
	CHECK(keep >= 0 && holds(getpid(), mine) && !holds(first, mine),
	      "link: the link process holds none of the kiosk's other descriptors");
	close(keep);
	unlink(mine);

	/* Killed while idle: the hello after it starts another. */
	kill(first, SIGKILL);
	CHECK(gone_within(first, 10000), "link: pid %d killed and gone", (int)first);
	rc = center_hello(c, &hq, &hs, &rep);
	link_children(getpid(), true, &second);  /* the live one: the first was reaped by this hello */
	CHECK(rc == CENTER_OK && second != first && link_children(getpid(), false, NULL) == 1,
	      "link: killed while idle, the next request starts pid %d and succeeds (%s)", (int)second,
	      center_class_name((enum center_class)rc));
	center_reply_clear(&rep);

	/* Killed while the center holds a committed batch's reply. */
	struct net_batch nb;
	struct cjson_batch_resp br;
	const int keys[] = { 77 };
	const char *kinds[] = { "event" };
	const char *bodies[] = { "{\"event\":\"link\"}" };
	uint8_t prev[32] = { 0 };
	net_mkbatch(&nb, hq.epoch, 1, prev, 1, keys, kinds, bodies);
	int64_t before = net_db_int("SELECT count(*) FROM ledger");
	struct killer k = { .pid = second, .after_ms = 800 };
	pthread_t th;
	pthread_create(&th, NULL, kill_later, &k);
	rc = net_send_batch(c, &nb.b, &br, &rep);
	pthread_join(th, NULL);
	int64_t after = net_db_int("SELECT count(*) FROM ledger");
	CHECK(rc == CENTER_ETIMEOUT && rep.status == 0 && !center_client_reachable(c) && after == before + 1,
	      "link: killed mid-batch: %s (an unknown outcome), the center committed +%" PRId64,
	      center_class_name((enum center_class)rc), after - before);
	center_reply_clear(&rep);
	cjson_batch_resp_clear(&br);
	center_client_free(c);
	CHECK(link_children(getpid(), false, NULL) == 0, "link: the client freed, its process ended and reaped");
	center_kill(&s);

	s = net_start(NULL);
	c = net_client_total(s.port, 10000);
	rc = net_send_batch(c, &nb.b, &br, &rep);
	CHECK(rc == CENTER_OK && br.n == 1 && br.results[0].disposition == OUTBOX_DUPLICATE,
	      "link: the same bytes again: a duplicate, not a second payment");
	center_reply_clear(&rep);
	cjson_batch_resp_clear(&br);
	center_client_free(c);
	center_kill(&s);
}

/* A process that makes a client and is then killed: its link process must not outlive it. */
static void test_orphan(int port)
{
	int fd[2];
	if (pipe(fd) != 0)
		return;
	pid_t kid = fork();
	if (kid == 0) {
		close(fd[0]);
		struct center_client *c = net_client_total(port, 10000);
		struct cjson_hello_req hq;
		struct cjson_hello_resp hs;
		struct center_reply rep = { 0 };
		memset(&hq, 0, sizeof hq);
		memset(hq.epoch, 0x67, sizeof hq.epoch);
		center_hello(c, &hq, &hs, &rep);
		pid_t lp = 0;
		link_children(getpid(), false, &lp);
		if (write(fd[1], &lp, sizeof lp) != (ssize_t)sizeof lp)
			_exit(1);
		pause();
		center_client_free(c);
		_exit(0);
	}
	close(fd[1]);
	pid_t lp = 0;
	bool got = read(fd[0], &lp, sizeof lp) == (ssize_t)sizeof lp && lp > 0;
	close(fd[0]);
	kill(kid, SIGKILL);
	waitpid(kid, NULL, 0);
	CHECK(got && gone_within(lp, 3000), "link: its kiosk killed, link pid %d ends with it", (int)lp);
}

static int hello(struct center_client *c, uint8_t epoch_byte)
{
	struct cjson_hello_req hq;
	struct cjson_hello_resp hs;
	struct center_reply rep = { 0 };
	memset(&hq, 0, sizeof hq);
	memset(hq.epoch, epoch_byte, sizeof hq.epoch);
	int rc = center_hello(c, &hq, &hs, &rep);
	center_reply_clear(&rep);
	return rc;
}

/* The sync engine's client and the lookups' share one process, a channel each; it ends
 * when the last of them is freed. */
static void test_shared(int port)
{
	struct center_client *a = net_client_total(port, 10000), *b = net_client_total(port, 10000);
	int ra = hello(a, 0x68), rb = hello(b, 0x69);
	pid_t pa = 0, pb = 0;
	int n = link_children(getpid(), false, &pa);
	CHECK(ra == CENTER_OK && rb == CENTER_OK && n == 1, "link: two clients, one process (%d), a channel each", n);
	center_client_free(a);
	rb = hello(b, 0x69);
	n = link_children(getpid(), false, &pb);
	CHECK(rb == CENTER_OK && n == 1 && pb == pa, "link: one client freed, the other goes on in the same process");
	center_client_free(b);
	CHECK(link_children(getpid(), false, NULL) == 0, "link: the last client freed, the process ended and reaped");
}

void test_link(void)
{
	struct center_proc s = net_start(NULL);
	test_bad_programs(s.port);
	test_shared(s.port);
	test_orphan(s.port);
	center_kill(&s);
	test_killed();
}
