#include "kiosk/receipt/receipt.h"

#include <stdio.h>
#include <string.h>

#include "kiosk/base/format.h"
#include "kiosk/base/money.h"
#include "kiosk/base/tz.h"

void receipt_time(int64_t utc_ms, char *buf, int cap)
{
	tz_fmt_datetime(utc_ms, buf, (size_t)cap);
}

static const char *rub(kopecks v, char *buf)
{
	return money_format(v, false, buf, MONEY_FMT_MAX);
}

#define TRY(x) do { int rc_ = (x); if (rc_) return rc_; } while (0)

static int header(struct receipt_doc *d, const struct config *cfg, const char *title, int64_t now_ms)
{
	char when[32];
	TRY(receipt_doc_logo(d));
	TRY(receipt_doc_text(d, RDOC_CENTER, RDOC_BOLD, cfg->agent_name));
	TRY(receipt_doc_textf(d, RDOC_CENTER, 0, "ИНН %s", cfg->agent_inn));
	char addr[sizeof cfg->address * 2];
	TRY(receipt_doc_text(d, RDOC_CENTER, 0, fmt_nbsp(cfg->address, addr, sizeof addr)));
	TRY(receipt_doc_textf(d, RDOC_CENTER, 0, "Терминал %s", cfg->kiosk_id));
	TRY(receipt_doc_separator(d));
	TRY(receipt_doc_text(d, RDOC_CENTER, RDOC_BOLD, title));
	receipt_time(now_ms, when, sizeof when);
	TRY(receipt_doc_pair(d, 0, "Дата и время", when));
	return 0;
}

int receipt_payment(struct receipt_doc *d, const struct config *cfg, const struct journal_payment *p, int64_t now_ms)
{
	char v[MONEY_FMT_MAX], acc[24], per[48], scheme[32], phone[64];
	TRY(header(d, cfg, "ОПЛАТА ЖКУ", now_ms));
	TRY(receipt_doc_separator(d));
	for (int i = 0; i < p->nlines; i++) {
		const struct journal_line *l = &p->lines[i];
		TRY(receipt_doc_pair(d, RDOC_BOLD, fmt_pers_acc(l->pers_acc, acc, sizeof acc), rub(l->amount, v)));
		TRY(receipt_doc_textf(d, RDOC_LEFT, 0, "Расчётный период: %s",
				      l->period[0] ? fmt_period(l->period, LANG_RU, per, sizeof per) : "-"));
		TRY(receipt_doc_textf(d, RDOC_LEFT, 0, "Получатель: %s", l->payee_name[0] ? l->payee_name : cfg->agent_name));
		TRY(receipt_doc_textf(d, RDOC_LEFT, 0, "ИНН получателя %s", l->payee_inn));
	}
	TRY(receipt_doc_separator(d));
	TRY(receipt_doc_pair(d, 0, "Комиссия", "0,00"));
	TRY(receipt_doc_pair(d, RDOC_BOLD | RDOC_BIG, "ИТОГО", rub(p->total, v)));
	TRY(receipt_doc_separator(d));
	const struct journal_card *c = &p->card;
	TRY(receipt_doc_pair(d, 0, "Оплата картой", c->scheme[0] ? fmt_scheme(c->scheme, LANG_RU, scheme, sizeof scheme) : "-"));
	TRY(receipt_doc_pair(d, 0, "Карта", c->masked_pan[0] ? c->masked_pan : "-"));
	TRY(receipt_doc_pair(d, 0, "Код авторизации", c->auth_code));
	TRY(receipt_doc_pair(d, 0, "RRN", c->rrn));
	TRY(receipt_doc_pair(d, 0, "Терминал (TID)", c->tid));
	if (c->slip[0]) {
		/* The PIN-pad's own slip, verbatim, line by line. */
		TRY(receipt_doc_separator(d));
		const char *s = c->slip;
		while (*s) {
			size_t n = strcspn(s, "\n");
			char line[RDOC_MAX_TEXT];
			snprintf(line, sizeof line, "%.*s", (int)(n < sizeof line - 1 ? n : sizeof line - 1), s);
			TRY(receipt_doc_text(d, RDOC_LEFT, 0, line));
			s += n + (s[n] == '\n');
		}
	}
	TRY(receipt_doc_separator(d));
	TRY(receipt_doc_text(d, RDOC_CENTER, 0, "Номер операции"));
	TRY(receipt_doc_text(d, RDOC_CENTER, 0, p->txn_id));
	TRY(receipt_doc_qr(d, p->txn_id));
	TRY(receipt_doc_textf(d, RDOC_CENTER, 0, "Вопросы: %s", fmt_phone(cfg->agent_phone, phone, sizeof phone)));
	TRY(receipt_doc_feed(d, 2));
	TRY(receipt_doc_cut(d, false));
	return 0;
}

int receipt_readings(struct receipt_doc *d, const struct config *cfg, const char *pers_acc,
		     const struct receipt_reading *r, int n, int64_t now_ms)
{
	char acc[24];
	TRY(header(d, cfg, "ПОКАЗАНИЯ ПРИБОРОВ УЧЁТА", now_ms));
	TRY(receipt_doc_pair(d, RDOC_BOLD, "Лицевой счёт", fmt_pers_acc(pers_acc, acc, sizeof acc)));
	TRY(receipt_doc_separator(d));
	for (int i = 0; i < n; i++) {
		const struct account_meter *m = r[i].meter;
		char num[32], v[48];
		snprintf(v, sizeof v, "%s %s", fmt_reading(r[i].value_milli, m->decimals, num, sizeof num), m->unit);
		TRY(receipt_doc_text(d, RDOC_LEFT, RDOC_BOLD, m->name));
		TRY(receipt_doc_pair(d, 0, m->serial, v));
		TRY(receipt_doc_textf(d, RDOC_LEFT, 0, "Номер передачи %.16s", r[i].key_hex));
	}
	TRY(receipt_doc_separator(d));
	TRY(receipt_doc_text(d, RDOC_CENTER, 0, "Показания приняты терминалом и будут"));
	TRY(receipt_doc_text(d, RDOC_CENTER, 0, "переданы в расчётный центр."));
	TRY(receipt_doc_feed(d, 2));
	TRY(receipt_doc_cut(d, false));
	return 0;
}

int receipt_notice(struct receipt_doc *d, const struct config *cfg, const struct journal_payment *p,
		   const char *op_number, int64_t now_ms)
{
	char v[MONEY_FMT_MAX], acc[24];
	TRY(header(d, cfg, "ОПЛАТА НЕ ЗАВЕРШЕНА", now_ms));
	TRY(receipt_doc_separator(d));
	for (int i = 0; i < p->nlines; i++) {
		const struct journal_line *l = &p->lines[i];
		TRY(receipt_doc_pair(d, 0, fmt_pers_acc(l->pers_acc, acc, sizeof acc), rub(l->amount, v)));
	}
	TRY(receipt_doc_pair(d, RDOC_BOLD, "Сумма", rub(p->total, v)));
	if (p->card.masked_pan[0])
		TRY(receipt_doc_pair(d, 0, "Карта", p->card.masked_pan));
	TRY(receipt_doc_pair(d, RDOC_BOLD, "Номер операции", op_number));
	TRY(receipt_doc_separator(d));
	/* Short lines: the printer does not wrap. */
	TRY(receipt_doc_text(d, RDOC_LEFT, 0, "Оплата не завершена."));
	TRY(receipt_doc_text(d, RDOC_LEFT, 0, "Банк может некоторое время"));
	TRY(receipt_doc_text(d, RDOC_LEFT, 0, "удерживать эту сумму на карте."));
	TRY(receipt_doc_text(d, RDOC_LEFT, 0, "Не платите повторно, пока"));
	TRY(receipt_doc_text(d, RDOC_LEFT, 0, "кассир не проверит операцию."));
	TRY(receipt_doc_text(d, RDOC_LEFT, 0, "Обратитесь к кассиру или"));
	char phone[48];
	TRY(receipt_doc_textf(d, RDOC_LEFT, 0, "позвоните: %s", fmt_phone(cfg->contact_phone, phone, sizeof phone)));
	TRY(receipt_doc_text(d, RDOC_LEFT, 0, "и назовите номер операции."));
	TRY(receipt_doc_separator(d));
	TRY(receipt_doc_text(d, RDOC_CENTER, 0, p->txn_id));
	TRY(receipt_doc_feed(d, 2));
	TRY(receipt_doc_cut(d, false));
	return 0;
}
