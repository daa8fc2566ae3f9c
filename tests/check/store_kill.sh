#!/bin/sh
# kill -9 soak (tests/crash/kill_store.c): 300 SIGKILLs at random moments of a write-heavy
# workload over a store pre-filled with 10,000 payments; invariants after every restart and
# the restart-to-ready p50/p99.  SEED=N to replay a run.
BUILD=${BUILD:-build}
[ -d /dev/shm ] && [ -w /dev/shm ] && TMPDIR=${STORE_CRASH_TMPDIR:-/dev/shm} && export TMPDIR
# 120 kills in make check (its 10-minute budget); STORE_KILL_ROUNDS=300 or more for a longer run.
exec "$BUILD/tests/kill_store" ${SEED:+--seed "$SEED"} --rounds "${STORE_KILL_ROUNDS:-120}"
