#include "ui/theme.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum tk { T_COLOR, T_INT };
struct tkey { const char *name; enum tk type; size_t off; };

#define C(n) { #n, T_COLOR, offsetof(struct theme, n) }
#define N(n) { #n, T_INT, offsetof(struct theme, n) }
static const struct tkey tkeys[] = {
	C(bg), C(surface), C(surface_alt), C(border), C(text), C(text_muted), C(primary),
	C(primary_pressed), C(on_primary), C(secondary), C(secondary_pressed), C(on_secondary),
	C(accent), C(success), C(warning), C(danger), C(focus), C(header), C(on_header),
	N(font_display), N(font_title), N(font_heading), N(font_body), N(font_caption), N(font_button),
	N(space_xs), N(space_s), N(space_m), N(space_l), N(space_xl),
	N(radius), N(radius_small), N(border_width), N(button_height), N(key_size),
};
#define NT (sizeof tkeys / sizeof tkeys[0])

static int parse_color(const char *v, struct theme_color *c)
{
	unsigned r, g, b, a = 255;
	size_t n = strlen(v);
	if (v[0] != '#' || (n != 7 && n != 9) || strspn(v + 1, "0123456789abcdefABCDEF") != n - 1)
		return -1;
	if (n == 7 && sscanf(v + 1, "%2x%2x%2x", &r, &g, &b) != 3)
		return -1;
	if (n == 9 && sscanf(v + 1, "%2x%2x%2x%2x", &r, &g, &b, &a) != 4)
		return -1;
	*c = (struct theme_color){ (uint8_t)r, (uint8_t)g, (uint8_t)b, (uint8_t)a };
	return 0;
}

int theme_load(const char *path, struct theme *t, char *err, int errcap)
{
	FILE *f = fopen(path, "re");
	if (!f) {
		snprintf(err, (size_t)errcap, "%s:0: cannot read: %s", path, strerror(errno));
		return -1;
	}
	memset(t, 0, sizeof *t);
	unsigned seen[NT] = { 0 };
	char line[256];
	int lineno = 0, rc = 0;
	while (rc == 0 && fgets(line, sizeof line, f)) {
		lineno++;
		char key[64], val[64];
		char *s = line + strspn(line, " \t");
		if (*s == '#' || *s == '\n' || *s == '\0')
			continue;
		if (sscanf(s, "%63[a-z_] = %63s", key, val) != 2) {
			snprintf(err, (size_t)errcap, "%s:%d: expected 'key = value'", path, lineno);
			rc = -1;
			break;
		}
		size_t i = 0;
		while (i < NT && strcmp(tkeys[i].name, key) != 0)
			i++;
		if (i == NT) {
			snprintf(err, (size_t)errcap, "%s:%d: unknown key '%s'", path, lineno, key);
			rc = -1;
			break;
		}
		char *p = (char *)t + tkeys[i].off;
		if (tkeys[i].type == T_COLOR) {
			if (parse_color(val, (struct theme_color *)p) != 0) {
				snprintf(err, (size_t)errcap, "%s:%d: %s must be #RRGGBB, not '%s'", path, lineno, key, val);
				rc = -1;
			}
		} else {
			char *end;
			long x = strtol(val, &end, 10);
			if (*end || x < 0 || x > 1000) {
				snprintf(err, (size_t)errcap, "%s:%d: %s must be 0..1000, not '%s'", path, lineno, key, val);
				rc = -1;
			}
			*(int *)p = (int)x;
		}
		seen[i] = 1;
	}
	fclose(f);
	for (size_t i = 0; rc == 0 && i < NT; i++)
		if (!seen[i]) {
			snprintf(err, (size_t)errcap, "%s:%d: missing key '%s'", path, lineno, tkeys[i].name);
			rc = -1;
		}
	return rc;
}
