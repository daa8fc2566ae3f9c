/* Account history: the local query over the journal and the outbox (which payments count,
 * acked or not, the server_ref), the merge with the center's list (dedup by server_ref and
 * by txn id, in-transit and under-review rows, offline), ordering, the period filter and
 * its month arithmetic in Moscow time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/svc/payhist_merge.h"
#include "offline/history.h"
#include "offline/journal.h"
#include "offline/journal_fiscal.h"
#include "offline/outbox.h"
#include "offline/store.h"
#include "offline/store_internal.h"
#include "tests/lib/test_tmp.h"
#include "tests/lib/test_zone.h"

static char dir[TEST_TMP_DIR_LEN];
static char path[TEST_TMP_PATH_LEN];

static int setup(void **state)
{
	test_tmp_dir("test_payhist", dir, path);
	struct store *s = NULL;
	assert_int_equal(store_open(path, &s), STORE_OK);
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	store_close(*state);
	return test_tmp_remove(dir);
}

static struct journal_line line(const char *acc, kopecks amount)
{
	struct journal_line l = { .amount = amount };
	snprintf(l.pers_acc, sizeof l.pers_acc, "%s", acc);
	snprintf(l.period, sizeof l.period, "2026-10");
	snprintf(l.payee_inn, sizeof l.payee_inn, "5037008735");
	snprintf(l.payee_name, sizeof l.payee_name, "ООО «МосОблЕИРЦ»");
	return l;
}

/* A payment taken to RECORDED (and CONFIRMED when confirm). */
static void pay(struct store *s, const struct journal_line *l, int n, int64_t at, bool confirm, char id[33])
{
	struct journal_card c = { .entry_mode = 7 };
	snprintf(c.masked_pan, sizeof c.masked_pan, "220012******1234");
	assert_int_equal(journal_begin(s, l, n, at, id), STORE_OK);
	assert_int_equal(journal_authorize(s, id, &c, at + 1), STORE_OK);
	assert_int_equal(journal_record(s, id, false, at + 2), STORE_OK);
	if (confirm)
		assert_int_equal(journal_move(s, id, JOURNAL_CONFIRMED, NULL, at + 3), STORE_OK);
}

static void ack(struct store *s, const char *id, enum outbox_disposition d, const char *ref)
{
	struct outbox_batch b;
	assert_int_equal(outbox_next_batch(s, 100, 1 << 20, &b), STORE_OK);
	uint8_t key[16];
	assert_true(store_unhex(id, key, 16));
	bool found = false;
	for (int i = 0; i < b.n; i++) {
		if (memcmp(b.recs[i].idem_key, key, 16) != 0)
			continue;
		struct outbox_result r = { .seq = b.recs[i].seq, .disposition = d };
		memcpy(r.idem_key, key, 16);
		snprintf(r.server_ref, sizeof r.server_ref, "%s", ref);
		/* Acks apply in order: everything before this record is acked too (as the center
		 * does), so tests ack oldest first. */
		assert_int_equal(outbox_apply_results(s, &r, 1, 9999), STORE_OK);
		found = true;
	}
	outbox_batch_free(&b);
	assert_true(found);
}

static void test_local_rows(void **state)
{
	struct store *s = *state;
	char a[33], b[33], c[33], d[33], e[33];
	struct journal_line mine = line("50012345", 452316), other = line("50098765", 121000);
	struct journal_line both[2] = { line("50098765", 5000), line("50012345", 7000) };
	pay(s, &mine, 1, 1000, true, a);      /* confirmed, will be acked */
	pay(s, both, 2, 2000, true, b);       /* a basket with two accounts */
	pay(s, &other, 1, 3000, true, c);     /* another account */
	pay(s, &mine, 1, 4000, false, d);     /* RECORDED only: the money was taken */
	/* Declined and unfinished rows never show. */
	assert_int_equal(journal_begin(s, &mine, 1, 5000, e), STORE_OK);
	assert_int_equal(journal_move(s, e, JOURNAL_DECLINED, "05", 5001), STORE_OK);
	char f[33];
	assert_int_equal(journal_begin(s, &mine, 1, 6000, f), STORE_OK);
	ack(s, a, OUTBOX_CREATED, "L-1");

	struct history_local_row r[8];
	int n = history_local(s, "50012345", 0, r, 8);
	assert_int_equal(n, 3);
	/* Newest first. */
	assert_string_equal(r[0].txn_id, d);
	assert_int_equal(r[0].amount, 452316);
	assert_false(r[0].acked);
	assert_string_equal(r[0].server_ref, "");
	assert_string_equal(r[1].txn_id, b);
	assert_int_equal(r[1].amount, 7000); /* only this account's line */
	assert_int_equal(r[1].created_ms, 2000);
	assert_false(r[1].acked);
	assert_string_equal(r[2].txn_id, a);
	assert_true(r[2].acked);
	assert_string_equal(r[2].disposition, "created");
	assert_string_equal(r[2].server_ref, "L-1");
	assert_string_equal(r[2].period, "2026-10");

	/* from_ms and cap. */
	assert_int_equal(history_local(s, "50012345", 2000, r, 8), 2);
	assert_int_equal(history_local(s, "50012345", 0, r, 1), 1);
	assert_string_equal(r[0].txn_id, d);
	assert_int_equal(history_local(s, "11111111", 0, r, 8), 0);
	assert_int_equal(history_local(s, "", 0, r, 8), STORE_EINVAL);
}

static struct cjson_payment cp(int64_t at, kopecks amount, const char *source, const char *status, const char *ref)
{
	struct cjson_payment p = { .date_ms = at, .amount = amount };
	snprintf(p.period, sizeof p.period, "2026-10");
	snprintf(p.source, sizeof p.source, "%s", source);
	snprintf(p.status, sizeof p.status, "%s", status);
	snprintf(p.ref, sizeof p.ref, "%s", ref);
	return p;
}

static struct history_local_row lr(const char *id, int64_t at, kopecks amount, bool acked, const char *disp,
				    const char *ref)
{
	struct history_local_row r = { .created_ms = at, .amount = amount, .acked = acked };
	snprintf(r.txn_id, sizeof r.txn_id, "%s", id);
	snprintf(r.period, sizeof r.period, "2026-10");
	snprintf(r.disposition, sizeof r.disposition, "%s", disp);
	snprintf(r.server_ref, sizeof r.server_ref, "%s", ref);
	return r;
}

#define ID1 "11111111111111111111111111111111"
#define ID2 "22222222222222222222222222222222"
#define ID3 "33333333333333333333333333333333"
#define ID4 "44444444444444444444444444444444"

static void test_merge_online(void **state)
{
	(void)state;
	static struct cjson_payments c;
	memset(&c, 0, sizeof c);
	c.p[c.n++] = cp(100, 438015, "bank", "accepted", "B-71120");
	c.p[c.n++] = cp(300, 452316, "kiosk", "accepted", "L-9");     /* ours, acked as L-9 */
	c.p[c.n++] = cp(250, 1000, "kiosk", "credited", "L-7");       /* another kiosk's */
	c.p[c.n++] = cp(200, 5000, "office", "returned", "B-2");
	c.p[c.n++] = cp(350, 777, "bank", "accepted", ID4);           /* a center that echoes the txn id */
	struct history_local_row l[4] = {
		lr(ID1, 400, 2500, false, "", ""),                  /* not yet delivered */
		lr(ID2, 300, 452316, true, "created", "L-9"),        /* = the center's L-9 */
		lr(ID3, 50, 100, true, "rejected", "R-1"),           /* quarantined by the center */
		lr(ID4, 350, 777, false, "", ""),                    /* listed by txn id already */
	};
	static struct payhist h;
	payhist_merge(&c, l, 4, &h);
	assert_true(h.online);
	assert_int_equal(h.n, 7); /* 5 center + ID1 + ID3; ID2 and ID4 deduplicated */
	int64_t want_at[] = { 400, 350, 300, 250, 200, 100, 50 };
	for (int i = 0; i < h.n; i++)
		assert_int_equal(h.e[i].date_ms, want_at[i]);
	assert_int_equal(h.e[0].status, PAYHIST_IN_TRANSIT);
	assert_int_equal(h.e[0].where, PAYHIST_HERE);
	assert_string_equal(h.e[0].ref, ID1);
	assert_int_equal(h.e[1].where, PAYHIST_HERE);
	assert_int_equal(h.e[1].status, PAYHIST_ACCEPTED);
	assert_int_equal(h.e[2].where, PAYHIST_HERE);
	assert_int_equal(h.e[2].status, PAYHIST_ACCEPTED);
	assert_string_equal(h.e[2].ref, "L-9");
	assert_int_equal(h.e[3].where, PAYHIST_KIOSK);
	assert_int_equal(h.e[3].status, PAYHIST_CREDITED);
	assert_int_equal(h.e[4].where, PAYHIST_OFFICE);
	assert_int_equal(h.e[4].status, PAYHIST_RETURNED);
	assert_int_equal(h.e[5].where, PAYHIST_BANK);
	assert_int_equal(h.e[5].amount, 438015);
	assert_int_equal(h.e[6].status, PAYHIST_REVIEW);
	assert_int_equal(h.e[6].where, PAYHIST_HERE);
}

/* One center entry deduplicates at most one local row: two equal refs are two payments. */
static void test_merge_dedup_once(void **state)
{
	(void)state;
	static struct cjson_payments c;
	memset(&c, 0, sizeof c);
	c.p[c.n++] = cp(300, 100, "kiosk", "accepted", "L-1");
	struct history_local_row l[2] = { lr(ID1, 300, 100, true, "created", "L-1"),
					  lr(ID2, 310, 100, true, "duplicate", "L-1") };
	static struct payhist h;
	payhist_merge(&c, l, 2, &h);
	assert_int_equal(h.n, 2);
	assert_string_equal(h.e[0].ref, ID2);
	assert_int_equal(h.e[0].status, PAYHIST_ACCEPTED);
	assert_string_equal(h.e[1].ref, "L-1");
	/* Unknown words from the center are kept visible, not dropped. */
	c.p[0] = cp(300, 100, "post", "whatever", "X-1");
	payhist_merge(&c, NULL, 0, &h);
	assert_int_equal(h.n, 1);
	assert_int_equal(h.e[0].where, PAYHIST_OTHER);
	assert_int_equal(h.e[0].status, PAYHIST_UNKNOWN);
}

static void test_merge_offline(void **state)
{
	(void)state;
	struct history_local_row l[2] = { lr(ID1, 100, 2500, true, "created", "L-1"), lr(ID2, 200, 300, false, "", "") };
	static struct payhist h;
	payhist_merge(NULL, l, 2, &h);
	assert_false(h.online);
	assert_int_equal(h.n, 2);
	assert_string_equal(h.e[0].ref, ID2);
	assert_int_equal(h.e[0].status, PAYHIST_IN_TRANSIT);
	assert_string_equal(h.e[1].ref, ID1);
	assert_int_equal(h.e[1].status, PAYHIST_ACCEPTED);
	payhist_merge(NULL, NULL, 0, &h);
	assert_int_equal(h.n, 0);
}

/* More than PAYHIST_MAX: the newest are kept. */
static void test_merge_cap(void **state)
{
	(void)state;
	static struct cjson_payments c;
	memset(&c, 0, sizeof c);
	for (int i = 0; i < CJSON_MAX_HISTORY; i++)
		c.p[c.n++] = cp(1000 + i, 100, "bank", "accepted", "B");
	static struct history_local_row l[40];
	for (int i = 0; i < 40; i++) {
		char id[33];
		snprintf(id, sizeof id, "%032d", i);
		l[i] = lr(id, 2000 + i, 1, false, "", "");
	}
	static struct payhist h;
	payhist_merge(&c, l, 40, &h);
	assert_int_equal(h.n, PAYHIST_MAX);
	assert_int_equal(h.e[0].date_ms, 2039);
	assert_int_equal(h.e[PAYHIST_MAX - 1].date_ms, 1000 + CJSON_MAX_HISTORY - (PAYHIST_MAX - 40));
}

/* 2026-11-25 23:30 UTC is 2026-11-26 02:30 in Moscow. */
#define NOW 1795649400000LL

static void test_period_filter(void **state)
{
	(void)state;
	char m[8];
	payhist_from_month(NOW, 12, m);
	assert_string_equal(m, "2025-12");
	payhist_from_month(NOW, 3, m);
	assert_string_equal(m, "2026-09");
	payhist_from_month(NOW, 1, m);
	assert_string_equal(m, "2026-11");
	/* 1 September 2026 00:00 MSK = 31 August 21:00 UTC. */
	assert_int_equal(payhist_since_ms(NOW, 3), 1788210000000LL);
	assert_int_equal(payhist_since_ms(NOW, 12), 1764536400000LL); /* 2025-12-01 00:00 MSK */
	/* Across a year boundary: January 2027 minus 6 months is August 2026. */
	payhist_from_month(1799010000000LL /* 2027-01-03 */, 6, m);
	assert_string_equal(m, "2026-08");

	static struct payhist h;
	memset(&h, 0, sizeof h);
	int64_t dates[] = { NOW - 1000, 1789000000000LL /* 2026-09-10 */, 1788209999999LL, 1770000000000LL };
	for (int i = 0; i < 4; i++)
		h.e[h.n++] = (struct payhist_entry){ .date_ms = dates[i], .amount = i + 1 };
	int idx[8];
	assert_int_equal(payhist_filter(&h, payhist_since_ms(NOW, 3), idx, 8), 2);
	assert_int_equal(idx[0], 0);
	assert_int_equal(idx[1], 1);
	assert_int_equal(payhist_filter(&h, payhist_since_ms(NOW, 6), idx, 8), 3);
	assert_int_equal(payhist_filter(&h, payhist_since_ms(NOW, 12), idx, 8), 4);
	assert_int_equal(payhist_filter(&h, payhist_since_ms(NOW, 12), idx, 1), 1);
}

/* The merge over real store rows: a payment shown as in transit, then once acked and
 * listed by the center, shown once as accepted. */
/* A payment made here with its fiscal receipt: the local row carries the receipt's drive,
 * FD and FP, and the history entry its line, whether the center lists it or not; a payment
 * without a receipt has none. */
static void test_fiscal_attributes(void **state)
{
	struct store *s = *state;
	char with[33], without[33];
	struct journal_line l = line("50012345", 452316);
	struct journal_card c = { .entry_mode = 7 };
	snprintf(c.masked_pan, sizeof c.masked_pan, "220012******1234");
	assert_int_equal(journal_begin(s, &l, 1, 1000, with), STORE_OK);
	assert_int_equal(journal_authorize(s, with, &c, 1001), STORE_OK);
	struct journal_fiscal f = { .state = JOURNAL_FISCAL_MADE, .fd0 = 1, .fd = 2, .fp = 3235333502u,
				    .doc_time = "2026-11-20T10:00", .shift_no = 1, .number = 1 };
	snprintf(f.fn_serial, sizeof f.fn_serial, "9999078900007903");
	assert_int_equal(journal_record_fiscal(s, with, false, &f, 1002), STORE_OK);
	pay(s, &l, 1, 2000, true, without);
	struct history_local_row r[4];
	assert_int_equal(history_local(s, "50012345", 0, r, 4), 2);
	assert_string_equal(r[1].txn_id, with);
	assert_string_equal(r[1].fn_serial, "9999078900007903");
	assert_int_equal(r[1].fd, 2);
	assert_int_equal(r[1].fp, 3235333502u);
	assert_string_equal(r[0].fn_serial, "");
	assert_int_equal(r[0].fd, 0);
	static struct payhist h;
	payhist_merge(NULL, r, 2, &h); /* offline: the local rows */
	assert_int_equal(h.n, 2);
	assert_string_equal(h.e[1].fiscal, "ФН 9999078900007903 · ФД 2 · ФП 3235333502");
	assert_string_equal(h.e[0].fiscal, "");
	static struct cjson_payments center = { .n = 1 };
	center.p[0].date_ms = 1000;
	center.p[0].amount = 452316;
	snprintf(center.p[0].ref, sizeof center.p[0].ref, "%s", with);
	snprintf(center.p[0].source, sizeof center.p[0].source, "kiosk");
	snprintf(center.p[0].status, sizeof center.p[0].status, "accepted");
	payhist_merge(&center, r, 2, &h); /* the center's entry is ours: the same line */
	assert_int_equal(h.n, 2);
	assert_int_equal(h.e[1].where, PAYHIST_HERE);
	assert_string_equal(h.e[1].fiscal, "ФН 9999078900007903 · ФД 2 · ФП 3235333502");
}

static void test_store_then_center(void **state)
{
	struct store *s = *state;
	char a[33];
	struct journal_line mine = line("50012345", 452316);
	pay(s, &mine, 1, 1795600000000LL, true, a);
	struct history_local_row r[4];
	int n = history_local(s, "50012345", 0, r, 4);
	assert_int_equal(n, 1);
	static struct cjson_payments c;
	memset(&c, 0, sizeof c);
	c.p[c.n++] = cp(1792578000000LL, 441000, "bank", "accepted", "B-73415");
	static struct payhist h;
	payhist_merge(&c, r, n, &h);
	assert_int_equal(h.n, 2);
	assert_int_equal(h.e[0].status, PAYHIST_IN_TRANSIT);
	ack(s, a, OUTBOX_CREATED, "L-88001");
	n = history_local(s, "50012345", 0, r, 4);
	c.p[c.n++] = cp(1795600000000LL, 452316, "kiosk", "accepted", "L-88001");
	payhist_merge(&c, r, n, &h);
	assert_int_equal(h.n, 2);
	assert_int_equal(h.e[0].status, PAYHIST_ACCEPTED);
	assert_int_equal(h.e[0].where, PAYHIST_HERE);
	assert_string_equal(h.e[0].ref, "L-88001");
	assert_int_equal(h.e[1].where, PAYHIST_BANK);
}

int main(void)
{
	test_zone("Europe/Moscow");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_local_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fiscal_attributes, setup, teardown),
		cmocka_unit_test(test_merge_online),
		cmocka_unit_test(test_merge_dedup_once),
		cmocka_unit_test(test_merge_offline),
		cmocka_unit_test(test_merge_cap),
		cmocka_unit_test(test_period_filter),
		cmocka_unit_test_setup_teardown(test_store_then_center, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
