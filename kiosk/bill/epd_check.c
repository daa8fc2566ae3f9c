/* Check digits and value shapes of the bill QR decoder (docs/epd.md, Decoding rules 15-22,
 * and Check digits). */
#include "kiosk/bill/epd.h"
#include "kiosk/bill/epd_internal.h"

#include <string.h>

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool epd_all_digits(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!is_digit(s[i]))
			return false;
	return s[n] == '\0';
}

bool epd_account_key_ok(const char *bic, const char *acc, bool rkc)
{
	static const int weight[3] = { 7, 1, 3 };
	char d[23];
	/* BIC digits 7-9 of 000/001/002 mean the Bank of Russia itself or a division of it:
	 * such accounts are keyed like РКЦ ones. */
	if (rkc || (bic[6] == '0' && bic[7] == '0' && bic[8] <= '2')) {
		d[0] = '0';
		d[1] = bic[4];
		d[2] = bic[5];
	} else {
		memcpy(d, bic + 6, 3);
	}
	memcpy(d + 3, acc, 20);
	int sum = 0;
	for (int i = 0; i < 23; i++)
		sum += ((d[i] - '0') * weight[i % 3]) % 10;
	return sum % 10 == 0;
}

static int inn_digit(const char *s, const int *w, int n)
{
	int sum = 0;
	for (int i = 0; i < n; i++)
		sum += (s[i] - '0') * w[i];
	return sum % 11 % 10;
}

bool epd_inn_ok(const char *s)
{
	static const int w10[] = { 2, 4, 10, 3, 5, 9, 4, 6, 8 };
	static const int w11[] = { 7, 2, 4, 10, 3, 5, 9, 4, 6, 8 };
	static const int w12[] = { 3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8 };
	size_t n = strlen(s);
	if (!epd_all_digits(s, n))
		return false;
	if (n == 10)
		return inn_digit(s, w10, 9) == s[9] - '0';
	if (n == 12)
		return inn_digit(s, w11, 10) == s[10] - '0' && inn_digit(s, w12, 11) == s[11] - '0';
	return false;
}

bool epd_kpp_ok(const char *s)
{
	if (strlen(s) != 9)
		return false;
	for (int i = 0; i < 9; i++) {
		char c = s[i];
		bool ok = (i == 4 || i == 5) ? (is_digit(c) || (c >= 'A' && c <= 'Z')) : is_digit(c);
		if (!ok)
			return false;
	}
	return true;
}

static int num(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Years are four digits 1900-2099: that keeps MMYYYY and YYYYMM apart ("19"/"20" is never
 * a month), and no bill is older or newer. */
static bool put(int year, int month, char ret[8])
{
	if (month < 1 || month > 12 || year < 1900 || year > 2099)
		return false;
	ret[0] = (char)('0' + year / 1000);
	ret[1] = (char)('0' + year / 100 % 10);
	ret[2] = (char)('0' + year / 10 % 10);
	ret[3] = (char)('0' + year % 10);
	ret[4] = '-';
	ret[5] = (char)('0' + month / 10);
	ret[6] = (char)('0' + month % 10);
	ret[7] = '\0';
	return true;
}

bool epd_period_normalise(const char *s, char ret[8])
{
	size_t n = strlen(s);
	bool ok = false;
	ret[0] = '\0';
	if (n == 6 && num(s, 6) >= 0) {               /* MMYYYY, else YYYYMM */
		ok = put(num(s + 2, 4), num(s, 2), ret) || put(num(s, 4), num(s + 4, 2), ret);
	} else if (n == 7 && s[2] == '.') {          /* MM.YYYY */
		int m = num(s, 2), y = num(s + 3, 4);
		ok = m >= 0 && y >= 0 && put(y, m, ret);
	} else if (n == 4) {                         /* MMYY */
		int m = num(s, 2), y = num(s + 2, 2);
		ok = m >= 0 && y >= 0 && put(2000 + y, m, ret);
	} else if (n == 5 && s[2] == '.') {          /* MM.YY */
		int m = num(s, 2), y = num(s + 3, 2);
		ok = m >= 0 && y >= 0 && put(2000 + y, m, ret);
	} else if (n == 5) {                         /* MYYYY */
		int m = num(s, 1), y = num(s + 1, 4);
		ok = m >= 0 && y >= 0 && put(y, m, ret);
	}
	if (!ok)
		ret[0] = '\0';
	return ok;
}
