/* Numbers, amounts, readings and dates in words (see words.h). */
#include "kiosk/base/words.h"

#include <stdbool.h>
#include <string.h>

/* A sentence built word by word: one space between words; over once anything did not fit. */
struct sb {
	char *buf;
	size_t cap, len;
	bool over;
};

static void sb_raw(struct sb *b, const char *s)
{
	size_t n = strlen(s);
	if (b->over || b->len + n + 1 > b->cap) {
		b->over = true;
		return;
	}
	memcpy(b->buf + b->len, s, n);
	b->len += n;
	b->buf[b->len] = '\0';
}

static void sb_word(struct sb *b, const char *w)
{
	if (b->len && b->buf[b->len - 1] != ' ' && b->buf[b->len - 1] != '-')
		sb_raw(b, " ");
	sb_raw(b, w);
}

static struct sb sb_start(char *buf, size_t cap)
{
	struct sb b = { buf, cap, 0, cap == 0 };
	if (cap)
		buf[0] = '\0';
	return b;
}

static int sb_end(struct sb *b)
{
	if (b->over) {
		if (b->cap)
			b->buf[0] = '\0';
		return WORDS_ETOOLONG;
	}
	return 0;
}

/* ------------------------------------------------------------------ Russian */

static const char *const ru_units_m[10] = { "ноль", "один", "два", "три", "четыре", "пять", "шесть", "семь",
					    "восемь", "девять" };
static const char *const ru_units_f[10] = { "ноль", "одна", "две", "три", "четыре", "пять", "шесть", "семь",
					    "восемь", "девять" };
static const char *const ru_teens[10] = { "десять", "одиннадцать", "двенадцать", "тринадцать", "четырнадцать",
					  "пятнадцать", "шестнадцать", "семнадцать", "восемнадцать", "девятнадцать" };
static const char *const ru_tens[10] = { "", "", "двадцать", "тридцать", "сорок", "пятьдесят", "шестьдесят",
					 "семьдесят", "восемьдесят", "девяносто" };
static const char *const ru_hundreds[10] = { "", "сто", "двести", "триста", "четыреста", "пятьсот", "шестьсот",
					     "семьсот", "восемьсот", "девятьсот" };

/* The noun's form after n: 0 one (1, 21), 1 few (2-4, 22-24), 2 many (0, 5-20, 25-30...). */
static int ru_form(uint64_t n)
{
	uint64_t t = n % 100, u = n % 10;
	if (t >= 11 && t <= 14)
		return 2;
	if (u == 1)
		return 0;
	if (u >= 2 && u <= 4)
		return 1;
	return 2;
}

/* Group names from 10^3 up, each with its gender and three forms. */
static const struct {
	enum words_gender g;
	const char *form[3];
} ru_scales[] = {
	{ WORDS_FEM, { "тысяча", "тысячи", "тысяч" } },
	{ WORDS_MASC, { "миллион", "миллиона", "миллионов" } },
	{ WORDS_MASC, { "миллиард", "миллиарда", "миллиардов" } },
	{ WORDS_MASC, { "триллион", "триллиона", "триллионов" } },
	{ WORDS_MASC, { "квадриллион", "квадриллиона", "квадриллионов" } },
	{ WORDS_MASC, { "квинтиллион", "квинтиллиона", "квинтиллионов" } },
};

/* 1..999 */
static void ru_triad(struct sb *b, unsigned n, enum words_gender g)
{
	if (n / 100)
		sb_word(b, ru_hundreds[n / 100]);
	unsigned r = n % 100;
	if (r >= 10 && r < 20) {
		sb_word(b, ru_teens[r - 10]);
		return;
	}
	if (r / 10)
		sb_word(b, ru_tens[r / 10]);
	if (r % 10)
		sb_word(b, (g == WORDS_FEM ? ru_units_f : ru_units_m)[r % 10]);
}

/* ------------------------------------------------------------------ English */

static const char *const en_small[20] = { "zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
					  "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen",
					  "sixteen", "seventeen", "eighteen", "nineteen" };
static const char *const en_tens[10] = { "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy",
					 "eighty", "ninety" };
static const char *const en_scales[] = { "thousand", "million", "billion", "trillion", "quadrillion", "quintillion" };

/* 1..99, "twenty-three" as one word. */
static void en_pair(struct sb *b, unsigned r)
{
	if (r < 20) {
		sb_word(b, en_small[r]);
		return;
	}
	sb_word(b, en_tens[r / 10]);
	if (r % 10) {
		sb_raw(b, "-");
		sb_raw(b, en_small[r % 10]);
	}
}

static void en_triad(struct sb *b, unsigned n)
{
	if (n / 100) {
		sb_word(b, en_small[n / 100]);
		sb_word(b, "hundred");
	}
	if (n % 100)
		en_pair(b, n % 100);
}

/* ------------------------------------------------------------------ cardinals */

static void cardinal(struct sb *b, uint64_t n, enum words_gender g, enum lang l)
{
	if (n == 0) {
		sb_word(b, l == LANG_EN ? en_small[0] : ru_units_m[0]);
		return;
	}
	unsigned triads[7];
	int k = 0;
	for (uint64_t m = n; m; m /= 1000)
		triads[k++] = (unsigned)(m % 1000);
	for (int i = k - 1; i >= 0; i--) {
		unsigned t = triads[i];
		if (!t)
			continue;
		if (l == LANG_EN) {
			en_triad(b, t);
			if (i)
				sb_word(b, en_scales[i - 1]);
		} else {
			ru_triad(b, t, i ? ru_scales[i - 1].g : g);
			if (i)
				sb_word(b, ru_scales[i - 1].form[ru_form(t)]);
		}
	}
}

static uint64_t magnitude(int64_t n)
{
	return n < 0 ? (uint64_t)0 - (uint64_t)n : (uint64_t)n;
}

int words_cardinal(int64_t n, enum words_gender g, enum lang l, char *buf, size_t cap)
{
	struct sb b = sb_start(buf, cap);
	if (n < 0)
		sb_word(&b, l == LANG_EN ? "minus" : "минус");
	cardinal(&b, magnitude(n), g, l);
	return sb_end(&b);
}

/* n followed by its noun: forms[3] for Russian (one, few, many), forms[0..1] for English
 * (singular, plural). */
static void counted(struct sb *b, uint64_t n, enum words_gender g, enum lang l, const char *const forms[3])
{
	cardinal(b, n, g, l);
	if (l == LANG_EN)
		sb_word(b, forms[n == 1 ? 0 : 1]);
	else
		sb_word(b, forms[ru_form(n)]);
}

int words_counted(int64_t n, enum words_gender g, const char *const forms[3], enum lang l, char *buf, size_t cap)
{
	struct sb b = sb_start(buf, cap);
	if (n < 0)
		sb_word(&b, l == LANG_EN ? "minus" : "минус");
	counted(&b, magnitude(n), g, l, forms);
	return sb_end(&b);
}

int words_kopecks(kopecks v, enum lang l, char *buf, size_t cap)
{
	static const char *const ru_rub[3] = { "рубль", "рубля", "рублей" };
	static const char *const ru_kop[3] = { "копейка", "копейки", "копеек" };
	static const char *const en_rub[3] = { "ruble", "rubles", NULL };
	static const char *const en_kop[3] = { "kopeck", "kopecks", NULL };
	struct sb b = sb_start(buf, cap);
	if (v < 0)
		sb_word(&b, l == LANG_EN ? "minus" : "минус");
	uint64_t m = magnitude(v), rub = m / 100, kop = m % 100;
	if (rub || !kop)
		counted(&b, rub, WORDS_MASC, l, l == LANG_EN ? en_rub : ru_rub);
	if (kop)
		counted(&b, kop, WORDS_FEM, l, l == LANG_EN ? en_kop : ru_kop);
	return sb_end(&b);
}

int words_reading(int64_t milli, int decimals, enum lang l, char *buf, size_t cap)
{
	static const char *const ru_whole[3] = { "целая", "целых", "целых" };
	static const char *const ru_frac[3][3] = {
		{ "десятая", "десятых", "десятых" },
		{ "сотая", "сотых", "сотых" },
		{ "тысячная", "тысячных", "тысячных" },
	};
	decimals = decimals < 0 ? 0 : decimals > 3 ? 3 : decimals;
	struct sb b = sb_start(buf, cap);
	if (milli < 0)
		sb_word(&b, l == LANG_EN ? "minus" : "минус");
	uint64_t m = magnitude(milli), whole = m / 1000, frac = m % 1000;
	for (int i = decimals; i < 3; i++)
		frac /= 10;
	if (decimals == 0) {
		cardinal(&b, whole, WORDS_MASC, l);
	} else if (l == LANG_EN) {
		cardinal(&b, whole, WORDS_MASC, l);
		sb_word(&b, "point");
		char d[4];
		for (int i = decimals - 1; i >= 0; i--) {
			d[i] = (char)('0' + frac % 10);
			frac /= 10;
		}
		for (int i = 0; i < decimals; i++)
			sb_word(&b, en_small[d[i] - '0']);
	} else {
		counted(&b, whole, WORDS_FEM, l, ru_whole);
		counted(&b, frac, WORDS_FEM, l, ru_frac[decimals - 1]);
	}
	return sb_end(&b);
}

/* ------------------------------------------------------------------ dates */

static const char *const ru_month_gen[13] = { "", "января", "февраля", "марта", "апреля", "мая", "июня", "июля",
					      "августа", "сентября", "октября", "ноября", "декабря" };
static const char *const ru_month_nom[13] = { "", "январь", "февраль", "март", "апрель", "май", "июнь", "июль",
					      "август", "сентябрь", "октябрь", "ноябрь", "декабрь" };
static const char *const en_month[13] = { "", "January", "February", "March", "April", "May", "June", "July",
					  "August", "September", "October", "November", "December" };

/* Russian ordinals by stem: the stem + the ending of the case wanted ("двадцат" + "ое"). */
struct ru_ord { const char *stem, *neut, *gen; };
static const struct ru_ord ru_ord_units[10] = {
	{ "", "", "" }, { "перв", "ое", "ого" }, { "втор", "ое", "ого" }, { "трет", "ье", "ьего" },
	{ "четвёрт", "ое", "ого" }, { "пят", "ое", "ого" }, { "шест", "ое", "ого" }, { "седьм", "ое", "ого" },
	{ "восьм", "ое", "ого" }, { "девят", "ое", "ого" },
};
static const char *const ru_ord_teens[10] = { "десят", "одиннадцат", "двенадцат", "тринадцат", "четырнадцат",
					      "пятнадцат", "шестнадцат", "семнадцат", "восемнадцат", "девятнадцат" };
static const char *const ru_ord_tens[10] = { "", "", "двадцат", "тридцат", "сороков", "пятидесят", "шестидесят",
					     "семидесят", "восьмидесят", "девяност" };
static const char *const ru_ord_hundreds[10] = { "", "сот", "двухсот", "трёхсот", "четырёхсот", "пятисот",
						 "шестисот", "семисот", "восьмисот", "девятисот" };
/* "двух" + "тысячн" + "ого": the thousands' multiplier as one word with them. */
static const char *const ru_gen_prefix[10] = { "", "", "двух", "трёх", "четырёх", "пяти", "шести", "семи",
					       "восьми", "девяти" };

/* The last word of an ordinal: stem + ending, "ое" neuter or "ого" genitive. */
static void ru_ord_word(struct sb *b, const char *stem, const char *ending)
{
	sb_word(b, stem);
	sb_raw(b, ending);
}

/* 1..999 as an ordinal: the leading parts cardinal, the last ordinal. */
static void ru_ordinal_small(struct sb *b, unsigned n, bool genitive)
{
	unsigned h = n / 100, r = n % 100;
	const char *end = genitive ? "ого" : "ое";
	if (r == 0) {
		ru_ord_word(b, ru_ord_hundreds[h], end);
		return;
	}
	if (h)
		sb_word(b, ru_hundreds[h]);
	if (r >= 10 && r < 20) {
		ru_ord_word(b, ru_ord_teens[r - 10], end);
	} else if (r % 10 == 0) {
		ru_ord_word(b, ru_ord_tens[r / 10], end);
	} else {
		if (r / 10)
			sb_word(b, ru_tens[r / 10]);
		const struct ru_ord *u = &ru_ord_units[r % 10];
		ru_ord_word(b, u->stem, genitive ? u->gen : u->neut);
	}
}

/* A year as Russian says it after a date: «две тысячи двадцать шестого года». */
static void ru_year(struct sb *b, int year)
{
	unsigned y = (unsigned)year;
	unsigned th = y / 1000, r = y % 1000;
	if (r == 0) {
		/* 1000 «тысячного», 2000 «двухтысячного» */
		sb_word(b, th < 10 ? ru_gen_prefix[th] : "");
		sb_raw(b, "тысячного");
	} else {
		if (th)
			cardinal(b, (uint64_t)th * 1000, WORDS_MASC, LANG_RU);
		ru_ordinal_small(b, r, true);
	}
	sb_word(b, "года");
}

static const char *const en_ord_small[20] = { "zeroth", "first", "second", "third", "fourth", "fifth", "sixth",
					      "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth",
					      "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
					      "eighteenth", "nineteenth" };
static const char *const en_ord_tens[10] = { "", "", "twentieth", "thirtieth", "fortieth", "fiftieth",
					     "sixtieth", "seventieth", "eightieth", "ninetieth" };

static void en_ordinal_day(struct sb *b, unsigned d)
{
	if (d < 20) {
		sb_word(b, en_ord_small[d]);
	} else if (d % 10 == 0) {
		sb_word(b, en_ord_tens[d / 10]);
	} else {
		sb_word(b, en_tens[d / 10]);
		sb_raw(b, "-");
		sb_raw(b, en_ord_small[d % 10]);
	}
}

/* "twenty twenty-six", "two thousand five", "nineteen hundred", "nineteen oh five". */
static void en_year(struct sb *b, int year)
{
	unsigned y = (unsigned)year;
	if (y < 1000 || (y >= 2000 && y < 2010) || y % 1000 == 0) {
		cardinal(b, y, WORDS_MASC, LANG_EN);
		return;
	}
	en_pair(b, y / 100);
	unsigned r = y % 100;
	if (r == 0) {
		sb_word(b, "hundred");
	} else if (r < 10) {
		sb_word(b, "oh");
		sb_word(b, en_small[r]);
	} else {
		en_pair(b, r);
	}
}

static bool date_ok(int year, int month, int day)
{
	return year >= 0 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

int words_date(int year, int month, int day, enum lang l, char *buf, size_t cap)
{
	struct sb b = sb_start(buf, cap);
	if (!date_ok(year, month, day)) {
		b.over = true;
		return sb_end(&b);
	}
	if (l == LANG_EN) {
		sb_word(&b, "the");
		en_ordinal_day(&b, (unsigned)day);
		sb_word(&b, "of");
		sb_word(&b, en_month[month]);
		if (year)
			en_year(&b, year);
	} else {
		ru_ordinal_small(&b, (unsigned)day, false);
		sb_word(&b, ru_month_gen[month]);
		if (year)
			ru_year(&b, year);
	}
	return sb_end(&b);
}

int words_period(int year, int month, enum lang l, char *buf, size_t cap)
{
	struct sb b = sb_start(buf, cap);
	if (!date_ok(year, month, 1) || year == 0) {
		b.over = true;
		return sb_end(&b);
	}
	if (l == LANG_EN) {
		sb_word(&b, en_month[month]);
		en_year(&b, year);
	} else {
		sb_word(&b, ru_month_nom[month]);
		ru_year(&b, year);
	}
	return sb_end(&b);
}

/* ------------------------------------------------------------------ digits, phones */

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A pause between groups: ", " once, never at the start. */
static void pause(struct sb *b, bool *pending)
{
	if (*pending && b->len) {
		sb_raw(b, ",");
	}
	*pending = false;
}

int words_digits(const char *s, enum lang l, char *buf, size_t cap)
{
	struct sb b = sb_start(buf, cap);
	bool pending = false;
	for (const char *p = s; *p; p++) {
		if (!is_digit(*p)) {
			pending = true;
			continue;
		}
		pause(&b, &pending);
		sb_word(&b, l == LANG_EN ? en_small[*p - '0'] : ru_units_m[*p - '0']);
	}
	return sb_end(&b);
}

int words_phone(const char *s, enum lang l, char *buf, size_t cap)
{
	struct sb b = sb_start(buf, cap);
	bool pending = false;
	const char *p = s;
	while (*p == ' ')
		p++;
	if (*p == '+') {
		sb_word(&b, l == LANG_EN ? "plus" : "плюс");
		p++;
	}
	while (*p) {
		if (is_digit(*p)) {
			size_t n = strspn(p, "0123456789");
			pause(&b, &pending);
			if (n == 4 && p[0] != '0') {
				/* a four-digit code is read in pairs: 4967 «сорок девять шестьдесят семь» */
				for (int k = 0; k < 2; k++) {
					const char *q = p + 2 * k;
					if (q[0] == '0') {
						sb_word(&b, l == LANG_EN ? en_small[0] : ru_units_m[0]);
						sb_word(&b, l == LANG_EN ? en_small[q[1] - '0'] : ru_units_m[q[1] - '0']);
					} else {
						cardinal(&b, (uint64_t)((q[0] - '0') * 10 + (q[1] - '0')), WORDS_MASC, l);
					}
				}
			} else if (p[0] == '0' && n > 1) {
				for (size_t i = 0; i < n; i++)
					sb_word(&b, l == LANG_EN ? en_small[p[i] - '0'] : ru_units_m[p[i] - '0']);
			} else if (n > 18) {
				b.over = true;
			} else {
				uint64_t v = 0;
				for (size_t i = 0; i < n; i++)
					v = v * 10 + (uint64_t)(p[i] - '0');
				cardinal(&b, v, WORDS_MASC, l);
			}
			p += n;
		} else if (strchr("-() ", *p)) {
			pending = true;
			p++;
		} else {
			/* anything else as written ("доб." before an extension) */
			size_t n = strcspn(p, "0123456789-() ");
			char w[64];
			if (n >= sizeof w) {
				b.over = true;
				break;
			}
			memcpy(w, p, n);
			w[n] = '\0';
			pause(&b, &pending);
			sb_word(&b, w);
			p += n;
		}
	}
	return sb_end(&b);
}
