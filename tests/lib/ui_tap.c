#include "tests/lib/ui_tap.h"

#include <stdio.h>
#include <string.h>

bool ui_tap_flow(struct ui *ui, struct flow *f, const char *id, int64_t now, struct flow_out *out)
{
	const struct ui_widget *w = ui_find(ui, id);
	if (!w)
		return false;
	int x = w->r.x + w->r.w / 2, y = w->r.y + w->r.h / 2;
	ui_press(ui, x, y, now);
	int64_t held;
	const char *got = ui_release(ui, x, y, now + 80, &held);
	if (!got)
		return false;
	char copy[UI_ID_LEN]; /* the widget list is rebuilt by the next frame */
	snprintf(copy, sizeof copy, "%s", got);
	memset(out, 0, sizeof *out);
	flow_handle(f, &(struct flow_event){ .type = FE_TAP, .widget = copy, .held_ms = held }, now + 80, out);
	return true;
}
