#include "ui/icons.h"

#include <string.h>

static const struct { const char *name; uint32_t cp; } icons[] = {
	{ "account_balance", 0xe84f }, { "add", 0xe145 }, { "arrow_back", 0xe5c4 },
	{ "backspace", 0xe14a }, { "bolt", 0xea0b }, { "check_circle", 0xe86c },
	{ "chevron_right", 0xe5cc }, { "close", 0xe5cd }, { "cloud_done", 0xe2bf },
	{ "cloud_off", 0xe2c1 }, { "contactless", 0xea71 }, { "contrast", 0xeb37 },
	{ "credit_card", 0xe870 }, { "delete", 0xe872 }, { "description", 0xe873 },
	{ "edit_note", 0xe745 }, { "error", 0xe000 }, { "expand_less", 0xe5ce },
	{ "expand_more", 0xe5cf }, { "help", 0xe887 },
	{ "history", 0xe889 }, { "home", 0xe88a }, { "hourglass_empty", 0xe88b },
	{ "info", 0xe88e }, { "language", 0xe894 }, { "lock", 0xe897 },
	{ "payments", 0xef63 }, { "person", 0xe7fd }, { "phone", 0xe0cd }, { "print", 0xe8ad },
	{ "qr_code_2", 0xe00a }, { "qr_code_scanner", 0xf206 }, { "receipt_long", 0xef6e },
	{ "record_voice_over", 0xe91f }, { "schedule", 0xe8b5 },
	{ "settings", 0xe8b8 }, { "shopping_cart", 0xe8cc }, { "speed", 0xe9e4 },
	{ "support_agent", 0xf0e2 }, { "text_increase", 0xeae2 }, { "touch_app", 0xe913 },
	{ "warning", 0xe002 }, { "water_drop", 0xe798 }, { "wifi_off", 0xe648 },
};

#define N (int)(sizeof icons / sizeof icons[0])

uint32_t icon_codepoint(const char *name)
{
	for (int i = 0; i < N; i++)
		if (strcmp(icons[i].name, name) == 0)
			return icons[i].cp;
	return 0;
}

int icon_count(void) { return N; }
const char *icon_name(int i) { return icons[i].name; }
