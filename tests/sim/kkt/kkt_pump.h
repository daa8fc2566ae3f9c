#ifndef TESTS_SIM_KKT_KKT_PUMP_H
#define TESTS_SIM_KKT_KKT_PUMP_H
/* A thread serving a simulated register over one end of a socketpair, for unit tests: the
 * other end is a transport_fd for the host side.  The register's wall clock is
 * kkt_pump_set_wall's value (tests move it across days); link timing is the monotonic
 * clock.  When the link drops the connection (drop knobs) the pump goes deaf until
 * kkt_pump_reconnect. */
#include <stdbool.h>
#include <stdint.h>

#include "drivers/transport.h"
#include "tests/sim/kkt/kkt_link.h"

struct kkt_pump;

/* Starts a fresh register at wall_ms; *ret_host is the host end (open). */
struct kkt_pump *kkt_pump_start(bool tcp_ff, int64_t wall_ms, struct transport **ret_host);
void kkt_pump_stop(struct kkt_pump *p);
/* Knobs as kkt_link_knobs; aborts the test on a bad one (returns -1). */
int kkt_pump_knobs(struct kkt_pump *p, const char *line);
void kkt_pump_set_wall(struct kkt_pump *p, int64_t wall_ms);
void kkt_pump_reconnect(struct kkt_pump *p);
/* Calls fn with the register locked. */
void kkt_pump_with(struct kkt_pump *p, void (*fn)(struct kkt_core *k, void *arg), void *arg);

#endif
