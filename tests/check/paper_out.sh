# Receipt printer out of paper during a payment (issue 8): the file printer's paper knob is
# set to "out" before the run; the payment completes, the screen says the receipt is not
# printing and offers an e-receipt, nothing is printed, and the receipt text is kept for a
# reprint by the cashier.
BUILD=${BUILD:-build}
d=$(mktemp -d /tmp/paper-out.XXXXXX)
pass=0; fail=0
mkdir -p "$d/out/receipts" && echo out > "$d/out/receipts/paper"
tests/e2e/run tests/e2e/printer/paper_out.script --out "$d/out" >"$d/run.log" 2>&1
if [ $? -eq 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: the script"; tail -5 "$d/run.log"; fi
n=$(ls "$d/out/receipts" | grep -c '^receipt-.*\.png$')
if [ "$n" -eq 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $n receipts printed without paper"; fi
t=$(sqlite3 "$d/out/kiosk.db" "SELECT text FROM receipts")
if printf '%s' "$t" | grep -q 'ИТОГО' && printf '%s' "$t" | grep -q '523,16'; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: receipt text not kept"; fi
if grep -q 'mod=printer event=state state=paper_out' "$d/out/kiosk.log"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: paper out not logged"; fi
rm -rf "$d"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
