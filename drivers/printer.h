#ifndef DRIVERS_PRINTER_H
#define DRIVERS_PRINTER_H
/* A receipt printer as the printer service sees it: something that can say its state and
 * print a whole receipt_doc.  Backends: ESC/POS over a transport (printer_escpos.c) and
 * files for the demo and tests (printer_file.c).  Both are used from the service thread
 * only. */
#include "kiosk/receipt/printer_doc.h"
#include "drivers/printer_status.h"

enum { PRINTER_EOK = 0, PRINTER_EOFFLINE = -1, PRINTER_EINVAL = -2, PRINTER_EIO = -3 };

struct printer_dev;

struct printer_dev_ops {
	/* Asks the printer now.  0 and *ret (never PRINTER_OFFLINE), or PRINTER_EOFFLINE
	 * when it does not answer. */
	int (*status)(struct printer_dev *d, enum printer_state *ret);
	/* Sends/renders the whole document; tag names the job in file names and logs.
	 * 0, PRINTER_EOFFLINE (link gone), PRINTER_EINVAL (document too big) or PRINTER_EIO. */
	int (*print)(struct printer_dev *d, const struct receipt_doc *doc, const char *tag);
	void (*destroy)(struct printer_dev *d);
};

struct printer_dev {
	const struct printer_dev_ops *ops;
	void *impl;
	char desc[96];
};

static inline int printer_dev_status(struct printer_dev *d, enum printer_state *ret)
{ return d->ops->status(d, ret); }
static inline int printer_dev_print(struct printer_dev *d, const struct receipt_doc *doc, const char *tag)
{ return d->ops->print(d, doc, tag); }
static inline void printer_dev_destroy(struct printer_dev *d) { if (d) d->ops->destroy(d); }

#endif
