/* Font files mapped read-only (font_rw.h). */
#include "ui/font_rw.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

struct font_file {
	const char *map; /* NULL for an empty file */
	Sint64 pos, size;
};

static Sint64 SDLCALL ff_size(SDL_RWops *rw)
{
	return ((struct font_file *)rw->hidden.unknown.data1)->size;
}

static Sint64 SDLCALL ff_seek(SDL_RWops *rw, Sint64 off, int whence)
{
	struct font_file *f = rw->hidden.unknown.data1;
	Sint64 base = whence == RW_SEEK_SET ? 0 : whence == RW_SEEK_CUR ? f->pos : f->size;
	if (off < -base || base + off > f->size)
		return SDL_SetError("font seek out of the file");
	f->pos = base + off;
	return f->pos;
}

static size_t SDLCALL ff_read(SDL_RWops *rw, void *ptr, size_t size, size_t n)
{
	struct font_file *f = rw->hidden.unknown.data1;
	if (size == 0 || n == 0)
		return 0;
	size_t want = size * n / size == n ? size * n : SIZE_MAX;
	size_t left = (size_t)(f->size - f->pos);
	size_t got = want < left ? want : left;
	if (got > 0)
		memcpy(ptr, f->map + f->pos, got);
	/* As fread: a partial item at the end is consumed, not counted. */
	f->pos += (Sint64)got;
	return got / size;
}

static size_t SDLCALL ff_write(SDL_RWops *rw, const void *ptr, size_t size, size_t n)
{
	(void)rw; (void)ptr; (void)size; (void)n;
	SDL_SetError("a font file is read-only");
	return 0;
}

static int SDLCALL ff_close(SDL_RWops *rw)
{
	struct font_file *f = rw->hidden.unknown.data1;
	int rc = f->map ? munmap((void *)f->map, (size_t)f->size) : 0;
	SDL_free(f);
	SDL_FreeRW(rw);
	return rc == 0 ? 0 : -1;
}

SDL_RWops *font_rw_open(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		SDL_SetError("%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	void *map = NULL;
	if (st.st_size > 0) {
		map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (map == MAP_FAILED) {
			SDL_SetError("%s: %s", path, strerror(errno));
			close(fd);
			return NULL;
		}
		/* Only the pages FreeType reads become resident: no read-around. */
		madvise(map, (size_t)st.st_size, MADV_RANDOM);
	}
	close(fd);
	struct font_file *f = SDL_malloc(sizeof *f);
	SDL_RWops *rw = SDL_AllocRW();
	if (!f || !rw) {
		SDL_free(f);
		if (rw)
			SDL_FreeRW(rw);
		if (map)
			munmap(map, (size_t)st.st_size);
		return NULL;
	}
	*f = (struct font_file){ .map = map, .pos = 0, .size = st.st_size };
	rw->size = ff_size;
	rw->seek = ff_seek;
	rw->read = ff_read;
	rw->write = ff_write;
	rw->close = ff_close;
	rw->type = SDL_RWOPS_UNKNOWN;
	rw->hidden.unknown.data1 = f;
	return rw;
}
