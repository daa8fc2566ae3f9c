#ifndef TESTS_HOOKS_KNOB_CLIENT_H
#define TESTS_HOOKS_KNOB_CLIENT_H
/* The client end of a simulator's control socket (tests/sim/pinpad: pinpad.control), for
 * the script command `pinpad KNOBS`: connects to ADDR ("127.0.0.1:PORT", IPv4), sends KNOBS
 * as one line and waits for the simulator's one-line answer.  0 when it answered "ok";
 * -1 with err when there is no address, no simulator there, or another answer. */

int knob_client_send(const char *addr, const char *knobs, char *err, int errcap);

#endif
