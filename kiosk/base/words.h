#ifndef KIOSK_WORDS_H
#define KIOSK_WORDS_H
/* Numbers in words, as the kiosk's voice says them (pure: no I/O, no locale).
 *
 * Russian grammar: the noun after a number takes the form its last group asks for
 * (1, 21, 101: «рубль», «копейка», «тысяча»; 2–4, 22–24: «рубля», «копейки», «тысячи»;
 * 0, 5–20, 11–14 at any place: «рублей», «копеек», «тысяч»), and a feminine noun takes
 * the feminine «одна»/«две» («одна тысяча», «две копейки»).  English: "one ruble",
 * "two rubles", "twenty-one kopecks"; no "and" inside a number ("one hundred one").
 *
 * Every function writes a NUL-terminated sentence fragment into buf and returns 0, or
 * WORDS_ETOOLONG with buf empty when it does not fit in cap bytes (WORDS_MAX always fits). */
#include <stddef.h>
#include <stdint.h>

#include "kiosk/base/lang.h"
#include "kiosk/base/money.h"

#define WORDS_MAX 512
#define WORDS_ETOOLONG (-1)

enum words_gender { WORDS_MASC, WORDS_FEM };

/* A whole number: 21, WORDS_FEM -> «двадцать одна»; "twenty-one".  Negative: «минус …». */
int words_cardinal(int64_t n, enum words_gender g, enum lang l, char *buf, size_t cap);

/* N followed by its noun in the form N asks for: Russian FORMS are one, few, many
 * («секунда», «секунды», «секунд»), English singular and plural (FORMS[2] unused). */
int words_counted(int64_t n, enum words_gender g, const char *const forms[3], enum lang l, char *buf, size_t cap);

/* An amount: 452316 -> «четыре тысячи пятьсот двадцать три рубля шестнадцать копеек»,
 * "four thousand five hundred twenty-three rubles sixteen kopecks".  Whole rubles leave
 * the kopecks out (50000 -> «пятьсот рублей»), less than a ruble leaves the rubles out
 * (1 -> «одна копейка»); 0 is «ноль рублей», "zero rubles". */
int words_kopecks(kopecks v, enum lang l, char *buf, size_t cap);

/* A meter reading in thousandths of its unit, with the meter's decimals (0..3), as the
 * screen shows it: 123456, 3 -> «сто двадцать три целых четыреста пятьдесят шесть
 * тысячных», "one hundred twenty-three point four five six"; 123456, 0 -> «сто двадцать
 * три».  Digits beyond the decimals are dropped, as fmt_reading() does. */
int words_reading(int64_t milli, int decimals, enum lang l, char *buf, size_t cap);

/* A date: 2026, 10, 20 -> «двадцатое октября две тысячи двадцать шестого года»,
 * "the twentieth of October twenty twenty-six"; year 0 leaves the year out
 * («двадцатое октября», "the twentieth of October"). */
int words_date(int year, int month, int day, enum lang l, char *buf, size_t cap);

/* A billing period: 2026, 10 -> «октябрь две тысячи двадцать шестого года»,
 * "October twenty twenty-six". */
int words_period(int year, int month, enum lang l, char *buf, size_t cap);

/* Digits one by one, any other character a pause: "50012-345" -> «пять ноль ноль один
 * два, три четыре пять», "five zero zero one two, three four five". */
int words_digits(const char *s, enum lang l, char *buf, size_t cap);

/* A phone number as people read it, group by group: "8-800-555-07-69" -> «восемь,
 * восемьсот, пятьсот пятьдесят пять, ноль семь, шестьдесят девять»; a group with a leading
 * zero is read digit by digit.  Characters other than digits, '-', ' ', '(', ')' and a
 * leading '+' are kept as they are. */
int words_phone(const char *s, enum lang l, char *buf, size_t cap);

#endif
