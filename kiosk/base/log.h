#ifndef KIOSK_LOG_H
#define KIOSK_LOG_H
/* Structured log: one line per event, `ts=… level=… mod=… event=… key=value …`, to a file
 * and (optionally) syslog.  Thread-safe.  Never pass card data, PINs or keys: callers log
 * masked values only (see log_hex_masked for payload dumps).
 *
 *   log_info("store", "opened", "path=%s version=%d", path, v);
 *
 * Before log_open() lines go to stderr at level >= info; tests may call log_capture() to
 * read back what was logged. */
#include <stdbool.h>
#include <stddef.h>

enum log_level { LOG_LVL_DEBUG, LOG_LVL_INFO, LOG_LVL_WARN, LOG_LVL_ERROR };

/* Opens PATH for appending (NULL: stderr only) and syslog when use_syslog.  Returns 0 or -errno. */
int log_open(const char *path, enum log_level min, bool use_syslog);
void log_close(void);
void log_set_level(enum log_level min);
bool log_enabled(enum log_level lvl);
/* Parses "debug|info|warn|error"; returns -1 when unknown. */
int log_level_parse(const char *s);

void log_msg(enum log_level lvl, const char *mod, const char *event, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#define log_debug(mod, ev, ...) log_msg(LOG_LVL_DEBUG, mod, ev, __VA_ARGS__)
#define log_info(mod, ev, ...)  log_msg(LOG_LVL_INFO, mod, ev, __VA_ARGS__)
#define log_warn(mod, ev, ...)  log_msg(LOG_LVL_WARN, mod, ev, __VA_ARGS__)
#define log_error(mod, ev, ...) log_msg(LOG_LVL_ERROR, mod, ev, __VA_ARGS__)

/* Test hook: keep a copy of every line in memory (cap bytes); returns the text so far
 * (NUL-terminated, owned by the log).  cap 0 stops capturing. */
void log_capture(size_t cap);
const char *log_captured(void);

/* The last N lines written to the log file (for the technician screen); returns a malloc'd
 * string the caller frees, lines oldest first. */
char *log_tail(int n);

#endif
