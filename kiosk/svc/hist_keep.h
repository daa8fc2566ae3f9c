#ifndef KIOSK_HIST_KEEP_H
#define KIOSK_HIST_KEEP_H
/* The histories' one rule for a full list (the payment and the readings history merges):
 * keep the newest.  Pure. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Where an entry dated DATE goes in LIST, N entries of SIZE bytes (room for CAP) whose
 * int64_t date sits at DATE_OFF in each: N while there is room, the oldest entry's index
 * when the list is full and DATE is newer than it, -1 when it is not. */
int hist_keep_slot(const void *list, int n, int cap, size_t size, size_t date_off, int64_t date);
/* Copies ENTRY into LIST there (and counts it in *N when it took a free place); false when
 * the list kept what it had. */
bool hist_keep_add(void *list, int *n, int cap, size_t size, size_t date_off, const void *entry);

#endif
