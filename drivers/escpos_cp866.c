/* UTF-8 <-> CP866 with our own table, so the receipt text does not depend on iconv's
 * locale data on the kiosk image. */
#include <string.h>

#include "drivers/escpos.h"
#include "kiosk/base/utf8.h"

/* Code points of CP866 bytes 0x80..0xFF. */
static const uint16_t cp866_high[128] = {
	/* 0x80 А..П */ 0x0410, 0x0411, 0x0412, 0x0413, 0x0414, 0x0415, 0x0416, 0x0417,
	0x0418, 0x0419, 0x041A, 0x041B, 0x041C, 0x041D, 0x041E, 0x041F,
	/* 0x90 Р..Я */ 0x0420, 0x0421, 0x0422, 0x0423, 0x0424, 0x0425, 0x0426, 0x0427,
	0x0428, 0x0429, 0x042A, 0x042B, 0x042C, 0x042D, 0x042E, 0x042F,
	/* 0xA0 а..п */ 0x0430, 0x0431, 0x0432, 0x0433, 0x0434, 0x0435, 0x0436, 0x0437,
	0x0438, 0x0439, 0x043A, 0x043B, 0x043C, 0x043D, 0x043E, 0x043F,
	/* 0xB0 shades and box drawing */ 0x2591, 0x2592, 0x2593, 0x2502, 0x2524, 0x2561, 0x2562, 0x2556,
	0x2555, 0x2563, 0x2551, 0x2557, 0x255D, 0x255C, 0x255B, 0x2510,
	/* 0xC0 */ 0x2514, 0x2534, 0x252C, 0x251C, 0x2500, 0x253C, 0x255E, 0x255F,
	0x255A, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550, 0x256C, 0x2567,
	/* 0xD0 */ 0x2568, 0x2564, 0x2565, 0x2559, 0x2558, 0x2552, 0x2553, 0x256B,
	0x256A, 0x2518, 0x250C, 0x2588, 0x2584, 0x258C, 0x2590, 0x2580,
	/* 0xE0 р..я */ 0x0440, 0x0441, 0x0442, 0x0443, 0x0444, 0x0445, 0x0446, 0x0447,
	0x0448, 0x0449, 0x044A, 0x044B, 0x044C, 0x044D, 0x044E, 0x044F,
	/* 0xF0 Ё ё Є є Ї ї Ў ў ° ∙ · √ № ¤ ■ NBSP */ 0x0401, 0x0451, 0x0404, 0x0454, 0x0407, 0x0457, 0x040E, 0x045E,
	0x00B0, 0x2219, 0x00B7, 0x221A, 0x2116, 0x00A4, 0x25A0, 0x00A0,
};

uint8_t escpos_cp866_byte(uint32_t cp)
{
	if (cp < 0x80)
		return (uint8_t)cp;
	if (cp >= 0x0410 && cp <= 0x043F)
		return (uint8_t)(cp < 0x0440 && cp >= 0x0430 ? 0xA0 + (cp - 0x0430) : 0x80 + (cp - 0x0410));
	if (cp >= 0x0440 && cp <= 0x044F)
		return (uint8_t)(0xE0 + (cp - 0x0440));
	for (int i = 0; i < 128; i++)
		if (cp866_high[i] == cp)
			return (uint8_t)(0x80 + i);
	return 0;
}

/* Decodes one UTF-8 sequence; returns its length (>= 1) and the code point, or
 * U+FFFD with length 1 for a malformed byte. */
static size_t utf8_next(const unsigned char *s, uint32_t *cp)
{
	unsigned c = s[0];
	size_t len;
	uint32_t v, min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xE0) == 0xC0) {
		len = 2; v = c & 0x1F; min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		len = 3; v = c & 0x0F; min = 0x800;
	} else if ((c & 0xF8) == 0xF0) {
		len = 4; v = c & 0x07; min = 0x10000;
	} else {
		*cp = 0xFFFD;
		return 1;
	}
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*cp = 0xFFFD;
			return 1;
		}
		v = (v << 6) | (s[i] & 0x3F);
	}
	*cp = (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) ? 0xFFFD : v;
	return len;
}

/* Typographic characters our own strings produce (money_format uses U+202F and ₽). */
static const char *substitute(uint32_t cp)
{
	switch (cp) {
	case 0x20BD: return "\xE0."; /* ₽ -> "р." */
	case 0x202F: case 0x2009: case 0x2007: return " ";
	case 0x2013: case 0x2014: case 0x2212: return "-";
	case 0x00AB: case 0x00BB: case 0x201C: case 0x201D: case 0x201E: return "\"";
	case 0x2018: case 0x2019: return "'";
	default: return NULL;
	}
}

size_t escpos_cp866_from_utf8(const char *utf8, char *out, size_t cap)
{
	if (cap == 0)
		return 0;
	size_t o = 0;
	const unsigned char *s = (const unsigned char *)utf8;
	while (*s) {
		uint32_t cp;
		s += utf8_next(s, &cp);
		const char *sub = substitute(cp);
		char one[2] = { 0, 0 };
		if (!sub) {
			uint8_t b = escpos_cp866_byte(cp);
			one[0] = b ? (char)b : '?';
			sub = one;
		}
		size_t n = strlen(sub);
		if (o + n > cap - 1)
			break;
		memcpy(out + o, sub, n);
		o += n;
	}
	out[o] = 0;
	return o;
}

size_t escpos_cp866_to_utf8(const char *cp866, size_t n, char *out, size_t cap)
{
	if (cap == 0)
		return 0;
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)cp866[i];
		uint32_t cp = c < 0x80 ? c : cp866_high[c - 0x80];
		char tmp[UTF8_MAX];
		size_t len = (size_t)utf8_encode(cp, tmp);
		if (o + len > cap - 1)
			break;
		memcpy(out + o, tmp, len);
		o += len;
	}
	out[o] = 0;
	return o;
}
