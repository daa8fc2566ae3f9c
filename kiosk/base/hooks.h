#ifndef KIOSK_HOOKS_H
#define KIOSK_HOOKS_H
/* The test build's hooks into the kiosk.  The production program (build/kiosk) leaves the
 * table NULL and carries none of the code behind it; the test program (build/kiosk-test,
 * tests/hooks/) sets it in its main before anything starts and never changes it, so every
 * thread may read it without a lock.
 *
 *   crash_at      a named crash point was reached (kiosk/base/crashpoint.h): the test build
 *                 ends the process there when KIOSK_CRASH_AT names it.
 *   pinpad_knobs  the script command `pinpad KNOBS`: one line to the PIN-pad simulator's
 *                 control address ADDR (pinpad.control).  0, or -1 with err.
 */

struct kiosk_hooks {
	void (*crash_at)(const char *point);
	int (*pinpad_knobs)(const char *addr, const char *knobs, char *err, int errcap);
};

extern const struct kiosk_hooks *kiosk_hooks;

/* The script's `pinpad KNOBS` through the table; without it (production) -1 with an err
 * that says to run the test build. */
int kiosk_hooks_pinpad(const char *addr, const char *knobs, char *err, int errcap);

#endif
