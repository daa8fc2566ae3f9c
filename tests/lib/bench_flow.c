/* The benches' flow (bench_flow.h). */
#include "tests/lib/bench_flow.h"

#include "kiosk/conf/config.h"

void bench_flow_init(struct flow *f, int64_t now_ms, int64_t wall_ms)
{
	static struct config_allow allow = { "5037008735", "40702810640000012345", "044525225" };
	struct flow_config fc = { .inactivity_ms = 60000, .prompt_ms = 20000, .lang = LANG_RU,
				  .max_amount = 15000000, .readings_from_day = 1, .readings_to_day = 31,
				  .allow = &allow, .nallow = 1, .agent_name = "ООО «Платёжный агент»" };
	flow_init(f, &fc, now_ms);
	flow_set_wall(f, wall_ms);
	f->online = f->pinpad_ok = true;
}
