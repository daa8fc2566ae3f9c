#!/bin/sh
# make bench: the kiosk's memory after many resident sessions in one process.
#   rss_mb          VmRSS of build/kiosk after session N (BENCH_SESSIONS, default 1000): the
#                   production program, as installed (browse sessions need no test hook)
#   rss_growth_mb   VmRSS after session N minus VmRSS after session N/10
#   rss_anon_mb     the private part of rss_mb (RssAnon: heap, stacks, the window surface),
#   rss_file_mb     and the pages of shared libraries (RssFile)
#   rss_link_mb     VmRSS of the kiosk's kiosk-link processes together (its exchanges with
#                   the billing center run there: libcurl, TLS), link_procs how many
#   pss_total_mb    the kiosk and its link processes together, each shared page counted
#                   once (Pss): what the terminal spends on the kiosk
# Its floor, rss_floor_mb (the bare SDL program of the same window size), is printed by
# bench_startup in the same `make bench`.  Sessions are "browse" sessions from
# tests/soak/soak_gen (scan a demo bill, the account screen from the billing-center
# simulator over mTLS, home), driven through tests/e2e/run with both simulators.  The bench
# watches the kiosk's log for the script line that ends session N/10 and session N, and
# reads /proc/PID/status then (the script runs 50 sessions more, a few seconds, so the
# kiosk is still there to be measured while this loop greps a growing log).
set -u
BUILD=${BUILD:-build}
n=${BENCH_SESSIONS:-1000}
m=$((n / 10))
tmp=$(mktemp -d /tmp/bench-sessions.XXXXXX)
runpid=""
cleanup() { [ -n "$runpid" ] && kill "$runpid" 2>/dev/null; [ -n "${BENCH_KEEP:-}" ] || rm -rf "$tmp"; }
trap cleanup EXIT INT TERM
"$BUILD/tests/soak_gen" --sessions $((n + 50)) --seed 1 --mode browse --mark "$m" --mark "$n" \
	>"$tmp/s.script" 2>"$tmp/gen" || exit 1
l1=$(sed -n "s/^mark $m line //p" "$tmp/gen")
l2=$(sed -n "s/^mark $n line //p" "$tmp/gen")
KIOSK_BIN=$BUILD/kiosk BUILD=$BUILD tests/e2e/run "$tmp/s.script" --out "$tmp/out" >"$tmp/run.out" 2>&1 &
runpid=$!

rss() { sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$1/status" 2>/dev/null; }
kpid=""; r1=""; r2=""; anon=""; file=""; lrss=0; nlink=0; pss=0
while kill -0 "$runpid" 2>/dev/null; do
	[ -n "$kpid" ] || kpid=$(pgrep -P "$runpid" -x kiosk)
	if [ -n "$kpid" ] && [ -z "$r1" ] && grep -q "event=ok line=$l1 " "$tmp/out/kiosk.log" 2>/dev/null; then
		r1=$(rss "$kpid")
	fi
	if [ -n "$kpid" ] && [ -n "$r1" ] && grep -q "event=ok line=$l2 " "$tmp/out/kiosk.log" 2>/dev/null; then
		st=$(cat "/proc/$kpid/status" 2>/dev/null)
		r2=$(printf '%s\n' "$st" | sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p')
		anon=$(printf '%s\n' "$st" | sed -n 's/^RssAnon:[[:space:]]*\([0-9]*\) kB/\1/p')
		file=$(printf '%s\n' "$st" | sed -n 's/^RssFile:[[:space:]]*\([0-9]*\) kB/\1/p')
		pss=$(sed -n 's/^Pss:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$kpid/smaps_rollup" 2>/dev/null)
		for c in $(pgrep -P "$kpid" -x kiosk-link); do
			lrss=$((lrss + $(rss "$c"))); nlink=$((nlink + 1))
			pss=$((pss + $(sed -n 's/^Pss:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$c/smaps_rollup" 2>/dev/null)))
		done
		break
	fi
	sleep 0.05
done
wait "$runpid"
rc=$?
runpid=""
if [ $rc -ne 0 ] || [ -z "$r1" ] || [ -z "$r2" ]; then
	echo "sessions: the run failed (rc $rc, rss $r1 $r2)" >&2
	tail -n 5 "$tmp/run.out" >&2
	exit 1
fi
awk -v a="$r1" -v b="$r2" -v n="$n" -v an="${anon:-0}" -v fi="${file:-0}" -v lr="$lrss" -v nl="$nlink" \
	-v ps="${pss:-0}" 'BEGIN {
	printf "rss_mb %.1f MB\n", b / 1024
	printf "rss_growth_mb %.2f MB\n", (b - a) / 1024
	printf "rss_anon_mb %.1f MB\n", an / 1024
	printf "rss_file_mb %.1f MB\n", fi / 1024
	printf "rss_link_mb %.1f MB\n", lr / 1024
	printf "link_procs %d processes\n", nl
	printf "pss_total_mb %.1f MB\n", ps / 1024
	printf "rss_sessions %d sessions\n", n }'
