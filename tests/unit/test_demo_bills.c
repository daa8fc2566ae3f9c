/* kiosk/bill/demo_bills: the demo's bill file, strictly: good files, comments and CRLF, every
 * malformed line named, the limit, and nothing filled on failure. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "kiosk/bill/demo_bills.h"
#include "kiosk/base/money.h"

#define BILL(acc, sum)                                                                                            \
	"ST00012|Name=ООО «МосОблЕИРЦ»|PersonalAcc=40702810640000012345|BankName=ПАО Сбербанк|BIC=044525225|"      \
	"CorrespAcc=30101810400000000225|PayeeINN=5037008735|KPP=503701001|persAcc=" acc "|paymPeriod=102026|Sum=" \
	sum "|TechCode=02"

static struct demo_bills b;
static char err[256];

static void test_good_file(void **st)
{
	(void)st;
	const char *text = "# demo\n\n" BILL("50012345", "452316") "\r\n  \n# next\n" BILL("50098765", "121000");
	assert_int_equal(demo_bills_parse(text, &b, err, sizeof err), 0);
	assert_int_equal(b.n, 2);
	assert_string_equal(b.bill[0].payload, BILL("50012345", "452316"));
	char want[64], sum[MONEY_FMT_MAX];
	snprintf(want, sizeof want, "50012-345 · %s", money_format(452316, true, sum, sizeof sum));
	assert_string_equal(b.bill[0].label, want);
	snprintf(want, sizeof want, "50098-765 · %s", money_format(121000, true, sum, sizeof sum));
	assert_string_equal(b.bill[1].label, want);
}

static void fails(const char *text, const char *want)
{
	memset(&b, 0x5a, sizeof b);
	struct demo_bills before = b;
	assert_int_equal(demo_bills_parse(text, &b, err, sizeof err), -1);
	if (!strstr(err, want))
		fail_msg("'%s' does not say '%s'", err, want);
	assert_memory_equal(&b, &before, sizeof b); /* untouched */
}

static void test_malformed(void **st)
{
	(void)st;
	fails("", "no bills");
	fails("# only a comment\n", "no bills");
	fails(BILL("50012345", "452316") "\nhttps://eirc.example/survey?q=1\n", "line 2: ");
	fails("ST00012|Name=x\n", "line 1: ");
	fails(BILL("50012345", "45x316"), "line 1: ");
	char big[2000];
	memset(big, 'A', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	memcpy(big, "ST00012|", 8);
	fails(big, "too long");
	char five[5 * 700] = "";
	for (int i = 0; i < 5; i++)
		strcat(five, BILL("50012345", "452316") "\n");
	fails(five, "line 5: more than 4 bills");
}

static void test_load(void **st)
{
	(void)st;
	assert_int_equal(demo_bills_load("assets/demo/bills.txt", &b, err, sizeof err), 0);
	assert_int_equal(b.n, 2);
	assert_int_equal(demo_bills_load("/nonexistent/bills.txt", &b, err, sizeof err), -1);
	assert_non_null(strstr(err, "/nonexistent/bills.txt"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_file),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_load),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
