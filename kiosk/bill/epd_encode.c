/* The bill copy's payment QR (see epd_encode.h). */
#include "kiosk/bill/epd_encode.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "kiosk/bill/epd.h"

#define SEP '|'

struct out {
	char *buf;
	size_t cap, len;
	int rc;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->rc)
		return;
	if (o->len + n + 1 > o->cap || o->len + n > EPD_MAX_PAYLOAD) {
		o->rc = EPD_ENC_ESPACE;
		return;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

/* A value the decoder gives back verbatim: no separator (no escaping exists), no control
 * characters, no surrounding blanks (the decoder trims them). */
static bool value_ok(const char *v)
{
	size_t n = strlen(v);
	if (n == 0 || v[0] == ' ' || v[n - 1] == ' ')
		return false;
	for (const unsigned char *p = (const unsigned char *)v; *p; p++)
		if (*p == SEP || *p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

static void field(struct out *o, const char *key, const char *v, bool mandatory)
{
	if (o->rc)
		return;
	if (!v || !v[0]) {
		if (mandatory)
			o->rc = EPD_ENC_EINVAL;
		return;
	}
	if (!value_ok(v)) {
		o->rc = EPD_ENC_EINVAL;
		return;
	}
	put(o, key, strlen(key));
	put(o, "=", 1);
	put(o, v, strlen(v));
	put(o, (const char[]){ SEP }, 1);
}

int epd_encode(const struct epd_payment *p, char *out, size_t cap)
{
	struct out o = { out, cap, 0, 0 };
	char mmyyyy[24] = "", sum[24] = "";
	if (cap)
		out[0] = '\0';
	if (p->period && p->period[0]) {
		int y, m;
		char tail;
		if (strlen(p->period) != 7 || sscanf(p->period, "%4d-%2d%c", &y, &m, &tail) != 2 || m < 1 || m > 12 ||
		    y < 1000 || y > 9999)
			return EPD_ENC_EINVAL;
		snprintf(mmyyyy, sizeof mmyyyy, "%02d%04d", m, y);
	}
	if (p->sum > EPD_SUM_MAX)
		return EPD_ENC_EINVAL;
	if (p->sum >= 0)
		snprintf(sum, sizeof sum, "%lld", (long long)p->sum);
	put(&o, "ST00012|", 8);
	field(&o, "Name", p->name, true);
	field(&o, "PersonalAcc", p->personal_acc, true);
	field(&o, "BankName", p->bank_name, true);
	field(&o, "BIC", p->bic, true);
	field(&o, "CorrespAcc", p->corresp_acc, true);
	field(&o, "PayeeINN", p->payee_inn, false);
	field(&o, "KPP", p->kpp, false);
	field(&o, "persAcc", p->pers_acc, false);
	field(&o, "paymPeriod", mmyyyy, false);
	field(&o, "Sum", sum, false);
	if (o.rc) {
		if (cap)
			out[0] = '\0';
		return o.rc;
	}
	return (int)o.len;
}
