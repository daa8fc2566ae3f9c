/* Strings: both languages carry the same keys, every key the code asks for exists, a
 * missing key is visible and counted (never a blank). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/pinpad_service.h"
#include "drivers/printer_status.h"
#include "drivers/scanner.h"
#include "kiosk/svc/svc_staff_lines.h"
#include "offline/journal.h"
#include "ui/strings.h"

static struct strings *load(void)
{
	char err[256];
	struct strings *s = strings_load("assets/strings", err, sizeof err);
	if (!s)
		fail_msg("%s", err);
	return s;
}

static void test_same_keys(void **st)
{
	(void)st;
	struct strings *s = load();
	assert_true(strings_count(s, LANG_RU) > 40);
	assert_int_equal(strings_count(s, LANG_RU), strings_count(s, LANG_EN));
	for (int i = 0; i < strings_count(s, LANG_RU); i++) {
		const char *k = strings_key(s, LANG_RU, i);
		if (!strings_has(s, LANG_EN, k))
			fail_msg("key %s is in ru.strings but not in en.strings", k);
	}
	strings_free(s);
}

static void test_lookup_and_missing(void **st)
{
	(void)st;
	struct strings *s = load();
	assert_string_equal(strings_get(s, LANG_RU, "attract.pay_bill"), "Оплатить квитанцию");
	assert_string_equal(strings_get(s, LANG_EN, "attract.pay_bill"), "Pay a bill");
	assert_int_equal(strings_missing(s), 0);
	const char *m = strings_get(s, LANG_EN, "no.such.key");
	assert_string_equal(m, "\xE2\x9F\xA6no.such.key\xE2\x9F\xA7");
	assert_int_equal(strings_missing(s), 1);
	/* Escapes: \n becomes a line break. */
	assert_non_null(strchr(strings_get(s, LANG_RU, "attract.title"), '\n'));
	strings_free(s);
}

/* Every literal key passed to ui_tr(ui, "…") in ui/ and kiosk/, or to vtr(c, f, "…") in
 * kiosk/flow/voice*.c, must exist in both files. */
static void scan_dir(struct strings *s, const char *dir, int *checked)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n < 3 || strcmp(e->d_name + n - 2, ".c") != 0)
			continue;
		char path[512];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		FILE *f = fopen(path, "r");
		assert_non_null(f);
		static char text[1 << 18];
		size_t len = fread(text, 1, sizeof text - 1, f);
		text[len] = '\0';
		fclose(f);
		for (int pass = 0; pass < 2; pass++) {
			for (char *p = text; (p = strstr(p, pass ? "vtr(c, f, \"" : "ui_tr(")); p++) {
				char *q = strchr(p, '"');
				char *close = strchr(p, ')');
				if (!q || (close && close < q))
					continue; /* a computed key */
				char *end = strchr(q + 1, '"');
				char key[128];
				snprintf(key, sizeof key, "%.*s", (int)(end - q - 1), q + 1);
				for (int l = 0; l < LANG_COUNT; l++)
					if (!strings_has(s, (enum lang)l, key))
						fail_msg("%s uses key '%s' missing from %s.strings", path, key,
							 lang_code((enum lang)l));
				(*checked)++;
			}
		}
	}
	closedir(d);
}

static void test_code_keys_exist(void **st)
{
	(void)st;
	struct strings *s = load();
	int checked = 0;
	scan_dir(s, "ui", &checked);
	scan_dir(s, "kiosk", &checked);
	assert_true(checked > 20);
	/* Keys built at run time. */
	char key[32];
	for (int m = 1; m <= 12; m++) {
		snprintf(key, sizeof key, "month_gen.%d", m);
		assert_true(strings_has(s, LANG_RU, key) && strings_has(s, LANG_EN, key));
	}
	for (int d = 0; d < 7; d++) {
		snprintf(key, sizeof key, "weekday.%d", d);
		assert_true(strings_has(s, LANG_RU, key) && strings_has(s, LANG_EN, key));
	}
	strings_free(s);
}

static void has_both(struct strings *s, const char *key)
{
	for (int l = 0; l < LANG_COUNT; l++)
		if (!strings_has(s, (enum lang)l, key))
			fail_msg("staff key '%s' missing from %s.strings", key, lang_code((enum lang)l));
}

/* The staff shell names its lines' and messages' keys itself (kiosk/flow/staff_lines.h): every
 * literal "staff.…" key in it, and every key it builds from a state, exists in both files. */
static void test_staff_keys_exist(void **st)
{
	(void)st;
	struct strings *s = load();
	static const char *const files[] = { "kiosk/svc/svc_staff.c", "kiosk/svc/svc_staff_lines.c", "kiosk/flow/flow_staff.c" };
	int checked = 0;
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		FILE *f = fopen(files[i], "r");
		assert_non_null(f);
		static char text[1 << 18];
		size_t len = fread(text, 1, sizeof text - 1, f);
		text[len] = '\0';
		fclose(f);
		for (char *p = text; (p = strstr(p, "\"staff.")); p++) {
			size_t n = strcspn(p + 1, "\"");
			char key[96];
			snprintf(key, sizeof key, "%.*s", (int)n, p + 1);
			if (key[n - 1] == '_' || key[n - 1] == '.' || strchr(key, '%'))
				continue; /* a prefix: built below */
			has_both(s, key);
			checked++;
		}
	}
	assert_true(checked > 30);
	char key[96], text[64];
	for (int i = 0; i <= (int)PRINTER_OFFLINE; i++) {
		snprintf(key, sizeof key, "staff.dev.printer_%s", printer_state_name((enum printer_state)i));
		has_both(s, key);
	}
	for (int i = 0; i <= (int)SCANNER_STATE_ERROR; i++) {
		snprintf(key, sizeof key, "staff.dev.scanner_%s", scanner_state_name((enum scanner_state)i));
		has_both(s, key);
	}
	for (int i = 0; i <= (int)JOURNAL_NEEDS_OPERATOR; i++) {
		snprintf(key, sizeof key, "staff.state.%s", journal_state_name((enum journal_state)i));
		for (char *k = key; *k; k++)
			*k = (char)(*k >= 'A' && *k <= 'Z' ? *k - 'A' + 'a' : *k);
		has_both(s, key);
	}
	static const char *const kinds[] = { "payment", "reading", "ereceipt", "request", "event" };
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		snprintf(key, sizeof key, "staff.net.queue_%s_s", kinds[i]);
		has_both(s, key);
		snprintf(key, sizeof key, "staff.net.queue_%s_min", kinds[i]);
		has_both(s, key);
	}
	for (int i = 0; i < 5; i++)
		has_both(s, svc_staff_pinpad_status(i, "", text, sizeof text));
	for (int i = 0; i <= (int)PINPAD_OUT_NOT_RECORDED; i++)
		has_both(s, svc_staff_outcome_key(i));
	static const char *const levels[] = { "debug", "info", "warn", "error" };
	for (int i = 0; i < 4; i++) {
		snprintf(key, sizeof key, "staff.level.%s", levels[i]);
		has_both(s, key);
	}
	strings_free(s);
}

static void test_bad_file(void **st)
{
	(void)st;
	system("mkdir -p /tmp/strtest && printf 'a = 1\\nbroken line\\n' > /tmp/strtest/ru.strings && "
	       "printf 'a = 1\\n' > /tmp/strtest/en.strings");
	char err[256];
	assert_null(strings_load("/tmp/strtest", err, sizeof err));
	assert_non_null(strstr(err, "ru.strings:2: expected 'key = text'"));
	system("printf 'a = 1\\na = 2\\n' > /tmp/strtest/ru.strings");
	assert_null(strings_load("/tmp/strtest", err, sizeof err));
	assert_non_null(strstr(err, "key 'a' defined twice"));
	system("rm -rf /tmp/strtest");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_keys),
		cmocka_unit_test(test_lookup_and_missing),
		cmocka_unit_test(test_code_keys_exist),
		cmocka_unit_test(test_staff_keys_exist),
		cmocka_unit_test(test_bad_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
