#ifndef KIOSK_SVC_STAFF_H
#define KIOSK_SVC_STAFF_H
/* The staff shell (kiosk/svc/svc.c wires it): performs the flow's FA_STAFF operations against
 * the store, the PIN-pad, the printer and the sync engine, and answers with reports
 * (svc_priv.h SVC_STAFF_*: the flow's FE_STAFF_* payloads).  Every operation a staff
 * member performs goes to the audit trail and the outbox (offline/staff.h staff_event) before its answer.
 *
 * Threads: the flow copies an operation into FA_STAFF's payload; everything runs on the
 * service worker (its store connection), except svc_staff_pinpad (the
 * PIN-pad service's thread), which uses a store connection of its own. */
#include <stdatomic.h>
#include <stdbool.h>

#include "kiosk/base/clock.h"
#include "kiosk/conf/config.h"
#include "kiosk/flow/flow.h"

struct store;
struct pinpad_service;
struct pinpad_event;
struct printer_service;
struct sync;

/* The tag of the staff's PIN-pad commands (the sale uses 1). */
#define SVC_STAFF_TAG 2
/* The exit status asking the service manager for a restart (EX_TEMPFAIL; the unit file
 * restarts on it: Restart=on-failure or RestartForceExitStatus=75). */
#define KIOSK_EXIT_RESTART 75

struct svc_staff_deps {
	const struct config *cfg;
	struct store *store;                /* the service worker's */
	struct pinpad_service *pinpad;      /* each may be NULL: not configured */
	struct printer_service *printer;
	struct sync *sync;
	struct svc_fiscal *fiscal;          /* the fiscal register: X/Z there too */
	bool scanner;                       /* a scanner service runs */
	atomic_bool *pinpad_ready, *online;
	atomic_int *printer_state, *scanner_state;
};

struct svc_staff;

struct svc_staff *svc_staff_start(const struct svc_staff_deps *d);
void svc_staff_stop(struct svc_staff *st);
/* Posts the persisted out-of-service state to the flow (SVC_STAFF_STATE). */
void svc_staff_post_state(struct svc_staff *st);
/* One operation (FA_STAFF's payload, copied by the flow: flow.h, struct fa_staff). */
void svc_staff_run(struct svc_staff *st, const struct fa_staff *j);
/* The session ended (FA_WIPE_SESSION): a logged-in staff member logged out. */
void svc_staff_session_end(struct svc_staff *st);
/* A PIN-pad event with SVC_STAFF_TAG (PIN-pad thread). */
void svc_staff_pinpad(struct svc_staff *st, const struct pinpad_event *ev);
/* KIOSK_EXIT_RESTART once a technician asked for a restart, else rc. */
int svc_staff_exit_code(const struct svc_staff *st, int rc);

#endif
