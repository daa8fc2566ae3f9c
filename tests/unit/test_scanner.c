/* Scanner cores: HID-POS reassembly, AIM/suffix stripping, dedupe, wedge, serial framing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "drivers/scanner.h"
#include "drivers/scanner_hidpos.h"
#include "drivers/scanner_line.h"
#include "drivers/scanner_wedge.h"

#define RSZ 64 /* a typical HID-POS report: 58 data bytes */

static size_t report(uint8_t *r, const char *data, size_t l, const char *aim, int more)
{
	memset(r, 0, RSZ);
	r[0] = HIDPOS_REPORT_ID;
	r[1] = (uint8_t)l;
	memcpy(r + 2, data, l);
	if (aim)
		memcpy(r + RSZ - 4, aim, 3);
	r[RSZ - 1] = (uint8_t)more;
	return RSZ;
}

static void test_hidpos_single(void **state)
{
	(void)state;
	static struct hidpos_asm a;
	hidpos_init(&a);
	uint8_t r[RSZ];
	size_t n = report(r, "ST00012", 7, "]Q1", 0);
	assert_int_equal(hidpos_feed(&a, r, n), HIDPOS_DONE);
	assert_int_equal(a.len, 7);
	assert_memory_equal(a.buf, "ST00012", 7);
	assert_string_equal(a.aim, "]Q1");
}

static void test_hidpos_multi_report(void **state)
{
	(void)state;
	static struct hidpos_asm a;
	hidpos_init(&a);
	char sym[150];
	for (int i = 0; i < 150; i++)
		sym[i] = (char)('A' + i % 26);
	uint8_t r[RSZ];
	assert_int_equal(hidpos_feed(&a, r, report(r, sym, 58, "]Q1", 1)), HIDPOS_MORE);
	/* a report of another id in between (e.g. a status report) is ignored */
	uint8_t other[8] = { 0x04, 1, 2, 3, 4, 5, 6, 7 };
	assert_int_equal(hidpos_feed(&a, other, sizeof other), HIDPOS_IGNORED);
	assert_int_equal(hidpos_feed(&a, r, report(r, sym + 58, 58, "\0\0\0", 1)), HIDPOS_MORE);
	assert_int_equal(hidpos_feed(&a, r, report(r, sym + 116, 34, "\0\0\0", 0)), HIDPOS_DONE);
	assert_int_equal(a.len, 150);
	assert_memory_equal(a.buf, sym, 150);
	assert_string_equal(a.aim, "]Q1"); /* from the first report */
	/* the next symbol starts clean */
	assert_int_equal(hidpos_feed(&a, r, report(r, "12", 2, NULL, 0)), HIDPOS_DONE);
	assert_int_equal(a.len, 2);
	assert_memory_equal(a.buf, "12", 2);
	assert_string_equal(a.aim, "");
}

static void test_hidpos_short_reports(void **state)
{
	(void)state;
	static struct hidpos_asm a;
	hidpos_init(&a);
	/* the smallest legal report: 6 bytes with L = 0, and 7 with one byte */
	uint8_t r7[7] = { 2, 1, 'x', ']', 'C', '0', 1 };
	uint8_t r6[6] = { 2, 0, ']', 'C', '0', 0 };
	assert_int_equal(hidpos_feed(&a, r7, 7), HIDPOS_MORE);
	assert_int_equal(hidpos_feed(&a, r6, 6), HIDPOS_DONE);
	assert_int_equal(a.len, 1);
	assert_int_equal(a.buf[0], 'x');
	assert_string_equal(a.aim, "]C0");
}

static void test_hidpos_malformed(void **state)
{
	(void)state;
	static struct hidpos_asm a;
	hidpos_init(&a);
	uint8_t r[RSZ];
	assert_int_equal(hidpos_feed(&a, r, report(r, "abc", 3, NULL, 1)), HIDPOS_MORE);
	/* L larger than the data area (58): the partial symbol is dropped */
	report(r, "", 0, NULL, 0);
	r[1] = 59;
	assert_int_equal(hidpos_feed(&a, r, RSZ), SCANNER_EMALFORMED);
	uint8_t tiny[5] = { 2, 0, 0, 0, 0 };
	assert_int_equal(hidpos_feed(&a, tiny, 5), SCANNER_EMALFORMED);
	assert_int_equal(hidpos_feed(&a, tiny, 0), SCANNER_EMALFORMED);
	/* "abc" did not survive into the next symbol */
	assert_int_equal(hidpos_feed(&a, r, report(r, "def", 3, NULL, 0)), HIDPOS_DONE);
	assert_int_equal(a.len, 3);
	assert_memory_equal(a.buf, "def", 3);
}

static void test_hidpos_overlong(void **state)
{
	(void)state;
	static struct hidpos_asm a;
	hidpos_init(&a);
	uint8_t r[RSZ];
	char chunk[58];
	memset(chunk, '7', sizeof chunk);
	/* 71 * 58 = 4118 > 4096: every report says "more" until the last */
	int rc = 0;
	for (int i = 0; i < 71; i++) {
		rc = hidpos_feed(&a, r, report(r, chunk, 58, NULL, i < 70));
		if (i < 70)
			assert_int_equal(rc, HIDPOS_MORE);
	}
	assert_int_equal(rc, SCANNER_EOVERLONG);
	/* exactly the cap is fine: 4096 = 70 * 58 + 36 */
	for (int i = 0; i < 70; i++)
		assert_int_equal(hidpos_feed(&a, r, report(r, chunk, 58, NULL, 1)), HIDPOS_MORE);
	assert_int_equal(hidpos_feed(&a, r, report(r, chunk, 36, NULL, 0)), HIDPOS_DONE);
	assert_int_equal(a.len, SCANNER_MAX_SYMBOL);
}

static void test_strip(void **state)
{
	(void)state;
	uint8_t suf[SCANNER_MAX_SUFFIX];
	assert_int_equal(scanner_parse_suffix("0d0a", suf, sizeof suf), 2);
	assert_memory_equal(suf, "\r\n", 2);
	assert_int_equal(scanner_parse_suffix("", suf, sizeof suf), 0);
	assert_int_equal(scanner_parse_suffix("0d0", suf, sizeof suf), -1);
	assert_int_equal(scanner_parse_suffix("zz", suf, sizeof suf), -1);
	assert_int_equal(scanner_parse_suffix("000102030405060708", suf, sizeof suf), -1);

	static const struct { const char *in, *out, *aim; } cases[] = {
		{ "]Q1ST00012|Name=X\r\n", "ST00012|Name=X", "]Q1" },
		{ "]d2010460\r\n", "010460", "]d2" },
		{ "]C0ABC", "ABC", "]C0" },
		{ "]E04600000000000\r\n", "4600000000000", "]E0" },
		{ "ST0001\r\n", "ST0001", "" },
		{ "ST0001\r", "ST0001\r", "" },        /* only the whole suffix is stripped */
		{ "]1Q123", "]1Q123", "" },            /* ']' digit is not an AIM id */
		{ "]Q", "]Q", "" },
		{ "]Q1", "", "]Q1" },
		{ "\r\n", "", "" },
		{ "", "", "" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t off, len;
		char aim[4];
		scanner_strip((const uint8_t *)cases[i].in, strlen(cases[i].in), suf, 2, &off, &len, aim);
		assert_int_equal(len, strlen(cases[i].out));
		assert_memory_equal(cases[i].in + off, cases[i].out, len);
		assert_string_equal(aim, cases[i].aim);
	}
	/* no suffix configured: CRLF stays */
	size_t off, len;
	char aim[4];
	scanner_strip((const uint8_t *)"AB\r\n", 4, NULL, 0, &off, &len, aim);
	assert_int_equal(len, 4);
}

static void test_dedupe(void **state)
{
	(void)state;
	static struct scanner_dedupe d;
	scanner_dedupe_init(&d);
	const uint8_t *a = (const uint8_t *)"ST0001", *b = (const uint8_t *)"ST0002";
	assert_true(scanner_dedupe_accept(&d, a, 6, 10000));
	assert_false(scanner_dedupe_accept(&d, a, 6, 10400));   /* read twice within 1 s */
	assert_false(scanner_dedupe_accept(&d, a, 6, 10999));
	assert_true(scanner_dedupe_accept(&d, a, 6, 11000));    /* 1 s after the delivery */
	assert_true(scanner_dedupe_accept(&d, b, 6, 11001));    /* a different symbol at once */
	assert_true(scanner_dedupe_accept(&d, a, 6, 11002));
	assert_true(scanner_dedupe_accept(&d, a, 5, 11003));    /* a prefix is another symbol */
	assert_false(scanner_dedupe_accept(&d, a, 5, 11004));
	/* a clock that went backwards does not suppress forever */
	assert_true(scanner_dedupe_accept(&d, a, 6, 5000));
}

/* ---------------------------------------------------------------- wedge */

static int feed_key(struct wedge_dec *w, uint8_t mods, uint8_t key)
{
	uint8_t press[8] = { mods, 0, key, 0, 0, 0, 0, 0 }, release[8] = { 0 };
	int r = wedge_feed(w, press, 8);
	int r2 = wedge_feed(w, release, 8);
	assert_int_equal(r2, WEDGE_MORE);
	return r;
}

/* Types ASCII text the way a US-programmed scanner sends it. */
static int type_ascii(struct wedge_dec *w, const char *s)
{
	static const char plain[] = "abcdefghijklmnopqrstuvwxyz1234567890";
	int r = WEDGE_MORE;
	for (; *s; s++) {
		char c = *s;
		const char *p;
		if (c >= 'A' && c <= 'Z')
			r = feed_key(w, 0x02, (uint8_t)(0x04 + (c - 'A')));
		else if ((p = strchr(plain, c)))
			r = feed_key(w, 0, (uint8_t)(0x04 + (p - plain)));
		else if (c == '|')
			r = feed_key(w, 0x20, 0x31);  /* right shift + backslash */
		else if (c == '=')
			r = feed_key(w, 0, 0x2E);
		else if (c == ' ')
			r = feed_key(w, 0, 0x2C);
		else if (c == '\n')
			r = feed_key(w, 0, 0x28);
		else
			fail_msg("no key for %c", c);
	}
	return r;
}

static void test_wedge_decodes(void **state)
{
	(void)state;
	static struct wedge_dec w;
	wedge_init(&w);
	assert_int_equal(type_ascii(&w, "ST00012|Name=Ivan Petrov"), WEDGE_MORE);
	assert_int_equal(type_ascii(&w, "\n"), WEDGE_DONE);
	assert_int_equal(w.len, 24);
	assert_memory_equal(w.buf, "ST00012|Name=Ivan Petrov", 24);
	/* the next symbol starts empty; keypad digits and keypad Enter work too */
	uint8_t r[8] = { 0, 0, 0x59, 0, 0, 0, 0, 0 };
	assert_int_equal(wedge_feed(&w, r, 8), WEDGE_MORE);
	r[2] = 0x62;
	assert_int_equal(wedge_feed(&w, r, 8), WEDGE_MORE); /* 1 released, 0 pressed */
	r[2] = 0x58;
	assert_int_equal(wedge_feed(&w, r, 8), WEDGE_DONE);
	assert_int_equal(w.len, 2);
	assert_memory_equal(w.buf, "10", 2);
}

static void test_wedge_held_and_rollover(void **state)
{
	(void)state;
	static struct wedge_dec w;
	wedge_init(&w);
	/* '1' held over two reports counts once; '1','2' pressed together both count */
	uint8_t a[8] = { 0, 0, 0x1E, 0, 0, 0, 0, 0 };
	uint8_t b[8] = { 0, 0, 0x1E, 0x1F, 0, 0, 0, 0 };
	uint8_t enter[8] = { 0, 0, 0x28, 0, 0, 0, 0, 0 };
	wedge_feed(&w, a, 8);
	wedge_feed(&w, a, 8);
	wedge_feed(&w, b, 8);
	assert_int_equal(wedge_feed(&w, enter, 8), WEDGE_DONE);
	assert_int_equal(w.len, 2);
	assert_memory_equal(w.buf, "12", 2);
	/* short report */
	assert_int_equal(wedge_feed(&w, a, 7), SCANNER_EMALFORMED);
}

static void test_wedge_cyrillic_needs_configuration(void **state)
{
	(void)state;
	static struct wedge_dec w;
	wedge_init(&w);
	/* "ST" then Alt+keypad 0 1 9 2 (how a scanner types 'А' in Windows-1251 mode) */
	type_ascii(&w, "ST");
	feed_key(&w, 0x04, 0x62);
	feed_key(&w, 0x04, 0x59);
	feed_key(&w, 0x04, 0x61);
	feed_key(&w, 0x04, 0x5A);
	type_ascii(&w, "1");
	assert_int_equal(type_ascii(&w, "\n"), SCANNER_ELAYOUT);
	assert_string_equal(scanner_error_key(SCANNER_ELAYOUT), "scanner.configure");
	/* recovered: the next symbol is fine */
	assert_int_equal(type_ascii(&w, "42\n"), WEDGE_DONE);
	assert_int_equal(w.len, 2);
	assert_memory_equal(w.buf, "42", 2);
	/* keys outside the US block (International1, non-US backslash) and Ctrl combinations */
	feed_key(&w, 0, 0x87);
	assert_int_equal(type_ascii(&w, "\n"), SCANNER_ELAYOUT);
	feed_key(&w, 0x01, 0x06); /* Ctrl+C */
	assert_int_equal(type_ascii(&w, "\n"), SCANNER_ELAYOUT);
	feed_key(&w, 0, 0x64);
	assert_int_equal(type_ascii(&w, "\n"), SCANNER_ELAYOUT);
	/* ErrorRollOver */
	uint8_t ro[8] = { 0, 0, 1, 1, 1, 1, 1, 1 };
	wedge_feed(&w, ro, 8);
	assert_int_equal(type_ascii(&w, "\n"), SCANNER_ELAYOUT);
}

static void test_wedge_overlong(void **state)
{
	(void)state;
	static struct wedge_dec w;
	wedge_init(&w);
	for (int i = 0; i < SCANNER_MAX_SYMBOL + 3; i++)
		feed_key(&w, 0, 0x1E);
	assert_int_equal(type_ascii(&w, "\n"), SCANNER_EOVERLONG);
	assert_int_equal(type_ascii(&w, "9\n"), WEDGE_DONE);
	assert_int_equal(w.len, 1);
}

/* ---------------------------------------------------------------- serial framing */

struct got {
	char sym[8][64];
	int rc[8];
	int n;
};

static void emit(void *ud, int rc, const uint8_t *data, size_t len)
{
	struct got *g = ud;
	assert_true(g->n < 8);
	g->rc[g->n] = rc;
	snprintf(g->sym[g->n], sizeof g->sym[0], "%.*s", (int)(len < 63 ? len : 63), (const char *)data);
	g->n++;
}

static void test_line_suffix(void **state)
{
	(void)state;
	static struct scanner_line l;
	scanner_line_init(&l, (const uint8_t *)"\r\n", 2);
	struct got g = { .n = 0 };
	/* split across reads, the terminator too; a lone CR inside is data */
	scanner_line_feed(&l, (const uint8_t *)"ST01\r", 5, emit, &g);
	assert_int_equal(g.n, 0);
	scanner_line_feed(&l, (const uint8_t *)"\nAB\rC\r\nX", 8, emit, &g);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.sym[0], "ST01");
	assert_string_equal(g.sym[1], "AB\rC");
	assert_int_equal(g.rc[1], SCANNER_OK);
	scanner_line_feed(&l, (const uint8_t *)"\r\n", 2, emit, &g);
	assert_string_equal(g.sym[2], "X");
}

static void test_line_default_and_overlong(void **state)
{
	(void)state;
	static struct scanner_line l;
	scanner_line_init(&l, NULL, 0);
	struct got g = { .n = 0 };
	scanner_line_feed(&l, (const uint8_t *)"A1\r\nB2\n\n", 8, emit, &g);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.sym[0], "A1");
	assert_string_equal(g.sym[1], "B2");

	static uint8_t big[SCANNER_MAX_SYMBOL + 10];
	memset(big, 'z', sizeof big);
	g.n = 0;
	scanner_line_feed(&l, big, sizeof big, emit, &g);
	scanner_line_feed(&l, (const uint8_t *)"\rok\r", 4, emit, &g);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.rc[0], SCANNER_EOVERLONG);
	assert_string_equal(g.sym[1], "ok");

	/* with a suffix: 4096 bytes is fine, 4097 is not */
	scanner_line_init(&l, (const uint8_t *)"\r\n", 2);
	g.n = 0;
	scanner_line_feed(&l, big, SCANNER_MAX_SYMBOL, emit, &g);
	scanner_line_feed(&l, (const uint8_t *)"\r\n", 2, emit, &g);
	scanner_line_feed(&l, big, SCANNER_MAX_SYMBOL + 1, emit, &g);
	scanner_line_feed(&l, (const uint8_t *)"\r\n", 2, emit, &g);
	scanner_line_feed(&l, big, sizeof big, emit, &g);
	scanner_line_feed(&l, (const uint8_t *)"\r\nq\r\n", 5, emit, &g);
	assert_int_equal(g.n, 4);
	assert_int_equal(g.rc[0], SCANNER_OK);
	assert_int_equal(g.rc[1], SCANNER_EOVERLONG);
	assert_int_equal(g.rc[2], SCANNER_EOVERLONG);
	assert_string_equal(g.sym[3], "q");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hidpos_single),
		cmocka_unit_test(test_hidpos_multi_report),
		cmocka_unit_test(test_hidpos_short_reports),
		cmocka_unit_test(test_hidpos_malformed),
		cmocka_unit_test(test_hidpos_overlong),
		cmocka_unit_test(test_strip),
		cmocka_unit_test(test_dedupe),
		cmocka_unit_test(test_wedge_decodes),
		cmocka_unit_test(test_wedge_held_and_rollover),
		cmocka_unit_test(test_wedge_cyrillic_needs_configuration),
		cmocka_unit_test(test_wedge_overlong),
		cmocka_unit_test(test_line_suffix),
		cmocka_unit_test(test_line_default_and_overlong),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
