#!/bin/sh
# make bench: a whole card payment, end to end, with the simulators' own delays at zero
# (`pinpad reset delay=0 event_ms=0`): what remains is the kiosk's own overhead plus the
# loopback PIN-pad and billing-center exchanges.
#   payment_e2e_ms_p50      from the script feeding the scan (the log line of the command
#                           before it) to the receipt printed (printer job_done), over
#                           BENCH_PAYMENTS (default 20) payments in one kiosk process:
#                           scan -> lookup -> account -> confirm -> SALE ->
#                           approved -> journal RECORDED/CONFIRMED + outbox -> receipt.
#                           The script taps each button as soon as it is enabled (no human
#                           think time).
#   payment_pinpad_ms_p50   its floor on the device side: SALE sent -> CONFIRM_RESP received
#                           (the KPP/1 exchange itself, simulator delays zero)
# Timestamps are the kiosk log's (ms).  Driven through tests/e2e/run with both simulators.
set -u
BUILD=${BUILD:-build}
n=${BENCH_PAYMENTS:-20}
tmp=$(mktemp -d /tmp/bench-payment.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM
"$BUILD/tests/soak_gen" --sessions "$n" --seed 1 --mode pay >"$tmp/p.script" 2>/dev/null || exit 1
if ! BUILD=$BUILD tests/e2e/run "$tmp/p.script" --out "$tmp/out" >"$tmp/run.out" 2>&1; then
	echo "payment: the run failed" >&2
	tail -n 5 "$tmp/run.out" >&2
	exit 1
fi
# Script lines of the scans (the ok line of the command before each is the start).
grep -n '^scan ' "$tmp/p.script" | cut -d: -f1 | awk '{ print $1 - 1 }' >"$tmp/starts"
awk -v n="$n" '
function ms(line,   t, h) {
	match(line, /T[0-9:.]+Z/)
	t = substr(line, RSTART + 1, RLENGTH - 2)
	split(t, h, ":")
	return ((h[1] * 60 + h[2]) * 60 + h[3]) * 1000
}
function fix(d) { return d < 0 ? d + 86400000 : d }
FNR == NR { start[$1] = 1; next }
/mod=script event=ok/ {
	l = $0; sub(/.*line=/, "", l); sub(/ .*/, "", l)
	if (l in start) t0[nq++] = ms($0)
}
/msg=SALE / { s0 = ms($0) }
/msg=CONFIRM_RESP/ { if (s0 != "") dev[nd++] = fix(ms($0) - s0); s0 = "" }
# Receipts print while the next session starts: the k-th receipt ends the k-th payment.
/mod=printer event=job_done/ && ne < nq { e2e[ne] = fix(ms($0) - t0[ne]); ne++ }
function median(a, k,   i, j, x) {
	for (i = 1; i < k; i++) { x = a[i]; for (j = i - 1; j >= 0 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
	return k % 2 ? a[int(k / 2)] : (a[k / 2 - 1] + a[k / 2]) / 2
}
END {
	if (ne != n || nd != n) { printf "payment: %d of %d payments timed (%d device)\n", ne, n, nd > "/dev/stderr"; exit 1 }
	printf "payment_e2e_ms_p50 %.0f ms\n", median(e2e, ne)
	printf "payment_pinpad_ms_p50 %.0f ms\n", median(dev, nd)
}' "$tmp/starts" "$tmp/out/kiosk.log"
