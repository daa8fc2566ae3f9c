/* The terminal's receipt: see vtk_receipt.h. */
#include "drivers/vtk_receipt.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "drivers/kpp_msg.h"

/* Length of the digit run at p (digits with single spaces or dashes between them) and the
 * number of digits in it. */
static size_t digit_run(const char *p, size_t n, size_t *ret_digits)
{
	size_t i = 0, d = 0, end = 0;
	while (i < n) {
		if (isdigit((unsigned char)p[i])) {
			d++;
			end = ++i;
		} else if ((p[i] == ' ' || p[i] == '-') && i + 1 < n &&
			   isdigit((unsigned char)p[i + 1]) && d) {
			i++;
		} else {
			break;
		}
	}
	*ret_digits = d;
	return end;
}

char *vtk_receipt_sanitize(const char *in, size_t n, char *out, size_t cap)
{
	if (cap == 0)
		return out;
	/* CR first, so that digits it separated cannot meet unmasked afterwards. */
	size_t o = 0, i = 0;
	for (; i < n && o + 1 < cap; i++)
		if (in[i] != '\r')
			out[o++] = in[i] ? in[i] : '?';
	out[o] = 0;
	bool cut = i < n;
	for (i = 0; i < o;) {
		size_t digits, run = isdigit((unsigned char)out[i]) ? digit_run(out + i, o - i, &digits) : 0;
		if (run == 0) {
			i++;
			continue;
		}
		/* A number cut by the end of out may be the head of a card number: hide it all. */
		size_t show = cut && i + run == o ? 0 : 4;
		if (digits >= 13 || show == 0) {
			size_t seen = 0;
			for (size_t k = 0; k < run; k++)
				if (isdigit((unsigned char)out[i + k]) && ++seen + show <= digits)
					out[i + k] = '*';
		}
		i += run;
	}
	return out;
}

/* Copies value v (vn bytes) into dst (cap) keeping only characters accepted by ok. */
static void keep(char *dst, size_t cap, const char *v, size_t vn, int (*ok)(int))
{
	size_t o = 0;
	for (size_t i = 0; i < vn && o + 1 < cap; i++)
		if (ok((unsigned char)v[i]))
			dst[o++] = v[i];
	if (o)
		dst[o] = 0;
}

static int printable(int c) { return c > ' ' && c < 0x7F; }

struct key {
	const char *name;
	size_t off, cap;
	int (*ok)(int);
};

#define KEY(n, f, okfn) { n, offsetof(struct journal_card, f), \
			  sizeof(((struct journal_card *)0)->f), okfn }

static const struct key KEYS[] = {
	KEY("RRN", rrn, isdigit),
	KEY("AUTH ID", auth_code, isalnum),
	KEY("AUTH CODE", auth_code, isalnum),
	KEY("CARD", scheme, printable),
	KEY("TERMINAL", tid, isalnum),
	KEY("MERCHANT", mid, isalnum),
	KEY("BATCH", batch_no, isdigit),
	KEY("AID", aid, isalnum),
	KEY("RESPONSE CODE", host_rc, isalnum),
};

static void parse_line(const char *l, size_t n, struct journal_card *card)
{
	const char *colon = memchr(l, ':', n);
	if (!colon)
		return;
	size_t kn = (size_t)(colon - l);
	while (kn && l[kn - 1] == ' ')
		kn--;
	const char *v = colon + 1;
	size_t vn = n - (size_t)(v - l);
	if (kn == 3 && strncasecmp(l, "PAN", 3) == 0) {
		char tmp[64];
		size_t k = vn < sizeof tmp - 1 ? vn : sizeof tmp - 1;
		memcpy(tmp, v, k);
		tmp[k] = 0;
		char masked[sizeof card->masked_pan];
		kpp_mask_pan(tmp, masked, sizeof masked);
		if (masked[0])
			memcpy(card->masked_pan, masked, sizeof masked);
		return;
	}
	for (size_t i = 0; i < sizeof KEYS / sizeof KEYS[0]; i++)
		if (strlen(KEYS[i].name) == kn && strncasecmp(l, KEYS[i].name, kn) == 0) {
			keep((char *)card + KEYS[i].off, KEYS[i].cap, v, vn, KEYS[i].ok);
			return;
		}
}

void vtk_receipt_parse(const char *text, struct journal_card *card)
{
	const char *p = text;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		while (n && (*p == ' ' || *p == '\t')) {
			p++;
			n--;
		}
		parse_line(p, n, card);
		p += n + (nl ? 1 : 0);
		if (!nl)
			break;
	}
}
