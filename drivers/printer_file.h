#ifndef DRIVERS_PRINTER_FILE_H
#define DRIVERS_PRINTER_FILE_H
/* The `file` printer backend (printer.transport = file): for the demo and the tests.
 * Each receipt becomes DIR/receipt-<n>-<tag>.png (a strip 384 px wide for 58 mm paper or
 * 576 px for 80 mm, 8 dots/mm; text drawn with SDL2_ttf in Inter, or DejaVu Sans when Inter
 * is not installed; QR as modules from libqrencode; a dashed cut mark) and
 * DIR/receipt-<n>-<tag>.txt with the same text.  n continues after the highest number
 * already in DIR.  The PNG is written first and the .txt last, each through a temporary
 * name and rename(), so a reader that sees the .txt sees both files complete.
 *
 * Paper is simulated by the knob file DIR/paper holding ok | near_end | out | cover_open
 * (missing = ok; anything else = error), so tests can take the paper away mid-payment.
 * An unreadable DIR makes the printer offline. */
#include "drivers/printer.h"

/* width_mm 58 or 80; logo_path a PNG or NULL.  Never fails (problems show at print). */
struct printer_dev *printer_file_new(const char *dir, int width_mm, const char *logo_path);

/* Renders doc into png_path and txt_path (either may be NULL).  Returns 0, PRINTER_EIO
 * (no font, cannot write) or PRINTER_EINVAL (the strip would be taller than the cap). */
int printer_file_render(const struct receipt_doc *doc, int width_mm, const char *logo_path,
			const char *png_path, const char *txt_path);

/* The text rendering alone (what the .txt holds): a malloc'd string. */
char *printer_file_text(const struct receipt_doc *doc, int width_mm);
/* The same for cols characters a line (the fiscal register's text lines). */
char *printer_text_cols(const struct receipt_doc *doc, size_t cols);

#endif
