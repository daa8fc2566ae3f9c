#ifndef DRIVERS_SCANNER_LINE_H
#define DRIVERS_SCANNER_LINE_H
/* Serial (CDC-ACM / RS-232) scanner framing: bytes up to a terminator make one symbol.
 * The terminator is the configured suffix (scanner.suffix), or CR or LF when none is
 * configured (an empty line, e.g. the LF of a CRLF, yields nothing).  A symbol longer than
 * SCANNER_MAX_SYMBOL is dropped whole and reported once as SCANNER_EOVERLONG at its
 * terminator.  Pure. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drivers/scanner.h"

struct scanner_line {
	uint8_t buf[SCANNER_MAX_SYMBOL + SCANNER_MAX_SUFFIX];
	size_t len;
	uint8_t term[SCANNER_MAX_SUFFIX];
	size_t tn;
	bool overlong;
};

/* rc is SCANNER_OK with a symbol, or SCANNER_EOVERLONG with len 0. */
typedef void scanner_line_emit(void *ud, int rc, const uint8_t *data, size_t len);

void scanner_line_init(struct scanner_line *l, const uint8_t *term, size_t tn);
void scanner_line_feed(struct scanner_line *l, const uint8_t *in, size_t n,
		       scanner_line_emit *emit, void *ud);

#endif
