#ifndef TESTS_LIB_SIM_NET_H
#define TESTS_LIB_SIM_NET_H
/* What the device simulators (pinpad-sim, vtk-sim, kkt-sim) open to serve a kiosk: a TCP
 * listener on HOST:PORT (port 0 picks a free one) and a raw pty. */
#include <stddef.h>

/* Listens on "IPv4:PORT"; writes "IPv4:PORT" as bound into ret_desc.  The fd, or -1 (with a
 * perror line prefixed by prog). */
int sim_listen(const char *prog, const char *hostport, char *ret_desc, size_t cap);
/* Opens a pty master and keeps its slave open in raw mode (*ret_slave), so that reads on the
 * master do not fail between clients; prints "pty /dev/pts/N".  The master fd, or -1. */
int sim_open_pty(const char *prog, int *ret_slave);

#endif
