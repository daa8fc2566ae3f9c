#!/bin/sh
# kiosk-tool center-status against build/billing-center: online with the right pins, a pin
# mismatch when the center serves the alternative key, offline when nothing listens.
BUILD=${BUILD:-build}
C=$BUILD/certs
tmp=$(mktemp -d)
pass=0 fail=0
trap 'kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT
check() { # name expected-regex output
	if printf '%s\n' "$3" | grep -Eq "$2"; then pass=$((pass + 1)); echo "ok   $1"
	else fail=$((fail + 1)); echo "FAIL $1: $3"; fi
}
start() { # extra args
	"$BUILD/billing-center" --listen 127.0.0.1:0 --db "$tmp/center.db" --certs-dir "$C" "$@" \
		>"$tmp/out" 2>"$tmp/err" &
	pid=$!
	for _ in $(seq 50); do grep -q listening "$tmp/out" && break; sleep 0.1; done
	port=$(sed -n 's/^listening 127.0.0.1://p' "$tmp/out")
	cat >"$tmp/kiosk.conf" <<CONF
[center]
url = https://127.0.0.1:$port
ca = $C/center-ca.pem
pins = $(cat $C/pins)
cert = $C/client.pem
key = $C/client.key
hmac_key = $C/hmac-K0001.key
key_id = k1
device_id = K0001
CONF
}
stop() { kill $pid; wait $pid 2>/dev/null; }

start
out=$("$BUILD/kiosk-tool" --config "$tmp/kiosk.conf" center-status); rc=$?
check "online" "^center=https://127.0.0.1:$port state=online status=ok offset_ms=-?[0-9]+ latency_ms=[0-9]+ epochs=0$" "$out"
check "online exit 0" "^0$" "$rc"
stop
start --server-key-alt
out=$("$BUILD/kiosk-tool" --config "$tmp/kiosk.conf" center-status); rc=$?
check "pin mismatch" "state=offline error=pin_mismatch curl=90 http=0" "$out"
check "pin mismatch exit 1" "^1$" "$rc"
stop
out=$("$BUILD/kiosk-tool" --config "$tmp/kiosk.conf" center-status); rc=$?
check "nothing listening" "state=offline error=network curl=7 http=0" "$out"
sed -i 's/^hmac_key = .*/hmac_key = \/nonexistent/' "$tmp/kiosk.conf"
"$BUILD/kiosk-tool" --config "$tmp/kiosk.conf" center-status >/dev/null 2>&1; rc=$?
check "bad key file: exit 2" "^2$" "$rc"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
