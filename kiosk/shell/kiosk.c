/* build/kiosk: the production program, kiosk_main (kiosk/shell/main.c) with no test hooks
 * (kiosk/base/hooks.h): crash points do nothing and the script command `pinpad` fails.  The
 * tests run build/kiosk-test (tests/hooks/main.c), the same program with the hooks set. */
#include "kiosk/shell/app.h"

int main(int argc, char **argv)
{
	return kiosk_main(argc, argv);
}
