/* /proc readings for the link suites (link_procs.h). */
#include "tests/check/link_procs.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char proc_state(pid_t pid, pid_t *ppid)
{
	char path[64], buf[512];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	char *p = strrchr(buf, ')');
	char st = 0;
	int pp = 0;
	if (!p || sscanf(p + 2, "%c %d", &st, &pp) != 2)
		return 0;
	if (ppid)
		*ppid = pp;
	return st;
}

int link_children(pid_t parent, bool live_only, pid_t *first)
{
	DIR *d = opendir("/proc");
	int n = 0;
	struct dirent *e;
	while (d && (e = readdir(d))) {
		pid_t pid = (pid_t)atoi(e->d_name), pp = 0;
		char path[300], comm[32] = "";
		char st = pid > 0 ? proc_state(pid, &pp) : 0;
		if (!st || pp != parent || (live_only && st == 'Z'))
			continue;
		snprintf(path, sizeof path, "/proc/%d/comm", (int)pid);
		FILE *f = fopen(path, "r");
		if (f && fgets(comm, sizeof comm, f) && strncmp(comm, "kiosk-link", 10) == 0) {
			if (n++ == 0 && first)
				*first = pid;
		}
		if (f)
			fclose(f);
	}
	if (d)
		closedir(d);
	return n;
}
