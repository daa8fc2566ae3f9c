#ifndef KIOSK_CLOCK_H
#define KIOSK_CLOCK_H
/* The kiosk's one clock.  Monotonic time drives timeouts; wall time (UTC ms) is stored and
 * shown.  Both carry an offset that the script command `advance` moves forward, so tests see
 * timeouts without waiting.  The flow core never reads a clock: it is handed `now`. */
#include <stdint.h>

struct kclock {
	int64_t offset_ms;
};

int64_t kclock_mono_ms(const struct kclock *c);
int64_t kclock_wall_ms(const struct kclock *c);
void kclock_advance(struct kclock *c, int64_t ms);

#endif
