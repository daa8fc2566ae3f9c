#!/bin/sh
# A rejected scan leaves one log line, "mod=scanner event=rejected code=CODE len=N", and
# never its payload.  Through the real scanner path (a FIFO as the serial scanner, CR/LF
# ending each symbol): garbage, a bill whose account fails its check digit, an over-long
# payload and a malformed staff card are refused (logged by the shell from the flow's own
# rejection, FA_SCAN_REJECTED); then a good bill opens its account, and
# leaves no such line.  Prints "N passed, N failed".
cd "$(dirname "$0")/../.." || exit 2
d=$(mktemp -d /tmp/scan-rejected.XXXXXX)
writer=""
trap '[ -n "$writer" ] && kill "$writer" 2>/dev/null; rm -rf "$d"' EXIT INT TERM
pass=0; fail=0
ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "FAIL: $*"; }
bytes() { printf '%s' "$1" | wc -c | tr -d ' '; }

head='ST00012|Name=ООО «МосОблЕИРЦ»|PersonalAcc=4070281064000001234'
tail='|BankName=ПАО Сбербанк|BIC=044525225|CorrespAcc=30101810400000000225|PayeeINN=5037008735|KPP=503701001|persAcc=50012345|paymPeriod=102026|Sum=452316|TechCode=02'
good="${head}5$tail"
garbage='hello world'
bad_key="${head}6$tail"
long="ST00012|Name=$(printf '%03000d' 0 | tr 0 Z)"
card='STAFF:no such name!'

mkfifo "$d/scanner"
cat >"$d/scan.script" <<SCRIPT
# conf: scanner.transport = tty
# conf: scanner.address = $d/scanner
wait attract
wait account 30
expect Лицевой счёт 50012-345
SCRIPT
# Blocks until the kiosk opens the FIFO; the kiosk holds it read-write, so no EOF follows.
# The staff card first: the flow reads staff cards on attract (elsewhere it is read as a bill).
printf '%s\r\n' "$card" "$garbage" "$bad_key" "$long" "$good" >"$d/scanner" &
writer=$!
if tests/e2e/run "$d/scan.script" --out "$d/out" >"$d/run.log" 2>&1; then ok; else
	ko "the kiosk run failed:"; tail -n 20 "$d/run.log"; fi
log=$d/out/kiosk.log

lines=$(sed -n 's/^ts=[^ ]* level=info \(mod=scanner event=rejected .*\)$/\1/p' "$log")
want="mod=scanner event=rejected code=bad_staff_card len=$(bytes "$card")
mod=scanner event=rejected code=bad_format_id len=$(bytes "$garbage")
mod=scanner event=rejected code=bad_account_key len=$(bytes "$bad_key")
mod=scanner event=rejected code=too_long len=$(bytes "$long")"
[ "$lines" = "$want" ] && ok || ko "rejection lines:
$lines
wanted:
$want"
# Four rejections, and five symbols read: the good bill was not one of them.
n=$(grep -c 'mod=scanner event=symbol ' "$log")
[ "$n" = 5 ] && ok || ko "$n symbols read, wanted 5"
for secret in "$garbage" 40702810640000012346 ZZZZZZZZZZ 'no such name'; do
	grep -qF "$secret" "$log" && ko "the log holds the payload '$secret'" || ok
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
