#include "tests/lib/test_ui.h"

struct ui *test_ui_new(char *err, size_t cap)
{
	struct ui_options o = { .width = 1080, .height = 1920, .headless = true, .assets = "assets", .theme = "default" };
	return ui_create(&o, err, cap);
}
