/* The device end of the link: see kkt_link.h. */
#include "tests/sim/kkt/kkt_link.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/shtrih_cmd.h"

void kkt_link_init(struct kkt_link *l, struct kkt_core *core, bool tcp_ff)
{
	memset(l, 0, sizeof *l);
	l->core = core;
	l->tcp_ff = tcp_ff;
	l->drop_cmd = SHTRIH_FN_CLOSE_RECEIPT;
	shtrih_decoder_init(&l->dec, KKT_BYTE_TIMEOUT_MS);
}

static void emit(struct kkt_link *l, const uint8_t *p, size_t n)
{
	if (l->out_len + n > sizeof l->out)
		return; /* a host that never reads: drop like a full UART */
	memcpy(l->out + l->out_len, p, n);
	l->out_len += n;
}

static void emit_byte(struct kkt_link *l, uint8_t b)
{
	emit(l, &b, 1);
}

static void send_held(struct kkt_link *l)
{
	for (; l->garbage > 0; l->garbage--)
		emit_byte(l, 0x5A);
	uint8_t copy[SHTRIH_FRAME_MAX];
	memcpy(copy, l->held, l->held_len);
	if (l->corrupt > 0) {
		l->corrupt--;
		copy[l->held_len - 1] ^= 0x5A;
	}
	if (l->sent)
		l->n_resent++;
	emit(l, copy, l->held_len);
	l->sent = true;
}

static void on_frame(struct kkt_link *l, int64_t now_ms, int64_t wall_ms)
{
	const uint8_t *body = l->dec.body;
	size_t n = l->dec.n;
	uint16_t cmd = n >= 2 && body[0] == 0xFF ? (uint16_t)(0xFF00 | body[1]) : body[0];
	l->n_frames++;
	if (l->nak > 0) {
		l->nak--;
		emit_byte(l, SHTRIH_NAK);
		return;
	}
	enum kkt_drop drop = cmd == l->drop_cmd ? l->drop : KKT_DROP_NONE;
	if (drop != KKT_DROP_NONE)
		l->drop = KKT_DROP_NONE;
	if (drop == KKT_DROP_BEFORE) {
		l->want_close = true;
		return;
	}
	if (l->lose_ack > 0)
		l->lose_ack--;
	else if (drop == KKT_DROP_NONE)
		emit_byte(l, SHTRIH_ACK);
	uint8_t reply[SHTRIH_BODY_MAX + 8];
	size_t rn = kkt_core_exec(l->core, body, n, wall_ms, reply);
	struct shtrih_reply rp;
	if (shtrih_reply_parse(reply, rn, &rp) == 0 && rp.cmd != cmd)
		abort(); /* the core answers the command it was given */
	uint16_t rcmd = rp.cmd;
	l->held_len = shtrih_frame_encode(rcmd, reply + shtrih_cmd_len(rcmd), rn - shtrih_cmd_len(rcmd),
					  l->held, sizeof l->held);
	l->holding = drop != KKT_DROP_POWER;
	l->sent = false;
	l->ready_ms = now_ms + l->slow_ms;
	if (drop != KKT_DROP_NONE) {
		l->want_close = true;
		return;
	}
	if (l->slow_ms == 0)
		send_held(l);
}

static void on_control(struct kkt_link *l, uint8_t b, int64_t now_ms)
{
	if (b == SHTRIH_ENQ) {
		l->n_enq++;
		if (!l->holding) {
			emit_byte(l, SHTRIH_NAK);
			return;
		}
		emit_byte(l, SHTRIH_ACK);
		if (now_ms >= l->ready_ms)
			send_held(l);
	} else if (b == SHTRIH_ACK && l->holding && l->sent) {
		l->holding = false;
		if (l->tcp_ff)
			emit_byte(l, 0xFF);
	}
	/* NAK keeps the reply for the next ENQ; anything else is line noise */
}

void kkt_link_input(struct kkt_link *l, const uint8_t *in, size_t n, int64_t now_ms,
		    int64_t wall_ms)
{
	for (size_t i = 0; i < n && !l->want_close; i++) {
		int ev = shtrih_decoder_feed(&l->dec, in[i], now_ms);
		if (ev == SHTRIH_DEC_NOISE)
			on_control(l, in[i], now_ms);
		else if (ev == SHTRIH_DEC_BAD_LRC) {
			l->n_bad++;
			emit_byte(l, SHTRIH_NAK);
		} else if (ev == SHTRIH_DEC_FRAME)
			on_frame(l, now_ms, wall_ms);
	}
}

void kkt_link_tick(struct kkt_link *l, int64_t now_ms)
{
	if (l->holding && !l->sent && l->slow_ms > 0 && now_ms >= l->ready_ms)
		send_held(l);
}

size_t kkt_link_take_output(struct kkt_link *l, uint8_t *buf, size_t cap)
{
	size_t n = l->out_len < cap ? l->out_len : cap;
	memcpy(buf, l->out, n);
	memmove(l->out, l->out + n, l->out_len - n);
	l->out_len -= n;
	return n;
}

void kkt_link_reconnect(struct kkt_link *l)
{
	shtrih_decoder_reset(&l->dec);
	l->out_len = 0;
	l->want_close = false;
	if (l->holding)
		l->sent = true; /* it is resent only on ENQ */
}

static int link_knob(struct kkt_link *l, const char *name, const char *v)
{
	char *end;
	long x = strtol(v, &end, 0);
	bool num = *v && !*end && x >= 0 && x <= 100000;
	if (!strcmp(name, "drop")) {
		l->drop = !strcmp(v, "before") ? KKT_DROP_BEFORE : !strcmp(v, "after") ? KKT_DROP_AFTER
			: !strcmp(v, "power") ? KKT_DROP_POWER : KKT_DROP_NONE;
		return l->drop == KKT_DROP_NONE && strcmp(v, "none") ? -1 : 0;
	}
	if (!strcmp(name, "drop_cmd")) {
		x = strtol(v, &end, 16);
		if (*end || x < 1 || x > 0xFFFF || (x > 0xFF && x < 0xFF00))
			return -1;
		l->drop_cmd = (uint16_t)x;
		return 0;
	}
	int *field = !strcmp(name, "nak") ? &l->nak : !strcmp(name, "corrupt") ? &l->corrupt
		: !strcmp(name, "lose_ack") ? &l->lose_ack : !strcmp(name, "garbage") ? &l->garbage
		: !strcmp(name, "slow_ms") ? &l->slow_ms : NULL;
	if (!field)
		return 1;
	if (!num)
		return -1;
	*field = (int)x;
	return 0;
}

int kkt_link_knobs(struct kkt_link *l, const char *line, int64_t wall_ms, char *err, size_t cap)
{
	char buf[512], rest[512] = "", *save = NULL;
	size_t rn = 0;
	snprintf(buf, sizeof buf, "%s", line);
	for (char *w = strtok_r(buf, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		char *eq = strchr(w, '=');
		int rc = 1;
		if (eq) {
			*eq = '\0';
			rc = link_knob(l, w, eq + 1);
			*eq = '=';
		}
		if (rc < 0) {
			snprintf(err, cap, "bad value in '%s'", w);
			return -1;
		}
		if (rc > 0)
			rn += (size_t)snprintf(rest + rn, sizeof rest - rn, "%s ", w);
		if (rn >= sizeof rest) {
			snprintf(err, cap, "knob line too long");
			return -1;
		}
	}
	return rest[0] ? kkt_core_knobs(l->core, rest, wall_ms, err, cap) : 0;
}
