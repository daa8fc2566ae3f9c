#ifndef KIOSK_SVC_PRIV_H
#define KIOSK_SVC_PRIV_H
/* What the service files share: the wiring (struct svc), the service worker's jobs and the
 * one way every service reports to the flow (svc_post).  Only kiosk/svc/svc*.c include it. */
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "drivers/pinpad_service.h"
#include "kiosk/receipt/receipt.h"
#include "kiosk/svc/svc.h"
#include "kiosk/svc/svc_staff.h"
#include "kiosk/base/worker.h"

#define SALE_TAG 1 /* the sale's PIN-pad commands (the staff's: SVC_STAFF_TAG) */

/* A report, as the flow event it becomes (svc_events.c svc_next). */
enum svc_event {
	SVC_ACCOUNT,       /* struct flow_account_result */
	SVC_PAY_PROGRESS,  /* int: enum flow_pay_progress */
	SVC_PAY_RESULT,    /* struct flow_pay_result */
	SVC_PINPAD_READY,  /* int: 1 ready, 0 not */
	SVC_PRINTED,       /* int: enum flow_print_status */
	SVC_SCAN,          /* struct svc_scan */
	SVC_CENTER,        /* int: 1 online, 0 offline */
	SVC_PRINTER_STATE, /* int: enum printer_state */
	SVC_SCANNER_STATE, /* int: enum scanner_state */
	SVC_READINGS_SAVED,/* int: 0 saved, else a store error */
	SVC_QUEUED,        /* int: 0 queued, else a store error */
	SVC_HISTORY,       /* struct payhist */
	SVC_STAFF_AUTH,    /* struct flow_staff_auth */
	SVC_STAFF_DATA,    /* struct flow_staff_data */
	SVC_STAFF_DONE,    /* struct flow_staff_done */
	SVC_STAFF_STATE,   /* struct flow_staff_state */
	SVC_RDHIST,        /* struct rdhist */
};

struct svc_scan { size_t len; uint8_t data[]; };

/* Any thread: queues a report with its malloc'd PAYLOAD (ours from here) and wakes main. */
void svc_post(enum svc_event code, void *payload);
void svc_post_int(enum svc_event code, int v);
void svc_events_open(void (*wake)(void *ud), void *ud);
void svc_events_close(void);

/* The service worker's jobs: what an action needs, copied out of the flow on the UI
 * thread (the worker never reads the flow, which the UI thread goes on changing). */
enum svc_job_kind {
	JOB_STARTUP,       /* the store's room and the staff's out-of-service state */
	JOB_PAY, JOB_PAY_CANCEL,
	JOB_PRINT_RECEIPT, JOB_PRINT_NOTICE, JOB_PRINT_BILL,
	JOB_READINGS, JOB_QUEUE,
	JOB_STAFF, JOB_SESSION_END, JOB_STORE_ROOM,
};

struct svc_job {
	enum svc_job_kind kind;
	union {
		struct { struct pinpad_cmd cmd; char contact[80]; } pay;
		char txn_id[JOURNAL_TXN_ID_LEN + 1];     /* receipt, notice */
		/* acct: malloc'd, the job's.  A whole account in the job would make every slot of
		 * the ring ~9.7 KB: 310 KB resident once the ring has gone round. */
		struct { struct account *acct; bool from_cache; } bill;
		struct fa_readings readings;
		struct { const char *kind; char *text; } queue; /* text: malloc'd, the job's */
		struct fa_staff staff;
	} u;
};

struct svc {
	const struct config *cfg;
	struct store *store;          /* the service worker's connection */
	struct store *script_store;   /* the scripts' checks (svc_unacked), opened at the first */
	char start_settings[2][16];   /* svc_start_setting's, read at start */
	struct worker *jobs;          /* the service worker */
	struct lookup *lookup;
	struct pinpad_service *pinpad;
	struct store *pinpad_store;   /* the PIN-pad thread's */
	struct printer_service *printer;
	struct scanner_service *scanner;
	struct sync *sync;
	struct store *sync_store;     /* the sync thread's */
	atomic_bool online, pinpad_ready;
	atomic_bool store_room;       /* the store's disk has payment.min_free_mb free */
	atomic_bool stopping;         /* svc_stop: the worker finishes its jobs, starts no sale */
	atomic_int printer_state, scanner_state;
	pthread_mutex_t mu;
	char open_txn[JOURNAL_TXN_ID_LEN + 1]; /* a sale shown as "being checked" (mu) */
	struct svc_staff *staff;      /* cashier and technician operations */
	struct svc_fiscal *fiscal;    /* the fiscal register, or NULL (fiscal.device = none) */
};

/* Payments (svc_pay.c). */
void svc_pay_start(struct svc *s);
void svc_pay_run(struct svc *s, const struct svc_job *j);          /* JOB_PAY */
void svc_pay_check_room(struct svc *s);                            /* JOB_STORE_ROOM */
/* Printing (svc_print.c).  ST: the calling thread's store connection. */
void svc_print_start(struct svc *s);
int svc_print_receipt_for(struct svc *s, struct store *st, const char *txn_id, struct receipt_doc *doc);
void svc_print_run(struct svc *s, const struct svc_job *j);        /* JOB_PRINT_* */
/* Prints DOC (and frees it); without a printer the flow hears PRINT_NONE. */
void svc_print_doc(struct svc *s, struct receipt_doc *doc, const char *tag);
/* Queue and sync (svc_queue.c). */
void svc_queue_start(struct svc *s);
void svc_queue_run(struct svc *s, const struct svc_job *j);        /* JOB_READINGS, JOB_QUEUE */
/* UI thread: an outbox record (e-receipt, request) as JOB_QUEUE: BODY (ours) in compact
 * JSON with sorted keys, so the bytes are stable.  0, or -1 when it cannot be written. */
int svc_queue_job(struct svc_job *j, const char *kind, json_t *body);

#endif
