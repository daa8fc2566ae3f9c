#ifndef KIOSK_UTF8_H
#define KIOSK_UTF8_H
/* UTF-8 encoding, the project's one copy (keyboards, icons, the bill's legacy charsets,
 * the printer's code page). */
#include <stdint.h>

#define UTF8_MAX 4
/* Writes the code point's 1-4 bytes to out (no NUL) and returns how many; 0 for a value
 * that is not a Unicode scalar (a surrogate, above U+10FFFF), writing nothing. */
int utf8_encode(uint32_t cp, char out[UTF8_MAX]);

#endif
