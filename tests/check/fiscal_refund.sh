#!/bin/sh
# kiosk-tool fiscal refund against build/kkt-sim: a payment made end to end
# (tests/e2e/fiscal/one_bill.script on a kkt-sim started here, --device fiscal=…), then
# turned into the case the tool is for — its card reversed and its sale receipt stored as
# an orphan, as the kiosk does when the receipt is found after the payment gave up.  The
# tool makes the refund receipt: the register's new document is a receipt with 1054 = 2
# (возврат прихода), the sale's sum, items and tags; the store keeps its FD and FP with an
# audit row and an outbox event fiscal_refund.  A second run refuses and makes nothing; a
# payment without an orphan receipt, or a recorded one, is refused.
BUILD=${BUILD:-build}
dir=$(mktemp -d)
pass=0; fail=0
check() { # description command...
	d=$1; shift
	if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $d"; fi
}
"$BUILD/kkt-sim" --tcp 127.0.0.1:0 --docs "$dir/docs.jsonl" --printout "$dir/print.jsonl" \
	> "$dir/sim.out" 2> "$dir/sim.err" &
sim=$!
for _ in $(seq 1 50); do
	grep -q '^listening ' "$dir/sim.out" 2>/dev/null && break
	sleep 0.1
done
port=$(sed -n 's/^listening 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$dir/sim.out")
tests/e2e/run tests/e2e/fiscal/one_bill.script --device "fiscal=tcp:127.0.0.1:$port" \
	--out "$dir/run" > "$dir/run.log" 2>&1
check "the payment" test $? -eq 0
db=$dir/run/kiosk.db
sql() { python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1]); r = c.execute(sys.argv[2]).fetchall(); c.commit()
print("\n".join("|".join(str(v) for v in row) for row in r))' "$db" "$1"; }
txn=$(sql "SELECT txn_id FROM journal")
tool() { "$BUILD/kiosk-tool" --config "$dir/run/kiosk.conf" fiscal refund "$@"; }
val() { sed -n "s/^$1=//p" "$2"; }

tool "$txn" > "$dir/recorded.out"
check "a recorded payment: no refund" test $? -eq 1
check "refusal says why" grep -q "^error=по оплате $txn нет чека, требующего возврата$" "$dir/recorded.out"
sql "UPDATE journal SET state = 'REVERSED_AUTO' WHERE txn_id = '$txn'" > /dev/null
sql "INSERT INTO fiscal_orphan(txn_id, fn_serial, fd, fp, doc_time, found_ms) SELECT txn_id,
     fn_serial, fd, fp, doc_time, 0 FROM journal_fiscal WHERE txn_id = '$txn'" > /dev/null
ndocs=$(wc -l < "$dir/docs.jsonl")
tool "$txn" > "$dir/refund.out"
check "refund exit 0" test $? -eq 0
check "one more document" test "$(wc -l < "$dir/docs.jsonl")" -eq $((ndocs + 1))
check "refund of the sale" test "$(val sale_fd "$dir/refund.out")" = "$(sql "SELECT fd FROM journal_fiscal")"
r=$(python3 - "$dir/docs.jsonl" "$db" "$(val refund_fd "$dir/refund.out")" "$(val refund_fp "$dir/refund.out")" <<'PY'
import json, sqlite3, sys
docs = [json.loads(l) for l in open(sys.argv[1])]
db = sqlite3.connect(sys.argv[2])
sale_fd, total = db.execute("SELECT f.fd, j.total FROM journal j JOIN journal_fiscal f USING (txn_id)").fetchone()
sale = [d for d in docs if d["fd"] == sale_fd][0]
ref = docs[-1]
bad = []
def want(what, got, exp):
    if got != exp:
        bad.append("%s: %r != %r" % (what, got, exp))
want("type", ref["type"], 3); want("1054", ref["1054"], 2); want("1020", ref["1020"], total)
want("1081", ref["1081"], total); want("fd", ref["fd"], int(sys.argv[3])); want("fp", ref["fp"], int(sys.argv[4]))
want("items", [{k: v for k, v in i.items()} for i in ref["items"]], sale["items"])
want("1057", ref.get("1057"), sale.get("1057"))
want("stored", db.execute("SELECT refund_fd, refund_fp FROM fiscal_orphan").fetchone(), (ref["fd"], ref["fp"]))
want("event", db.execute("SELECT count(*) FROM outbox WHERE kind='event' AND CAST(body AS TEXT) "
                         "LIKE '%\"event\":\"fiscal_refund\"%'").fetchone()[0], 1)
want("audit", db.execute("SELECT actor FROM audit WHERE action='fiscal_refund'").fetchall(), [("kiosk-tool",)])
print("ok" if not bad else "; ".join(bad))
PY
)
check "the refund document: $r" test "$r" = ok
tool "$txn" > "$dir/again.out"
check "second refund refused" test $? -eq 1
check "second refund says so" grep -q "^error=чек возврата уже сделан: ФД $(val refund_fd "$dir/refund.out")$" "$dir/again.out"
check "no second document" test "$(wc -l < "$dir/docs.jsonl")" -eq $((ndocs + 1))
tool 00000000000000000000000000000000 > "$dir/none.out"
check "unknown payment refused" test $? -eq 1
"$BUILD/kiosk-tool" --config "$dir/run/kiosk.conf" fiscal refund > /dev/null 2>&1
check "refund without TXN is usage" test $? -eq 2
kill "$sim" 2>/dev/null; wait "$sim" 2>/dev/null
[ $fail -eq 0 ] && rm -rf "$dir" || echo "files kept in $dir"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
