#ifndef KIOSK_DIGITS_H
#define KIOSK_DIGITS_H
/* ASCII digits: the one check behind account numbers, INNs, bank details, phone numbers
 * and dates wherever they are validated.  Only '0'..'9' count (never the locale's idea
 * of a digit), and no function reads past the string's NUL or the bound it is given. */
#include <stdbool.h>
#include <stddef.h>

/* The first N bytes of S are digits (a NUL among them is not). */
bool digits_run(const char *s, size_t n);
/* S is nothing but digits, MIN to MAX of them; S is read up to MAX + 1 bytes at most, so a
 * fixed field of MAX + 1 bytes need not be terminated to be refused. */
bool digits_only(const char *s, size_t min, size_t max);

#endif
