#ifndef TESTS_HOOKS_CRASH_AT_H
#define TESTS_HOOKS_CRASH_AT_H
/* The test build's crash points (kiosk/base/crashpoint.h): when the environment names a point
 * (KIOSK_CRASH_AT=after_record), reaching it ends the process at once with _exit(137), as
 * a SIGKILL would: no cleanup, no flushing beyond what is already durable.  The variable is
 * read once, on the first point reached. */

void crash_at(const char *point);

#endif
