#ifndef TESTS_UNIT_TEST_EPD_H
#define TESTS_UNIT_TEST_EPD_H
/* The bill QR decoder's tests' fixtures (test_epd.c, test_epd_values.c): the mandatory
 * fields, the demo bill's payload, and decoding into the one bill they look at. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "kiosk/bill/epd.h"

#define MAND "Name=ООО «МосОблЕИРЦ»|PersonalAcc=40702810640000012345|BankName=ПАО Сбербанк|" \
	"BIC=044525225|CorrespAcc=30101810400000000225"
#define DEMO "ST00012|" MAND "|PayeeINN=5037008735|KPP=503701001|persAcc=50012345|" \
	"paymPeriod=102026|Sum=452316|TechCode=02"

static struct epd_bill bill;
static char pbuf[8192];

static inline int decn(const void *p, size_t n)
{
	return epd_decode(p, n, &bill);
}

static inline int dec(const char *s)
{
	return decn(s, strlen(s));
}

/* The mandatory fields and then EXTRA, "|"-separated, UTF-8. */
static inline int with(const char *extra)
{
	snprintf(pbuf, sizeof pbuf, "ST00012|%s|%s", MAND, extra);
	return dec(pbuf);
}

/* The mandatory set with one field replaced: KEY=VALUE (VALUE NULL drops the field). */
static inline int mand_with(const char *key, const char *value)
{
	static const char *const k[] = { "Name", "PersonalAcc", "BankName", "BIC", "CorrespAcc" };
	static const char *const v[] = { "ООО «МосОблЕИРЦ»", "40702810640000012345",
					 "ПАО Сбербанк", "044525225", "30101810400000000225" };
	size_t n = (size_t)snprintf(pbuf, sizeof pbuf, "ST00012|");
	for (int i = 0; i < 5; i++) {
		const char *val = strcmp(k[i], key) == 0 ? value : v[i];
		if (val)
			n += (size_t)snprintf(pbuf + n, sizeof pbuf - n, "%s=%s|", k[i], val);
	}
	return dec(pbuf);
}

static inline bool has_warning(const char *w)
{
	for (int i = 0; i < bill.nwarnings; i++)
		if (strcmp(bill.warnings[i], w) == 0)
			return true;
	return false;
}

#endif
