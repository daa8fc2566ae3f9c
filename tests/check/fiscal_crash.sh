#!/bin/sh
# Crash recovery of card payments with a fiscal register (docs/fiscal.md): the kiosk is
# killed (_exit 137, KIOSK_CRASH_AT) at each step from the card's approval to the PIN-pad's
# CONFIRM — after AUTHORIZED, after the closing row is stored (the close not sent), after
# the register made the receipt (nothing of it recorded), after RECORDED — and restarted on
# the same store and simulators.  Asserted against build/kkt-sim's JSON lines and the
# kiosk's store: exactly one fiscal receipt, of the journal's total, whose FD and FP are the
# ones recorded with the payment, and the payment confirmed.
BUILD=${BUILD:-build}
pass=0; fail=0
root=$(mktemp -d /tmp/fiscal-crash.XXXXXX)
check() { if eval "$2"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $1: $2"; return 1; fi; }
points="after_authorize fiscal_closing_stored fiscal_made after_record"
for p in $points; do
	out=$root/$p
	sed -e "s/^# env: KIOSK_CRASH_AT=.*/# env: KIOSK_CRASH_AT=$p/" -e '1i # run: --fiscal' \
		tests/e2e/crash/after_record.script > "$root/$p.script"
	tests/e2e/run "$root/$p.script" --then tests/e2e/crash/fiscal_recover.script --out "$out" \
		>"$root/$p.log" 2>&1
	check "$p: killed, restarted, recovered" "[ $? -eq 0 ]" || { tail -5 "$root/$p.log"; continue; }
	grep -q "event=exit at=$p" "$out/kiosk.log"
	check "$p: the crash point was reached" "[ $? -eq 0 ]"
	n=$(grep -c '"type":3' "$out/fiscal.jsonl")
	check "$p: one fiscal receipt" "[ '$n' = 1 ]"
	doc=$(grep '"type":3' "$out/fiscal.jsonl")
	row=$(sqlite3 "$out/kiosk.db" "SELECT fd || ' ' || fp || ' ' || j.total FROM journal_fiscal f JOIN journal j USING (txn_id)")
	want=$(printf '%s' "$doc" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["fd"], d["fp"], d["1081"])')
	check "$p: FD, FP and card amount recorded as made" "[ '$row' = '$want' ]"
	check "$p: confirmed" "[ \"\$(sqlite3 '$out/kiosk.db' 'SELECT state FROM journal')\" = CONFIRMED ]"
done
echo "kill points tried: $(echo $points | wc -w)"
[ $fail -eq 0 ] && rm -rf "$root" || echo "logs kept in $root"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
