#!/bin/sh
# build/kkt-sim as a program and kiosk-tool fiscal against it: the stdout contract
# ("listening HOST:PORT", "control HOST:PORT"), the control channel, the shift's documents
# as JSON lines (--docs) and prints (--printout), the tool's output and exit codes, the
# paper knob seen by status, kiosk-tool doctor's fiscal line, and the pty mode.
BUILD=${BUILD:-build}
dir=$(mktemp -d)
pass=0; fail=0; sim=
check() { # description command...
	d=$1; shift
	if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $d"; fi
}
"$BUILD/kkt-sim" --tcp 127.0.0.1:0 --control 127.0.0.1:0 --docs "$dir/docs.jsonl" \
	--printout "$dir/print.jsonl" > "$dir/sim.out" 2> "$dir/sim.err" &
sim=$!
for _ in $(seq 1 50); do
	grep -q '^control ' "$dir/sim.out" 2>/dev/null && break
	sleep 0.1
done
port=$(sed -n 's/^listening 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$dir/sim.out")
cport=$(sed -n 's/^control 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$dir/sim.out")
printf '[fiscal]\ndevice = shtrih\ntransport = tcp\naddress = 127.0.0.1:%s\ntax_system = usn_income\noperator_phone = +74957654321\n' \
	"$port" > "$dir/kiosk.conf"
control() { # lines -> answers
	python3 -c '
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
f = s.makefile("rw")
for line in sys.argv[2:]:
    f.write(line + "\n"); f.flush()
    print(f.readline().strip())
' "$cport" "$@"
}
tool() { "$BUILD/kiosk-tool" --config "$dir/kiosk.conf" fiscal "$@"; }
val() { sed -n "s/^$1=//p" "$2"; }

check "listening line" test -n "$port"
check "control line" test -n "$cport"
tool status > "$dir/st.out"
check "status exit 0" test $? -eq 0
check "status shift closed" test "$(val mode "$dir/st.out")" = 4
check "status mode text" grep -q '^mode_text=смена закрыта$' "$dir/st.out"
check "status serial" test "$(val fn_serial "$dir/st.out")" = 9999078900007903
check "status fn days" test "$(val fn_days_left "$dir/st.out")" = 300
check "status no documents" test "$(val last_fd "$dir/st.out")" = 0
tool last-doc > "$dir/none.out"
check "last-doc with none exit 1" test $? -eq 1
tool open-shift > "$dir/open.out"
check "open-shift exit 0" test $? -eq 0
check "open-shift shift 1" test "$(val shift_no "$dir/open.out")" = 1
check "open-shift mode 2" test "$(val mode "$dir/open.out")" = 2
tool open-shift > "$dir/open2.out"
check "second open-shift refused" test $? -eq 1
check "refusal code and text" grep -q '^error=E0: ошибка 73h, команда не поддерживается в этом режиме$' "$dir/open2.out"
check "refusal action" test "$(val action "$dir/open2.out")" = resync
tool x-report > /dev/null
check "x-report exit 0" test $? -eq 0
tool last-doc > "$dir/doc1.out"
check "last-doc exit 0" test $? -eq 0
check "last-doc is the shift open" test "$(val type "$dir/doc1.out")" = 2
check "last-doc fd" test "$(val fd "$dir/doc1.out")" = 1
fp=$(val fp "$dir/doc1.out")
check "doc line fp" grep -q "\"fd\":1,\"fn\":\"9999078900007903\",\"fp\":$fp,\"shift\":1,\"type\":2" "$dir/docs.jsonl"
check "control answers" test "$(control "paper=0" "bogus=1" | tr '\n' ' ')" = "ok error unknown knob 'bogus' "
tool status > "$dir/paper.out"
check "status paper out" test "$(val paper "$dir/paper.out")" = no
check "status submode paper out" test "$(val submode "$dir/paper.out")" = 1
tool z-report > "$dir/z0.out"
check "z without paper refused" grep -q '^error_code=6B$' "$dir/z0.out"
control "paper=1" > /dev/null
tool z-report > "$dir/z.out"
check "z-report exit 0" test $? -eq 0
check "z closes the shift" test "$(val mode "$dir/z.out")" = 4
tool doc 2 > "$dir/doc2.out"
check "doc 2 is the shift close" test "$(val type_text "$dir/doc2.out")" = "закрытие смены"
tool doc 3 > "$dir/doc3.out"
check "doc 3 missing" grep -q '^error_code=08$' "$dir/doc3.out"
tool doc x > /dev/null 2>&1
check "doc x usage" test $? -eq 2
tool > /dev/null 2>&1
check "no verb usage" test $? -eq 2
check "two documents" test "$(wc -l < "$dir/docs.jsonl")" -eq 2
check "prints: open, X, close" test "$(grep -c '"kind":"report"' "$dir/print.jsonl")" -eq 3
"$BUILD/kiosk-tool" --config "$dir/kiosk.conf" doctor > "$dir/doctor.out" 2>&1
check "doctor fiscal ok" grep -q '^ok  *fiscal ' "$dir/doctor.out"
control "phase=7" > /dev/null
"$BUILD/kiosk-tool" --config "$dir/kiosk.conf" doctor > "$dir/doctor2.out" 2>&1
check "doctor fiscal fail" grep -q '^FAIL  *fiscal .*фискальный режим ФН закрыт' "$dir/doctor2.out"
kill "$sim" 2>/dev/null; wait "$sim" 2>/dev/null
printf '[fiscal]\ndevice = shtrih\ntransport = tcp\naddress = 127.0.0.1:1\ntax_system = osn\noperator_phone = +7495\n' > "$dir/down.conf"
"$BUILD/kiosk-tool" --config "$dir/down.conf" fiscal status > "$dir/down.out"
check "no register exit 1" test $? -eq 1
check "no register error" grep -q '^error=' "$dir/down.out"
# The same register on a pty (the serial line of a CDC-ACM register): no FF after ACK.
"$BUILD/kkt-sim" --pty > "$dir/pty.out" 2> "$dir/pty.err" &
sim=$!
for _ in $(seq 1 50); do
	grep -q '^pty ' "$dir/pty.out" 2>/dev/null && break
	sleep 0.1
done
pts=$(sed -n 's/^pty //p' "$dir/pty.out")
printf '[fiscal]\ndevice = shtrih\ntransport = tty\naddress = %s\ntax_system = osn\noperator_phone = +7495\n' \
	"$pts" > "$dir/pty.conf"
"$BUILD/kiosk-tool" --config "$dir/pty.conf" fiscal open-shift > "$dir/ptyopen.out"
check "pty open-shift exit 0" test $? -eq 0
check "pty shift open" test "$(val mode "$dir/ptyopen.out")" = 2
"$BUILD/kiosk-tool" --config "$dir/pty.conf" fiscal last-doc > "$dir/ptydoc.out"
check "pty last-doc" test "$(val fd "$dir/ptydoc.out")" = 1
kill "$sim" 2>/dev/null; wait "$sim" 2>/dev/null
rm -rf "$dir"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
