/* DLE EOT status bytes -> printer state. */
#include "drivers/printer_status.h"

#include <string.h>

bool printer_status_byte_valid(uint8_t b)
{
	return (b & 0x93) == 0x12;
}

int printer_status_parse(const uint8_t replies[4], struct printer_status *ret)
{
	for (int i = 0; i < 4; i++)
		if (!printer_status_byte_valid(replies[i]))
			return -1;
	struct printer_status s;
	memset(&s, 0, sizeof s);
	memcpy(s.raw, replies, 4);
	s.offline = replies[0] & 0x08;
	s.cover_open = replies[1] & 0x04;
	s.feed_button = replies[1] & 0x08;
	s.paper_end_stop = replies[1] & 0x20;
	s.error = replies[1] & 0x40;
	s.recoverable_error = replies[2] & 0x04;
	s.cutter_error = replies[2] & 0x08;
	s.unrecoverable = replies[2] & 0x20;
	s.auto_recoverable = replies[2] & 0x40;
	s.near_end = (replies[3] & 0x0C) != 0;
	s.paper_out = (replies[3] & 0x60) != 0;
	*ret = s;
	return 0;
}

enum printer_state printer_status_state(const struct printer_status *s)
{
	if (s->cover_open)
		return PRINTER_COVER_OPEN;
	if (s->paper_out || s->paper_end_stop)
		return PRINTER_PAPER_OUT;
	if (s->error || s->recoverable_error || s->cutter_error || s->unrecoverable ||
	    s->auto_recoverable)
		return PRINTER_ERROR;
	/* Offline with no cause we know of (e.g. feed button held): it will not print. */
	if (s->offline && !s->feed_button)
		return PRINTER_ERROR;
	if (s->near_end)
		return PRINTER_NEAR_END;
	return PRINTER_OK;
}

const char *printer_state_name(enum printer_state s)
{
	static const char *const names[] = {
		[PRINTER_OK] = "ok", [PRINTER_NEAR_END] = "near_end", [PRINTER_PAPER_OUT] = "paper_out",
		[PRINTER_COVER_OPEN] = "cover_open", [PRINTER_ERROR] = "error", [PRINTER_OFFLINE] = "offline",
	};
	return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "?";
}
