#ifndef DRIVERS_PRINTER_SERVICE_H
#define DRIVERS_PRINTER_SERVICE_H
/* The printer service: one thread that owns a printer_dev, prints jobs from its inbox one
 * at a time and watches the printer's state.
 *
 * Promises:
 *  - When idle it asks the printer's state every poll_ms; before and after each receipt
 *    too.  Every change of state is reported once through on_state (from the service
 *    thread; the callback must not block: the kiosk queues a report from it).
 *  - A receipt is reported PRINTED only when the printer says it is fine after printing.
 *    If the paper ran out (or the cover opened) mid-receipt, the state is reported, the
 *    service waits up to paper_wait_ms for the printer to be ready and prints the WHOLE
 *    receipt again (at most max_reprints times).  Otherwise the job fails:
 *    FAILED_PAPER_OUT (paper/cover/error never cleared) or FAILED_OFFLINE (no answer).
 *  - Every submitted job gets exactly one on_job call, also the jobs still queued at stop
 *    (FAILED_OFFLINE): the caller never has to guess. */
#include <stdint.h>

#include "drivers/printer.h"

enum printer_outcome { PRINTER_PRINTED, PRINTER_FAILED_PAPER_OUT, PRINTER_FAILED_OFFLINE };

#define PRINTER_INBOX_MAX 32

struct printer_service_cfg {
	struct printer_dev *dev;   /* owned by the service from start */
	int poll_ms;               /* idle status poll; default 2000 */
	int paper_wait_ms;         /* wait for paper before failing a job; default 120000 */
	int max_reprints;          /* default 3 */
	void (*on_state)(void *ud, enum printer_state st);
	/* attempts = how many times the receipt was sent (2 = printed once more, whole). */
	void (*on_job)(void *ud, uint64_t job_id, enum printer_outcome o, int attempts);
	void *ud;
};

struct printer_service;

const char *printer_outcome_name(enum printer_outcome o);
/* Fills the defaults above (dev and callbacks NULL). */
void printer_service_cfg_default(struct printer_service_cfg *c);
/* Starts the thread; NULL when it cannot (the device is then destroyed). */
struct printer_service *printer_service_start(const struct printer_service_cfg *c);
/* Queues doc (its contents are taken over; *doc is left empty) under tag (file names,
 * logs: [A-Za-z0-9_-], others replaced).  Returns the job id (> 0), or 0 when the inbox
 * is full or the service is stopping (doc is then left to the caller). */
uint64_t printer_service_submit(struct printer_service *s, struct receipt_doc *doc, const char *tag);
/* The last state seen. */
enum printer_state printer_service_state(struct printer_service *s);
/* Stops the thread (an active job finishes or fails first), reports queued jobs as
 * FAILED_OFFLINE, destroys the device.  NULL is a no-op. */
void printer_service_stop(struct printer_service *s);

#endif
