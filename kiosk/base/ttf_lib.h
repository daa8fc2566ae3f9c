#ifndef KIOSK_TTF_LIB_H
#define KIOSK_TTF_LIB_H
/* SDL_ttf, loaded when first asked for instead of at exec, for the two that draw text: the
 * ui (ui/text.c, ui/gfx.c) and the image printer (drivers/printer_file.c).  SDL_ttf brings
 * FreeType, HarfBuzz, GLib and six more libraries: mapping them was 2.3 ms of a 40 ms bare
 * SDL start.  The kiosk's ui_create loads it on the worker that loads the fonts while SDL
 * makes the window, so the first frame no longer waits for it at exec.
 *
 * Promises:
 *  - ttf_lib() loads libSDL2_ttf-2.0.so.0 and every function below once per process, from
 *    any thread; NULL with the reason in err when the library or a function is missing,
 *    every time it is asked (nothing half-loaded is ever handed out);
 *  - the members are SDL_ttf's functions of the same names without the TTF_ prefix, with
 *    their exact types; the library stays loaded until the process ends.
 * SDL_ttf's own rules stay: TTF_Init before a font is opened, one thread at a time on a
 * font and on the library's state. */
#include <stddef.h>

#include <SDL_ttf.h>

struct ttf_lib {
	__typeof__(&TTF_Init) Init;
	__typeof__(&TTF_WasInit) WasInit;
	__typeof__(&TTF_Quit) Quit;
	__typeof__(&TTF_OpenFont) OpenFont;
	__typeof__(&TTF_OpenFontRW) OpenFontRW;
	__typeof__(&TTF_CloseFont) CloseFont;
	__typeof__(&TTF_SetFontSize) SetFontSize;
	__typeof__(&TTF_SetFontHinting) SetFontHinting;
	__typeof__(&TTF_FontLineSkip) FontLineSkip;
	__typeof__(&TTF_GlyphIsProvided32) GlyphIsProvided32;
	__typeof__(&TTF_SizeUTF8) SizeUTF8;
	__typeof__(&TTF_RenderUTF8_Shaded) RenderUTF8_Shaded;
	__typeof__(&TTF_RenderUTF8_Blended) RenderUTF8_Blended;
};

const struct ttf_lib *ttf_lib(char *err, size_t cap);

#endif
