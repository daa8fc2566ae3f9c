/* Demo bills for a kiosk without a scanner (kiosk/bill/demo_bills.h). */
#include "kiosk/bill/demo_bills.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/bill/epd.h"
#include "kiosk/base/format.h"
#include "kiosk/base/money.h"
#include "kiosk/base/xalloc.h"

#define FILE_MAX (DEMO_BILLS_MAX * DEMO_BILL_PAYLOAD + 4096) /* comments included */

static int bad(char *err, size_t cap, int line, const char *why)
{
	snprintf(err, cap, "line %d: %s", line, why);
	return -1;
}

/* One payload line into b's slot i. */
static int one(const char *s, size_t len, int line, struct demo_bills *b, char *err, size_t cap)
{
	if (b->n == DEMO_BILLS_MAX) {
		char why[48];
		snprintf(why, sizeof why, "more than %d bills", DEMO_BILLS_MAX);
		return bad(err, cap, line, why);
	}
	if (len >= DEMO_BILL_PAYLOAD)
		return bad(err, cap, line, "payload too long");
	static struct epd_bill bill; /* 3 KB: not on the stack of every caller */
	int rc = epd_decode((const uint8_t *)s, len, &bill);
	if (rc != 0)
		return bad(err, cap, line, epd_error_message(rc, "en"));
	const char *acc = epd_pers_acc_digits(&bill);
	if (!acc[0])
		return bad(err, cap, line, "the bill has no persAcc");
	char shown[24], sum[MONEY_FMT_MAX] = "";
	fmt_pers_acc(acc, shown, sizeof shown);
	if (bill.has_sum && bill.sum <= INT64_MAX)
		money_format((kopecks)bill.sum, true, sum, sizeof sum);
	memcpy(b->bill[b->n].payload, s, len);
	b->bill[b->n].payload[len] = '\0';
	snprintf(b->bill[b->n].label, DEMO_BILL_LABEL, "%s%s%s", shown, sum[0] ? " · " : "", sum);
	b->n++;
	return 0;
}

int demo_bills_parse(const char *text, struct demo_bills *ret, char *err, size_t errcap)
{
	struct demo_bills *b = xcalloc(1, sizeof *b);
	int line = 0, rc = 0;
	for (const char *p = text; *p && rc == 0;) {
		size_t len = strcspn(p, "\n");
		line++;
		size_t n = len;
		while (n && (p[n - 1] == '\r' || p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (n && p[0] != '#')
			rc = one(p, n, line, b, err, errcap);
		p += len + (p[len] == '\n');
	}
	if (rc == 0 && b->n == 0)
		rc = bad(err, errcap, line, "no bills in the file");
	if (rc == 0)
		*ret = *b;
	free(b);
	return rc;
}

int demo_bills_load(const char *path, struct demo_bills *ret, char *err, size_t errcap)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errcap, "%s: %s", path, strerror(errno));
		return -1;
	}
	char *buf = xmalloc(FILE_MAX + 1);
	size_t n = fread(buf, 1, FILE_MAX + 1, f);
	bool failed = ferror(f);
	fclose(f);
	int rc = -1;
	if (failed)
		snprintf(err, errcap, "%s: read error", path);
	else if (n > FILE_MAX)
		snprintf(err, errcap, "%s: longer than %d bytes", path, FILE_MAX);
	else if (memchr(buf, '\0', n))
		snprintf(err, errcap, "%s: a NUL byte: not a text file", path);
	else {
		buf[n] = '\0';
		char why[200];
		rc = demo_bills_parse(buf, ret, why, sizeof why);
		if (rc != 0)
			snprintf(err, errcap, "%s: %s", path, why);
	}
	free(buf);
	return rc;
}
