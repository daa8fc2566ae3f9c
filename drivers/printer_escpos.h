#ifndef DRIVERS_PRINTER_ESCPOS_H
#define DRIVERS_PRINTER_ESCPOS_H
/* An ESC/POS printer over any transport (drivers/transport.h): status by DLE EOT 1..4,
 * receipts by escpos_render.  The transport is opened lazily and reopened after it failed
 * (TRANSPORT_EGONE / EIO), so an unplugged printer is "offline" until it comes back. */
#include "drivers/escpos.h"
#include "drivers/printer.h"
#include "drivers/transport.h"

struct printer_escpos_cfg {
	struct escpos_opts opts;  /* opts.logo is ignored: logo_path is loaded instead */
	const char *logo_path;    /* PNG, or NULL */
	int reply_timeout_ms;     /* per DLE EOT answer; default 500 */
	/* After sending a receipt, time given to the printer before the status check that
	 * tells a finished receipt from one that ran out of paper (real-time status is answered
	 * at once, so asking immediately would report the state before printing). */
	int settle_ms;            /* default 1500 */
	int write_timeout_ms;     /* default 5000 */
};

void printer_escpos_cfg_default(struct printer_escpos_cfg *c);
/* Takes ownership of t. */
struct printer_dev *printer_escpos_new(struct transport *t, const struct printer_escpos_cfg *c);

#endif
