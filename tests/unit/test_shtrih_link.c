/* The Shtrih-M host link against a small fake device on a socketpair: the first worked
 * exchange byte for byte, and the link faults — a NAKed frame, a lost ACK, a reply with a
 * bad LRC, garbage on the line, a reply held from before a drop, the FF after our ACK on
 * TCP, a silent device, a device that took the frame and lost the reply.  Each case checks
 * how many times the device executed the command: never twice. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include "drivers/shtrih_link.h"
#include "drivers/transports.h"

struct fake {
	int fd;
	/* knobs */
	int nak_frames;        /* NAK this many good frames */
	int lose_ack;          /* execute but do not send the ACK this many times */
	int corrupt_replies;   /* send this many replies with a bad LRC */
	int garbage;           /* bytes of garbage before each reply */
	int silent_enq;        /* ignore this many ENQs */
	int forget_after_exec; /* after executing, lose the reply (a power cycle) this many times */
	bool tcp_ff;           /* FF after the host's ACK */
	bool mute;             /* ignore everything */
	/* a reply held from before (un-ACKed) */
	uint8_t held[SHTRIH_FRAME_MAX];
	size_t held_len;
	/* record */
	uint8_t rx_log[4096];
	size_t rx_log_len;
	int executed;
	uint16_t last_cmd;
};

static int dev_read(struct fake *f, uint8_t *b, int ms)
{
	struct pollfd p = { .fd = f->fd, .events = POLLIN };
	if (poll(&p, 1, ms) <= 0)
		return 0;
	if (read(f->fd, b, 1) != 1)
		return -1;
	if (f->rx_log_len < sizeof f->rx_log)
		f->rx_log[f->rx_log_len++] = *b;
	return 1;
}

static void dev_write(struct fake *f, const uint8_t *b, size_t n)
{
	assert_int_equal(write(f->fd, b, n), (ssize_t)n);
}

static void dev_byte(struct fake *f, uint8_t b)
{
	dev_write(f, &b, 1);
}

/* The reply: 10h gets the worked short status; anything else "CMD 00". */
static void make_reply(struct fake *f, const uint8_t *body, size_t n)
{
	static const uint8_t st[] = { 0x1E, 0x82, 0x02, 0x02, 0x00, 0x00, 0x9A, 0xC4, 0, 0, 0, 0, 0, 0 };
	uint8_t data[32];
	size_t cl = body[0] == 0xFF ? 2 : 1, dl = 1;
	uint16_t cmd = cl == 2 ? (uint16_t)(0xFF00 | body[1]) : body[0];
	(void)n;
	data[0] = 0;
	if (cmd == 0x10) {
		memcpy(data + 1, st, sizeof st);
		dl += sizeof st;
	}
	f->held_len = shtrih_frame_encode(cmd, data, dl, f->held, sizeof f->held);
	f->last_cmd = cmd;
	f->executed++;
}

static void send_held(struct fake *f)
{
	for (int i = 0; i < f->garbage; i++)
		dev_byte(f, (uint8_t)(0x30 + i));
	uint8_t copy[SHTRIH_FRAME_MAX];
	memcpy(copy, f->held, f->held_len);
	if (f->corrupt_replies > 0) {
		f->corrupt_replies--;
		copy[f->held_len - 1] ^= 0x55;
	}
	dev_write(f, copy, f->held_len);
}

/* After a reply: the host's ACK releases it; NAK keeps it for the next ENQ. */
static void await_host_ack(struct fake *f)
{
	uint8_t b;
	if (dev_read(f, &b, 500) == 1 && b == SHTRIH_ACK) {
		f->held_len = 0;
		if (f->tcp_ff)
			dev_byte(f, 0xFF);
	}
}

static void on_frame(struct fake *f)
{
	uint8_t n, body[SHTRIH_BODY_MAX], lrc;
	if (dev_read(f, &n, 100) != 1)
		return;
	for (size_t i = 0; i < n; i++)
		if (dev_read(f, &body[i], 100) != 1)
			return;
	if (dev_read(f, &lrc, 100) != 1)
		return;
	if (lrc != shtrih_lrc(body, n)) {
		dev_byte(f, SHTRIH_NAK);
		return;
	}
	if (f->nak_frames > 0) {
		f->nak_frames--;
		dev_byte(f, SHTRIH_NAK);
		return;
	}
	make_reply(f, body, n);
	if (f->forget_after_exec > 0) {
		f->forget_after_exec--;
		dev_byte(f, SHTRIH_ACK);
		f->held_len = 0;
		return;
	}
	if (f->lose_ack > 0)
		f->lose_ack--;
	else
		dev_byte(f, SHTRIH_ACK);
	send_held(f);
	await_host_ack(f);
}

static void *fake_main(void *arg)
{
	struct fake *f = arg;
	for (;;) {
		uint8_t b;
		int r = dev_read(f, &b, 2000);
		if (r < 0 || r == 0)
			break;
		if (f->mute)
			continue;
		if (b == SHTRIH_ENQ) {
			if (f->silent_enq > 0) {
				f->silent_enq--;
				continue;
			}
			if (f->held_len) {
				dev_byte(f, SHTRIH_ACK);
				send_held(f);
				await_host_ack(f);
			} else {
				dev_byte(f, SHTRIH_NAK);
			}
		} else if (b == SHTRIH_STX) {
			on_frame(f);
		}
	}
	return NULL;
}

struct rig {
	struct fake f;
	struct transport *t;
	struct shtrih_link l;
	pthread_t th;
};

static void rig_start(struct rig *r, bool tcp)
{
	int sv[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	r->f.fd = sv[1];
	r->t = transport_fd_new(sv[0]);
	assert_non_null(r->t);
	assert_int_equal(transport_open(r->t), 0);
	shtrih_link_init(&r->l, r->t, 20, tcp);
	r->l.exec_timeout_ms = 300;
	assert_int_equal(pthread_create(&r->th, NULL, fake_main, &r->f), 0);
}

static void rig_stop(struct rig *r)
{
	transport_destroy(r->t);
	pthread_join(r->th, NULL);
	close(r->f.fd);
}

static int exec_status(struct rig *r, struct shtrih_reply *rp, uint8_t *body)
{
	struct shtrih_req q;
	size_t n = 0;
	shtrih_req_pw(&q, SHTRIH_SHORT_STATUS, 30);
	int rc = shtrih_link_exec(&r->l, &q, body, SHTRIH_BODY_MAX, &n);
	if (rc == 0)
		assert_int_equal(shtrih_reply_parse(body, n, rp), 0);
	return rc;
}

static void test_worked_exchange(void **state)
{
	(void)state;
	static struct rig r;
	memset(&r, 0, sizeof r);
	rig_start(&r, false);
	uint8_t body[SHTRIH_BODY_MAX];
	struct shtrih_reply rp;
	struct shtrih_short_status st;
	assert_int_equal(exec_status(&r, &rp, body), 0);
	assert_int_equal(shtrih_parse_short_status(&rp, &st), 0);
	assert_int_equal(st.op, 30);
	assert_int_equal(st.flags, 0x0282);
	assert_int_equal(st.mode, 2);
	rig_stop(&r);
	/* what the device heard: ENQ, the frame, ACK of its reply */
	const uint8_t want[] = { 0x05, 0x02, 0x05, 0x10, 0x1E, 0x00, 0x00, 0x00, 0x0B, 0x06 };
	assert_int_equal(r.f.rx_log_len, sizeof want);
	assert_memory_equal(r.f.rx_log, want, sizeof want);
	assert_int_equal(r.f.executed, 1);
}

static void test_nak_resends(void **state)
{
	(void)state;
	static struct rig r;
	memset(&r, 0, sizeof r);
	r.f.nak_frames = 2;
	rig_start(&r, false);
	uint8_t body[SHTRIH_BODY_MAX];
	struct shtrih_reply rp;
	assert_int_equal(exec_status(&r, &rp, body), 0);
	assert_int_equal(rp.cmd, 0x10);
	assert_int_equal(r.l.n_nak_rx, 2);
	assert_int_equal(r.l.n_frame_tx, 3);
	rig_stop(&r);
	assert_int_equal(r.f.executed, 1);
}

static void test_lost_ack_not_resent(void **state)
{
	(void)state;
	static struct rig r;
	memset(&r, 0, sizeof r);
	r.f.lose_ack = 1;
	rig_start(&r, false);
	uint8_t body[SHTRIH_BODY_MAX];
	struct shtrih_reply rp;
	assert_int_equal(exec_status(&r, &rp, body), 0);
	assert_int_equal(rp.cmd, 0x10);
	assert_int_equal(r.l.n_frame_tx, 1); /* ENQ answered ACK: the device had it */
	rig_stop(&r);
	assert_int_equal(r.f.executed, 1);
}

static void test_bad_lrc_reply_fetched_again(void **state)
{
	(void)state;
	static struct rig r;
	memset(&r, 0, sizeof r);
	r.f.corrupt_replies = 2;
	rig_start(&r, false);
	uint8_t body[SHTRIH_BODY_MAX];
	struct shtrih_reply rp;
	assert_int_equal(exec_status(&r, &rp, body), 0);
	assert_int_equal(rp.cmd, 0x10);
	assert_int_equal(r.l.n_nak_tx, 2);
	assert_int_equal(r.l.n_frame_tx, 1);
	rig_stop(&r);
	assert_int_equal(r.f.executed, 1);
}

static void test_garbage_skipped(void **state)
{
	(void)state;
	static struct rig r;
	memset(&r, 0, sizeof r);
	r.f.garbage = 5;
	rig_start(&r, false);
	uint8_t body[SHTRIH_BODY_MAX];
	struct shtrih_reply rp;
	assert_int_equal(exec_status(&r, &rp, body), 0);
	assert_int_equal(rp.cmd, 0x10);
	assert_int_equal(r.l.n_noise, 5);
	rig_stop(&r);
	assert_int_equal(r.f.executed, 1);
}

static void test_held_reply_after_drop(void **state)
{
	(void)state;
	static struct rig r;
	memset(&r, 0, sizeof r);
	/* the close of a receipt was executed, its reply never reached us */
	const uint8_t data[] = { 0, 0, 0, 0, 0, 0, 0xD2, 0x04, 0, 0, 0x4D, 0xE6, 0x40, 0xBB };
	r.f.held_len = shtrih_frame_encode(0xFF45, data, sizeof data, r.f.held, sizeof r.f.held);
	rig_start(&r, false);
	assert_int_equal(shtrih_link_probe(&r.l), 1);
	assert_true(r.l.have_held);
	struct shtrih_reply rp;
	struct shtrih_fd_result cr;
	assert_int_equal(shtrih_reply_parse(r.l.held, r.l.held_len, &rp), 0);
	assert_int_equal(rp.cmd, 0xFF45);
	assert_int_equal(shtrih_parse_close_result(&rp, &cr), 0);
	assert_int_equal(cr.fd, 1234);
	assert_int_equal(cr.fp, 3141592653u);
	/* now idle */
	assert_int_equal(shtrih_link_probe(&r.l), 0);
	rig_stop(&r);
	assert_int_equal(r.f.executed, 0);
}

static void test_stale_reply_not_taken_as_ours(void **state)
{
	(void)state;
	static struct rig r;
	memset(&r, 0, sizeof r);
	const uint8_t data[] = { 0x00 };
	r.f.held_len = shtrih_frame_encode(0x10, data, sizeof data, r.f.held, sizeof r.f.held);
	rig_start(&r, false);
	uint8_t body[SHTRIH_BODY_MAX];
	struct shtrih_reply rp;
	struct shtrih_short_status st;
	/* the stale 10h reply has no status fields; ours has: it must be ours that comes back */
	assert_int_equal(exec_status(&r, &rp, body), 0);
	assert_int_equal(shtrih_parse_short_status(&rp, &st), 0);
	assert_int_equal(st.op, 30);
	assert_true(r.l.have_held);
	assert_int_equal(r.l.held_len, 2);
	rig_stop(&r);
	assert_int_equal(r.f.executed, 1);
}

static void test_tcp_ff(void **state)
{
	(void)state;
	static struct rig r;
	memset(&r, 0, sizeof r);
	r.f.tcp_ff = true;
	rig_start(&r, true);
	uint8_t body[SHTRIH_BODY_MAX];
	struct shtrih_reply rp;
	for (int i = 0; i < 3; i++) {
		assert_int_equal(exec_status(&r, &rp, body), 0);
		assert_int_equal(rp.cmd, 0x10);
	}
	assert_int_equal(r.l.n_ff, 3);
	assert_int_equal(r.l.n_frame_tx, 3);
	assert_int_equal(r.l.n_enq, 3);
	rig_stop(&r);
	assert_int_equal(r.f.executed, 3);
}

static void test_silent_device_down(void **state)
{
	(void)state;
	static struct rig r;
	memset(&r, 0, sizeof r);
	r.f.mute = true;
	rig_start(&r, false);
	r.l.tries = 3;
	uint8_t body[SHTRIH_BODY_MAX];
	struct shtrih_reply rp;
	assert_int_equal(exec_status(&r, &rp, body), SHTRIH_LINK_EDOWN);
	assert_int_equal(r.l.n_enq, 3);
	assert_int_equal(r.l.n_frame_tx, 0);
	rig_stop(&r);
	assert_int_equal(r.f.executed, 0);
}

static void test_taken_then_lost_is_unknown(void **state)
{
	(void)state;
	static struct rig r;
	memset(&r, 0, sizeof r);
	r.f.forget_after_exec = 1;
	rig_start(&r, false);
	uint8_t body[SHTRIH_BODY_MAX];
	struct shtrih_reply rp;
	/* ACKed, no reply, then ENQ -> NAK: it may have executed; never resent */
	assert_int_equal(exec_status(&r, &rp, body), SHTRIH_LINK_EUNKNOWN);
	assert_int_equal(r.l.n_frame_tx, 1);
	rig_stop(&r);
	assert_int_equal(r.f.executed, 1);
}

static void test_silent_enq_then_ok(void **state)
{
	(void)state;
	static struct rig r;
	memset(&r, 0, sizeof r);
	r.f.silent_enq = 2;
	rig_start(&r, false);
	uint8_t body[SHTRIH_BODY_MAX];
	struct shtrih_reply rp;
	assert_int_equal(exec_status(&r, &rp, body), 0);
	assert_int_equal(r.l.n_enq, 3);
	rig_stop(&r);
	assert_int_equal(r.f.executed, 1);
}

static void test_transport_gone(void **state)
{
	(void)state;
	int sv[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	close(sv[1]);
	struct transport *t = transport_fd_new(sv[0]);
	assert_int_equal(transport_open(t), 0);
	struct shtrih_link l;
	shtrih_link_init(&l, t, 20, false);
	struct shtrih_req q;
	uint8_t body[SHTRIH_BODY_MAX];
	size_t n;
	shtrih_req_pw(&q, SHTRIH_SHORT_STATUS, 30);
	assert_int_equal(shtrih_link_exec(&l, &q, body, sizeof body, &n), SHTRIH_LINK_EIO);
	assert_int_equal(shtrih_link_exec(&l, &q, body, 10, &n), SHTRIH_LINK_EARG);
	transport_destroy(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_worked_exchange),
		cmocka_unit_test(test_nak_resends),
		cmocka_unit_test(test_lost_ack_not_resent),
		cmocka_unit_test(test_bad_lrc_reply_fetched_again),
		cmocka_unit_test(test_garbage_skipped),
		cmocka_unit_test(test_held_reply_after_drop),
		cmocka_unit_test(test_stale_reply_not_taken_as_ours),
		cmocka_unit_test(test_tcp_ff),
		cmocka_unit_test(test_silent_device_down),
		cmocka_unit_test(test_taken_then_lost_is_unknown),
		cmocka_unit_test(test_silent_enq_then_ok),
		cmocka_unit_test(test_transport_gone),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
