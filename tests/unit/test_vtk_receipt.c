/* The terminal's receipt as the bank slip: card fields picked out where the receipt carries
 * them, nothing where it does not, and a full card number never kept. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "drivers/vtk_receipt.h"
#include "tests/unit/vtk_examples.h"

static void test_example_receipt(void **state)
{
	(void)state;
	char out[512];
	struct journal_card c;
	memset(&c, 0, sizeof c);
	vtk_receipt_sanitize(VTK_E4_RECEIPT, strlen(VTK_E4_RECEIPT), out, sizeof out);
	assert_string_equal(out, VTK_E4_RECEIPT); /* nothing to mask: RRN has 12 digits */
	vtk_receipt_parse(out, &c);
	assert_string_equal(c.rrn, "123456789012");
	assert_string_equal(c.auth_code, "A1B2C3");
	assert_string_equal(c.masked_pan, "************1234");
	assert_string_equal(c.scheme, "MIR");
	assert_string_equal(c.tid, "00000001");
	assert_string_equal(c.host_rc, "000");
	assert_string_equal(c.mid, "");
}

static void test_full_pan_masked(void **state)
{
	(void)state;
	const char *r = "PAN:2200123456781234\r\nCARD NO 2200 1234 5678 9012\nRRN:123456789012\n"
			"TOTAL:100.00";
	char out[256];
	struct journal_card c;
	memset(&c, 0, sizeof c);
	vtk_receipt_sanitize(r, strlen(r), out, sizeof out);
	assert_string_equal(out, "PAN:************1234\nCARD NO **** **** **** 9012\n"
				 "RRN:123456789012\nTOTAL:100.00");
	assert_null(strstr(out, "22001234"));
	/* digits that only CRs separated are one number once the CRs are gone */
	const char *crs = "PAN:220012345678\r\r\r9012\n";
	vtk_receipt_sanitize(crs, strlen(crs), out, sizeof out);
	assert_string_equal(out, "PAN:************9012\n");
	/* parsing the raw text also re-masks: first 6 and last 4 at most */
	vtk_receipt_parse(r, &c);
	assert_string_equal(c.masked_pan, "220012******1234");
	assert_string_equal(c.rrn, "123456789012");
}

static void test_missing_and_odd_layouts(void **state)
{
	(void)state;
	struct journal_card c;
	memset(&c, 0, sizeof c);
	strcpy(c.rrn, "keep");
	vtk_receipt_parse("", &c);
	vtk_receipt_parse("no colon here\n\n:\nRRN:\nAUTH ID:   \n", &c);
	assert_string_equal(c.rrn, "keep");
	assert_string_equal(c.auth_code, "");
	/* spaces around, lower case keys, a key too long for its field is cut */
	vtk_receipt_parse("  auth id : 77AB12\nrrn: 000011112222\nAUTH CODE:ZZZ\n"
			  "TERMINAL:123456789012345678901234", &c);
	assert_string_equal(c.auth_code, "ZZZ");
	assert_string_equal(c.rrn, "000011112222");
	assert_int_equal(strlen(c.tid), sizeof c.tid - 1);
	/* a truncated output buffer still ends in NUL and masks what it keeps */
	char small[10];
	vtk_receipt_sanitize("PAN:2200123456781234", 20, small, sizeof small);
	assert_string_equal(small, "PAN:*****");
	char one[1];
	vtk_receipt_sanitize("abc", 3, one, 1);
	assert_string_equal(one, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example_receipt),
		cmocka_unit_test(test_full_pan_masked),
		cmocka_unit_test(test_missing_and_odd_layouts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
