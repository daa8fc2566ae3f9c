#!/bin/sh
# kiosk-tool epd decode: the command-line contract of docs/epd.md, Command line (stdout JSON and
# exit status 0 ok / 1 rejected / 2 usage), driven through the real binary.
BUILD=${BUILD:-build}
tool="$BUILD/kiosk-tool"
pass=0; fail=0
DEMO='ST00012|Name=ООО «МосОблЕИРЦ»|PersonalAcc=40702810640000012345|BankName=ПАО Сбербанк|BIC=044525225|CorrespAcc=30101810400000000225|PayeeINN=5037008735|KPP=503701001|persAcc=50012345|paymPeriod=102026|Sum=452316|TechCode=02'

check() { # name expected-status expected-stdout actual-status actual-stdout
	if [ "$2" = "$4" ] && [ "$3" = "$5" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $1: status $4 (want $2)"
		echo "  got:  $5"
		echo "  want: $3"
	fi
}

out=$(printf '%s' "$DEMO" | "$tool" epd decode); st=$?
check demo 0 '{"ok":true,"enc":"utf-8","separator":"|","fields":{"Name":"ООО «МосОблЕИРЦ»","PersonalAcc":"40702810640000012345","BankName":"ПАО Сбербанк","BIC":"044525225","CorrespAcc":"30101810400000000225","Sum":"452316","PayeeINN":"5037008735","KPP":"503701001","PersAcc":"50012345","PaymPeriod":"102026","TechCode":"02"},"period":"2026-10","pers_acc_digits":"50012345","warnings":[],"unknown_keys":[]}' $st "$out"

hex=$(printf '%s\n' "$DEMO" | od -An -v -tx1 | tr -d ' \n')
out=$(printf '%s\n' "$hex" | "$tool" epd decode --hex); st=$?
check demo-hex 0 '{"ok":true,"enc":"utf-8","separator":"|","fields":{"Name":"ООО «МосОблЕИРЦ»","PersonalAcc":"40702810640000012345","BankName":"ПАО Сбербанк","BIC":"044525225","CorrespAcc":"30101810400000000225","Sum":"452316","PayeeINN":"5037008735","KPP":"503701001","PersAcc":"50012345","PaymPeriod":"102026","TechCode":"02"},"period":"2026-10","pers_acc_digits":"50012345","warnings":[],"unknown_keys":[]}' $st "$out"

out=$(printf 'ST00011|Name=\316\316\316|BankName=\317\300\316|PersonalAcc=40702810640000012345|BIC=044525225|CorrespAcc=0|debt=1|KPP=1' | "$tool" epd decode); st=$?
check cp1251 0 '{"ok":true,"enc":"cp1251","separator":"|","fields":{"Name":"ООО","PersonalAcc":"40702810640000012345","BankName":"ПАО","BIC":"044525225","CorrespAcc":"0"},"period":"","pers_acc_digits":"","warnings":["bad_kpp","corresp_acc_zero"],"unknown_keys":["debt"]}' $st "$out"

out=$(printf '%s' "]Q1$DEMO" | "$tool" epd decode); st=$?
check aim-prefix 1 '{"ok":false,"error":"bad_format_id","message":"Это не платёжный QR-код"}' $st "$out"

out=$(printf '%s' "$DEMO" | sed 's/Sum=452316/Sum=5234.16/' | "$tool" epd decode); st=$?
check bad-sum 1 '{"ok":false,"error":"bad_sum","message":"Неверная сумма в платёжном коде"}' $st "$out"

out=$(printf '' | "$tool" epd decode); st=$?
check empty 1 '{"ok":false,"error":"empty_payload","message":"Код пуст"}' $st "$out"

out=$(head -c 70000 /dev/zero | tr '\0' 'x' | sed 's/^x\{8\}/ST00012|/' | "$tool" epd decode); st=$?
check huge 1 '{"ok":false,"error":"too_long","message":"Платёжный код слишком длинный"}' $st "$out"

out=$(printf 'zz' | "$tool" epd decode --hex 2>/dev/null); st=$?
check bad-hex 2 '' $st "$out"
out=$("$tool" epd </dev/null 2>/dev/null); st=$?
check no-subcommand 2 '' $st "$out"
out=$("$tool" epd decode --base64 </dev/null 2>/dev/null); st=$?
check bad-option 2 '' $st "$out"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
