#include "kiosk/crashpoint.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kiosk/log.h"

static const char *armed;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void read_env(void)
{
	armed = getenv("KIOSK_CRASH_AT");
}

void crashpoint(const char *name)
{
	pthread_once(&once, read_env);
	if (armed && strcmp(armed, name) == 0) {
		log_warn("crashpoint", "exit", "at=%s", name);
		_exit(137);
	}
}
