#ifndef TESTS_LIB_BENCH_FLOW_H
#define TESTS_LIB_BENCH_FLOW_H
/* The flow the benches drive: the demo payee allowed, Russian, the configuration's usual
 * limits, the billing center and the PIN-pad up (no service reports them in a bench). */
#include <stdint.h>

#include "kiosk/flow/flow.h"

void bench_flow_init(struct flow *f, int64_t now_ms, int64_t wall_ms);

#endif
