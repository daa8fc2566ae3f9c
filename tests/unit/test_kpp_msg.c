/* KPP/1 messages: the SALE and SALE_RESP payloads of docs/kpp1.md, round trips, unknown
 * tags skipped, duplicates and malformed values rejected, PAN re-masking. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "drivers/kpp_msg.h"

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

/* Payloads of docs/kpp1.md, Example frames (frame header and CRC stripped). */
static const char *SALE_P =
	"10 01 00 12 4B 31 2D 32 30 32 34 30 36 30 31 2D 30 30 30 30 34 32"
	"02 00 05 31 32 33 34 35 03 00 03 36 34 33 16 00 02 36 30";
static const char *SALE_RESP_P =
	"90 05 00 01 00 06 00 01 02 01 00 12 4B 31 2D 32 30 32 34 30 36 30 31 2D"
	"30 30 30 30 34 32 02 00 05 31 32 33 34 35 03 00 03 36 34 33 07 00 02 30 30 08 00 06 41 31"
	"42 32 43 33 09 00 0C 34 31 35 36 31 32 33 34 35 36 37 38 0A 00 10 32 32 30 32 32 30 2A 2A"
	"2A 2A 2A 2A 31 32 33 34 0B 00 03 4D 49 52 0E 00 08 31 32 33 34 35 36 37 38";

static struct kpp_msg m, m2;

static void test_encode_sale_example(void **state)
{
	(void)state;
	uint8_t want[256], got[256];
	size_t n = unhex(SALE_P, want);
	kpp_msg_init(&m, KPP_MSG_SALE);
	assert_int_equal(kpp_msg_set(&m, KPP_TAG_TXN_ID, "K1-20240601-000042"), 0);
	assert_int_equal(kpp_msg_set(&m, KPP_TAG_AMOUNT, "12345"), 0);
	assert_int_equal(kpp_msg_set(&m, KPP_TAG_CURRENCY, "643"), 0);
	assert_int_equal(kpp_msg_set(&m, KPP_TAG_TIMEOUT_S, "60"), 0);
	assert_int_equal(kpp_msg_encode(&m, got, sizeof got), (int)n);
	assert_memory_equal(got, want, n);
}

static void test_decode_sale_resp_example(void **state)
{
	(void)state;
	uint8_t p[256], again[256];
	size_t n = unhex(SALE_RESP_P, p);
	assert_int_equal(kpp_msg_decode(p, n, &m), KPP_MSG_OK);
	assert_int_equal(m.code, KPP_MSG_SALE | KPP_MSG_RESP);
	assert_string_equal(kpp_msg_name(m.code), "SALE_RESP");
	assert_true(kpp_msg_has(&m, KPP_TAG_RESULT));
	assert_int_equal(m.result, KPP_RES_OK);
	assert_int_equal(m.txn_state, KPP_TS_APPROVED_PENDING_CONFIRM);
	assert_string_equal(m.txn_id, "K1-20240601-000042");
	int64_t amt = 0;
	assert_true(kpp_msg_amount(&m, &amt));
	assert_int_equal(amt, 12345);
	assert_string_equal(m.host_rc, "00");
	assert_string_equal(m.auth_code, "A1B2C3");
	assert_string_equal(m.rrn, "415612345678");
	assert_string_equal(m.masked_pan, "220220******1234");
	assert_string_equal(m.scheme, "MIR");
	assert_string_equal(m.tid, "12345678");
	assert_false(kpp_msg_has(&m, KPP_TAG_RECEIPT_TEXT));
	assert_null(kpp_msg_get(&m, KPP_TAG_RECEIPT_TEXT));
	/* our encoder writes tags in ascending order, the example does not: same length, and
	 * it decodes to the same struct */
	assert_int_equal(kpp_msg_encode(&m, again, sizeof again), (int)n);
	assert_int_equal(kpp_msg_decode(again, n, &m2), KPP_MSG_OK);
	assert_memory_equal(&m, &m2, sizeof m);
}

static void test_unknown_tags_ignored(void **state)
{
	(void)state;
	uint8_t p[64];
	/* STATUS_RESP: unknown tag 0x7F (3 bytes), RESULT 0, unknown 0x00 (0 bytes), TERM_STATE 1 */
	size_t n = unhex("82 7F 00 03 AA BB CC 05 00 01 00 00 00 00 18 00 01 01", p);
	assert_int_equal(kpp_msg_decode(p, n, &m), KPP_MSG_OK);
	assert_int_equal(m.result, 0);
	assert_int_equal(m.term_state, 1);
	assert_int_equal(m.present, (1u << KPP_TAG_RESULT) | (1u << KPP_TAG_TERM_STATE));
}

static void test_malformed(void **state)
{
	(void)state;
	uint8_t p[64] = { 0 };
	size_t n;
	assert_int_equal(kpp_msg_decode(p, 0, &m), KPP_MSG_ETRUNC);
	n = unhex("82 05 00", p);                         /* TLV header cut */
	assert_int_equal(kpp_msg_decode(p, n, &m), KPP_MSG_ETRUNC);
	n = unhex("82 05 00 02 00", p);                   /* value cut */
	assert_int_equal(kpp_msg_decode(p, n, &m), KPP_MSG_ETRUNC);
	n = unhex("82 7F FF FF 00", p);                   /* unknown tag running past the end */
	assert_int_equal(kpp_msg_decode(p, n, &m), KPP_MSG_ETRUNC);
	n = unhex("82 05 00 01 00 05 00 01 01", p);       /* RESULT twice */
	assert_int_equal(kpp_msg_decode(p, n, &m), KPP_MSG_EDUP);
	n = unhex("82 05 00 02 00 00", p);                /* u8 of length 2 */
	assert_int_equal(kpp_msg_decode(p, n, &m), KPP_MSG_EVALUE);
	n = unhex("90 02 00 03 31 32 41", p);             /* AMOUNT with a letter */
	assert_int_equal(kpp_msg_decode(p, n, &m), KPP_MSG_EVALUE);
	n = unhex("90 02 00 00", p);                      /* empty AMOUNT */
	assert_int_equal(kpp_msg_decode(p, n, &m), KPP_MSG_EVALUE);
	n = unhex("90 03 00 02 36 34", p);                /* CURRENCY of 2 digits */
	assert_int_equal(kpp_msg_decode(p, n, &m), KPP_MSG_EVALUE);
	n = unhex("90 01 00 02 41 00", p);                /* NUL inside TXN_ID */
	assert_int_equal(kpp_msg_decode(p, n, &m), KPP_MSG_EVALUE);
	n = unhex("90 0A 00 04 31 32 41 34", p);          /* letter in MASKED_PAN */
	assert_int_equal(kpp_msg_decode(p, n, &m), KPP_MSG_EVALUE);
	n = unhex("90 09 00 03 31 32 33", p);             /* RRN not 12 */
	assert_int_equal(kpp_msg_decode(p, n, &m), KPP_MSG_EVALUE);
	/* TXN_ID of 37 chars */
	p[0] = 0x10; p[1] = 1; p[2] = 0; p[3] = 37;
	memset(p + 4, 'a', 37);
	assert_int_equal(kpp_msg_decode(p, 41, &m), KPP_MSG_EVALUE);
	p[3] = 36;
	assert_int_equal(kpp_msg_decode(p, 40, &m), KPP_MSG_OK);
	assert_int_equal(strlen(m.txn_id), 36);
}

static void test_setters_validate(void **state)
{
	(void)state;
	kpp_msg_init(&m, KPP_MSG_SALE);
	assert_int_equal(kpp_msg_set(&m, KPP_TAG_AMOUNT, "12.5"), KPP_MSG_EVALUE);
	assert_int_equal(kpp_msg_set(&m, KPP_TAG_AMOUNT, "1234567890123"), KPP_MSG_EVALUE);
	assert_int_equal(kpp_msg_set(&m, KPP_TAG_RESULT, "0"), KPP_MSG_ETAG);
	assert_int_equal(kpp_msg_set_u8(&m, KPP_TAG_AMOUNT, 1), KPP_MSG_ETAG);
	assert_int_equal(kpp_msg_set(&m, (enum kpp_tag)0x40, "x"), KPP_MSG_ETAG);
	assert_false(kpp_msg_has(&m, KPP_TAG_AMOUNT));
	assert_int_equal(m.present, 0);
}

static void test_roundtrip_every_tag(void **state)
{
	(void)state;
	static uint8_t buf[8192];
	kpp_msg_init(&m, KPP_MSG_TXN_STATUS | KPP_MSG_RESP);
	static const struct { enum kpp_tag t; const char *v; } s[] = {
		{ KPP_TAG_TXN_ID, "0123456789abcdef0123456789abcdef" }, { KPP_TAG_AMOUNT, "999999999999" },
		{ KPP_TAG_CURRENCY, "643" }, { KPP_TAG_ORIG_TXN_ID, "x" }, { KPP_TAG_HOST_RC, "051" },
		{ KPP_TAG_AUTH_CODE, "A1" }, { KPP_TAG_RRN, "000000000001" },
		{ KPP_TAG_MASKED_PAN, "2202****1234" }, { KPP_TAG_SCHEME, "VISA" },
		{ KPP_TAG_AID, "A0000006581010" }, { KPP_TAG_TID, "T0000001" }, { KPP_TAG_MID, "M1" },
		{ KPP_TAG_STAN, "000123" }, { KPP_TAG_BATCH_NO, "7" },
		{ KPP_TAG_TERMINAL_DT, "20240601120000" },
		{ KPP_TAG_RECEIPT_TEXT, "ОПЛАТА\n12345\tруб\r\n" }, { KPP_TAG_MESSAGE_TEXT, "Одобрено" },
		{ KPP_TAG_TIMEOUT_S, "60" }, { KPP_TAG_CONFIRM_TIMEOUT_S, "300" },
		{ KPP_TAG_CURRENT_TXN_ID, "y" }, { KPP_TAG_VENDOR_ERROR, "E-1" },
		{ KPP_TAG_TOTALS, "MIR;643;1;12345;sale\n" }, { KPP_TAG_TERM_INFO, "model=sim\n" },
		{ KPP_TAG_ORDER_REF, "order-1" },
	};
	for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
		assert_int_equal(kpp_msg_set(&m, s[i].t, s[i].v), 0);
	const enum kpp_tag u8s[] = { KPP_TAG_RESULT, KPP_TAG_TXN_STATE, KPP_TAG_ENTRY_MODE,
		KPP_TAG_EVENT_CODE, KPP_TAG_TERM_STATE, KPP_TAG_CVM };
	for (size_t i = 0; i < 6; i++)
		assert_int_equal(kpp_msg_set_u8(&m, u8s[i], (uint8_t)(i + 1)), 0);
	int n = kpp_msg_encode(&m, buf, sizeof buf);
	assert_true(n > 0);
	assert_int_equal(kpp_msg_encode(&m, buf, (size_t)n - 1), KPP_MSG_ESPACE);
	assert_int_equal(kpp_msg_decode(buf, (size_t)n, &m2), KPP_MSG_OK);
	assert_memory_equal(&m, &m2, sizeof m);
	for (unsigned t = 1; t <= KPP_TAG_LAST; t++)
		assert_true(kpp_msg_has(&m2, (enum kpp_tag)t));
	assert_string_equal(kpp_tag_name(KPP_TAG_ORDER_REF), "ORDER_REF");
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(kpp_msg_name(0x21), "RECONCILE");
	assert_string_equal(kpp_msg_name(0xA0), "TXN_STATUS_RESP");
	assert_string_equal(kpp_msg_name(0x40), "EVENT");
	assert_string_equal(kpp_msg_name(0x33), "?");
	assert_string_equal(kpp_result_name(KPP_RES_TOO_LATE), "TOO_LATE");
	assert_string_equal(kpp_result_name(11), "?");
	assert_string_equal(kpp_txn_state_name(KPP_TS_REVERSED_AUTO), "REVERSED_AUTO");
}

static void test_mask_pan(void **state)
{
	(void)state;
	char out[32];
	assert_string_equal(kpp_mask_pan("2202201234561234", out, sizeof out), "220220******1234");
	assert_string_equal(kpp_mask_pan("220220******1234", out, sizeof out), "220220******1234");
	assert_string_equal(kpp_mask_pan("2202 2012 3456 1234", out, sizeof out), "220220******1234");
	assert_string_equal(kpp_mask_pan("4111111111111111111", out, sizeof out),
			    "411111*********1111");
	assert_string_equal(kpp_mask_pan("1234567890", out, sizeof out), "******7890");
	assert_string_equal(kpp_mask_pan("", out, sizeof out), "");
	assert_string_equal(kpp_mask_pan(NULL, out, sizeof out), "");
	assert_string_equal(kpp_mask_pan("2202201234561234", out, 5), "2202");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode_sale_example),
		cmocka_unit_test(test_decode_sale_resp_example),
		cmocka_unit_test(test_unknown_tags_ignored),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_setters_validate),
		cmocka_unit_test(test_roundtrip_every_tag),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_mask_pan),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
