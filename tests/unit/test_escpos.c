/* ESC/POS encoder: exact bytes, CP866 table, caps. */
#include <iconv.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "drivers/escpos.h"

static void test_demo_receipt_bytes(void **state)
{
	(void)state;
	struct receipt_doc d;
	receipt_doc_init(&d);
	assert_int_equal(receipt_doc_text(&d, RDOC_CENTER, RDOC_BOLD, "Чек №7"), 0);
	assert_int_equal(receipt_doc_pair(&d, 0, "Итого", "1\xE2\x80\xAF" "234,56 ₽"), 0);
	assert_int_equal(receipt_doc_separator(&d), 0);
	assert_int_equal(receipt_doc_text(&d, RDOC_RIGHT, RDOC_BIG, "Ёж"), 0);
	assert_int_equal(receipt_doc_qr(&d, "ST1"), 0);
	assert_int_equal(receipt_doc_cut(&d, true), 0);

	struct escpos_opts o;
	escpos_opts_default(&o);
	o.width_mm = 58;
	struct escpos_buf b;
	escpos_buf_init(&b, 0);
	assert_int_equal(escpos_render(&b, &d, &o), 0);

	static const uint8_t want[] = {
		0x1B, '@', 0x1B, 't', 17,
		/* centred bold "Чек №7" */
		0x1B, 'a', 1, 0x1B, 'E', 1, 0x97, 0xA5, 0xAA, ' ', 0xFC, '7', '\n', 0x1B, 'E', 0,
		/* pair: 5 + 16 spaces + 11 = 32 columns (U+202F -> space, "₽" -> "р.") */
		0x1B, 'a', 0, 0x88, 0xE2, 0xAE, 0xA3, 0xAE,
		' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ',
		' ', ' ', ' ', ' ', ' ', ' ',
		'1', ' ', '2', '3', '4', ',', '5', '6', ' ', 0xE0, '.', '\n',
		/* separator: 32 dashes */
		0x1B, 'a', 0,
		'-', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-',
		'-', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-', '\n',
		/* right, double size "Ёж" */
		0x1B, 'a', 2, 0x1D, '!', 0x11, 0xF0, 0xA6, '\n', 0x1D, '!', 0x00,
		/* QR: centre, model 2, module 6, level M, store "ST1", print */
		0x1B, 'a', 1,
		0x1D, '(', 'k', 4, 0, 49, 65, 50, 0,
		0x1D, '(', 'k', 3, 0, 49, 67, 6,
		0x1D, '(', 'k', 3, 0, 49, 69, 49,
		0x1D, '(', 'k', 6, 0, 49, 80, 48, 'S', 'T', '1',
		0x1D, '(', 'k', 3, 0, 49, 81, 48, '\n',
		/* feed 4 and partial cut */
		'\n', '\n', '\n', '\n', 0x1D, 'V', 1,
	};
	assert_int_equal(b.len, sizeof want);
	assert_memory_equal(b.data, want, sizeof want);
	escpos_buf_free(&b);
	receipt_doc_free(&d);
}

static void test_codepage_configurable(void **state)
{
	(void)state;
	struct receipt_doc d;
	receipt_doc_init(&d);
	struct escpos_opts o;
	escpos_opts_default(&o);
	o.codepage = 46;
	struct escpos_buf b;
	escpos_buf_init(&b, 0);
	assert_int_equal(escpos_render(&b, &d, &o), 0);
	assert_int_equal(b.len, 5);
	assert_memory_equal(b.data, ((const uint8_t[]){ 0x1B, '@', 0x1B, 't', 46 }), 5);
	assert_int_equal(escpos_codepage(&b, 256), ESCPOS_EINVAL);
	escpos_buf_free(&b);
}

/* Every byte 0x80..0xFF against glibc's CP866, both directions, and all 66 letters. */
static void test_cp866_round_trip(void **state)
{
	(void)state;
	iconv_t cd = iconv_open("UTF-8", "CP866");
	assert_true(cd != (iconv_t)-1);
	for (int c = 0x80; c <= 0xFF; c++) {
		char in[1] = { (char)c }, ref[8] = { 0 }, ours[8];
		char *ip = in, *op = ref;
		size_t il = 1, ol = sizeof ref - 1;
		assert_int_not_equal(iconv(cd, &ip, &il, &op, &ol), (size_t)-1);
		escpos_cp866_to_utf8(in, 1, ours, sizeof ours);
		assert_string_equal(ours, ref);
		char back[4];
		assert_int_equal(escpos_cp866_from_utf8(ours, back, sizeof back), 1);
		assert_int_equal((uint8_t)back[0], c);
	}
	iconv_close(cd);

	const char *abc = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя";
	char cp[128], utf[256];
	size_t n = escpos_cp866_from_utf8(abc, cp, sizeof cp);
	assert_int_equal(n, 66);
	assert_int_equal((uint8_t)cp[0], 0x80);   /* А */
	assert_int_equal((uint8_t)cp[6], 0xF0);   /* Ё */
	assert_int_equal((uint8_t)cp[32], 0x9F);  /* Я */
	assert_int_equal((uint8_t)cp[33], 0xA0);  /* а */
	assert_int_equal((uint8_t)cp[39], 0xF1);  /* ё */
	assert_int_equal((uint8_t)cp[49], 0xAF);  /* п */
	assert_int_equal((uint8_t)cp[50], 0xE0);  /* р */
	assert_int_equal((uint8_t)cp[65], 0xEF);  /* я */
	escpos_cp866_to_utf8(cp, n, utf, sizeof utf);
	assert_string_equal(utf, abc);
}

static void test_cp866_unknown_and_malformed(void **state)
{
	(void)state;
	char out[32];
	/* € and a CJK char are unknown; a lone continuation byte and a truncated sequence are
	 * malformed: each becomes one '?'. */
	assert_int_equal(escpos_cp866_from_utf8("a€中\x80\xD0", out, sizeof out), 5);
	assert_string_equal(out, "a????");
	/* an overlong encoding of '/' is one bad character, not '/' */
	escpos_cp866_from_utf8("\xC0\xAF", out, sizeof out);
	assert_string_equal(out, "?");
	/* box drawing and № */
	escpos_cp866_from_utf8("═│№", out, sizeof out);
	assert_memory_equal(out, "\xCD\xB3\xFC", 3);
	/* the output cap is respected at a whole character */
	assert_int_equal(escpos_cp866_from_utf8("₽₽₽", out, 4), 2);
	assert_memory_equal(out, "\xE0.", 3);
	assert_int_equal(escpos_cp866_byte(0x20AC), 0);
}

static void test_buffer_cap(void **state)
{
	(void)state;
	struct escpos_buf b;
	escpos_buf_init(&b, 10);
	assert_int_equal(escpos_text(&b, "12345678"), 0);
	assert_int_equal(escpos_cut(&b, false), ESCPOS_EFULL);
	assert_true(b.overflow);
	/* sticky: a later small append also fails, nothing is added */
	assert_int_equal(escpos_raw(&b, "x", 1), ESCPOS_EFULL);
	assert_int_equal(b.len, 8);
	escpos_buf_free(&b);

	struct receipt_doc d;
	receipt_doc_init(&d);
	for (int i = 0; i < 40; i++)
		assert_int_equal(receipt_doc_text(&d, RDOC_LEFT, 0, "строка квитанции"), 0);
	escpos_buf_init(&b, 256);
	assert_int_equal(escpos_render(&b, &d, NULL), ESCPOS_EFULL);
	escpos_buf_free(&b);
	receipt_doc_free(&d);
}

static void test_qr_and_raster(void **state)
{
	(void)state;
	struct escpos_buf b;
	escpos_buf_init(&b, 0);
	assert_int_equal(escpos_qr(&b, (const uint8_t *)"x", 1, 0, ESCPOS_QR_M), ESCPOS_EINVAL);
	assert_int_equal(escpos_qr(&b, (const uint8_t *)"x", 1, 17, ESCPOS_QR_M), ESCPOS_EINVAL);
	assert_int_equal(escpos_qr(&b, (const uint8_t *)"x", 0, 4, ESCPOS_QR_M), ESCPOS_EINVAL);
	assert_int_equal(b.len, 0);

	/* raster fallback: GS v 0 header with width in bytes and height in dots */
	struct printer_bitmap bm;
	const char *payload = "ST00012|Name=Test";
	int modules = printer_qr_modules((const uint8_t *)payload, strlen(payload));
	assert_int_equal(modules, 25); /* version 2 at level M */
	assert_int_equal(printer_bitmap_qr((const uint8_t *)payload, strlen(payload), 4, &bm), 0);
	int side = (25 + 8) * 4;
	assert_int_equal(bm.w, side);
	assert_int_equal(bm.h, side);
	/* quiet zone white, finder pattern corner black */
	assert_int_equal(printer_bitmap_get(&bm, 0, 0), 0);
	assert_int_equal(printer_bitmap_get(&bm, 16, 16), 1);
	assert_int_equal(printer_bitmap_get(&bm, 16 + 4, 16 + 4), 0);  /* finder's white ring */
	assert_int_equal(escpos_raster(&b, &bm), 0);
	assert_int_equal(b.len, 8 + (size_t)bm.stride * bm.h);
	assert_memory_equal(b.data, ((const uint8_t[]){ 0x1D, 'v', '0', 0, (uint8_t)bm.stride, 0,
						      (uint8_t)(side & 0xFF), (uint8_t)(side >> 8) }), 8);
	printer_bitmap_free(&bm);

	/* a doc with qr_raster set emits GS v 0 and no GS ( k */
	struct receipt_doc d;
	receipt_doc_init(&d);
	receipt_doc_qr(&d, payload);
	struct escpos_opts o;
	escpos_opts_default(&o);
	o.qr_raster = true;
	o.qr_module = 4;
	escpos_buf_free(&b);
	escpos_buf_init(&b, 0);
	assert_int_equal(escpos_render(&b, &d, &o), 0);
	assert_non_null(memmem(b.data, b.len, "\x1dv0", 3));
	assert_null(memmem(b.data, b.len, "\x1d(k", 3));
	escpos_buf_free(&b);
	receipt_doc_free(&d);
}

static void test_dither(void **state)
{
	(void)state;
	uint8_t grey[16 * 4];
	for (int i = 0; i < 64; i++)
		grey[i] = (i % 16) < 8 ? 0 : 255;  /* left half black, right half white */
	struct printer_bitmap bm;
	assert_int_equal(printer_bitmap_dither(grey, 16, 4, &bm), 0);
	assert_int_equal(bm.stride, 2);
	for (int y = 0; y < 4; y++) {
		assert_int_equal(bm.bits[y * 2], 0xFF);
		assert_int_equal(bm.bits[y * 2 + 1], 0x00);
	}
	printer_bitmap_free(&bm);
	/* mid grey dithers to about half the dots */
	memset(grey, 128, sizeof grey);
	assert_int_equal(printer_bitmap_dither(grey, 16, 4, &bm), 0);
	int black = 0;
	for (int y = 0; y < 4; y++)
		for (int x = 0; x < 16; x++)
			black += printer_bitmap_get(&bm, x, y);
	assert_in_range(black, 24, 40);
	printer_bitmap_free(&bm);
	assert_int_equal(printer_bitmap_dither(grey, 0, 4, &bm), PRINTER_IMAGE_EINVAL);
	assert_int_equal(printer_bitmap_load_png("/nonexistent.png", 384, &bm), PRINTER_IMAGE_ELOAD);
}

static void test_doc_caps(void **state)
{
	(void)state;
	struct receipt_doc d;
	receipt_doc_init(&d);
	assert_int_equal(receipt_doc_text(&d, RDOC_LEFT, 0, "a\nb\nc"), 0);
	assert_int_equal(d.n, 3);
	assert_string_equal(d.items[2].text, "c");
	char big[RDOC_MAX_TEXT + 2];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = 0;
	assert_int_equal(receipt_doc_text(&d, RDOC_LEFT, 0, big), RDOC_EFULL);
	assert_int_equal(receipt_doc_qr(&d, ""), RDOC_EINVAL);
	assert_int_equal(receipt_doc_feed(&d, 0), RDOC_EINVAL);
	assert_int_equal(d.n, 3);
	while (d.n < RDOC_MAX_ITEMS)
		assert_int_equal(receipt_doc_separator(&d), 0);
	assert_int_equal(receipt_doc_cut(&d, false), RDOC_EFULL);
	struct receipt_doc c;
	receipt_doc_copy(&c, &d);
	assert_int_equal(c.n, d.n);
	assert_string_equal(c.items[1].text, "b");
	assert_ptr_not_equal(c.items[1].text, d.items[1].text);
	receipt_doc_free(&c);
	receipt_doc_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_demo_receipt_bytes),
		cmocka_unit_test(test_codepage_configurable),
		cmocka_unit_test(test_cp866_round_trip),
		cmocka_unit_test(test_cp866_unknown_and_malformed),
		cmocka_unit_test(test_buffer_cap),
		cmocka_unit_test(test_qr_and_raster),
		cmocka_unit_test(test_dither),
		cmocka_unit_test(test_doc_caps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
