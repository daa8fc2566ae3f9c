/* The kiosk's end of a VTK link: see vtk_conn.h. */
#include "drivers/vtk_conn.h"

#include <stdio.h>
#include <string.h>

#include "drivers/kpp_client.h"
#include "kiosk/base/clock.h"
#include "kiosk/base/log.h"
#include "kiosk/base/tz.h"

#define READ_SLICE_MS 50
#define SLICE 1  /* next_msg: a read slice passed with nothing (not a KPP code) */

void vtk_conn_init(struct vtk_conn *c, struct transport *t, enum vtk_link link, int ms_per_s)
{
	memset(c, 0, sizeof *c);
	c->t = t;
	c->link = link;
	c->ms_per_s = ms_per_s > 0 ? ms_per_s : 1000;
	c->tk_s = 10;
	c->to_s = 60;
	atomic_init(&c->cancel, 0);
}

void vtk_conn_free(struct vtk_conn *c)
{
	vtk_conn_close(c);
	transport_destroy(c->t);
	c->t = NULL;
}

void vtk_conn_close(struct vtk_conn *c)
{
	if (c->open)
		transport_close(c->t);
	c->open = false;
	/* INACTIVE: the timers go back to their defaults until the terminal says otherwise */
	c->tk_s = 10;
	c->to_s = 60;
}

int vtk_conn_op_timeout_ms(const struct vtk_conn *c)
{
	return c->to_s * c->ms_per_s;
}

int vtk_conn_cancel(struct vtk_conn *c)
{
	atomic_store(&c->cancel, 1);
	return 0;
}

static int link_rc(int transport_rc)
{
	return transport_rc == TRANSPORT_EGONE ? KPP_EGONE : KPP_EIO;
}

int vtk_conn_send(struct vtk_conn *c, const struct vtk_msg *m)
{
	if (!c->open)
		return KPP_ELINK;
	int k = vtk_msg_encode(m, c->wtlv, sizeof c->wtlv);
	if (k < 0)
		return KPP_EPROTO;
	size_t n = vtk_frame_encode(c->link, VTK_DISC_VMC, c->wtlv, (size_t)k, c->wframe, sizeof c->wframe);
	char d[160];
	log_debug("vtk", "send", "%s", vtk_msg_describe(m, d, sizeof d));
	int rc = transport_write(c->t, c->wframe, n, 2 * c->ms_per_s);
	if (rc != 0) {
		vtk_conn_close(c);
		return link_rc(rc);
	}
	return KPP_OK;
}

/* What every terminal message teaches, and the unsolicited ones that need an answer. */
static void learn(struct vtk_conn *c, const struct vtk_msg *m)
{
	if (VTK_HAS(m, VTK_T_OP)) {
		c->pos_op = m->op;
		c->have_pos_op = true;
	}
	if (VTK_HAS(m, VTK_T_KEEPALIVE) && m->keepalive_s > 0)
		c->tk_s = (int)m->keepalive_s;
	if (VTK_HAS(m, VTK_T_TIMEOUT) && m->timeout_s > 0)
		c->to_s = (int)m->timeout_s;
	if (VTK_HAS(m, VTK_T_LOCAL_TIME))
		c->send_time = m->local_time[0] != '2';
	if (!strcmp(m->name, "CON")) {
		/* no network service here: the same destination back, status 00 */
		struct vtk_msg r;
		vtk_msg_init(&r, "CON");
		memcpy(r.tcpip, m->tcpip, m->tcpip_len);
		r.tcpip_len = m->tcpip_len;
		if (r.tcpip_len > 7)
			r.tcpip[7] = 0x00;
		r.present |= 1u << VTK_T_TCPIP;
		c->n_con++;
		vtk_conn_send(c, &r);
	}
}

/* Reads and decodes until one message arrives or the deadline passes. */
static int next_msg(struct vtk_conn *c, int64_t deadline, struct vtk_msg *ret)
{
	uint8_t *buf = c->rbuf;
	for (;;) {
		while (c->rused < c->rhave) {
			struct vtk_frame f;
			int ev;
			c->rused += vtk_decoder_feed(&c->dec, buf + c->rused, c->rhave - c->rused,
						    clock_mono_ms(), &f, &ev);
			if (ev == VTK_DEC_BROKEN) {
				log_warn("vtk", "stream_broken", "dev=%s", c->t->desc);
				vtk_conn_close(c);
				return KPP_ELINK;
			}
			if (ev != VTK_DEC_FRAME)
				continue;
			if (f.disc != VTK_DISC_POS || vtk_msg_decode(f.payload, f.len, ret) != VTK_MSG_OK) {
				log_warn("vtk", "bad_message", "disc=%04x len=%u", f.disc, f.len);
				continue;
			}
			char d[160];
			log_debug("vtk", "recv", "%s", vtk_msg_describe(ret, d, sizeof d));
			return KPP_OK;
		}
		c->rhave = c->rused = 0;
		int64_t left = deadline - clock_mono_ms();
		if (left <= 0)
			return KPP_ETIMEDOUT;
		int n = transport_read(c->t, buf, sizeof c->rbuf, left < READ_SLICE_MS ? (int)left : READ_SLICE_MS);
		if (n < 0) {
			vtk_conn_close(c);
			return link_rc(n);
		}
		c->rhave = (size_t)n;
		if (n == 0) {
			vtk_decoder_tick(&c->dec, clock_mono_ms());
			return SLICE; /* let the caller look at cancel */
		}
	}
}

int vtk_conn_wait(struct vtk_conn *c, const char *name, uint32_t op, int timeout_ms,
		  uint32_t abr_op, bool *ret_aborted, struct vtk_msg *ret)
{
	if (!c->open)
		return KPP_ELINK;
	int64_t deadline = clock_mono_ms() + timeout_ms;
	for (;;) {
		if (abr_op && atomic_exchange(&c->cancel, 0)) {
			struct vtk_msg abr;
			vtk_msg_init(&abr, "ABR");
			vtk_msg_set_num(&abr, VTK_T_OP, abr_op);
			c->n_abr++;
			if (ret_aborted)
				*ret_aborted = true;
			int rc = vtk_conn_send(c, &abr);
			if (rc != KPP_OK)
				return rc;
		}
		int rc = next_msg(c, deadline, ret);
		if (rc == SLICE)
			continue;
		if (rc == KPP_ETIMEDOUT) {
			log_warn("vtk", "no_reply", "want=%s op=%u after_ms=%d", name, op, timeout_ms);
			vtk_conn_close(c); /* our timer ran out: as a link loss */
			return KPP_ETIMEDOUT;
		}
		if (rc != KPP_OK)
			return rc;
		learn(c, ret);
		if (!strcmp(ret->name, name) && (!op || (VTK_HAS(ret, VTK_T_OP) && ret->op == op)))
			return KPP_OK;
	}
}

int vtk_conn_idl(struct vtk_conn *c)
{
	struct vtk_msg m;
	vtk_msg_init(&m, "IDL");
	if (c->send_time) {
		/* UTC: the offset is part of the value, and no zone is needed to write it */
		struct tz_civil t;
		char v[32];
		tz_utc(clock_wall_ms(), &t);
		snprintf(v, sizeof v, "%04d%02d%02dT%02d%02d%02d+0000", t.year, t.month, t.day,
			 t.hour, t.min, t.sec);
		vtk_msg_set_text(&m, VTK_T_LOCAL_TIME, v, strlen(v));
	}
	int rc = vtk_conn_send(c, &m);
	if (rc == KPP_OK)
		rc = vtk_conn_wait(c, "IDL", 0, (3 * c->tk_s + 8) * c->ms_per_s, 0, NULL, &m);
	return rc;
}

int vtk_conn_open(struct vtk_conn *c)
{
	if (c->open)
		return KPP_OK;
	int rc = transport_open(c->t);
	if (rc != 0)
		return link_rc(rc);
	c->open = true;
	c->rhave = c->rused = 0;
	vtk_decoder_init(&c->dec, c->link);
	atomic_store(&c->cancel, 0);
	rc = vtk_conn_idl(c);
	if (rc != KPP_OK)
		vtk_conn_close(c);
	else
		log_info("vtk", "connected", "dev=%s pos_op=%u tk=%d to=%d", c->t->desc, c->pos_op,
			 c->tk_s, c->to_s);
	return rc;
}
