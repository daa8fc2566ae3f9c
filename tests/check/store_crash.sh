#!/bin/sh
# Power loss at every sync point of the store workload (tests/crash/crash_store.c), with
# the two controls that must break.  SEED=N to replay a run.
BUILD=${BUILD:-build}
# The shim models durability itself; a tmpfs keeps thousands of runs quick.
[ -d /dev/shm ] && [ -w /dev/shm ] && TMPDIR=${STORE_CRASH_TMPDIR:-/dev/shm} && export TMPDIR
exec "$BUILD/tests/crash_store" ${SEED:+--seed "$SEED"}
