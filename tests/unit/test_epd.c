/* Bill QR decoder: docs/epd.md, Decoding rules 1-12 in order (the header, the three
 * character sets with real Cyrillic, mojibake, the fields), the masked debug log and the
 * JSON of `kiosk-tool epd decode`.  Rules 13-24, the error codes and the allow-list:
 * test_epd_values.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kiosk/bill/epd.h"
#include "kiosk/bill/epd_internal.h"
#include "kiosk/base/log.h"
#include "tests/unit/test_epd.h"

/* ---------------------------------------------------------------- the demo bill */

static void test_demo_bill(void **state)
{
	(void)state;
	assert_int_equal(dec(DEMO), 0);
	assert_string_equal(epd_field(&bill, "Name"), "ООО «МосОблЕИРЦ»");
	assert_string_equal(epd_field(&bill, "PersonalAcc"), "40702810640000012345");
	assert_string_equal(epd_field(&bill, "BankName"), "ПАО Сбербанк");
	assert_string_equal(epd_field(&bill, "BIC"), "044525225");
	assert_string_equal(epd_field(&bill, "CorrespAcc"), "30101810400000000225");
	assert_string_equal(epd_field(&bill, "PayeeINN"), "5037008735");
	assert_string_equal(epd_field(&bill, "KPP"), "503701001");
	assert_string_equal(epd_field(&bill, "PersAcc"), "50012345");
	assert_string_equal(epd_field(&bill, "persacc"), "50012345");
	assert_string_equal(epd_field(&bill, "PaymPeriod"), "102026");
	assert_string_equal(epd_field(&bill, "TechCode"), "02");
	assert_string_equal(epd_field(&bill, "Sum"), "452316");
	assert_null(epd_field(&bill, "Purpose"));
	assert_null(epd_field(&bill, "NoSuchKey"));
	assert_true(bill.has_sum);
	assert_int_equal(bill.sum, 452316);
	assert_string_equal(bill.period, "2026-10");
	assert_string_equal(epd_pers_acc_digits(&bill), "50012345");
	assert_string_equal(bill.enc, "utf-8");
	assert_int_equal(bill.separator, '|');
	assert_int_equal(bill.nwarnings, 0);
	assert_int_equal(bill.nunknown, 0);
}

static void test_bill_survives_copy(void **state)
{
	(void)state;
	assert_int_equal(dec(DEMO), 0);
	struct epd_bill *copy = malloc(sizeof *copy);
	assert_non_null(copy);
	memcpy(copy, &bill, sizeof bill);
	memset(&bill, 0x55, sizeof bill);
	assert_string_equal(epd_field(copy, "BankName"), "ПАО Сбербанк");
	assert_string_equal(epd_pers_acc_digits(copy), "50012345");
	free(copy);
}

static void test_untouched_on_failure(void **state)
{
	(void)state;
	static struct epd_bill before;
	memset(&bill, 0xAB, sizeof bill);
	memcpy(&before, &bill, sizeof bill);
	assert_int_equal(with("Sum=5234.16"), EPD_EBAD_SUM);
	assert_memory_equal(&bill, &before, sizeof bill);
	assert_int_equal(mand_with("BIC", "1"), EPD_EBAD_BIC);
	assert_memory_equal(&bill, &before, sizeof bill);
}

/* ---------------------------------------------------------------- rules 1-7: header */

static void test_empty_and_truncated(void **state)
{
	(void)state;
	assert_int_equal(decn("", 0), EPD_EEMPTY_PAYLOAD);
	assert_int_equal(dec("\r\n"), EPD_ETRUNCATED_HEADER);
	assert_int_equal(decn("\0\0\0\0\0\0\0\0\0", 9), EPD_ETRUNCATED_HEADER);
	assert_int_equal(dec("ST0001"), EPD_ETRUNCATED_HEADER);
	assert_int_equal(dec("ST00012"), EPD_ETRUNCATED_HEADER);
	/* The strip happens before counting: 7 bytes and a newline are still too short. */
	assert_int_equal(dec("ST00012\n"), EPD_ETRUNCATED_HEADER);
	/* 8 bytes: a header with no fields passes the header rules. */
	assert_int_equal(dec("ST00012|"), EPD_EMISSING_MANDATORY);
}

static void test_trailing_cr_lf_nul_stripped(void **state)
{
	(void)state;
	char p[1024];
	size_t n = (size_t)snprintf(p, sizeof p, "%s|\r\n", DEMO);
	p[n++] = '\0';
	p[n++] = '\0';
	assert_int_equal(decn(p, n), 0);
	assert_string_equal(epd_field(&bill, "TechCode"), "02");
}

static void test_bad_format_id(void **state)
{
	(void)state;
	static const uint8_t png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13,
				       'I', 'H', 'D', 'R', 0, 0, 1, 0, 0, 0, 1, 0, 8, 2 };
	assert_int_equal(decn(png, sizeof png), EPD_EBAD_FORMAT_ID);
	assert_int_equal(dec("]Q1" DEMO), EPD_EBAD_FORMAT_ID);
	assert_int_equal(dec("st00012|Name=x"), EPD_EBAD_FORMAT_ID);
	assert_int_equal(dec(" " DEMO), EPD_EBAD_FORMAT_ID);
	assert_int_equal(dec("\xEF\xBB\xBF" DEMO), EPD_EBAD_FORMAT_ID);
	assert_int_equal(dec("https://www.gosuslugi.ru/survey?id=1"), EPD_EBAD_FORMAT_ID);
	assert_string_equal(epd_error_code(EPD_EBAD_FORMAT_ID), "bad_format_id");
	assert_string_equal(epd_error_message(EPD_EBAD_FORMAT_ID, "ru"), "Это не платёжный QR-код");
}

static void test_unsupported_version(void **state)
{
	(void)state;
	assert_int_equal(dec("ST00022|Name=x"), EPD_EUNSUPPORTED_VERSION);
	assert_int_equal(dec("ST1001" "2|Name=x"), EPD_EUNSUPPORTED_VERSION);
	assert_int_equal(dec("STxxxx2|Name=x"), EPD_EUNSUPPORTED_VERSION);
}

static void test_bad_encoding_flag(void **state)
{
	(void)state;
	assert_int_equal(dec("ST00010|Name=x"), EPD_EBAD_ENCODING_FLAG);
	assert_int_equal(dec("ST00014|Name=x"), EPD_EBAD_ENCODING_FLAG);
	assert_int_equal(dec("ST0001||Name=x"), EPD_EBAD_ENCODING_FLAG);
}

static void test_bad_separator(void **state)
{
	(void)state;
	static const char *const bad[] = { "ST00012a", "ST00012Z", "ST000127", "ST00012=",
					   "ST00012 ", "ST00012\x7f", "ST00012\t", "ST00012\xa6" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(pbuf, sizeof pbuf, "%s%s", bad[i], "Name=x");
		assert_int_equal(dec(pbuf), EPD_EBAD_SEPARATOR);
	}
}

static void test_other_separators(void **state)
{
	(void)state;
	static const char seps[] = "~;#!^/";
	for (size_t i = 0; seps[i]; i++) {
		char p[1024];
		snprintf(p, sizeof p, "%s", DEMO);
		for (char *c = p; *c; c++)
			if (*c == '|')
				*c = seps[i];
		assert_int_equal(dec(p), 0);
		assert_int_equal(bill.separator, seps[i]);
		assert_string_equal(epd_field(&bill, "PersAcc"), "50012345");
	}
	/* '|' is then ordinary text inside a value. */
	assert_int_equal(dec("ST00012~Name=A|B~PersonalAcc=40702810640000012345~BankName=Б~"
			     "BIC=044525225~CorrespAcc=0"), 0);
	assert_string_equal(epd_field(&bill, "Name"), "A|B");
}

static void test_too_long(void **state)
{
	(void)state;
	static char p[3100];
	int n = snprintf(p, sizeof p, "%s|Contract=", DEMO);
	memset(p + n, 'x', sizeof p - (size_t)n);
	/* 2953 bytes is the largest QR: accepted. */
	assert_int_equal(decn(p, 2953), 0);
	assert_int_equal(strlen(epd_field(&bill, "Contract")), 2953 - (size_t)n);
	assert_int_equal(decn(p, 2954), EPD_ETOO_LONG);
	/* Trailing newlines are stripped before the length counts. */
	char q[2960];
	memcpy(q, p, 2953);
	memcpy(q + 2953, "\r\n", 2);
	assert_int_equal(decn(q, 2955), 0);
	/* Header rules come first. */
	p[0] = 'X';
	assert_int_equal(decn(p, 3000), EPD_EBAD_FORMAT_ID);
}

/* ---------------------------------------------------------------- rule 8: character sets */

/* windows-1251 bytes of the demo payee, built by hand. */
#define CP_OOO "\xCE\xCE\xCE \xAB\xCC\xEE\xF1\xCE\xE1\xEB\xC5\xC8\xD0\xD6\xBB"    /* ООО «МосОблЕИРЦ» */
#define CP_PAO "\xCF\xC0\xCE \xD1\xE1\xE5\xF0\xE1\xE0\xED\xEA"                   /* ПАО Сбербанк */
#define KOI_OOO "\xEF\xEF\xEF \"\xED\xCF\xD3\xEF\xC2\xCC\xE5\xE9\xF2\xE3\""       /* ООО "МосОблЕИРЦ" */
#define KOI_PAO "\xF0\xE1\xEF \xF3\xC2\xC5\xD2\xC2\xC1\xCE\xCB"                  /* ПАО Сбербанк */
#define ACCTS "|PersonalAcc=40702810640000012345|BIC=044525225|CorrespAcc=30101810400000000225"

static void test_cp1251(void **state)
{
	(void)state;
	assert_int_equal(dec("ST00011|Name=" CP_OOO "|BankName=" CP_PAO ACCTS
			     "|Purpose=\xEE\xEF\xEB\xE0\xF2\xE0 \xB9 5, \xB8\xEB\xEA\xE0 \x88\x96\xA8"), 0);
	assert_string_equal(bill.enc, "cp1251");
	assert_string_equal(epd_field(&bill, "Name"), "ООО «МосОблЕИРЦ»");
	assert_string_equal(epd_field(&bill, "BankName"), "ПАО Сбербанк");
	assert_string_equal(epd_field(&bill, "Purpose"), "оплата № 5, ёлка €–Ё");
	assert_int_equal(bill.nwarnings, 0);
	/* 0x98 is the one undefined byte. */
	assert_int_equal(dec("ST00011|Name=" CP_OOO "\x98|BankName=" CP_PAO ACCTS), EPD_EBAD_ENCODING);
}

static void test_cp1251_every_byte(void **state)
{
	(void)state;
	char out[8];
	for (int c = 0; c < 256; c++) {
		uint8_t b = (uint8_t)c;
		long n = epd_charset_to_utf8(EPD_CS_CP1251, &b, 1, out);
		if (c == 0x98) {
			assert_int_equal(n, -1);
			continue;
		}
		assert_true(n >= 1 && n <= 3);
		if (c >= 0xC0) {   /* А..я are U+0410..U+044F in order */
			unsigned cp = ((unsigned)(out[0] & 0x1F) << 6) | (out[1] & 0x3F);
			assert_int_equal(n, 2);
			assert_int_equal(cp, 0x410 + (unsigned)(c - 0xC0));
		}
	}
	uint8_t yo[2] = { 0xA8, 0xB8 };
	assert_int_equal(epd_charset_to_utf8(EPD_CS_CP1251, yo, 2, out), 4);
	assert_memory_equal(out, "Ёё", 4);
}

static void test_koi8r(void **state)
{
	(void)state;
	assert_int_equal(dec("ST00013|Name=" KOI_OOO "|BankName=" KOI_PAO ACCTS
			     "|Purpose=\xA3\xCC\xCB\xC1 \xB3\x9C"), 0);
	assert_string_equal(bill.enc, "koi8-r");
	assert_string_equal(epd_field(&bill, "Name"), "ООО \"МосОблЕИРЦ\"");
	assert_string_equal(epd_field(&bill, "BankName"), "ПАО Сбербанк");
	assert_string_equal(epd_field(&bill, "Purpose"), "ёлка Ё°");
	char out[8];
	for (int c = 0x80; c < 256; c++) {   /* every byte is defined */
		uint8_t b = (uint8_t)c;
		assert_true(epd_charset_to_utf8(EPD_CS_KOI8R, &b, 1, out) >= 2);
	}
}

static void test_utf8_strict(void **state)
{
	(void)state;
	assert_int_equal(mand_with("Name", "ООО"), 0);
	static const char *const bad[] = {
		"\xFF", "\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xD0",
		"\x80", "\xD0\x41",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char v[32];
		snprintf(v, sizeof v, "ООО%s", bad[i]);
		assert_int_equal(mand_with("Name", v), EPD_EBAD_ENCODING);
	}
	assert_int_equal(mand_with("Name", "emoji \xF0\x9F\x98\x80 ООО"), 0);
}

static void test_cp1251_flag_with_utf8_body(void **state)
{
	(void)state;
	char p[1024];
	snprintf(p, sizeof p, "%s", DEMO);
	p[6] = '1';
	assert_int_equal(dec(p), 0);
	assert_string_equal(bill.enc, "utf-8");
	assert_string_equal(epd_field(&bill, "BankName"), "ПАО Сбербанк");
	assert_int_equal(bill.nwarnings, 1);
	assert_string_equal(bill.warnings[0], "encoding_mismatch");
	/* Pure ASCII under flag 1 is plain windows-1251, no warning. */
	assert_int_equal(dec("ST00011|Name=OOO|BankName=Bank" ACCTS), 0);
	assert_string_equal(bill.enc, "cp1251");
	assert_int_equal(bill.nwarnings, 0);
}

/* ---------------------------------------------------------------- rule 9: mojibake */

static void test_mojibake(void **state)
{
	(void)state;
	/* "ООО" as UTF-8 read through a Latin-1 keyboard layout: Ð U+009E Ð U+009E ... */
	assert_int_equal(dec("ST00012|Name=Ð\xC2\x9EÐ\xC2\x9EÐ\xC2\x9E|BankName=Bank" ACCTS),
			 EPD_EMOJIBAKE);
	/* The same bill with one Cyrillic letter anywhere is taken as text. */
	assert_int_equal(dec("ST00012|Name=Ð\xC2\x9EÐ\xC2\x9EÐ\xC2\x9E|BankName=Б" ACCTS), 0);
	assert_int_equal(dec("ST00012|Name=Ðž|BankName=ÐŸÐÐž" ACCTS), EPD_EMOJIBAKE);
	/* Latin-1 letters next to Cyrillic are legitimate text. */
	assert_int_equal(mand_with("Name", "Café «Ёлка»"), 0);
	assert_string_equal(epd_field(&bill, "Name"), "Café «Ёлка»");
	/* Mojibake is judged before fields: even a malformed payload reports it. */
	assert_int_equal(dec("ST00012|Ã©|garbage"), EPD_EMOJIBAKE);
}

/* ---------------------------------------------------------------- rules 10-12: fields */

static void test_malformed_field(void **state)
{
	(void)state;
	assert_int_equal(with("garbage"), EPD_EMALFORMED_FIELD);
	assert_int_equal(with("=value"), EPD_EMALFORMED_FIELD);
	assert_int_equal(with("  \t= value"), EPD_EMALFORMED_FIELD);
	/* First failing segment decides: the malformed one comes before the control char. */
	assert_int_equal(with("x|Sum=1\x01"), EPD_EMALFORMED_FIELD);
}

static void test_control_char(void **state)
{
	(void)state;
	assert_int_equal(with("Purpose=a\tb"), EPD_ECONTROL_CHAR);
	assert_int_equal(with("Purpose=a\x7f"), EPD_ECONTROL_CHAR);
	assert_int_equal(with("Purpose=a\nb"), EPD_ECONTROL_CHAR);
	assert_int_equal(with("Pur\x01pose=a"), EPD_ECONTROL_CHAR);
	char p[1024];
	int n = snprintf(p, sizeof p, "ST00012|%s|Purpose=a", MAND);
	p[n - 1] = '\0';  /* a NUL inside the last value, after it "a" */
	memcpy(p + n, "b", 1);
	assert_int_equal(decn(p, (size_t)n + 1), EPD_ECONTROL_CHAR);
	/* TAB, CR and LF around keys and values are trimmed, not rejected. */
	assert_int_equal(with("\tPurpose\t=\t оплата \r\n|  "), 0);
	assert_string_equal(epd_field(&bill, "Purpose"), "оплата");
}

static void test_trim_and_empty_segments(void **state)
{
	(void)state;
	assert_int_equal(dec("ST00012|| |\t|Name = ООО |PersonalAcc= 40702810640000012345||"
			     "BankName =ПАО Сбербанк|BIC=044525225|CorrespAcc=0| |"), 0);
	assert_string_equal(epd_field(&bill, "Name"), "ООО");
	assert_string_equal(epd_field(&bill, "PersonalAcc"), "40702810640000012345");
	assert_string_equal(epd_field(&bill, "BankName"), "ПАО Сбербанк");
}

static void test_lower_camel_keys(void **state)
{
	(void)state;
	assert_int_equal(dec("ST00012|name=ООО|personalAcc=40702810640000012345|bankName=ПАО|"
			     "bic=044525225|correspAcc=30101810400000000225|payeeInn=5037008735|"
			     "persAcc=5001-2345|paymPeriod=022021|sum=100|PURPOSE=x"), 0);
	assert_string_equal(epd_field(&bill, "Name"), "ООО");
	assert_string_equal(epd_field(&bill, "PayeeINN"), "5037008735");
	assert_string_equal(epd_field(&bill, "Purpose"), "x");
	assert_string_equal(epd_field_id(&bill, EPD_PERS_ACC), "5001-2345");
	assert_string_equal(epd_pers_acc_digits(&bill), "50012345");
	assert_int_equal(bill.sum, 100);
	assert_string_equal(bill.period, "2021-02");
	assert_int_equal(bill.nunknown, 0);
}

static void test_equals_inside_value(void **state)
{
	(void)state;
	assert_int_equal(with("Purpose=a=b==c="), 0);
	assert_string_equal(epd_field(&bill, "Purpose"), "a=b==c=");
	assert_int_equal(with("Purpose=="), 0);
	assert_string_equal(epd_field(&bill, "Purpose"), "=");
}

static void test_duplicate_keys(void **state)
{
	(void)state;
	assert_int_equal(with("Sum=100|SUM=100"), EPD_EDUPLICATE_KEY);
	assert_int_equal(with("PersAcc=1|persacc=2"), EPD_EDUPLICATE_KEY);
	assert_int_equal(with("bic=044525225"), EPD_EDUPLICATE_KEY);
	/* An empty value still counts as an occurrence (rule 11 before rule 12). */
	assert_int_equal(with("Purpose=|purpose=x"), EPD_EDUPLICATE_KEY);
	/* Unknown keys may repeat. */
	assert_int_equal(with("debt=1|debt=2"), 0);
	assert_int_equal(bill.nunknown, 2);
	/* A rule-10 failure later in the payload still beats the duplicate. */
	assert_int_equal(with("Sum=1|Sum=2|garbage"), EPD_EMALFORMED_FIELD);
	assert_int_equal(with("Sum=1|Sum=2|Purpose=\x02"), EPD_ECONTROL_CHAR);
}

static void test_unknown_keys(void **state)
{
	(void)state;
	assert_int_equal(with("KSK_Type=1|Amount=61069|debt=0|insurance=34,00|ВIС=044525225"), 0);
	assert_int_equal(bill.nunknown, 5);
	assert_string_equal(epd_unknown_key(&bill, 0), "KSK_Type");
	assert_string_equal(epd_unknown_key(&bill, 1), "Amount");
	assert_string_equal(epd_unknown_key(&bill, 4), "ВIС");
	assert_null(epd_unknown_key(&bill, 5));
	assert_null(epd_field(&bill, "Amount"));
	assert_null(epd_field(&bill, "Sum"));
	assert_false(bill.has_sum);
	/* A Cyrillic look-alike is not the mandatory key. */
	assert_int_equal(dec("ST00012|Name=ООО|PersonalAcc=40702810640000012345|BankName=ПАО|"
			     "ВIС=044525225|CorrespAcc=0"), EPD_EMISSING_MANDATORY);
	/* More than the cap: counted, not stored. */
	char extra[1024];
	size_t n = 0;
	for (int i = 0; i < EPD_MAX_UNKNOWN + 3; i++)
		n += (size_t)snprintf(extra + n, sizeof extra - n, "x%d=1|", i);
	assert_int_equal(with(extra), 0);
	assert_int_equal(bill.nunknown, EPD_MAX_UNKNOWN);
	assert_int_equal(bill.nunknown_dropped, 3);
	assert_string_equal(epd_unknown_key(&bill, EPD_MAX_UNKNOWN - 1), "x31");
}

static void test_empty_value_is_absent(void **state)
{
	(void)state;
	assert_int_equal(with("Sum=|Purpose= |PersAcc="), 0);
	assert_false(bill.has_sum);
	assert_null(epd_field(&bill, "Sum"));
	assert_null(epd_field(&bill, "Purpose"));
	assert_null(epd_field(&bill, "PersAcc"));
	assert_string_equal(epd_pers_acc_digits(&bill), "");
	assert_int_equal(mand_with("Name", ""), EPD_EMISSING_MANDATORY);
}

/* ---------------------------------------------------------------- masked log, JSON */

static void test_mask_payload(void **state)
{
	(void)state;
	const char *in = "ST00012|Name=ООО|lastName=Иванов|FirstName = Иван |persAcc=50012345|"
			 "MiddleName=Иванович|PayerAddress=г. Подольск|Sum=1|PersonalAcc=407";
	size_t n = strlen(in);
	char out[512];
	epd_mask_payload((const uint8_t *)in, n, (uint8_t *)out);
	out[n] = '\0';
	char want[512];
	snprintf(want, sizeof want, "ST00012|Name=ООО|lastName=%.*s|FirstName =%.*s|"
		 "persAcc=********|MiddleName=%.*s|PayerAddress=%.*s|Sum=1|PersonalAcc=407",
		 12, "****************", 10, "**********************",
		 16, "****************", (int)strlen("г. Подольск"),
		 "**************************************");
	assert_string_equal(out, want);
	/* Short input: copied as is. */
	epd_mask_payload((const uint8_t *)"ST00", 4, (uint8_t *)out);
	assert_memory_equal(out, "ST00", 4);
}

static void test_log_payload(void **state)
{
	(void)state;
	const char *in = DEMO "|LastName=Иванов";
	assert_int_equal(log_open("/dev/null", LOG_LVL_INFO, false), 0);
	log_capture(1 << 16);
	log_set_level(LOG_LVL_INFO);
	epd_log_payload((const uint8_t *)in, strlen(in));
	assert_string_equal(log_captured(), "");
	log_set_level(LOG_LVL_DEBUG);
	epd_log_payload((const uint8_t *)in, strlen(in));
	const char *got = log_captured();
	assert_non_null(strstr(got, "level=debug mod=epd event=payload"));
	/* "ST00012|" in hex opens the dump; "persAcc=" is followed by masked bytes. */
	assert_non_null(strstr(got, "hex=5354303030313" "27c"));
	assert_non_null(strstr(got, "70657273416363" "3d" "2a2a2a2a2a2a2a2a7c"));
	assert_null(strstr(got, "3530303132333435"));          /* "50012345" */
	assert_null(strstr(got, "d098d0b2d0b0d0bdd0bed0b2")); /* "Иванов" */
	assert_non_null(strstr(got, "3435323331" "36"));       /* Sum "452316" stays */
	/* Long payloads are split into lines of 256 bytes. */
	static char big[2900];
	memset(big, 'x', sizeof big);
	memcpy(big, "ST00012|", 8);
	log_capture(1 << 16);
	epd_log_payload((const uint8_t *)big, sizeof big);
	assert_non_null(strstr(log_captured(), "part=12/12"));
	log_capture(0);
	log_close();
}

static void test_json(void **state)
{
	(void)state;
	assert_int_equal(dec(DEMO "|KSK_Type=1|Purpose=\"кв\\1\""), 0);
	char *js = epd_to_json(&bill);
	assert_string_equal(js,
		"{\"ok\":true,\"enc\":\"utf-8\",\"separator\":\"|\",\"fields\":{"
		"\"Name\":\"ООО «МосОблЕИРЦ»\",\"PersonalAcc\":\"40702810640000012345\","
		"\"BankName\":\"ПАО Сбербанк\",\"BIC\":\"044525225\","
		"\"CorrespAcc\":\"30101810400000000225\",\"Sum\":\"452316\","
		"\"Purpose\":\"\\\"кв\\\\1\\\"\",\"PayeeINN\":\"5037008735\",\"KPP\":\"503701001\","
		"\"PersAcc\":\"50012345\",\"PaymPeriod\":\"102026\",\"TechCode\":\"02\"},"
		"\"period\":\"2026-10\",\"pers_acc_digits\":\"50012345\",\"warnings\":[],"
		"\"unknown_keys\":[\"KSK_Type\"]}");
	free(js);
	assert_int_equal(mand_with("CorrespAcc", "0"), 0);
	js = epd_to_json(&bill);
	assert_non_null(strstr(js, "\"warnings\":[\"corresp_acc_zero\"]"));
	assert_non_null(strstr(js, "\"period\":\"\",\"pers_acc_digits\":\"\""));
	free(js);
	js = epd_error_json(EPD_EBAD_FORMAT_ID, "ru");
	assert_string_equal(js, "{\"ok\":false,\"error\":\"bad_format_id\","
				"\"message\":\"Это не платёжный QR-код\"}");
	free(js);
	js = epd_error_json(EPD_EBAD_SUM, "en");
	assert_string_equal(js, "{\"ok\":false,\"error\":\"bad_sum\","
				"\"message\":\"Invalid amount in the payment code\"}");
	free(js);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_demo_bill),
		cmocka_unit_test(test_bill_survives_copy),
		cmocka_unit_test(test_untouched_on_failure),
		cmocka_unit_test(test_empty_and_truncated),
		cmocka_unit_test(test_trailing_cr_lf_nul_stripped),
		cmocka_unit_test(test_bad_format_id),
		cmocka_unit_test(test_unsupported_version),
		cmocka_unit_test(test_bad_encoding_flag),
		cmocka_unit_test(test_bad_separator),
		cmocka_unit_test(test_other_separators),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_cp1251),
		cmocka_unit_test(test_cp1251_every_byte),
		cmocka_unit_test(test_koi8r),
		cmocka_unit_test(test_utf8_strict),
		cmocka_unit_test(test_cp1251_flag_with_utf8_body),
		cmocka_unit_test(test_mojibake),
		cmocka_unit_test(test_malformed_field),
		cmocka_unit_test(test_control_char),
		cmocka_unit_test(test_trim_and_empty_segments),
		cmocka_unit_test(test_lower_camel_keys),
		cmocka_unit_test(test_equals_inside_value),
		cmocka_unit_test(test_duplicate_keys),
		cmocka_unit_test(test_unknown_keys),
		cmocka_unit_test(test_empty_value_is_absent),
		cmocka_unit_test(test_mask_payload),
		cmocka_unit_test(test_log_payload),
		cmocka_unit_test(test_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
