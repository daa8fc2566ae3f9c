/* The fiscal register as the receipt printer: the text it gets (no logo, no QR, no cut of
 * the document's own, plain widths, lines wrapped at the register's width) and the device's
 * answers (a paper refusal counts as sent and the state says paper out). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/printer_kkt.h"

static size_t utf8_len(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

static void test_text(void **st)
{
	(void)st;
	struct receipt_doc d;
	receipt_doc_init(&d);
	receipt_doc_logo(&d);
	receipt_doc_text(&d, RDOC_CENTER, RDOC_BOLD, "ОПЛАТА ЖКУ");
	receipt_doc_pair(&d, RDOC_BOLD | RDOC_BIG, "ИТОГО", "4 523,16");
	receipt_doc_pair(&d, 0, "Карта", "220220******1234");
	receipt_doc_text(&d, RDOC_LEFT, 0, "Получатель: ООО «Очень длинное название управляющей организации»");
	receipt_doc_qr(&d, "t=20261120T1000&s=4523.16");
	receipt_doc_separator(&d);
	receipt_doc_cut(&d, false);
	char *t = printer_kkt_text(&d, 32);
	receipt_doc_free(&d);
	assert_null(strstr(t, "[QR]"));
	assert_null(strstr(t, "[logo]"));
	assert_null(strstr(t, "cut"));
	assert_non_null(strstr(t, "ИТОГО                   4 523,16\n")); /* BIG is not half width here */
	assert_non_null(strstr(t, "Карта           220220******1234\n"));
	assert_non_null(strstr(t, "\n--------------------------------")); /* the separator is the last */
	assert_int_equal(t[strlen(t) - 1], '-');
	int lines = 0;
	for (const char *p = t; *p;) {
		size_t n = strcspn(p, "\n");
		assert_true(utf8_len(p, n) <= 32);
		lines++;
		p += n + (p[n] == '\n');
	}
	assert_int_equal(lines, 6); /* the 64-character line wrapped in two */
	assert_non_null(strstr(t, "Получатель: ООО «Очень длинное н\nазвание"));
	free(t);
}

static int paper = 1, print_rc, printed;
static char last[512];

static int fake_print(void *ctx, const char *text)
{
	(void)ctx;
	printed++;
	snprintf(last, sizeof last, "%s", text);
	return print_rc;
}

static int fake_paper(void *ctx)
{
	(void)ctx;
	return paper;
}

static void test_device(void **st)
{
	(void)st;
	struct printer_kkt_cfg c = { .cols = 40, .print = fake_print, .paper = fake_paper };
	struct printer_dev *dev = printer_kkt_new(&c);
	struct receipt_doc d;
	enum printer_state s;
	receipt_doc_init(&d);
	receipt_doc_text(&d, RDOC_CENTER, 0, "Номер операции");
	assert_int_equal(printer_dev_print(dev, &d, "t"), PRINTER_EOK);
	assert_string_equal(last, "             Номер операции");
	assert_int_equal(printer_dev_status(dev, &s), PRINTER_EOK);
	assert_int_equal(s, PRINTER_OK);
	/* refused for want of paper: sent, and the state says so */
	print_rc = PRINTER_EIO;
	paper = 0;
	assert_int_equal(printer_dev_print(dev, &d, "t"), PRINTER_EOK);
	assert_int_equal(printer_dev_status(dev, &s), PRINTER_EOK);
	assert_int_equal(s, PRINTER_PAPER_OUT);
	/* refused with paper there, or no link: a failure */
	paper = 1;
	assert_int_equal(printer_dev_print(dev, &d, "t"), PRINTER_EIO);
	print_rc = PRINTER_EOFFLINE;
	paper = -1;
	assert_int_equal(printer_dev_print(dev, &d, "t"), PRINTER_EOFFLINE);
	assert_int_equal(printer_dev_status(dev, &s), PRINTER_EOFFLINE);
	assert_int_equal(printed, 4);
	receipt_doc_free(&d);
	printer_dev_destroy(dev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_device),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
