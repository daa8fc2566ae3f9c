/* Scanner symbol helpers: AIM prefix and suffix stripping, duplicate suppression. */
#include "drivers/scanner.h"
#include "kiosk/base/hex.h"

#include <string.h>

const char *scanner_state_name(enum scanner_state s)
{
	switch (s) {
	case SCANNER_STATE_OK: return "ok";
	case SCANNER_STATE_ABSENT: return "absent";
	case SCANNER_STATE_ERROR: return "error";
	}
	return "?";
}

const char *scanner_error_key(int err)
{
	switch (err) {
	case SCANNER_OK: return "";
	case SCANNER_ELAYOUT: return "scanner.configure";
	case SCANNER_EOVERLONG: return "scanner.too_long";
	default: return "scanner.bad_read";
	}
}


int scanner_parse_suffix(const char *hex, uint8_t *out, size_t cap)
{
	return hex_decode(hex, strlen(hex), out, cap);
}

static bool is_alpha(uint8_t c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
static bool is_alnum(uint8_t c) { return is_alpha(c) || (c >= '0' && c <= '9'); }

void scanner_strip(const uint8_t *data, size_t n, const uint8_t *suffix, size_t sn,
		   size_t *ret_off, size_t *ret_len, char ret_aim[4])
{
	size_t off = 0;
	ret_aim[0] = 0;
	if (n >= 3 && data[0] == ']' && is_alpha(data[1]) && is_alnum(data[2])) {
		memcpy(ret_aim, data, 3);
		ret_aim[3] = 0;
		off = 3;
	}
	size_t len = n - off;
	if (sn && len >= sn && memcmp(data + off + len - sn, suffix, sn) == 0)
		len -= sn;
	*ret_off = off;
	*ret_len = len;
}

void scanner_dedupe_init(struct scanner_dedupe *d)
{
	memset(d, 0, sizeof *d);
}

bool scanner_dedupe_accept(struct scanner_dedupe *d, const uint8_t *data, size_t n, int64_t now_ms)
{
	if (n > SCANNER_MAX_SYMBOL)
		return false;
	if (d->have && d->len == n && memcmp(d->last, data, n) == 0 &&
	    now_ms - d->at_ms < SCANNER_DEDUPE_MS && now_ms >= d->at_ms)
		return false;
	memcpy(d->last, data, n);
	d->len = n;
	d->at_ms = now_ms;
	d->have = true;
	return true;
}
