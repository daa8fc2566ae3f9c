#ifndef DRIVERS_PRINTER_STATUS_H
#define DRIVERS_PRINTER_STATUS_H
/* ESC/POS real-time status (DLE EOT n) parsing: pure.
 *
 * The kiosk asks DLE EOT 1 (printer), 2 (offline cause), 3 (error cause) and 4 (paper roll
 * sensor); each answer is one byte whose bits 0 and 7 are 0 and bits 1 and 4 are 1 (that
 * fixed pattern tells a status byte from noise).  The printer's state for the health
 * model is derived from the four bytes. */
#include <stdbool.h>
#include <stdint.h>

enum printer_state {
	PRINTER_OK,
	PRINTER_NEAR_END,    /* prints, but the roll is nearly used up */
	PRINTER_PAPER_OUT,
	PRINTER_COVER_OPEN,
	PRINTER_ERROR,       /* cutter jam, head overheat, mechanical error */
	PRINTER_OFFLINE,     /* no answer, or the link is gone */
};

struct printer_status {
	uint8_t raw[4];
	bool offline;           /* n=1 bit 3 */
	bool cover_open;        /* n=2 bit 2 */
	bool feed_button;       /* n=2 bit 3: paper being fed by the button */
	bool paper_end_stop;    /* n=2 bit 5: printing stopped because the paper ended */
	bool error;             /* n=2 bit 6 */
	bool recoverable_error; /* n=3 bit 2 */
	bool cutter_error;      /* n=3 bit 3 */
	bool unrecoverable;     /* n=3 bit 5 */
	bool auto_recoverable;  /* n=3 bit 6 (e.g. head temperature) */
	bool near_end;          /* n=4 bits 2,3 */
	bool paper_out;         /* n=4 bits 5,6 */
};

/* True when b has the fixed bits of a DLE EOT reply. */
bool printer_status_byte_valid(uint8_t b);
/* Parses the replies to DLE EOT 1..4 in that order.  Returns 0, or -1 (ret untouched)
 * when a byte is not a status byte. */
int printer_status_parse(const uint8_t replies[4], struct printer_status *ret);
/* The one state the health model shows: cover open, then paper out, then error, then
 * near end, then ok. */
enum printer_state printer_status_state(const struct printer_status *s);
const char *printer_state_name(enum printer_state s);

#endif
