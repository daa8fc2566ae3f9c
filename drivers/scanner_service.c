/* Scanner service: read, reassemble, strip, dedupe, deliver; reconnect.  The read loop is
 * the idle step of a worker that takes no jobs (kiosk/base/worker.h). */
#include "drivers/scanner_service.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "drivers/scanner_hidpos.h"
#include "drivers/scanner_line.h"
#include "drivers/scanner_wedge.h"
#include "kiosk/base/log.h"
#include "kiosk/base/worker.h"
#include "kiosk/base/xalloc.h"

#define READ_TIMEOUT_MS 200

struct scanner_service {
	struct scanner_service_cfg cfg;
	struct worker *w;      /* the service thread: its idle step is the read loop's turn */
	bool open;             /* the transport is open (the service thread's) */
	int backoff;           /* the next reopen's wait, ms (the service thread's) */
	atomic_int state;
	bool state_known;
	struct scanner_dedupe dedupe;
	struct hidpos_asm hidpos;
	struct wedge_dec wedge;
	struct scanner_line line;
};

int scanner_mode_parse(const char *s)
{
	if (strcmp(s, "hidpos") == 0)
		return SCANNER_MODE_HIDPOS;
	if (strcmp(s, "wedge") == 0)
		return SCANNER_MODE_WEDGE;
	if (strcmp(s, "tty") == 0)
		return SCANNER_MODE_TTY;
	return -1;
}

void scanner_service_cfg_default(struct scanner_service_cfg *c)
{
	memset(c, 0, sizeof *c);
	c->backoff_min_ms = 100;
	c->backoff_max_ms = 5000;
}

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void set_state(struct scanner_service *s, enum scanner_state st)
{
	if (s->state_known && atomic_load(&s->state) == (int)st)
		return;
	s->state_known = true;
	atomic_store(&s->state, (int)st);
	log_info("scanner", "state", "state=%s dev=\"%s\"", scanner_state_name(st), s->cfg.t->desc);
	if (s->cfg.on_state)
		s->cfg.on_state(s->cfg.ud, st);
}

static void deliver(struct scanner_service *s, const uint8_t *data, size_t n, const char *aim0)
{
	size_t off, len;
	char aim[4];
	scanner_strip(data, n, s->cfg.suffix, s->cfg.suffix_len, &off, &len, aim);
	if (!len)
		return;
	int64_t now = s->cfg.now_ms ? s->cfg.now_ms(s->cfg.ud) : mono_ms();
	if (!scanner_dedupe_accept(&s->dedupe, data + off, len, now)) {
		log_debug("scanner", "duplicate", "len=%zu", len);
		return;
	}
	log_info("scanner", "symbol", "len=%zu aim=%s", len, aim[0] ? aim : aim0);
	if (s->cfg.on_symbol)
		s->cfg.on_symbol(s->cfg.ud, data + off, len, aim[0] ? aim : aim0);
}

static void failed(struct scanner_service *s, int err)
{
	log_warn("scanner", "bad_read", "err=%d", err);
	if (s->cfg.on_error)
		s->cfg.on_error(s->cfg.ud, err);
}

static void line_emit(void *ud, int rc, const uint8_t *data, size_t len)
{
	struct scanner_service *s = ud;
	if (rc)
		failed(s, rc);
	else
		deliver(s, data, len, "");
}

static void process(struct scanner_service *s, const uint8_t *buf, size_t n)
{
	int r;
	switch (s->cfg.mode) {
	case SCANNER_MODE_HIDPOS:
		r = hidpos_feed(&s->hidpos, buf, n);
		if (r == HIDPOS_DONE)
			deliver(s, s->hidpos.buf, s->hidpos.len, s->hidpos.aim);
		else if (r < 0)
			failed(s, r);
		break;
	case SCANNER_MODE_WEDGE:
		r = wedge_feed(&s->wedge, buf, n);
		if (r == WEDGE_DONE)
			deliver(s, s->wedge.buf, s->wedge.len, "");
		else if (r < 0)
			failed(s, r);
		break;
	case SCANNER_MODE_TTY:
		scanner_line_feed(&s->line, buf, n, line_emit, s);
		break;
	}
}

static void reset_decoders(struct scanner_service *s)
{
	hidpos_init(&s->hidpos);
	wedge_init(&s->wedge);
	scanner_line_init(&s->line, s->cfg.suffix, s->cfg.suffix_len);
}

/* The wait before the next reopen, doubling up to backoff_max_ms. */
static int next_backoff(struct scanner_service *s)
{
	int wait = s->backoff;
	s->backoff = s->backoff * 2 > s->cfg.backoff_max_ms ? s->cfg.backoff_max_ms : s->backoff * 2;
	return wait;
}

/* One turn of the read loop, as the worker's idle step: open when closed, else one read
 * (up to READ_TIMEOUT_MS).  Returns 0 to come again at once, or the backoff before the next
 * reopen (the worker's wait ends early at the stop). */
static int idle(void *ctx)
{
	struct scanner_service *s = ctx;
	struct transport *t = s->cfg.t;
	if (!s->open) {
		int r = transport_open(t);
		if (r < 0) {
			set_state(s, (r == TRANSPORT_ENODEV || r == TRANSPORT_EGONE) ? SCANNER_STATE_ABSENT
										 : SCANNER_STATE_ERROR);
			return next_backoff(s);
		}
		s->open = true;
		reset_decoders(s); /* half a symbol from before the unplug is not a symbol */
		set_state(s, SCANNER_STATE_OK);
	}
	uint8_t buf[4096];
	int n = transport_read(t, buf, sizeof buf, READ_TIMEOUT_MS);
	if (n > 0) {
		/* Backoff resets only once data flows: a device that opens and drops at once
		 * must not make this loop spin. */
		s->backoff = s->cfg.backoff_min_ms;
		process(s, buf, (size_t)n);
		return 0;
	}
	if (n == 0)
		return 0;
	log_warn("scanner", "link_lost", "dev=\"%s\" code=%d", t->desc, n);
	transport_close(t);
	s->open = false;
	set_state(s, n == TRANSPORT_EGONE ? SCANNER_STATE_ABSENT : SCANNER_STATE_ERROR);
	return next_backoff(s);
}

struct scanner_service *scanner_service_start(const struct scanner_service_cfg *c)
{
	struct scanner_service *s = xcalloc(1, sizeof *s);
	s->cfg = *c;
	if (s->cfg.backoff_min_ms <= 0)
		s->cfg.backoff_min_ms = 100;
	if (s->cfg.backoff_max_ms < s->cfg.backoff_min_ms)
		s->cfg.backoff_max_ms = s->cfg.backoff_min_ms;
	if (s->cfg.suffix_len > SCANNER_MAX_SUFFIX)
		s->cfg.suffix_len = SCANNER_MAX_SUFFIX;
	s->backoff = s->cfg.backoff_min_ms;
	atomic_init(&s->state, SCANNER_STATE_ABSENT);
	scanner_dedupe_init(&s->dedupe);
	reset_decoders(s);
	/* No jobs: the scanner only reads. */
	struct worker_cfg wc = { .name = "scanner", .idle = idle, .ctx = s };
	s->w = worker_start(&wc);
	if (!s->w) {
		transport_destroy(s->cfg.t);
		free(s);
		return NULL;
	}
	return s;
}

enum scanner_state scanner_service_state(struct scanner_service *s)
{
	return (enum scanner_state)atomic_load(&s->state);
}

void scanner_service_stop(struct scanner_service *s)
{
	if (!s)
		return;
	worker_stop(s->w, WORKER_DROP); /* a read in progress ends within READ_TIMEOUT_MS */
	if (s->open)
		transport_close(s->cfg.t);
	transport_destroy(s->cfg.t);
	free(s);
}
