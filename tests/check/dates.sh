#!/bin/sh
# The date-sensitive suites under other system clocks and host time zones (libfaketime):
# the readings window, history periods, shift totals, inactivity and the clock on the
# screen must not care what date the machine thinks it is, nor its TZ.  The unit tests run
# on fixed instants; the e2e stack runs on its own clock (tests/e2e/run --now); the system
# clock still reaches TLS (the test PKI must be valid) and anything that forgot the
# injected clock.  Prints each system clock and zone it used.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
export BUILD
command -v faketime >/dev/null || { echo "faketime is not installed (it is in the Makefile's DEBS)"; exit 1; }
# Monotonic time stays real: the stack's processes share it (kiosk/clock.h).  ASan must be
# told that libfaketime comes before it in the library list.
export DONT_FAKE_MONOTONIC=1
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"

units="test_clock test_tz test_payhist test_rdhist test_flow test_flow_history test_flow_staff test_widget test_readings"
# system clock (UTC) | host TZ | e2e scripts run under it
cases="2026-11-20T07:00:00Z|UTC|clock readings_history
2026-12-31T20:59:00Z|America/New_York|clock history staff_cashier
2027-01-31T23:30:00Z|UTC|readings_history inactivity
2028-02-29T12:00:00Z|America/New_York|history staff_cashier
2030-12-31T20:59:30Z|UTC|readings_history inactivity"

fail=0; runs=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
printf '%s\n' "$cases" > "$tmp/cases"
while IFS='|' read -r utc tz scripts; do
	# libfaketime reads the instant as UTC whatever TZ says (checked below).
	stamp=$(date -u -d "$utc" '+%Y-%m-%d %H:%M:%S')
	ft() { TZ=$tz faketime -f "@$stamp" "$@"; }
	seen=$(ft date -u '+%Y-%m-%d %H:%M UTC')
	echo "== system clock $utc (seen: $seen), TZ=$tz"
	case "$seen" in "$(echo "$utc" | sed 's/T/ /; s/:[0-9]*Z$//') UTC") ;;
	*) echo "FAIL faketime did not set the clock"; fail=$((fail + 1)); continue ;; esac
	for u in $units; do
		[ -x "$BUILD/tests/$u" ] || { echo "FAIL $u: not built"; fail=$((fail + 1)); continue; }
		runs=$((runs + 1))
		if ft "$BUILD/tests/$u" >"$tmp/log" 2>&1; then echo "  ok   $u"
		else echo "  FAIL $u"; tail -n 20 "$tmp/log" | sed 's/^/    /'; fail=$((fail + 1)); fi
	done
	for s in $scripts; do
		runs=$((runs + 1))
		if ft tests/e2e/run "tests/e2e/$s.script" >"$tmp/log" 2>&1; then echo "  ok   e2e $s"
		else echo "  FAIL e2e $s"; tail -n 20 "$tmp/log" | sed 's/^/    /'; fail=$((fail + 1)); fi
	done
done < "$tmp/cases"
echo "dates: $runs runs, $fail failed"
[ "$fail" -eq 0 ]
