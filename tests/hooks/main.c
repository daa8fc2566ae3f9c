/* build/kiosk-test: the kiosk with its test hooks (kiosk/base/hooks.h): crash points that obey
 * KIOSK_CRASH_AT, and the script command `pinpad` that reaches the PIN-pad simulator.
 * Everything else is the production program's (kiosk_main, kiosk/shell/main.c); the tests and
 * the demo start this one, `make install` installs build/kiosk without them. */
#include "kiosk/shell/app.h"
#include "kiosk/base/hooks.h"
#include "tests/hooks/crash_at.h"
#include "tests/hooks/knob_client.h"

static const struct kiosk_hooks test_hooks = {
	.crash_at = crash_at,
	.pinpad_knobs = knob_client_send,
};

int main(int argc, char **argv)
{
	kiosk_hooks = &test_hooks; /* before any thread starts: read without a lock */
	return kiosk_main(argc, argv);
}
