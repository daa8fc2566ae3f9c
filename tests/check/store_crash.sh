#!/bin/sh
# Power loss at every sync point of the store workload (tests/crash/crash_store.c), with
# the two controls that must break.  SEED=N to replay a run.
BUILD=${BUILD:-build}
# The shim models durability itself; a tmpfs keeps thousands of runs quick.
[ -d /dev/shm ] && [ -w /dev/shm ] && TMPDIR=${STORE_CRASH_TMPDIR:-/dev/shm} && export TMPDIR
# One run per sync point in make check (its 10-minute budget; every point is still hit);
# STORE_CRASH_REPS=3 for three.
exec "$BUILD/tests/crash_store" ${SEED:+--seed "$SEED"} --reps "${STORE_CRASH_REPS:-1}"
