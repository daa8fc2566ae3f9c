/* ESC/POS printer over a transport: the device half of the printer service. */
#include "drivers/printer_escpos.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kiosk/base/log.h"
#include "kiosk/base/xalloc.h"

struct escpos_dev {
	struct printer_dev dev;
	struct transport *t;
	bool open;
	struct printer_escpos_cfg cfg;
	char *logo_path;
	struct printer_bitmap logo;
	bool logo_tried;
};

void printer_escpos_cfg_default(struct printer_escpos_cfg *c)
{
	memset(c, 0, sizeof *c);
	escpos_opts_default(&c->opts);
	c->reply_timeout_ms = 500;
	c->settle_ms = 1500;
	c->write_timeout_ms = 5000;
}

static void sleep_ms(int ms)
{
	if (ms <= 0)
		return;
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

static void link_lost(struct escpos_dev *e, int code)
{
	log_warn("printer", "link_lost", "dev=\"%s\" code=%d", e->t->desc, code);
	transport_close(e->t);
	e->open = false;
}

static int ensure_open(struct escpos_dev *e)
{
	if (e->open)
		return 0;
	int r = transport_open(e->t);
	if (r < 0)
		return PRINTER_EOFFLINE;
	e->open = true;
	return 0;
}

static int escpos_status(struct printer_dev *d, enum printer_state *ret)
{
	struct escpos_dev *e = d->impl;
	if (ensure_open(e))
		return PRINTER_EOFFLINE;
	/* Drop anything stale (a late answer to an earlier query) so answers line up. */
	uint8_t junk[64];
	int r;
	while ((r = transport_read(e->t, junk, sizeof junk, 0)) > 0)
		;
	if (r < 0) {
		link_lost(e, r);
		return PRINTER_EOFFLINE;
	}
	uint8_t replies[4];
	for (int n = 1; n <= 4; n++) {
		uint8_t q[3] = { 0x10, 0x04, (uint8_t)n };
		r = transport_write(e->t, q, sizeof q, e->cfg.reply_timeout_ms);
		if (r < 0) {
			link_lost(e, r);
			return PRINTER_EOFFLINE;
		}
		r = transport_read(e->t, &replies[n - 1], 1, e->cfg.reply_timeout_ms);
		if (r == 0)
			return PRINTER_EOFFLINE; /* silent: powered off or wedged */
		if (r < 0) {
			link_lost(e, r);
			return PRINTER_EOFFLINE;
		}
	}
	struct printer_status st;
	if (printer_status_parse(replies, &st) != 0) {
		log_warn("printer", "bad_status", "bytes=%02x%02x%02x%02x", replies[0], replies[1],
			 replies[2], replies[3]);
		return PRINTER_EOFFLINE;
	}
	*ret = printer_status_state(&st);
	return 0;
}

static int escpos_print(struct printer_dev *d, const struct receipt_doc *doc, const char *tag)
{
	struct escpos_dev *e = d->impl;
	if (e->logo_path && !e->logo_tried) {
		e->logo_tried = true;
		int w = e->cfg.opts.width_mm <= 58 ? 384 : 576;
		if (printer_bitmap_load_png(e->logo_path, w * 3 / 4, &e->logo) != 0)
			log_warn("printer", "logo_unreadable", "path=%s", e->logo_path);
	}
	struct escpos_opts o = e->cfg.opts;
	o.logo = e->logo.bits ? &e->logo : NULL;
	struct escpos_buf b;
	escpos_buf_init(&b, ESCPOS_MAX_JOB);
	int rc = escpos_render(&b, doc, &o);
	if (rc) {
		log_error("printer", "render_failed", "tag=%s rc=%d", tag, rc);
		rc = PRINTER_EINVAL;
		goto out;
	}
	if (ensure_open(e)) {
		rc = PRINTER_EOFFLINE;
		goto out;
	}
	int r = transport_write(e->t, b.data, b.len, e->cfg.write_timeout_ms);
	if (r < 0) {
		link_lost(e, r);
		rc = PRINTER_EOFFLINE;
		goto out;
	}
	log_info("printer", "sent", "tag=%s bytes=%zu", tag, b.len);
	sleep_ms(e->cfg.settle_ms);
out:
	escpos_buf_free(&b);
	return rc;
}

static void escpos_destroy(struct printer_dev *d)
{
	struct escpos_dev *e = d->impl;
	if (e->open)
		transport_close(e->t);
	transport_destroy(e->t);
	printer_bitmap_free(&e->logo);
	free(e->logo_path);
	free(e);
}

static const struct printer_dev_ops escpos_ops = {
	.status = escpos_status,
	.print = escpos_print,
	.destroy = escpos_destroy,
};

struct printer_dev *printer_escpos_new(struct transport *t, const struct printer_escpos_cfg *c)
{
	struct escpos_dev *e = xcalloc(1, sizeof *e);
	e->t = t;
	e->cfg = *c;
	e->cfg.opts.logo = NULL;
	e->logo_path = c->logo_path ? xstrdup(c->logo_path) : NULL;
	e->cfg.logo_path = NULL;
	e->dev.ops = &escpos_ops;
	e->dev.impl = e;
	snprintf(e->dev.desc, sizeof e->dev.desc, "escpos %.80s", t->desc);
	return &e->dev;
}
