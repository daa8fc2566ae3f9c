/* The power-loss and I/O-error VFS (vfs_shim.h). */
#include "tests/crash/vfs_shim.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_FILES 16
#define SECTOR 512

struct pending {
	bool truncate;
	int64_t off;         /* write offset, or the new size */
	int len;
	uint8_t *data;
};

/* One file's durable image and the writes not yet synced to it. */
struct dfile {
	char path[512];
	bool live;
	uint8_t *img;
	int64_t len, cap;
	struct pending *ops;
	int nops, capops;
};

struct shim_file {
	sqlite3_file base;
	struct dfile *d;     /* NULL: untracked (temp files) */
	sqlite3_file *real;
};

static sqlite3_vfs *real_vfs;
static struct shim_config cfg;
static struct dfile files[MAX_FILES];
static int counts[SHIM_NOPS];
static bool injected;
static uint64_t rng;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

const char *shim_op_name(enum shim_op op)
{
	static const char *const n[] = { "read", "write", "sync", "truncate" };
	return op < SHIM_NOPS ? n[op] : "?";
}

int shim_count(enum shim_op op)
{
	return counts[op];
}

bool shim_injected(void)
{
	return injected;
}

/* Counts the call and says whether it is the one to fail. */
static bool inject(enum shim_op op)
{
	counts[op]++;
	if ((int)op != cfg.fail_op || counts[op] != cfg.fail_at)
		return false;
	injected = true;
	if (cfg.note_fd >= 0) {
		char line[64];
		int n = snprintf(line, sizeof line, "I %s %d\n", shim_op_name(op), counts[op]);
		if (write(cfg.note_fd, line, (size_t)n) != n)
			_exit(99);
	}
	return true;
}

/* Geometric growth: the WAL grows a frame at a time. */
static void img_reserve(struct dfile *d, int64_t size)
{
	if (size <= d->cap)
		return;
	int64_t cap = d->cap ? d->cap : 65536;
	while (cap < size)
		cap *= 2;
	d->img = realloc(d->img, (size_t)cap);
	if (!d->img)
		abort();
	d->cap = cap;
}

static void img_write(struct dfile *d, int64_t off, const uint8_t *data, int len)
{
	if (off + len > d->len) {
		img_reserve(d, off + len);
		if (off > d->len)
			memset(d->img + d->len, 0, (size_t)(off - d->len));
		d->len = off + len;
	}
	memcpy(d->img + off, data, (size_t)len);
}

static void img_truncate(struct dfile *d, int64_t size)
{
	if (size < d->len) {
		d->len = size;
	} else if (size > d->len) {
		img_reserve(d, size);
		memset(d->img + d->len, 0, (size_t)(size - d->len));
		d->len = size;
	}
}

static void clear_pending(struct dfile *d)
{
	for (int i = 0; i < d->nops; i++)
		free(d->ops[i].data);
	d->nops = 0;
}

static void add_pending(struct dfile *d, bool trunc, int64_t off, const void *data, int len)
{
	if (d->nops == d->capops) {
		d->capops = d->capops ? d->capops * 2 : 64;
		d->ops = realloc(d->ops, (size_t)d->capops * sizeof *d->ops);
		if (!d->ops)
			abort();
	}
	struct pending *p = &d->ops[d->nops++];
	p->truncate = trunc;
	p->off = off;
	p->len = len;
	p->data = NULL;
	if (!trunc) {
		p->data = malloc((size_t)len);
		if (!p->data)
			abort();
		memcpy(p->data, data, (size_t)len);
	}
}

static void apply_pending(struct dfile *d)
{
	for (int i = 0; i < d->nops; i++) {
		struct pending *p = &d->ops[i];
		if (p->truncate)
			img_truncate(d, p->off);
		else
			img_write(d, p->off, p->data, p->len);
	}
	clear_pending(d);
}

/* Power loss: each pending operation meets a random fate, then the durable images are
 * all that is left on "disk". */
void shim_crash_now(void)
{
	for (int f = 0; f < MAX_FILES; f++) {
		struct dfile *d = &files[f];
		if (!d->live)
			continue;
		for (int i = 0; i < d->nops; i++) {
			struct pending *p = &d->ops[i];
			unsigned fate = (unsigned)(rnd() % 8);
			if (p->truncate) {
				if (fate < 4)
					img_truncate(d, p->off);
				continue;
			}
			if (fate < 4) {                 /* reached the platter */
				img_write(d, p->off, p->data, p->len);
			} else if (fate < 6) {          /* lost in the cache */
			} else if (fate == 6) {         /* torn: a sector-aligned prefix */
				int sectors = p->len / SECTOR;
				int keep = sectors > 0 ? (int)(rnd() % (uint64_t)sectors) * SECTOR : 0;
				if (keep > 0)
					img_write(d, p->off, p->data, keep);
			} else {                        /* garbled within its own range */
				for (int b = 0; b < p->len; b++)
					p->data[b] = (uint8_t)rnd();
				img_write(d, p->off, p->data, p->len);
			}
		}
		int fd = open(d->path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd < 0)
			_exit(98);
		if (d->len > 0 && write(fd, d->img, (size_t)d->len) != d->len)
			_exit(98);
		close(fd);
	}
	_exit(SHIM_CRASH_EXIT);
}

static struct dfile *track(const char *path, sqlite3_file *real)
{
	struct dfile *d = NULL;
	for (int i = 0; i < MAX_FILES; i++)
		if (files[i].path[0] && strcmp(files[i].path, path) == 0)
			d = &files[i];
	if (d && d->live)
		return d;
	for (int i = 0; !d && i < MAX_FILES; i++)
		if (!files[i].path[0])
			d = &files[i];
	if (!d)
		abort();
	snprintf(d->path, sizeof d->path, "%s", path);
	d->live = true;
	clear_pending(d);
	/* What is on disk at open was durable (written by an earlier, finished process). */
	sqlite3_int64 size = 0;
	real->pMethods->xFileSize(real, &size);
	d->len = 0;
	img_reserve(d, size + 1);
	d->len = size;
	if (size > 0 && real->pMethods->xRead(real, d->img, (int)size, 0) != SQLITE_OK)
		abort();
	return d;
}

/* ---------------------------------------------------------------- io methods */

#define SF(f) ((struct shim_file *)(f))

static int x_close(sqlite3_file *f)
{
	int rc = SF(f)->real->pMethods->xClose(SF(f)->real);
	return rc;
}

static int x_read(sqlite3_file *f, void *buf, int amt, sqlite3_int64 off)
{
	if (SF(f)->d && inject(SHIM_READ))
		return SQLITE_IOERR_READ;
	return SF(f)->real->pMethods->xRead(SF(f)->real, buf, amt, off);
}

static int x_write(sqlite3_file *f, const void *buf, int amt, sqlite3_int64 off)
{
	struct shim_file *s = SF(f);
	if (s->d && inject(SHIM_WRITE))
		return SQLITE_IOERR_WRITE;
	int rc = s->real->pMethods->xWrite(s->real, buf, amt, off);
	if (rc == SQLITE_OK && s->d)
		add_pending(s->d, false, off, buf, amt);
	return rc;
}

static int x_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	struct shim_file *s = SF(f);
	if (s->d && inject(SHIM_TRUNCATE))
		return SQLITE_IOERR_TRUNCATE;
	int rc = s->real->pMethods->xTruncate(s->real, size);
	if (rc == SQLITE_OK && s->d)
		add_pending(s->d, true, size, NULL, 0);
	return rc;
}

static int x_sync(sqlite3_file *f, int flags)
{
	struct shim_file *s = SF(f);
	if (!s->d)
		return SQLITE_OK;
	if (inject(SHIM_SYNC))
		return SQLITE_IOERR_FSYNC;
	(void)flags;
	if (cfg.crash_at_sync > 0 && counts[SHIM_SYNC] == cfg.crash_at_sync)
		shim_crash_now();
	apply_pending(s->d);
	return SQLITE_OK;
}

static int x_size(sqlite3_file *f, sqlite3_int64 *ret)
{
	return SF(f)->real->pMethods->xFileSize(SF(f)->real, ret);
}

static int x_lock(sqlite3_file *f, int l)
{
	return SF(f)->real->pMethods->xLock(SF(f)->real, l);
}

static int x_unlock(sqlite3_file *f, int l)
{
	return SF(f)->real->pMethods->xUnlock(SF(f)->real, l);
}

static int x_reserved(sqlite3_file *f, int *ret)
{
	return SF(f)->real->pMethods->xCheckReservedLock(SF(f)->real, ret);
}

static int x_fcntl(sqlite3_file *f, int op, void *arg)
{
	return SF(f)->real->pMethods->xFileControl(SF(f)->real, op, arg);
}

static int x_sector(sqlite3_file *f)
{
	return SF(f)->real->pMethods->xSectorSize(SF(f)->real);
}

static int x_devchar(sqlite3_file *f)
{
	return SF(f)->real->pMethods->xDeviceCharacteristics(SF(f)->real);
}

static int x_shm_map(sqlite3_file *f, int pg, int sz, int extend, void volatile **pp)
{
	return SF(f)->real->pMethods->xShmMap(SF(f)->real, pg, sz, extend, pp);
}

static int x_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
	return SF(f)->real->pMethods->xShmLock(SF(f)->real, off, n, flags);
}

static void x_shm_barrier(sqlite3_file *f)
{
	SF(f)->real->pMethods->xShmBarrier(SF(f)->real);
}

static int x_shm_unmap(sqlite3_file *f, int del)
{
	return SF(f)->real->pMethods->xShmUnmap(SF(f)->real, del);
}

static const sqlite3_io_methods shim_io = {
	.iVersion = 2, /* no xFetch: no memory-mapped reads around the model */
	.xClose = x_close,
	.xRead = x_read,
	.xWrite = x_write,
	.xTruncate = x_truncate,
	.xSync = x_sync,
	.xFileSize = x_size,
	.xLock = x_lock,
	.xUnlock = x_unlock,
	.xCheckReservedLock = x_reserved,
	.xFileControl = x_fcntl,
	.xSectorSize = x_sector,
	.xDeviceCharacteristics = x_devchar,
	.xShmMap = x_shm_map,
	.xShmLock = x_shm_lock,
	.xShmBarrier = x_shm_barrier,
	.xShmUnmap = x_shm_unmap,
};

/* ---------------------------------------------------------------- vfs methods */

static int v_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out)
{
	(void)vfs;
	struct shim_file *s = SF(f);
	s->real = (sqlite3_file *)(s + 1);
	s->d = NULL;
	int rc = real_vfs->xOpen(real_vfs, name, s->real, flags, out);
	if (rc != SQLITE_OK) {
		f->pMethods = NULL;
		return rc;
	}
	if (name && (flags & (SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_WAL | SQLITE_OPEN_MAIN_JOURNAL)))
		s->d = track(name, s->real);
	f->pMethods = &shim_io;
	return SQLITE_OK;
}

static int v_delete(sqlite3_vfs *vfs, const char *name, int syncdir)
{
	(void)vfs;
	for (int i = 0; i < MAX_FILES; i++) {
		if (files[i].path[0] && strcmp(files[i].path, name) == 0 && files[i].live) {
			/* An unlink is durable at once here (SQLite asks for the dir sync). */
			files[i].live = false;
			clear_pending(&files[i]);
		}
	}
	return real_vfs->xDelete(real_vfs, name, syncdir);
}

static int v_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
	(void)vfs;
	return real_vfs->xAccess(real_vfs, name, flags, out);
}

static int v_fullpath(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
	(void)vfs;
	return real_vfs->xFullPathname(real_vfs, name, n, out);
}

static void *v_dlopen(sqlite3_vfs *vfs, const char *name)
{
	(void)vfs;
	return real_vfs->xDlOpen(real_vfs, name);
}

static void v_dlerror(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	real_vfs->xDlError(real_vfs, n, out);
}

static void (*v_dlsym(sqlite3_vfs *vfs, void *h, const char *sym))(void)
{
	(void)vfs;
	return real_vfs->xDlSym(real_vfs, h, sym);
}

static void v_dlclose(sqlite3_vfs *vfs, void *h)
{
	(void)vfs;
	real_vfs->xDlClose(real_vfs, h);
}

static int v_random(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return real_vfs->xRandomness(real_vfs, n, out);
}

static int v_sleep(sqlite3_vfs *vfs, int us)
{
	(void)vfs;
	return real_vfs->xSleep(real_vfs, us);
}

static int v_time(sqlite3_vfs *vfs, double *out)
{
	(void)vfs;
	return real_vfs->xCurrentTime(real_vfs, out);
}

static int v_lasterr(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return real_vfs->xGetLastError(real_vfs, n, out);
}

static int v_time64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
	(void)vfs;
	return real_vfs->xCurrentTimeInt64(real_vfs, out);
}

static sqlite3_vfs shim_vfs = {
	.iVersion = 2,
	.zName = "crashshim",
	.xOpen = v_open,
	.xDelete = v_delete,
	.xAccess = v_access,
	.xFullPathname = v_fullpath,
	.xDlOpen = v_dlopen,
	.xDlError = v_dlerror,
	.xDlSym = v_dlsym,
	.xDlClose = v_dlclose,
	.xRandomness = v_random,
	.xSleep = v_sleep,
	.xCurrentTime = v_time,
	.xGetLastError = v_lasterr,
	.xCurrentTimeInt64 = v_time64,
};

void shim_register(const struct shim_config *c)
{
	cfg = *c;
	rng = c->seed * 0x9E3779B97F4A7C15ull + 1;
	real_vfs = sqlite3_vfs_find("unix");
	if (!real_vfs)
		abort();
	shim_vfs.szOsFile = (int)sizeof(struct shim_file) + real_vfs->szOsFile;
	shim_vfs.mxPathname = real_vfs->mxPathname;
	if (sqlite3_vfs_register(&shim_vfs, 1) != SQLITE_OK)
		abort();
}
