/* Screen id -> draw function; attract has no back/home navigation bar. */
#include "ui/screens.h"

static const struct {
	screen_draw_fn draw;
	bool nav;
} table[SCREEN_COUNT] = {
	[SCREEN_ATTRACT] = { screen_attract, false },
	[SCREEN_HELP] = { screen_help, true },
};

void screens_draw(struct ui *ui, const struct flow *f, const struct screen_ctx *ctx)
{
	ui_frame_begin(ui, f->high_contrast, f->large_text, f->lang);
	struct ui_rect area = chrome_draw(ui, f, ctx, table[f->screen].nav);
	table[f->screen].draw(ui, f, ctx, area);
	if (f->prompt_since_ms)
		chrome_prompt(ui, f, ctx);
}
