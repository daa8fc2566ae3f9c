#!/bin/sh
# Issue 6, end to end with the real store: 1,000 payments and readings produced through the
# journal and readings paths while ~30 % of the sync thread's requests meet seeded faults
# (refuse, reset, commit_drop, commit_504, slow_commit, dup_reply, busy) and the sync engine's
# kiosk-link process is killed every 0.5-1.1 s; the center then
# restarted on the same database without faults.  Checks: ledger = kiosk records as a key set
# (0 missing, 0 duplicates), payment sum to the kopeck, all acked within 30 s, watermarks
# never decrease, batch POSTs <= 2.5 x the batches needed.  Then restore from backup: fork
# detected by the first request, a new epoch, the center holding exactly 100 records.
# Prints the seed; SYNC_SEED=N replays the records and the fault schedule.
BUILD=${BUILD:-build}
exec "$BUILD/tests/sync_faults" "$BUILD"
