#ifndef KIOSK_SVC_H
#define KIOSK_SVC_H
/* The services around the flow, as kiosk/main.c wires them: the store (the main thread's
 * connection), the account lookup worker, the PIN-pad payment service, the printer, the
 * scanner and the sync engine.  Each service runs on its own thread and reports with
 * SDL_PushEvent (one registered event type; code = enum svc_event, data1 = a malloc'd
 * payload the main thread frees) followed by wake_signal().  One failing device never
 * stops the others: a service that cannot start is reported as unavailable. */
#include <stdbool.h>
#include <stdint.h>

#include <SDL.h>

#include "kiosk/clock.h"
#include "kiosk/config.h"
#include "kiosk/flow.h"

enum svc_event {
	SVC_ACCOUNT,       /* struct flow_account_result */
	SVC_PAY_PROGRESS,  /* int: enum flow_pay_progress */
	SVC_PAY_RESULT,    /* struct flow_pay_result */
	SVC_PINPAD_READY,  /* int: 1 ready, 0 not */
	SVC_PRINTED,       /* struct svc_printed */
	SVC_SCAN,          /* struct svc_scan */
	SVC_CENTER,        /* int: 1 online, 0 offline */
	SVC_PRINTER_STATE, /* int: enum printer_state */
	SVC_SCANNER_STATE, /* int: enum scanner_state */
	SVC_READINGS_SAVED,/* int: 0 saved, else a store error */
	SVC_QUEUED,        /* int: 0 queued, else a store error */
	SVC_HISTORY,       /* struct payhist */
	SVC_STAFF_AUTH,    /* struct flow_staff_auth (kiosk/svc_staff.c) */
	SVC_STAFF_DATA,    /* struct flow_staff_data */
	SVC_STAFF_DONE,    /* struct flow_staff_done */
	SVC_STAFF_STATE,   /* struct flow_staff_state */
	SVC_RDHIST,        /* struct rdhist */
};

struct svc_printed { uint64_t job; int status; /* enum flow_print_status */ };
struct svc_scan { size_t len; uint8_t data[]; };

struct svc;
struct store;

/* Starts every configured service; NULL with err when the store cannot be opened (the
 * kiosk cannot serve anyone without it). */
struct svc *svc_start(const struct config *cfg, char *err, int errcap);
void svc_stop(struct svc *s);
Uint32 svc_event_type(void);
struct store *svc_store(struct svc *s);

/* Performs one flow action (reading the request from the flow's session). */
void svc_action(struct svc *s, const struct flow *f, const struct flow_action *a);
/* Turns one of our SDL events into a flow event (payload valid until svc_event_free). */
bool svc_translate(const SDL_Event *e, struct flow_event *ret);
void svc_event_free(SDL_Event *e);

/* Script support: outbox records not yet acknowledged (-1: no store). */
int svc_unacked(struct svc *s);
/* main's exit status: KIOSK_EXIT_RESTART (75) after a technician asked for a restart. */
int svc_exit_code(struct svc *s, int rc);

#endif
