/* SDL_ttf on first use (ttf_lib.h). */
#include "kiosk/base/ttf_lib.h"

#include <pthread.h>
#include <stdio.h>

#include "kiosk/base/dynlib.h"
#include "kiosk/base/log.h"

#define TTF_SONAME "libSDL2_ttf-2.0.so.0"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static struct ttf_lib lib;
static const struct ttf_lib *loaded;
static char why[256];

static void load(void)
{
	const struct dynlib_fn fns[] = {
		{ "TTF_Init", &lib.Init }, { "TTF_WasInit", &lib.WasInit }, { "TTF_Quit", &lib.Quit },
		{ "TTF_OpenFont", &lib.OpenFont }, { "TTF_OpenFontRW", &lib.OpenFontRW },
		{ "TTF_CloseFont", &lib.CloseFont }, { "TTF_SetFontSize", &lib.SetFontSize },
		{ "TTF_SetFontHinting", &lib.SetFontHinting }, { "TTF_FontLineSkip", &lib.FontLineSkip },
		{ "TTF_GlyphIsProvided32", &lib.GlyphIsProvided32 }, { "TTF_SizeUTF8", &lib.SizeUTF8 },
		{ "TTF_RenderUTF8_Shaded", &lib.RenderUTF8_Shaded },
		{ "TTF_RenderUTF8_Blended", &lib.RenderUTF8_Blended },
	};
	if (!dynlib_open(TTF_SONAME, fns, sizeof fns / sizeof fns[0], why, sizeof why)) {
		log_error("ui", "ttf_missing", "why=\"%s\"", why);
		return;
	}
	loaded = &lib;
}

const struct ttf_lib *ttf_lib(char *err, size_t cap)
{
	pthread_once(&once, load);
	if (!loaded && err && cap)
		snprintf(err, cap, "%s", why);
	return loaded;
}
