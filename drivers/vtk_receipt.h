#ifndef DRIVERS_VTK_RECEIPT_H
#define DRIVERS_VTK_RECEIPT_H
/* The Vendotek terminal's receipt (tag 13) as the bank slip.  VTK has no tags for the card,
 * the authorization code or the RRN: where the terminal's firmware prints them as KEY:VALUE
 * lines (PAN, AUTH ID, RRN, CARD, TERMINAL, MERCHANT, BATCH, AID, RESPONSE CODE), they are
 * picked out best-effort; keys and layout vary by firmware and acquirer, so nothing may
 * depend on finding them.  Pure. */
#include <stddef.h>

#include "offline/journal.h"

/* Copies the receipt (n bytes, UTF-8, LF between lines) into out (cap bytes, NUL-ended),
 * masking every run of 13 or more digits (spaces and dashes between digit groups count as
 * part of the run) down to its last 4 digits: a full card number is never kept, even when a
 * firmware prints one.  CR is dropped.  Returns out. */
char *vtk_receipt_sanitize(const char *in, size_t n, char *out, size_t cap);

/* Fills the card fields found in a (sanitized) receipt; fields not found stay as they are.
 * masked_pan is re-masked (at most the first 6 and last 4 digits visible). */
void vtk_receipt_parse(const char *text, struct journal_card *card);

#endif
