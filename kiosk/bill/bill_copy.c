/* The bill copy (bill_copy.h). */
#include "kiosk/bill/bill_copy.h"

#include <stdio.h>
#include <string.h>

#include "kiosk/bill/epd_encode.h"
#include "kiosk/base/format.h"
#include "kiosk/base/money.h"
#include "kiosk/receipt/receipt.h"
#include "kiosk/base/tz.h"


/* Payee details the configuration does not carry (docs/demo.md, The payee): the KPP and the
 * bank's name and correspondent account, keyed by the payee's INN and BIC. */
static const struct bill_payee payees[] = {
	{ .inn = "5037008735", .kpp = "503701001", .bic = "044525225", .bank_name = "ПАО Сбербанк",
	  .corresp_acc = "30101810400000000225" },
};

const struct bill_payee *bill_payee_find(const char *inn, const char *bic)
{
	for (size_t i = 0; i < sizeof payees / sizeof payees[0]; i++)
		if (strcmp(payees[i].inn, inn) == 0 && strcmp(payees[i].bic, bic) == 0)
			return &payees[i];
	return NULL;
}

static const struct config_allow *agent_allow(const struct config *cfg)
{
	for (int i = 0; i < cfg->nallow; i++)
		if (strcmp(cfg->allow[i].inn, cfg->agent_inn) == 0)
			return &cfg->allow[i];
	return NULL;
}

int bill_copy_qr(const struct config *cfg, const struct account *a, char *out, size_t cap)
{
	const struct config_allow *al = agent_allow(cfg);
	const struct bill_payee *p = al ? bill_payee_find(al->inn, al->bic) : NULL;
	if (!p)
		return -1;
	struct epd_payment e = {
		.name = cfg->agent_name, .personal_acc = al->account, .bank_name = p->bank_name, .bic = al->bic,
		.corresp_acc = p->corresp_acc, .payee_inn = al->inn, .kpp = p->kpp, .pers_acc = a->pers_acc,
		.period = a->period[0] ? a->period : NULL, .sum = a->due > 0 ? a->due : 0,
	};
	return epd_encode(&e, out, cap) > 0 ? 0 : -1;
}

static const char *rub(kopecks v, char *buf)
{
	return money_format(v, false, buf, MONEY_FMT_MAX);
}

/* "2026-10" -> "10.2026" (as the bill prints it). */
static const struct account_supplier *supplier(const struct account *a, const char *id)
{
	for (int i = 0; i < a->nsuppliers; i++)
		if (strcmp(a->suppliers[i].id, id) == 0)
			return &a->suppliers[i];
	return NULL;
}

#define TRY(x) do { int rc_ = (x); if (rc_) return rc_; } while (0)

static int services(struct receipt_doc *d, const struct account *a)
{
	char v[MONEY_FMT_MAX];
	TRY(receipt_doc_text(d, RDOC_LEFT, RDOC_BOLD, "Начисления по услугам"));
	for (int i = 0; i < a->nservices; i++) {
		const struct account_service *s = &a->services[i];
		const struct account_supplier *sp = supplier(a, s->supplier_id);
		TRY(receipt_doc_text(d, RDOC_LEFT, RDOC_BOLD, s->name));
		if (sp) {
			TRY(receipt_doc_textf(d, RDOC_LEFT, 0, "Поставщик: %s", sp->name));
			char ph[64];
			TRY(receipt_doc_textf(d, RDOC_LEFT, 0, "ИНН %s, тел. %s", sp->inn, fmt_phone(sp->phone, ph, sizeof ph)));
		}
		TRY(receipt_doc_pair(d, 0, "Начислено", rub(s->accrued, v)));
		TRY(receipt_doc_pair(d, 0, "К оплате", rub(s->due, v)));
	}
	return 0;
}

int bill_copy_doc(struct receipt_doc *d, const struct config *cfg, const struct account *a, bool from_cache,
		  int64_t now_ms)
{
	char v[MONEY_FMT_MAX], acc[24], per[48], when[32], qr[1024], text[sizeof a->address_masked * 2];
	if (!a->details)
		return -3; /* nothing personal without the bill or the control answer */
	TRY(receipt_doc_logo(d));
	TRY(receipt_doc_text(d, RDOC_CENTER, RDOC_BOLD, "КОПИЯ ЕДИНОГО ПЛАТЁЖНОГО ДОКУМЕНТА"));
	TRY(receipt_doc_text(d, RDOC_CENTER, 0, "выдана терминалом по запросу плательщика"));
	TRY(receipt_doc_separator(d));
	TRY(receipt_doc_text(d, RDOC_LEFT, RDOC_BOLD, "Получатель платежа"));
	TRY(receipt_doc_text(d, RDOC_LEFT, 0, cfg->agent_name));
	TRY(receipt_doc_textf(d, RDOC_LEFT, 0, "ИНН %s", cfg->agent_inn));
	TRY(receipt_doc_separator(d));
	TRY(receipt_doc_pair(d, RDOC_BOLD, "Лицевой счёт", fmt_pers_acc(a->pers_acc, acc, sizeof acc)));
	if (a->owner_masked[0])
		TRY(receipt_doc_pair(d, 0, "Плательщик", a->owner_masked));
	if (a->address_masked[0])
		TRY(receipt_doc_textf(d, RDOC_LEFT, 0, "Адрес: %s", fmt_nbsp(a->address_masked, text, sizeof text)));
	TRY(receipt_doc_pair(d, 0, "Расчётный период", a->period[0] ? fmt_period(a->period, LANG_RU, per, sizeof per) : "-"));
	if (from_cache) {
		tz_fmt_date(a->updated_at_ms, when, sizeof when);
		TRY(receipt_doc_textf(d, RDOC_LEFT, RDOC_BOLD, "Данные на %s (нет связи с расчётным центром)", when));
	}
	TRY(receipt_doc_separator(d));
	TRY(services(d, a));
	TRY(receipt_doc_separator(d));
	TRY(receipt_doc_pair(d, 0, "Начислено за период", rub(a->accrued, v)));
	TRY(receipt_doc_pair(d, 0, "Оплачено", rub(a->paid, v)));
	TRY(receipt_doc_pair(d, 0, "Задолженность", rub(a->debt, v)));
	TRY(receipt_doc_pair(d, RDOC_BOLD | RDOC_BIG, "ИТОГО К ОПЛАТЕ", rub(a->due > 0 ? a->due : 0, v)));
	TRY(receipt_doc_separator(d));
	if (bill_copy_qr(cfg, a, qr, sizeof qr) == 0) {
		TRY(receipt_doc_text(d, RDOC_CENTER, 0, "QR-код для оплаты (ГОСТ Р 56042-2014)"));
		TRY(receipt_doc_qr(d, qr));
	} else {
		TRY(receipt_doc_text(d, RDOC_CENTER, 0, "QR-код для оплаты недоступен"));
	}
	receipt_time(now_ms, when, sizeof when);
	TRY(receipt_doc_pair(d, 0, "Напечатано", when));
	TRY(receipt_doc_textf(d, RDOC_CENTER, 0, "Терминал %s", cfg->kiosk_id));
	TRY(receipt_doc_textf(d, RDOC_CENTER, 0, "Вопросы: %s", fmt_phone(cfg->agent_phone, text, sizeof text)));
	TRY(receipt_doc_feed(d, 2));
	TRY(receipt_doc_cut(d, false));
	return 0;
}
