#ifndef KIOSK_VOICE_INTERNAL_H
#define KIOSK_VOICE_INTERNAL_H
/* Shared by kiosk/flow/voice.c and kiosk/flow/voice_screens.c: an utterance built sentence by
 * sentence, and the words of the kiosk's values. */
#include "kiosk/flow/voice.h"
#include "kiosk/base/words.h"

struct vb {
	char *buf;
	size_t cap, len;
};

void vb_init(struct vb *b, char *buf, size_t cap);
/* Appends a sentence: a space before it, a full stop after it unless it ends in one. */
void vb_say(struct vb *b, const char *s);
/* The same with its first "{}" replaced by value. */
void vb_sayf(struct vb *b, const char *tmpl, const char *value);

/* The strings in the flow's language. */
const char *vtr(const struct voice_ctx *c, const struct flow *f, const char *key);

/* Values in words, into w (WORDS_MAX). */
const char *v_amount(const struct flow *f, kopecks v, char *w);
const char *v_digits(const struct flow *f, const char *s, char *w);
/* An account number as printed, "50012-345": its digits with a pause at the dash. */
const char *v_acc(const struct flow *f, const char *pers_acc, char *w);
/* "2026-10" -> «октябрь две тысячи двадцать шестого года» */
const char *v_period(const struct flow *f, const char *p, char *w);
/* UTC ms -> the local date in words, with its year */
const char *v_date(const struct flow *f, int64_t utc_ms, char *w);
/* "2026-10-20" -> the date in words */
const char *v_ymd(const struct flow *f, const char *ymd, char *w);
const char *v_reading(const struct flow *f, int64_t milli, int decimals, char *w);

/* What the payment screen says for a progress step; the result screen's outcome. */
void voice_payment_progress(const struct flow *f, const struct voice_ctx *c, struct vb *b);
void voice_result(const struct flow *f, const struct voice_ctx *c, struct vb *b);
void voice_print_status(const struct flow *f, const struct voice_ctx *c, struct vb *b);
void voice_supplier(const struct flow *f, const struct voice_ctx *c, int service, struct vb *b);
void voice_meter(const struct flow *f, const struct voice_ctx *c, int i, struct vb *b);
/* What meter m takes: its digits before the comma and its decimals after. */
void voice_digits_hint(const struct flow *f, const struct voice_ctx *c, const struct account_meter *m, struct vb *b);
void voice_prompt(const struct flow *f, const struct voice_ctx *c, struct vb *b);
/* The error on screen, as shown (a lock with its end, a wrong control answer with the tries
 * left and what is asked). */
void voice_error(const struct flow *f, const struct voice_ctx *c, struct vb *b);

#endif
