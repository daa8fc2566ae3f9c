#!/bin/sh
# Staff PIN lockout survives a restart and escalates: tests/e2e/run several times on the
# same --out directory (the store kiosk.db is kept there between runs, so each kiosk process
# starts on the one before's store).  Run 1: five wrong PINs lock staff entry.  Run 2: still
# locked after the restart five minutes later; `advance` (the stack's clock) and the PIN
# works again.  Run 3: with no login in between, 15 minutes, then an hour, then until a
# technician.  Then `kiosk-tool staff-unlock` (its line, exit 0).  Run 4: the PIN works.
# Prints "N passed, N failed".
cd "$(dirname "$0")/../.." || exit 2
BUILD=${BUILD:-build}
out=$(mktemp -d /tmp/staff-lockout.XXXXXX)
trap 'rm -rf "$out"' EXIT INT TERM
pass=0; fail=0
# Each run is a new test stack with its own clock (tests/e2e/run --now): every run starts
# after the one before has ended (a run at the same instant would start before the lock).
run() {
	case $1 in
	lock) now=2026-11-20T10:00:00+03:00 ;;
	after-restart) now=2026-11-20T10:05:00+03:00 ;;
	escalate) now=2026-11-20T11:00:00+03:00 ;;
	*) now=2026-11-23T09:00:00+03:00 ;;
	esac
	if tests/e2e/run tests/check/staff_lockout/$1.script --now "$now" --out "$out"; then
		pass=$((pass + 1)); echo "PASS $1"
	else
		fail=$((fail + 1)); echo "FAIL $1 (log: $out/kiosk.log)"; tail -n 20 "$out/kiosk.log"
		return 1
	fi
}
unlock() {
	got=$("$BUILD/kiosk-tool" --config "$out/kiosk.conf" staff-unlock 2>&1); st=$?
	want="staff login unlocked: was lock level 3, 5 wrong PINs, locked until a technician"
	if [ $st -eq 0 ] && [ "$got" = "$want" ]; then
		pass=$((pass + 1)); echo "PASS staff-unlock"
	else
		fail=$((fail + 1)); echo "FAIL staff-unlock: status $st, output '$got'"
		return 1
	fi
}
run lock && run after-restart && run escalate && unlock && run after-unlock
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -eq 5 ]
