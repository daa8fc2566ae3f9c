#include "ui/qr.h"

#include <string.h>

#include "kiosk/base/qr_lib.h"

#define QUIET 4

int ui_qr(struct ui *ui, const char *text, struct ui_rect r)
{
	if (!text || !text[0])
		return 0;
	QRcode *q = qr_encode_string(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!q)
		return 0;
	int n = q->width + 2 * QUIET, room = r.w < r.h ? r.w : r.h, m = room / n;
	if (m < 2) { /* a module under 2 px is not read reliably from a screen */
		qr_free(q);
		return 0;
	}
	int side = n * m, x0 = r.x + (r.w - side) / 2, y0 = r.y + (r.h - side) / 2;
	/* black on white whatever the theme: scanners expect it */
	struct theme_color white = { 255, 255, 255, 255 }, black = { 0, 0, 0, 255 };
	ui_fill_rect(ui, (struct ui_rect){ x0, y0, side, side }, white);
	for (int y = 0; y < q->width; y++)
		for (int x = 0; x < q->width; x++)
			if (q->data[y * q->width + x] & 1)
				ui_fill_rect(ui, (struct ui_rect){ x0 + (QUIET + x) * m, y0 + (QUIET + y) * m, m, m },
					     black);
	qr_free(q);
	return side;
}
