#ifndef TESTS_SIM_PINPAD_SIM_RUN_H
#define TESTS_SIM_PINPAD_SIM_RUN_H
/* A thread running the simulator core over a byte stream: a socketpair end (unit tests), an
 * accepted TCP connection or a pty master (build/pinpad-sim).  Time is the wall clock in
 * ms, so auto-reversal deadlines stored in the state file survive restarts. */
#include <stddef.h>

#include "tests/sim/pinpad/sim_core.h"

struct sim_run;

/* Starts serving.  fd >= 0: a connected stream, owned from now on.  listen_fd >= 0 (with
 * fd -1): accept connections one at a time.  pty: fd is a pty master that may have no
 * slave open yet.  state_path may be NULL (no persistence).  NULL on failure. */
struct sim_run *sim_run_start(int fd, int listen_fd, const char *state_path);
/* Applies knobs under the core's lock; 0 or -1 with err. */
int sim_run_knobs(struct sim_run *r, const char *line, char *err, size_t errcap);
/* Calls fn with the core locked (tests inspect transactions and counters this way). */
void sim_run_with(struct sim_run *r, void (*fn)(struct sim_core *s, void *arg), void *arg);
/* Simulates a terminal restart: the core is re-created from its state file (or emptied). */
void sim_run_restart(struct sim_run *r);
/* Stops the thread, closes the fds, saves the store; NULL is a no-op. */
void sim_run_stop(struct sim_run *r);

#endif
