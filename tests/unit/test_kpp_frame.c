/* KPP/1 framing: the example frames of docs/kpp1.md byte for byte, the CRC check value, and
 * the decoder's resync rules on malformed input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "drivers/kpp_frame.h"
#include "drivers/crc16.h"

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

static const char *SALE_HEX =
	"02 01 00 01 00 29 10 01 00 12 4B 31 2D 32 30 32 34 30 36 30 31 2D 30 30 30 30 34 32"
	"02 00 05 31 32 33 34 35 03 00 03 36 34 33 16 00 02 36 30 74 FE";
static const char *SALE_RESP_HEX =
	"02 01 00 00 00 6D 90 05 00 01 00 06 00 01 02 01 00 12 4B 31 2D 32 30 32 34 30 36 30 31 2D"
	"30 30 30 30 34 32 02 00 05 31 32 33 34 35 03 00 03 36 34 33 07 00 02 30 30 08 00 06 41 31"
	"42 32 43 33 09 00 0C 34 31 35 36 31 32 33 34 35 36 37 38 0A 00 10 32 32 30 32 32 30 2A 2A"
	"2A 2A 2A 2A 31 32 33 34 0B 00 03 4D 49 52 0E 00 08 31 32 33 34 35 36 37 38 C2 8B";
static const char *TXN_STATUS_HEX =
	"02 01 00 02 00 16 20 01 00 12 4B 31 2D 32 30 32 34 30 36 30 31 2D 30 30 30 30 34 32 99 90";

static void test_crc_check_value(void **state)
{
	(void)state;
	assert_int_equal(crc16_ccitt((const uint8_t *)"123456789", 9), 0x29B1);
	assert_int_equal(crc16_ccitt(NULL, 0), 0xFFFF);
}

static void check_encode(uint8_t kind, uint8_t seq, const char *hex)
{
	uint8_t want[KPP_FRAME_MAX], got[KPP_FRAME_MAX];
	size_t n = unhex(hex, want);
	size_t plen = n - KPP_FRAME_OVERHEAD;
	size_t m = kpp_frame_encode(kind, seq, want + KPP_HDR_LEN, plen, got, sizeof got);
	assert_int_equal(m, n);
	assert_memory_equal(got, want, n);
}

static void test_encode_examples(void **state)
{
	(void)state;
	check_encode(KPP_KIND_DATA, 0, "02 01 00 00 00 01 02 58 C3");
	check_encode(KPP_KIND_ACK, 0, "02 01 01 00 00 00 CD E9");
	check_encode(KPP_KIND_NAK, 0, "02 01 02 00 00 00 56 35");
	check_encode(KPP_KIND_DATA, 1, SALE_HEX);
	check_encode(KPP_KIND_DATA, 0, SALE_RESP_HEX);
	check_encode(KPP_KIND_DATA, 2, TXN_STATUS_HEX);
}

static void test_encode_rejects(void **state)
{
	(void)state;
	uint8_t out[KPP_FRAME_MAX + 8], p[KPP_MAX_PAYLOAD + 1] = { 0 };
	assert_int_equal(kpp_frame_encode(3, 0, NULL, 0, out, sizeof out), 0);
	assert_int_equal(kpp_frame_encode(KPP_KIND_ACK, 0, p, 1, out, sizeof out), 0);
	assert_int_equal(kpp_frame_encode(KPP_KIND_DATA, 0, p, KPP_MAX_PAYLOAD + 1, out, sizeof out), 0);
	assert_int_equal(kpp_frame_encode(KPP_KIND_DATA, 0, p, 10, out, 17), 0);
	assert_int_equal(kpp_frame_encode(KPP_KIND_DATA, 0, p, 10, out, 18), 18);
	assert_int_equal(kpp_frame_encode(KPP_KIND_DATA, 0, p, KPP_MAX_PAYLOAD, out, sizeof out),
			 KPP_FRAME_MAX);
}

/* Decodes all of in (chunk bytes per feed) and records the events. */
struct evlog {
	int n;
	int ev[16];
	uint8_t kind[16], seq[16];
	uint16_t len[16];
	uint8_t first[16];
};

static void decode_all(struct kpp_decoder *d, const uint8_t *in, size_t n, size_t chunk,
		       int64_t t0, int64_t step, struct evlog *log)
{
	static struct kpp_frame f;
	int64_t now = t0;
	for (size_t off = 0; off < n; off += chunk, now += step) {
		size_t c = n - off < chunk ? n - off : chunk, used = 0;
		for (;;) {
			int ev;
			used += kpp_decoder_feed(d, in + off + used, c - used, now, &f, &ev);
			if (ev == KPP_DEC_NONE)
				break;
			assert_true(log->n < 16);
			log->ev[log->n] = ev;
			log->kind[log->n] = f.kind;
			log->seq[log->n] = f.seq;
			log->len[log->n] = f.len;
			log->first[log->n] = f.len ? f.payload[0] : 0;
			log->n++;
		}
		assert_int_equal(used, c);
	}
}

static void test_decode_examples_any_split(void **state)
{
	(void)state;
	uint8_t stream[1024];
	size_t n = 0;
	n += unhex("02 01 00 00 00 01 02 58 C3", stream + n);
	n += unhex("02 01 01 00 00 00 CD E9", stream + n);
	n += unhex(SALE_HEX, stream + n);
	n += unhex(SALE_RESP_HEX, stream + n);
	n += unhex(TXN_STATUS_HEX, stream + n);
	for (size_t chunk = 1; chunk <= n; chunk = chunk < 8 ? chunk + 1 : chunk * 3) {
		struct kpp_decoder d;
		struct evlog log = { 0 };
		kpp_decoder_init(&d);
		decode_all(&d, stream, n, chunk, 0, 1, &log);
		assert_int_equal(log.n, 5);
		int want_first[5] = { 0x02, 0, 0x10, 0x90, 0x20 };
		int want_seq[5] = { 0, 0, 1, 0, 2 };
		int want_len[5] = { 1, 0, 0x29, 0x6D, 0x16 };
		for (int i = 0; i < 5; i++) {
			assert_int_equal(log.ev[i], KPP_DEC_FRAME);
			assert_int_equal(log.seq[i], want_seq[i]);
			assert_int_equal(log.len[i], want_len[i]);
			assert_int_equal(log.first[i], want_first[i]);
		}
		assert_int_equal(log.kind[1], KPP_KIND_ACK);
		assert_int_equal(d.n_garbage, 0);
	}
}

static void test_garbage_before_stx(void **state)
{
	(void)state;
	uint8_t s[64];
	size_t n = unhex("FF 00 13 02 02 07 02 01 09 02 01 00 00 00 01 02 58 C3", s);
	struct kpp_decoder d;
	struct evlog log = { 0 };
	kpp_decoder_init(&d);
	decode_all(&d, s, n, n, 0, 0, &log);
	assert_int_equal(log.n, 1);
	assert_int_equal(log.ev[0], KPP_DEC_FRAME);
	assert_int_equal(log.first[0], 0x02);
	assert_int_equal(d.n_garbage, 9);
}

static void test_bad_crc_data_naks_and_rescans(void **state)
{
	(void)state;
	uint8_t s[64];
	size_t n = unhex("02 01 00 05 00 01 02 58 C4", s); /* CRC off by one, SEQ 5 */
	n += unhex("02 01 01 07 00 00 00 00", s + n);     /* ACK with bad CRC: ignored */
	n += unhex("02 01 02 00 00 00 56 35", s + n);     /* good NAK 0 */
	struct kpp_decoder d;
	struct evlog log = { 0 };
	kpp_decoder_init(&d);
	decode_all(&d, s, n, 4, 0, 0, &log);
	assert_int_equal(log.n, 2);
	assert_int_equal(log.ev[0], KPP_DEC_BAD_DATA);
	assert_int_equal(log.seq[0], 5);
	assert_int_equal(log.ev[1], KPP_DEC_FRAME);
	assert_int_equal(log.kind[1], KPP_KIND_NAK);
	assert_int_equal(d.n_bad_crc, 2);
}

/* A frame whose payload contains a complete embedded frame: when the outer CRC fails, the
 * rescan after the STX finds the inner one (docs/kpp1.md, Receiving and resynchronising). */
static void test_rescan_finds_embedded_frame(void **state)
{
	(void)state;
	uint8_t s[64];
	size_t n = unhex("02 01 00 09 00 09 02 01 00 00 00 01 02 58 C3 00 00", s);
	struct kpp_decoder d;
	struct evlog log = { 0 };
	kpp_decoder_init(&d);
	decode_all(&d, s, n, n, 0, 0, &log);
	assert_int_equal(log.n, 2);
	assert_int_equal(log.ev[0], KPP_DEC_BAD_DATA);
	assert_int_equal(log.seq[0], 9);
	assert_int_equal(log.ev[1], KPP_DEC_FRAME);
	assert_int_equal(log.first[1], 0x02);
}

static void test_bad_headers(void **state)
{
	(void)state;
	uint8_t s[64];
	/* VER 2, KIND 3, LEN 4097, ACK with LEN 1: all rejected at the header, then a good ACK */
	size_t n = unhex("02 02 00 00 00 00 02 01 03 00 00 00 02 01 00 00 10 01 "
			 "02 01 01 00 00 01 02 01 01 00 00 00 CD E9", s);
	struct kpp_decoder d;
	struct evlog log = { 0 };
	kpp_decoder_init(&d);
	decode_all(&d, s, n, 1, 0, 0, &log);
	assert_int_equal(log.n, 1);
	assert_int_equal(log.kind[0], KPP_KIND_ACK);
	assert_int_equal(d.n_bad_crc, 0);
}

static void test_inter_byte_timeout(void **state)
{
	(void)state;
	uint8_t s[32];
	size_t n = unhex("02 01 00 00 00 01 02 58 C3", s);
	struct kpp_decoder d;
	struct evlog log = { 0 };
	kpp_decoder_init(&d);
	/* 4 bytes, then a pause of 501 ms: the partial frame is discarded, the rest is garbage */
	decode_all(&d, s, 4, 4, 1000, 0, &log);
	decode_all(&d, s + 4, n - 4, n, 1501, 0, &log);
	assert_int_equal(log.n, 0);
	assert_int_equal(d.n_timeouts, 1);
	assert_int_equal(d.have, 3); /* "02 58 C3" of the tail looks like a new frame start */
	/* a pause of exactly 500 ms is still within T_BYTE */
	decode_all(&d, s, 4, 4, 3000, 0, &log);
	decode_all(&d, s + 4, n - 4, n, 3500, 0, &log);
	assert_int_equal(log.n, 1);
	/* tick alone discards too */
	decode_all(&d, s, 3, 3, 5000, 0, &log);
	kpp_decoder_tick(&d, 5600);
	assert_int_equal(d.have, 0);
	assert_int_equal(d.n_timeouts, 3);
}

static void test_max_payload_roundtrip(void **state)
{
	(void)state;
	static uint8_t p[KPP_MAX_PAYLOAD], out[KPP_FRAME_MAX];
	for (size_t i = 0; i < sizeof p; i++)
		p[i] = (uint8_t)(i * 7 + 2); /* many STX bytes inside */
	size_t n = kpp_frame_encode(KPP_KIND_DATA, 200, p, sizeof p, out, sizeof out);
	struct kpp_decoder d;
	struct evlog log = { 0 };
	kpp_decoder_init(&d);
	decode_all(&d, out, n, 1000, 0, 0, &log);
	assert_int_equal(log.n, 1);
	assert_int_equal(log.len[0], KPP_MAX_PAYLOAD);
	assert_int_equal(log.seq[0], 200);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc_check_value),
		cmocka_unit_test(test_encode_examples),
		cmocka_unit_test(test_encode_rejects),
		cmocka_unit_test(test_decode_examples_any_split),
		cmocka_unit_test(test_garbage_before_stx),
		cmocka_unit_test(test_bad_crc_data_naks_and_rescans),
		cmocka_unit_test(test_rescan_finds_embedded_frame),
		cmocka_unit_test(test_bad_headers),
		cmocka_unit_test(test_inter_byte_timeout),
		cmocka_unit_test(test_max_payload_roundtrip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
