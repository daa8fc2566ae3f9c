/* The cashier's printed reports (staff_report.h). */
#include "kiosk/svc/staff_report.h"

#include <stdio.h>
#include <string.h>

#include "kiosk/base/format.h"
#include "kiosk/base/money.h"
#include "kiosk/receipt/receipt.h"
#include "offline/staff.h"

#ifndef KIOSK_VERSION
#define KIOSK_VERSION "unknown" /* the fuzz build compiles the library without it */
#endif
#define TRY(x) do { int rc_ = (x); if (rc_) return rc_; } while (0)

int staff_report_shift(struct receipt_doc *d, const struct config *cfg, bool closing, const char *actor,
		       int64_t opened_ms, const struct journal_payment *p, int n, int64_t now_ms)
{
	char when[32], v[MONEY_FMT_MAX];
	struct staff_total t[STAFF_MAX_SCHEMES];
	int nt = staff_totals(p, n, t, STAFF_MAX_SCHEMES);
	int voided = 0, attention = 0;
	kopecks sum = 0;
	int count = nt < 0 ? -1 : staff_totals_sum(t, nt, &sum);
	for (int i = 0; i < n; i++) {
		voided += p[i].state == JOURNAL_VOIDED;
		attention += p[i].state == JOURNAL_NEEDS_OPERATOR;
	}
	TRY(receipt_doc_text(d, RDOC_CENTER, RDOC_BOLD, cfg->agent_name));
	TRY(receipt_doc_textf(d, RDOC_CENTER, 0, "Терминал %s", cfg->kiosk_id));
	TRY(receipt_doc_separator(d));
	TRY(receipt_doc_text(d, RDOC_CENTER, RDOC_BOLD | RDOC_BIG, closing ? "Z-ОТЧЁТ" : "X-ОТЧЁТ"));
	TRY(receipt_doc_text(d, RDOC_CENTER, 0, closing ? "закрытие смены" : "без закрытия смены"));
	receipt_time(opened_ms, when, sizeof when);
	TRY(receipt_doc_pair(d, 0, "Смена открыта", when));
	receipt_time(now_ms, when, sizeof when);
	TRY(receipt_doc_pair(d, 0, closing ? "Смена закрыта" : "Отчёт на", when));
	TRY(receipt_doc_pair(d, 0, "Кассир", actor));
	TRY(receipt_doc_separator(d));
	for (int i = 0; i < nt; i++) {
		char left[64], sch[32];
		snprintf(left, sizeof left, "%s: %d", fmt_scheme(t[i].scheme, LANG_RU, sch, sizeof sch), t[i].count);
		TRY(receipt_doc_pair(d, 0, left, money_format(t[i].sum, false, v, sizeof v)));
	}
	if (nt == 0)
		TRY(receipt_doc_text(d, RDOC_LEFT, 0, "Оплат не было"));
	TRY(receipt_doc_separator(d));
	if (count < 0) {
		/* a total that would leave payments out is not printed as a total */
		TRY(receipt_doc_text(d, RDOC_LEFT, RDOC_BOLD, "ИТОГО не подсчитано: переполнение суммы"));
	} else {
		char left[64];
		snprintf(left, sizeof left, "ИТОГО оплат: %d", count);
		TRY(receipt_doc_pair(d, RDOC_BOLD, left, money_format(sum, false, v, sizeof v)));
	}
	TRY(receipt_doc_textf(d, RDOC_LEFT, 0, "Отменено кассиром: %d", voided));
	TRY(receipt_doc_textf(d, RDOC_LEFT, 0, "Нужно проверить: %d", attention));
	TRY(receipt_doc_feed(d, 2));
	return receipt_doc_cut(d, true);
}

int staff_report_test_page(struct receipt_doc *d, const struct config *cfg, int64_t now_ms)
{
	char when[32];
	receipt_time(now_ms, when, sizeof when);
	TRY(receipt_doc_logo(d));
	TRY(receipt_doc_text(d, RDOC_CENTER, RDOC_BOLD | RDOC_BIG, "ТЕСТ ПРИНТЕРА"));
	TRY(receipt_doc_textf(d, RDOC_CENTER, 0, "Терминал %s", cfg->kiosk_id));
	TRY(receipt_doc_pair(d, 0, "Дата и время", when));
	TRY(receipt_doc_pair(d, 0, "Версия", KIOSK_VERSION));
	TRY(receipt_doc_separator(d));
	TRY(receipt_doc_text(d, RDOC_LEFT, 0, "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"));
	TRY(receipt_doc_text(d, RDOC_LEFT, 0, "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"));
	TRY(receipt_doc_text(d, RDOC_LEFT, 0, "0123456789 №%()+-=*/ ₽"));
	TRY(receipt_doc_text(d, RDOC_LEFT, RDOC_BOLD, "Жирный шрифт"));
	TRY(receipt_doc_qr(d, cfg->kiosk_id));
	TRY(receipt_doc_feed(d, 2));
	return receipt_doc_cut(d, true);
}

int staff_report_copy(struct receipt_doc *d, const char *text, int reprints)
{
	TRY(receipt_doc_textf(d, RDOC_CENTER, RDOC_BOLD, "КОПИЯ ЧЕКА (%d)", reprints));
	TRY(receipt_doc_separator(d));
	/* The stored text is what was printed, line by line.  Its "[QR] payload" lines were QR
	 * codes (the fiscal receipt's check QR among them) and print as QR codes again; the
	 * logo and cut marks are the original's, not the copy's. */
	while (*text) {
		size_t n = strcspn(text, "\n");
		char line[RDOC_MAX_TEXT];
		snprintf(line, sizeof line, "%.*s", (int)(n < sizeof line - 1 ? n : sizeof line - 1), text);
		if (strncmp(line, "[QR] ", 5) == 0)
			TRY(receipt_doc_qr(d, line + 5));
		else if (strcmp(line, "[logo]") != 0 && strstr(line, "- - - ") != line)
			TRY(receipt_doc_text(d, RDOC_LEFT, 0, line));
		text += n + (text[n] == '\n');
	}
	TRY(receipt_doc_feed(d, 2));
	return receipt_doc_cut(d, true);
}
