#ifndef KIOSK_HEX_H
#define KIOSK_HEX_H
/* Hexadecimal, the project's one copy: digits of either case are read, lowercase is
 * written.  Used for txn ids, outbox keys, signatures, script byte strings and the
 * scanner's configured suffix. */
#include <stddef.h>
#include <stdint.h>

/* 0..15 for a hex digit of either case, else -1. */
int hex_digit(int c);
/* Decodes len hex digits (len even) into out, at most cap bytes: the byte count, or -1
 * when len is odd, a character is not a hex digit or out is too small (out is then left
 * in an unspecified state; callers discard it). */
int hex_decode(const char *hex, size_t len, uint8_t *out, size_t cap);
/* Writes 2 n lowercase digits and a NUL to out (2 n + 1 bytes). */
void hex_encode(const uint8_t *b, size_t n, char *out);

#endif
