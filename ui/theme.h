#ifndef UI_THEME_H
#define UI_THEME_H
/* Theme: palette, type scale, spacing and corner radius, read from
 * assets/themes/NAME.theme (`key = value`, colours as #RRGGBB).  Sizes are design pixels
 * of the 1080-wide portrait layout; the window scales them.  Unknown keys and bad values are
 * errors with file:line, like the configuration. */
#include <stdint.h>

struct theme_color { uint8_t r, g, b, a; };

struct theme {
	struct theme_color bg, surface, surface_alt, border, text, text_muted,
		primary, primary_pressed, on_primary, secondary, secondary_pressed, on_secondary,
		accent, success, warning, danger, focus, header, on_header;
	int font_display, font_title, font_heading, font_body, font_caption, font_button;
	int space_xs, space_s, space_m, space_l, space_xl;
	int radius, radius_small, border_width;
	int button_height, key_size;
};

/* 0, or -1 with "file:line: what" in err. */
int theme_load(const char *path, struct theme *t, char *err, int errcap);

#endif
