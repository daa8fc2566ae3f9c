/* The fiscal receipt's command sequence, tag by tag, and the [fiscal] configuration it is
 * built from: the order (8Dh, FF46 + FF4D per line, FF0C, FF45), every item's fields and
 * tags (1222, 1226 padded to 12, 1224 {1225, 1171}, 1223 for a payment agent and for a bank
 * agent), 1057 and 1008, the card amount equal to the journal total, and the refusals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "kiosk/conf/config.h"
#include "kiosk/conf/fiscal_conf.h"
#include "drivers/fiscal_receipt.h"

static size_t unhex(const char *s, uint8_t *out)
{
	size_t n = 0;
	unsigned v;
	int k;
	while (sscanf(s, " %2x%n", &v, &k) == 1) {
		out[n++] = (uint8_t)v;
		s += k;
	}
	return n;
}

static void set(struct config *c, const char *k, const char *v)
{
	char err[256];
	if (config_set(c, k, v, err, sizeof err) != 0)
		fail_msg("%s = %s: %s", k, v, err);
}

static void base_config(struct config *c)
{
	config_defaults(c);
	set(c, "fiscal.device", "shtrih");
	set(c, "fiscal.tax_system", "usn_income");
	set(c, "fiscal.operator_phone", "+74957654321");
	set(c, "fiscal.supplier_phones", "5012345672=+74951234567;7712345671=+74950000001");
}

static void conf(const struct config *c, struct fiscal_conf *fc)
{
	const char *key = NULL;
	char msg[256];
	if (fiscal_conf_from_config(c, fc, &key, msg, sizeof msg) != 0)
		fail_msg("%s: %s", key, msg);
}

static void payment(struct journal_payment *p)
{
	memset(p, 0, sizeof *p);
	p->nlines = 2;
	snprintf(p->lines[0].pers_acc, sizeof p->lines[0].pers_acc, "1234567890");
	snprintf(p->lines[0].period, sizeof p->lines[0].period, "2025-03");
	p->lines[0].amount = 123456;
	snprintf(p->lines[0].payee_inn, sizeof p->lines[0].payee_inn, "5012345672");
	snprintf(p->lines[0].payee_name, sizeof p->lines[0].payee_name, "ООО Ромашка");
	snprintf(p->lines[1].pers_acc, sizeof p->lines[1].pers_acc, "555");
	p->lines[1].amount = 1;
	snprintf(p->lines[1].payee_inn, sizeof p->lines[1].payee_inn, "7712345671");
	snprintf(p->lines[1].payee_name, sizeof p->lines[1].payee_name, "ГУП Водоканал");
	p->total = 123457;
}

static void check_data(const struct shtrih_req *r, uint16_t cmd, const char *hex)
{
	uint8_t want[SHTRIH_BODY_MAX];
	size_t n = unhex(hex, want);
	assert_int_equal(r->cmd, cmd);
	assert_int_equal(r->len, n);
	assert_memory_equal(r->data, want, n);
}

static void test_sequence_payment_agent(void **state)
{
	(void)state;
	struct config c;
	struct fiscal_conf fc;
	struct journal_payment p;
	struct shtrih_req q[FISCAL_RECEIPT_MAX_CMDS];
	base_config(&c);
	conf(&c, &fc);
	payment(&p);
	int n = fiscal_receipt_build(&fc, &p, "+79161234567", q, FISCAL_RECEIPT_MAX_CMDS);
	assert_int_equal(n, 1 + 2 * 5 + 2 + 1);
	check_data(&q[0], 0x8D, "1E 00 00 00 00");
	/* FF46: sale, qty 1.000000, price = amount, tax_amount not given, без НДС, dept 1, 1214=4,
	 * 1212=4, «Оплата ЖКУ ЛС 1234567890 03.2025» in WIN1251 */
	check_data(&q[1], 0xFF46, "1E 00 00 00 01 40 42 0F 00 00 00 40 E2 01 00 00 40 E2 01 00 00"
		   " FF FF FF FF FF 08 01 04 04 CE EF EB E0 F2 E0 20 C6 CA D3 20 CB D1 20 31 32 33 34"
		   " 35 36 37 38 39 30 20 30 33 2E 32 30 32 35");
	check_data(&q[2], 0xFF4D, "1E 00 00 00 C6 04 01 00 04");                 /* 1222 */
	check_data(&q[3], 0xFF4D, "1E 00 00 00 CA 04 0C 00 35 30 31 32 33 34 35 36 37 32 20 20");
	check_data(&q[4], 0xFF4D, "1E 00 00 00 C8 04 1F 00 C9 04 0B 00 8E 8E 8E 20 90 AE AC A0 E8"
		   " AA A0 93 04 0C 00 2B 37 34 39 35 31 32 33 34 35 36 37");         /* 1224 */
	/* 1223 {1073 +78005550769, 1074 +74957654321} */
	check_data(&q[5], 0xFF4D, "1E 00 00 00 C7 04 20 00 31 04 0C 00 2B 37 38 30 30 35 35 35 30"
		   " 37 36 39 32 04 0C 00 2B 37 34 39 35 37 36 35 34 33 32 31");
	/* second line: no period, 1 kopeck */
	check_data(&q[6], 0xFF46, "1E 00 00 00 01 40 42 0F 00 00 00 01 00 00 00 00 01 00 00 00 00"
		   " FF FF FF FF FF 08 01 04 04 CE EF EB E0 F2 E0 20 C6 CA D3 20 CB D1 20 35 35 35");
	check_data(&q[8], 0xFF4D, "1E 00 00 00 CA 04 0C 00 37 37 31 32 33 34 35 36 37 31 20 20");
	check_data(&q[11], 0xFF0C, "1E 00 00 00 21 04 01 00 04");                /* 1057 */
	check_data(&q[12], 0xFF0C, "1E 00 00 00 F0 03 0C 00 2B 37 39 31 36 31 32 33 34 35 36 37");
	/* FF45: the total in payment #2, УСН доход */
	const struct shtrih_req *cl = &q[13];
	assert_int_equal(cl->cmd, 0xFF45);
	assert_int_equal(cl->len, 116);
	assert_int_equal(shtrih_get_le(cl->data + 4, 5), 0);
	assert_int_equal(shtrih_get_le(cl->data + 9, 5), 123457);
	for (int i = 2; i < 16; i++)
		assert_int_equal(shtrih_get_le(cl->data + 4 + 5 * i, 5), 0);
	assert_int_equal(cl->data[4 + 80 + 1 + 30], 0x02);
}

static void test_options(void **state)
{
	(void)state;
	struct config c;
	struct fiscal_conf fc;
	struct journal_payment p;
	struct shtrih_req q[FISCAL_RECEIPT_MAX_CMDS];
	base_config(&c);
	set(&c, "fiscal.item_tags", "before");
	set(&c, "fiscal.tag_1057", "false");
	set(&c, "fiscal.vat", "20");
	set(&c, "fiscal.payment_method", "7");
	set(&c, "fiscal.payment_object", "10");
	set(&c, "fiscal.tax_system", "osn");
	set(&c, "fiscal.password", "1");
	conf(&c, &fc);
	payment(&p);
	p.nlines = 1;
	p.total = 123456;
	int n = fiscal_receipt_build(&fc, &p, NULL, q, FISCAL_RECEIPT_MAX_CMDS);
	assert_int_equal(n, 1 + 5 + 1);
	check_data(&q[0], 0x8D, "01 00 00 00 00");
	assert_int_equal(q[1].cmd, 0xFF4D); /* tags first */
	assert_int_equal(q[4].cmd, 0xFF4D);
	assert_int_equal(q[5].cmd, 0xFF46);
	assert_int_equal(q[5].data[26], 0x01); /* VAT 20% bit */
	assert_int_equal(q[5].data[28], 7);    /* 1214 */
	assert_int_equal(q[5].data[29], 10);   /* 1212 */
	assert_int_equal(q[6].cmd, 0xFF45);
	assert_int_equal(q[6].data[4 + 80 + 1 + 30], 0x01);
	/* an e-mail for 1008 */
	set(&c, "fiscal.tag_1057", "true");
	conf(&c, &fc);
	n = fiscal_receipt_build(&fc, &p, "resident@example.ru", q, FISCAL_RECEIPT_MAX_CMDS);
	assert_int_equal(n, 9);
	check_data(&q[7], 0xFF0C, "01 00 00 00 F0 03 13 00 72 65 73 69 64 65 6E 74 40 65 78 61 6D"
		   " 70 6C 65 2E 72 75");
}

static void test_bank_agent(void **state)
{
	(void)state;
	struct config c;
	struct fiscal_conf fc;
	struct journal_payment p;
	struct shtrih_req q[FISCAL_RECEIPT_MAX_CMDS];
	base_config(&c);
	set(&c, "fiscal.agent_type", "bpa");
	set(&c, "fiscal.bank_operator", "Банк;Москва;7712345671;+74951112233;Перевод");
	conf(&c, &fc);
	assert_int_equal(fc.agent, 0x01);
	payment(&p);
	p.nlines = 1;
	p.total = 123456;
	int n = fiscal_receipt_build(&fc, &p, "", q, FISCAL_RECEIPT_MAX_CMDS);
	assert_int_equal(n, 8);
	check_data(&q[2], 0xFF4D, "1E 00 00 00 C6 04 01 00 01");
	/* 1223 {1026 Банк, 1005 Москва, 1016 INN padded, 1044 Перевод, 1073, 1075} in CP866 */
	check_data(&q[5], 0xFF4D, "1E 00 00 00 C7 04 4D 00"
		   " 02 04 04 00 81 A0 AD AA"
		   " ED 03 06 00 8C AE E1 AA A2 A0"
		   " F8 03 0C 00 37 37 31 32 33 34 35 36 37 31 20 20"
		   " 14 04 07 00 8F A5 E0 A5 A2 AE A4"
		   " 31 04 0C 00 2B 37 38 30 30 35 35 35 30 37 36 39"
		   " 33 04 0C 00 2B 37 34 39 35 31 31 31 32 32 33 33");
	check_data(&q[6], 0xFF0C, "1E 00 00 00 21 04 01 00 01");
}

static void test_refusals(void **state)
{
	(void)state;
	struct config c;
	struct fiscal_conf fc;
	struct journal_payment p;
	struct shtrih_req q[FISCAL_RECEIPT_MAX_CMDS];
	base_config(&c);
	conf(&c, &fc);
	payment(&p);
	p.total = 123456; /* not the lines' sum */
	assert_int_equal(fiscal_receipt_build(&fc, &p, NULL, q, 20), FISCAL_RECEIPT_EINVAL);
	payment(&p);
	p.lines[1].amount = 0;
	p.total = 123456;
	assert_int_equal(fiscal_receipt_build(&fc, &p, NULL, q, 20), FISCAL_RECEIPT_EINVAL);
	payment(&p);
	p.nlines = 0;
	assert_int_equal(fiscal_receipt_build(&fc, &p, NULL, q, 20), FISCAL_RECEIPT_EINVAL);
	payment(&p);
	snprintf(p.lines[1].payee_inn, sizeof p.lines[1].payee_inn, "5037008735");
	assert_int_equal(fiscal_receipt_build(&fc, &p, NULL, q, 20), FISCAL_RECEIPT_ESUPPLIER);
	payment(&p);
	assert_int_equal(fiscal_receipt_build(&fc, &p, "not a contact", q, 20), FISCAL_RECEIPT_ECONTACT);
	assert_int_equal(fiscal_receipt_build(&fc, &p, "+7 916", q, 20), FISCAL_RECEIPT_ECONTACT);
	assert_int_equal(fiscal_receipt_build(&fc, &p, NULL, q, 5), FISCAL_RECEIPT_ECAP);
	assert_int_equal(fiscal_receipt_build(&fc, &p, NULL, q, 12), FISCAL_RECEIPT_ECAP);
	assert_int_equal(fiscal_receipt_build(&fc, &p, NULL, q, 13), 13); /* no 1008 */
}

static void test_long_supplier_name_fits(void **state)
{
	(void)state;
	struct config c;
	struct fiscal_conf fc;
	struct journal_payment p;
	struct shtrih_req q[FISCAL_RECEIPT_MAX_CMDS];
	base_config(&c);
	conf(&c, &fc);
	payment(&p);
	memset(p.lines[0].payee_name, 'A', 160);
	p.lines[0].payee_name[160] = '\0';
	assert_int_equal(fiscal_receipt_build(&fc, &p, NULL, q, FISCAL_RECEIPT_MAX_CMDS), 13);
	assert_int_equal(q[4].data[4], 0xC8);
	assert_int_equal(shtrih_get_le(q[4].data + 6, 2), 4 + 160 + 4 + 12);
}

static void check_conf_error(struct config *c, const char *want_key, const char *want_text)
{
	struct fiscal_conf fc;
	const char *key = NULL;
	char msg[256];
	assert_int_equal(fiscal_conf_from_config(c, &fc, &key, msg, sizeof msg), -1);
	assert_string_equal(key, want_key);
	if (!strstr(msg, want_text))
		fail_msg("'%s' lacks '%s'", msg, want_text);
}

static void test_conf_validation(void **state)
{
	(void)state;
	struct config c;
	struct fiscal_conf fc;
	const char *key;
	char msg[256];
	config_defaults(&c);
	assert_int_equal(fiscal_conf_from_config(&c, &fc, &key, msg, sizeof msg), 0);
	assert_false(fc.enabled);
	/* the register needs a tax system */
	set(&c, "fiscal.device", "shtrih");
	check_conf_error(&c, "fiscal.device", "must be one of");
	set(&c, "fiscal.tax_system", "usn");
	check_conf_error(&c, "fiscal.tax_system", "is not");
	base_config(&c);
	set(&c, "fiscal.operator_phone", "");
	check_conf_error(&c, "fiscal.device", "needs fiscal.operator_phone");
	base_config(&c);
	set(&c, "fiscal.agent_phone", "8-800-555-07-69");
	check_conf_error(&c, "fiscal.agent_phone", "+digits");
	/* +digits: a '+' and 1 to 18 digits (tag 1073 holds 19 characters). */
	assert_true(fiscal_phone_ok("+7"));
	assert_true(fiscal_phone_ok("+123456789012345678"));
	assert_false(fiscal_phone_ok("+1234567890123456789"));
	assert_false(fiscal_phone_ok("+"));
	assert_false(fiscal_phone_ok("79001234567"));
	assert_false(fiscal_phone_ok("+7 900"));
	base_config(&c);
	set(&c, "fiscal.supplier_phones", "5012345673=+74951234567");
	check_conf_error(&c, "fiscal.supplier_phones", "valid INN");
	set(&c, "fiscal.supplier_phones", "5012345672=+74951234567;5012345672=+7495");
	check_conf_error(&c, "fiscal.supplier_phones", "given twice");
	set(&c, "fiscal.supplier_phones", "5012345672");
	check_conf_error(&c, "fiscal.supplier_phones", "INN=+phone");
	set(&c, "fiscal.supplier_phones", "5012345672=+74951234567");
	set(&c, "payee.allow", "5037008735/40702810640000012345/044525225");
	check_conf_error(&c, "fiscal.supplier_phones", "no phone (1171) for payee 5037008735");
	base_config(&c);
	set(&c, "fiscal.agent_type", "bpa_sub");
	check_conf_error(&c, "fiscal.agent_type", "needs fiscal.bank_operator");
	set(&c, "fiscal.bank_operator", "Банк;Москва;7712345671;+74951112233");
	check_conf_error(&c, "fiscal.bank_operator", "expected name;address;INN;phone;operation");
	set(&c, "fiscal.bank_operator", "Банк;Москва;7712345670;+74951112233;Перевод");
	check_conf_error(&c, "fiscal.bank_operator", "INN");
	base_config(&c);
	set(&c, "fiscal.unsent_alarm_days", "26");
	check_conf_error(&c, "fiscal.unsent_alarm_days", "after fiscal.unsent_stop_days");
	base_config(&c);
	set(&c, "fiscal.unsent_stop_days", "2");
	check_conf_error(&c, "fiscal.unsent_stop_days", "after fiscal.unsent_stop_days");
	base_config(&c);
	set(&c, "fiscal.supplier_phones", "");
	set(&c, "payee.allow", "5012345672/40702810640000012345/044525225");
	check_conf_error(&c, "fiscal.device", "no phone (1171) for payee 5012345672");
	/* the same rules through the file, with the line of the key */
	char err[256];
	const char *text = "[fiscal]\ndevice = shtrih\ntax_system = osn\nagent_phone = 123\n";
	config_defaults(&c);
	assert_int_equal(config_parse_text(text, strlen(text), "k.conf", &c, err, sizeof err), -1);
	assert_string_equal(err, "k.conf:4: fiscal.agent_phone '123' is not +digits (1073)");
	text = "# a register without a tax system\n[fiscal]\ndevice = shtrih\n";
	config_defaults(&c);
	assert_int_equal(config_parse_text(text, strlen(text), "k.conf", &c, err, sizeof err), -1);
	assert_non_null(strstr(err, "k.conf:3: fiscal.tax_system '' must be one of"));
	text = "[fiscal]\nunsent_stop_days = 2\n";
	config_defaults(&c);
	assert_int_equal(config_parse_text(text, strlen(text), "k.conf", &c, err, sizeof err), -1);
	assert_string_equal(err, "k.conf:2: fiscal.unsent_alarm_days (3) is after fiscal.unsent_stop_days (2)");
	text = "[fiscal]\ntax_system = osn\nvat = 18\n";
	assert_int_equal(config_parse_text(text, strlen(text), "k.conf", &c, err, sizeof err), -1);
	assert_non_null(strstr(err, "k.conf:3:"));
}

static void test_win1251(void **state)
{
	(void)state;
	uint8_t out[16];
	size_t n = fiscal_win1251("ЁёАяж№«»x\xff", out, sizeof out);
	const uint8_t want[] = { 0xA8, 0xB8, 0xC0, 0xFF, 0xE6, 0xB9, 0xAB, 0xBB, 'x', '?' };
	assert_int_equal(n, sizeof want);
	assert_memory_equal(out, want, n);
	assert_int_equal(fiscal_win1251("ЖЖЖ", out, 2), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sequence_payment_agent),
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_bank_agent),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_long_supplier_name_fits),
		cmocka_unit_test(test_conf_validation),
		cmocka_unit_test(test_win1251),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
