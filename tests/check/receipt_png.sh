# A payment in the demo produces the printed receipt (issue 8, file backend): a PNG strip
# and its text, carrying what the receipt must show — kiosk id and address, the account
# line and period, total, commission 0,00, card scheme, the masked PAN (never more than
# 6 + 4 digits), auth code, RRN, TID, the PIN-pad's slip, the transaction id and its QR
# code (decoded from the PNG with zbarimg).
BUILD=${BUILD:-build}
d=$(mktemp -d /tmp/receipt.XXXXXX)
pass=0; fail=0
check() { if eval "$2"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $1"; fi; }
tests/e2e/run tests/e2e/pay_scan.script --out "$d" >"$d/run.log" 2>&1
check "payment script" "[ $? -eq 0 ]"
png=$(ls "$d"/receipts/receipt-*.png 2>/dev/null | head -n 1)
txt=${png%.png}.txt
check "receipt PNG written" "[ -s '$png' ] && [ \"\$(od -An -tx1 -N4 '$png' | tr -d ' ')\" = 89504e47 ]"
txn=$(sqlite3 "$d/kiosk.db" "SELECT txn_id FROM journal")
# No-break spaces (U+00A0 in «д. 1», U+202F in amounts) read as plain ones.
plain=$d/receipt-plain.txt
sed 's/\xe2\x80\xaf/ /g; s/\xc2\xa0/ /g' "$txt" > "$plain" 2>/dev/null
check "«д. 1» is joined by a no-break space" "grep -qF 'д.$(printf '\302\240')1' '$txt'"
for want in "Терминал K0001" "г. Подольск, ул. Кирова, д. 1" "50012-345" "Расчётный период: октябрь 2026" "Комиссия" "0,00" \
	"ИТОГО" "523,16" "Оплата картой Мир" "220220******1234" "Код авторизации" "RRN" "Терминал (TID)" "12345678" \
	"ОДОБРЕНО" "$txn"; do
	check "receipt text has '$want'" "tr -s ' ' < '$plain' | grep -qF -- '$want'"
done
check "no PAN digits beyond 6 + 4" "! grep -qE '[0-9]{7,}[*]|[*][0-9]{5,}' '$txt' && ! grep -qE '2202[0-9]{12}' '$txt'"
if command -v zbarimg >/dev/null; then
	qr=$(zbarimg --raw -q "$png" 2>/dev/null | head -n 1)
	check "the QR code is the transaction id" "[ '$qr' = '$txn' ]"
fi
rm -rf "$d"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
