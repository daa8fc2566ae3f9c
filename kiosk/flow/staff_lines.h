#ifndef KIOSK_STAFF_LINES_H
#define KIOSK_STAFF_LINES_H
/* The lines the staff screens show, in words a cashier reads (pure: no I/O, no locale).
 *
 * The staff shell (kiosk/svc/svc_staff.c) runs in no language: what it reports is either text
 * as it is (a configuration line, a URL) or a strings key with its values, joined by
 * STAFF_SEP ("staff.net.online" STAFF_SEP ...).  The screen translates the key and fills
 * each "{}" of its text with the values in order; a value that is a card scheme's code is
 * shown by the scheme's name (kiosk/base/format.h fmt_scheme).
 *
 * A log line (kiosk/base/log.c: ts=… level=… mod=… event=… key=value…) is taken apart so that
 * the logs screen shows the time, the level in words, module/event and readable pairs. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define STAFF_SEP "\x1f"
#define STAFF_LINE_VALS 8

/* Writes KEY, STAFF_SEP and the NULL-terminated values after it, STAFF_SEP between them,
 * as one line into buf (cut at cap, as the screen would cut it); returns buf.  A key with
 * no values still ends in STAFF_SEP, so that it reads as a key. */
const char *staff_line(char *buf, size_t cap, const char *key, ...) __attribute__((sentinel));
const char *staff_vline(char *buf, size_t cap, const char *key, va_list ap);

/* Splits a line: the key into key (cap keycap) and up to STAFF_LINE_VALS values into
 * vals (pointers into scratch, which holds a copy of the line: cap scap).  Returns the
 * number of values, or -1 for a line that carries no key (show it as it is). */
int staff_line_split(const char *line, char *key, size_t keycap, const char *vals[STAFF_LINE_VALS], char *scratch,
		     size_t scap);

struct staff_logline {
	int64_t utc_ms;   /* from ts=…Z */
	int level;        /* 0 debug, 1 info, 2 warn, 3 error */
	char what[64];    /* "mod/event" */
	char pairs[256];  /* the other key=value pairs as «key: value, key: value», quotes gone */
};

/* Parses a log line; 0, or -1 when it is not one (no ts= or no level=). */
int staff_logline_parse(const char *line, struct staff_logline *ret);

#endif
