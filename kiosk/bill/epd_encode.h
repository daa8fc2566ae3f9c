#ifndef KIOSK_EPD_ENCODE_H
#define KIOSK_EPD_ENCODE_H
/* Bill QR encoder: the payment code of a bill copy in the ГОСТ Р 56042-2014 layout the
 * decoder (kiosk/bill/epd.h, docs/epd.md) reads: "ST0001" + '2' (UTF-8) + '|' and the
 * fields Name, PersonalAcc, BankName, BIC, CorrespAcc, PayeeINN, KPP, persAcc, paymPeriod
 * (MMYYYY), Sum (kopecks), in that order, each followed by the separator.
 *
 * Pure: no I/O, no allocation.  Refuses (EPD_ENC_EINVAL) a missing mandatory value, a
 * value holding the separator, a control character or surrounding blanks (the format has
 * no escaping and the decoder trims), a sum over EPD_SUM_MAX and a period not YYYY-MM;
 * EPD_ENC_ESPACE when OUT is too small or the payload would exceed EPD_MAX_PAYLOAD.  Never
 * leaves a partial payload: on failure OUT
 * holds "". */
#include <stddef.h>

#include "kiosk/base/money.h"

/* Sum has at most 18 digits (docs/epd.md, Keys). */
#define EPD_SUM_MAX ((kopecks)999999999999999999LL)

enum { EPD_ENC_OK = 0, EPD_ENC_EINVAL = -1, EPD_ENC_ESPACE = -2 };

struct epd_payment {
	const char *name;          /* payee name (mandatory) */
	const char *personal_acc;  /* payee account, 20 digits (mandatory) */
	const char *bank_name;     /* mandatory */
	const char *bic;           /* mandatory */
	const char *corresp_acc;   /* mandatory ("0" when none) */
	const char *payee_inn;     /* optional (NULL or "": omitted) */
	const char *kpp;           /* optional */
	const char *pers_acc;      /* the resident's account, optional */
	const char *period;        /* "YYYY-MM", optional: written as paymPeriod=MMYYYY */
	kopecks sum;               /* < 0: no Sum (the payer types the amount) */
};

/* Writes the payload, NUL-terminated, into out (cap bytes); returns its length or a
 * negative EPD_ENC_* code. */
int epd_encode(const struct epd_payment *p, char *out, size_t cap);

#endif
