/* Temporary directories for tests. */
#include "tests/lib/test_tmp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void test_tmp_dir(const char *name, char dir[TEST_TMP_DIR_LEN], char path[TEST_TMP_PATH_LEN])
{
	snprintf(dir, TEST_TMP_DIR_LEN, "/tmp/%s.XXXXXX", name);
	if (!mkdtemp(dir)) {
		perror("test_tmp_dir: mkdtemp");
		abort();
	}
	if (path)
		snprintf(path, TEST_TMP_PATH_LEN, "%s/kiosk.db", dir);
}

int test_tmp_remove(const char *dir)
{
	char cmd[TEST_TMP_DIR_LEN + 16];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}
