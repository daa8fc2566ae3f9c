/* kiosk/base/pngio: a surface written and read back has the same pixels (alpha too); a missing
 * file, a file that is not a PNG, a truncated PNG, a corrupted one and an image too large
 * each give NULL and a message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kiosk/base/pngio.h"
#include "tests/lib/test_tmp.h"

static char dir[TEST_TMP_DIR_LEN];

static char *path(const char *name)
{
	static char p[128];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	return p;
}

static void *slurp(const char *p, size_t *len)
{
	FILE *f = fopen(p, "rb");
	assert_non_null(f);
	static char buf[1 << 16];
	*len = fread(buf, 1, sizeof buf, f);
	fclose(f);
	return buf;
}

static SDL_Surface *sample(void)
{
	SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, 7, 5, 32, SDL_PIXELFORMAT_ARGB8888);
	assert_non_null(s);
	for (int y = 0; y < 5; y++)
		for (int x = 0; x < 7; x++)
			((Uint32 *)((Uint8 *)s->pixels + y * s->pitch))[x] =
				SDL_MapRGBA(s->format, (Uint8)(x * 36), (Uint8)(y * 60), (Uint8)(x * y), (Uint8)(255 - x * 20));
	return s;
}

static void test_round_trip(void **st)
{
	(void)st;
	SDL_Surface *s = sample();
	assert_int_equal(pngio_save(s, path("a.png")), 0);
	SDL_Surface *r = pngio_load(path("a.png"));
	assert_non_null(r);
	assert_int_equal(r->w, 7);
	assert_int_equal(r->h, 5);
	for (int y = 0; y < 5; y++)
		for (int x = 0; x < 7; x++) {
			Uint8 a[4], b[4];
			SDL_GetRGBA(((Uint32 *)((Uint8 *)s->pixels + y * s->pitch))[x], s->format, &a[0], &a[1], &a[2], &a[3]);
			SDL_GetRGBA(((Uint32 *)((Uint8 *)r->pixels + y * r->pitch))[x], r->format, &b[0], &b[1], &b[2], &b[3]);
			assert_memory_equal(a, b, 4);
		}
	SDL_FreeSurface(s);
	SDL_FreeSurface(r);
}

static void test_bad_input(void **st)
{
	(void)st;
	assert_null(pngio_load(path("missing.png")));
	assert_non_null(strstr(SDL_GetError(), "missing.png"));
	FILE *f = fopen(path("text.png"), "wb");
	fputs("this is not a png\n", f);
	fclose(f);
	assert_null(pngio_load(path("text.png")));
	assert_null(pngio_decode("", 0));

	SDL_Surface *s = sample();
	assert_int_equal(pngio_save(s, path("b.png")), 0);
	SDL_FreeSurface(s);
	size_t n;
	uint8_t *png = slurp(path("b.png"), &n);
	assert_true(n > 60);
	SDL_Surface *ok = pngio_decode(png, n);
	assert_non_null(ok);
	SDL_FreeSurface(ok);
	/* Cut anywhere before the closing IEND chunk (12 bytes): the image data is incomplete.
	 * (Without IEND alone the image is whole, and it reads.) */
	assert_memory_equal(png + n - 8, "IEND", 4);
	for (size_t cut = 0; cut < n - 12; cut++)
		assert_null(pngio_decode(png, cut));
	png[n / 2] ^= 0x5A;                            /* a flipped byte in the image data */
	assert_null(pngio_decode(png, n));
}

static void test_too_large(void **st)
{
	(void)st;
	SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, PNGIO_MAX_SIDE + 1, 1, 32, SDL_PIXELFORMAT_ARGB8888);
	assert_non_null(s);
	memset(s->pixels, 0, (size_t)s->pitch);
	assert_int_equal(pngio_save(s, path("wide.png")), 0);
	SDL_FreeSurface(s);
	assert_null(pngio_load(path("wide.png")));
	assert_non_null(strstr(SDL_GetError(), "not a size"));
}

static int setup(void **st)
{
	(void)st;
	test_tmp_dir("test_pngio", dir, NULL);
	return 0;
}

static int teardown(void **st)
{
	(void)st;
	return test_tmp_remove(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_too_large),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
