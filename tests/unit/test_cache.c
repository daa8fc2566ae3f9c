/* Accounts cache: round trip of every field, replace semantics, shared suppliers, bulk
 * pages all-or-nothing, lookups of unknown accounts, counts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "offline/cache.h"
#include "offline/store.h"
#include "tests/lib/test_tmp.h"

static char dir[TEST_TMP_DIR_LEN];
static char path[TEST_TMP_PATH_LEN];

static int setup(void **state)
{
	test_tmp_dir("test_cache", dir, path);
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

static void demo(struct account *a, const char *acc)
{
	memset(a, 0, sizeof *a);
	snprintf(a->pers_acc, sizeof a->pers_acc, "%s", acc);
	snprintf(a->owner_masked, sizeof a->owner_masked, "И***в И. И.");
	snprintf(a->address_masked, sizeof a->address_masked, "г. Подольск, ул. Л*****, д. 5");
	snprintf(a->period, sizeof a->period, "2026-10");
	a->due = 523416;
	a->accrued = 498000;
	a->paid = 0;
	a->debt = 25416;
	a->nservices = 2;
	snprintf(a->services[0].code, sizeof a->services[0].code, "hvs");
	snprintf(a->services[0].name, sizeof a->services[0].name, "Холодное водоснабжение");
	snprintf(a->services[0].supplier_id, sizeof a->services[0].supplier_id, "s1");
	a->services[0].accrued = 51230;
	a->services[0].due = 51230;
	snprintf(a->services[1].code, sizeof a->services[1].code, "el");
	snprintf(a->services[1].supplier_id, sizeof a->services[1].supplier_id, "s2");
	a->services[1].due = -100;
	a->nsuppliers = 2;
	snprintf(a->suppliers[0].id, sizeof a->suppliers[0].id, "s1");
	snprintf(a->suppliers[0].name, sizeof a->suppliers[0].name, "МУП «Водоканал»");
	snprintf(a->suppliers[0].inn, sizeof a->suppliers[0].inn, "5036000000");
	snprintf(a->suppliers[1].id, sizeof a->suppliers[1].id, "s2");
	snprintf(a->suppliers[1].phone, sizeof a->suppliers[1].phone, "+7 495 000-00-00");
	a->nmeters = 1;
	struct account_meter *m = &a->meters[0];
	snprintf(m->id, sizeof m->id, "m1");
	snprintf(m->serial, sizeof m->serial, "0412334");
	snprintf(m->service, sizeof m->service, "hvs");
	snprintf(m->name, sizeof m->name, "ХВС, кухня");
	snprintf(m->unit, sizeof m->unit, "м³");
	m->digits = 5;
	m->decimals = 3;
	m->last_value_milli = 123456;
	snprintf(m->last_date, sizeof m->last_date, "2026-10-20");
	m->max_monthly_milli = 30000;
	a->details = true;
	a->updated_at_ms = 1761000000000;
}

static void test_round_trip(void **state)
{
	struct store *s = *state;
	struct account *a = malloc(sizeof *a), *b = malloc(sizeof *b);
	demo(a, "12345678");
	assert_int_equal(cache_put(s, a), STORE_OK);
	memset(b, 0x55, sizeof *b);
	assert_int_equal(cache_get(s, "12345678", b), STORE_OK);
	/* Field by field (padding bytes after strings differ: memset vs snprintf). */
	assert_string_equal(b->pers_acc, "12345678");
	assert_string_equal(b->owner_masked, a->owner_masked);
	assert_string_equal(b->address_masked, a->address_masked);
	assert_string_equal(b->period, "2026-10");
	assert_int_equal(b->due, 523416);
	assert_int_equal(b->debt, 25416);
	assert_int_equal(b->nservices, 2);
	assert_string_equal(b->services[0].name, "Холодное водоснабжение");
	assert_int_equal(b->services[1].due, -100);
	assert_int_equal(b->nsuppliers, 2);
	assert_string_equal(b->suppliers[0].name, "МУП «Водоканал»");
	assert_string_equal(b->suppliers[1].phone, "+7 495 000-00-00");
	assert_int_equal(b->nmeters, 1);
	assert_string_equal(b->meters[0].unit, "м³");
	assert_int_equal(b->meters[0].digits, 5);
	assert_int_equal(b->meters[0].decimals, 3);
	assert_int_equal(b->meters[0].last_value_milli, 123456);
	assert_string_equal(b->meters[0].last_date, "2026-10-20");
	assert_int_equal(b->meters[0].max_monthly_milli, 30000);
	assert_true(b->details);
	assert_int_equal(b->updated_at_ms, 1761000000000);

	/* Replace: fewer services, no meters, newer data. */
	a->nservices = 1;
	a->nmeters = 0;
	a->due = 1;
	a->updated_at_ms += 1000;
	snprintf(a->suppliers[0].name, sizeof a->suppliers[0].name, "Водоканал (новое имя)");
	assert_int_equal(cache_put(s, a), STORE_OK);
	assert_int_equal(cache_get(s, "12345678", b), STORE_OK);
	assert_int_equal(b->nservices, 1);
	assert_int_equal(b->nmeters, 0);
	assert_int_equal(b->due, 1);
	assert_int_equal(b->updated_at_ms, 1761000001000);
	assert_string_equal(b->suppliers[0].name, "Водоканал (новое имя)");

	memset(b, 0x55, sizeof *b);
	assert_int_equal(cache_get(s, "99999", b), STORE_ENOTFOUND);
	assert_int_equal(((unsigned char *)b)[0], 0x55);
	int64_t n = 0;
	assert_int_equal(cache_count(s, &n), STORE_OK);
	assert_int_equal(n, 1);
	free(a);
	free(b);
}

static void test_bulk_page(void **state)
{
	struct store *s = *state;
	int n = 50;
	struct account *page = calloc((size_t)n, sizeof *page);
	for (int i = 0; i < n; i++) {
		char acc[16];
		snprintf(acc, sizeof acc, "%08d", 10000000 + i);
		demo(&page[i], acc);
		page[i].due = i * 100;
	}
	/* One bad account voids the page. */
	snprintf(page[n - 1].pers_acc, sizeof page[n - 1].pers_acc, "12x");
	assert_int_equal(cache_put_many(s, page, n), STORE_EINVAL);
	int64_t cnt = -1;
	assert_int_equal(cache_count(s, &cnt), STORE_OK);
	assert_int_equal(cnt, 0);
	snprintf(page[n - 1].pers_acc, sizeof page[n - 1].pers_acc, "%08d", 10000000 + n - 1);
	page[3].meters[0].digits = 0; /* refused by the table's CHECK */
	assert_int_equal(cache_put_many(s, page, n), STORE_EINVAL);
	page[3].meters[0].digits = 6;
	assert_int_equal(cache_put_many(s, page, n), STORE_OK);
	assert_int_equal(cache_count(s, &cnt), STORE_OK);
	assert_int_equal(cnt, n);
	struct account *b = malloc(sizeof *b);
	assert_int_equal(cache_get(s, "10000007", b), STORE_OK);
	assert_int_equal(b->due, 700);
	assert_int_equal(cache_get(s, "10000003", b), STORE_OK);
	assert_int_equal(b->meters[0].digits, 6);
	free(b);
	free(page);
}

static void test_refusals(void **state)
{
	struct store *s = *state;
	struct account *a = malloc(sizeof *a);
	demo(a, "");
	assert_int_equal(cache_put(s, a), STORE_EINVAL);
	demo(a, "1");
	a->nmeters = ACCOUNT_MAX_METERS + 1;
	assert_int_equal(cache_put(s, a), STORE_EINVAL);
	demo(a, "1");
	memset(a->period, 'x', sizeof a->period); /* no terminator */
	assert_int_equal(cache_put(s, a), STORE_EINVAL);
	assert_int_equal(cache_put_many(s, NULL, 1), STORE_EINVAL);
	assert_int_equal(cache_put_many(s, NULL, 0), STORE_OK);
	free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bulk_page, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
