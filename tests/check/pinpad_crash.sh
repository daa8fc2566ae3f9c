# Crash recovery of card payments (docs/kpp1.md, Two-phase sale and Recovery): the kiosk is killed
# (_exit 137, KIOSK_CRASH_AT) at each step of a payment — with the SALE at the terminal,
# after the terminal approved but before AUTHORIZED was written, after AUTHORIZED, after
# RECORDED before CONFIRM — and restarted on the same store and simulators.  After the
# restart, asserted on the kiosk's store, the center's ledger and the simulator's own
# record: the approved sale is recorded exactly once, confirmed, delivered once, and the
# terminal holds it as APPROVED_CONFIRMED (nothing charged twice, nothing approved lost).
BUILD=${BUILD:-build}
pass=0; fail=0
root=$(mktemp -d /tmp/pinpad-crash.XXXXXX)
check() { if eval "$2"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $1: $2"; fi; }
points="after_sale_sent before_authorize after_authorize after_record"
for p in $points; do
	out=$root/$p
	tests/e2e/run tests/e2e/crash/$p.script --then tests/e2e/crash/recover.script --out "$out" \
		--center-db "$out/center.db" >"$root/$p.log" 2>&1
	check "$p: killed, restarted, recovered" "[ $? -eq 0 ]" || { tail -5 "$root/$p.log"; continue; }
	grep -q "event=exit at=$p" "$out/kiosk.log"
	check "$p: the crash point was reached" "[ $? -eq 0 ]"
	txn=$(sqlite3 "$out/kiosk.db" "SELECT txn_id FROM journal")
	check "$p: one journal row, CONFIRMED" "[ \"\$(sqlite3 '$out/kiosk.db' \"SELECT count(*)||state FROM journal\")\" = 1CONFIRMED ]"
	check "$p: one payment in the center's ledger, this txn" \
		"[ \"\$(sqlite3 '$out/center.db' \"SELECT count(*) FROM ledger WHERE kind='payment' AND json_extract(CAST(body AS TEXT), '\\\$.txn_id')='$txn'\")\" = 1 ] && [ \"\$(sqlite3 '$out/center.db' \"SELECT count(*) FROM ledger WHERE kind='payment'\")\" = 1 ]"
	# The simulator's own record: restart it on its saved state and ask for the txn.
	: >"$root/sim.out"
	"$BUILD/pinpad-sim" --tcp 127.0.0.1:0 --state "$out/pinpad.state" >"$root/sim.out" 2>/dev/null &
	sp=$!
	i=0; while [ $i -lt 100 ] && ! grep -q '^listening' "$root/sim.out"; do sleep 0.05; i=$((i + 1)); done
	addr=$(sed -n 's/^listening //p' "$root/sim.out")
	sed "s/^address = .*/address = $addr/" "$out/kiosk.conf" | grep -v '^control' >"$root/tool.conf"
	"$BUILD/kiosk-tool" --config "$root/tool.conf" pinpad txn "$txn" >"$root/txn.out" 2>&1
	kill $sp; wait $sp 2>/dev/null
	check "$p: the terminal holds it APPROVED_CONFIRMED, once" \
		"grep -q '^txn_state=APPROVED_CONFIRMED' '$root/txn.out' && grep -q '^AMOUNT=452316' '$root/txn.out'"
done
echo "kill points tried: $(echo $points | wc -w)"
rm -rf "$root"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
