/* Crash points for the crash suites: see crash_at.h. */
#include "tests/hooks/crash_at.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kiosk/base/log.h"

static const char *armed;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void read_env(void)
{
	armed = getenv("KIOSK_CRASH_AT");
}

void crash_at(const char *point)
{
	pthread_once(&once, read_env);
	if (armed && strcmp(armed, point) == 0) {
		log_warn("crashpoint", "exit", "at=%s", point);
		_exit(137);
	}
}
