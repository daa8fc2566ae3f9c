#ifndef KIOSK_SVC_H
#define KIOSK_SVC_H
/* The services around the flow, as kiosk/shell/main.c wires them: account lookups
 * (svc_lookup.c), payments with the PIN-pad and the fiscal register (svc_pay.c), printing
 * (svc_print.c), the outbox and the sync engine (svc_queue.c), the staff shell
 * (svc_staff.c) and the scanner.
 *
 * Threads.  svc_action and svc_next belong to the main (UI) thread and never block: an
 * action copies what it needs out of the flow into a job for the service worker
 * (kiosk/base/worker.h), which does every store write, key derivation, receipt and statvfs.
 * Lookups have a worker of their own (the center may take seconds); the drivers have
 * their threads.  Every service reports through one queue: svc_next hands the reports to
 * main as flow events in the order they were made, and WAKE (given to svc_start, called
 * on any thread) tells main there is one.  One failing device never stops the others: a
 * service that cannot start is reported as unavailable. */
#include <stdbool.h>

#include "kiosk/conf/config.h"
#include "kiosk/flow/flow.h"

struct svc;
struct store;

/* Starts every configured service; NULL with err when the store cannot be opened (the
 * kiosk cannot serve anyone without it). */
struct svc *svc_start(const struct config *cfg, void (*wake)(void *ud), void *ud, char *err, int errcap);
/* Stops them all; the reports still queued are freed unread. */
void svc_stop(struct svc *s);

/* UI thread: performs one flow action from its payload (a job for a worker, or a device's
 * queue); it never reads the flow. */
void svc_action(struct svc *s, const struct flow_action *a);
/* UI thread: the next report as a flow event, false when there is none.  Its payload is
 * valid until the next call (or svc_stop). */
bool svc_next(struct svc *s, struct flow_event *ret);

/* A setting a technician saved that the shell applies at start (speech.rate,
 * speech.volume): read when svc_start opened the store, so that the UI thread never reads
 * it.  The saved value, or "" when there is none (or KEY is not one of those). */
const char *svc_start_setting(struct svc *s, const char *key);
/* Script support: outbox records not yet acknowledged (-1: no store).  Its connection is
 * opened by the first call: the kiosk itself never needs one on the UI thread. */
int svc_unacked(struct svc *s);
/* True when the service worker has done every job submitted so far (scripts' db checks). */
bool svc_idle(struct svc *s);
/* main's exit status: KIOSK_EXIT_RESTART (75) after a technician asked for a restart. */
int svc_exit_code(struct svc *s, int rc);

#endif
