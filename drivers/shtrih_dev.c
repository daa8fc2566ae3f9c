#include "drivers/shtrih_dev.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "drivers/shtrih_state.h"
#include "drivers/transports.h"
#include "kiosk/base/log.h"

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

void shtrih_dev_attach(struct shtrih_dev *d, struct transport *t, bool tcp, int byte_timeout_ms,
		       uint32_t pw)
{
	memset(d, 0, sizeof *d);
	d->t = t;
	d->pw = pw;
	d->tcp = tcp;
	d->byte_timeout_ms = byte_timeout_ms;
	d->busy_retries = 10;
	d->busy_wait_ms = 300;
	shtrih_link_init(&d->link, t, byte_timeout_ms, tcp);
}

int shtrih_dev_open(struct shtrih_dev *d, const char *transport, const char *address, int baud,
		    int byte_timeout_ms, uint32_t pw)
{
	struct transport *t = NULL;
	memset(d, 0, sizeof *d);
	if (strcmp(transport, "tty") == 0) {
		t = transport_tty_new(address, baud);
	} else if (strcmp(transport, "usb") == 0) {
		struct transport_usb_cfg cfg = { .classes = { TRANSPORT_USB_CDC_DATA } };
		if (transport_usb_parse_id(address, &cfg))
			t = transport_usb_new(&cfg);
	} else {
		t = transport_from_config(transport, address);
	}
	if (!t) {
		snprintf(d->err_text, sizeof d->err_text, "bad fiscal address %s %s", transport, address);
		return SHTRIH_DEV_ELINK;
	}
	int rc = transport_open(t);
	if (rc < 0) {
		snprintf(d->err_text, sizeof d->err_text, "%s: %s", t->desc, transport_strerror(rc));
		transport_destroy(t);
		return SHTRIH_DEV_ELINK;
	}
	shtrih_dev_attach(d, t, strcmp(transport, "tcp") == 0, byte_timeout_ms, pw);
	return 0;
}

void shtrih_dev_close(struct shtrih_dev *d)
{
	if (d->t) {
		transport_close(d->t);
		transport_destroy(d->t);
	}
	d->t = NULL;
}

static int link_code(struct shtrih_dev *d, int rc)
{
	snprintf(d->err_text, sizeof d->err_text, "нет связи с ККТ (%d)", rc);
	return rc == SHTRIH_LINK_EUNKNOWN ? SHTRIH_DEV_EUNKNOWN : SHTRIH_DEV_ELINK;
}

int shtrih_dev_cmd(struct shtrih_dev *d, const struct shtrih_req *q, uint8_t *body,
		   struct shtrih_reply *rp)
{
	if (!d->t)
		return SHTRIH_DEV_ELINK;
	for (int attempt = 0;; attempt++) {
		size_t n;
		int rc = shtrih_link_exec(&d->link, q, body, SHTRIH_BODY_MAX, &n);
		if (rc < 0)
			return link_code(d, rc);
		if (shtrih_reply_parse(body, n, rp) != 0)
			return SHTRIH_DEV_EPROTO;
		if (rp->err == 0)
			return 0;
		/* busy printing: the command was not executed, so it may be sent again */
		if (rp->err == 0x50 && attempt < d->busy_retries) {
			sleep_ms(d->busy_wait_ms);
			continue;
		}
		char name[5];
		d->err_code = rp->err;
		snprintf(d->err_text, sizeof d->err_text, "%s: ошибка %02Xh, %s",
			 shtrih_cmd_name(q->cmd, name), rp->err, shtrih_error_text(rp->err));
		return SHTRIH_DEV_EDEVICE;
	}
}

int shtrih_dev_simple(struct shtrih_dev *d, uint16_t cmd)
{
	struct shtrih_req q;
	uint8_t body[SHTRIH_BODY_MAX];
	struct shtrih_reply rp;
	shtrih_req_pw(&q, cmd, d->pw);
	return shtrih_dev_cmd(d, &q, body, &rp);
}

/* One read-only command and its decoder. */
#define READ(cmd, parse, out) do { \
	shtrih_req_pw(&q, (cmd), d->pw); \
	if ((rc = shtrih_dev_cmd(d, &q, body, &rp)) != 0) \
		return rc; \
	if (parse(&rp, (out)) != 0) \
		return SHTRIH_DEV_EPROTO; \
} while (0)

int shtrih_dev_status(struct shtrih_dev *d, struct shtrih_snapshot *ret)
{
	struct shtrih_req q;
	uint8_t body[SHTRIH_BODY_MAX];
	struct shtrih_reply rp;
	struct shtrih_snapshot s;
	int rc;
	memset(&s, 0, sizeof s);
	READ(SHTRIH_SHORT_STATUS, shtrih_parse_short_status, &s.st);
	READ(SHTRIH_LONG_STATUS, shtrih_parse_long_status, &s.ls);
	READ(SHTRIH_FN_STATUS, shtrih_parse_fn_status, &s.fn);
	READ(SHTRIH_FN_SHIFT_STATUS, shtrih_parse_shift_status, &s.shift);
	READ(SHTRIH_FN_EXPIRY, shtrih_parse_fn_expiry, s.expiry);
	READ(SHTRIH_FN_UNSENT, shtrih_parse_unsent, &s.unsent);
	READ(SHTRIH_FN_OFD_STATUS, shtrih_parse_ofd_status, &s.ofd);
	uint8_t today[3] = { s.ls.date[2], s.ls.date[1], s.ls.date[0] };
	s.days_to_expiry = shtrih_plan_days(today, s.expiry);
	if (s.unsent) {
		uint8_t first[3] = { s.ofd.first_dt.yy, s.ofd.first_dt.mo, s.ofd.first_dt.dd };
		s.unsent_days = shtrih_plan_days(first, today);
	}
	*ret = s;
	return 0;
}

static int out_of_service(struct shtrih_dev *d, const char *why)
{
	snprintf(d->err_text, sizeof d->err_text, "%s", why);
	return SHTRIH_DEV_EOUT;
}

int shtrih_dev_preflight(struct shtrih_dev *d, bool open_shift, struct shtrih_snapshot *ret)
{
	/* a stale reply (of a command before a crash) is drained first */
	int rc = shtrih_link_probe(&d->link);
	if (rc < 0)
		return link_code(d, rc);
	for (int step = 0; step < 12; step++) {
		struct shtrih_snapshot s;
		if ((rc = shtrih_dev_status(d, &s)) != 0)
			return rc;
		if (s.fn.phase != 3)
			return out_of_service(d, shtrih_phase_text(s.fn.phase));
		const char *why;
		enum shtrih_fix f = shtrih_plan_fix(&s.st, open_shift, &why);
		if (f == SHTRIH_FIX_NONE && s.fn.cur_doc != 0 && s.st.mode != SHTRIH_MODE_DOCUMENT) {
			if ((rc = shtrih_dev_simple(d, SHTRIH_FN_CANCEL_DOC)) != 0)
				return rc;
			continue;
		}
		if (f != SHTRIH_FIX_NONE)
			log_info("fiscal", "preflight_fix", "fix=%s mode=%u submode=%u",
				 shtrih_fix_name(f), s.st.mode, s.st.submode);
		switch (f) {
		case SHTRIH_FIX_NONE:
			*ret = s;
			return 0;
		case SHTRIH_FIX_OUT_OF_SERVICE:
			return out_of_service(d, why);
		case SHTRIH_FIX_WAIT:
			sleep_ms(500);
			continue;
		case SHTRIH_FIX_CONTINUE_PRINT: rc = shtrih_dev_simple(d, SHTRIH_CONTINUE_PRINT); break;
		case SHTRIH_FIX_CANCEL_RECEIPT: rc = shtrih_dev_simple(d, SHTRIH_CANCEL_RECEIPT); break;
		case SHTRIH_FIX_CLOSE_SHIFT: rc = shtrih_dev_simple(d, SHTRIH_Z_REPORT); break;
		case SHTRIH_FIX_OPEN_SHIFT: rc = shtrih_dev_simple(d, SHTRIH_OPEN_SHIFT); break;
		}
		if (rc != 0)
			return rc;
	}
	return out_of_service(d, "ККТ не приходит в рабочее состояние");
}

/* Cancels the open receipt after a refusal; the refusal's text is kept. */
static int cancel_after(struct shtrih_dev *d, int rc)
{
	uint8_t code = d->err_code;
	char text[sizeof d->err_text];
	memcpy(text, d->err_text, sizeof text);
	shtrih_dev_simple(d, SHTRIH_CANCEL_RECEIPT);
	d->err_code = code;
	memcpy(d->err_text, text, sizeof text);
	return rc;
}

int shtrih_dev_receipt(struct shtrih_dev *d, const struct shtrih_req *cmds, int n,
		       shtrih_closing_fn closing, void *ctx, struct shtrih_fd_result *ret)
{
	uint8_t body[SHTRIH_BODY_MAX];
	struct shtrih_reply rp;
	int rc;
	if (n < 2 || cmds[n - 1].cmd != SHTRIH_FN_CLOSE_RECEIPT)
		return SHTRIH_DEV_EPROTO;
	for (int i = 0; i < n - 1; i++) {
		rc = shtrih_dev_cmd(d, &cmds[i], body, &rp);
		if (rc == SHTRIH_DEV_EDEVICE)
			return cancel_after(d, rc);
		if (rc != 0) /* no receipt can exist without the close: the state is fixed later */
			return rc == SHTRIH_DEV_EUNKNOWN ? SHTRIH_DEV_ELINK : rc;
	}
	if (closing && closing(ctx) != 0)
		return cancel_after(d, SHTRIH_DEV_EPROTO);
	rc = shtrih_dev_cmd(d, &cmds[n - 1], body, &rp);
	if (rc == SHTRIH_DEV_EDEVICE)
		return cancel_after(d, rc);
	if (rc == SHTRIH_DEV_ELINK)
		return SHTRIH_DEV_EUNKNOWN;
	if (rc != 0)
		return rc;
	return shtrih_parse_close_result(&rp, ret) == 0 ? 0 : SHTRIH_DEV_EUNKNOWN;
}

int shtrih_dev_doc(struct shtrih_dev *d, uint32_t fd, struct shtrih_fn_doc *ret)
{
	struct shtrih_req q;
	uint8_t body[SHTRIH_BODY_MAX];
	struct shtrih_reply rp;
	shtrih_req_fd(&q, SHTRIH_FN_FIND_DOC, d->pw, fd);
	int rc = shtrih_dev_cmd(d, &q, body, &rp);
	if (rc != 0)
		return rc;
	return shtrih_parse_fn_doc(&rp, ret) == 0 ? 0 : SHTRIH_DEV_EPROTO;
}

/* The archive between fd0 and the last FD: the receipt of amount, if it is there. */
static int search_archive(struct shtrih_dev *d, uint32_t fd0, int64_t amount,
			  struct shtrih_fd_result *ret)
{
	struct shtrih_req q;
	uint8_t body[SHTRIH_BODY_MAX];
	struct shtrih_reply rp;
	struct shtrih_fn_status fs;
	int rc;
	READ(SHTRIH_FN_STATUS, shtrih_parse_fn_status, &fs);
	for (uint32_t fd = fd0 + 1; fd > fd0 && fd <= fs.last_fd; fd++) {
		struct shtrih_fn_doc doc;
		if ((rc = shtrih_dev_doc(d, fd, &doc)) != 0)
			return rc;
		if (shtrih_plan_doc_matches(&doc, amount)) {
			memset(ret, 0, sizeof *ret);
			ret->fd = doc.fd;
			ret->fp = doc.fp;
			ret->has_dt = true;
			ret->dt = doc.dt;
			return SHTRIH_RESOLVED_DONE;
		}
	}
	return SHTRIH_RESOLVED_NOT_MADE;
}

int shtrih_dev_resolve(struct shtrih_dev *d, uint32_t fd0, int64_t amount,
		       const struct shtrih_req *close, struct shtrih_fd_result *ret)
{
	struct shtrih_req q;
	uint8_t body[SHTRIH_BODY_MAX];
	struct shtrih_reply rp;
	struct shtrih_short_status st;
	int rc = shtrih_link_probe(&d->link);
	if (rc < 0)
		return link_code(d, rc);
	if (rc == 1 && shtrih_plan_held_close(d->link.held, d->link.held_len, ret))
		return SHTRIH_RESOLVED_DONE;
	READ(SHTRIH_SHORT_STATUS, shtrih_parse_short_status, &st);
	if (st.mode == SHTRIH_MODE_DOCUMENT) {
		/* the close never ran: the same close again */
		rc = shtrih_dev_cmd(d, close, body, &rp);
		if (rc == 0 && shtrih_parse_close_result(&rp, ret) == 0)
			return SHTRIH_RESOLVED_DONE;
		if (rc == SHTRIH_DEV_EDEVICE)
			return cancel_after(d, SHTRIH_RESOLVED_NOT_MADE);
		return rc == 0 ? SHTRIH_DEV_EUNKNOWN : rc == SHTRIH_DEV_ELINK ? SHTRIH_DEV_EUNKNOWN : rc;
	}
	return search_archive(d, fd0, amount, ret);
}
