#ifndef KIOSK_CRASHPOINT_H
#define KIOSK_CRASHPOINT_H
/* Test-only fault injection, in the spirit of SQLite's test hooks: when the environment
 * names a point (KIOSK_CRASH_AT=after_record), reaching it ends the process at once with
 * _exit(137), as a SIGKILL would — no cleanup, no flushing beyond what is already durable.
 * The crash suite (tests/check/pinpad_crash.sh) uses it to stop the kiosk at each journal
 * step and checks what recovery makes of it.  Unset in production: a getenv at start. */

void crashpoint(const char *name);

#endif
