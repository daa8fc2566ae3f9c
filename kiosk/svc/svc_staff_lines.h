#ifndef KIOSK_SVC_STAFF_LINES_H
#define KIOSK_SVC_STAFF_LINES_H
/* What the technician's screens list (the staff shell's part, kiosk/svc/svc_staff.c): devices,
 * network and queue, logs, version and configuration — as keyed lines (kiosk/flow/staff_lines.h)
 * that the screen words in its language, never as enums or logfmt.  The service worker. */
#include "kiosk/flow/flow.h"
#include "kiosk/svc/svc_staff.h"

/* Appends a keyed line (STAFF_SEP-joined key and NULL-terminated values) to d. */
void svc_staff_add(struct flow_staff_data *d, const char *key, ...) __attribute__((sentinel));

void svc_staff_summary(const struct svc_staff_deps *deps, struct flow_staff_data *d);
void svc_staff_devices(const struct svc_staff_deps *deps, struct flow_staff_data *d);
void svc_staff_network(const struct svc_staff_deps *deps, struct flow_staff_data *d);
/* The last 200 log lines at or above the screen's level, newest first, as logged (the
 * screen takes each apart: kiosk/flow/staff_lines.h staff_logline_parse). */
void svc_staff_logs(int min_level, struct flow_staff_data *d);
void svc_staff_config(const struct svc_staff_deps *deps, struct flow_staff_data *d);
/* The PIN-pad STATUS answer in a staff message: its key by TERM_STATE, and into text the
 * model, serial and firmware TERM_INFO names (" (kpp-sim, SIM-0001, 1.0)"; "" when none). */
const char *svc_staff_pinpad_status(int term_state, const char *term_info, char *text, size_t cap);
/* The strings key that words a failed PIN-pad operation's outcome (enum pinpad_outcome). */
const char *svc_staff_outcome_key(int outcome);

#endif
