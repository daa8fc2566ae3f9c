#!/bin/sh
# Staff PIN lockout survives a restart and escalates: tests/e2e/run several times on the
# same --out directory (the store kiosk.db is kept there between runs, so each kiosk process
# starts on the one before's store).  Run 1: five wrong PINs lock staff entry.  Run 2: still
# locked after the restart; `advance 900` (the kiosk clock's wall time) and the PIN works
# again.  Run 3: with no login in between, 15 minutes, then an hour, then until a
# technician.  Then `kiosk-tool staff-unlock` (its line, exit 0).  Run 4: the PIN works.
# Prints "N passed, N failed".
cd "$(dirname "$0")/../.." || exit 2
BUILD=${BUILD:-build}
out=$(mktemp -d /tmp/staff-lockout.XXXXXX)
trap 'rm -rf "$out"' EXIT INT TERM
pass=0; fail=0
run() {
	if tests/e2e/run tests/check/staff_lockout/$1.script --out "$out"; then
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
