# The recovery matrix of a Vendotek (VTK) terminal: the kiosk is killed (_exit 137,
# KIOSK_CRASH_AT) with the VRP at the terminal, after the approval (before and after
# AUTHORIZED is written), after RECORDED before the FIN, and with the FIN at the terminal
# and its reply unread; and the link drops after the approval before the VRP reply, and
# before the FIN reply.  After recovery, asserted on the kiosk's store and on vtk-sim's own
# JSON lines (one per finished operation): one journal row, CONFIRMED, one payment in the
# outbox; the terminal finished exactly one operation, approved and finalized with its
# amount (nothing charged twice, no approval left unfinalized); the kiosk's operation map
# holds no open operation.
BUILD=${BUILD:-build}
pass=0; fail=0
root=$(mktemp -d /tmp/vtk-recovery.XXXXXX)
check() { if eval "$2"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $1: $2"; fi; }
q() { sqlite3 "$1" "$2"; }

verify() { # name out
	out=$2
	check "$1: one journal row, CONFIRMED" "[ \"\$(q '$out/kiosk.db' \"SELECT count(*)||state FROM journal\")\" = 1CONFIRMED ]"
	check "$1: one payment in the outbox" "[ \"\$(q '$out/kiosk.db' \"SELECT count(*) FROM outbox WHERE kind='payment'\")\" = 1 ]"
	check "$1: the terminal finished one operation" "[ \"\$(wc -l <'$out/vtk-sim.jsonl')\" -eq 1 ]"
	check "$1: approved, finalized with its amount, charged once" \
		"grep -q '\"result\":\"approved\",\"approved\":452316,\"fin\":452316,\"final\":\"completed\",\"charged\":452316' '$out/vtk-sim.jsonl'"
	check "$1: no open operation in the kiosk's map" \
		"[ \"\$(q '$out/kiosk.db' \"SELECT count(*) FROM vtk_ops WHERE state NOT IN ('done','declined')\")\" = 0 ]"
	check "$1: the map's operation is the terminal's" \
		"[ \"\$(q '$out/kiosk.db' \"SELECT op||fin_reply FROM vtk_ops\")\" = 1452316 ]"
}

for p in after_sale_sent before_authorize after_authorize after_record vtk_after_fin_sent; do
	out=$root/$p
	s=tests/e2e/crash/$p.script
	[ -f "$s" ] || s=tests/e2e/vtk/${p#vtk_}.script
	tests/e2e/run "$s" --then tests/e2e/crash/recover.script --pinpad vtk --out "$out" >"$root/$p.log" 2>&1
	check "$p: killed, restarted, recovered" "[ $? -eq 0 ]" || { tail -5 "$root/$p.log"; continue; }
	check "$p: the crash point was reached" "grep -q 'event=exit at=$p' '$out/kiosk.log'"
	verify "$p" "$out"
done
for s in link_drop fin_drop; do
	out=$root/$s
	tests/e2e/run tests/e2e/vtk/$s.script --out "$out" >"$root/$s.log" 2>&1
	check "$s: recovered without a restart" "[ $? -eq 0 ]" || { tail -5 "$root/$s.log"; continue; }
	verify "$s" "$out"
done
rm -rf "$root"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
