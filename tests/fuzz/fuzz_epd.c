/* libFuzzer target for the bill QR decoder.  Property: no crash or out-of-bounds read, and
 * either a known error code or a bill whose mandatory fields hold what the rules promise;
 * masking keeps the length and every byte outside masked values. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/bill/epd.h"
#include "kiosk/bill/epd_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REQUIRE(c) do { if (!(c)) abort(); } while (0)

static int digits(const char *s)
{
	int n = 0;
	for (; *s; s++, n++)
		if (*s < '0' || *s > '9')
			return -1;
	return n;
}

static void check_bill(const struct epd_bill *b)
{
	static const enum epd_key mandatory[] = {
		EPD_NAME, EPD_PERSONAL_ACC, EPD_BANK_NAME, EPD_BIC, EPD_CORRESP_ACC,
	};
	for (size_t i = 0; i < sizeof mandatory / sizeof mandatory[0]; i++) {
		const char *v = epd_field_id(b, mandatory[i]);
		REQUIRE(v && v[0]);
	}
	const char *bic = epd_field_id(b, EPD_BIC);
	REQUIRE(digits(bic) == 9 && bic[0] == '0');
	const char *acc = epd_field_id(b, EPD_PERSONAL_ACC);
	REQUIRE(digits(acc) == 20);
	REQUIRE(strncmp(acc, "03", 2) == 0 || epd_account_key_ok(bic, acc, false));
	const char *corr = epd_field_id(b, EPD_CORRESP_ACC);
	REQUIRE(strcmp(corr, "0") == 0 ||
		(digits(corr) == 20 && epd_account_key_ok(bic, corr, true) &&
		 (strncmp(corr, "40102", 5) == 0 ||
		  (strncmp(corr, "301", 3) == 0 && memcmp(corr + 17, bic + 6, 3) == 0))));
	const char *sum = epd_field_id(b, EPD_SUM);
	REQUIRE(b->has_sum == (sum != NULL));
	if (sum)
		REQUIRE(digits(sum) >= 1 && digits(sum) <= 18 && b->sum == strtoull(sum, NULL, 10));
	const char *inn = epd_field_id(b, EPD_PAYEE_INN);
	if (inn)
		REQUIRE(epd_inn_ok(inn));
	const char *payer = epd_field_id(b, EPD_PAYER_INN);
	if (payer)
		REQUIRE(epd_inn_ok(payer));
	const char *kpp = epd_field_id(b, EPD_KPP);
	if (kpp)
		REQUIRE(strlen(kpp) == 9);
	REQUIRE(b->period[0] == '\0' || (strlen(b->period) == 7 && b->period[4] == '-'));
	REQUIRE(digits(epd_pers_acc_digits(b)) >= 0);
	REQUIRE(strcmp(b->enc, "cp1251") == 0 || strcmp(b->enc, "utf-8") == 0 ||
		strcmp(b->enc, "koi8-r") == 0);
	for (int i = 1; i < b->nwarnings; i++)
		REQUIRE(strcmp(b->warnings[i - 1], b->warnings[i]) <= 0);
	for (int i = 0; i < b->nunknown; i++)
		REQUIRE(epd_field(b, epd_unknown_key(b, i)) == NULL);
	/* Every string the bill hands out is valid UTF-8: jansson refuses anything else. */
	char *js = epd_to_json(b);
	json_error_t jerr;
	json_t *j = json_loads(js, 0, &jerr);
	REQUIRE(j && json_is_true(json_object_get(j, "ok")));
	size_t nfields = 0;
	for (int k = 0; k < EPD_KEY_COUNT; k++)
		nfields += epd_field_id(b, k) != NULL;
	REQUIRE(json_object_size(json_object_get(j, "fields")) == nfields);
	REQUIRE(json_array_size(json_object_get(j, "unknown_keys")) == (size_t)b->nunknown);
	json_decref(j);
	free(js);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct epd_bill bill;
	/* An exact-size copy so ASan sees any read past the input. */
	uint8_t *buf = malloc(size ? size : 1);
	REQUIRE(buf);
	if (size)
		memcpy(buf, data, size);
	int rc = epd_decode(buf, size, &bill);
	if (rc == 0)
		check_bill(&bill);
	else
		REQUIRE(rc < 0 && rc > EPD_ENOT_ALLOWED && strcmp(epd_error_code(rc), "unknown") != 0);

	uint8_t *masked = malloc(size ? size : 1);
	REQUIRE(masked);
	epd_mask_payload(buf, size, masked);
	for (size_t i = 0; i < size; i++)
		REQUIRE(masked[i] == buf[i] || masked[i] == '*');
	if (size >= 8)
		REQUIRE(memcmp(masked, buf, 8) == 0);
	free(masked);
	free(buf);
	return 0;
}
