#!/bin/sh
# "Restart the kiosk" from the technician's menu: the kiosk stops cleanly with exit status
# 75 (what systemd's RestartForceExitStatus=75 / Restart=on-failure restart on) and the
# restart is in the audit trail.  Prints "N passed, N failed".
cd "$(dirname "$0")/../.." || exit 2
out=$(mktemp -d /tmp/staff-restart.XXXXXX)
trap 'rm -rf "$out"' EXIT INT TERM
pass=0; fail=0
tests/e2e/run tests/check/staff_restart/restart.script --out "$out" 2>"$out/run.err"
rc=$?
if [ "$rc" -eq 75 ]; then pass=$((pass + 1)); echo "PASS exit status 75"
else fail=$((fail + 1)); echo "FAIL exit status $rc (want 75)"; cat "$out/run.err"; fi
n=$(sqlite3 "$out/kiosk.db" "SELECT count(*) FROM audit WHERE action='restart' AND actor='test-tech'" 2>/dev/null)
if [ "$n" = 1 ]; then pass=$((pass + 1)); echo "PASS restart audited"
else fail=$((fail + 1)); echo "FAIL restart audit rows: '$n'"; fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
