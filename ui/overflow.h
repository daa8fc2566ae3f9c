#ifndef UI_OVERFLOW_H
#define UI_OVERFLOW_H
/* What a resident could not read, found in one frame: text whose ink leaves the box it was
 * laid out in or the widget it labels, is cut by the screen's edge or by a clip that is not
 * a scroll area, or lies over other text (icons count as text here: an icon over a label
 * hides it as well).  The ui notes every text and icon it draws while checking is on
 * (overflow_enable, headless script runs); nothing is noted otherwise.
 *
 * Ink is the glyphs' coverage (alpha ≥ OVERFLOW_INK_ALPHA), not the line box: a line's
 * ascent and descent overlap the next line's by design, letters do not. */
#include <stdbool.h>
#include <stddef.h>

#include "ui/ui.h"

#define OVERFLOW_INK_ALPHA 96

void overflow_enable(struct ui *ui);
void overflow_free(struct ui *ui);
bool overflow_on(const struct ui *ui);

/* The frame starts: forget the last one's notes. */
void overflow_frame(struct ui *ui);
/* Texts and icons drawn from now on label widget id (its rectangle r) until
 * overflow_widget_end. */
void overflow_widget_begin(struct ui *ui, const char *id, struct ui_rect r);
void overflow_widget_end(struct ui *ui);
/* A modal is drawn over everything so far: those texts are hidden, not checked. */
void overflow_cover(struct ui *ui);
/* A text (or "icon:NAME") whose ink covers ink, laid out in box (box.h ≤ 0: no bottom). */
void overflow_note(struct ui *ui, const char *s, struct ui_rect ink, struct ui_rect box);

/* The findings of the frame last drawn, one line each ("widget 'id': text '…' leaves its
 * box by N px at the right"); returns how many (lines past cap are counted, not written). */
int overflow_findings(const struct ui *ui, char *buf, size_t cap);

#endif
