/* Debug dump of a scanned payload: the only place the decoder touches the log, kept out of
 * epd.c so the decoder stays free of I/O. */
#include "kiosk/bill/epd.h"

#include "kiosk/base/log.h"

#define CHUNK 256

void epd_log_payload(const uint8_t *buf, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	if (!log_enabled(LOG_LVL_DEBUG))
		return;
	uint8_t masked[EPD_MAX_PAYLOAD + 16];
	size_t n = len < sizeof masked ? len : sizeof masked;
	epd_mask_payload(buf, n, masked);
	int parts = n ? (int)((n + CHUNK - 1) / CHUNK) : 1;
	for (int p = 0; p < parts; p++) {
		char line[2 * CHUNK + 1];
		size_t off = (size_t)p * CHUNK, k = 0;
		for (; off + k < n && k < CHUNK; k++) {
			line[2 * k] = hex[masked[off + k] >> 4];
			line[2 * k + 1] = hex[masked[off + k] & 15];
		}
		line[2 * k] = '\0';
		log_debug("epd", "payload", "len=%zu part=%d/%d hex=%s", len, p + 1, parts, line);
	}
}
