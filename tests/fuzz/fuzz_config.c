/* The configuration parser never crashes on any input, and either accepts it (every value
 * then within its key's rules, checked here independently of config.c) or names a line with
 * "name:LINE: ", LINE at least 1. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/conf/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool digits(const char *s, size_t n)
{
	return strlen(s) == n && strspn(s, "0123456789") == n;
}

static int mod11(const char *s, const char *w)
{
	int sum = 0;
	for (int i = 0; w[i]; i++)
		sum += (s[i] - '0') * (w[i] - '0' == 0 ? 10 : w[i] - '0');
	return sum % 11 % 10;
}

/* Weights as digits, '0' standing for 10. */
static bool inn_ok(const char *inn)
{
	if (digits(inn, 10))
		return mod11(inn, "240359468") == inn[9] - '0';
	return digits(inn, 12) && mod11(inn, "7240359468") == inn[10] - '0' &&
	       mod11(inn, "37240359468") == inn[11] - '0';
}

static bool account_ok(const struct config_allow *a)
{
	char s[24];
	int sum = 0;
	/* A Bank of Russia division (BIC ending 000-002) is keyed by "0" and BIC digits 5-6. */
	if (a->bic[6] == '0' && a->bic[7] == '0' && a->bic[8] <= '2')
		snprintf(s, sizeof s, "0%.2s%.20s", a->bic + 4, a->account);
	else
		snprintf(s, sizeof s, "%.3s%.20s", a->bic + 6, a->account);
	for (int i = 0; i < 23; i++)
		sum += (s[i] - '0') * ("713"[i % 3] - '0');
	return sum % 10 == 0;
}

static bool hex_bytes(const char *s)
{
	size_t n = strlen(s);
	return n % 2 == 0 && strspn(s, "0123456789abcdefABCDEF") == n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config c;
	char err[512];
	config_defaults(&c);
	if (config_parse_text((const char *)data, size, "fuzz.conf", &c, err, sizeof err) != 0) {
		char *end;
		if (strncmp(err, "fuzz.conf:", 10) != 0 || strtol(err + 10, &end, 10) < 1 || strncmp(end, ": ", 2) != 0)
			abort();
		return 0;
	}
	if (c.width < 320 || c.width > 7680 || c.height < 240 || c.height > 7680 || c.max_amount <= 0 ||
	    c.nallow < 0 || c.nallow > CONFIG_MAX_ALLOW || c.readings_from_day > c.readings_to_day)
		abort();
	if ((c.printer_width_mm != 58 && c.printer_width_mm != 80) || !hex_bytes(c.scanner_suffix) ||
	    !inn_ok(c.agent_inn))
		abort();
	if (c.center_url[0] && (strncmp(c.center_url, "https://", 8) != 0 || strpbrk(c.center_url, " \t?#") ||
				strcspn(c.center_url + 8, "@") < strcspn(c.center_url + 8, "/") ||
				(!c.center_pins[0] && !c.center_insecure_demo)))
		abort();
	if (c.center_pins[0] && strncmp(c.center_pins, "sha256//", 8) != 0)
		abort();
	for (int i = 0; i < c.nallow; i++) {
		const struct config_allow *a = &c.allow[i];
		if (!digits(a->account, 20) || !digits(a->bic, 9) || !inn_ok(a->inn) || !account_ok(a))
			abort();
		for (int j = 0; j < i; j++)
			if (!strcmp(a->inn, c.allow[j].inn) && !strcmp(a->account, c.allow[j].account) &&
			    !strcmp(a->bic, c.allow[j].bic))
				abort();
	}
	return 0;
}
