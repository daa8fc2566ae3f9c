#ifndef KIOSK_FORMAT_H
#define KIOSK_FORMAT_H
/* How the kiosk writes an account number, a reading, a phone, a date, a billing period, a
 * card scheme and an address — one place for the screens, the receipts and the bill copy
 * (times of day: kiosk/base/tz.h).  The words chosen are those of docs/glossary.md.
 *
 * Pure: no I/O, no locale.  Every function writes a NUL-terminated string into buf (cut at
 * cap bytes, never in the middle of a UTF-8 character) and returns buf.  Input a function
 * does not recognise is copied as it is: a screen shows what it got rather than nothing.
 *
 * FMT_NBSP (U+00A0) joins what must not be split across lines: the ui breaks lines only at
 * ASCII spaces, and the receipt printer maps it to CP866 0xFF, a space on paper. */
#include <stddef.h>
#include <stdint.h>

#include "kiosk/base/lang.h"

#define FMT_NBSP "\xC2\xA0"

/* "50012345" -> "50012-345" (the printed form); other lengths unchanged. */
const char *fmt_pers_acc(const char *digits, char *buf, size_t cap);
/* A reading in thousandths with the meter's decimals (0..3): 123456, 3 -> "123,456". */
const char *fmt_reading(int64_t milli, int decimals, char *buf, size_t cap);

/* A Russian phone number as people write it, its groups joined by FMT_NBSP:
 * "+79161234567", "8 (916) 123 45 67" -> "+7 916 123-45-67" (mobile: code 9xx);
 * "+74959934012" -> "+7 (495) 993-40-12" (Moscow's 495 and 499); "8-800-555-07-69" and
 * "+78005550769" -> "8 800 555-07-69" (toll-free, dialled with 8).  Other city codes have
 * 3 to 5 digits, so such a number keeps the groups it was written with
 * ("+7 (4967) 55-12-30"), its spaces made no-break.  Anything other than 11 digits starting
 * 7 or 8, with only spaces, '-', '(', ')' and a leading '+' between them, is copied as is. */
const char *fmt_phone(const char *s, char *buf, size_t cap);
/* The ten digits after +7 as they are typed (0..10 digits, no other characters):
 * "916123" -> "+7 916 123", "9161234567" -> "+7 916 123-45-67". */
const char *fmt_phone_typed(const char *digits, char *buf, size_t cap);

/* "2026-10-20" -> "20.10.2026"; anything else copied. */
const char *fmt_ymd(const char *iso, char *buf, size_t cap);
/* A billing period "2026-10" -> «октябрь 2026», "October 2026" (joined by FMT_NBSP);
 * anything else copied. */
const char *fmt_period(const char *yyyy_mm, enum lang l, char *buf, size_t cap);

/* The card scheme as the scheme writes its name: "MIR" -> «Мир» / "Mir", "VISA" -> "Visa",
 * "MC" or "MASTERCARD" -> "Mastercard", "MAESTRO" -> "Maestro", "UNIONPAY" or "UPI" ->
 * "UnionPay" (any case); anything else copied. */
const char *fmt_scheme(const char *code, enum lang l, char *buf, size_t cap);

/* Text with each abbreviation that stands before its value joined to it by FMT_NBSP:
 * «г. Подольск, ул. Кирова, д. 1, кв. 5» -> «г.␣Подольск, ул.␣Кирова, д.␣1, кв.␣5»; also
 * «пр.», «корп.», «стр.», «пом.», «пер.», «л/с», «№», «тел.» — each only at the start of a word. */
const char *fmt_nbsp(const char *s, char *buf, size_t cap);

/* The noun after the number N in the form N asks for, with N: FORMS is "one|few|many"
 * (Russian: «рабочего дня|рабочих дней|рабочих дней» for 1, 2-4, 5-20...) or "one|many"
 * (English: "working day|working days"): 3 -> «3 рабочих дней».  Without '|' in FORMS the
 * form is FORMS itself.  Number and noun are joined by FMT_NBSP. */
const char *fmt_count(int64_t n, const char *forms, enum lang l, char *buf, size_t cap);

/* TMPL with its first N "{}" replaced by VALS in order (the rest left as they are). */
const char *fmt_fill(const char *tmpl, const char *const *vals, int n, char *buf, size_t cap);

#endif
