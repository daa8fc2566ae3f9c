#!/bin/sh
# build/pinpad-sim as a program and kiosk-tool pinpad against it: the stdout contract
# ("listening HOST:PORT", "control HOST:PORT"), the control channel (ok / error), the state
# file across a simulator restart, and the tool's output and exit codes.
BUILD=${BUILD:-build}
dir=$(mktemp -d)
pass=0; fail=0; sim=
check() { # description command...
	d=$1; shift
	if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $d"; fi
}
start_sim() {
	"$BUILD/pinpad-sim" --tcp 127.0.0.1:0 --control 127.0.0.1:0 --state "$dir/state" \
		--knob delay=50 > "$dir/sim.out" 2> "$dir/sim.err" &
	sim=$!
	for _ in $(seq 1 50); do
		grep -q '^control ' "$dir/sim.out" 2>/dev/null && break
		sleep 0.1
	done
	port=$(sed -n 's/^listening 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$dir/sim.out")
	cport=$(sed -n 's/^control 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$dir/sim.out")
	printf '[pinpad]\ntransport = tcp\naddress = 127.0.0.1:%s\n' "$port" > "$dir/kiosk.conf"
}
stop_sim() { kill "$sim" 2>/dev/null; wait "$sim" 2>/dev/null; }
control() { # lines -> answers
	python3 -c '
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
f = s.makefile("rw")
for line in sys.argv[2:]:
    f.write(line + "\n"); f.flush()
    print(f.readline().strip())
' "$cport" "$@"
}
tool() { "$BUILD/kiosk-tool" --config "$dir/kiosk.conf" pinpad "$@"; }

start_sim
check "listening line" test -n "$port"
check "control line" test -n "$cport"
tool status > "$dir/status.out"
check "status exit 0" test $? -eq 0
check "status shows HELLO_RESP" grep -q '^msg=HELLO_RESP' "$dir/status.out"
check "status shows TID" grep -q '^TID=12345678' "$dir/status.out"
check "status idle" grep -q '^TERM_STATE=0' "$dir/status.out"
tool txn K-none > "$dir/txn.out"
check "unknown txn exit 1" test $? -eq 1
check "unknown txn result" grep -q '^result=UNKNOWN_TXN' "$dir/txn.out"
control "decline=51 silent=1" "bogus=1" "delay=abc" "reset" > "$dir/ctl.out"
check "control answers" test "$(tr '\n' ' ' < "$dir/ctl.out")" = "ok error unknown knob 'bogus' error bad value for 'delay' ok "
tool reconcile > "$dir/rec.out"
check "reconcile exit 0" test $? -eq 0
check "reconcile totals" grep -q '^MIR;643;0;0;sale' "$dir/rec.out"
rid=$(sed -n 's/^txn_id=//p' "$dir/rec.out")
check "reconcile id" test -n "$rid"
control "status_busy=1" > /dev/null
tool txn "$rid" > "$dir/busy.out"
check "busy txn_status exit 1" test $? -eq 1
check "busy txn_status result" grep -q '^result=BUSY' "$dir/busy.out"
stop_sim
check "state file written" test -s "$dir/state"
start_sim
tool txn "$rid" > "$dir/after.out"
check "txn after restart exit 0" test $? -eq 0
check "txn after restart known" grep -q '^BATCH_NO=1' "$dir/after.out"
stop_sim
printf '[pinpad]\ntransport = tcp\naddress = 127.0.0.1:%s\n' "$port" > "$dir/kiosk.conf"
tool status > /dev/null 2> "$dir/down.err"
check "no simulator: exit 1" test $? -eq 1
check "no simulator: message" grep -q 'pinpad: PIN-pad gone' "$dir/down.err"
tool bogus > /dev/null 2>&1
check "usage: exit 2" test $? -eq 2
rm -rf "$dir"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
