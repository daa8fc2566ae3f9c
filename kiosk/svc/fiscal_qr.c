#include "kiosk/svc/fiscal_qr.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static bool time_ok(const char *t)
{
	static const char shape[] = "dddd-dd-ddTdd:dd";
	if (strlen(t) != sizeof shape - 1)
		return false;
	for (size_t i = 0; shape[i]; i++)
		if (shape[i] == 'd' ? !isdigit((unsigned char)t[i]) : t[i] != shape[i])
			return false;
	return true;
}

int fiscal_qr_string(const struct journal_fiscal *f, kopecks total, char *buf, size_t cap)
{
	const char *t = f->doc_time;
	if (f->state != JOURNAL_FISCAL_MADE || !time_ok(t) || total < 0)
		return -1;
	int n = snprintf(buf, cap, "t=%.4s%.2s%.2sT%.2s%.2s&s=%lld.%02lld&fn=%s&i=%u&fp=%u&n=1",
			 t, t + 5, t + 8, t + 11, t + 14, (long long)(total / 100),
			 (long long)(total % 100), f->fn_serial, f->fd, f->fp);
	return n < 0 || (size_t)n >= cap ? -1 : n;
}

/* Takes the trailing feed and cut off d (they have no text to free); says whether it did. */
static bool take_tail(struct receipt_doc *d, int *ret_feed, bool *ret_partial)
{
	if (d->n < 2 || d->items[d->n - 1].kind != RDOC_CUT || d->items[d->n - 2].kind != RDOC_FEED)
		return false;
	*ret_partial = d->items[d->n - 1].n == 1;
	*ret_feed = d->items[d->n - 2].n;
	d->n -= 2;
	return true;
}

#define TRY(x) do { int rc_ = (x); if (rc_) return rc_; } while (0)

int fiscal_qr_receipt(struct receipt_doc *d, const struct journal_fiscal *f, kopecks total)
{
	char qr[160], v[64];
	if (fiscal_qr_string(f, total, qr, sizeof qr) < 0)
		return -1;
	int feed = 0;
	bool partial = false, tail = take_tail(d, &feed, &partial);
	TRY(receipt_doc_separator(d));
	TRY(receipt_doc_text(d, RDOC_CENTER, RDOC_BOLD, "КАССОВЫЙ ЧЕК (54-ФЗ)"));
	TRY(receipt_doc_pair(d, 0, "ФН", f->fn_serial));
	snprintf(v, sizeof v, "%u", f->fd);
	TRY(receipt_doc_pair(d, 0, "ФД", v));
	snprintf(v, sizeof v, "%u", f->fp);
	TRY(receipt_doc_pair(d, 0, "ФП", v));
	snprintf(v, sizeof v, "%d / %d", f->shift_no, f->number);
	TRY(receipt_doc_pair(d, 0, "Смена / чек", v));
	snprintf(v, sizeof v, "%.2s.%.2s.%.4s %.5s", f->doc_time + 8, f->doc_time + 5, f->doc_time,
		 f->doc_time + 11);
	TRY(receipt_doc_pair(d, 0, "Время", v));
	TRY(receipt_doc_text(d, RDOC_CENTER, 0, "Проверить чек: приложение ФНС"));
	TRY(receipt_doc_qr(d, qr));
	if (tail) {
		TRY(receipt_doc_feed(d, feed));
		TRY(receipt_doc_cut(d, partial));
	}
	return 0;
}
