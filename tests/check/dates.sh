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
# Monotonic time stays real: the stack's processes share it (kiosk/base/clock.h).  ASan must be
# told that libfaketime comes before it in the library list.
export DONT_FAKE_MONOTONIC=1
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"

units="test_clock test_tz test_payhist test_rdhist test_flow_staff test_readings"
# system clock (UTC) | host TZ | e2e scripts run under it
# (each e2e script under one or two of the clocks: make check's 10-minute budget)
cases="2026-11-20T07:00:00Z|UTC|clock readings_history
2026-12-31T20:59:00Z|America/New_York|clock history staff_cashier
2027-01-31T23:30:00Z|UTC|inactivity
2028-02-29T12:00:00Z|America/New_York|staff_cashier
2030-12-31T20:59:30Z|UTC|readings_history inactivity"

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# One system clock and zone: its report in $tmp/N.out, its failures counted in $tmp/N.fail.
run_case() { # n utc tz scripts
	n=$1 utc=$2 tz=$3 scripts=$4 fail=0 runs=0
	# libfaketime reads the instant as UTC whatever TZ says (checked below).
	stamp=$(date -u -d "$utc" '+%Y-%m-%d %H:%M:%S')
	ft() { TZ=$tz faketime -f "@$stamp" "$@"; }
	seen=$(ft date -u '+%Y-%m-%d %H:%M UTC')
	echo "== system clock $utc (seen: $seen), TZ=$tz"
	case "$seen" in "$(echo "$utc" | sed 's/T/ /; s/:[0-9]*Z$//') UTC") ;;
	*) echo "FAIL faketime did not set the clock"; echo 1 > "$tmp/$n.fail"; echo 0 > "$tmp/$n.runs"; return ;; esac
	for u in $units; do
		runs=$((runs + 1))
		if [ ! -x "$BUILD/tests/$u" ]; then echo "  FAIL $u: not built"; fail=$((fail + 1))
		elif ft "$BUILD/tests/$u" >"$tmp/$n.log" 2>&1; then echo "  ok   $u"
		else echo "  FAIL $u"; tail -n 20 "$tmp/$n.log" | sed 's/^/    /'; fail=$((fail + 1)); fi
	done
	for s in $scripts; do
		runs=$((runs + 1))
		if ft tests/e2e/run "tests/e2e/$s.script" >"$tmp/$n.log" 2>&1; then echo "  ok   e2e $s"
		else echo "  FAIL e2e $s"; tail -n 20 "$tmp/$n.log" | sed 's/^/    /'; fail=$((fail + 1)); fi
	done
	echo "$fail" > "$tmp/$n.fail"; echo "$runs" > "$tmp/$n.runs"
}

# Two cases at a time (DATES_JOBS): the e2e stacks mostly wait, and each has its own ports
# and files.  tests/run-all sets 1 when it already runs other tests beside this one.
per=${DATES_JOBS:-2}
printf '%s\n' "$cases" > "$tmp/cases"
n=0
while IFS='|' read -r utc tz scripts; do
	n=$((n + 1))
	run_case "$n" "$utc" "$tz" "$scripts" > "$tmp/$n.out" 2>&1 &
	[ $((n % per)) -eq 0 ] && wait
done < "$tmp/cases"
wait
fail=0; runs=0
for i in $(seq 1 "$n"); do
	cat "$tmp/$i.out"
	fail=$((fail + $(cat "$tmp/$i.fail"))); runs=$((runs + $(cat "$tmp/$i.runs")))
done
echo "dates: $runs runs under $n system clocks, $fail failed"
[ "$fail" -eq 0 ]
