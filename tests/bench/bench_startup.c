/* make bench: the kiosk's start-up, idle cost and memory, each beside its floor measured in
 * the same run by a bare SDL program (this binary run with --floor) that opens a window of
 * the same size and presents one cleared frame.
 *   startup_first_frame_ms  exec -> first presented frame, headless (median of 31, each
 *                           run beside one of the floor's)
 *   startup_floor_ms        the same for the bare SDL program
 *   idle_cpu_pct            CPU used by the kiosk idling on the attract screen (IDLE_S s)
 *   rss_startup_mb          resident memory of the kiosk after start-up (idle on attract)
 *   rss_floor_mb            the bare SDL program of the same window, same run (the floor
 *                           of rss_mb too, which tests/bench/sessions.sh measures)
 *   rss_floor_anon_mb       its private part (RssAnon: heap, stacks, the window surface);
 *                           the rest is pages of shared libraries */
#include <SDL.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/lib/bench_time.h"

#define RUNS 31

static int floor_program(bool stay)
{
	SDL_SetHint(SDL_HINT_VIDEODRIVER, "dummy");
	if (SDL_Init(SDL_INIT_VIDEO) != 0)
		return 1;
	SDL_Window *w = SDL_CreateWindow("floor", 0, 0, 1080, 1920, SDL_WINDOW_SHOWN);
	SDL_Renderer *r = SDL_CreateRenderer(w, -1, SDL_RENDERER_SOFTWARE);
	SDL_SetRenderDrawColor(r, 243, 245, 249, 255);
	SDL_RenderClear(r);
	SDL_RenderPresent(r);
	printf("first_frame\n");
	fflush(stdout);
	if (stay)
		pause();
	SDL_DestroyRenderer(r);
	SDL_DestroyWindow(w);
	SDL_Quit();
	return 0;
}

/* Starts argv with stdout on a pipe; returns the ms until its first line, and its pid. */
static double time_to_line(char *const argv[], pid_t *ret_pid)
{
	int fd[2];
	if (pipe(fd) != 0)
		return -1;
	double t0 = bench_now_ms();
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(fd[1]);
	char c;
	double t = -1;
	while (read(fd[0], &c, 1) == 1)
		if (c == '\n') {
			t = bench_now_ms() - t0;
			break;
		}
	close(fd[0]);
	*ret_pid = pid;
	return t;
}

/* Waits for every process a run left: the kiosk's and those it started (its kiosk-link,
 * which ends after it), so that none of them runs during the next start (this program is
 * their subreaper, main). */
static void settle(void)
{
	while (waitpid(-1, NULL, 0) > 0)
		;
}

/* The medians of RUNS starts of A and of B, taken in turn (A, B, A, B, ...), so that both
 * see the machine as it is during the same seconds: measured one after the other, a busy
 * spell moved one of them alone (the ratio read 1.37 to 1.96 in three runs of one build). */
static void median_starts(char *const a[], char *const b[], double *ret_a, double *ret_b)
{
	double ta[RUNS], tb[RUNS];
	for (int i = 0; i < RUNS; i++) {
		pid_t pid;
		ta[i] = time_to_line(a, &pid);
		settle();
		tb[i] = time_to_line(b, &pid);
		settle();
	}
	qsort(ta, RUNS, sizeof ta[0], bench_cmp_double);
	qsort(tb, RUNS, sizeof tb[0], bench_cmp_double);
	*ret_a = ta[RUNS / 2];
	*ret_b = tb[RUNS / 2];
}

static long proc_field(pid_t pid, const char *file, const char *key)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, file);
	FILE *f = fopen(path, "r");
	long v = -1;
	while (f && fgets(line, sizeof line, f))
		if (strncmp(line, key, strlen(key)) == 0)
			v = atol(line + strlen(key));
	if (f)
		fclose(f);
	return v;
}

static double cpu_s(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	char buf[1024];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	char *p = strrchr(buf, ')');
	unsigned long ut = 0, stt = 0;
	/* Fields after ")": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime */
	sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &stt);
	return (double)(ut + stt) / (double)sysconf(_SC_CLK_TCK);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--floor") == 0)
		return floor_program(argc > 2);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	const char *build = getenv("BUILD") ? getenv("BUILD") : "build";
	int idle_s = getenv("IDLE_S") ? atoi(getenv("IDLE_S")) : 10;
	char kiosk[256], conf[] = "/tmp/bench-kiosk-XXXXXX";
	snprintf(kiosk, sizeof kiosk, "%s/kiosk", build);
	int cfd = mkstemp(conf);
	dprintf(cfd, "[kiosk]\nstore = /tmp/bench-kiosk.db\nlog_file =\nlog_level = warn\nsyslog = false\nassets = assets\n"
		     "[screen]\nfullscreen = false\n[pinpad]\ntransport = none\n[printer]\ntransport = none\n");
	close(cfd);
	setenv("SDL_VIDEODRIVER", "dummy", 1);

	char *kargv[] = { kiosk, "--config", conf, "--headless", "--first-frame-exit", NULL };
	char *fargv[] = { argv[0], "--floor", NULL };
	double k, fl;
	median_starts(kargv, fargv, &k, &fl);
	printf("startup_first_frame_ms %.1f ms\n", k);
	printf("startup_floor_ms %.1f ms\n", fl);

	/* Idle and memory: the kiosk left running on attract. */
	char *iargv[] = { kiosk, "--config", conf, "--headless", NULL };
	pid_t pid = fork();
	if (pid == 0) {
		execv(kiosk, iargv);
		_exit(127);
	}
	sleep(2);
	double c0 = cpu_s(pid), t0 = bench_now_ms();
	sleep((unsigned)idle_s);
	double c1 = cpu_s(pid), t1 = bench_now_ms();
	long rss_kb = proc_field(pid, "status", "VmRSS:");
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	char *sargv[] = { argv[0], "--floor", "stay", NULL };
	pid_t fpid;
	time_to_line(sargv, &fpid);
	long floor_kb = proc_field(fpid, "status", "VmRSS:");
	long floor_anon_kb = proc_field(fpid, "status", "RssAnon:");
	kill(fpid, SIGKILL);
	waitpid(fpid, NULL, 0);
	unlink(conf);
	printf("idle_cpu_pct %.2f %%\n", 100.0 * (c1 - c0) / ((t1 - t0) / 1000.0));
	printf("rss_startup_mb %.1f MB\n", (double)rss_kb / 1024.0);
	printf("rss_floor_mb %.1f MB\n", (double)floor_kb / 1024.0);
	printf("rss_floor_anon_mb %.1f MB\n", (double)floor_anon_kb / 1024.0);
	return 0;
}
