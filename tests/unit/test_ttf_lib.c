/* kiosk/base/ttf_lib: SDL_ttf's functions through the library loaded on first use are
 * SDL_ttf's own: the same widths, line skip and rendered coverage as the directly linked
 * calls, and the same table every time it is asked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include <SDL_ttf.h>

#include "kiosk/base/ttf_lib.h"

#define FONT "/usr/share/fonts/opentype/inter/Inter-Regular.otf"

static void test_same_as_linked(void **st)
{
	(void)st;
	char err[256] = "";
	const struct ttf_lib *t = ttf_lib(err, sizeof err);
	assert_non_null(t);
	assert_ptr_equal(ttf_lib(NULL, 0), t);
	assert_int_equal(t->Init(), 0);
	assert_true(t->WasInit() > 0);
	TTF_Font *a = t->OpenFont(FONT, 40);
	TTF_Font *b = TTF_OpenFont(FONT, 40);
	assert_non_null(a);
	assert_non_null(b);
	int wa = 0, ha = 0, wb = 0, hb = 0;
	assert_int_equal(t->SizeUTF8(a, "Оплата ЖКУ 4 523,16 ₽", &wa, &ha), 0);
	assert_int_equal(TTF_SizeUTF8(b, "Оплата ЖКУ 4 523,16 ₽", &wb, &hb), 0);
	assert_true(wa > 100);
	assert_int_equal(wa, wb);
	assert_int_equal(ha, hb);
	assert_int_equal(t->FontLineSkip(a), TTF_FontLineSkip(b));
	assert_true(t->GlyphIsProvided32(a, 0x416)); /* Ж */
	assert_int_equal(t->SetFontSize(a, 20), 0);
	SDL_Color fg = { 10, 20, 30, 255 }, bg = { 0, 0, 0, 0 };
	assert_int_equal(TTF_SetFontSize(b, 20), 0);
	SDL_Surface *sa = t->RenderUTF8_Shaded(a, "Итого", fg, bg), *sb = TTF_RenderUTF8_Shaded(b, "Итого", fg, bg);
	assert_non_null(sa);
	assert_non_null(sb);
	assert_int_equal(sa->w, sb->w);
	assert_int_equal(sa->h, sb->h);
	for (int y = 0; y < sa->h; y++)
		assert_memory_equal((uint8_t *)sa->pixels + y * sa->pitch, (uint8_t *)sb->pixels + y * sb->pitch,
				    (size_t)sa->w);
	SDL_FreeSurface(sa);
	SDL_FreeSurface(sb);
	t->CloseFont(a);
	TTF_CloseFont(b);
	t->Quit();
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(test_same_as_linked) };
	return cmocka_run_group_tests(tests, NULL, NULL);
}
