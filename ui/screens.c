/* Screen id -> draw function; attract has no back/home navigation bar. */
#include "ui/screens.h"

static const struct {
	screen_draw_fn draw;
	bool nav;
} table[SCREEN_COUNT] = {
	[SCREEN_ATTRACT] = { screen_attract, false },
	[SCREEN_HELP] = { screen_help, true },
	[SCREEN_SCAN] = { screen_scan, true },
	[SCREEN_ENTER_ACCOUNT] = { screen_enter_account, true },
	[SCREEN_CONTROL_QUESTION] = { screen_control_question, true },
	[SCREEN_ACCOUNT] = { screen_account, true },
	[SCREEN_AMOUNT] = { screen_amount, true },
	[SCREEN_BASKET] = { screen_basket, true },
	[SCREEN_CONFIRM] = { screen_confirm, true },
	[SCREEN_PAYMENT] = { screen_payment, false },
	[SCREEN_PAYMENT_RESULT] = { screen_payment_result, false },
	[SCREEN_READINGS] = { screen_readings, true },
	[SCREEN_READINGS_DONE] = { screen_readings_done, false },
	[SCREEN_ERECEIPT] = { screen_ereceipt, true },
	[SCREEN_REQUEST] = { screen_request, true },
	[SCREEN_HISTORY] = { screen_history, true },
	[SCREEN_BILL_COPY] = { screen_bill_copy, false },
	[SCREEN_STAFF_LOGIN] = { screen_staff_login, true },
	[SCREEN_CASHIER] = { screen_cashier, true },
	[SCREEN_CASHIER_PAYMENTS] = { screen_cashier_payments, true },
	[SCREEN_VOID_CONFIRM] = { screen_void_confirm, true },
	[SCREEN_RECONCILE] = { screen_reconcile, true },
	[SCREEN_NEEDS_OPERATOR] = { screen_needs_operator, true },
	[SCREEN_OUT_OF_SERVICE] = { screen_out_of_service, true },
	[SCREEN_SERVICE] = { screen_service, true },
	[SCREEN_SERVICE_DEVICES] = { screen_service_devices, true },
	[SCREEN_SERVICE_NETWORK] = { screen_service_network, true },
	[SCREEN_SERVICE_LOGS] = { screen_service_logs, true },
	[SCREEN_SERVICE_CONFIG] = { screen_service_config, true },
	[SCREEN_SERVICE_TOUCH] = { screen_service_touch, true },
	[SCREEN_READINGS_HISTORY] = { screen_readings_history, true },
};

void screens_draw(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx)
{
	ui_frame_begin(ui, f->high_contrast, f->large_text, f->lang);
	struct ui_rect area = chrome_draw(ui, f, ctx, table[f->screen].nav);
	table[f->screen].draw(ui, f, ctx, area);
	if (f->prompt_since_ms)
		chrome_prompt(ui, f, ctx);
}
