/* The fiscal check QR and the block on the kiosk's printed receipt: the payload field by
 * field, refusals (not made, a malformed time, a short buffer), the block placed
 * before the receipt's closing feed and cut, and the cashier's copy printing them again. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "drivers/printer_file.h"
#include "kiosk/svc/fiscal_qr.h"
#include "kiosk/svc/staff_report.h"

static struct journal_fiscal made(void)
{
	struct journal_fiscal f = { .state = JOURNAL_FISCAL_MADE, .fd0 = 1233, .fd = 1234,
				    .fp = 3141592653u, .shift_no = 7, .number = 12 };
	snprintf(f.fn_serial, sizeof f.fn_serial, "9999078900007903");
	snprintf(f.doc_time, sizeof f.doc_time, "2025-03-14T12:05");
	return f;
}

static void test_qr_string(void **state)
{
	(void)state;
	struct journal_fiscal f = made();
	char buf[160];
	int n = fiscal_qr_string(&f, 123456, buf, sizeof buf);
	assert_string_equal(buf, "t=20250314T1205&s=1234.56&fn=9999078900007903&i=1234&fp=3141592653&n=1");
	assert_int_equal(n, (int)strlen(buf));
	assert_int_equal(fiscal_qr_string(&f, 5, buf, sizeof buf), 67);
	assert_non_null(strstr(buf, "&s=0.05&"));
	assert_int_equal(fiscal_qr_string(&f, 123456, buf, 20), -1);
	f.state = JOURNAL_FISCAL_CLOSING;
	assert_int_equal(fiscal_qr_string(&f, 1, buf, sizeof buf), -1);
	f = made();
	snprintf(f.doc_time, sizeof f.doc_time, "2025-03-14 12:05");
	assert_int_equal(fiscal_qr_string(&f, 1, buf, sizeof buf), -1);
	snprintf(f.doc_time, sizeof f.doc_time, "2025-3-14T12:05");
	assert_int_equal(fiscal_qr_string(&f, 1, buf, sizeof buf), -1);
	f = made();
	assert_int_equal(fiscal_qr_string(&f, -1, buf, sizeof buf), -1);
}

static void test_receipt_block(void **state)
{
	(void)state;
	struct journal_fiscal f = made();
	struct receipt_doc d;
	receipt_doc_init(&d);
	receipt_doc_text(&d, RDOC_LEFT, 0, "ИТОГО 1 234,56");
	receipt_doc_feed(&d, 2);
	receipt_doc_cut(&d, false);
	assert_int_equal(fiscal_qr_receipt(&d, &f, 123456), 0);
	assert_int_equal(d.items[d.n - 1].kind, RDOC_CUT);
	assert_int_equal(d.items[d.n - 1].n, 0);
	assert_int_equal(d.items[d.n - 2].kind, RDOC_FEED);
	assert_int_equal(d.items[d.n - 2].n, 2);
	assert_int_equal(d.items[d.n - 3].kind, RDOC_QR);
	assert_string_equal(d.items[d.n - 3].text,
			    "t=20250314T1205&s=1234.56&fn=9999078900007903&i=1234&fp=3141592653&n=1");
	bool fn = false, fd = false, fp = false, shift = false, when = false;
	for (size_t i = 0; i < d.n; i++) {
		const struct rdoc_item *it = &d.items[i];
		if (it->kind != RDOC_PAIR)
			continue;
		fn |= !strcmp(it->text, "ФН") && !strcmp(it->text2, "9999078900007903");
		fd |= !strcmp(it->text, "ФД") && !strcmp(it->text2, "1234");
		fp |= !strcmp(it->text, "ФП") && !strcmp(it->text2, "3141592653");
		shift |= !strcmp(it->text, "Смена / чек") && !strcmp(it->text2, "7 / 12");
		when |= !strcmp(it->text, "Время") && !strcmp(it->text2, "14.03.2025 12:05");
	}
	assert_true(fn && fd && fp && shift && when);
	receipt_doc_free(&d);
	/* a document without the closing tail just gains the block at its end */
	receipt_doc_init(&d);
	assert_int_equal(fiscal_qr_receipt(&d, &f, 1), 0);
	assert_int_equal(d.items[d.n - 1].kind, RDOC_QR);
	size_t n = d.n;
	f.state = JOURNAL_FISCAL_CLOSING;
	assert_int_equal(fiscal_qr_receipt(&d, &f, 1), -1);
	assert_int_equal(d.n, n);
	receipt_doc_free(&d);
}

/* The cashier's copy, made from the stored text of the printed receipt: the fiscal block's
 * attributes as text and the check QR as a QR code again, as on the original; the
 * original's cut mark is not copied. */
static void test_reprint_copy(void **state)
{
	(void)state;
	struct journal_fiscal f = made();
	struct receipt_doc d, copy;
	receipt_doc_init(&d);
	receipt_doc_text(&d, RDOC_LEFT, 0, "ИТОГО 1 234,56");
	receipt_doc_feed(&d, 2);
	receipt_doc_cut(&d, false);
	assert_int_equal(fiscal_qr_receipt(&d, &f, 123456), 0);
	char *text = printer_file_text(&d, 80); /* what the journal keeps for reprints */
	receipt_doc_free(&d);
	receipt_doc_init(&copy);
	assert_int_equal(staff_report_copy(&copy, text, 1), 0);
	free(text);
	int qrs = 0, cuts = 0;
	bool fd = false, fp = false;
	for (size_t i = 0; i < copy.n; i++) {
		const struct rdoc_item *it = &copy.items[i];
		if (it->kind == RDOC_QR) {
			qrs++;
			assert_string_equal(it->text, "t=20250314T1205&s=1234.56&fn=9999078900007903&i=1234&fp=3141592653&n=1");
		}
		cuts += it->kind == RDOC_CUT;
		if (it->kind == RDOC_TEXT) {
			assert_null(strstr(it->text, "[QR]"));
			assert_null(strstr(it->text, "cut"));
			fd |= strncmp(it->text, "ФД ", 5) == 0 && strstr(it->text, " 1234") != NULL;
			fp |= strncmp(it->text, "ФП ", 5) == 0 && strstr(it->text, " 3141592653") != NULL;
		}
	}
	assert_int_equal(qrs, 1);
	assert_int_equal(cuts, 1); /* the copy's own */
	assert_true(fd && fp);
	assert_string_equal(copy.items[0].text, "КОПИЯ ЧЕКА (1)");
	receipt_doc_free(&copy);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qr_string),
		cmocka_unit_test(test_receipt_block),
		cmocka_unit_test(test_reprint_copy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
