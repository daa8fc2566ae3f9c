/* KPP/1 stop-and-wait link: two link ends joined in memory under a fake clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "drivers/kpp_link.h"
#include "drivers/kpp_msg.h"

struct end {
	struct kpp_link l;
	int ndeliv;
	uint8_t last[64];
	size_t last_len;
};

static struct end host, term;
static uint8_t wire[KPP_LINK_OUT_MAX];

static void deliver(void *ctx, const uint8_t *p, size_t n)
{
	struct end *e = ctx;
	e->ndeliv++;
	e->last_len = n < sizeof e->last ? n : sizeof e->last;
	memcpy(e->last, p, e->last_len);
}

/* Moves what `from` wrote to `to`; drop discards it instead.  Returns the byte count. */
static size_t pump(struct end *from, struct end *to, int64_t now, int drop)
{
	size_t n = kpp_link_take_output(&from->l, wire, sizeof wire);
	if (!drop)
		kpp_link_input(&to->l, wire, n, now, deliver, to);
	return n;
}

static int setup(void **state)
{
	(void)state;
	memset(&host, 0, sizeof host);
	memset(&term, 0, sizeof term);
	kpp_link_init(&host.l);
	kpp_link_init(&term.l);
	term.l.hello_resets = true;
	return 0;
}

static const uint8_t STATUS[] = { KPP_MSG_STATUS };
static const uint8_t HELLO[] = { KPP_MSG_HELLO };

static void test_send_ack_deliver(void **state)
{
	(void)state;
	for (int i = 0; i < 300; i++) { /* SEQ wraps at 256 */
		assert_int_equal(kpp_link_send(&host.l, STATUS, 1, i), 0);
		assert_true(kpp_link_busy(&host.l));
		assert_int_equal(kpp_link_send(&host.l, STATUS, 1, i), -1);
		assert_int_equal(pump(&host, &term, i, 0), 9);
		assert_int_equal(pump(&term, &host, i, 0), 8); /* the ACK */
		assert_false(kpp_link_busy(&host.l));
	}
	assert_int_equal(term.ndeliv, 300);
	assert_int_equal(host.l.tx_seq, 300 % 256);
	assert_int_equal(host.l.n_retx, 0);
}

static void test_lost_ack_not_delivered_twice(void **state)
{
	(void)state;
	assert_int_equal(kpp_link_send(&host.l, STATUS, 1, 0), 0);
	uint8_t first[16];
	memcpy(first, host.l.out, 9);
	pump(&host, &term, 0, 0);
	pump(&term, &host, 0, 1);             /* ACK lost */
	kpp_link_tick(&host.l, 999);
	assert_int_equal(host.l.out_len, 0);  /* not yet */
	kpp_link_tick(&host.l, 1000);
	assert_int_equal(host.l.out_len, 9);
	assert_memory_equal(host.l.out, first, 9); /* identical frame, same SEQ */
	pump(&host, &term, 1000, 0);
	pump(&term, &host, 1000, 0);
	assert_false(kpp_link_busy(&host.l));
	assert_int_equal(term.ndeliv, 1);
	assert_int_equal(term.l.n_dup, 1);
	/* the next frame has the next SEQ and is delivered */
	kpp_link_send(&host.l, STATUS, 1, 1100);
	pump(&host, &term, 1100, 0);
	assert_int_equal(term.ndeliv, 2);
}

static void test_nak_retransmits_now(void **state)
{
	(void)state;
	kpp_link_send(&host.l, STATUS, 1, 0);
	size_t n = kpp_link_take_output(&host.l, wire, sizeof wire);
	wire[n - 1] ^= 0xFF;                  /* corrupt the CRC on the wire */
	kpp_link_input(&term.l, wire, n, 10, deliver, &term);
	assert_int_equal(term.ndeliv, 0);
	assert_int_equal(term.l.n_nak_sent, 1);
	assert_int_equal(term.l.out_len, 8);
	assert_int_equal(term.l.out[2], KPP_KIND_NAK);
	pump(&term, &host, 20, 0);            /* NAK reaches the host: resend at once */
	assert_int_equal(host.l.n_retx, 1);
	pump(&host, &term, 20, 0);
	pump(&term, &host, 20, 0);
	assert_int_equal(term.ndeliv, 1);
	assert_false(kpp_link_busy(&host.l));
}

static void test_down_after_three_retransmissions(void **state)
{
	(void)state;
	kpp_link_send(&host.l, STATUS, 1, 0);
	pump(&host, &term, 0, 1);
	int64_t t = 0;
	for (int i = 0; i < 3; i++) {
		t = kpp_link_next_deadline(&host.l);
		assert_int_equal(t, 1000 * (i + 1));
		kpp_link_tick(&host.l, t);
		assert_int_equal(pump(&host, &term, t, 1), 9);
		assert_false(kpp_link_is_down(&host.l));
	}
	kpp_link_tick(&host.l, t + 1000);
	assert_true(kpp_link_is_down(&host.l));
	assert_int_equal(host.l.out_len, 0);
	assert_int_equal(host.l.n_retx, 3);   /* 4 attempts in all */
	assert_int_equal(kpp_link_send(&host.l, STATUS, 1, t), -1);
	kpp_link_reset(&host.l);
	assert_false(kpp_link_is_down(&host.l));
	assert_int_equal(kpp_link_send(&host.l, HELLO, 1, t), 0);
}

static void test_hello_resets_seq(void **state)
{
	(void)state;
	/* the terminal has accepted SEQ 0 and is sending something of its own */
	kpp_link_send(&host.l, STATUS, 1, 0);
	pump(&host, &term, 0, 0);
	kpp_link_send(&term.l, STATUS, 1, 0);
	term.l.out_len = 0;
	/* host restarts: SEQ 0 again, but it is a HELLO, so it is delivered */
	kpp_link_reset(&host.l);
	kpp_link_send(&host.l, HELLO, 1, 5);
	pump(&host, &term, 5, 0);
	assert_int_equal(term.ndeliv, 2);
	assert_int_equal(term.last[0], KPP_MSG_HELLO);
	assert_false(kpp_link_busy(&term.l));
	assert_int_equal(term.l.tx_seq, 0);
	/* a non-HELLO with a repeated SEQ stays a duplicate on the terminal */
	pump(&term, &host, 5, 0);
	host.l.tx_pending = false;
	host.l.tx_seq = 0;
	kpp_link_send(&host.l, STATUS, 1, 6);
	pump(&host, &term, 6, 0);
	assert_int_equal(term.ndeliv, 2);
	assert_int_equal(term.l.n_dup, 1);
	/* the host end does not reset on HELLO payloads */
	assert_false(host.l.hello_resets);
}

static void test_stale_ack_ignored(void **state)
{
	(void)state;
	kpp_link_send(&host.l, STATUS, 1, 0);
	uint8_t ack[8];
	kpp_frame_encode(KPP_KIND_ACK, 7, NULL, 0, ack, sizeof ack);
	kpp_link_input(&host.l, ack, 8, 1, deliver, &host);
	assert_true(kpp_link_busy(&host.l));
	kpp_frame_encode(KPP_KIND_NAK, 7, NULL, 0, ack, sizeof ack);
	kpp_link_input(&host.l, ack, 8, 1, deliver, &host);
	assert_int_equal(host.l.n_retx, 0);
	kpp_frame_encode(KPP_KIND_ACK, 0, NULL, 0, ack, sizeof ack);
	kpp_link_input(&host.l, ack, 8, 1, deliver, &host);
	assert_false(kpp_link_busy(&host.l));
	assert_int_equal(host.ndeliv, 0);
}

static void test_full_duplex(void **state)
{
	(void)state;
	/* both ends send at once; each ACKs the other's frame while its own is pending */
	kpp_link_send(&host.l, STATUS, 1, 0);
	kpp_link_send(&term.l, HELLO, 1, 0);
	pump(&host, &term, 0, 0);
	pump(&term, &host, 0, 0);
	pump(&host, &term, 0, 0);
	assert_false(kpp_link_busy(&host.l));
	assert_false(kpp_link_busy(&term.l));
	assert_int_equal(host.ndeliv, 1);
	assert_int_equal(term.ndeliv, 1);
	assert_int_equal(kpp_link_next_deadline(&host.l), INT64_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_send_ack_deliver, setup),
		cmocka_unit_test_setup(test_lost_ack_not_delivered_twice, setup),
		cmocka_unit_test_setup(test_nak_retransmits_now, setup),
		cmocka_unit_test_setup(test_down_after_three_retransmissions, setup),
		cmocka_unit_test_setup(test_hello_resets_seq, setup),
		cmocka_unit_test_setup(test_stale_ack_ignored, setup),
		cmocka_unit_test_setup(test_full_duplex, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
