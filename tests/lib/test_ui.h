#ifndef TESTS_LIB_TEST_UI_H
#define TESTS_LIB_TEST_UI_H
/* The ui tests' window: headless, 1080x1920 portrait, the repository's assets and the
 * default theme.  NULL with the reason in err. */
#include <stddef.h>

#include "ui/ui.h"

struct ui *test_ui_new(char *err, size_t cap);
/* The same, its first frame rehearsed by ui_create's worker (ui_options.rehearse). */
struct ui *test_ui_new_rehearsed(void (*rehearse)(struct ui *r, void *ud), void *ud, char *err, size_t cap);

#endif
