#ifndef DRIVERS_PRINTER_KKT_H
#define DRIVERS_PRINTER_KKT_H
/* The fiscal register as the receipt printer (printer.transport = kkt, docs/fiscal.md):
 * a printer_dev whose documents become plain lines of text the register prints after its
 * fiscal receipt.  The register has no pictures in this mode, so logos and QR codes are
 * left out (the fiscal receipt carries its own check QR); cuts become the one cut after
 * the text; every line is at most `cols` characters (longer ones are wrapped).
 *
 * The register belongs to the fiscal service's thread, so the device only hands the text
 * to `print` (which waits for the register) and reads the paper state through `paper`.
 * A print refused for want of paper counts as sent: the state (paper out) then makes the
 * printer service wait for paper and print it again, as for an ESC/POS printer. */
#include "drivers/printer.h"

struct printer_kkt_cfg {
	int cols;                                   /* characters a line (16..40) */
	int (*print)(void *ctx, const char *text);  /* PRINTER_EOK, PRINTER_EIO, PRINTER_EOFFLINE */
	int (*paper)(void *ctx);                    /* 1 present, 0 out, -1 unknown */
	void *ctx;
};

/* Never fails. */
struct printer_dev *printer_kkt_new(const struct printer_kkt_cfg *c);
/* The text the register gets for doc: '\n'-separated lines of at most cols characters;
 * malloc'd (pure, for tests). */
char *printer_kkt_text(const struct receipt_doc *doc, int cols);

#endif
