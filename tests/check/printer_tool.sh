#!/bin/sh
# kiosk-tool printer status|test against the file printer: output lines, exit codes,
# the files written, and the paper knob.  Prints "N passed, N failed".
BUILD=${BUILD:-build}
tool=$BUILD/kiosk-tool
dir=$(mktemp -d /tmp/printer_tool.XXXXXX)
trap 'rm -rf "$dir"' EXIT
pass=0; fail=0
check() { # description, then a command that must succeed
	d=$1; shift
	if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $d"; fi
}
mkdir "$dir/out"
printf '[kiosk]\nassets = %s/assets\n[printer]\ntransport = file\naddress = %s/out\nwidth_mm = 58\n' \
	"$PWD" "$dir" > "$dir/kiosk.conf"
run() { "$tool" --config "$dir/kiosk.conf" printer "$@"; }

out=$(run status); rc=$?
check "status ok line" [ "$out" = "printer state=ok dev=\"file $dir/out\"" ]
check "status ok exit 0" [ $rc -eq 0 ]
out=$(run test); rc=$?
check "test printed" [ "$out" = "printer test printed" ]
check "test exit 0" [ $rc -eq 0 ]
check "png written" [ -s "$dir/out/receipt-1-test.png" ]
check "txt has the title" grep -q "ТЕСТ ПРИНТЕРА" "$dir/out/receipt-1-test.txt"
check "txt has the QR payload" grep -q "^\[QR\] ST00012|Name=TEST" "$dir/out/receipt-1-test.txt"
echo out > "$dir/out/paper"
out=$(run status); rc=$?
check "status paper_out" [ "$out" = "printer state=paper_out dev=\"file $dir/out\"" ]
check "status paper_out exit 1" [ $rc -eq 1 ]
out=$(run test); rc=$?
check "test failed_paper_out" [ "$out" = "printer test failed_paper_out" ]
check "test paper out exit 1" [ $rc -eq 1 ]
check "nothing printed without paper" [ ! -e "$dir/out/receipt-2-test.txt" ]
echo near_end > "$dir/out/paper"
out=$(run test); rc=$?
check "near end still prints" [ "$out" = "printer test printed" -a $rc -eq 0 ]
check "numbering continues" [ -s "$dir/out/receipt-2-test.txt" ]
rm -rf "$dir/out"
out=$(run status); rc=$?
check "missing directory is offline" [ "$out" = "printer state=offline dev=\"file $dir/out\"" -a $rc -eq 1 ]
run bogus 2>/dev/null; rc=$?
check "usage exit 2" [ $rc -eq 2 ]
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
