/* The meter readings history: the pure merge of the center's readings with this kiosk's
 * submissions (dedup by meter, value and day in either calendar, in transit vs acked,
 * offline, the window's start, capacity, ordering), the per-meter period filter, the date
 * parser's malformed inputs, and the flow screen (proof, late answers, period, wipe). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "kiosk/flow/flow.h"
#include "kiosk/svc/rdhist_merge.h"
#include "tests/lib/test_zone.h"

#define H (3600 * (int64_t)1000)

/* UTC ms of the given UTC date and hour. */
static int64_t utc(int y, int m, int d, int h)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = h };
	return (int64_t)timegm(&tm) * 1000;
}

static void center_add(struct cjson_readings *c, const char *meter, const char *date, int64_t v, const char *source,
		       const char *status)
{
	struct cjson_reading *r = &c->r[c->n++];
	snprintf(r->meter_id, sizeof r->meter_id, "%s", meter);
	snprintf(r->date, sizeof r->date, "%s", date);
	r->value_milli = v;
	snprintf(r->source, sizeof r->source, "%s", source);
	snprintf(r->status, sizeof r->status, "%s", status);
}

static struct rdhist_local local_row(const char *meter, int64_t v, int64_t at, bool acked)
{
	struct rdhist_local l = { .value_milli = v, .submitted_ms = at, .acked = acked };
	snprintf(l.meter_id, sizeof l.meter_id, "%s", meter);
	return l;
}

static struct cjson_readings center;
static struct rdhist h;

static void test_day_ms(void **st)
{
	(void)st;
	assert_int_equal(rdhist_day_ms("2026-10-20"), utc(2026, 10, 20, 0) - 3 * H);
	assert_int_equal(rdhist_day_ms("1970-01-02"), utc(1970, 1, 2, 0) - 3 * H);
	static const char *const bad[] = { "", "2026-1-20", "2026-10-2", "2026-13-01", "2026-00-10", "2026-10-00",
					   "2026-10-32", "abcd-10-20", "2026/10/20", "2026-10-20x", "1969-12-31",
					   "20261020", "2026-1a-20" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(rdhist_day_ms(bad[i]), -1);
}

static void test_status_parse(void **st)
{
	(void)st;
	assert_int_equal(rdhist_status_parse("accepted"), RDHIST_ACCEPTED);
	assert_int_equal(rdhist_status_parse("suspect_decrease"), RDHIST_SUSPECT_DECREASE);
	assert_int_equal(rdhist_status_parse("suspect_jump"), RDHIST_SUSPECT_JUMP);
	assert_int_equal(rdhist_status_parse("superseded"), RDHIST_SUPERSEDED);
	assert_int_equal(rdhist_status_parse("Accepted"), RDHIST_UNKNOWN);
	assert_int_equal(rdhist_status_parse(""), RDHIST_UNKNOWN);
}

/* Offline: local rows only; unacked in transit, acked accepted; newest first. */
static void test_offline_local_only(void **st)
{
	(void)st;
	struct rdhist_local l[] = {
		local_row("m1", 125000, utc(2026, 11, 26, 9), false),
		local_row("m1", 123456, utc(2026, 10, 20, 9), true),
		local_row("m2", 45120, utc(2026, 10, 21, 9), true),
	};
	memset(&h, 0x5a, sizeof h);
	rdhist_merge(NULL, l, 3, utc(2025, 12, 1, 0) - 3 * H, &h);
	assert_false(h.online);
	assert_int_equal(h.n, 3);
	assert_string_equal(h.e[0].meter_id, "m1");
	assert_int_equal(h.e[0].value_milli, 125000);
	assert_int_equal(h.e[0].status, RDHIST_IN_TRANSIT);
	assert_int_equal(h.e[0].source, RDHIST_HERE);
	assert_string_equal(h.e[1].meter_id, "m2");
	assert_int_equal(h.e[1].status, RDHIST_ACCEPTED);
	assert_int_equal(h.e[2].value_milli, 123456);
	assert_int_equal(h.e[2].date_ms, utc(2026, 10, 20, 9));
}

/* Online: the center's readings, one of them ours (shown once, as ours, with the center's
 * status and our exact time), plus our unacked reading the center does not list yet. */
static void test_online_merge_dedup(void **st)
{
	(void)st;
	memset(&center, 0, sizeof center);
	center_add(&center, "m1", "2026-08-20", 105100, "center", "accepted");
	center_add(&center, "m1", "2026-09-20", 114300, "center", "accepted");
	center_add(&center, "m1", "2026-10-20", 123456, "kiosk", "suspect_jump");
	center_add(&center, "m2", "2026-10-20", 45120, "kiosk", "accepted"); /* another kiosk's */
	struct rdhist_local l[] = {
		local_row("m1", 125000, utc(2026, 11, 26, 9), false),
		local_row("m1", 123456, utc(2026, 10, 20, 7), true),
	};
	rdhist_merge(&center, l, 2, utc(2025, 12, 1, 0) - 3 * H, &h);
	assert_true(h.online);
	assert_int_equal(h.n, 5);
	assert_int_equal(h.e[0].value_milli, 125000);
	assert_int_equal(h.e[0].status, RDHIST_IN_TRANSIT);
	/* 20 October: our m1 (07:00 UTC) after the other kiosk's m2 (00:00 MSK). */
	assert_int_equal(h.e[1].value_milli, 123456);
	assert_int_equal(h.e[1].source, RDHIST_HERE);
	assert_int_equal(h.e[1].status, RDHIST_SUSPECT_JUMP);
	assert_int_equal(h.e[1].date_ms, utc(2026, 10, 20, 7));
	assert_string_equal(h.e[2].meter_id, "m2");
	assert_int_equal(h.e[2].source, RDHIST_KIOSK);
	assert_int_equal(h.e[2].date_ms, utc(2026, 10, 20, 0) - 3 * H);
	assert_int_equal(h.e[3].value_milli, 114300);
	assert_int_equal(h.e[3].source, RDHIST_CENTER);
	assert_int_equal(h.e[4].value_milli, 105100);
}

/* A reading submitted at 01:30 Moscow on the 26th is the 25th in UTC: the center's day may
 * be either; another day, another value, another meter or source center is not ours. */
static void test_dedup_day_boundary(void **st)
{
	(void)st;
	int64_t at = utc(2026, 11, 25, 22) + H / 2;
	struct rdhist_local l = local_row("m1", 125000, at, true);
	static const struct { const char *meter, *date, *source; int64_t v; bool ours; } cases[] = {
		{ "m1", "2026-11-25", "kiosk", 125000, true },
		{ "m1", "2026-11-26", "kiosk", 125000, true },
		{ "m1", "2026-11-24", "kiosk", 125000, false },
		{ "m1", "2026-11-27", "kiosk", 125000, false },
		{ "m1", "2026-11-26", "kiosk", 125001, false },
		{ "m2", "2026-11-26", "kiosk", 125000, false },
		{ "m1", "2026-11-26", "center", 125000, false },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		memset(&center, 0, sizeof center);
		center_add(&center, cases[i].meter, cases[i].date, cases[i].v, cases[i].source, "accepted");
		rdhist_merge(&center, &l, 1, utc(2026, 1, 1, 0), &h);
		assert_int_equal(h.n, cases[i].ours ? 1 : 2);
		int here = 0;
		for (int k = 0; k < h.n; k++)
			here += h.e[k].source == RDHIST_HERE;
		assert_int_equal(here, 1);
	}
	/* One center entry stands for one local reading only: two equal submissions that day
	 * (a correction to the same value) and one center entry -> two rows. */
	memset(&center, 0, sizeof center);
	center_add(&center, "m1", "2026-11-26", 125000, "kiosk", "accepted");
	struct rdhist_local two[] = { l, local_row("m1", 125000, at + 60000, false) };
	rdhist_merge(&center, two, 2, utc(2026, 1, 1, 0), &h);
	assert_int_equal(h.n, 2);
}

/* The window: older center and local rows dropped, malformed center dates skipped. */
static void test_window_and_malformed(void **st)
{
	(void)st;
	memset(&center, 0, sizeof center);
	center_add(&center, "m1", "2025-11-30", 90000, "center", "accepted");
	center_add(&center, "m1", "2025-12-01", 91000, "center", "accepted");
	center_add(&center, "m1", "2026-13-01", 92000, "center", "accepted");
	center_add(&center, "m1", "", 93000, "center", "accepted");
	struct rdhist_local l[] = {
		local_row("m1", 89000, utc(2025, 11, 30, 20), true),  /* 23:00 MSK the 30th */
		local_row("m1", 89500, utc(2025, 11, 30, 21), true),  /* 00:00 MSK the 1st */
	};
	rdhist_merge(&center, l, 2, utc(2025, 12, 1, 0) - 3 * H, &h);
	assert_int_equal(h.n, 2);
	assert_int_equal(h.e[0].value_milli, 91000);
	assert_int_equal(h.e[1].value_milli, 89500);
}

/* Full: the newest RDHIST_MAX survive, in order. */
static void test_capacity(void **st)
{
	(void)st;
	memset(&center, 0, sizeof center);
	for (int i = 0; i < CJSON_MAX_HISTORY; i++) {
		char d[40];
		snprintf(d, sizeof d, "2026-%02d-%02d", 1 + i / 28, 1 + i % 28);
		center_add(&center, "m1", d, 1000 + i, "center", "accepted");
	}
	static struct rdhist_local l[RDHIST_MAX + 10];
	for (int i = 0; i < RDHIST_MAX + 10; i++)
		l[i] = local_row("m2", 5000 + i, utc(2026, 5, 1, 0) + i * H, i % 2 == 0);
	rdhist_merge(&center, l, RDHIST_MAX + 10, utc(2025, 12, 1, 0), &h);
	assert_int_equal(h.n, RDHIST_MAX);
	for (int i = 1; i < h.n; i++)
		assert_true(h.e[i - 1].date_ms >= h.e[i].date_ms);
	/* The caller reads at most RDHIST_MAX local rows: the first 96 are the ones merged,
	 * and the oldest center entries gave way to them. */
	assert_int_equal(h.e[0].value_milli, 5000 + RDHIST_MAX - 1);
	int center_left = 0;
	for (int i = 0; i < h.n; i++)
		center_left += h.e[i].source == RDHIST_CENTER;
	assert_int_equal(center_left, 0); /* every local row (May) is newer than Jan-Mar */
}

static void test_filter(void **st)
{
	(void)st;
	memset(&center, 0, sizeof center);
	center_add(&center, "m1", "2026-08-20", 105100, "center", "accepted");
	center_add(&center, "m1", "2026-09-20", 114300, "center", "accepted");
	center_add(&center, "m1", "2026-10-20", 123456, "center", "accepted");
	center_add(&center, "m2", "2026-09-20", 41500, "center", "accepted");
	struct rdhist_local l = local_row("m1", 125000, utc(2026, 11, 26, 9), false);
	rdhist_merge(&center, &l, 1, utc(2025, 12, 1, 0) - 3 * H, &h);
	int idx[RDHIST_MAX];
	int64_t now = utc(2026, 11, 26, 9);
	assert_int_equal(rdhist_filter(&h, "m1", payhist_since_ms(now, 12), idx, RDHIST_MAX), 4);
	assert_int_equal(rdhist_filter(&h, "m1", payhist_since_ms(now, 3), idx, RDHIST_MAX), 3);
	assert_int_equal(h.e[idx[0]].value_milli, 125000);
	assert_int_equal(h.e[idx[2]].value_milli, 114300);
	assert_int_equal(rdhist_filter(&h, "m2", payhist_since_ms(now, 3), idx, RDHIST_MAX), 1);
	assert_int_equal(rdhist_filter(&h, "m2", payhist_since_ms(now + 62 * 24 * H, 3), idx, RDHIST_MAX), 0);
	assert_int_equal(rdhist_filter(&h, "m3", 0, idx, RDHIST_MAX), 0);
	assert_int_equal(rdhist_filter(&h, "m1", 0, idx, 2), 2); /* capped */
}

/* ------------------------------------------------------------------ the flow screen */

static struct flow f;
static struct flow_out out;
static int64_t t_now;
static const struct config_allow allow = { "5037008735", "40702810640000012345", "044525225" };
static const char bill[] = "ST00012|Name=ООО «МосОблЕИРЦ»|PersonalAcc=40702810640000012345|BankName=ПАО Сбербанк|"
			   "BIC=044525225|CorrespAcc=30101810400000000225|PayeeINN=5037008735|KPP=503701001|"
			   "persAcc=50012345|paymPeriod=102026|Sum=452316|TechCode=02";

static void ev(const struct flow_event *e)
{
	memset(&out, 0, sizeof out);
	flow_handle(&f, e, t_now, &out);
}

static void tap(const char *id) { ev(&(struct flow_event){ .type = FE_TAP, .widget = id }); }

static bool emitted(enum flow_action_type t)
{
	for (int i = 0; i < out.n; i++)
		if (out.a[i].type == t)
			return true;
	return false;
}

/* On the readings screen of 50012345 (scanned; details as given). */
static void readings_screen(bool details)
{
	struct flow_config cfg = { .inactivity_ms = 60000, .prompt_ms = 20000, .lang = LANG_RU, .max_amount = 15000000,
				   .allow = &allow, .nallow = 1, .readings_from_day = 1, .readings_to_day = 31 };
	t_now = 1000000;
	flow_init(&f, &cfg, t_now);
	flow_set_wall(&f, utc(2026, 11, 26, 9));
	ev(&(struct flow_event){ .type = FE_SCAN, .data = (const uint8_t *)bill, .len = strlen(bill) });
	assert_true(emitted(FA_LOOKUP_ACCOUNT));
	struct flow_account_result r = { .status = LOOKUP_FOUND };
	snprintf(r.acct.pers_acc, sizeof r.acct.pers_acc, "50012345");
	/* An answer without details now leads to the control question (an unproven bill is
	 * never an account screen): reach the screen with details, then take them away as an
	 * account known without proof (a cached one) would have it. */
	r.acct.details = true;
	r.acct.nmeters = 1;
	snprintf(r.acct.meters[0].id, sizeof r.acct.meters[0].id, "m1");
	r.acct.meters[0].digits = 5;
	r.acct.meters[0].decimals = 3;
	ev(&(struct flow_event){ .type = FE_ACCOUNT, .payload = &r });
	assert_int_equal(f.screen, SCREEN_ACCOUNT);
	f.s.acct.details = details; /* as the lookup would have it */
	f.s.acct_from_bill = false;
	tap("submit_readings");
	assert_int_equal(f.screen, SCREEN_READINGS);
}

static void test_flow_open_answer_period_back(void **st)
{
	(void)st;
	readings_screen(true);
	tap("readings_history");
	assert_int_equal(f.screen, SCREEN_READINGS_HISTORY);
	assert_int_equal(strcmp(screen_name(SCREEN_READINGS_HISTORY), "readings_history"), 0);
	assert_int_equal(screen_parse("readings_history"), SCREEN_READINGS_HISTORY);
	assert_true(emitted(FA_LOOKUP_RDHIST));
	assert_true(f.s.rdhist_loading);
	assert_int_equal(f.s.rdhist_months, 12);
	memset(&h, 0, sizeof h);
	h.online = true;
	h.n = 1;
	snprintf(h.e[0].meter_id, sizeof h.e[0].meter_id, "m1");
	h.e[0].value_milli = 125000;
	ev(&(struct flow_event){ .type = FE_RDHIST, .payload = &h });
	assert_false(f.s.rdhist_loading);
	assert_int_equal(f.s.rdhist.n, 1);
	assert_int_equal(f.s.rdhist.e[0].value_milli, 125000);
	/* A second (late) answer is ignored. */
	h.n = 0;
	ev(&(struct flow_event){ .type = FE_RDHIST, .payload = &h });
	assert_int_equal(f.s.rdhist.n, 1);
	tap("period_3");
	assert_int_equal(f.s.rdhist_months, 3);
	tap("period_6");
	assert_int_equal(f.s.rdhist_months, 6);
	tap("period_12");
	assert_int_equal(f.s.rdhist_months, 12);
	tap("back");
	assert_int_equal(f.screen, SCREEN_READINGS);
	assert_int_equal(f.s.rdhist.n, 0);
	/* An answer arriving after leaving is ignored too. */
	h.n = 1;
	ev(&(struct flow_event){ .type = FE_RDHIST, .payload = &h });
	assert_int_equal(f.s.rdhist.n, 0);
}

static void test_flow_needs_proof(void **st)
{
	(void)st;
	readings_screen(false);
	tap("readings_history");
	assert_int_equal(f.screen, SCREEN_READINGS);
	assert_false(emitted(FA_LOOKUP_RDHIST));
}

static void test_flow_wiped_on_attract(void **st)
{
	(void)st;
	readings_screen(true);
	tap("readings_history");
	memset(&h, 0, sizeof h);
	h.n = 1;
	snprintf(h.e[0].meter_id, sizeof h.e[0].meter_id, "m1");
	ev(&(struct flow_event){ .type = FE_RDHIST, .payload = &h });
	assert_int_equal(f.s.rdhist.n, 1);
	tap("home");
	assert_int_equal(f.screen, SCREEN_ATTRACT);
	assert_int_equal(f.s.rdhist.n, 0);
	assert_int_equal(f.s.rdhist.e[0].meter_id[0], '\0');
	assert_false(f.s.rdhist_loading);
}

int main(void)
{
	test_zone("Europe/Moscow");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_day_ms),
		cmocka_unit_test(test_status_parse),
		cmocka_unit_test(test_offline_local_only),
		cmocka_unit_test(test_online_merge_dedup),
		cmocka_unit_test(test_dedup_day_boundary),
		cmocka_unit_test(test_window_and_malformed),
		cmocka_unit_test(test_capacity),
		cmocka_unit_test(test_filter),
		cmocka_unit_test(test_flow_open_answer_period_back),
		cmocka_unit_test(test_flow_needs_proof),
		cmocka_unit_test(test_flow_wiped_on_attract),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
