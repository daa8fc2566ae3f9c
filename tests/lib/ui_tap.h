#ifndef TESTS_LIB_UI_TAP_H
#define TESTS_LIB_UI_TAP_H
/* A finger on the ui for the benches and tests: widget ID pressed at its centre at NOW,
 * lifted 80 ms later, and the tap handed to the flow as kiosk/shell/main.c does (out is
 * zeroed first, so the flow's actions are there to look at).  False when the widget is not
 * on screen or the release missed it. */
#include <stdbool.h>
#include <stdint.h>

#include "kiosk/flow/flow.h"
#include "ui/ui.h"

bool ui_tap_flow(struct ui *ui, struct flow *f, const char *id, int64_t now, struct flow_out *out);

#endif
