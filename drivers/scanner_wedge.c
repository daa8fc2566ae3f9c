/* HID keyboard usage codes -> ASCII, US layout, layout-independent of the host. */
#include "drivers/scanner_wedge.h"

#include <string.h>

/* Usage 0x04..0x38 (the US main block), unshifted and shifted. */
static const char keymap[2][54] = {
	"abcdefghijklmnopqrstuvwxyz1234567890\n\x1b\b\t -=[]\\#;'`,./",
	"ABCDEFGHIJKLMNOPQRSTUVWXYZ!@#$%^&*()\n\x1b\b\t _+{}|~:\"~<>?",
};

#define MOD_CTRL  0x11
#define MOD_SHIFT 0x22
#define MOD_ALT   0x44
#define MOD_GUI   0x88

void wedge_init(struct wedge_dec *w)
{
	memset(w, 0, sizeof *w);
}

/* 0 on error, '\n' for Enter, else the printable character. */
static char decode(uint8_t mods, uint8_t key)
{
	if (mods & (MOD_CTRL | MOD_ALT | MOD_GUI))
		return 0;
	bool sh = mods & MOD_SHIFT;
	if (key == 0x58)
		return '\n';                   /* keypad Enter */
	if (key >= 0x59 && key <= 0x62)
		return (char)(key == 0x62 ? '0' : '1' + (key - 0x59)); /* keypad digits (NumLock on) */
	switch (key) {
	case 0x54: return '/';
	case 0x55: return '*';
	case 0x56: return '-';
	case 0x57: return '+';
	case 0x63: return '.';
	}
	if (key < 0x04 || key > 0x38 || key == 0x29 || key == 0x2A || key == 0x32)
		return 0;                      /* Escape, Backspace, non-US #: not in a symbol */
	char c = keymap[sh][key - 0x04];
	if (c == '\t')
		return 0;
	return c;
}

int wedge_feed(struct wedge_dec *w, const uint8_t *rep, size_t n)
{
	if (n != WEDGE_REPORT_LEN)
		return SCANNER_EMALFORMED;
	const uint8_t mods = rep[0], *keys = rep + 2;
	int ret = WEDGE_MORE;
	if (keys[0] == 0x01) {
		/* ErrorRollOver: too many keys at once; the scanner is not sending one at a time */
		w->err = w->err ? w->err : SCANNER_ELAYOUT;
		memcpy(w->prev, keys, 6);
		return WEDGE_MORE;
	}
	for (int i = 0; i < 6; i++) {
		uint8_t k = keys[i];
		if (!k || memchr(w->prev, k, 6))
			continue;              /* no key, or still held from the last report */
		if (w->delivered) {
			w->len = 0;            /* a new symbol begins */
			w->delivered = false;
		}
		if (ret != WEDGE_MORE) {
			/* Keys after Enter in the same report start the next symbol; rare enough
			 * to refuse rather than queue. */
			continue;
		}
		if (k == 0x39 || (k >= 0xE0 && k <= 0xE7))
			continue;              /* Caps Lock, modifier usages: not characters */
		char c = decode(mods, k);
		if (c == '\n') {
			ret = w->err ? w->err : WEDGE_DONE;
			if (ret == WEDGE_DONE)
				w->delivered = true;
			else
				w->len = 0;
			w->err = 0;
			continue;
		}
		if (!c) {
			w->err = w->err ? w->err : SCANNER_ELAYOUT;
			continue;
		}
		if (w->err)
			continue;
		if (w->len == SCANNER_MAX_SYMBOL) {
			w->err = SCANNER_EOVERLONG;
			continue;
		}
		w->buf[w->len++] = (uint8_t)c;
	}
	memcpy(w->prev, keys, 6);
	return ret;
}
