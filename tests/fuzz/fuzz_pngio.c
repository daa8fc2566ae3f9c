/* libFuzzer target for the PNG reader (the receipt logo): any bytes give a surface of a
 * readable size or NULL, never a crash. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include "kiosk/base/pngio.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	SDL_Surface *s = pngio_decode(data, size);
	if (s) {
		assert(s->w > 0 && s->w <= PNGIO_MAX_SIDE && s->h > 0 && s->h <= PNGIO_MAX_SIDE);
		SDL_FreeSurface(s);
	}
	return 0;
}
