#ifndef UI_SOFT_H
#define UI_SOFT_H
/* Drawing straight into the software renderer's target, the window surface, where SDL's
 * own path is slow: opaque fills (SDL 2.26 streams them with non-temporal stores and ends
 * each row with scalar stores into the same cache lines) and text, kept as one-byte
 * coverage masks instead of four-byte textures.  Used only when ui->soft (the software
 * renderer on a 32-bit surface); GPU renderers never come here.  Each call first flushes
 * the renderer's queued commands, so drawing keeps its order, and stays inside the
 * renderer's clip rectangle and the window. */
#include <stdbool.h>
#include <stdint.h>

#include "ui/ui.h"

/* Whether the window surface can be drawn into here (32 bits a pixel, no locking). */
bool soft_usable(struct ui *ui);
void soft_fill(struct ui *ui, struct ui_rect r, struct theme_color c);
/* mask: w x h coverage bytes (0 transparent .. 255 opaque), rows pitch bytes apart, drawn at
 * (x, y) in colour c. */
void soft_mask(struct ui *ui, const uint8_t *mask, int w, int h, int pitch, struct theme_color c, int x, int y);

#endif
