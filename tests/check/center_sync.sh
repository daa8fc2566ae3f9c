#!/bin/sh
# The sync engine against build/billing-center (in-memory outbox until the store merges):
# commit_drop then resend as duplicates, conflict quarantine, snapshot paging, busy,
# dup_reply, pin mismatch, fork recovery, the thread's kick and online/offline status.
BUILD=${BUILD:-build}
exec "$BUILD/tests/center_sync" "$BUILD"
