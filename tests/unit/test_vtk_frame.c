/* VTK framing: the worked examples byte for byte in both link forms (encoded from their
 * messages, decoded back), the CRC check value, reassembly across split and coalesced reads,
 * and the decoder's rules on malformed input (garbage, bad CRC, bad LEN, foreign
 * discriminators, T_FRAME, a broken TCP stream). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "drivers/vtk_frame.h"
#include "drivers/crc16.h"
#include "drivers/vtk_msg.h"
#include "tests/unit/vtk_examples.h"

static struct vtk_decoder dec;
static uint8_t buf[VTK_FRAME_MAX], want[VTK_FRAME_MAX];

/* The serial form of example i: 1F + the TCP bytes + the CRC. */
static size_t example_serial(size_t i, uint8_t *out)
{
	out[0] = VTK_STX;
	size_t n = 1 + vtk_example_tcp(i, out + 1);
	out[n++] = (uint8_t)(VTK_EXAMPLES[i].crc >> 8);
	out[n++] = (uint8_t)VTK_EXAMPLES[i].crc;
	return n;
}

static void test_crc_check_value(void **state)
{
	(void)state;
	assert_int_equal(crc16_ccitt((const uint8_t *)"123456789", 9), 0x29B1);
	assert_int_equal(crc16_ccitt(NULL, 0), 0xFFFF);
}

/* Builds every example from its fields (not from its bytes) and compares both framings. */
static void build_example(size_t i, struct vtk_msg *m, uint16_t *disc)
{
	const char *id = VTK_EXAMPLES[i].id;
	static const char *names[] = { "IDL", "IDL", "VRP", "VRP", "VRP", "FIN", "FIN", "FIN", "ABR" };
	vtk_msg_init(m, names[i]);
	*disc = (id[1] == '2' || id[1] == '4' || id[1] == '5' || id[1] == '7') ? VTK_DISC_POS
										: VTK_DISC_VMC;
	switch (id[1]) {
	case '1': break;
	case '2':
		vtk_msg_set_num(m, VTK_T_OP, 41);
		vtk_msg_set_num(m, VTK_T_KEEPALIVE, 10);
		vtk_msg_set_num(m, VTK_T_TIMEOUT, 120);
		vtk_msg_set_num(m, VTK_T_EVENT_NO, 0);
		break;
	case '3':
		vtk_msg_set_num(m, VTK_T_OP, 42);
		vtk_msg_set_num(m, VTK_T_AMOUNT, 452316);
		vtk_msg_set_num(m, VTK_T_PRODUCT, 7);
		vtk_msg_set_text(m, VTK_T_PRODUCT_NAME, "\xD0\x96\xD0\x9A\xD0\xA3", 6);
		break;
	case '4':
		vtk_msg_set_num(m, VTK_T_OP, 42);
		vtk_msg_set_num(m, VTK_T_AMOUNT, 452316);
		vtk_msg_set_text(m, VTK_T_RECEIPT, VTK_E4_RECEIPT, strlen(VTK_E4_RECEIPT));
		break;
	case '5': case '8':
		vtk_msg_set_num(m, VTK_T_OP, 42);
		vtk_msg_set_num(m, VTK_T_AMOUNT, 0);
		break;
	case '6': case '7':
		vtk_msg_set_num(m, VTK_T_OP, 42);
		vtk_msg_set_num(m, VTK_T_AMOUNT, 452316);
		break;
	case '9':
		vtk_msg_set_num(m, VTK_T_OP, 42);
		break;
	}
}

static void test_examples_encode_both_framings(void **state)
{
	(void)state;
	assert_int_equal(strlen(VTK_E4_RECEIPT), 143);
	for (size_t i = 0; i < VTK_NEXAMPLES; i++) {
		struct vtk_msg m;
		uint16_t disc;
		uint8_t tlv[1024];
		build_example(i, &m, &disc);
		int k = vtk_msg_encode(&m, tlv, sizeof tlv);
		assert_true(k > 0);
		size_t n = vtk_example_tcp(i, want);
		size_t got = vtk_frame_encode(VTK_LINK_TCP, disc, tlv, (size_t)k, buf, sizeof buf);
		assert_int_equal(got, n);
		assert_memory_equal(buf, want, n);
		n = example_serial(i, want);
		got = vtk_frame_encode(VTK_LINK_SERIAL, disc, tlv, (size_t)k, buf, sizeof buf);
		assert_int_equal(got, n);
		assert_memory_equal(buf, want, n);
	}
	/* E4: the frame sizes the examples state (TCP 167, serial 170) */
	assert_int_equal(vtk_example_tcp(3, want), 167);
	assert_int_equal(example_serial(3, want), 170);
}

static void test_encode_rejects(void **state)
{
	(void)state;
	assert_int_equal(vtk_frame_encode(VTK_LINK_TCP, VTK_DISC_VMC, buf, VTK_MAX_PAYLOAD + 1,
					  want, sizeof want), 0);
	assert_int_equal(vtk_frame_encode(VTK_LINK_SERIAL, VTK_DISC_VMC, buf, 3, want, 9), 0);
	assert_int_equal(vtk_frame_encode(VTK_LINK_SERIAL, VTK_DISC_VMC, buf, 3, want, 10), 10);
	assert_int_equal(vtk_frame_encode(VTK_LINK_TCP, VTK_DISC_VMC, NULL, 0, want, 4), 4);
	assert_memory_equal(want, "\x00\x02\x96\xFB", 4);
}

/* Feeds n bytes in chunks of `chunk`, collecting the frames' payloads (as "len:crc16" of
 * their TLVs, compared by the caller) into ret; returns the count. */
static int feed_all(const uint8_t *in, size_t n, size_t chunk, int64_t step_ms,
		    uint16_t *ret_len, uint16_t *ret_sum, uint16_t *ret_disc, int cap)
{
	int got = 0;
	int64_t now = 0;
	for (size_t off = 0; off < n; off += chunk, now += step_ms) {
		size_t c = n - off < chunk ? n - off : chunk, used = 0;
		for (;;) {
			struct vtk_frame f;
			int ev;
			used += vtk_decoder_feed(&dec, in + off + used, c - used, now, &f, &ev);
			if (ev == VTK_DEC_NONE)
				break;
			assert_int_equal(ev, VTK_DEC_FRAME);
			assert_true(got < cap);
			ret_len[got] = f.len;
			ret_sum[got] = crc16_ccitt(f.payload, f.len);
			ret_disc[got] = f.disc;
			got++;
		}
		assert_int_equal(used, c);
	}
	return got;
}

/* Every example, all concatenated, fed whole, one byte at a time and in odd chunks, in both
 * framings: the same frames come out, in order. */
static void test_decode_examples_any_split(void **state)
{
	(void)state;
	static uint8_t all[4096];
	for (int link = VTK_LINK_TCP; link <= VTK_LINK_SERIAL; link++) {
		size_t n = 0;
		uint16_t elen[VTK_NEXAMPLES], esum[VTK_NEXAMPLES];
		for (size_t i = 0; i < VTK_NEXAMPLES; i++) {
			size_t k = link == VTK_LINK_SERIAL ? example_serial(i, all + n)
							   : vtk_example_tcp(i, all + n);
			size_t hdr = link == VTK_LINK_SERIAL ? 5 : 4;
			size_t tl = k - hdr - (link == VTK_LINK_SERIAL ? 2 : 0);
			elen[i] = (uint16_t)tl;
			esum[i] = crc16_ccitt(all + n + hdr, tl);
			n += k;
		}
		size_t chunks[] = { n, 1, 2, 3, 7, 64, 166, 167, 171 };
		for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
			uint16_t len[16], sum[16], disc[16];
			vtk_decoder_init(&dec, (enum vtk_link)link);
			int got = feed_all(all, n, chunks[c], 1, len, sum, disc, 16);
			assert_int_equal(got, VTK_NEXAMPLES);
			for (size_t i = 0; i < VTK_NEXAMPLES; i++) {
				assert_int_equal(len[i], elen[i]);
				assert_int_equal(sum[i], esum[i]);
				assert_int_equal(disc[i], VTK_EXAMPLES[i].tcp_hex[7] == '7' ? VTK_DISC_POS
										: VTK_DISC_VMC);
			}
			assert_int_equal(dec.have, 0);
		}
	}
}

static int decode_one(const uint8_t *in, size_t n, int64_t now, struct vtk_frame *f)
{
	int ev = VTK_DEC_NONE;
	size_t used = 0;
	while (used < n) {
		used += vtk_decoder_feed(&dec, in + used, n - used, now, f, &ev);
		if (ev != VTK_DEC_NONE)
			return ev;
	}
	return ev;
}

static void test_vendor_vectors(void **state)
{
	(void)state;
	struct vtk_frame f;
	struct vtk_msg m;
	size_t n = vtk_unhex(VTK_VENDOR_GOOD, buf);
	vtk_decoder_init(&dec, VTK_LINK_SERIAL);
	assert_int_equal(decode_one(buf, n, 0, &f), VTK_DEC_FRAME);
	assert_int_equal(f.disc, VTK_DISC_VMC);
	assert_int_equal(vtk_msg_decode(f.payload, f.len, &m), VTK_MSG_OK);
	assert_string_equal(m.name, "IDL");
	assert_int_equal(m.event_no, 1);
	assert_string_equal(m.event_name, "CSAPP");
	assert_int_equal(m.product, 123);
	assert_string_equal(m.product_name, "\xD0\x9A\xD0\x9E\xD0\xA4\xD0\x95"); /* КОФЕ */
	assert_int_equal(m.amount, 9000);

	/* the bad vector frames fine (its CRC matches) but its message does not parse */
	n = vtk_unhex(VTK_VENDOR_BAD, buf);
	vtk_decoder_init(&dec, VTK_LINK_SERIAL);
	assert_int_equal(decode_one(buf, n, 0, &f), VTK_DEC_FRAME);
	assert_int_equal(vtk_msg_decode(f.payload, f.len, &m), VTK_MSG_ETRUNC);
}

static void test_serial_garbage_and_bad_crc(void **state)
{
	(void)state;
	uint8_t in[512];
	struct vtk_frame f;
	size_t n = 0;
	/* garbage, a stray 1F with a LEN of 1, an E1 with a bad CRC, then a good E9 */
	memcpy(in, "\x00\xFF\x55\x1F\x00\x01", 6);
	n = 6;
	size_t k = example_serial(0, in + n);
	in[n + k - 1] ^= 0x01;
	n += k;
	n += example_serial(8, in + n);
	vtk_decoder_init(&dec, VTK_LINK_SERIAL);
	assert_int_equal(decode_one(in, n, 0, &f), VTK_DEC_FRAME);
	assert_int_equal(f.len, 0x0B - 2);
	assert_memory_equal(f.payload, "\x01\x03" "ABR", 5);
	assert_int_equal(dec.n_bad_crc, 1);
	assert_true(dec.n_garbage >= 4);
}

/* A frame hidden inside a bad one (after its 1F) is found by the rescan. */
static void test_rescan_finds_embedded_frame(void **state)
{
	(void)state;
	uint8_t in[256];
	struct vtk_frame f;
	/* 1F 00 20 ...: claims 32 bytes, and the next bytes are a whole E1 serial frame */
	in[0] = VTK_STX;
	in[1] = 0x00;
	in[2] = 0x20;
	size_t n = 3 + example_serial(0, in + 3);
	memset(in + n, 0xAA, 40);
	n += 40;
	vtk_decoder_init(&dec, VTK_LINK_SERIAL);
	assert_int_equal(decode_one(in, n, 0, &f), VTK_DEC_FRAME);
	assert_memory_equal(f.payload, "\x01\x03" "IDL", 5);
	assert_int_equal(dec.n_bad_crc, 1);
}

static void test_foreign_discriminator_dropped(void **state)
{
	(void)state;
	uint8_t in[256], tlv[3] = { 0x01, 0x00, 0x00 };
	struct vtk_frame f;
	for (int link = VTK_LINK_TCP; link <= VTK_LINK_SERIAL; link++) {
		size_t n = vtk_frame_encode((enum vtk_link)link, 0x97FC, tlv, 3, in, sizeof in);
		n += vtk_frame_encode((enum vtk_link)link, VTK_DISC_POS, tlv, 2, in + n, sizeof in - n);
		vtk_decoder_init(&dec, (enum vtk_link)link);
		assert_int_equal(decode_one(in, n, 0, &f), VTK_DEC_FRAME);
		assert_int_equal(f.disc, VTK_DISC_POS);
		assert_int_equal(f.len, 2);
		assert_int_equal(dec.n_foreign, 1);
	}
}

static void test_serial_frame_timeout(void **state)
{
	(void)state;
	uint8_t in[64];
	struct vtk_frame f;
	int ev;
	size_t n = example_serial(0, in);
	vtk_decoder_init(&dec, VTK_LINK_SERIAL);
	/* half a frame at t=0, the rest after T_FRAME: the half is discarded, nothing decodes */
	assert_int_equal(vtk_decoder_feed(&dec, in, 5, 0, &f, &ev), 5);
	assert_int_equal(ev, VTK_DEC_NONE);
	assert_int_equal(vtk_decoder_feed(&dec, in + 5, n - 5, VTK_T_FRAME_MS + 1, &f, &ev), n - 5);
	assert_int_equal(ev, VTK_DEC_NONE);
	assert_int_equal(dec.n_timeouts, 1);
	/* the same split within T_FRAME decodes */
	vtk_decoder_init(&dec, VTK_LINK_SERIAL);
	vtk_decoder_feed(&dec, in, 5, 0, &f, &ev);
	vtk_decoder_feed(&dec, in + 5, n - 5, VTK_T_FRAME_MS, &f, &ev);
	assert_int_equal(ev, VTK_DEC_FRAME);
	/* tick alone discards a stale partial frame */
	vtk_decoder_init(&dec, VTK_LINK_SERIAL);
	vtk_decoder_feed(&dec, in, 3, 100, &f, &ev);
	vtk_decoder_tick(&dec, 100 + VTK_T_FRAME_MS + 1);
	assert_int_equal(dec.have, 0);
	assert_int_equal(dec.n_timeouts, 1);
}

static void test_tcp_broken_stream(void **state)
{
	(void)state;
	uint8_t in[64];
	struct vtk_frame f;
	int ev;
	size_t n = vtk_example_tcp(0, in);
	memcpy(in + n, "\x00\x01\x96", 3);
	n += 3;
	n += vtk_example_tcp(0, in + n);
	vtk_decoder_init(&dec, VTK_LINK_TCP);
	assert_int_equal(decode_one(in, n, 0, &f), VTK_DEC_FRAME);
	size_t used = vtk_decoder_feed(&dec, in + 9, n - 9, 0, &f, &ev);
	assert_int_equal(ev, VTK_DEC_BROKEN);
	assert_int_equal(used, n - 9);
	/* and stays broken: the E1 after it is not reported */
	used = vtk_decoder_feed(&dec, in, 9, 0, &f, &ev);
	assert_int_equal(used, 9);
	assert_int_equal(ev, VTK_DEC_NONE);
	/* garbage whose LEN looks fine but whose discriminator is not VTK's */
	vtk_decoder_init(&dec, VTK_LINK_TCP);
	assert_int_equal(vtk_decoder_feed(&dec, (const uint8_t *)"\x1F\xA5\xA5\x1F", 4, 0, &f, &ev), 4);
	assert_int_equal(ev, VTK_DEC_BROKEN);
	vtk_decoder_init(&dec, VTK_LINK_TCP);
	assert_int_equal(vtk_decoder_feed(&dec, (const uint8_t *)"\x00\x05\x96", 3, 0, &f, &ev), 3);
	assert_int_equal(ev, VTK_DEC_NONE); /* not yet decidable */
}

/* The largest frame: LEN 65535, a 65533-byte payload, both framings, fed in 1000-byte reads. */
static void test_max_frame_roundtrip(void **state)
{
	(void)state;
	static uint8_t payload[VTK_MAX_PAYLOAD];
	for (size_t i = 0; i < sizeof payload; i++)
		payload[i] = (uint8_t)(i * 7);
	for (int link = VTK_LINK_TCP; link <= VTK_LINK_SERIAL; link++) {
		size_t n = vtk_frame_encode((enum vtk_link)link, VTK_DISC_POS, payload, sizeof payload,
					    buf, sizeof buf);
		assert_int_equal(n, link == VTK_LINK_SERIAL ? VTK_FRAME_MAX : VTK_FRAME_MAX - 3);
		uint16_t len[2], sum[2], disc[2];
		vtk_decoder_init(&dec, (enum vtk_link)link);
		assert_int_equal(feed_all(buf, n, 1000, 1, len, sum, disc, 2), 1);
		assert_int_equal(len[0], VTK_MAX_PAYLOAD);
		assert_int_equal(sum[0], crc16_ccitt(payload, sizeof payload));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc_check_value),
		cmocka_unit_test(test_examples_encode_both_framings),
		cmocka_unit_test(test_encode_rejects),
		cmocka_unit_test(test_decode_examples_any_split),
		cmocka_unit_test(test_vendor_vectors),
		cmocka_unit_test(test_serial_garbage_and_bad_crc),
		cmocka_unit_test(test_rescan_finds_embedded_frame),
		cmocka_unit_test(test_foreign_discriminator_dropped),
		cmocka_unit_test(test_serial_frame_timeout),
		cmocka_unit_test(test_tcp_broken_stream),
		cmocka_unit_test(test_max_frame_roundtrip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
