/* Configuration: defaults, every kind of bad value with file:line, the allow-list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kiosk/conf/config.h"

static char path[64];

static const char *write_conf(const char *text)
{
	snprintf(path, sizeof path, "/tmp/test_config_%d.conf", (int)getpid());
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static void expect_error(const char *text, const char *want)
{
	struct config c;
	char err[512], full[600];
	config_defaults(&c);
	assert_int_equal(config_load(write_conf(text), &c, err, sizeof err), -1);
	snprintf(full, sizeof full, "%s:%s", path, want);
	if (strstr(err, full) == NULL)
		fail_msg("error '%s' does not contain '%s'", err, full);
	unlink(path);
}

static void test_defaults(void **st)
{
	(void)st;
	struct config c;
	config_defaults(&c);
	assert_int_equal(c.width, 1080);
	assert_int_equal(c.height, 1920);
	assert_true(c.fullscreen);
	assert_string_equal(c.lang, "ru");
	assert_int_equal(c.max_amount, 50000000);
	assert_int_equal(c.readings_from_day, 15);
	assert_int_equal(c.readings_to_day, 25);
	assert_true(c.speech_enabled);
	assert_int_equal(c.speech_rate, 150);
	assert_int_equal(c.speech_volume, 80);
	assert_int_equal(c.nallow, 0);
}

static void test_load_good(void **st)
{
	(void)st;
	struct config c;
	char err[256];
	config_defaults(&c);
	const char *p = write_conf("# comment\n[screen]\nwidth = 1920\nheight=1080\n\n; also a comment\n"
				   "[payee]\nallow = 5037008735/40702810640000012345/044525225\n"
				   "allow = 7707083893/40702810938000012345/044525225\n"
				   "[payment]\nmax_amount = 15000,50\n[kiosk]\nlang = en\nsyslog = false\n");
	assert_int_equal(config_load(p, &c, err, sizeof err), 0);
	assert_int_equal(c.width, 1920);
	assert_int_equal(c.height, 1080);
	assert_int_equal(c.nallow, 2);
	assert_string_equal(c.allow[1].inn, "7707083893");
	assert_string_equal(c.allow[0].bic, "044525225");
	assert_int_equal(c.max_amount, 1500050);
	assert_string_equal(c.lang, "en");
	assert_false(c.log_syslog);
	unlink(p);
}

static void test_errors(void **st)
{
	(void)st;
	expect_error("[screen]\nwidth = abc\n", "2: screen.width must be a whole number, not 'abc'");
	expect_error("[screen]\n\nbogus = 1\n", "3: unknown key 'screen.bogus'");
	expect_error("[screen]\nwidth = 99999\n", "2: screen.width must be between 320 and 7680");
	expect_error("[kiosk]\nlang = de\n", "2: kiosk.lang must be one of ru|en, not 'de'");
	expect_error("[kiosk]\nsyslog = maybe\n", "2: kiosk.syslog must be true or false");
	expect_error("[screen\nwidth = 1\n", "1: bad section header");
	expect_error("[screen]\njust words\n", "2: expected 'key = value'");
	expect_error("[payee]\nallow = 123/456/789\n", "2: payee.allow must be INN/Account/BIC");
	expect_error("[payment]\nmax_amount = 10.001\n", "2: payment.max_amount must be an amount");
	expect_error("[payment]\nmax_amount = -5\n", "2: payment.max_amount must be an amount");
	expect_error("[readings]\nfrom_day = 26\nto_day = 25\n", "3: readings.from_day (26) is after readings.to_day (25)");
	expect_error("[readings]\nfrom_day = 26\n", "2: readings.from_day (26) is after readings.to_day (25)");
	expect_error("[pinpad]\nprotocol = vtk2\n", "2: pinpad.protocol must be one of kpp1|vtk, not 'vtk2'");
	expect_error("[pinpad]\nprotocol = vtk\ntransport = usb\n", "3: pinpad.protocol = vtk needs pinpad.transport = tcp or tty");
	/* voice guidance */
	expect_error("[speech]\nenabled = yes\n", "2: speech.enabled must be true or false, not 'yes'");
	expect_error("[speech]\nrate = 79\n", "2: speech.rate must be between 80 and 450, not 79");
	expect_error("[speech]\nrate = 451\n", "2: speech.rate must be between 80 and 450, not 451");
	expect_error("[speech]\nrate = 150 wpm\n", "2: speech.rate must be a whole number, not '150 wpm'");
	expect_error("[speech]\nvolume = 101\n", "2: speech.volume must be between 0 and 100, not 101");
	expect_error("[speech]\nvolume = -1\n", "2: speech.volume must be between 0 and 100, not -1");
	expect_error("[speech]\nvolume = +50\n", "2: speech.volume must be a whole number, not '+50'");
	expect_error("[speech]\nvoice = ru\n", "2: unknown key 'speech.voice'");
}

/* A key given twice is refused on its second line; payee.allow repeats, but not one entry. */
static void test_duplicates(void **st)
{
	(void)st;
	expect_error("[center]\nurl =\n[screen]\nwidth = 1080\n[center]\nurl = \n",
		     "6: duplicate key center.url, first on line 2");
	expect_error("[screen]\nwidth = 1080\nheight = 1920\nwidth = 1080\n", "4: duplicate key screen.width, first on line 2");
	expect_error("screen.width = 1080\n[screen]\nwidth = 1920\n", "3: duplicate key screen.width, first on line 1");
	expect_error("[payee]\nallow = 5037008735/40702810640000012345/044525225\n"
		     "allow = 7707083893/40702810938000012345/044525225\n"
		     "allow = 5037008735/40702810640000012345/044525225\n",
		     "4: duplicate payee.allow entry 5037008735/40702810640000012345/044525225, first on line 2");
	struct config c;
	char err[256];
	config_defaults(&c);
	assert_int_equal(config_set(&c, "payee.allow", "5037008735/40702810640000012345/044525225", err, sizeof err), 0);
	assert_int_equal(config_set(&c, "payee.allow", "5037008735/40702810640000012345/044525225", err, sizeof err), -1);
	assert_non_null(strstr(err, "duplicate payee.allow entry"));
}

#define PIN1 "sha256//qoDOgNkgyTdgvnkku+CR6I1EIiJar0CXnk6lsQgnBkY="
#define PIN2 "sha256//47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="

static void expect_good(const char *text)
{
	struct config c;
	char err[512];
	config_defaults(&c);
	if (config_load(write_conf(text), &c, err, sizeof err) != 0)
		fail_msg("'%s' refused: %s", text, err);
	unlink(path);
}

/* center.url is https:// or empty; pins are sha256//BASE64 and required with a URL unless the
 * demo flag says otherwise; the error of the missing pins names the url line. */
static void test_center(void **st)
{
	(void)st;
	static const char *const bad_urls[] = {
		"http://center.example/kiosk", "ftp://center.example", "center.example:8443", "https://",
		"https:///path", "https://center example", "https://c.example:0", "https://c.example:65536",
		"https://c.example:84a3", "https://user@c.example", "https://c.example/a b", "https://c.example/?q=1",
		"HTTPS://c.example", "https://[]:8443", "https://.example",
	};
	for (size_t i = 0; i < sizeof bad_urls / sizeof bad_urls[0]; i++) {
		char text[256], want[256];
		snprintf(text, sizeof text, "[center]\npins = %s\nurl = %s\n", PIN1, bad_urls[i]);
		snprintf(want, sizeof want, "3: center.url must be empty (offline) or https://host[:port][/path], not '%s'",
			 bad_urls[i]);
		expect_error(text, want);
	}
	expect_good("[center]\nurl = https://billing.example.ru/kiosk/v1\npins = " PIN1 ";" PIN2 "\n");
	expect_good("[center]\nurl = https://127.0.0.1:8443\npins = " PIN1 "\n");
	expect_good("[center]\nurl = https://[::1]:8443/\npins = " PIN1 "\n");
	expect_good("[center]\nurl =\npins =\n");
	/* No pins with a URL: refused on the url line, unless the demo flag is set. */
	expect_error("[kiosk]\nid = K0001\n[center]\nurl = https://127.0.0.1:8443\nkey_id = k1\n",
		     "4: center.url is set but center.pins is empty: pin the center's key "
		     "(center.insecure_demo = true is for the demo and tests only)");
	expect_error("[center]\npins =\nurl = https://127.0.0.1:8443\ninsecure_demo = false\n",
		     "3: center.url is set but center.pins is empty");
	expect_good("[center]\nurl = https://127.0.0.1:8443\ninsecure_demo = true\n");
	/* Malformed pins, whatever the URL. */
	expect_error("[center]\npins = sha256//tooshort\n",
		     "2: center.pins: pin 1 'sha256//tooshort' is not sha256// and the 44 base64 characters of a 32-byte digest");
	expect_error("[center]\npins = " PIN1 ";sha1//qoDOgNkgyTdgvnkku+CR6I1EIiJar0CXnk6lsQgnBkY=\n", "2: center.pins: pin 2 ");
	expect_error("[center]\npins = " PIN1 ";\n", "2: center.pins: pin 2 '' is not");
	expect_error("[center]\npins = " PIN1 "; " PIN2 "\n", "2: center.pins: pin 2 ' sha256//");
	expect_error("[center]\npins = sha256//qoDOgNkgyTdgvnkku+CR6I1EIiJar0CXnk6lsQgnBkZ=\n", "2: center.pins: pin 1 ");
	expect_error("[center]\npins = sha256//qoDOgNkgyTdgvnkku+CR6I1EIiJar0CXnk6lsQgnBk==\n", "2: center.pins: pin 1 ");
	expect_error("[center]\npins = sha256//qoDOgNkgyTdgvnkku-CR6I1EIiJar0CXnk6lsQgnBkY=\n", "2: center.pins: pin 1 ");
}

/* Hex keys hold whole bytes; the paper is 58 or 80 mm wide, nothing between. */
static void test_hex_and_width(void **st)
{
	(void)st;
	expect_error("[scanner]\nsuffix = 0g\n", "2: scanner.suffix must be an even number of hex digits (e.g. 0d0a), not '0g'");
	expect_error("[scanner]\nsuffix = 0d0\n", "2: scanner.suffix must be an even number of hex digits");
	expect_error("[scanner]\nsuffix = 0x0d\n", "2: scanner.suffix must be an even number of hex digits");
	expect_error("[scanner]\nsuffix = 0d 0a\n", "2: scanner.suffix must be an even number of hex digits");
	expect_error("[printer]\nwidth_mm = 70\n", "2: printer.width_mm must be one of 58|80, not 70");
	expect_error("[printer]\nwidth_mm = 79\n", "2: printer.width_mm must be one of 58|80, not 79");
	expect_error("[printer]\nwidth_mm = 580\n", "2: printer.width_mm must be one of 58|80, not 580");
	struct config c;
	char err[256];
	config_defaults(&c);
	const char *p = write_conf("[scanner]\nsuffix = 0D0a\n[printer]\nwidth_mm = 58\n");
	assert_int_equal(config_load(p, &c, err, sizeof err), 0);
	assert_string_equal(c.scanner_suffix, "0D0a");
	assert_int_equal(c.printer_width_mm, 58);
	unlink(p);
	expect_good("[scanner]\nsuffix =\n[printer]\nwidth_mm = 80\n");
}

/* payee.allow: the INN's check digits, the account's key digit against the BIC, nothing
 * after the BIC; payee.agent_inn is an INN too. */
static void test_allow(void **st)
{
	(void)st;
	expect_error("[payee]\nallow = 5037008736/40702810640000012345/044525225\n",
		     "2: payee.allow: INN 5037008736 has a wrong check digit");
	expect_error("[payee]\nallow = 500100732258/40702810640000012345/044525225\n",
		     "2: payee.allow: INN 500100732258 has a wrong check digit");
	expect_error("[payee]\nallow = 500100732269/40702810640000012345/044525225\n",
		     "2: payee.allow: INN 500100732269 has a wrong check digit");
	expect_error("[payee]\nallow = 5037008735/40702810640000012346/044525225\n",
		     "2: payee.allow: account 40702810640000012346 does not match BIC 044525225 (wrong key digit)");
	expect_error("[payee]\nallow = 5037008735/40702810640000012345/044525974\n",
		     "2: payee.allow: account 40702810640000012345 does not match BIC 044525974");
	expect_error("[payee]\nallow = 5037008735/40702810640000012345/044525225x\n", "2: payee.allow must be INN/Account/BIC");
	expect_error("[payee]\nallow = 5037008735/40702810640000012345/044525225/1\n", "2: payee.allow must be INN/Account/BIC");
	expect_error("[payee]\nallow = 5037008735 /40702810640000012345/044525225\n", "2: payee.allow must be INN/Account/BIC");
	expect_error("[payee]\nagent_inn = 5037008736\n",
		     "2: payee.agent_inn must be an INN (10 or 12 digits with valid check digits), not '5037008736'");
	expect_error("[payee]\nagent_inn =\n", "2: payee.agent_inn must be an INN");
	/* The demo payee (docs/demo.md, The payee), a second legal entity and a person's 12-digit INN. */
	expect_good("[payee]\nagent_inn = 500100732259\nallow = 5037008735/40702810640000012345/044525225\n"
		    "allow = 7707083893/40702810938000012345/044525225\nallow = 500100732259/40702810640000012345/044525225\n");
}

/* Numbers take digits only, booleans true or false only, amounts no spaces: nothing is
 * read into something else. */
static void test_strict_values(void **st)
{
	(void)st;
	expect_error("[screen]\nwidth = +1080\n", "2: screen.width must be a whole number, not '+1080'");
	expect_error("[screen]\nwidth = 1080px\n", "2: screen.width must be a whole number, not '1080px'");
	expect_error("[screen]\nwidth = 1080 # wide\n", "2: screen.width must be a whole number, not '1080 # wide'");
	expect_error("[screen]\nwidth = 1e3\n", "2: screen.width must be a whole number, not '1e3'");
	expect_error("[screen]\nwidth = -\n", "2: screen.width must be a whole number, not '-'");
	expect_error("[screen]\nwidth = 99999999999999999999\n", "2: screen.width must be a whole number");
	expect_error("[screen]\nwidth = -5\n", "2: screen.width must be between 320 and 7680, not -5");
	static const char *const bools[] = { "yes", "no", "1", "0", "on", "off", "True", "FALSE", "" };
	for (size_t i = 0; i < sizeof bools / sizeof bools[0]; i++) {
		char text[64], want[96];
		snprintf(text, sizeof text, "[screen]\nfullscreen = %s\n", bools[i]);
		snprintf(want, sizeof want, "2: screen.fullscreen must be true or false, not '%s'", bools[i]);
		expect_error(text, want);
	}
	static const char *const amounts[] = { "5 000", "500 000,00", "100.", ".50", "1,000.00", "1.2.3", "+100", "0", "0.00" };
	for (size_t i = 0; i < sizeof amounts / sizeof amounts[0]; i++) {
		char text[64], want[128];
		snprintf(text, sizeof text, "[payment]\nmax_amount = %s\n", amounts[i]);
		snprintf(want, sizeof want, "2: payment.max_amount must be an amount in rubles like 500000.00, not '%s'", amounts[i]);
		expect_error(text, want);
	}
	struct config c;
	char err[256];
	config_defaults(&c);
	const char *p = write_conf("[screen]\nwidth = 0800\nfullscreen = true\n[payment]\nmax_amount = 100.5\n");
	assert_int_equal(config_load(p, &c, err, sizeof err), 0);
	assert_int_equal(c.width, 800);
	assert_true(c.fullscreen);
	assert_int_equal(c.max_amount, 10050);
	unlink(p);
}

/* A control character or a NUL inside a line is refused, not cut off or kept in a value;
 * CRLF line ends are fine. */
static void test_bytes(void **st)
{
	(void)st;
	struct config c;
	char err[256];
	static const char nul[] = "[kiosk]\nid = K0001\0junk\n";
	config_defaults(&c);
	assert_int_equal(config_parse_text(nul, sizeof nul - 1, "t.conf", &c, err, sizeof err), -1);
	assert_string_equal(err, "t.conf:2: control character 0x00 in the line");
	expect_error("[kiosk]\nid = K0\x01\n", "2: control character 0x01 in the line");
	expect_error("[kiosk]\nid = K0001\rlang = en\n", "2: control character 0x0d in the line");
	static const char crlf[] = "[screen]\r\nwidth = 1920\r\n";
	config_defaults(&c);
	assert_int_equal(config_parse_text(crlf, sizeof crlf - 1, "t.conf", &c, err, sizeof err), 0);
	assert_int_equal(c.width, 1920);
}

static void test_unreadable(void **st)
{
	(void)st;
	struct config c;
	char err[256];
	config_defaults(&c);
	assert_int_equal(config_load("/nonexistent/kiosk.conf", &c, err, sizeof err), -1);
	assert_non_null(strstr(err, "/nonexistent/kiosk.conf:0: cannot read"));
}

static void test_set_and_doc(void **st)
{
	(void)st;
	struct config c;
	char err[256];
	config_defaults(&c);
	assert_int_equal(config_set(&c, "pinpad.address", "127.0.0.1:9", err, sizeof err), 0);
	assert_string_equal(c.pinpad_address, "127.0.0.1:9");
	assert_int_equal(config_set(&c, "pinpad.nope", "1", err, sizeof err), -1);
	assert_non_null(strstr(err, "unknown key 'pinpad.nope'"));
	/* Every key documented: the generated table names each of them. */
	char *doc = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&doc, &len);
	config_print_doc(f);
	fclose(f);
	assert_non_null(strstr(doc, "| `screen.width` | `1080` |"));
	assert_non_null(strstr(doc, "| `payee.allow` |"));
	free(doc);
}

static void test_docs_match(void **st)
{
	(void)st;
	/* docs/config.md carries the generated table: it must be current. */
	char *doc = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&doc, &len);
	config_print_doc(f);
	fclose(f);
	FILE *d = fopen("docs/config.md", "r");
	assert_non_null(d);
	static char text[65536];
	size_t n = fread(text, 1, sizeof text - 1, d);
	text[n] = '\0';
	fclose(d);
	if (!strstr(text, doc))
		fail_msg("docs/config.md is out of date: run build/kiosk-tool config-doc");
	free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_load_good),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_bytes),
		cmocka_unit_test(test_center),
		cmocka_unit_test(test_hex_and_width),
		cmocka_unit_test(test_allow),
		cmocka_unit_test(test_strict_values),
		cmocka_unit_test(test_unreadable),
		cmocka_unit_test(test_set_and_doc),
		cmocka_unit_test(test_docs_match),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
