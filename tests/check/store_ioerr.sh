#!/bin/sh
# I/O errors (read, write, fsync, truncate) injected at every call k of the store
# workload (tests/crash/ioerr_store.c): fail-stop, no acknowledgement after the error,
# invariants after restart.  SEED=N to replay a run.
BUILD=${BUILD:-build}
[ -d /dev/shm ] && [ -w /dev/shm ] && TMPDIR=${STORE_CRASH_TMPDIR:-/dev/shm} && export TMPDIR
# A 16-operation workload in make check (its 10-minute budget; every call of it still fails
# once); STORE_IOERR_NOPS=40 or more for a longer one.
exec "$BUILD/tests/ioerr_store" ${SEED:+--seed "$SEED"} --nops "${STORE_IOERR_NOPS:-16}"
