/* ui/font_rw: a font file as a read-only SDL stream over a mapping.  Its bytes are the
 * file's whatever the seeks in between, a read at or past the end is short, a seek out of
 * the file fails and leaves the position, writing fails, a missing file is NULL with the
 * path in SDL's error, an empty file is an empty stream, and SDL_ttf opens a face through it and measures the same width as
 * through SDL's own file stream. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <SDL_ttf.h>

#include "ui/font_rw.h"

static char path[64];
static unsigned char bytes[3000];

static int setup(void **st)
{
	(void)st;
	snprintf(path, sizeof path, "/tmp/test-font-rw.XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	for (size_t i = 0; i < sizeof bytes; i++)
		bytes[i] = (unsigned char)(i * 7 + i / 256);
	assert_int_equal(write(fd, bytes, sizeof bytes), (ssize_t)sizeof bytes);
	close(fd);
	return 0;
}

static int teardown(void **st)
{
	(void)st;
	unlink(path);
	return 0;
}

static void test_reads_and_seeks(void **st)
{
	(void)st;
	SDL_RWops *rw = font_rw_open(path);
	assert_non_null(rw);
	assert_int_equal(SDL_RWsize(rw), (Sint64)sizeof bytes);
	unsigned char buf[4000];
	assert_int_equal(SDL_RWread(rw, buf, 1, 100), 100);
	assert_memory_equal(buf, bytes, 100);
	assert_int_equal(SDL_RWtell(rw), 100);
	assert_int_equal(SDL_RWseek(rw, 2000, RW_SEEK_SET), 2000);
	assert_int_equal(SDL_RWread(rw, buf, 10, 5), 5);
	assert_memory_equal(buf, bytes + 2000, 50);
	assert_int_equal(SDL_RWseek(rw, -50, RW_SEEK_CUR), 2000);
	assert_int_equal(SDL_RWseek(rw, -10, RW_SEEK_END), (Sint64)sizeof bytes - 10);
	/* Short at the end: 10 bytes left, 4-byte items: 2 whole ones. */
	assert_int_equal(SDL_RWread(rw, buf, 4, 100), 2);
	assert_memory_equal(buf, bytes + sizeof bytes - 10, 8);
	assert_int_equal(SDL_RWread(rw, buf, 1, 10), 0);
	/* Out of the file: refused, the position kept. */
	assert_int_equal(SDL_RWseek(rw, 5, RW_SEEK_SET), 5);
	assert_true(SDL_RWseek(rw, -6, RW_SEEK_CUR) < 0);
	assert_true(SDL_RWseek(rw, 1, RW_SEEK_END) < 0);
	assert_int_equal(SDL_RWtell(rw), 5);
	assert_int_equal(SDL_RWwrite(rw, "x", 1, 1), 0);
	assert_int_equal(SDL_RWclose(rw), 0);
}

static void test_missing_file(void **st)
{
	(void)st;
	SDL_ClearError();
	assert_null(font_rw_open("/nonexistent/font.otf"));
	assert_non_null(strstr(SDL_GetError(), "/nonexistent/font.otf"));
}

static void test_empty_file(void **st)
{
	(void)st;
	char empty[64];
	snprintf(empty, sizeof empty, "/tmp/test-font-rw-empty.XXXXXX");
	int fd = mkstemp(empty);
	assert_true(fd >= 0);
	close(fd);
	SDL_RWops *rw = font_rw_open(empty);
	assert_non_null(rw);
	assert_int_equal(SDL_RWsize(rw), 0);
	char buf[8] = "keep";
	assert_int_equal(SDL_RWread(rw, buf, 1, sizeof buf), 0);
	assert_string_equal(buf, "keep");
	assert_true(SDL_RWseek(rw, 1, RW_SEEK_SET) < 0);
	assert_int_equal(SDL_RWclose(rw), 0);
	unlink(empty);
}

static void test_face_through_it(void **st)
{
	(void)st;
	const char *font = "/usr/share/fonts/opentype/inter/Inter-SemiBold.otf";
	assert_int_equal(TTF_Init(), 0);
	TTF_Font *a = TTF_OpenFontRW(font_rw_open(font), 1, 48);
	TTF_Font *b = TTF_OpenFont(font, 48);
	assert_non_null(a);
	assert_non_null(b);
	int wa = 0, wb = 0, h = 0;
	assert_int_equal(TTF_SizeUTF8(a, "Итого: 4 523,16 ₽", &wa, &h), 0);
	assert_int_equal(TTF_SizeUTF8(b, "Итого: 4 523,16 ₽", &wb, &h), 0);
	assert_true(wa > 200);
	assert_int_equal(wa, wb);
	TTF_CloseFont(a);
	TTF_CloseFont(b);
	TTF_Quit();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reads_and_seeks),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_empty_file),
		cmocka_unit_test(test_face_through_it),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
