#ifndef UI_QR_H
#define UI_QR_H
/* A QR code drawn on the screen (libqrencode, error correction M, a 4-module quiet zone),
 * square, centred in r, each module a whole number of pixels so that phone cameras read it. */
#include "ui/ui.h"

/* Draws text as a QR code; returns the side drawn in px, or 0 when it does not fit in r
 * (or the text cannot be encoded): nothing is drawn then. */
int ui_qr(struct ui *ui, const char *text, struct ui_rect r);

#endif
