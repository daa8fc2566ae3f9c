#!/bin/sh
# The sync engine against build/billing-center (in-memory outbox until the store merges):
# commit_drop then resend as duplicates, conflict quarantine, snapshot paging, busy,
# dup_reply, pin mismatch, fork recovery, the thread's kick and online/offline status, and
# a random fault schedule (seed printed; CENTER_SEED=N replays) after which every record is
# in the ledger exactly once with the ref the kiosk holds.
BUILD=${BUILD:-build}
exec "$BUILD/tests/center_sync" "$BUILD"
