#ifndef KIOSK_WAKE_H
#define KIOSK_WAKE_H
/* Waking the main thread.  Service threads queue a report (kiosk/svc/svc_priv.h svc_post)
 * and then call wake_signal().  Headless (SDL's dummy driver has no blocking wait: SDL_WaitEventTimeout
 * would poll every millisecond) the main loop sleeps in wake_wait() on an eventfd instead,
 * so an idle kiosk costs nothing.  Thread-safe. */

int wake_init(void);          /* 0 or -errno */
void wake_signal(void);
/* Sleeps until wake_signal() or timeout_ms; returns 1 if woken, 0 on timeout. */
int wake_wait(int timeout_ms);

#endif
