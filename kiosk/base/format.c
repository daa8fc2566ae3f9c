/* The written forms of numbers, phones, dates and names (see format.h). */
#include "kiosk/base/format.h"
#include "kiosk/base/digits.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* A string built piece by piece into a caller's buffer; a piece that does not fit is cut
 * at a character boundary and everything after it is dropped. */
struct out {
	char *buf;
	size_t cap, len;
	bool full;
};

static struct out out_start(char *buf, size_t cap)
{
	struct out o = { buf, cap, 0, cap == 0 };
	if (cap)
		buf[0] = '\0';
	return o;
}

static void out_n(struct out *o, const char *s, size_t n)
{
	if (o->full)
		return;
	if (o->len + n + 1 > o->cap) {
		n = o->cap - 1 - o->len;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) /* s[n] would start the cut-off part */
			n--;
		o->full = true;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

static void out_s(struct out *o, const char *s)
{
	out_n(o, s, strlen(s));
}

static const char *copy(const char *s, char *buf, size_t cap)
{
	struct out o = out_start(buf, cap);
	out_s(&o, s);
	return buf;
}

const char *fmt_pers_acc(const char *d, char *buf, size_t cap)
{
	if (strlen(d) == 8)
		snprintf(buf, cap, "%.5s-%.3s", d, d + 5);
	else
		snprintf(buf, cap, "%s", d);
	return buf;
}

const char *fmt_reading(int64_t milli, int decimals, char *buf, size_t cap)
{
	decimals = decimals < 0 ? 0 : decimals > 3 ? 3 : decimals;
	int64_t p = 1, q = 1;
	for (int i = decimals; i < 3; i++)
		p *= 10;
	for (int i = 0; i < decimals; i++)
		q *= 10;
	int64_t scaled = milli / p;
	if (decimals == 0)
		snprintf(buf, cap, "%lld", (long long)scaled);
	else
		snprintf(buf, cap, "%lld,%0*lld", (long long)(scaled / q), decimals, (long long)(scaled % q));
	return buf;
}

/* ------------------------------------------------------------------ phones */

/* The digits of a phone written with only separators between them; false for anything else. */
static bool phone_digits(const char *s, char *d, size_t dcap)
{
	size_t n = 0;
	if (*s == '+')
		s++;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9') {
			if (n + 1 >= dcap)
				return false;
			d[n++] = *s;
		} else if (!strchr(" -()", *s)) {
			return false;
		}
	}
	d[n] = '\0';
	return true;
}

/* Digits [from, to) of D, at most what D has. */
static void group(struct out *o, const char *d, size_t from, size_t to)
{
	size_t len = strlen(d);
	if (from < len)
		out_n(o, d + from, (to < len ? to : len) - from);
}

/* The ten digits after the country code, grouped «916 123-45-67» (as far as there are). */
static void local_groups(struct out *o, const char *d, bool city)
{
	size_t len = strlen(d);
	if (city)
		out_s(o, "(");
	group(o, d, 0, 3);
	if (city && len >= 3)
		out_s(o, ")");
	if (len > 3)
		out_s(o, FMT_NBSP);
	group(o, d, 3, 6);
	if (len > 6)
		out_s(o, "-");
	group(o, d, 6, 8);
	if (len > 8)
		out_s(o, "-");
	group(o, d, 8, 10);
}

/* S with its ASCII spaces made no-break: a number someone grouped already. */
static const char *nbsp_spaces(const char *s, char *buf, size_t cap)
{
	struct out o = out_start(buf, cap);
	for (const char *p = s; *p; p++)
		out_s(&o, *p == ' ' ? FMT_NBSP : (char[2]){ *p, '\0' });
	return buf;
}

const char *fmt_phone(const char *s, char *buf, size_t cap)
{
	char d[16];
	if (!phone_digits(s, d, sizeof d) || strlen(d) != 11 || (d[0] != '7' && d[0] != '8'))
		return copy(s, buf, cap);
	struct out o = out_start(buf, cap);
	if (strncmp(d + 1, "800", 3) == 0) { /* toll-free: dialled as 8 800 from anywhere */
		out_s(&o, "8" FMT_NBSP);
		local_groups(&o, d + 1, false);
		return buf;
	}
	/* A city code has 3 to 5 digits and only the writer knows which: a number written
	 * with its code in parentheses keeps its groups; unwritten, only Moscow's are sure. */
	bool mobile = d[1] == '9', moscow = strncmp(d + 1, "495", 3) == 0 || strncmp(d + 1, "499", 3) == 0;
	if (!mobile && (strchr(s, '(') || !moscow))
		return nbsp_spaces(s, buf, cap);
	out_s(&o, "+7" FMT_NBSP);
	local_groups(&o, d + 1, !mobile);
	return buf;
}

const char *fmt_phone_typed(const char *digits, char *buf, size_t cap)
{
	size_t n = strspn(digits, "0123456789");
	if (digits[n] != '\0' || n > 10)
		return copy(digits, buf, cap);
	struct out o = out_start(buf, cap);
	out_s(&o, n ? "+7" FMT_NBSP : "+7");
	local_groups(&o, digits, false);
	return buf;
}

/* ------------------------------------------------------------------ dates */

const char *fmt_ymd(const char *iso, char *buf, size_t cap)
{
	if (strlen(iso) != 10 || iso[4] != '-' || iso[7] != '-' || !digits_run(iso, 4) || !digits_run(iso + 5, 2) ||
	    !digits_run(iso + 8, 2))
		return copy(iso, buf, cap);
	snprintf(buf, cap, "%.2s.%.2s.%.4s", iso + 8, iso + 5, iso);
	return buf;
}

static const char *const month_name[LANG_COUNT][12] = {
	[LANG_RU] = { "январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь",
		      "октябрь", "ноябрь", "декабрь" },
	[LANG_EN] = { "January", "February", "March", "April", "May", "June", "July", "August", "September",
		      "October", "November", "December" },
};

const char *fmt_period(const char *p, enum lang l, char *buf, size_t cap)
{
	if (strlen(p) != 7 || p[4] != '-' || !digits_run(p, 4) || !digits_run(p + 5, 2) || l < 0 || l >= LANG_COUNT)
		return copy(p, buf, cap);
	int m = (p[5] - '0') * 10 + (p[6] - '0');
	if (m < 1 || m > 12)
		return copy(p, buf, cap);
	struct out o = out_start(buf, cap);
	out_s(&o, month_name[l][m - 1]);
	out_s(&o, FMT_NBSP);
	out_n(&o, p, 4);
	return buf;
}

/* ------------------------------------------------------------------ names */

const char *fmt_scheme(const char *code, enum lang l, char *buf, size_t cap)
{
	static const struct {
		const char *code, *ru, *en;
	} schemes[] = {
		{ "MIR", "Мир", "Mir" },
		{ "VISA", "Visa", "Visa" },
		{ "MC", "Mastercard", "Mastercard" },
		{ "MASTERCARD", "Mastercard", "Mastercard" },
		{ "MAESTRO", "Maestro", "Maestro" },
		{ "UNIONPAY", "UnionPay", "UnionPay" },
		{ "UPI", "UnionPay", "UnionPay" },
	};
	for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++)
		if (strcasecmp(code, schemes[i].code) == 0)
			return copy(l == LANG_EN ? schemes[i].en : schemes[i].ru, buf, cap);
	return copy(code, buf, cap);
}

/* The abbreviation ending just before position I of S (at a word start), or 0. */
static size_t abbrev_before(const char *s, size_t i)
{
	static const char *const abbrev[] = { "г.", "ул.", "пр.", "д.", "кв.", "корп.", "стр.", "пом.", "пер.", "л/с",
					      "№", "тел." };
	for (size_t k = 0; k < sizeof abbrev / sizeof abbrev[0]; k++) {
		size_t n = strlen(abbrev[k]);
		if (n > i || memcmp(s + i - n, abbrev[k], n) != 0)
			continue;
		if (i == n)
			return n;
		unsigned char before = (unsigned char)s[i - n - 1];
		if (before == ' ' || before == ',' || before == '(' || before == 0xA0)
			return n;
	}
	return 0;
}

const char *fmt_nbsp(const char *s, char *buf, size_t cap)
{
	struct out o = out_start(buf, cap);
	size_t start = 0;
	for (size_t i = 0; s[i]; i++) {
		if (s[i] != ' ' || !s[i + 1] || s[i + 1] == ' ' || !abbrev_before(s, i))
			continue;
		out_n(&o, s + start, i - start);
		out_s(&o, FMT_NBSP);
		start = i + 1;
	}
	out_s(&o, s + start);
	return buf;
}

/* ------------------------------------------------------------------ counts, templates */

/* Which of "one|few|many" N takes: Russian 0 one (1, 21), 1 few (2-4, 22-24), 2 many;
 * English 0 for 1, else the last form given. */
static int plural(int64_t n, enum lang l)
{
	uint64_t a = n < 0 ? (uint64_t)0 - (uint64_t)n : (uint64_t)n;
	if (l == LANG_EN)
		return a == 1 ? 0 : 2;
	uint64_t t = a % 100, u = a % 10;
	if (t >= 11 && t <= 14)
		return 2;
	return u == 1 ? 0 : u >= 2 && u <= 4 ? 1 : 2;
}

const char *fmt_count(int64_t n, const char *forms, enum lang l, char *buf, size_t cap)
{
	const char *f = forms, *end;
	int want = plural(n, l);
	/* Step to the wanted form, stopping at the last one when fewer are given. */
	for (int k = 0; k < want && (end = strchr(f, '|')); k++)
		f = end + 1;
	end = strchr(f, '|');
	char num[24];
	snprintf(num, sizeof num, "%lld", (long long)n);
	struct out o = out_start(buf, cap);
	out_s(&o, num);
	out_s(&o, FMT_NBSP);
	out_n(&o, f, end ? (size_t)(end - f) : strlen(f));
	return buf;
}

const char *fmt_fill(const char *tmpl, const char *const *vals, int n, char *buf, size_t cap)
{
	struct out o = out_start(buf, cap);
	const char *p = tmpl, *at;
	for (int k = 0; k < n && (at = strstr(p, "{}")); k++) {
		out_n(&o, p, (size_t)(at - p));
		out_s(&o, vals[k] ? vals[k] : "");
		p = at + 2;
	}
	out_s(&o, p);
	return buf;
}
