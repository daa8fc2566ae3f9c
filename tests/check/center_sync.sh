#!/bin/sh
# The sync engine against build/billing-center over the kiosk's real SQLite store:
# commit_drop then resend as duplicates, conflict quarantine (a restored copy records a
# payment again), snapshot paging, busy, dup_reply, pin mismatch, fork recovery, the thread's kick and online/offline status, and
# a random fault schedule (seed printed; CENTER_SEED=N replays) after which every record is
# in the ledger exactly once with the ref the kiosk holds.
BUILD=${BUILD:-build}
exec "$BUILD/tests/center_sync" "$BUILD"
