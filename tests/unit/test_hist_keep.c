/* kiosk/svc/hist_keep: room first, then the oldest gives way to a newer entry only; an
 * entry older than everything kept is not taken; ties keep what is there. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "kiosk/svc/hist_keep.h"

struct entry {
	char tag[3];
	int64_t date;
};

static int slot(const struct entry *e, int n, int cap, int64_t date)
{
	return hist_keep_slot(e, n, cap, sizeof e[0], offsetof(struct entry, date), date);
}

static void test_keep_newest(void **st)
{
	(void)st;
	struct entry e[3] = { { "a", 300 }, { "b", 100 }, { "c", 200 } };
	assert_int_equal(slot(e, 0, 3, 5), 0); /* room */
	assert_int_equal(slot(e, 2, 3, 5), 2);
	assert_int_equal(slot(e, 3, 3, 150), 1); /* full: b (100) is the oldest */
	assert_int_equal(slot(e, 3, 3, 100), -1); /* as old as the oldest: kept as is */
	assert_int_equal(slot(e, 3, 3, 50), -1);
	e[1].date = 400;
	assert_int_equal(slot(e, 3, 3, 250), 2); /* now c (200) */
	assert_int_equal(slot(e, 0, 0, 1), -1); /* no room at all */
}

static void test_add(void **st)
{
	(void)st;
	struct entry e[2];
	int n = 0;
	size_t off = offsetof(struct entry, date);
	assert_true(hist_keep_add(e, &n, 2, sizeof e[0], off, &(struct entry){ "a", 10 }));
	assert_true(hist_keep_add(e, &n, 2, sizeof e[0], off, &(struct entry){ "b", 30 }));
	assert_int_equal(n, 2);
	assert_false(hist_keep_add(e, &n, 2, sizeof e[0], off, &(struct entry){ "c", 5 }));
	assert_true(hist_keep_add(e, &n, 2, sizeof e[0], off, &(struct entry){ "d", 20 }));
	assert_int_equal(n, 2);
	assert_string_equal(e[0].tag, "d"); /* a (10) gave way */
	assert_string_equal(e[1].tag, "b");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keep_newest),
		cmocka_unit_test(test_add),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
