/* The script's overflow reports and the `looks` command (kiosk/shell/app.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kiosk/shell/app.h"
#include "kiosk/base/log.h"
#include "kiosk/base/xalloc.h"
#include "ui/overflow.h"

#define SEEN_CAP (int)(sizeof ((struct app *)0)->overflow_seen / sizeof(uint64_t))

static uint64_t hash(const char *s)
{
	uint64_t h = 14695981039346656037ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* "ru", "en-large", "ru-large-contrast", "landscape-ru-contrast" … */
static void look_name(const struct ui *ui, const struct flow *f, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s%s%s%s", ui->landscape ? "landscape-" : "", f->lang == LANG_EN ? "en" : "ru",
		 f->large_text ? "-large" : "", f->high_contrast ? "-contrast" : "");
}

static void report(struct app *a, const struct flow *f)
{
	static char lines[32768];
	if (overflow_findings(a->ui, lines, sizeof lines) == 0)
		return;
	char look[64];
	look_name(a->ui, f, look, sizeof look);
	for (char *line = lines, *end; *line; line = end + 1) {
		end = strchr(line, '\n');
		if (!end)
			break;
		*end = '\0';
		char full[600];
		int n = snprintf(full, sizeof full, "overflow: %s %s ", screen_name(f->screen), look);
		snprintf(full + n, sizeof full - (size_t)n, "%.500s", line);
		uint64_t h = hash(full);
		bool seen = false;
		for (int i = 0; i < a->overflow_n && i < SEEN_CAP; i++)
			seen = seen || a->overflow_seen[i] == h;
		if (seen)
			continue;
		if (a->overflow_n < SEEN_CAP)
			a->overflow_seen[a->overflow_n] = h;
		a->overflow_n++;
		fprintf(stderr, "%s\n", full);
		log_error("script", "overflow", "screen=%s look=%s", screen_name(f->screen), look);
	}
}

void script_overflow(struct app *a)
{
	report(a, &a->flow);
}

int script_looks(struct app *a, const char *name)
{
	struct flow *f = xmalloc(sizeof *f);
	int rc = 0;
	/* make check only checks (tests/run-all sets KIOSK_LOOKS_PICTURES=0): 528 pictures
	 * nobody looks at are a tenth of the walk's time. */
	const char *pics = getenv("KIOSK_LOOKS_PICTURES");
	bool pictures = !pics || strcmp(pics, "0") != 0;
	for (int i = 0; i < 8 && rc == 0; i++) {
		*f = a->flow;
		f->lang = i & 4 ? LANG_EN : LANG_RU;
		f->large_text = i & 2;
		f->high_contrast = i & 1;
		app_draw_flow(a, f);
		report(a, f);
		if (!pictures)
			continue;
		char look[64], path[768];
		look_name(a->ui, f, look, sizeof look);
		snprintf(path, sizeof path, "%s/%s", a->shots_dir, look);
		mkdir(path, 0755);
		snprintf(path, sizeof path, "%s/%s/%s", a->shots_dir, look, name);
		if (ui_screenshot_scaled(a->ui, path, true) != 0) {
			fprintf(stderr, "looks: could not write %s: %s\n", path, SDL_GetError());
			rc = -1;
		}
	}
	free(f);
	app_draw(a, true);
	return rc;
}
