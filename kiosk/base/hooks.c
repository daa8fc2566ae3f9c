/* The test build's hook table: see hooks.h. */
#include "kiosk/base/hooks.h"

#include <stdio.h>

const struct kiosk_hooks *kiosk_hooks;

int kiosk_hooks_pinpad(const char *addr, const char *knobs, char *err, int errcap)
{
	if (!kiosk_hooks || !kiosk_hooks->pinpad_knobs) {
		snprintf(err, (size_t)errcap, "this build has no test hooks: run build/kiosk-test");
		return -1;
	}
	return kiosk_hooks->pinpad_knobs(addr, knobs, err, errcap);
}
