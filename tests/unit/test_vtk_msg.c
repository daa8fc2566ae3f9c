/* VTK messages: BER lengths in all three forms (with the 81 nn case that a public C library
 * reads as 129 whatever nn is), decimal values, unknown and repeated tags, caps, and
 * malformed input that must be refused without filling anything. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "drivers/vtk_msg.h"
#include "tests/unit/vtk_examples.h"

static struct vtk_msg m, m2;
static uint8_t buf[70000];

static void test_ber_len_forms(void **state)
{
	(void)state;
	uint8_t o[4];
	size_t len;
	assert_int_equal(vtk_ber_len_put(0, o), 1);
	assert_int_equal(o[0], 0);
	assert_int_equal(vtk_ber_len_put(127, o), 1);
	assert_int_equal(o[0], 0x7F);
	assert_int_equal(vtk_ber_len_put(128, o), 2);
	assert_memory_equal(o, "\x81\x80", 2);
	assert_int_equal(vtk_ber_len_put(143, o), 2);
	assert_memory_equal(o, "\x81\x8F", 2);
	assert_int_equal(vtk_ber_len_put(255, o), 2);
	assert_memory_equal(o, "\x81\xFF", 2);
	assert_int_equal(vtk_ber_len_put(256, o), 3);
	assert_memory_equal(o, "\x82\x01\x00", 3);
	assert_int_equal(vtk_ber_len_put(65535, o), 3);
	assert_memory_equal(o, "\x82\xFF\xFF", 3);
	assert_int_equal(vtk_ber_len_put(65536, o), 0);

	assert_int_equal(vtk_ber_len_get((const uint8_t *)"\x81\x8F", 2, &len), 2);
	assert_int_equal(len, 143);
	assert_int_equal(vtk_ber_len_get((const uint8_t *)"\x81\x05", 2, &len), 2);
	assert_int_equal(len, 5); /* non-minimal, still nn */
	assert_int_equal(vtk_ber_len_get((const uint8_t *)"\x82\x01\x2C", 3, &len), 3);
	assert_int_equal(len, 300);
	assert_int_equal(vtk_ber_len_get((const uint8_t *)"\x80", 1, &len), VTK_MSG_ELEN);
	assert_int_equal(vtk_ber_len_get((const uint8_t *)"\x83\x00\x00\x01", 4, &len), VTK_MSG_ELEN);
	assert_int_equal(vtk_ber_len_get((const uint8_t *)"\x81", 1, &len), VTK_MSG_ETRUNC);
	assert_int_equal(vtk_ber_len_get((const uint8_t *)"\x82\x01", 2, &len), VTK_MSG_ETRUNC);
}

/* Exactly the case the public C library gets wrong: a receipt of 128-255 bytes announced as
 * 81 nn.  Read as 129 bytes, the 143-byte receipt would swallow the tag after it or run past
 * the end; here it is 143 bytes and the tag after it is read. */
static void test_81_nn_receipt(void **state)
{
	(void)state;
	static const size_t lens[] = { 128, 129, 143, 200, 255 };
	for (size_t li = 0; li < sizeof lens / sizeof lens[0]; li++) {
		size_t rlen = lens[li], n = 0;
		memcpy(buf, "\x01\x03VRP\x03\x02" "42", 9);
		n = 9;
		buf[n++] = 0x13;
		buf[n++] = 0x81;
		buf[n++] = (uint8_t)rlen;
		for (size_t i = 0; i < rlen; i++)
			buf[n++] = (uint8_t)('a' + i % 26);
		memcpy(buf + n, "\x04\x06" "452316", 8);
		n += 8;
		assert_int_equal(vtk_msg_decode(buf, n, &m), VTK_MSG_OK);
		assert_int_equal(m.receipt_len, rlen);
		assert_int_equal(strlen(m.receipt), rlen);
		assert_int_equal(m.receipt[rlen - 1], 'a' + (rlen - 1) % 26);
		assert_true(VTK_HAS(&m, VTK_T_AMOUNT));
		assert_int_equal(m.amount, 452316);
		assert_int_equal(m.op, 42);
	}
	/* E4 itself: 81 8F, 143 bytes */
	size_t n = vtk_example_tcp(3, buf);
	assert_int_equal(vtk_msg_decode(buf + 4, n - 4, &m), VTK_MSG_OK);
	assert_int_equal(m.receipt_len, 143);
	assert_string_equal(m.receipt, VTK_E4_RECEIPT);
	assert_int_equal(m.amount, 452316);
}

/* Receipts over 255 bytes (82 hh ll) round-trip; over the cap they are cut and flagged. */
static void test_long_receipts(void **state)
{
	(void)state;
	static char r[VTK_RECEIPT_MAX + 100];
	for (size_t i = 0; i < sizeof r; i++)
		r[i] = (char)('A' + i % 26);
	size_t sizes[] = { 127, 128, 255, 256, 300, VTK_RECEIPT_MAX };
	for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
		vtk_msg_init(&m, "FIN");
		vtk_msg_set_num(&m, VTK_T_OP, 7);
		vtk_msg_set_text(&m, VTK_T_RECEIPT, r, sizes[s]);
		int k = vtk_msg_encode(&m, buf, sizeof buf);
		size_t lenpos = 5 + 3 + 1; /* after 01 03 FIN and 03 01 7, the receipt's tag */
		assert_int_equal(buf[lenpos - 1], 0x13);
		assert_int_equal(buf[lenpos], sizes[s] < 128 ? sizes[s] : sizes[s] < 256 ? 0x81 : 0x82);
		assert_int_equal(vtk_msg_decode(buf, (size_t)k, &m2), VTK_MSG_OK);
		assert_int_equal(m2.receipt_len, sizes[s]);
		assert_memory_equal(m2.receipt, r, sizes[s]);
		assert_false(m2.receipt_cut);
	}
	/* a terminal's 4196-byte receipt: kept up to the cap, flagged, the message still good */
	size_t n = 0;
	memcpy(buf, "\x01\x03VRP\x04\x01" "5\x13\x82", 10);
	n = 10;
	buf[n++] = (uint8_t)(sizeof r >> 8);
	buf[n++] = (uint8_t)sizeof r;
	memcpy(buf + n, r, sizeof r);
	n += sizeof r;
	assert_int_equal(vtk_msg_decode(buf, n, &m), VTK_MSG_OK);
	assert_true(m.receipt_cut);
	assert_int_equal(m.receipt_len, VTK_RECEIPT_MAX);
	assert_int_equal(m.amount, 5);
}

static void test_numbers(void **state)
{
	(void)state;
	/* leading zeros accepted, never emitted */
	assert_int_equal(vtk_msg_decode((const uint8_t *)"\x01\x03IDL\x03\x05" "00041", 12, &m),
			 VTK_MSG_OK);
	assert_int_equal(m.op, 41);
	vtk_msg_init(&m, "IDL");
	vtk_msg_set_num(&m, VTK_T_OP, 41);
	assert_int_equal(vtk_msg_encode(&m, buf, sizeof buf), 9);
	assert_memory_equal(buf, "\x01\x03IDL\x03\x02" "41", 9);
	/* the largest values of each width */
	vtk_msg_init(&m, "VRP");
	vtk_msg_set_num(&m, VTK_T_OP, 99999999);
	vtk_msg_set_num(&m, VTK_T_AMOUNT, 999999999999LL);
	int k = vtk_msg_encode(&m, buf, sizeof buf);
	assert_true(k > 0);
	assert_int_equal(vtk_msg_decode(buf, (size_t)k, &m2), VTK_MSG_OK);
	assert_int_equal(m2.op, 99999999);
	assert_int_equal(m2.amount, 999999999999LL);
	/* one digit more is refused both ways */
	vtk_msg_set_num(&m, VTK_T_OP, 100000000);
	assert_int_equal(vtk_msg_encode(&m, buf, sizeof buf), VTK_MSG_EVALUE);
	vtk_msg_set_num(&m, VTK_T_OP, 1);
	vtk_msg_set_num(&m, VTK_T_AMOUNT, -1);
	assert_int_equal(vtk_msg_encode(&m, buf, sizeof buf), VTK_MSG_EVALUE);
	assert_int_equal(vtk_msg_decode((const uint8_t *)"\x01\x03VRP\x03\x09" "123456789", 16, &m),
			 VTK_MSG_EVALUE);
	assert_int_equal(vtk_msg_decode((const uint8_t *)"\x01\x03VRP\x04\x02" "1a", 9, &m),
			 VTK_MSG_EVALUE);
	assert_int_equal(vtk_msg_decode((const uint8_t *)"\x01\x03VRP\x04\x00", 7, &m),
			 VTK_MSG_EVALUE);
	assert_int_equal(vtk_msg_decode((const uint8_t *)"\x01\x03VRP\x04\x02-1", 9, &m),
			 VTK_MSG_EVALUE);
}

static void test_unknown_and_repeated_tags(void **state)
{
	(void)state;
	/* tag 1E (unknown) with an 81 length is skipped; the repeated 03 keeps the first */
	size_t n = 0;
	memcpy(buf, "\x1E\x81\x82", 3);
	n = 3;
	memset(buf + n, 0x55, 0x82);
	n += 0x82;
	memcpy(buf + n, "\x01\x03STA\x03\x01" "7\x03\x01" "8\x04\x03" "100", 16);
	n += 16;
	assert_int_equal(vtk_msg_decode(buf, n, &m), VTK_MSG_OK);
	assert_string_equal(m.name, "STA");
	assert_int_equal(m.op, 7);
	assert_int_equal(m.amount, 100);
	assert_int_equal(m.present, (1u << 1) | (1u << 3) | (1u << 4));
}

static void expect_refused(const char *bytes, size_t n, int rc)
{
	memset(&m, 0x5A, sizeof m);
	assert_int_equal(vtk_msg_decode((const uint8_t *)bytes, n, &m), rc);
	assert_int_equal(m.present, 0x5A5A5A5A); /* untouched */
}

static void test_malformed(void **state)
{
	(void)state;
	expect_refused("", 0, VTK_MSG_ENONAME);
	expect_refused("\x03\x01" "1", 3, VTK_MSG_ENONAME);
	expect_refused("\x01\x02" "ID", 4, VTK_MSG_EVALUE);
	expect_refused("\x01\x04" "IDLE", 6, VTK_MSG_EVALUE);
	expect_refused("\x01\x03" "ID", 4, VTK_MSG_ETRUNC);
	expect_refused("\x01", 1, VTK_MSG_ETRUNC);
	expect_refused("\x01\x03IDL\x13\x81", 7, VTK_MSG_ETRUNC);
	expect_refused("\x01\x03IDL\x13\x82\x00", 8, VTK_MSG_ETRUNC);
	expect_refused("\x01\x03IDL\x13\x81\x90" "abc", 10, VTK_MSG_ETRUNC);
	expect_refused("\x01\x03IDL\x13\x80", 7, VTK_MSG_ELEN);
	expect_refused("\x01\x03IDL\x13\x84\x00\x00\x00\x01" "a", 12, VTK_MSG_ELEN);
	expect_refused("\x01\x03IDL\x1F\x01\x01", 8, VTK_MSG_ETAG);
	expect_refused("\x01\x03IDL\x3F\x01\x01", 8, VTK_MSG_ETAG);
	expect_refused("\x01\x03IDL\x07\x06" "CSAPPX", 13, VTK_MSG_EVALUE);
	expect_refused("\x01\x03I\0L", 5, VTK_MSG_EVALUE);
	/* a NUL in a receipt does not cost the message */
	assert_int_equal(vtk_msg_decode((const uint8_t *)"\x01\x03VRP\x13\x03" "a\0b", 10, &m),
			 VTK_MSG_OK);
	assert_string_equal(m.receipt, "a?b");
}

static void test_encode_space_and_describe(void **state)
{
	(void)state;
	vtk_msg_init(&m, "VRP");
	vtk_msg_set_num(&m, VTK_T_OP, 42);
	vtk_msg_set_num(&m, VTK_T_AMOUNT, 452316);
	vtk_msg_set_text(&m, VTK_T_RECEIPT, "PAN:2200123456781234", 20);
	assert_int_equal(vtk_msg_encode(&m, buf, 10), VTK_MSG_ESPACE);
	char d[128];
	vtk_msg_describe(&m, d, sizeof d);
	assert_string_equal(d, "VRP op=42 amount=452316 receipt=20B");
	assert_null(strstr(d, "2200"));
	vtk_msg_init(&m, "VR");
	assert_int_equal(vtk_msg_encode(&m, buf, sizeof buf), VTK_MSG_EVALUE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ber_len_forms),
		cmocka_unit_test(test_81_nn_receipt),
		cmocka_unit_test(test_long_receipts),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_unknown_and_repeated_tags),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_encode_space_and_describe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
