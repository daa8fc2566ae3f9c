/* Per-frame notes of drawn text and the findings on them (ui/overflow.h). */
#include "ui/overflow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/base/xalloc.h"

#define MAX_NOTES 400
#define NOTE_TEXT 56
#define SLACK 1 /* px of anti-aliasing we forgive at an edge */

struct note {
	char text[NOTE_TEXT];
	char widget[UI_ID_LEN];
	struct ui_rect ink, box, wrect, clip;
	bool in_widget, in_scroll;
	bool covered; /* under a modal drawn later: not seen */
};

struct overflow {
	struct note notes[MAX_NOTES];
	int n, dropped;
	bool in_widget;
	char widget[UI_ID_LEN];
	struct ui_rect wrect;
};

void overflow_enable(struct ui *ui)
{
	if (!ui->ov)
		ui->ov = xcalloc(1, sizeof *ui->ov);
}

void overflow_free(struct ui *ui)
{
	free(ui->ov);
	ui->ov = NULL;
}

bool overflow_on(const struct ui *ui) { return ui->ov != NULL; }

void overflow_frame(struct ui *ui)
{
	if (!ui->ov)
		return;
	ui->ov->n = 0;
	ui->ov->dropped = 0;
	ui->ov->in_widget = false;
}

void overflow_widget_begin(struct ui *ui, const char *id, struct ui_rect r)
{
	if (!ui->ov)
		return;
	ui->ov->in_widget = true;
	snprintf(ui->ov->widget, sizeof ui->ov->widget, "%s", id);
	ui->ov->wrect = r;
}

void overflow_cover(struct ui *ui)
{
	if (!ui->ov)
		return;
	for (int i = 0; i < ui->ov->n; i++)
		ui->ov->notes[i].covered = true;
}

void overflow_widget_end(struct ui *ui)
{
	if (ui->ov)
		ui->ov->in_widget = false;
}

/* s cut to whole characters that fit in cap (with its NUL). */
static void copy_text(char *dst, size_t cap, const char *s)
{
	size_t n = strlen(s);
	if (n >= cap)
		for (n = cap - 1; n && ((unsigned char)s[n] & 0xC0) == 0x80; n--)
			;
	memcpy(dst, s, n);
	dst[n] = '\0';
	for (char *p = dst; *p; p++)
		if (*p == '\n')
			*p = ' ';
}

void overflow_note(struct ui *ui, const char *s, struct ui_rect ink, struct ui_rect box)
{
	struct overflow *o = ui->ov;
	if (!o || ink.w <= 0 || ink.h <= 0)
		return;
	if (o->n == MAX_NOTES) {
		o->dropped++;
		return;
	}
	struct note *n = &o->notes[o->n++];
	copy_text(n->text, sizeof n->text, s);
	n->ink = ink;
	n->box = box;
	n->covered = false;
	n->in_widget = o->in_widget;
	if (o->in_widget) {
		snprintf(n->widget, sizeof n->widget, "%s", o->widget);
		n->wrect = o->wrect;
	} else {
		n->widget[0] = '\0';
	}
	n->in_scroll = ui->in_scroll;
	n->clip = ui->in_scroll ? ui->scroll_clip : (struct ui_rect){ 0, 0, ui->w, ui->h };
}

static struct ui_rect intersect(struct ui_rect a, struct ui_rect b)
{
	int x0 = a.x > b.x ? a.x : b.x, y0 = a.y > b.y ? a.y : b.y;
	int x1 = a.x + a.w < b.x + b.w ? a.x + a.w : b.x + b.w;
	int y1 = a.y + a.h < b.y + b.h ? a.y + a.h : b.y + b.h;
	return (struct ui_rect){ x0, y0, x1 > x0 ? x1 - x0 : 0, y1 > y0 ? y1 - y0 : 0 };
}

/* How far ink reaches past r (0: inside, within SLACK), and which side. */
static int beyond(struct ui_rect ink, struct ui_rect r, bool bottom, const char **side)
{
	int worst = 0;
	int d[4] = { r.x - ink.x, (ink.x + ink.w) - (r.x + r.w), r.y - ink.y,
		     bottom ? (ink.y + ink.h) - (r.y + r.h) : 0 };
	static const char *const names[4] = { "left", "right", "top", "bottom" };
	for (int i = 0; i < 4; i++)
		if (d[i] > SLACK && d[i] > worst) {
			worst = d[i];
			*side = names[i];
		}
	return worst;
}

struct sink {
	char *buf;
	size_t cap, len;
	int count;
};

static void say(struct sink *k, const struct note *n, const char *fmt, const char *a, int v)
{
	k->count++;
	char what[200];
	snprintf(what, sizeof what, fmt, a, v);
	int w = snprintf(k->buf + k->len, k->cap - k->len, "widget '%s': text '%s' %s\n",
			 n->in_widget ? n->widget : "-", n->text, what);
	if (w > 0 && (size_t)w < k->cap - k->len)
		k->len += (size_t)w;
}

static void check_one(struct sink *k, const struct note *n, int screen_w, int screen_h)
{
	/* In a scroll area only what is scrolled into view is on the screen now; the rest
	 * is checked when it is (text cut by the area's edge is the scroll working). */
	struct ui_rect seen = intersect(n->ink, n->clip);
	if (n->in_scroll && seen.w * seen.h == 0)
		return;
	const char *side = "";
	int d;
	if ((d = beyond(n->in_scroll ? seen : n->ink, (struct ui_rect){ 0, 0, screen_w, screen_h }, true, &side)) > 0) {
		say(k, n, "is off the screen by %2$d px at the %1$s", side, d);
		return;
	}
	/* A widget's label is held to the widget (its padding is room enough). */
	if (n->in_widget) {
		if ((d = beyond(n->ink, n->wrect, true, &side)) > 0)
			say(k, n, "leaves its widget by %2$d px at the %1$s", side, d);
	} else if ((d = beyond(n->ink, n->box, n->box.h > 0, &side)) > 0)
		say(k, n, "leaves its box by %2$d px at the %1$s", side, d);
}

int overflow_findings(const struct ui *ui, char *buf, size_t cap)
{
	struct sink k = { buf, cap, 0, 0 };
	if (cap)
		buf[0] = '\0';
	const struct overflow *o = ui->ov;
	if (!o)
		return 0;
	for (int i = 0; i < o->n; i++)
		if (!o->notes[i].covered)
			check_one(&k, &o->notes[i], ui->w, ui->h);
	for (int i = 0; i < o->n; i++) {
		if (o->notes[i].covered)
			continue;
		struct ui_rect a = intersect(o->notes[i].ink, o->notes[i].clip);
		for (int j = i + 1; j < o->n; j++) {
			struct ui_rect b = intersect(o->notes[j].ink, o->notes[j].clip);
			struct ui_rect x = intersect(a, b);
			if (x.w > SLACK && x.h > SLACK) {
				char other[NOTE_TEXT + 2];
				snprintf(other, sizeof other, "%s", o->notes[j].text);
				say(&k, &o->notes[i], "overlaps text '%s' (%d px)", other, x.w < x.h ? x.w : x.h);
			}
		}
	}
	if (o->dropped)
		say(&k, &o->notes[0], "(and %2$d more texts not checked: raise MAX_NOTES)%1$s", "", o->dropped);
	return k.count;
}
