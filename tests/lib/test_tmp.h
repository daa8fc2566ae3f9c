#ifndef TESTS_LIB_TEST_TMP_H
#define TESTS_LIB_TEST_TMP_H
/* A fresh directory under /tmp for one test group, the store's path in it, and its removal:
 * the setup and teardown every store test shares. */
#define TEST_TMP_DIR_LEN 64
#define TEST_TMP_PATH_LEN 96

/* Makes /tmp/NAME.XXXXXX into dir and sets path (unless NULL) to dir/kiosk.db; aborts when
 * it cannot. */
void test_tmp_dir(const char *name, char dir[TEST_TMP_DIR_LEN], char path[TEST_TMP_PATH_LEN]);
/* Removes dir and everything in it: 0, or -1 (a failed teardown). */
int test_tmp_remove(const char *dir);

#endif
