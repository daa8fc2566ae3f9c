#ifndef KIOSK_CLOCK_H
#define KIOSK_CLOCK_H
/* The process's one clock.  Wall time (UTC ms) is what is stored and shown; monotonic time
 * drives timeouts.  Every module reads time here, never the system clock, so that a test
 * stack runs on an instant it chooses:
 *
 * - By default both follow the system clocks, plus what `advance` added in this process.
 * - Attached to a clock file (clock_attach; the processes of a test stack all name the same
 *   file in the environment variable KIOSK_CLOCK), wall time is the file's offset added to
 *   the machine's monotonic clock, the same in every process, whatever the system's date,
 *   and `advance` in any of them moves all of them.  The first process to attach creates the
 *   file at the instant KIOSK_NOW gives ("2026-11-20T10:00:00+03:00"); a process attaching
 *   later (a restart) joins the clock where it has got to.
 *
 * The flow core never reads a clock: it is handed `now`. */
#include <stdint.h>
#include <time.h>

int64_t clock_wall_ms(void);
int64_t clock_mono_ms(void);
/* A condition variable's deadline MS from now on the machine's clock ID (CLOCK_REALTIME for
 * a default condvar, CLOCK_MONOTONIC for one set so): a wait bound, never a time that is
 * stored or shown, so it deliberately does not follow the injected clock. */
struct timespec clock_deadline(clockid_t id, int64_t ms);

/* Moves both forward by MS (the script commands `advance` and `hold`). */
void clock_advance(int64_t ms);

/* Attaches to the clock file PATH, creating it at NOW_ISO if it does not exist (NOW_ISO NULL:
 * it must exist).  Call once, before threads start.  Returns 0, or -1 with a message. */
int clock_attach(const char *path, const char *now_iso, char *err, int errcap);
/* clock_attach from KIOSK_CLOCK and KIOSK_NOW; 0 and nothing done when KIOSK_CLOCK is unset. */
int clock_attach_env(char *err, int errcap);
/* Whether a clock file is attached (the kiosk logs it: a test clock in production is wrong). */
int clock_is_injected(void);

/* "YYYY-MM-DDTHH:MM[:SS](Z|±HH:MM)" -> UTC ms; -1 when malformed (the offset is required:
 * an instant never depends on the machine's time zone). */
int clock_parse_instant(const char *s, int64_t *ret_utc_ms);

#endif
