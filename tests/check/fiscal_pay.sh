#!/bin/sh
# Card payments with a fiscal register, end to end: one bill (tests/e2e/fiscal/one_bill.script)
# and two bills in one payment (tests/e2e/fiscal/two_bills.script).  Each fiscal document
# build/kkt-sim made is checked tag by tag against the kiosk's store: the receipt's FD, FP
# and drive as recorded, 1020 and 1081 the journal total, 1031 zero, 1055 the configured
# tax system, 1057 and each item's 1222 the payment agent, one item per journal line in
# order with 1030 naming its account and period, 1079 = 1043 = the line's amount, 1226 the
# payee's INN padded to 12, 1224 its name and phone, 1223 the agent's phones.  Then two
# payments and the cashier's X and Z (tests/e2e/fiscal/cashier.script): the register's
# X line and Z document count and sum the journal's payments.  The kiosk's own printed
# receipt carries the register's check QR, and the center's ledger the receipt's attributes.
# The e-receipt address typed before the card (tests/e2e/fiscal/ereceipt.script) is the
# receipt's 1008, and nowhere in the kiosk's log; the other receipts carry no 1008.
# With the register as the printer (tests/e2e/fiscal/kkt_print.script) the text it printed
# after the receipt holds the account, the operation number, the questions phone and the
# journal's masked card number, every line within 40 characters, then a cut; never the
# card's BIN followed by more digits (a full card number).  With the paper gone during the
# receipt (kkt_print_paper) the payment is confirmed and none of that text is printed.
# The cashier's copy (tests/e2e/fiscal/history.script) carries the receipt's ФН, ФД, ФП
# and its check QR.
BUILD=${BUILD:-build}
pass=0; fail=0
root=$(mktemp -d /tmp/fiscal-pay.XXXXXX)
for s in tests/e2e/fiscal/one_bill.script tests/e2e/fiscal/two_bills.script tests/e2e/fiscal/cashier.script \
	 tests/e2e/fiscal/ereceipt.script tests/e2e/fiscal/kkt_print.script \
	 tests/e2e/fiscal/kkt_print_paper.script tests/e2e/fiscal/history.script; do
	n=$(basename "$s" .script)
	out=$root/$n
	if tests/e2e/run "$s" --out "$out" --center-db "$out/center.db" >"$root/$n.log" 2>&1; then pass=$((pass + 1))
	else fail=$((fail + 1)); echo "FAIL $n: the payment"; tail -5 "$root/$n.log"; continue; fi
	r=$(python3 - "$out" <<'PY'
import json, sqlite3, sys
out = sys.argv[1]
db = sqlite3.connect(out + "/kiosk.db")
center = sqlite3.connect(out + "/center.db")
docs = [json.loads(l) for l in open(out + "/fiscal.jsonl")]
receipts = {d["fd"]: d for d in docs if d["type"] == 3}
bad = []
def want(what, got, exp):
    if got != exp:
        bad.append("%s: %r != %r" % (what, got, exp))
rows = db.execute("SELECT txn_id, total, fn_serial, fd, fp FROM journal JOIN journal_fiscal "
                  "USING (txn_id) WHERE journal_fiscal.state = 'made'").fetchall()
want("journal rows", len(rows), db.execute("SELECT count(*) FROM journal").fetchone()[0])
want("receipts", len(receipts), len(rows))
for txn, total, fn, fd, fp in rows:
    d = receipts.get(fd, {})
    want("fp", d.get("fp"), fp); want("fn", d.get("fn"), fn)
    want("1020", d.get("1020"), total); want("1081", d.get("1081"), total); want("1031", d.get("1031"), 0)
    want("1054", d.get("1054"), 1); want("1055", d.get("1055"), 2); want("1057", d.get("1057"), 4)
    want("1008", d.get("1008"), "+79161234567" if out.endswith("ereceipt") else None)
    ledger = [json.loads(b) for (b,) in center.execute(
        "SELECT CAST(body AS TEXT) FROM ledger WHERE kind='payment'")]
    mine = [b for b in ledger if b["txn_id"] == txn]
    want("ledger fiscal", mine[0].get("fiscal") if mine else None,
         {"fn": fn, "fd": fd, "fp": fp, "time": d.get("datetime"), "shift": d.get("shift"),
          "number": d.get("number")})
    printed = db.execute("SELECT text FROM receipts WHERE txn_id=?", (txn,)).fetchone()
    want("printed QR", printed is not None and ("[QR] " + d.get("qr", "?")) in printed[0], True)
    lines = db.execute("SELECT pers_acc, period, amount, payee_inn, payee_name FROM journal_lines "
                       "WHERE txn_id=? ORDER BY pos", (txn,)).fetchall()
    want("items", len(d.get("items", [])), len(lines))
    for i, (acc, period, amount, inn, name) in enumerate(lines[:len(d.get("items", []))]):
        it = d["items"][i]
        per = period[5:7] + "." + period[0:4]
        want("1030[%d]" % i, it["1030"], "Оплата ЖКУ ЛС %s %s" % (acc, per))
        want("1079[%d]" % i, it["1079"], amount); want("1043[%d]" % i, it["1043"], amount)
        want("qty[%d]" % i, it["1023_micro"], 1000000)
        want("tax[%d]" % i, it["tax"], 8); want("1214[%d]" % i, it["1214"], 4); want("1212[%d]" % i, it["1212"], 4)
        want("1222[%d]" % i, it["1222"], 4); want("1226[%d]" % i, it["1226"], inn.ljust(12))
        want("1225[%d]" % i, it["1224"]["1225"], name.replace("«", '"').replace("»", '"'))
        want("1171[%d]" % i, it["1224"]["1171"], "+78005550769")
        want("1223[%d]" % i, it["1223"], {"1073": "+78005550769", "1074": "+74957654321"})
zs = [d for d in docs if d["type"] == 5]
if zs:
    n, tot = db.execute("SELECT count(*), sum(total) FROM journal WHERE state='CONFIRMED'").fetchone()
    want("Z receipts", zs[-1]["receipts"], n); want("Z sum", zs[-1]["sum"], tot)
    xs = [json.loads(l)["text"] for l in open(out + "/fiscal-print.jsonl") if "X-" in l]
    want("X line", xs, ["X-ОТЧЁТ смена 1 чеков %d сумма %d" % (n, tot)])
elif out.endswith("cashier"):
    bad.append("no Z document")
import re, glob
if out.endswith("history"):
    copies = glob.glob(out + "/receipts/*-copy.txt")
    want("one copy", len(copies), 1)
    text = open(copies[0]).read() if copies else ""
    for fd, fp, fn in db.execute("SELECT fd, fp, fn_serial FROM journal_fiscal"):
        qr = [d for d in docs if d.get("fd") == fd][0]["qr"]
        want("copy QR", ("[QR] " + qr) in text, True)
        want("copy ФД", re.search(r"^ФД +%d$" % fd, text, re.M) is not None, True)
        want("copy ФП", re.search(r"^ФП +%d$" % fp, text, re.M) is not None, True)
        want("copy ФН", re.search(r"^ФН +%s$" % fn, text, re.M) is not None, True)
if out.endswith("kkt_print") or out.endswith("kkt_print_paper"):
    printed = [json.loads(l) for l in open(out + "/fiscal-print.jsonl")]
    last = max(i for i, p in enumerate(printed)  # the receipt, or its spoiled printout
               if p["kind"] == "receipt" or p["text"] == "ДОКУМЕНТ НЕДЕЙСТВИТЕЛЕН")
    after = printed[last + 1:]
    lines = [p["text"] for p in after if p["kind"] == "line"]
    txn, pan = db.execute("SELECT txn_id, masked_pan FROM journal").fetchone()
    if out.endswith("kkt_print"):
        for want_line in ("50012-345", txn, pan, "ФД"):
            want("printed " + want_line, any(want_line in l for l in lines), True)
        phone = [re.sub(r"\D", "", l) for l in lines if "Вопросы:" in l]
        want("printed questions phone", phone, ["88005550769"])
        want("masked", "*" in pan, True)
        want("widths", [l for l in lines if len(l) > 40], [])
        want("cut last", after[-1]["kind"] if after else None, "cut")
    else:
        want("no slip without paper", any(txn in l for l in lines), False)
    for p in printed:  # a full card number: the card's BIN followed by digits
        if re.search(re.escape(pan[:6]) + r"\d{7,}", p["text"].replace(txn, "")):
            bad.append("a full card number printed: " + p["text"])
if "9161234567" in open(out + "/kiosk.log", encoding="utf-8", errors="replace").read():
    bad.append("the e-receipt address is in the log")
print("ok" if not bad else "; ".join(bad))
PY
)
	if [ "$r" = ok ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $n: $r"; fi
done
[ $fail -eq 0 ] && rm -rf "$root" || echo "logs kept in $root"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
