#include "kiosk/clock.h"

#include <time.h>

static int64_t read_ms(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t kclock_mono_ms(const struct kclock *c) { return read_ms(CLOCK_MONOTONIC) + c->offset_ms; }
int64_t kclock_wall_ms(const struct kclock *c) { return read_ms(CLOCK_REALTIME) + c->offset_ms; }
void kclock_advance(struct kclock *c, int64_t ms) { c->offset_ms += ms; }
