/* SDL_ttf on first use (ttf_lib.h). */
#include "kiosk/base/ttf_lib.h"

#include "kiosk/base/dynlib.h"

static struct ttf_lib lib;
static const struct dynlib_fn fns[] = {
	{ "TTF_Init", &lib.Init }, { "TTF_WasInit", &lib.WasInit }, { "TTF_Quit", &lib.Quit },
	{ "TTF_OpenFont", &lib.OpenFont }, { "TTF_OpenFontRW", &lib.OpenFontRW },
	{ "TTF_CloseFont", &lib.CloseFont }, { "TTF_SetFontSize", &lib.SetFontSize },
	{ "TTF_SetFontHinting", &lib.SetFontHinting }, { "TTF_FontLineSkip", &lib.FontLineSkip },
	{ "TTF_GlyphIsProvided32", &lib.GlyphIsProvided32 }, { "TTF_SizeUTF8", &lib.SizeUTF8 },
	{ "TTF_RenderUTF8_Shaded", &lib.RenderUTF8_Shaded },
	{ "TTF_RenderUTF8_Blended", &lib.RenderUTF8_Blended },
};
static struct dynlib_lazy so = DYNLIB_LAZY("libSDL2_ttf-2.0.so.0", fns, "ui");

const struct ttf_lib *ttf_lib(char *err, size_t cap)
{
	return dynlib_lazy_load(&so, err, cap) == 0 ? &lib : NULL;
}
