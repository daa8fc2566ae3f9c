#!/bin/sh
# The printed bill copy end to end: tests/e2e/bill_copy.script prints the copy of the demo
# bill of 50012345 (scanned) and of 50098765 (typed, after the control answer) on the file
# printer; the .txt must carry every service of the demo data with its sum and the totals,
# and the QR decoded from the PNG (zbarimg) must pass `kiosk-tool epd decode` with the same
# account, period and due sum: the encoder's round trip through the real printer output.
BUILD=${BUILD:-build}
export BUILD
tool="$BUILD/kiosk-tool"
pass=0; fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

if ! command -v zbarimg >/dev/null 2>&1; then
	echo "bill_copy: zbarimg missing (Debian zbar-tools)"
	echo "0 passed, 1 failed"
	exit 1
fi
out=$(mktemp -d /tmp/bill_copy.XXXXXX)
trap 'rm -rf "$out"' EXIT INT TERM
if tests/e2e/run tests/e2e/bill_copy.script --out "$out" >"$out/e2e.log" 2>&1; then ok; else bad "e2e run (see its log below)"; cat "$out/e2e.log"; fi

txt1=$(ls "$out"/receipts/receipt-1-bill_copy.txt 2>/dev/null)
txt2=$(ls "$out"/receipts/receipt-2-bill_copy.txt 2>/dev/null)
[ -n "$txt1" ] && ok || bad "no first bill copy printed"
[ -n "$txt2" ] && ok || bad "no second bill copy printed"

# The copy's text with the narrow no-break spaces of amounts as spaces and runs of spaces
# squeezed, so a line reads "Начислено 1 800,00".
plain() { sed 's/\xe2\x80\xaf/ /g; s/\xc2\xa0/ /g' "$1" | tr -s ' '; }
has() { # file label text
	if [ -n "$1" ] && plain "$1" | grep -qF -- "$3"; then ok; else bad "$2: '$3' not in the copy"; fi
}
# Every service of 50012345 with its supplier and accrued sum (docs/demo.md, The accounts).
for line in "Содержание жилого помещения" "Холодное водоснабжение" "Горячее водоснабжение" \
	"Водоотведение" "Отопление" "Поставщик: МУП «Водоканал-Подмосковье»" \
	"Начислено 1 800,00" "Начислено 512,30" \
	"Начислено 1 410,86" "Начислено 400,00" \
	"Начислено за период 4 523,16" "Оплачено 0,00" \
	"ИТОГО К ОПЛАТЕ 4 523,16" "Лицевой счёт 50012-345" \
	"Расчётный период октябрь 2026" "ИНН 5037008735" "ООО «МосОблЕИРЦ»" \
	"Адрес: г. Подольск, ул. Л*****, д. 5, кв. **"; do
	has "$txt1" 50012345 "$line"
done
# The owner's full name and the unmasked street never appear.
if [ -n "$txt1" ] && ! grep -qE "Иванов|Ленина" "$txt1"; then ok; else bad "50012345: unmasked owner or address"; fi
has "$txt2" 50098765 "ИТОГО К ОПЛАТЕ 1 210,00"
has "$txt2" 50098765 "Лицевой счёт 50098-765"

qr() { # png label want-acc want-sum want-period
	png=$1
	if [ ! -f "$png" ]; then bad "$2: no PNG"; return; fi
	payload=$(zbarimg --raw -q "$png" 2>/dev/null)
	if [ -z "$payload" ]; then bad "$2: no QR found in $png"; return; fi
	ok
	json=$(printf '%s' "$payload" | "$tool" epd decode)
	st=$?
	[ $st -eq 0 ] && ok || bad "$2: epd decode exit $st: $json"
	for want in '"ok":true' "\"pers_acc_digits\":\"$3\"" "\"Sum\":\"$4\"" "\"period\":\"$5\"" \
		'"PayeeINN":"5037008735"' '"PersonalAcc":"40702810640000012345"' '"BIC":"044525225"' \
		'"KPP":"503701001"' '"warnings":[]'; do
		case "$json" in *"$want"*) ok ;; *) bad "$2: decoded QR lacks $want: $json" ;; esac
	done
}
qr "${txt1%.txt}.png" 50012345 50012345 452316 2026-10
qr "${txt2%.txt}.png" 50098765 50098765 121000 2026-10

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
