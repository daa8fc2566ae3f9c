#ifndef TESTS_CHECK_LINK_PROCS_H
#define TESTS_CHECK_LINK_PROCS_H
/* For the suites that kill the kiosk-link process (center_net_link.c, sync_faults.c): what
 * /proc says of a process and of a parent's kiosk-link children. */
#include <stdbool.h>
#include <sys/types.h>

/* 'R', 'S', 'Z', ... for a live or zombie process, 0 when it is gone; *ppid its parent. */
char proc_state(pid_t pid, pid_t *ppid);
/* The kiosk-link children of parent (zombies too, unless live_only): their count and, in
 * *first when not NULL, one of their pids. */
int link_children(pid_t parent, bool live_only, pid_t *first);

#endif
