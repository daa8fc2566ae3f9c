/* The bill copy document: refused without details, the items a resident needs (payee,
 * masked account data, each service with its supplier, totals), "Данные на" from the
 * cache, and its QR: the demo bill's payload, which epd_decode() accepts and the
 * allow-list passes; without known bank details no QR at all. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "kiosk/bill/bill_copy.h"
#include "kiosk/bill/epd.h"
#include "tests/lib/test_zone.h"

static struct config cfg;
static struct account acct;

static void demo(void)
{
	config_defaults(&cfg);
	cfg.nallow = 1;
	snprintf(cfg.allow[0].inn, sizeof cfg.allow[0].inn, "5037008735");
	snprintf(cfg.allow[0].account, sizeof cfg.allow[0].account, "40702810640000012345");
	snprintf(cfg.allow[0].bic, sizeof cfg.allow[0].bic, "044525225");
	memset(&acct, 0, sizeof acct);
	snprintf(acct.pers_acc, sizeof acct.pers_acc, "50012345");
	snprintf(acct.owner_masked, sizeof acct.owner_masked, "И***в И. И.");
	snprintf(acct.address_masked, sizeof acct.address_masked, "г. Подольск, ул. Л*****, д. 5, кв. **");
	snprintf(acct.period, sizeof acct.period, "2026-10");
	acct.accrued = acct.due = 452316;
	acct.details = true;
	acct.nservices = 2;
	acct.services[0] = (struct account_service){ "hvs", "Холодное водоснабжение", "s2", 51230, 51230 };
	acct.services[1] = (struct account_service){ "otop", "Отопление", "s3", 40000, 40000 };
	acct.nsuppliers = 1;
	acct.suppliers[0] = (struct account_supplier){ "s2", "МУП «Водоканал-Подмосковье»", "5038004564",
						       "+7 (495) 993-40-12", "г. Пушкино" };
	acct.updated_at_ms = 1792454400000LL; /* 2026-10-20 03:00 MSK */
}

static bool has_text(const struct receipt_doc *d, const char *s)
{
	for (size_t i = 0; i < d->n; i++)
		if ((d->items[i].text && strstr(d->items[i].text, s)) || (d->items[i].text2 && strstr(d->items[i].text2, s)))
			return true;
	return false;
}

static const char *qr_of(const struct receipt_doc *d)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->items[i].kind == RDOC_QR)
			return d->items[i].text;
	return NULL;
}

static void test_contents(void **st)
{
	(void)st;
	demo();
	struct receipt_doc d;
	receipt_doc_init(&d);
	assert_int_equal(bill_copy_doc(&d, &cfg, &acct, false, 1795649400000LL), 0);
	assert_true(has_text(&d, "ООО «МосОблЕИРЦ»"));
	assert_true(has_text(&d, "ИНН 5037008735"));
	assert_true(has_text(&d, "50012-345"));
	/* «ул.» and «д.» stay with their values on the paper (U+00A0) */
	assert_true(has_text(&d, "ул.\u00a0Л*****, д.\u00a05"));
	assert_false(has_text(&d, "ул. Л"));
	assert_true(has_text(&d, "октябрь\u00a02026"));
	assert_false(has_text(&d, "10.2026"));
	assert_true(has_text(&d, "Холодное водоснабжение"));
	assert_true(has_text(&d, "Поставщик: МУП «Водоканал-Подмосковье»"));
	assert_true(has_text(&d, "Отопление"));
	assert_true(has_text(&d, "512,30"));
	assert_true(has_text(&d, "ИТОГО К ОПЛАТЕ"));
	assert_false(has_text(&d, "Данные на"));
	const char *qr = qr_of(&d);
	assert_non_null(qr);
	assert_string_equal(qr, "ST00012|Name=ООО «МосОблЕИРЦ»|PersonalAcc=40702810640000012345|BankName=ПАО Сбербанк|"
				"BIC=044525225|CorrespAcc=30101810400000000225|PayeeINN=5037008735|KPP=503701001|"
				"persAcc=50012345|paymPeriod=102026|Sum=452316|");
	static struct epd_bill b;
	assert_int_equal(epd_decode((const uint8_t *)qr, strlen(qr), &b), 0);
	assert_int_equal(epd_check_allowed(&b, cfg.allow, cfg.nallow), 0);
	assert_int_equal(b.sum, 452316);
	receipt_doc_free(&d);
}

static void test_cache_and_refusals(void **st)
{
	(void)st;
	demo();
	struct receipt_doc d;
	receipt_doc_init(&d);
	assert_int_equal(bill_copy_doc(&d, &cfg, &acct, true, 1795649400000LL), 0);
	assert_true(has_text(&d, "Данные на 20.10.2026"));
	receipt_doc_free(&d);

	/* No details (a typed number before the answer): nothing is built. */
	acct.details = false;
	receipt_doc_init(&d);
	assert_int_equal(bill_copy_doc(&d, &cfg, &acct, false, 0), -3);
	assert_int_equal(d.n, 0);
	receipt_doc_free(&d);

	/* The agent's payee unknown to the bank table, or not on the allow-list: no QR. */
	demo();
	snprintf(cfg.allow[0].bic, sizeof cfg.allow[0].bic, "044525999");
	char qr[1024];
	assert_int_equal(bill_copy_qr(&cfg, &acct, qr, sizeof qr), -1);
	receipt_doc_init(&d);
	assert_int_equal(bill_copy_doc(&d, &cfg, &acct, false, 0), 0);
	assert_null(qr_of(&d));
	assert_true(has_text(&d, "QR-код для оплаты недоступен"));
	receipt_doc_free(&d);
	demo();
	cfg.nallow = 0;
	assert_int_equal(bill_copy_qr(&cfg, &acct, qr, sizeof qr), -1);
	/* Nothing due: Sum=0, still a valid code. */
	demo();
	acct.due = -500;
	assert_int_equal(bill_copy_qr(&cfg, &acct, qr, sizeof qr), 0);
	assert_non_null(strstr(qr, "|Sum=0|"));
}

int main(void)
{
	test_zone("Europe/Moscow");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_contents),
		cmocka_unit_test(test_cache_and_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
