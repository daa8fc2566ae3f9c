#ifndef DRIVERS_PINPAD_SERVICE_INTERNAL_H
#define DRIVERS_PINPAD_SERVICE_INTERNAL_H
/* The payment service's state and the helpers its two files share (pinpad_service.c: the
 * worker's jobs (commands) and idle step (connect, ping); pinpad_service_recover.c: connecting and settling
 * unfinished rows).  Only they include this; everyone else has pinpad_service.h. */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "drivers/pinpad_service.h"

#define INBOX_MAX 16
#define UNFINISHED_MAX 16

struct pinpad_service {
	struct pinpad_service_cfg cfg;
	struct pinpad_adapter *ad;    /* the protocol: cfg.adapter, or cfg.client wrapped */
	struct worker *w;        /* the service thread: jobs are commands (kiosk/base/worker.h) */
	pthread_mutex_t mu;      /* ready, sales_queued, sale_live, cancel_req */
	int sales_queued;        /* SALEs submitted and not yet started */
	bool ready;              /* connected, recovered: sales accepted */
	bool connected;
	bool must_recover;       /* a journal write failed: a row is left unfinished */
	/* cancel of the SALE queued or running (guarded by mu): kept until the sale
	 * ends, so a cancel that comes before the terminal was asked is not lost */
	bool sale_live, cancel_req;
	int backoff_ms;
	/* scratch, service thread only */
	struct kpp_msg msg;
	struct journal_payment rows[UNFINISHED_MAX];
	const struct pinpad_cmd *cur;
};

/* The configured clock (cfg.now_ms) or the wall clock, UTC ms. */
int64_t pinpad_service_now_ms(struct pinpad_service *s);
/* An event to the owner (cfg.on_event). */
void pinpad_service_emit(struct pinpad_service *s, struct pinpad_event *ev);
/* Ready for sales or not; a change is logged and told (PINPAD_EV_READY). */
void pinpad_service_set_ready(struct pinpad_service *s, bool ready);
/* Whether a KPP_E* code means the link is gone (close and reconnect). */
bool pinpad_service_link_lost(int rc);
/* Closes the transport; not ready until try_ready succeeds. */
void pinpad_service_disconnect(struct pinpad_service *s);
/* A journal move the service goes on from; a failure leaves the row unfinished
 * (must_recover).  The journal's code. */
int pinpad_service_row_move(struct pinpad_service *s, const char *txn_id, enum journal_state to, const char *why);

/* pinpad_service_recover.c */
/* VOID of txn_id under a derived, stable id; *ret_reversed when the terminal reversed it. */
int pinpad_service_void(struct pinpad_service *s, const char *txn_id, kpp_event_fn cb, struct kpp_msg *m,
			bool *ret_reversed);
/* An approval the journal could not write down, reversed on the terminal:
 * NOT_RECORDED, or NEEDS_OPERATOR when the terminal would not. */
enum pinpad_outcome pinpad_service_reverse_unrecorded(struct pinpad_service *s, const char *txn_id, const char *why);
/* CONFIRM for a RECORDED row, and the row moved on: the outcome, or -1 with *ret_rc set
 * when the link failed (the row stays RECORDED for the next recovery). */
int pinpad_service_confirm_recorded(struct pinpad_service *s, const char *txn_id, int *ret_rc);
/* One unfinished row resolved with the terminal's status of it: the outcome, or -1 with
 * *ret_rc set when the link failed or the terminal stayed busy (the row left as it is). */
int pinpad_service_resolve_row(struct pinpad_service *s, const struct journal_payment *row, int *ret_rc);
/* One attempt to become ready (connect, settle every unfinished row); true when ready. */
bool pinpad_service_try_ready(struct pinpad_service *s);

#endif
