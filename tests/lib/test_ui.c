#include "tests/lib/test_ui.h"

struct ui *test_ui_new_rehearsed(void (*rehearse)(struct ui *r, void *ud), void *ud, char *err, size_t cap)
{
	struct ui_options o = { .width = 1080, .height = 1920, .headless = true, .assets = "assets", .theme = "default",
				.rehearse = rehearse, .rehearse_ud = ud };
	return ui_create(&o, err, cap);
}

struct ui *test_ui_new(char *err, size_t cap)
{
	return test_ui_new_rehearsed(NULL, NULL, err, cap);
}
