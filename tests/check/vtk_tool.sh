#!/bin/sh
# kiosk-tool pinpad and doctor with pinpad.protocol = vtk, against build/vtk-sim: status is
# the IDL exchange (the terminal's last operation number and timers), txn ID the kiosk's own
# record of a payment's operation (after a real payment through the kiosk), reconcile is
# refused plainly (also on the cashier's screens); doctor names the protocol; status over a
# serial line (vtk-sim --pty).  Also vtk-sim's restart keeps its table.
BUILD=${BUILD:-build}
dir=$(mktemp -d /tmp/vtk-tool.XXXXXX)
pass=0; fail=0; sim=
check() { d=$1; shift; if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $d"; fi; }
has() { grep -Eq "$2" "$1"; }
start_sim() {
	"$BUILD/vtk-sim" --tcp 127.0.0.1:0 --state "$1" >"$dir/sim.out" 2>"$dir/sim.err" &
	sim=$!
	for _ in $(seq 1 50); do grep -q '^listening ' "$dir/sim.out" 2>/dev/null && break; sleep 0.1; done
	addr=$(sed -n 's/^listening //p' "$dir/sim.out")
}
stop_sim() { kill "$sim" 2>/dev/null; wait "$sim" 2>/dev/null; }

# a payment through the kiosk, then the cashier's reconcile and void refused plainly
# (tests/e2e/vtk/staff_cashier.script); its store and the terminal's table kept
tests/e2e/run tests/e2e/vtk/staff_cashier.script --out "$dir/e2e" >"$dir/e2e.log" 2>&1
check "a payment under vtk; the cashier's reconcile and void refused" test $? -eq 0
txn=$(sqlite3 "$dir/e2e/kiosk.db" "SELECT txn_id FROM journal")

start_sim "$dir/e2e/vtk.state"
printf '[kiosk]\nstore = %s\n[pinpad]\nprotocol = vtk\ntransport = tcp\naddress = %s\n' \
	"$dir/e2e/kiosk.db" "$addr" >"$dir/kiosk.conf"
tool() { "$BUILD/kiosk-tool" --config "$dir/kiosk.conf" "$@"; }
tool pinpad status >"$dir/status.out" 2>&1
check "status exits 0" test $? -eq 0
check "status: the terminal's last operation survived its restart" has "$dir/status.out" '^pos_op=1$'
check "status: timers" has "$dir/status.out" '^timeout_s=60$'
tool pinpad txn "$txn" >"$dir/txn.out" 2>&1
check "txn exits 0" test $? -eq 0
check "txn: operation 1, finalized" has "$dir/txn.out" '^op=1$'
check "txn: completed with its amount" has "$dir/txn.out" '^fin_reply=452316$'
check "txn: fin completed" has "$dir/txn.out" '^fin=completed$'
check "txn: the slip, masked" has "$dir/txn.out" '^PAN:\*{12}1234$'
tool pinpad txn nosuchtxn >"$dir/txn2.out" 2>&1
check "unknown txn exits 1" test $? -eq 1
check "unknown txn said" has "$dir/txn2.out" '^result=UNKNOWN_TXN$'
tool pinpad reconcile >"$dir/rec.out" 2>&1
check "reconcile refused" test $? -eq 1
check "reconcile: said why" has "$dir/rec.out" 'closes its batches by itself'
tool doctor >"$dir/doctor.out" 2>&1
check "doctor names the protocol" has "$dir/doctor.out" '^ok +pinpad +protocol vtk \(a Vendotek terminal'
stop_sim
# tests/e2e/run --device: a payment against a terminal that is already running
start_sim "$dir/dev.state"
tests/e2e/run tests/e2e/pay_scan.script --device "pinpad=vtk:tcp:$addr" --out "$dir/dev" >"$dir/dev.log" 2>&1
check "e2e --device pinpad=vtk:tcp:HOST:PORT pays" test $? -eq 0
check "e2e --device started no simulator of its own" test ! -e "$dir/dev/vtk-sim.out"
check "e2e --device: the running terminal holds the operation" grep -q '^last 1$' "$dir/dev.state"
stop_sim
tool pinpad status >"$dir/down.out" 2>&1
check "status with the terminal down exits 1" test $? -eq 1
# the serial form (1F framing, CRC) through a pty
"$BUILD/vtk-sim" --pty >"$dir/pty.out" 2>"$dir/pty.err" &
sim=$!
for _ in $(seq 1 50); do grep -q '^pty ' "$dir/pty.out" 2>/dev/null && break; sleep 0.1; done
printf '[pinpad]\nprotocol = vtk\ntransport = tty\naddress = %s\n' "$(sed -n 's/^pty //p' "$dir/pty.out")" >"$dir/tty.conf"
"$BUILD/kiosk-tool" --config "$dir/tty.conf" pinpad status >"$dir/tty.out" 2>&1
check "status over a serial line exits 0" test $? -eq 0
check "status over a serial line: the IDL reply" has "$dir/tty.out" '^pos_op=0$'
stop_sim
printf '[pinpad]\nprotocol = vtk\ntransport = usb\naddress = 1d6b:0104\n' >"$dir/bad.conf"
"$BUILD/kiosk-tool" --config "$dir/bad.conf" doctor >"$dir/bad.out" 2>&1
check "vtk over libusb refused" has "$dir/bad.out" 'pinpad.protocol = vtk needs pinpad.transport = tcp or tty'
rm -rf "$dir"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
