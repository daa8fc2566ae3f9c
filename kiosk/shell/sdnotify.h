#ifndef KIOSK_SDNOTIFY_H
#define KIOSK_SDNOTIFY_H
/* The systemd notification protocol without libsystemd: one datagram of newline-separated
 * KEY=VALUE assignments sent to the AF_UNIX socket named by $NOTIFY_SOCKET (a path, or an
 * abstract-namespace name written with a leading '@').  The unit runs Type=notify with
 * WatchdogSec=: the service manager waits for READY=1 and restarts the kiosk when
 * WATCHDOG=1 stops arriving.
 *
 * Every function is a no-op returning 0 when $NOTIFY_SOCKET is unset or empty (the kiosk
 * started by hand, or by the tests).  They return 1 when a datagram was sent and -1 (errno
 * set) when it could not be — the caller logs that once and carries on: a missed
 * notification must never stop the kiosk.  Thread-safe: each call opens its own socket. */

/* READY=1: start-up is finished (configuration loaded, window open, store opened). */
int sdnotify_ready(void);
/* WATCHDOG=1: the main loop is alive.  Send at least every sdnotify_watchdog_interval_ms(). */
int sdnotify_watchdog(void);
/* STATUS=text shown by `systemctl status kiosk`.  Newlines in text are sent as spaces so
 * the text cannot smuggle in another assignment; it is cut at 200 bytes. */
int sdnotify_status(const char *text);
/* STOPPING=1: orderly shutdown has begun. */
int sdnotify_stopping(void);
/* Half of $WATCHDOG_USEC in milliseconds (the keep-alive period systemd recommends), or 0
 * when the watchdog is off ($WATCHDOG_USEC unset, unparsable or zero).  $WATCHDOG_PID is not
 * checked: under cage or xinit it names the compositor, our parent (see kiosk.service). */
long sdnotify_watchdog_interval_ms(void);

/* Sends STATE (already formatted) as one datagram; what the functions above use.  Exposed
 * for the tests and for rare messages (RELOADING=1, EXTEND_TIMEOUT_USEC=…). */
int sdnotify_send(const char *state);

#endif
