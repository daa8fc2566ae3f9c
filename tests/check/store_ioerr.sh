#!/bin/sh
# I/O errors (read, write, fsync, truncate) injected at every call k of the store
# workload (tests/crash/ioerr_store.c): fail-stop, no acknowledgement after the error,
# invariants after restart.  SEED=N to replay a run.
BUILD=${BUILD:-build}
[ -d /dev/shm ] && [ -w /dev/shm ] && TMPDIR=${STORE_CRASH_TMPDIR:-/dev/shm} && export TMPDIR
exec "$BUILD/tests/ioerr_store" ${SEED:+--seed "$SEED"}
