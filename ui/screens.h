#ifndef UI_SCREENS_H
#define UI_SCREENS_H
/* The draw side of the screens: one draw function per flow screen id, plus the chrome
 * every screen shares (header with organisation, clock and link status; footer with the
 * language, large-text and contrast switches; the inactivity prompt). */
#include <stdint.h>

#include "kiosk/conf/config.h"
#include "kiosk/bill/demo_bills.h"
#include "kiosk/flow/flow.h"
#include "ui/ui.h"

struct screen_ctx {
	const struct config *cfg;
	int64_t wall_ms;        /* now, UTC ms (shown in local time, kiosk/base/tz.h) */
	int64_t mono_ms;        /* now, for countdowns */
	const struct demo_bills *demo; /* the scan screen's demo bills (demo.bills), or NULL */
};

void screens_draw(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx);

/* Shared pieces (screen_chrome.c). */
struct ui_rect chrome_draw(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx,
			   bool nav); /* returns the content area */
void chrome_prompt(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx);
void chrome_title(struct ui *ui, struct ui_rect *area, const char *title, const char *subtitle);
void chrome_card(struct ui *ui, struct ui_rect r);

/* Shared by the payment screens (screen_pay.c): "2026-10" as the month's name and year;
 * the flow's error as a banner cut from the top of area; a label/value row cut from the
 * top of r, returning its height. */
const char *pay_period_fmt(struct ui *ui, const char *p, char *buf, size_t cap);
void pay_error_banner(struct ui *ui, const struct flow *f, struct ui_rect *area);
int pay_row(struct ui *ui, struct ui_rect *r, const char *label, const char *value, bool strong);

typedef void (*screen_draw_fn)(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx,
			       struct ui_rect area);
void screen_attract(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area);
/* Attract when flow_oos_why_key(f) says payments cannot be taken (screen_oos.c). */
void screen_attract_oos(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area);
void screen_help(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area);
void screen_scan(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area);
void screen_enter_account(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area);
void screen_control_question(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area);
void screen_account(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area);
void screen_amount(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area);
void screen_basket(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area);
void screen_confirm(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area);
void screen_payment(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area);
void screen_payment_result(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area);
void screen_readings(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area);
void screen_ereceipt(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area);
void screen_request(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area);
void screen_readings_done(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area);
void screen_history(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area);
void screen_bill_copy(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area);
/* The account screen's history and bill-copy buttons (screen_history.c), laid into r. */
bool history_header(struct ui *ui, struct ui_rect *area, const char *prefix, int months, bool loading, int status,
		    bool online, bool refused, int64_t as_of_ms);
void screen_account_extras(struct ui *ui, const struct flow *f, struct ui_rect *r);
/* The readings history and the readings screen's button to it (screen_rdhist.c). */
void screen_readings_history(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area);
/* The history button, laid into the left of ROW (the send button's row), or all of it. */
void screen_readings_extras(struct ui *ui, const struct flow *f, struct ui_rect *row);
/* Staff (screen_staff.c). */
void screen_staff_login(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area);
void screen_cashier(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area);
void screen_cashier_payments(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area);
void screen_void_confirm(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area);
void screen_reconcile(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area);
void screen_needs_operator(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area);
void screen_out_of_service(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area);
void screen_service(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area);
void screen_service_devices(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area);
void screen_service_network(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area);
void screen_service_logs(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area);
void screen_service_config(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area);
void screen_service_touch(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx, struct ui_rect area);

#endif
