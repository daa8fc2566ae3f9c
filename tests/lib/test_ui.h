#ifndef TESTS_LIB_TEST_UI_H
#define TESTS_LIB_TEST_UI_H
/* The ui tests' window: headless, 1080x1920 portrait, the repository's assets and the
 * default theme.  NULL with the reason in err. */
#include <stddef.h>

#include "ui/ui.h"

struct ui *test_ui_new(char *err, size_t cap);

#endif
