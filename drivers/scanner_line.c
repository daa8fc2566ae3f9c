/* Terminator framing for serial scanners. */
#include "drivers/scanner_line.h"

#include <string.h>

void scanner_line_init(struct scanner_line *l, const uint8_t *term, size_t tn)
{
	memset(l, 0, sizeof *l);
	if (tn > SCANNER_MAX_SUFFIX)
		tn = SCANNER_MAX_SUFFIX;
	if (tn)
		memcpy(l->term, term, tn);
	l->tn = tn;
}

static void finish(struct scanner_line *l, size_t len, scanner_line_emit *emit, void *ud)
{
	if (l->overlong)
		emit(ud, SCANNER_EOVERLONG, NULL, 0);
	else if (len)
		emit(ud, SCANNER_OK, l->buf, len);
	l->len = 0;
	l->overlong = false;
}

void scanner_line_feed(struct scanner_line *l, const uint8_t *in, size_t n,
		       scanner_line_emit *emit, void *ud)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t c = in[i];
		if (!l->tn) {
			if (c == '\r' || c == '\n')
				finish(l, l->len, emit, ud);
			else if (l->len < SCANNER_MAX_SYMBOL)
				l->buf[l->len++] = c;
			else
				l->overlong = true;
			continue;
		}
		/* Keep up to tn - 1 bytes beyond the cap so a terminator that straddles the cap
		 * is still recognised. */
		if (l->len == sizeof l->buf) {
			l->overlong = true;
			memmove(l->buf, l->buf + 1, l->len - 1);
			l->len--;
		}
		l->buf[l->len++] = c;
		if (l->len >= l->tn && memcmp(l->buf + l->len - l->tn, l->term, l->tn) == 0) {
			size_t sym = l->len - l->tn;
			if (sym > SCANNER_MAX_SYMBOL)
				l->overlong = true;
			finish(l, sym, emit, ud);
		}
	}
}
