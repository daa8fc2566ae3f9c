#ifndef UI_SPEECH_H
#define UI_SPEECH_H
/* The kiosk's voice: espeak-ng (its library, Russian and English voices) synthesizes on a
 * worker thread of its own and SDL2 audio plays the result, so the UI thread only queues
 * text.  An utterance queued with `cut` first drops whatever is queued and stops what is
 * playing (a new screen, a new touch).  Each utterance is also written, as it is queued, to
 * OUT_DIR/speech.log (one line: local time, tab, screen id, tab, text) and with `wav` to
 * OUT_DIR/speech-NNNN.wav once synthesized to its end (NNNN: its line in the log), so that a
 * headless run can be checked.  No audio device (none there, SDL_AUDIODRIVER=dummy) is not
 * an error: synthesis, the log and the WAV files go on.  Only the creating thread calls
 * these functions. */
#include <stdbool.h>
#include <stdint.h>

#include "kiosk/base/lang.h"

struct speech_options {
	int rate;             /* words per minute, 80..450 */
	int volume;           /* percent, 0..100 */
	const char *out_dir;  /* speech.log and WAV files here; NULL: neither */
	bool wav;             /* a WAV file per utterance (needs out_dir) */
};

struct speech;

/* Starts the synthesis thread; espeak-ng and the audio device (when there is one) start
 * at the first utterance.  NULL with err only when the thread cannot start or
 * OUT_DIR/speech.log cannot be created. */
struct speech *speech_start(const struct speech_options *o, char *err, int errcap);
/* Stops playing, joins the thread, closes the device; NULL is fine. */
void speech_stop(struct speech *sp);

/* Queues TEXT in language L, said on screen SCREEN (the log's second column); returns its
 * number (1, 2, ...). */
uint64_t speech_say(struct speech *sp, enum lang l, const char *screen, const char *text, bool cut);
/* Drops what is queued and stops what is playing. */
void speech_cut(struct speech *sp);
/* New rate and volume, from the next utterance on (clamped to their ranges). */
void speech_set(struct speech *sp, int rate, int volume);
void speech_get(const struct speech *sp, int *ret_rate, int *ret_volume);

/* What was said: the number of the last utterance, and the text of utterance N while it is
 * among the last SPEECH_KEEP (NULL otherwise). */
#define SPEECH_KEEP 256
uint64_t speech_last(const struct speech *sp);
const char *speech_text(const struct speech *sp, uint64_t n);
/* Waits up to TIMEOUT_MS until everything queued is synthesized; true when it is. */
bool speech_idle(struct speech *sp, int timeout_ms);

#endif
