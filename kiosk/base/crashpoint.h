#ifndef KIOSK_CRASHPOINT_H
#define KIOSK_CRASHPOINT_H
/* Crash points: named steps (after_record, fiscal_made …) where the crash suites
 * (tests/check/pinpad_crash.sh, fiscal_crash.sh, vtk_recovery.sh) stop the kiosk as a
 * SIGKILL would and check what recovery makes of it.  Reaching one calls the test build's
 * hook (kiosk/base/hooks.h), which ends the process with _exit(137) when KIOSK_CRASH_AT names
 * the point; in the production build, with no hook table, a crash point does nothing. */
#include "kiosk/base/hooks.h"

static inline void crashpoint(const char *name)
{
	if (kiosk_hooks && kiosk_hooks->crash_at)
		kiosk_hooks->crash_at(name);
}

#endif
