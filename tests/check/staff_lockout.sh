#!/bin/sh
# Staff PIN lockout survives a restart: tests/e2e/run twice on the same --out directory
# (the store kiosk.db is kept there between runs, so the second kiosk process starts on the
# first one's store).  Run 1: five wrong PINs lock staff entry.  Run 2: still locked after
# the restart five minutes later; `advance 900` (the stack's clock) and the PIN works again.
# Prints "N passed, N failed".
cd "$(dirname "$0")/../.." || exit 2
out=$(mktemp -d /tmp/staff-lockout.XXXXXX)
trap 'rm -rf "$out"' EXIT INT TERM
pass=0; fail=0
# Each run is a new test stack with its own clock: the restart comes five minutes after
# the lock (a second run at the same instant would start before the lock was written).
for s in lock after-restart; do
	case $s in lock) now=2026-11-20T10:00:00+03:00 ;; *) now=2026-11-20T10:05:00+03:00 ;; esac
	if tests/e2e/run tests/check/staff_lockout/$s.script --now "$now" --out "$out"; then
		pass=$((pass + 1)); echo "PASS $s"
	else
		fail=$((fail + 1)); echo "FAIL $s (log: $out/kiosk.log)"; tail -n 20 "$out/kiosk.log"
		break
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -eq 2 ]
