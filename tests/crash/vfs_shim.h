#ifndef TESTS_CRASH_VFS_SHIM_H
#define TESTS_CRASH_VFS_SHIM_H
/* A test-only SQLite VFS over "unix" that models a disk with a volatile cache.
 *
 * Every write reaches the real file at once (the page-cache image, so the live process
 * reads its own writes), and is also queued as pending against the file's durable image,
 * kept in memory.  xSync moves a file's pending writes into its durable image.  At the
 * chosen sync number (or on shim_crash_now) the shim "loses power": each pending write of
 * every file is applied, dropped, torn (a sector-aligned prefix) or garbled (random bytes
 * over its range) at random, the durable images replace the real files, and the process
 * _exits with SHIM_CRASH_EXIT.  The real fsync is never called: durability is the model's.
 *
 * It also injects I/O errors: the k-th xRead/xWrite/xSync/xTruncate returns
 * SQLITE_IOERR_READ/WRITE/FSYNC/TRUNCATE (without doing the operation), once. */
#include <stdbool.h>
#include <stdint.h>

#define SHIM_CRASH_EXIT 77

enum shim_op { SHIM_READ, SHIM_WRITE, SHIM_SYNC, SHIM_TRUNCATE, SHIM_NOPS };

struct shim_config {
	int crash_at_sync;   /* 1-based sync number to crash at; 0: never */
	uint64_t seed;       /* fate of pending writes */
	int fail_op;         /* enum shim_op, or -1 */
	int fail_at;         /* 1-based call number of fail_op */
	int note_fd;         /* when >= 0, "I <op> <k>\n" is written here at injection */
};

/* Registers the shim as the default VFS (call before the first sqlite3_open). */
void shim_register(const struct shim_config *c);
int shim_count(enum shim_op op);
bool shim_injected(void);
/* Power loss now (from the workload, between operations). */
void shim_crash_now(void) __attribute__((noreturn));
const char *shim_op_name(enum shim_op op);

#endif
