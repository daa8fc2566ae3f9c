#ifndef KIOSK_NUMENTRY_H
#define KIOSK_NUMENTRY_H
/* Numbers typed on the keypad.  Decimal entry, as people write numbers: a whole part, then
 * a comma and a decimal part ("125,5"), each no longer than the meter it is for allows.
 * Pure: the entry is a NUL-terminated string of digits with at most one ','; the value is
 * exact (thousandths, integer arithmetic).  Used by the readings screen
 * (kiosk/flow/flow_readings.c), its drawing and its voice echo.  And ATM-style money (the last
 * two digits typed are kopecks) said as rubles and kopecks while it is typed. */
#include <stddef.h>
#include <stdint.h>

#include "kiosk/base/money.h"

enum numentry_result {
	NUMENTRY_NOT_KEY,   /* not a keypad key this entry takes (key_ok, another widget) */
	NUMENTRY_CHANGED,   /* the entry changed */
	NUMENTRY_REFUSED,   /* a key the entry cannot take now: the entry is unchanged */
};

/* Applies one keypad key ("0".."9", "comma", "del": the widget id after "key_") to buf
 * (capacity cap), for a number of at most `whole` digits before the comma and `decimals`
 * after it.  A comma on an empty entry starts "0,"; a digit after a lone "0" replaces it
 * (no leading zeros); a second comma, a comma with decimals == 0, a digit past either
 * part's length or past cap are refused; del removes the last character, the comma too. */
enum numentry_result numentry_key(char *buf, size_t cap, const char *key, int whole, int decimals);

/* The entry's value in thousandths of the unit into *ret_milli (untouched on failure).
 * "125,5" is 125500, "125" and "125," are 125000.  -1 when the entry is empty, is not
 * digits with at most one comma, has more than 3 (or `decimals`) decimal digits, or
 * does not fit int64. */
int numentry_milli(const char *s, int decimals, int64_t *ret_milli);

/* How many digits the entry has after its comma (0 without one). */
int numentry_decimals(const char *s);

/* An amount as rubles and kopecks in words of the template tmpl, whose first "{}" takes the
 * rubles (grouped by thousands as money_format does) and the second the kopecks (two
 * digits): 452316 with "{} руб. {} коп." is "4 523 руб. 16 коп.".  Returns buf. */
char *numentry_money(kopecks v, const char *tmpl, char *buf, size_t cap);

#endif
