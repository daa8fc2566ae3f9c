/* The services' one report queue (svc_priv.h svc_post, svc.h svc_next): a mutex-guarded
 * list that any thread appends to and the main thread takes from; the window system stays
 * main's and ui/'s alone.  Unbounded on purpose: a report is an answer the flow waits for (a payment's
 * result), and the main thread takes them all at every turn of its loop. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/base/log.h"
#include "kiosk/svc/svc_priv.h"
#include "kiosk/base/wake.h"
#include "kiosk/base/xalloc.h"

struct report {
	struct report *next;
	enum svc_event code;
	int v;          /* the int reports' value */
	void *payload;  /* the others' (malloc'd) */
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct report *head, *tail;
static void *current;   /* the payload svc_next handed out last (main thread's) */
static void (*wake_fn)(void *ud);
static void *wake_ud;

void svc_events_open(void (*wake)(void *ud), void *ud)
{
	pthread_mutex_lock(&mu);
	wake_fn = wake;
	wake_ud = ud;
	pthread_mutex_unlock(&mu);
}

static void push(enum svc_event code, int v, void *payload)
{
	struct report *r = xcalloc(1, sizeof *r);
	r->code = code;
	r->v = v;
	r->payload = payload;
	pthread_mutex_lock(&mu);
	if (tail)
		tail->next = r;
	else
		head = r;
	tail = r;
	void (*fn)(void *) = wake_fn;
	void *ud = wake_ud;
	pthread_mutex_unlock(&mu);
	wake_signal();
	if (fn)
		fn(ud);
}

void svc_post(enum svc_event code, void *payload)
{
	push(code, 0, payload);
}

void svc_post_int(enum svc_event code, int v)
{
	push(code, v, NULL);
}

/* A report as its flow event; false for those the flow has no event for (device states:
 * the technician's screen and the health report read them elsewhere). */
static bool translate(const struct report *r, struct flow_event *ret)
{
	static const enum flow_event_type with_payload[] = {
		[SVC_ACCOUNT] = FE_ACCOUNT, [SVC_PAY_RESULT] = FE_PAY_RESULT, [SVC_HISTORY] = FE_HISTORY,
		[SVC_STAFF_AUTH] = FE_STAFF_AUTH, [SVC_STAFF_DATA] = FE_STAFF_DATA, [SVC_STAFF_DONE] = FE_STAFF_DONE,
		[SVC_STAFF_STATE] = FE_STAFF_STATE, [SVC_RDHIST] = FE_RDHIST,
	};
	memset(ret, 0, sizeof *ret);
	ret->code = r->v;
	switch (r->code) {
	case SVC_PAY_PROGRESS: ret->type = FE_PAY_PROGRESS; return true;
	case SVC_PINPAD_READY: ret->type = FE_PINPAD_STATUS; return true;
	case SVC_PRINTED: ret->type = FE_PRINT_RESULT; return true;
	case SVC_CENTER: ret->type = FE_CENTER_STATUS; return true;
	case SVC_QUEUED: ret->type = FE_QUEUED; return true;
	case SVC_PRINTER_STATE: ret->type = FE_PRINTER_STATUS; return true;
	case SVC_READINGS_SAVED: ret->type = FE_READINGS_SAVED; return true;
	case SVC_SCANNER_STATE: return false;
	case SVC_SCAN: {
		const struct svc_scan *sc = r->payload;
		ret->type = FE_SCAN;
		ret->data = sc->data;
		ret->len = sc->len;
		return true;
	}
	default:
		ret->type = with_payload[r->code];
		ret->payload = r->payload;
		return true;
	}
}

bool svc_next(struct svc *s, struct flow_event *ret)
{
	(void)s; /* one queue per process: one kiosk, one flow */
	for (;;) {
		free(current);
		current = NULL;
		pthread_mutex_lock(&mu);
		struct report *r = head;
		if (r) {
			head = r->next;
			if (!head)
				tail = NULL;
		}
		pthread_mutex_unlock(&mu);
		if (!r)
			return false;
		current = r->payload;
		bool ok = translate(r, ret);
		free(r);
		if (ok)
			return true;
	}
}

void svc_events_close(void)
{
	pthread_mutex_lock(&mu);
	int n = 0;
	while (head) {
		struct report *r = head;
		head = r->next;
		free(r->payload);
		free(r);
		n++;
	}
	tail = NULL;
	wake_fn = NULL;
	free(current);
	current = NULL;
	pthread_mutex_unlock(&mu);
	if (n)
		log_info("svc", "reports_dropped", "count=%d why=stopping", n);
}
