#ifndef UI_ICONS_H
#define UI_ICONS_H
/* Icons by name from the Material Icons font (Debian fonts-material-design-icons-iconfont,
 * Apache-2.0).  Returns the code point, 0 when the name is unknown. */
#include <stdint.h>

uint32_t icon_codepoint(const char *name);
int icon_count(void);
const char *icon_name(int i);

#endif
