/* Shtrih-M framing and the command subset: the worked frames of docs/fiscal.md byte for
 * byte (encoded by us, decoded back), the reply decoders on the real traces, the decoder's
 * behaviour on malformed input, and the error/mode texts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "drivers/shtrih_cmd.h"
#include "drivers/shtrih_frame.h"
#include "drivers/shtrih_state.h"

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

static void check_req(const struct shtrih_req *r, const char *hex)
{
	uint8_t want[SHTRIH_FRAME_MAX], got[SHTRIH_FRAME_MAX];
	size_t n = unhex(hex, want);
	size_t m = shtrih_frame_encode(r->cmd, r->data, r->len, got, sizeof got);
	assert_int_equal(m, n);
	assert_memory_equal(got, want, n);
}

/* Decodes a whole frame given in hex; returns the body length (body in d->body). */
static size_t decode_all(struct shtrih_decoder *d, const char *hex, int want_ev)
{
	uint8_t buf[SHTRIH_FRAME_MAX + 16];
	size_t n = unhex(hex, buf);
	int ev = SHTRIH_DEC_MORE;
	shtrih_decoder_init(d, 50);
	for (size_t i = 0; i < n; i++) {
		ev = shtrih_decoder_feed(d, buf[i], 0);
		if (i + 1 < n)
			assert_int_equal(ev, SHTRIH_DEC_MORE);
	}
	assert_int_equal(ev, want_ev);
	return d->n;
}

static void test_short_frames(void **state)
{
	(void)state;
	struct shtrih_req r;
	shtrih_req_pw(&r, SHTRIH_SHORT_STATUS, 30);
	check_req(&r, "02 05 10 1E 00 00 00 0B");
	shtrih_req_pw(&r, SHTRIH_CANCEL_RECEIPT, 30);
	check_req(&r, "02 05 88 1E 00 00 00 93");
	shtrih_req_pw(&r, SHTRIH_CONTINUE_PRINT, 30);
	check_req(&r, "02 05 B0 1E 00 00 00 AB");
	shtrih_req_open_receipt(&r, 30, 0);
	check_req(&r, "02 06 8D 1E 00 00 00 00 95");
	shtrih_req_pw(&r, SHTRIH_OPEN_SHIFT, 30);
	check_req(&r, "02 05 E0 1E 00 00 00 FB");
	shtrih_req_pw(&r, SHTRIH_Z_REPORT, 30);
	check_req(&r, "02 05 41 1E 00 00 00 5A");
	shtrih_req_pw(&r, SHTRIH_FN_CLOSE_SHIFT, 30);
	check_req(&r, "02 06 FF 43 1E 00 00 00 A4");
	shtrih_req_pw(&r, SHTRIH_FN_CANCEL_DOC, 30);
	check_req(&r, "02 06 FF 08 1E 00 00 00 EF");
	shtrih_req_pw(&r, SHTRIH_FN_STATUS, 30);
	check_req(&r, "02 06 FF 01 1E 00 00 00 E6");
	shtrih_req_fd(&r, SHTRIH_FN_FIND_DOC, 30, 1234);
	check_req(&r, "02 0A FF 0A 1E 00 00 00 D2 04 00 00 37");
	/* the fr_drv_ng trace: 2Dh and 2Eh with pw 30 and one data byte */
	struct shtrih_req raw = { .cmd = 0x2D, .len = 5, .data = { 0x1E, 0, 0, 0, 0x0A } };
	check_req(&raw, "02 06 2D 1E 00 00 00 0A 3F");
	raw.cmd = 0x2E;
	raw.data[5] = 0x1D;
	raw.len = 6;
	check_req(&raw, "02 07 2E 1E 00 00 00 0A 1D 20");
}

static void test_trace_lrc(void **state)
{
	(void)state;
	/* LRC of real device traces: N xor body */
	const char *frames[] = {
		"02 09 1F 1E 00 00 00 0A 01 00 1D 1E",
		"02 03 1F 00 04 18",
		"02 07 2E 1E 00 00 00 0A 1D 20",
		"02 03 FF 46 00 BA",
	};
	for (size_t i = 0; i < sizeof frames / sizeof frames[0]; i++) {
		struct shtrih_decoder d;
		size_t n = decode_all(&d, frames[i], SHTRIH_DEC_FRAME);
		assert_true(n > 0);
		assert_int_equal(d.n_bad_lrc, 0);
	}
}

static void fill_name(struct shtrih_item *it, const char *hex)
{
	it->name_len = unhex(hex, it->name);
}

static void test_item_frame(void **state)
{
	(void)state;
	struct shtrih_item it = {
		.op_type = 1, .qty_micro = 1000000, .price = 123456, .amount = 123456,
		.tax_amount = SHTRIH_AMOUNT_NONE, .tax = 0x08, .department = 1, .method = 4,
		.object = 4,
	};
	fill_name(&it, "CE EF EB E0 F2 E0 20 C6 CA D3"); /* «Оплата ЖКУ» in WIN1251 */
	struct shtrih_req r;
	assert_int_equal(shtrih_req_item(&r, 30, &it), 0);
	check_req(&r, "02 2A FF 46 1E 00 00 00 01 40 42 0F 00 00 00 40 E2 01 00 00 40 E2 01 00 00"
		      " FF FF FF FF FF 08 01 04 04 CE EF EB E0 F2 E0 20 C6 CA D3 B0");
	it.department = 17;
	assert_int_equal(shtrih_req_item(&r, 30, &it), -1);
	it.department = 1;
	it.price = -1;
	assert_int_equal(shtrih_req_item(&r, 30, &it), -1);
	it.price = 1;
	it.name_len = SHTRIH_NAME_MAX + 1;
	assert_int_equal(shtrih_req_item(&r, 30, &it), -1);
}

static void test_tlv_frames(void **state)
{
	(void)state;
	uint8_t tlv[64];
	struct shtrih_req r;
	size_t n = unhex("C6 04 01 00 04", tlv);
	assert_int_equal(shtrih_req_tlv(&r, SHTRIH_FN_ITEM_TAG, 30, tlv, n), 0);
	check_req(&r, "02 0B FF 4D 1E 00 00 00 C6 04 01 00 04 60");
	n = unhex("CA 04 0C 00 35 30 31 32 33 34 35 36 37 38 20 20", tlv);
	assert_int_equal(shtrih_req_tlv(&r, SHTRIH_FN_ITEM_TAG, 30, tlv, n), 0);
	check_req(&r, "02 16 FF 4D 1E 00 00 00 CA 04 0C 00 35 30 31 32 33 34 35 36 37 38 20 20 75");
	n = unhex("C8 04 1F 00 C9 04 0B 00 8E 8E 8E 20 90 AE AC A0 E8 AA A0 93 04 0C 00 2B 37 34 39"
		  " 35 31 32 33 34 35 36 37", tlv);
	assert_int_equal(shtrih_req_tlv(&r, SHTRIH_FN_ITEM_TAG, 30, tlv, n), 0);
	check_req(&r, "02 29 FF 4D 1E 00 00 00 C8 04 1F 00 C9 04 0B 00 8E 8E 8E 20 90 AE AC A0 E8"
		      " AA A0 93 04 0C 00 2B 37 34 39 35 31 32 33 34 35 36 37 61");
	assert_int_equal(shtrih_req_tlv(&r, SHTRIH_FN_TAG, 30, tlv, 0), -1);
	assert_int_equal(shtrih_req_tlv(&r, SHTRIH_FN_TAG, 30, tlv, SHTRIH_TLV_MAX + 1), -1);
}

static void test_close_frame(void **state)
{
	(void)state;
	struct shtrih_close c = { .tax_system = 0x02 };
	c.pay[1] = 123456;
	struct shtrih_req r;
	assert_int_equal(shtrih_req_close(&r, 30, &c), 0);
	char hex[1024];
	size_t off = (size_t)snprintf(hex, sizeof hex, "02 76 FF 45 1E 00 00 00 00 00 00 00 00 "
				      "40 E2 01 00 00");
	for (int i = 0; i < 70 + 1 + 30; i++)
		off += (size_t)snprintf(hex + off, sizeof hex - off, " 00");
	snprintf(hex + off, sizeof hex - off, " 02 73");
	check_req(&r, hex);
	c.tax_system = 0x03;
	assert_int_equal(shtrih_req_close(&r, 30, &c), -1);
	c.tax_system = 0;
	assert_int_equal(shtrih_req_close(&r, 30, &c), -1);
	c.tax_system = 0x40;
	assert_int_equal(shtrih_req_close(&r, 30, &c), -1);
}

static void test_short_status_reply(void **state)
{
	(void)state;
	struct shtrih_decoder d;
	size_t n = decode_all(&d, "02 10 10 00 1E 82 02 02 00 00 9A C4 00 00 00 00 00 00 C2",
			      SHTRIH_DEC_FRAME);
	struct shtrih_reply rp;
	struct shtrih_short_status st;
	assert_int_equal(shtrih_reply_parse(d.body, n, &rp), 0);
	assert_int_equal(rp.cmd, 0x10);
	assert_int_equal(rp.err, 0);
	assert_int_equal(shtrih_parse_short_status(&rp, &st), 0);
	assert_int_equal(st.op, 30);
	assert_int_equal(st.flags, 0x0282);
	assert_int_equal(st.mode, SHTRIH_MODE_SHIFT_OPEN);
	assert_int_equal(st.submode, 0);
	assert_int_equal(st.battery, 0x9A);
	assert_false(st.has_print_result);
	rp.len = 13;
	st.op = 7;
	assert_int_equal(shtrih_parse_short_status(&rp, &st), -1);
	assert_int_equal(st.op, 7);
}

static void test_fn_status_reply(void **state)
{
	(void)state;
	struct shtrih_decoder d;
	size_t n = decode_all(&d, "02 21 FF 01 00 03 02 00 00 00 13 02 1A 12 0D 39 39 39 39 30 37"
			      " 38 39 30 30 30 30 37 39 30 33 88 00 00 00 49", SHTRIH_DEC_FRAME);
	struct shtrih_reply rp;
	struct shtrih_fn_status fs;
	assert_int_equal(shtrih_reply_parse(d.body, n, &rp), 0);
	assert_int_equal(rp.cmd, 0xFF01);
	assert_int_equal(shtrih_parse_fn_status(&rp, &fs), 0);
	assert_int_equal(fs.phase, 3);
	assert_int_equal(fs.cur_doc, 2);
	assert_int_equal(fs.last_doc.yy, 19);
	assert_int_equal(fs.last_doc.mo, 2);
	assert_int_equal(fs.last_doc.dd, 26);
	assert_int_equal(fs.last_doc.hh, 18);
	assert_int_equal(fs.last_doc.mi, 13);
	assert_string_equal(fs.serial, "9999078900007903");
	assert_int_equal(fs.last_fd, 136);
}

static void test_close_and_find_replies(void **state)
{
	(void)state;
	struct shtrih_decoder d;
	struct shtrih_reply rp;
	size_t n = decode_all(&d, "02 10 FF 45 00 00 00 00 00 00 D2 04 00 00 4D E6 40 BB 2C",
			      SHTRIH_DEC_FRAME);
	struct shtrih_fd_result cr;
	assert_int_equal(shtrih_reply_parse(d.body, n, &rp), 0);
	assert_int_equal(rp.cmd, 0xFF45);
	assert_int_equal(shtrih_parse_close_result(&rp, &cr), 0);
	assert_int_equal(cr.change, 0);
	assert_int_equal(cr.fd, 1234);
	assert_int_equal(cr.fp, 3141592653u);
	assert_false(cr.has_dt);

	n = decode_all(&d, "02 18 FF 0A 00 03 00 19 03 0E 0C 05 D2 04 00 00 4D E6 40 BB 01 40 E2 01"
		       " 00 00 D7", SHTRIH_DEC_FRAME);
	struct shtrih_fn_doc doc;
	assert_int_equal(shtrih_reply_parse(d.body, n, &rp), 0);
	assert_int_equal(shtrih_parse_fn_doc(&rp, &doc), 0);
	assert_int_equal(doc.type, SHTRIH_DOC_RECEIPT);
	assert_int_equal(doc.dt.yy, 25);
	assert_int_equal(doc.dt.mo, 3);
	assert_int_equal(doc.dt.dd, 14);
	assert_int_equal(doc.dt.hh, 12);
	assert_int_equal(doc.dt.mi, 5);
	assert_int_equal(doc.fd, 1234);
	assert_int_equal(doc.fp, 3141592653u);
	assert_int_equal(doc.op, 1);
	assert_int_equal(doc.sum, 123456);
	rp.len = 20; /* a receipt body one byte short */
	assert_int_equal(shtrih_parse_fn_doc(&rp, &doc), -1);

	n = decode_all(&d, "02 03 FF 46 00 BA", SHTRIH_DEC_FRAME);
	assert_int_equal(shtrih_reply_parse(d.body, n, &rp), 0);
	assert_int_equal(rp.cmd, 0xFF46);
	assert_int_equal(rp.len, 0);
	/* an error reply carries the command and the code only */
	n = decode_all(&d, "02 03 FF 45 4E F7", SHTRIH_DEC_FRAME);
	assert_int_equal(shtrih_reply_parse(d.body, n, &rp), 0);
	assert_int_equal(rp.err, 0x4E);
	assert_int_equal(shtrih_parse_close_result(&rp, &cr), -1);
}

static void test_other_replies(void **state)
{
	(void)state;
	struct shtrih_decoder d;
	struct shtrih_reply rp;
	/* FF3A: a receipt (STLV 3) of 0x0123 bytes */
	size_t n = decode_all(&d, "02 07 FF 3A 00 03 00 23 01 E3", SHTRIH_DEC_FRAME);
	uint16_t tag, len, unsent;
	assert_int_equal(shtrih_reply_parse(d.body, n, &rp), 0);
	assert_int_equal(shtrih_parse_tlv_begin(&rp, &tag, &len), 0);
	assert_int_equal(tag, 3);
	assert_int_equal(len, 0x123);
	rp.len = 3;
	assert_int_equal(shtrih_parse_tlv_begin(&rp, &tag, &len), -1);
	/* FF3F: 5 unsent; FF40: shift 7 open, 12 receipts */
	n = decode_all(&d, "02 05 FF 3F 00 05 00 C0", SHTRIH_DEC_FRAME);
	assert_int_equal(shtrih_reply_parse(d.body, n, &rp), 0);
	assert_int_equal(shtrih_parse_unsent(&rp, &unsent), 0);
	assert_int_equal(unsent, 5);
	n = decode_all(&d, "02 08 FF 40 00 01 07 00 0C 00 BD", SHTRIH_DEC_FRAME);
	struct shtrih_shift_status sh;
	assert_int_equal(shtrih_reply_parse(d.body, n, &rp), 0);
	assert_int_equal(shtrih_parse_shift_status(&rp, &sh), 0);
	assert_int_equal(sh.open, 1);
	assert_int_equal(sh.shift_no, 7);
	assert_int_equal(sh.receipt_no, 12);
	/* FF39: transport up, 2 messages, first unsent FD 40 of 2025-03-14 12:05 */
	n = decode_all(&d, "02 10 FF 39 00 01 00 02 00 28 00 00 00 19 03 0E 0C 05 E0", SHTRIH_DEC_FRAME);
	struct shtrih_ofd_status ofd;
	assert_int_equal(shtrih_reply_parse(d.body, n, &rp), 0);
	assert_int_equal(shtrih_parse_ofd_status(&rp, &ofd), 0);
	assert_int_equal(ofd.msgs, 2);
	assert_int_equal(ofd.first_fd, 40);
	assert_int_equal(ofd.first_dt.mi, 5);
	/* FCh identify */
	n = decode_all(&d, "02 0A FC 00 00 00 01 00 96 00 41 42 62", SHTRIH_DEC_FRAME);
	struct shtrih_identity id;
	assert_int_equal(shtrih_reply_parse(d.body, n, &rp), 0);
	assert_int_equal(shtrih_parse_identity(&rp, &id), 0);
	assert_int_equal(id.model, 0x96);
	assert_string_equal(id.name, "AB");
}

static void test_decoder_malformed(void **state)
{
	(void)state;
	struct shtrih_decoder d;
	/* bad LRC */
	decode_all(&d, "02 03 FF 46 00 BB", SHTRIH_DEC_BAD_LRC);
	assert_int_equal(d.n_bad_lrc, 1);
	/* N = 0 is no frame; the STX is dropped */
	shtrih_decoder_init(&d, 50);
	assert_int_equal(shtrih_decoder_feed(&d, 0x02, 0), SHTRIH_DEC_MORE);
	assert_int_equal(shtrih_decoder_feed(&d, 0x00, 0), SHTRIH_DEC_NOISE);
	assert_false(shtrih_decoder_busy(&d));
	/* noise outside a frame, then a frame */
	shtrih_decoder_init(&d, 50);
	assert_int_equal(shtrih_decoder_feed(&d, 0xFF, 0), SHTRIH_DEC_NOISE);
	assert_int_equal(shtrih_decoder_feed(&d, 0x06, 0), SHTRIH_DEC_NOISE);
	assert_int_equal(d.n_noise, 2);
	/* a partial frame older than the byte timeout is dropped */
	uint8_t f[] = { 0x02, 0x03, 0xFF, 0x46, 0x00, 0xBA };
	for (int i = 0; i < 3; i++)
		assert_int_equal(shtrih_decoder_feed(&d, f[i], 0), SHTRIH_DEC_MORE);
	assert_int_equal(shtrih_decoder_feed(&d, f[3], 51), SHTRIH_DEC_NOISE);
	assert_int_equal(d.n_timeouts, 1);
	int ev = 0;
	for (int i = 0; i < 6; i++)
		ev = shtrih_decoder_feed(&d, f[i], 100);
	assert_int_equal(ev, SHTRIH_DEC_FRAME);
	/* replies too short to split */
	struct shtrih_reply rp;
	uint8_t b1[] = { 0x10 }, b2[] = { 0xFF, 0x45 };
	assert_int_equal(shtrih_reply_parse(b1, 1, &rp), -1);
	assert_int_equal(shtrih_reply_parse(b2, 2, &rp), -1);
	assert_int_equal(shtrih_reply_parse(b1, 0, &rp), -1);
}

static void test_encode_limits(void **state)
{
	(void)state;
	uint8_t out[SHTRIH_FRAME_MAX], data[300] = { 0 };
	assert_int_equal(shtrih_frame_encode(0x100, NULL, 0, out, sizeof out), 0);
	assert_int_equal(shtrih_frame_encode(0x10, data, 254, out, sizeof out), 258);
	assert_int_equal(shtrih_frame_encode(0x10, data, 255, out, sizeof out), 0);
	assert_int_equal(shtrih_frame_encode(0xFF45, data, 253, out, sizeof out), 258);
	assert_int_equal(shtrih_frame_encode(0xFF45, data, 254, out, sizeof out), 0);
	assert_int_equal(shtrih_frame_encode(0x10, data, 4, out, 7), 0);
}

static void test_texts(void **state)
{
	(void)state;
	assert_string_equal(shtrih_error_text(0x6B), "нет чековой ленты");
	assert_int_equal(shtrih_error_action(0x6B), SHTRIH_ACT_PAPER);
	assert_int_equal(shtrih_error_action(0x4E), SHTRIH_ACT_SHIFT_OVER);
	assert_int_equal(shtrih_error_action(0x16), SHTRIH_ACT_SHIFT_OVER);
	assert_int_equal(shtrih_error_action(0x50), SHTRIH_ACT_RETRY);
	assert_int_equal(shtrih_error_action(0x58), SHTRIH_ACT_CONTINUE);
	assert_int_equal(shtrih_error_action(0x08), SHTRIH_ACT_NO_DATA);
	assert_int_equal(shtrih_error_action(0x05), SHTRIH_ACT_REPLACE_FN);
	assert_int_equal(shtrih_error_action(0x14), SHTRIH_ACT_OUT_OF_SERVICE);
	assert_int_equal(shtrih_error_action(0xEE), SHTRIH_ACT_RESYNC);
	assert_string_equal(shtrih_error_text(0xEE), "неизвестная ошибка ККТ");
	assert_string_equal(shtrih_error_text(0xA2), "ошибка маркировки");
	assert_string_equal(shtrih_mode_text(3), "смена открыта более 24 часов: нужен Z-отчёт");
	assert_string_equal(shtrih_mode_text(7), "неизвестный режим");
	assert_string_equal(shtrih_submode_text(3), "бумага заправлена: ждёт продолжения печати");
	assert_string_equal(shtrih_phase_text(3), "ФН в фискальном режиме");
	assert_string_equal(shtrih_action_name(SHTRIH_ACT_PAPER), "paper");
	assert_int_equal(shtrih_cmd_timeout_ms(SHTRIH_Z_REPORT), 65000);
	assert_int_equal(shtrih_cmd_timeout_ms(SHTRIH_OPEN_SHIFT), 120000);
	assert_int_equal(shtrih_cmd_timeout_ms(SHTRIH_SHORT_STATUS), 3000);
	assert_int_equal(shtrih_cmd_timeout_ms(SHTRIH_FN_CLOSE_RECEIPT), 30000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_short_frames),
		cmocka_unit_test(test_trace_lrc),
		cmocka_unit_test(test_item_frame),
		cmocka_unit_test(test_tlv_frames),
		cmocka_unit_test(test_close_frame),
		cmocka_unit_test(test_short_status_reply),
		cmocka_unit_test(test_fn_status_reply),
		cmocka_unit_test(test_close_and_find_replies),
		cmocka_unit_test(test_other_replies),
		cmocka_unit_test(test_decoder_malformed),
		cmocka_unit_test(test_encode_limits),
		cmocka_unit_test(test_texts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
