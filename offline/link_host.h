#ifndef OFFLINE_LINK_HOST_H
#define OFFLINE_LINK_HOST_H
/* The kiosk's one kiosk-link process, shared by its billing-center clients (center_link.c).
 * Each client talks to it over a channel of its own: a socket pair whose far end is handed
 * to the process over its control socket (its fd 3, SCM_RIGHTS), where the process gives the
 * channel a thread of its own.  One process for the sync engine and the lookups: its
 * libraries' pages and its heap are paid once.  Thread-safe; not to be used across fork.
 *
 *   link_host_join / link_host_leave  a client counts itself in and out; when the last one
 *                                     leaves, the control socket is closed, the process ends
 *                                     and is reaped (killed if it does not end in 0.5 s)
 *   link_host_channel                 a new channel (close-on-exec), starting the process
 *                                     first when none runs or the one there died
 *   link_host_lost                    that process did not answer in time: killed and reaped,
 *                                     so the next channel starts another */
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct link_host_args {
	const char *program;
	const char *log_file;   /* "": the log goes to the kiosk's stderr */
	const char *log_level;
	bool log_syslog;
};

void link_host_join(void);
void link_host_leave(void);
/* The channel's descriptor and the process's pid, or -1 with the reason in err. */
int link_host_channel(const struct link_host_args *a, pid_t *ret_pid, char *err, size_t cap);
void link_host_lost(pid_t pid);

#endif
